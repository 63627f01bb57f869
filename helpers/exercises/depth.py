"""Exercise checks for notebook 02 (depth: the number of hidden layers)."""

from . import FUNCTION, NUMBER, WrongType, check, close, report


@check(NUMBER, missing="an integer: the number of weights and biases")
def check_1(count):
    """Trainable parameters of make_mlp([2, 16, 16, 16, 1])."""
    weights = 2 * 16 + 16 * 16 * 2 + 16 * 1
    expected = weights + 16 * 3 + 1
    if close(count, expected, rtol=0):
        return report(True, success=f"{expected} = {weights} weights + 49 biases.", hint="")
    if close(count, weights, rtol=0):
        return report(False, success="", hint="you counted the weights only; every Linear layer "
                      "also has one bias per output unit.")
    if close(count, expected - 1, rtol=0) or close(count, expected - 17, rtol=0):
        return report(False, success="", hint="don't forget the output layer (16 -> 1): 16 "
                      "weights and 1 bias.")
    return report(False, success="", hint="a Linear layer n_in -> n_out has n_in * n_out "
                  "weights + n_out biases; there are 4 of them here "
                  "(2->16, 16->16, 16->16, 16->1).")


@check(FUNCTION.named("a function n_params(d_in, width, depth, d_out)"),
       missing="a function n_params(d_in, width, depth, d_out)")
def check_2(fn):
    """fn(d_in, width, depth, d_out) must equal count_parameters(make_mlp(...)) everywhere."""
    from ..layers import count_parameters
    from ..mlp import make_mlp
    cases = [(2, 16, 1, 1), (2, 16, 3, 1), (5, 8, 4, 3), (10, 32, 2, 10), (3, 7, 6, 2)]
    for d_in, width, depth, d_out in cases:
        true = count_parameters(make_mlp([d_in] + [width] * depth + [d_out]))
        try:
            got = fn(d_in, width, depth, d_out)
        except Exception as exc:  # noqa: BLE001 - a learner's function can fail in any way
            return report(False, success="", hint=f"n_params{(d_in, width, depth, d_out)} "
                          f"raised {type(exc).__name__}: {exc}")
        try:
            got = NUMBER.convert(got)
        except WrongType as exc:
            return report(False, success="", hint=f"n_params{(d_in, width, depth, d_out)} "
                          f"returned {exc}; it must return a number.")
        if not close(got, true, rtol=0):
            no_bias = d_in * width + (depth - 1) * width * width + width * d_out
            if close(got, no_bias, rtol=0):
                hint = "the biases are missing: + width per hidden layer + d_out."
            elif close(got, true + width * (width + 1), rtol=0):
                hint = "one hidden-to-hidden layer too many: depth hidden layers have depth - 1 " \
                       "width x width connections between them."
            elif close(got, true - width * (width + 1), rtol=0):
                hint = "one hidden-to-hidden layer too few: there are depth - 1 of them."
            else:
                hint = "input layer (d_in + 1) * width, then (depth - 1) * (width + 1) * width, " \
                       "then output (width + 1) * d_out."
            return report(False, success="", hint=f"for {(d_in, width, depth, d_out)} you give "
                          f"{got:.10g}, count_parameters says {true}: {hint}")
    return report(True, success=f"your formula agrees with count_parameters on {len(cases)} "
                  "networks.", hint="")


@check(NUMBER, missing="a number: the largest possible shrink factor")
def check_3(bound):
    """Upper bound on the factor of a gradient through 10 sigmoid layers (weights of norm <= 1)."""
    expected = 0.25 ** 10
    if close(bound, expected):
        return report(True, success=f"(1/4)^10 = {expected:.3g}: at best a millionth of the "
                      "gradient reaches layer 1.", hint="")
    if close(bound, 0.5 ** 10):
        return report(False, success="", hint="0.5 is sigmoid(0), the value; the derivative "
                      "sigmoid'(z) = sigmoid(z)(1 - sigmoid(z)) peaks at 0.25.")
    if close(bound, 0.25):
        return report(False, success="", hint="that is one layer; the factors of the 10 layers "
                      "multiply (chain rule).")
    if close(bound, 0.25 * 10):
        return report(False, success="", hint="the chain rule multiplies the factors; it does "
                      "not add them.")
    return report(False, success="", hint="each sigmoid layer multiplies the gradient by "
                  "sigmoid'(z) <= 1/4; there are 10 layers.")
