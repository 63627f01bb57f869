"""Exercise checks for notebook 12 · Hyperparameter tuning."""

import numpy as np

from ..tuning import expected_improvement
from . import FUNCTION, NUMBER, WrongType, check, close, pair, report


@check(FUNCTION.named("a function log_uniform(u, low, high)"),
       missing="a function log_uniform(u, low, high)")
def check_1(log_uniform):
    """log_uniform(u, low, high): u in [0, 1] -> a value uniform in log10 between low and high."""
    try:
        mid = NUMBER.convert(log_uniform(0.5, 1e-4, 1.0))
        ends = (NUMBER.convert(log_uniform(0.0, 1e-4, 1.0)),
                NUMBER.convert(log_uniform(1.0, 1e-4, 1.0)))
        other = NUMBER.convert(log_uniform(0.25, 1e-6, 1e-2))
    except WrongType as exc:
        return report(False, success="", hint=f"log_uniform must return a number, not {exc}.")
    except Exception as exc:  # noqa: BLE001 - a learner's function may raise anything
        return report(False, success="", hint=f"calling log_uniform(0.5, 1e-4, 1.0) raised "
                      f"{type(exc).__name__}: {exc}")
    if close(mid, 0.5, rtol=0.05):
        return report(False, success="", hint="log_uniform(0.5, 1e-4, 1) gave about 0.5: that is "
                      "the linear midpoint. Interpolate the exponents: 10**(log10(low) + u * "
                      "(log10(high) - log10(low))).")
    if close(mid, -2.0, rtol=0.01):
        return report(False, success="",
                      hint="you returned the exponent (-2); return 10 ** exponent.")
    ok = (close(mid, 1e-2) and close(ends[0], 1e-4) and close(ends[1], 1.0)
          and close(other, 1e-5))
    return report(ok, success="Log-uniform: each decade of [1e-4, 1] gets the same share "
                  "of samples.", hint=f"log_uniform(0.5, 1e-4, 1) should be 0.01 (got {mid:.3g}) "
                  "and log_uniform(0, ...) must be low, log_uniform(1, ...) high.")


@check(NUMBER, missing="the total number of epochs (an integer)")
def check_2(total_epochs):
    """Epochs spent by successive halving: 27 configs, eta = 3, budgets 1, 3, 9 epochs."""
    if close(total_epochs, 243):
        return report(False, success="", hint="243 = 27 x 9 is what 27 full runs cost. Successive "
                      "halving trains all 27 for 1 epoch, then only the best 9 for 3, "
                      "then the best 3 for 9.")
    if close(total_epochs, 39):
        return report(False, success="", hint="39 = 27 + 9 + 3 counts trials, not epochs: multiply "
                      "each rung's number of configs by its budget.")
    if close(total_epochs, 108):
        return report(False, success="", hint="you added a fourth rung (1 config for 27 epochs); "
                      "the maximum budget here is 9 epochs.")
    return report(close(total_epochs, 81, rtol=0, atol=0.5),
                  success="81 epochs: 27 x 1 + 9 x 3 + 3 x 9, a third of 27 full runs.",
                  hint="sum configs x epochs over the rungs: 27 at 1, 9 at 3, 3 at 9.")


@check(NUMBER, missing="a number")
def check_3(ei):
    """Expected improvement (minimisation) at mu = 0.30, sigma = 0.05, best = 0.25."""
    expected = float(expected_improvement(0.30, 0.05, 0.25))
    flipped = float(expected_improvement(0.25, 0.05, 0.30))  # mu - best instead of best - mu
    value = ei
    if value < 0:
        return report(False, success="", hint="EI can never be negative: you have (best - mu) "
                      "Phi(z) but not the + sigma phi(z) term that the spread contributes.")
    if close(value, 0.0, atol=1e-6):
        return report(False, success="", hint="max(best - mu, 0) is 0, but f is uncertain "
                      "(sigma = 0.05), so there is still a chance to improve: use the formula.")
    if close(value, flipped, rtol=0.02):
        return report(False, success="", hint="you used mu - best: when minimising, the "
                      "improvement is best - mu (here -0.05), so z = -1.")
    return report(close(value, expected, rtol=0.02),
                  success=f"EI = {expected:.3g}: the mean is worse than the best, yet the spread "
                  "still buys a small expected gain.",
                  hint=f"z = (best - mu) / sigma = -1; EI = (best - mu) Phi(z) + sigma phi(z) "
                  f"(got {value:.3g}).")


#: exercise 4: validation errors of the baseline and of a candidate change on the same 5 seeds
BASELINE_ERRORS = (0.125, 0.120, 0.163, 0.110, 0.110)
CANDIDATE_ERRORS = (0.140, 0.087, 0.143, 0.087, 0.100)


@check(pair(NUMBER, "a pair of numbers (gain, standard_error), e.g. (0.01, 0.005)"),
       missing="a pair (gain, standard_error)")
def check_4(answer):
    """(gain, standard error) of the candidate over the baseline from paired differences."""
    gain, se = answer
    base, cand = np.array(BASELINE_ERRORS), np.array(CANDIDATE_ERRORS)
    d = base - cand                                   # > 0 where the candidate is better
    n = len(d)
    expected = (d.mean(), d.std(ddof=1) / np.sqrt(n))
    if close(gain, -expected[0], rtol=0.02):
        return report(False, success="", hint="the sign is flipped: the gain is baseline minus "
                      "candidate (errors: lower is better), which is positive here.")
    if not close(gain, expected[0], rtol=0.02):
        return report(False, success="", hint=f"the gain is the mean over seeds of baseline "
                      f"minus candidate error (got {gain:.3g}).")
    unpaired = np.sqrt(base.var(ddof=1) / n + cand.var(ddof=1) / n)
    if close(se, unpaired, rtol=0.02):
        return report(False, success="", hint="that standard error ignores the pairing: both "
                      "were trained on the same seeds, so take the differences seed by seed "
                      "first, then their std / sqrt(5).")
    if close(se, d.std() / np.sqrt(n), rtol=0.02):
        return report(False, success="", hint="use the sample standard deviation of the "
                      "differences (ddof=1), then divide by sqrt(5).")
    if close(se, d.std(ddof=1), rtol=0.02):
        return report(False, success="", hint="that is the std of the differences; the "
                      "standard error of their mean divides it by sqrt(5).")
    ok = close(se, expected[1], rtol=0.02)
    verdict = "below" if expected[0] < 2 * expected[1] else "above"
    return report(ok, success=f"gain {expected[0]:.3g} ± {expected[1]:.2g}: {verdict} twice its "
                  "standard error, so by the rule of 2.9 the change is not adopted yet.",
                  hint=f"standard error = std(differences, ddof=1) / sqrt(5) (got {se:.3g}).")
