"""Exercise checks for notebook 01 (weight initialization)."""

import math

import numpy as np

from . import ARRAY, FUNCTION, NUMBER, WrongType, check, close, report


@check(NUMBER, missing="a number: the std of He initialization")
def check_1(std):
    """He (Kaiming) normal std for a ReLU layer with fan_in=512, fan_out=128."""
    expected = math.sqrt(2 / 512)
    hints = [
        (math.sqrt(2 / 128), "you used fan_out (128); He uses fan_in (512) in its default mode."),
        (math.sqrt(1 / 512), "that is LeCun's std 1/sqrt(fan_in); He doubles the variance for "
                             "ReLU, which zeroes half of its inputs."),
        (math.sqrt(2 / (512 + 128)), "that is Xavier/Glorot's std sqrt(2/(fan_in+fan_out)); "
                                     "He uses fan_in only."),
        (2 / 512, "that is the variance 2/fan_in; the std is its square root."),
    ]
    if close(std, expected):
        return report(True, success=f"std = sqrt(2/512) = {expected:.4g}.", hint="")
    for value, hint in hints:
        if close(std, value):
            return report(False, success="", hint=hint)
    return report(False, success="", hint="Var(w) = 2 / fan_in for ReLU; take its square root.")


@check(NUMBER, missing="a number: how many times E[x^2] grows per layer")
def check_2(factor):
    """Growth factor of E[x^2] per ReLU layer of width 256 with W ~ N(0, 1)."""
    if close(factor, 128):
        return report(True, success="x128 per layer: after 30 layers the std is "
                      f"{128 ** 15:.3g} times larger (128^15). That is the explosion you saw.",
                      hint="")
    if close(factor, 256):
        return report(False, success="", hint="fan_in * Var(w) = 256, but ReLU zeroes half of "
                      "the pre-activations: E[relu(z)^2] = Var(z) / 2.")
    if close(factor, math.sqrt(128)) or close(factor, 16):
        return report(False, success="", hint="that is a factor on the std; the question asks "
                      "about the second moment E[x^2] (a variance-like quantity): square it.")
    return report(False, success="", hint="use Var(z) = fan_in * Var(w) * E[x^2] and "
                  "E[relu(z)^2] = Var(z) / 2.")


def _layout_hint(init, fan_in, fan_out=3):
    """A hint when init(fan_in, fan_out, rng) is not a finite (fan_in, fan_out) array, else None."""
    call = f"answer_3({fan_in}, {fan_out}, rng)"
    try:
        w = init(fan_in, fan_out, np.random.default_rng(0))
    except Exception as exc:  # noqa: BLE001 - a learner's function can fail in any way
        return f"{call} raised {type(exc).__name__}: {exc}"
    try:
        w = ARRAY.convert(w)
    except WrongType as exc:
        return f"{call} returned {exc}; it must return an array of weights."
    if w.shape == (fan_out, fan_in):
        return (f"{call} returned shape {w.shape}, PyTorch's layout (out, in); helpers' Linear "
                f"computes x @ W, so W has shape (fan_in, fan_out) = {(fan_in, fan_out)}.")
    if w.shape != (fan_in, fan_out):
        return f"{call} returned shape {w.shape}; it must be (fan_in, fan_out) = " \
               f"{(fan_in, fan_out)}."
    return None


@check(FUNCTION.named("an initializer fn(fan_in, fan_out, rng) -> array"),
       missing="an initializer fn(fan_in, fan_out, rng) -> array")
def check_3(init, *, depth=30, width=100, n_samples=200, max_saturated=0.05):
    """An initializer with a gain for tanh: the activations' std stays within a factor 1.5 over
    `depth` layers, and at most `max_saturated` of the last layer's outputs have |a| > 0.99."""
    from ..diagnostics import layer_outputs, linear_layers
    from ..mlp import make_mlp
    hint = _layout_hint(init, width)
    if hint:
        return report(False, success="", hint=hint)
    try:
        model = make_mlp([width] * (depth + 1) + [1], activation="tanh", init=init,
                         dtype=np.float64)
    except Exception as exc:  # noqa: BLE001 - a learner's function can fail in any way
        return report(False, success="", hint=f"building the network failed: "
                      f"{type(exc).__name__}: {exc}")
    X = np.random.default_rng(0).standard_normal((n_samples, width))
    try:
        with np.errstate(all="ignore"):  # huge weights overflow: the std check below says so
            outs = layer_outputs(model, X)
    except ValueError as exc:  # an initializer whose shape depends on more than its arguments
        return report(False, success="", hint=f"the network built with it does not run: {exc}")
    stds = np.array([float(a.std()) for a in outs])
    ratio = float(stds.max() / stds.min()) if stds.min() > 0 else math.inf
    if not math.isfinite(ratio) or ratio > 1.5:
        if not stds.max() > 0:  # also nan: the forward pass overflowed
            return report(False, success="", hint="every layer's output is 0 (or nan): all-equal "
                          "or zero weights pass nothing useful on; draw them at random.")
        if stds[-1] < stds[0]:
            return report(False, success="", hint=f"the std falls from {stds[0]:.3g} to "
                          f"{stds[-1]:.3g}: tanh squashes its input, so the weights need a gain "
                          "above 1 (torch's calculate_gain('tanh') is 5/3).")
        return report(False, success="", hint=f"the std grows from {stds[0]:.3g} to "
                      f"{stds[-1]:.3g}: the weights are too large.")
    saturated = float(np.mean(np.abs(outs[-1]) > 0.99))
    if saturated > max_saturated:
        return report(False, success="", hint=f"the std stays near {stds.mean():.3g}, but "
                      f"{saturated:.0%} of the last layer's outputs are beyond ±0.99: tanh is "
                      "saturating (its gradient vanishes there). Use a smaller gain.")
    # the gain of a hidden width x width layer: its weights' std times sqrt(fan_in)
    gain = float(np.std(linear_layers(model)[1].weight.data)) * math.sqrt(width)
    if abs(gain / math.sqrt(2) - 1) < 0.02:
        return report(False, success="", hint=f"that is He's scale, gain sqrt(2) (the std stays "
                      f"within a factor {ratio:.3g}), but sqrt(2) is the gain derived for ReLU. "
                      "The exercise asks for the gain meant for tanh: see "
                      "hp.calculate_gain('tanh').")
    return report(True, success=f"tanh std stays between {stds.min():.3g} and {stds.max():.3g} "
                  f"over {depth} layers (ratio {ratio:.3g}), with {saturated:.1%} of the last "
                  "layer's outputs saturated.", hint="")
