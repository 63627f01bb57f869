"""Checks for the exercises of notebook 00 (the network and its training loop)."""

import numpy as np

from . import ARRAY, NUMBER, check, close, report


@check(NUMBER, missing="a number of parameters")
def check_1(answer):
    """Parameters of make_mlp([2, 16, 16, 3])."""
    expected = (2 * 16 + 16) + (16 * 16 + 16) + (16 * 3 + 3)
    if answer == expected:
        return report(True, hint="",
                      success=f"{expected} parameters: in·out weights + out biases per layer.")
    weights_only = 2 * 16 + 16 * 16 + 16 * 3
    if answer == weights_only:
        hint = "that counts the weights only; each layer also has one bias per output unit."
    elif answer == 2 * 16 + 16 + 16 * 16 + 16:
        hint = "you left out the output layer: 16 inputs, 3 outputs."
    else:
        hint = ("add, for each Linear layer, in_features × out_features weights"
                " + out_features biases.")
    return report(False, success="", hint=hint)


def _example_batch():
    rng = np.random.default_rng(0)
    return rng.normal(size=(4, 3)), rng.normal(size=(4, 2))


@check(ARRAY, missing="an array of the weight's shape", example_args=_example_batch)
def check_2(answer, x, dout):
    """dL/dW of a Linear layer, given its input x (N, in) and upstream gradient dout (N, out)."""
    expected = x.T @ dout
    if answer.shape != expected.shape:
        hint = (f"dW has the weight's shape {expected.shape}, yours is {answer.shape}: "
                "which product of x and dout gives (in, out)?")
        if answer.shape == expected.T.shape:
            hint = "you have the transpose: dW = xᵀ · dout, shape (in, out)."
        return report(False, success="", hint=hint)
    ok = np.allclose(answer, expected, rtol=1e-5, atol=1e-8)
    hint = "dW sums over the batch: dW = xᵀ · dout (no division by N: the loss already has it)."
    if np.allclose(answer * len(x), expected, rtol=1e-5):
        hint = "you divided by the batch size; the 1/N is already inside dout."
    return report(ok, success="dW = xᵀ · dout: each weight collects input × upstream gradient "
                  "over the batch.", hint=hint)


@check(NUMBER, missing="a number of updates")
def check_3(answer):
    """Updates in 5 epochs of 1,000 examples with batch size 32 (last partial batch kept)."""
    if answer == 160:
        return report(True, success="ceil(1000 / 32) = 32 updates per epoch × 5 epochs = 160.",
                      hint="")
    if answer == 155 or close(answer, 1000 / 32 * 5, rtol=1e-9):
        hint = "the last, smaller batch of each epoch (1000 = 31 × 32 + 8) is an update too."
    elif answer == 5000:
        hint = "that counts examples seen; an update uses a whole batch of 32."
    else:
        hint = "updates per epoch = ceil(examples / batch size); multiply by the epochs."
    return report(False, success="", hint=hint)
