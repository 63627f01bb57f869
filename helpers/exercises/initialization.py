"""Exercise checks for notebook 01 (weight initialization)."""

import math

import numpy as np

from . import NO_ANSWER, close, is_missing, report


def check_1(std):
    """He (Kaiming) normal std for a ReLU layer with fan_in=512, fan_out=128."""
    if is_missing(std, "a number: the std of He initialization"):
        return NO_ANSWER
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


def check_2(factor):
    """Growth factor of E[x^2] per ReLU layer of width 256 with W ~ N(0, 1)."""
    if is_missing(factor, "a number: how many times E[x^2] grows per layer"):
        return NO_ANSWER
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


def check_3(init, *, depth=30, width=100, n_samples=200):
    """An initializer that keeps tanh activations' std within a factor 1.5 over `depth` layers."""
    if is_missing(init, "an initializer fn(fan_in, fan_out, rng) -> array"):
        return NO_ANSWER
    if not callable(init):
        return report(False, success="", hint="answer_3 must be a function (fan_in, fan_out, rng) "
                      "-> array, e.g. functools.partial(hp.xavier_normal, gain=...).")
    from ..diagnostics import activation_stds
    from ..mlp import make_mlp
    try:
        model = make_mlp([width] * (depth + 1) + [1], activation="tanh", init=init,
                         dtype=np.float64)
    except Exception as exc:  # noqa: BLE001 - a learner's function can fail in any way
        return report(False, success="", hint=f"building the network failed: "
                      f"{type(exc).__name__}: {exc}")
    X = np.random.default_rng(0).standard_normal((n_samples, width))
    stds = activation_stds(model, X)
    ratio = float(stds.max() / stds.min()) if stds.min() > 0 else math.inf
    if not math.isfinite(ratio) or ratio > 1.5:
        if stds[-1] < stds[0]:
            return report(False, success="", hint=f"the std falls from {stds[0]:.3g} to "
                          f"{stds[-1]:.3g}: tanh squashes its input, so the weights need a gain "
                          "above 1 (torch's calculate_gain('tanh') is 5/3).")
        return report(False, success="", hint=f"the std grows from {stds[0]:.3g} to "
                      f"{stds[-1]:.3g}: the weights are too large.")
    if stds.min() > 0.9:
        return report(False, success="", hint=f"the std stays near {stds.mean():.3g}, but that "
                      "is tanh saturating at ±1 (its gradient vanishes): use smaller weights.")
    return report(True, success=f"tanh std stays between {stds.min():.3g} and {stds.max():.3g} "
                  f"over {depth} layers (ratio {ratio:.3g}).", hint="")
