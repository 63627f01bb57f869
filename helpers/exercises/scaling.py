"""Checks for the exercises of notebook 14 (scaling and transfer)."""

import math

from . import NUMBER, check, close, pair, report

#: exercise 1: Adam's learning rate of a hidden matrix under µP
BASE_WIDTH, WIDTH, BASE_LR = 256, 4096, 3e-3
#: exercise 2: two points of a loss-against-parameters curve
N_SMALL, LOSS_SMALL, N_BIG, LOSS_BIG = 1e6, 2.0, 8e6, 1.6
#: exercise 3: N_opt grows as C^A_OPT; the compute grows by COMPUTE_FACTOR
A_OPT, COMPUTE_FACTOR = 0.5, 4.0


@check(NUMBER, missing="a learning rate (a number)")
def check_1(answer):
    """Adam lr of a hidden weight matrix at WIDTH under µP, tuned at BASE_WIDTH with BASE_LR."""
    m = WIDTH / BASE_WIDTH
    expected = BASE_LR / m
    hint = ("µP (Tensor Programs V, Table 3) divides Adam's learning rate of hidden matrices "
            "by the width multiplier m = width / base width.")
    if close(answer, BASE_LR):
        hint = ("that is the base learning rate: under µP it stays for embeddings, biases and "
                "LayerNorms, but a hidden matrix gets lr / m.")
    elif close(answer, BASE_LR * m):
        hint = "the wider model takes a smaller step per entry: divide by m, do not multiply."
    elif close(answer, BASE_LR / math.sqrt(m)):
        hint = ("1/sqrt(m) is how µP scales the initial std of hidden weights; Adam's learning "
                "rate scales as 1/m.")
    elif close(answer, BASE_LR / m**2):
        hint = "divide by m once: m = 4096 / 256 = 16."
    return report(close(answer, expected),
                  success=f"{expected:.3g}: 16 times smaller than at the base width, while "
                          "embeddings, biases and LayerNorms keep 3e-3.", hint=hint)


@check(NUMBER, missing="the exponent alpha (a positive number)")
def check_2(answer):
    """The exponent alpha of L = a N^-alpha through (N_SMALL, LOSS_SMALL) and (N_BIG, LOSS_BIG)."""
    expected = math.log(LOSS_SMALL / LOSS_BIG) / math.log(N_BIG / N_SMALL)
    hint = "alpha = ln(L1 / L2) / ln(N2 / N1): the slope of the line on log-log axes."
    if close(answer, -expected):
        hint = "the loss falls as N grows, so L = a N^-alpha has alpha > 0: drop the minus sign."
    elif close(answer, math.log10(LOSS_SMALL / LOSS_BIG) / math.log(N_BIG / N_SMALL)) or \
            close(answer, math.log(LOSS_SMALL / LOSS_BIG) / math.log10(N_BIG / N_SMALL)):
        hint = "use the same logarithm above and below the line (the base then cancels)."
    elif close(answer, (LOSS_SMALL - LOSS_BIG) / (N_BIG - N_SMALL), rtol=0.5) or \
            close(answer, (LOSS_SMALL / LOSS_BIG) / (N_BIG / N_SMALL)):
        hint = "a power law is a straight line on log-log axes: take logarithms of both ratios."
    return report(close(answer, expected, rtol=0.01),
                  success=f"alpha = {expected:.3g}: 8x the parameters for 20 % less loss, "
                          "the order of Kaplan et al.'s 0.076.", hint=hint)


@check(pair(NUMBER, "a pair of numbers (params factor, tokens factor)"),
       missing="a pair (params factor, tokens factor), e.g. (1.5, 2.0)")
def check_3(answer):
    """(how many times more parameters, how many times more tokens) for COMPUTE_FACTOR x the
    compute, when N_opt grows as C^A_OPT and C = 6 N D."""
    n, d = answer
    n_factor = COMPUTE_FACTOR**A_OPT
    d_factor = COMPUTE_FACTOR / n_factor
    ok = close(n, n_factor) and close(d, d_factor)
    hint = ("N_opt grows as C^0.5, so 4x compute gives 4^0.5 x the parameters; C = 6 N D then "
            "fixes the tokens: 4 / (params factor).")
    if close(n, COMPUTE_FACTOR) and close(d, 1.0):
        hint = ("putting all the compute into parameters is close to Kaplan et al.'s advice "
                "(N ~ C^0.73); with N ~ C^0.5 parameters and tokens grow alike.")
    elif close(n, n_factor) and not close(d, d_factor):
        hint = "the parameters are right; the tokens follow from C = 6 N D: 4 / 2."
    elif close(n * d, COMPUTE_FACTOR) and not ok:
        hint = "the product is right (N D grows 4x); now split it with N ~ C^0.5."
    return report(ok, success=f"({n_factor:g}, {d_factor:g}): twice the parameters and twice "
                              "the tokens, Chinchilla's rule of growing both alike.", hint=hint)
