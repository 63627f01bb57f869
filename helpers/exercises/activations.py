"""Checks for the exercises of notebook 04 (activation functions)."""

import math

import numpy as np

from . import ARRAY, NUMBER, check, close, pair, report


@check(NUMBER, missing="a fraction between 0 and 1")
def check_1(answer):
    """Fraction of ReLU unit-sample pairs that pass gradient when z ~ N(-1, 1)."""
    expected = 0.5 * (1 + math.erf(-1 / math.sqrt(2)))  # P(z > 0) = P(u > 1), u ~ N(0, 1)
    ok = close(answer, expected, rtol=0, atol=0.006)
    if close(answer, 1 - expected, rtol=0, atol=0.006):
        hint = ("that is the fraction with z <= 0, which pass nothing back; ReLU passes "
                "gradient where z > 0.")
    elif close(answer, 0.5, rtol=0, atol=0.006):
        hint = ("1/2 holds for z centred at 0; with mean -1 most of the distribution lies "
                "below 0.")
    elif close(answer, 100 * expected, rtol=0, atol=0.6):
        hint = "give a fraction between 0 and 1, not a percentage."
    elif close(answer, 0.0, rtol=0, atol=0.006):
        hint = ("z ~ N(-1, 1) is still positive now and then: P(z > 0) = P(u > 1) for a "
                "standard normal u.")
    else:
        hint = ("ReLU's f'(z) is 1 where z > 0 and 0 elsewhere: you want P(z > 0) for "
                "z ~ N(-1, 1), or the mean of f'(z) over many samples of z.")
    blocked = 100 * (1 - expected)
    return report(ok, success=f"{expected:.3f}: shifting z down by one standard deviation "
                  f"blocks {blocked:.0f} % of the gradient; shift further and units die (2.4).",
                  hint=hint)


def _example_layers():
    rng = np.random.default_rng(0)
    return rng.normal(size=(3, 4)), rng.normal(size=4), rng.normal(size=(4, 2)), rng.normal(size=2)


@check(pair(ARRAY, "a pair (W, b) of arrays"), missing="a pair (W, b)",
       example_args=_example_layers)
def check_2(answer, W1, b1, W2, b2):
    """The single linear map (W, b) equal to x -> (x W1 + b1) W2 + b2."""
    W, b = answer
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


@check(NUMBER, missing="a positive number x")
def check_3(answer):
    """The x > 0 where sigmoid'(x) falls to 1 % of its peak (0.25)."""
    s = (1 + math.sqrt(1 - 4 * 0.0025)) / 2  # s (1 - s) = 0.0025, the root above 1/2
    expected = math.log(s / (1 - s))
    x_abs001 = math.log((1 + math.sqrt(0.96)) / (1 - math.sqrt(0.96)))  # sigmoid'(x) = 0.01
    if close(answer, -expected):
        return report(False, success="", hint="sigmoid' is symmetric; give the positive root.")
    # two wrong answers 0.2 % apart (4.585 and 4.595): the nearer one gets its hint
    wrong = {x_abs001: "you solved sigmoid'(x) = 0.01; 1 % of the peak 0.25 is 0.0025.",
             math.log(99): "that is where sigmoid(x) reaches 0.99; the question is about the "
                           "derivative s(1 - s) = 0.0025."}
    near = [v for v in wrong if close(answer, v)]
    if near:
        hint = wrong[min(near, key=lambda v: abs(answer - v))]
    else:
        hint = ("solve s (1 - s) = 0.0025 for s = sigmoid(x) (a quadratic), then x = "
                "log(s / (1 - s)).")
    return report(close(answer, expected), success=f"x = {expected:.3g}: beyond about 6 a sigmoid "
                  "unit passes back less than 1 % of the peak gradient.", hint=hint)
