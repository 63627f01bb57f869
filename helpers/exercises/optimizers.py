"""Exercise checks for notebook 06 (optimizers)."""

import numpy as np

from ..optimizers import Adam
from ..params import Param
from . import FUNCTION, NUMBER, WrongType, as_array, check, close, describe, report


@check(NUMBER, missing="a number")
def check_1(answer):
    """|first step| of Adam (lr=0.01, default betas, eps=1e-8) for a gradient g = 0.003."""
    lr, g, b1, b2, eps = 0.01, 0.003, 0.9, 0.999, 1e-8
    expected = lr * g / (abs(g) + eps)  # m_hat = g, v_hat = g^2 after bias correction
    if close(answer, expected, rtol=1e-3):
        return report(True, success=f"{expected:.4g}: after bias correction Adam's first step "
                      "is lr * sign(g), whatever the size of g.", hint="")
    no_bc = lr * (1 - b1) * g / (np.sqrt((1 - b2) * g * g) + eps)
    if close(answer, no_bc, rtol=1e-2):
        hint = ("that is the step without bias correction (m = 0.1 g, v = 0.001 g^2); divide m "
                "by 1 - beta1^1 and v by 1 - beta2^1 first.")
    elif close(answer, lr * g, rtol=1e-2):
        hint = "lr * g is plain SGD's step; Adam divides by sqrt(v_hat) = |g|."
    elif close(answer, -expected, rtol=1e-3):
        hint = "give the size of the step (a positive number)."
    else:
        hint = ("at t = 1: m = (1 - beta1) g, v = (1 - beta2) g^2; m_hat = m / (1 - beta1), "
                "v_hat = v / (1 - beta2); step = lr m_hat / (sqrt(v_hat) + eps).")
    return report(False, success="", hint=hint)


@check(NUMBER, missing="a number")
def check_2(answer):
    """The steady step size of SGD with momentum 0.9, lr 0.01 under a constant gradient g = 2."""
    lr, mu, g = 0.01, 0.9, 2.0
    expected = lr * g / (1 - mu)
    if close(answer, expected, rtol=1e-2):
        return report(True, success=f"{expected:.3g}: the velocity settles at g / (1 - momentum), "
                      "so momentum 0.9 multiplies the effective lr by 10.", hint="")
    if close(answer, lr * g, rtol=1e-2):
        # lr * g is both the first step and the steady step of an average b = mu b + (1 - mu) g
        hint = ("that is lr * g: the first step only, or the steady state of an average "
                "b = momentum b + (1 - momentum) g. PyTorch's momentum is b = momentum b + g, "
                "not an average, so b keeps growing to g / (1 - momentum).")
    elif close(answer, lr * g * mu, rtol=1e-2) or close(answer, lr * g / mu, rtol=1e-2):
        hint = "solve b = momentum * b + g for the fixed point b, then step = lr * b."
    elif close(answer, lr / (1 - mu), rtol=1e-2):
        hint = "you forgot the gradient: the velocity settles at g / (1 - momentum), g = 2."
    else:
        hint = "at steady state b = momentum * b + g, so b = g / (1 - momentum); step = lr * b."
    return report(False, success="", hint=hint)


def _reference(grads, lr, b1, b2, eps, theta0):
    p = Param(np.array(theta0, np.float64))
    opt = Adam([p], lr=lr, beta1=b1, beta2=b2, eps=eps)
    out = []
    for g in grads:
        p.grad[...] = g
        opt.step()
        out.append(p.data.copy())
    return out


def _no_bias_correction(grads, lr, b1, b2, eps, theta0):
    theta, m, v = np.array(theta0, np.float64), 0.0, 0.0
    out = []
    for g in grads:
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        theta = theta - lr * m / (np.sqrt(v) + eps)
        out.append(theta.copy())
    return out


@check(FUNCTION.named("a function adam_step(theta, g, m, v, t, lr, beta1, beta2, eps)"),
       missing="your function")
def check_3(adam_step):
    """adam_step(theta, g, m, v, t, lr, beta1, beta2, eps) -> (theta, m, v), t from 1."""
    rng = np.random.default_rng(3)
    theta0 = rng.normal(size=3)
    grads = [rng.normal(size=3) * s for s in (1.0, 0.1, 2.0, 0.5, 1.0, 0.01)]
    lr, b1, b2, eps = 0.1, 0.9, 0.999, 1e-8
    ref = _reference(grads, lr, b1, b2, eps, theta0)
    theta, m, v = theta0.copy(), np.zeros(3), np.zeros(3)
    got = []
    for t, g in enumerate(grads, start=1):
        try:
            out = adam_step(theta, g, m, v, t, lr, b1, b2, eps)
        except Exception as exc:  # noqa: BLE001 - report the learner's error as a hint
            return report(False, success="", hint=f"your function raised {type(exc).__name__}: "
                          f"{exc}. Signature: adam_step(theta, g, m, v, t, lr, beta1, beta2, "
                          "eps).")
        if not isinstance(out, (tuple, list)) or len(out) != 3:
            return report(False, success="", hint=f"your function returned {describe(out)}; it "
                          "must return the three arrays (theta, m, v).")
        theta, m, v = out
        try:
            theta_t = as_array(theta, finite=False)
        except WrongType as exc:
            return report(False, success="", hint=f"at t = {t} the theta you returned is {exc}.")
        if theta_t.shape != theta0.shape:
            return report(False, success="", hint=f"at t = {t} the theta you returned has shape "
                          f"{theta_t.shape}; it must keep theta's shape {theta0.shape}.")
        got.append(theta_t)
    if all(np.allclose(a, b, rtol=1e-6, atol=1e-9) for a, b in zip(got, ref)):
        return report(True, success="matches hp.Adam step for step.", hint="")
    if all(np.allclose(a, b, rtol=1e-6, atol=1e-9)
           for a, b in zip(got, _no_bias_correction(grads, lr, b1, b2, eps, theta0))):
        hint = "no bias correction: use m / (1 - beta1**t) and v / (1 - beta2**t) in the step."
    elif np.allclose(got[0], ref[0], rtol=1e-6, atol=1e-9):
        hint = ("the first step is right but later ones are not: return the updated m and v, "
                "and keep t counting from 1.")
    elif np.allclose(got[0], theta0 + (theta0 - ref[0]), rtol=1e-6, atol=1e-9):
        hint = "your step goes uphill: theta - lr * m_hat / (sqrt(v_hat) + eps)."
    else:
        hint = ("step 1 already differs: m = beta1 m + (1 - beta1) g; v = beta2 v + (1 - beta2) "
                "g^2; theta -= lr m_hat / (sqrt(v_hat) + eps), eps outside the sqrt.")
    return report(False, success="", hint=hint)
