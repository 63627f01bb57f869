"""Checks for the exercises of notebook 04 (activation functions)."""

import math

import numpy as np

from . import NO_ANSWER, close, is_missing, report


def check_1(answer):
    """Upper bound on the product of 10 sigmoid derivatives (the weights aside)."""
    if is_missing(answer, "a number"):
        return NO_ANSWER
    expected = 0.25**10
    if close(answer, 0.25):
        hint = "0.25 is one layer's bound; the chain rule multiplies 10 of them."
    elif close(answer, 2.5):
        hint = "the chain rule multiplies the layers' derivatives; it does not add them."
    elif close(answer, 0.5**10):
        hint = "sigmoid'(0) = s(1 - s) with s = sigmoid(0) = 1/2, so the peak is 1/4, not 1/2."
    elif close(answer, 0.25**9) or close(answer, 0.25**11):
        hint = "count again: one sigmoid per layer, 10 layers, so 10 factors."
    else:
        hint = ("the largest value of sigmoid'(x) = s(1 - s) is at x = 0; raise it to the "
                "10th power.")
    return report(close(answer, expected), success=f"{expected:.3g}: a millionth of the signal "
                  "survives even in the best case.", hint=hint)


def check_2(answer, W1, b1, W2, b2):
    """The single linear map (W, b) equal to x -> (x W1 + b1) W2 + b2."""
    if is_missing(answer, "a pair (W, b)"):
        return NO_ANSWER
    try:
        W, b = (np.asarray(a, dtype=np.float64) for a in answer)
    except (TypeError, ValueError):
        return report(False, success="", hint="answer with a pair (W, b) of arrays.")
    W_true = W1 @ W2
    b_true = b1 @ W2 + b2
    if W.shape != W_true.shape:
        if W2.shape[1] == W1.shape[0] and W.shape == (W2 @ W1).shape:
            hint = "with row vectors (x @ W), the first layer's matrix comes first: W1 @ W2."
        else:
            hint = (f"W should map {W1.shape[0]} inputs to {W2.shape[1]} outputs: "
                    f"shape {W_true.shape}.")
        return report(False, success="", hint=hint)
    if not np.allclose(W, W_true, rtol=1e-4, atol=1e-6):
        return report(False, success="", hint="multiply the weight matrices: W = W1 @ W2.")
    ok = b.shape == b_true.shape and np.allclose(b, b_true, rtol=1e-4, atol=1e-6)
    if b.shape == b_true.shape and np.allclose(b, b2, rtol=1e-4, atol=1e-6):
        hint = "the first bias passes through the second layer too: b = b1 @ W2 + b2."
    elif b1.shape == b2.shape == b.shape and np.allclose(b, b1 + b2, rtol=1e-4, atol=1e-6):
        hint = "b1 is multiplied by W2 on its way through: b = b1 @ W2 + b2."
    else:
        hint = "expand (x W1 + b1) W2 + b2 and collect the terms without x."
    return report(ok, success="W = W1 W2, b = b1 W2 + b2: two linear layers are one.", hint=hint)


def check_3(answer):
    """The x > 0 where sigmoid'(x) falls to 1 % of its peak (0.25)."""
    if is_missing(answer, "a positive number x"):
        return NO_ANSWER
    s = (1 + math.sqrt(1 - 4 * 0.0025)) / 2  # s (1 - s) = 0.0025, the root above 1/2
    expected = math.log(s / (1 - s))
    x_abs001 = math.log((1 + math.sqrt(0.96)) / (1 - math.sqrt(0.96)))  # sigmoid'(x) = 0.01
    if close(answer, -expected):
        return report(False, success="", hint="sigmoid' is symmetric; give the positive root.")
    if close(answer, x_abs001):
        hint = "you solved sigmoid'(x) = 0.01; 1 % of the peak 0.25 is 0.0025."
    elif close(answer, math.log(99)):
        hint = ("that is where sigmoid(x) reaches 0.99; the question is about the derivative "
                "s(1 - s) = 0.0025.")
    else:
        hint = ("solve s (1 - s) = 0.0025 for s = sigmoid(x) (a quadratic), then x = "
                "log(s / (1 - s)).")
    return report(close(answer, expected), success=f"x = {expected:.3g}: beyond about 6 a sigmoid "
                  "unit passes back less than 1 % of the peak gradient.", hint=hint)
