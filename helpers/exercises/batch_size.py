"""Checks for the exercises of notebook 08 (batch size)."""

import numpy as np

from . import NUMBER, check, close, report


@check(NUMBER, missing="the predicted variance at B=128")
def check_1(answer):
    """Variance 2.4 at B=8 -> at B=128: 2.4 * 8 / 128 = 0.15."""
    expected = 2.4 * 8 / 128
    if close(answer, 2.4 / np.sqrt(128 / 8)):
        hint = "you divided by sqrt(16): that is how the standard deviation falls; the " \
               "variance falls like 1/B, so divide by 128/8 = 16."
    elif close(answer, 2.4 * 128 / 8):
        hint = "a bigger batch averages more samples, so its gradient is less noisy: divide, " \
               "don't multiply."
    else:
        hint = "the variance of a mean of B independent samples is sigma^2 / B: scale 2.4 by 8/128."
    return report(close(answer, expected), success=f"{expected:.3g}: 16 times the batch, "
                  "1/16 of the variance (a quarter of the standard deviation).", hint=hint)


@check(NUMBER, missing="the learning rate for B=1024")
def check_2(answer):
    """Linear scaling: B 256 -> 1024 with lr 0.1 gives 0.4."""
    if close(answer, 0.2):
        hint = "0.2 is the square-root rule (lr x sqrt(4)); the linear rule multiplies the lr " \
               "by the same factor as the batch."
    elif close(answer, 0.025):
        hint = "the batch grows, so the learning rate grows too: multiply by 1024/256."
    else:
        hint = "the linear scaling rule: lr_new = lr_old x B_new / B_old."
    return report(close(answer, 0.4), success="0.4: four times the batch, four times the lr "
                  "(then check it with a warm-up and a run, as Goyal et al. did).", hint=hint)


@check(NUMBER, missing="the per-sample variance sigma^2")
def check_3(answer):
    """sigma^2 from E||g_B - g||^2 = 0.09 at B=100, N=1000: 0.09 * 100 * 999 / 900."""
    expected = 0.09 * 100 * 999 / 900
    if close(answer, 0.09 * 100):
        hint = "that ignores the finite-population factor (N - B)/(N - 1): drawing without " \
               "replacement from 1,000 samples removes some noise, so divide by 900/999."
    elif close(answer, 0.09 / 100):
        hint = "invert the formula: sigma^2 = E||g_B - g||^2 x B x (N - 1)/(N - B)."
    else:
        hint = "solve 0.09 = sigma^2 / B x (N - B)/(N - 1) for sigma^2 with B=100, N=1000."
    return report(close(answer, expected, rtol=2e-3), success=f"sigma^2 = {expected:.4g} "
                  "(without the correction you would get 9.0: 10 % off).", hint=hint)
