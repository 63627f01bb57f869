"""Checks for the exercises of notebook 03 (width)."""

import numpy as np

from ..width import mlp_parameter_count as _count
from . import NUMBER, check, close, report


@check(NUMBER, missing="a number of parameters")
def check_1(answer):
    """Parameters of an MLP [784, 256, 128, 10] (MNIST-sized), weights and biases."""
    sizes = [784, 256, 128, 10]
    expected = _count(sizes)
    weights_only = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    if close(answer, weights_only, rtol=0):
        hint = (f"{weights_only} counts the weights only; each layer also has one bias per "
                f"output unit ({256 + 128 + 10} biases in all).")
    elif close(answer, expected - 10, rtol=0):
        hint = "you dropped the output layer's 10 biases."
    elif close(answer, 784 * 256 + 256 * 128 + 128 * 10 + 784 + 256 + 128, rtol=0):
        hint = "biases belong to the layer's outputs (n_out of them), not its inputs."
    else:
        hint = "sum (n_in + 1) * n_out over the three Linear layers."
    return report(close(answer, expected, rtol=0), success=f"{expected} parameters.", hint=hint)


@check(NUMBER, missing="a ratio such as 3.5")
def check_2(answer):
    """Factor by which the parameter count of [10, w, w, w, 1] grows from w = 100 to w = 200."""
    expected = _count([10, 200, 200, 200, 1]) / _count([10, 100, 100, 100, 1])
    if close(answer, 2.0, rtol=0.01):
        hint = ("a factor 2 holds for one hidden layer only; a hidden-to-hidden matrix is w x w, "
                "so it grows like w**2.")
    elif close(answer, 4.0, rtol=0.01):
        hint = ("4 is the limit for huge w; at w = 100 the terms linear in w (input layer, "
                "output layer, biases) still count. Compute both totals exactly.")
    elif close(answer, 8.0, rtol=0.01):
        hint = "the count is a sum over layers, not a product: (n_in + 1) * n_out per layer."
    else:
        hint = ("count (n_in + 1) * n_out for each of the 4 Linear layers at w = 100 and at "
                "w = 200, then divide.")
    return report(close(answer, expected, rtol=2e-3), success=f"x{expected:.3g}: the w**2 "
                  "terms dominate, so doubling the width nearly quadruples the cost.", hint=hint)


def _example_sweep():
    rng = np.random.default_rng(0)
    return ({"widths": [2, 8, 32, 128], "val_error": rng.random((4, 3)),
             "train_error": rng.random((4, 3))},)


@check(NUMBER, missing="a width from sweep['widths']", example_args=_example_sweep)
def check_3(answer, sweep):
    """The width with the lowest median validation error in a width_sweep result."""
    widths = list(sweep["widths"])
    val = np.median(sweep["val_error"], axis=1)
    train = np.median(sweep["train_error"], axis=1)
    best = int(widths[int(np.argmin(val))])
    if not answer.is_integer():
        return report(False, success="", hint="answer with one width, a whole number.")
    if answer == best:
        return report(True, success=f"width {best}: the best validation error, "
                      f"{val.min():.3g}.", hint="")
    if answer not in widths:
        hint = f"pick one of the widths tried: {widths}."
    elif answer == int(widths[int(np.argmin(train))]):
        hint = ("that width has the lowest *training* error; choose by validation error, "
                "the data the network never fitted.")
    elif answer == widths[-1]:
        hint = "the widest network fits the training set best, not the validation set."
    else:
        hint = "take np.median over seeds (axis=1) of sweep['val_error'], then its argmin."
    return report(False, success="", hint=hint)
