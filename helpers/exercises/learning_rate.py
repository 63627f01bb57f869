"""Checks for notebook 07 · Learning rate."""

import math
from functools import partial

import numpy as np

from ..schedules import cosine_decay, step_decay, warmup
from . import FUNCTION, NUMBER, WrongType, check, close, report

#: exercise 1: the Hessian of the quadratic L(w) = 1/2 w^T A w
A1 = np.array([[3.0, 1.0], [1.0, 3.0]])
#: exercise 2: base lr, warmup steps, cosine steps after warmup, the step asked about
BASE_LR2, WARMUP2, COSINE2, T2 = 0.1, 100, 900, 400


@check(NUMBER, missing="a number: the largest stable learning rate")
def check_1(answer):
    """The largest stable learning rate of gradient descent on 1/2 w^T A1 w: 2 / lambda_max."""
    lam = np.linalg.eigvalsh(A1)
    expected = 2 / lam.max()
    if close(answer, expected, rtol=1e-3):
        return report(True, success=f"2 / lambda_max = 2 / {lam.max():.3g} = {expected:.3g}.",
                      hint="")
    if close(answer, 2 / lam.min(), rtol=1e-3):
        hint = ("you used the smallest eigenvalue; the steepest direction (largest "
                "eigenvalue) is the one that blows up first.")
    elif close(answer, 1 / lam.max(), rtol=1e-3):
        hint = ("1 / lambda_max is the rate that lands exactly on the minimum along the steepest "
                "direction; stability holds up to |1 - lr lambda| < 1, i.e. twice that.")
    elif close(answer, 2 / A1[0, 0], rtol=1e-3) or close(answer, 2 / np.trace(A1), rtol=1e-3):
        hint = ("use the eigenvalues of A (np.linalg.eigvalsh), not its diagonal entries or trace: "
                "the off-diagonal 1 couples the coordinates.")
    else:
        hint = "compute lam = np.linalg.eigvalsh(A) and take 2 / lam.max()."
    return report(False, success="", hint=hint)


@check(NUMBER, missing="a number: the learning rate at that step")
def check_2(answer):
    """The learning rate at step T2 of linear warmup then cosine decay to 0."""
    expected = BASE_LR2 * float(warmup(T2, warmup_steps=WARMUP2,
                                       after=partial(cosine_decay, total_steps=COSINE2)))
    if close(answer, expected, rtol=1e-3):
        return report(True, success=f"lr = {expected:.3g}: the cosine is {T2 - WARMUP2} steps into "
                      f"its {COSINE2}.", hint="")
    no_offset = BASE_LR2 * 0.5 * (1 + math.cos(math.pi * T2 / COSINE2))
    whole = BASE_LR2 * 0.5 * (1 + math.cos(math.pi * (T2 - WARMUP2) / (COSINE2 + WARMUP2)))
    if close(answer, no_offset, rtol=1e-3):
        hint = ("the cosine starts after the warmup: use t - warmup_steps = "
                f"{T2 - WARMUP2} in it, not t = {T2}.")
    elif close(answer, expected / BASE_LR2, rtol=1e-3):
        hint = "that is the multiplier; multiply by the base learning rate 0.1."
    elif close(answer, whole, rtol=1e-3):
        hint = f"the cosine lasts {COSINE2} steps after the warmup, not {COSINE2 + WARMUP2}."
    else:
        hint = ("after warmup, lr = base * (1 + cos(pi * s / 900)) / 2 with s = t - 100; or "
                "evaluate hp.warmup with after=partial(hp.cosine_decay, total_steps=900).")
    return report(False, success="", hint=hint)


@check(FUNCTION.named("a function of t, e.g. def my_schedule(t): ..., then answer_3 = my_schedule"),
       missing="a function my_schedule(t) returning the multiplier")
def check_3(schedule):
    """A step-decay schedule that halves the rate every 100 steps: a function of t."""
    ts = range(0, 1000)
    got = []
    for t in ts:
        try:
            value = schedule(t)
        except Exception as exc:  # noqa: BLE001 - any error in the learner's function is a hint
            return report(False, success="", hint=f"calling it with t = {t} raised "
                          f"{type(exc).__name__}: {exc}")
        try:
            got.append(NUMBER.convert(value))
        except WrongType as exc:
            return report(False, success="", hint=f"at t = {t} it returned {exc}; it must "
                          "return the multiplier, a number.")
    got = np.array(got)
    expected = np.array([step_decay(t, step_size=100, gamma=0.5) for t in ts])
    if np.allclose(got, expected, rtol=1e-6):
        return report(True, success="a multiplier of 1 for t < 100, 0.5 from t = 100, 0.25 from "
                      "t = 200, ...", hint="")
    if np.allclose(got, 0.5 ** (np.arange(1000) / 100), rtol=1e-6):
        hint = ("that decays smoothly (exponential decay); step decay is piecewise constant: "
                "use t // 100 in the exponent.")
    elif got[0] != 0 and not np.isclose(got[0], 1.0) \
            and np.allclose(got, expected * got[0], rtol=1e-6):
        hint = ("return the multiplier (1 at t = 0), not a learning rate: fit multiplies it by "
                "the optimizer's lr for you.")
    elif np.allclose(got[1:], expected[:-1], rtol=1e-6):
        hint = "off by one step: the first drop happens at t = 100 (t counts from 0)."
    elif np.allclose(got, 0.1 ** (np.arange(1000) // 100), rtol=1e-6):
        hint = "halve (gamma = 0.5), not divide by 10."
    else:
        hint = "the multiplier is 0.5 ** (t // 100): 1 until t = 99, 0.5 from t = 100."
    return report(False, success="", hint=hint)
