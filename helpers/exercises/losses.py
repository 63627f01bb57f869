"""Exercise checks for notebook 05 (loss functions)."""

import numpy as np

from ..losses import HuberLoss
from . import DICT, FUNCTION, NUMBER, WrongType, as_array, check, close, report

HUBER_RESIDUALS = np.array([0.5, -2.0, 4.0])
HUBER_DELTA = 1.0


def _huber_mean(d, delta):
    return HuberLoss(delta=delta).forward(d, np.zeros_like(d))


@check(NUMBER, missing="a number")
def check_1(answer):
    """The mean Huber loss (delta = 1) of the residuals 0.5, -2, 4."""
    d = HUBER_RESIDUALS
    expected = _huber_mean(d, HUBER_DELTA)
    if close(answer, expected, rtol=1e-3):
        return report(True, success=f"Huber = {expected:.4g}: 0.125 inside delta, then "
                      "1.5 and 3.5 on the linear arms.", hint="")
    if close(answer, float(np.mean(d**2)), rtol=1e-3) or close(answer, float(np.mean(d**2 / 2)),
                                                                rtol=1e-3):
        hint = ("that is the squared loss for every residual; beyond |d| > delta Huber is "
                "linear: delta * (|d| - delta/2).")
    elif close(answer, float(np.mean(np.abs(d))), rtol=1e-3):
        hint = "that is MAE; inside |d| <= delta Huber is quadratic: d^2 / 2."
    elif close(answer, float(np.mean(np.where(np.abs(d) <= 1, 0.5 * d**2, np.abs(d)))), rtol=1e-3):
        hint = "on the linear arms subtract delta/2: delta * (|d| - delta/2), so the pieces join."
    elif close(answer, expected * len(d), rtol=1e-3):
        hint = "you summed; the loss is the mean over the 3 residuals (reduction='mean')."
    else:
        hint = ("compute each residual's loss: d^2/2 if |d| <= 1, else |d| - 1/2; "
                "then take the mean.")
    return report(False, success="", hint=hint)


@check(FUNCTION.named("a function logsumexp(z)"), missing="your function")
def check_2(logsumexp):
    """A stable logsumexp(z) over the last axis of a 1-D or 2-D array."""
    cases = [np.array([1.0, 2.0, 3.0]), np.array([1000.0, 1000.0]), np.array([-1000.0, -1001.0]),
             np.array([[0.0, 0.0], [800.0, -5.0]])]
    for z in cases:
        zmax = z.max(axis=-1, keepdims=True)
        ref = (zmax + np.log(np.exp(z - zmax).sum(axis=-1, keepdims=True)))[..., 0]
        try:
            with np.errstate(all="ignore"):
                got = logsumexp(z.copy())
        except Exception as exc:  # noqa: BLE001 - report the learner's error as a hint
            return report(False, success="", hint=f"your function raised {type(exc).__name__}: "
                          f"{exc}. It must accept a 1-D or a 2-D array.")
        try:
            got = as_array(got, finite=False)
        except WrongType as exc:
            return report(False, success="", hint=f"for z of shape {z.shape} your function "
                          f"returned {exc}; it must return numbers.")
        if got.shape != ref.shape:
            return report(False, success="", hint=f"for input shape {z.shape} return shape "
                          f"{ref.shape}: reduce over the last axis only (axis=-1).")
        if not np.all(np.isfinite(got)):
            return report(False, success="", hint=f"got {got} for z = {z}: exp overflowed or "
                          "log(0) happened. Subtract the max before exp.")
        if np.allclose(got, ref - zmax[..., 0], rtol=1e-9, atol=1e-9) and np.any(zmax != 0):
            return report(False, success="", hint="you subtracted the max but did not add it "
                          "back: logsumexp(z) = m + log(sum(exp(z - m))).")
        if not np.allclose(got, ref, rtol=1e-9, atol=1e-9):
            return report(False, success="", hint=f"for z = {z} expected {ref}, got {got}.")
    return report(True, success="stable for logits of ±1000 and exact for small ones.", hint="")


#: the task -> loss answers of exercise 3
TASKS = {
    "house prices, with a few data-entry errors": "huber",
    "which of 10 digits is in an image": "cross_entropy",
    "is this e-mail spam": "bce",
    "which tags (any number of 20) fit a photo": "bce",
    "temperature tomorrow, clean sensor data": "mse",
}


@check(DICT, missing='a dict {task: loss name}')
def check_3(answer):
    """A dict task -> one of "mse", "mae", "huber", "bce", "cross_entropy"."""
    if set(answer) != set(TASKS):
        return report(False, success="", hint="copy the dict of tasks from the exercise and fill "
                      "in every value with a loss name.")
    for task, right in TASKS.items():
        got = str(answer[task]).lower().strip()
        if got == right or (task.startswith("house") and got == "mae"):
            continue
        if task.startswith("which tags"):
            hint = ("tags are not exclusive: a photo may have several, so each tag is its own "
                    "yes/no question: one sigmoid (bce) per tag, not a softmax.")
        elif task.startswith("which of 10"):
            hint = "exactly one of 10 classes: softmax + categorical cross-entropy."
        elif task.startswith("is this"):
            hint = "spam is one yes/no question: one logit and binary cross-entropy (bce)."
        elif task.startswith("house"):
            hint = "gross errors in the targets call for a robust loss (huber or mae), not mse."
        else:
            hint = ("clean Gaussian-like noise is exactly what MSE assumes (it is the maximum "
                    "likelihood loss for Gaussian noise).")
        return report(False, success="", hint=f"{task!r}: {hint}")
    return report(True, success="right loss for every task.", hint="")
