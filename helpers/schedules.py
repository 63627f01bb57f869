"""Learning-rate schedules as pure functions (introduced in notebook 07).

Each takes the step t (0, 1, 2, ... ; an int or a numpy array of them, so a schedule can be
plotted without training) and returns a multiplier of the base learning rate:
    lr_t = base_lr * schedule(t)
`fit(..., lr_schedule=f)` calls f once per update with t = number of updates done so far.
Knobs are keyword arguments; bind them with functools.partial or a lambda:
    lr_schedule=partial(cosine_decay, total_steps=1000, floor=0.1)
"""

import numpy as np

from .validation import check_int, check_number, check_positive, check_probability


def _t(t):
    t = np.asarray(t, dtype=np.float64)
    if np.any(t < 0):
        raise ValueError("t (the step) must be >= 0")
    return t


def _out(value, t):
    return float(value) if np.ndim(t) == 0 else value


def constant(t):
    """1: no decay."""
    t = _t(t)
    return _out(np.ones_like(t), t)


def step_decay(t, *, step_size, gamma=0.1):
    """gamma ** floor(t / step_size): drop by a factor gamma every step_size steps."""
    check_int("step_size", step_size, low=1)
    gamma = check_number("gamma", gamma, low=0, high=1, low_open=True)
    t = _t(t)
    return _out(gamma ** np.floor(t / step_size), t)


def exponential_decay(t, *, gamma):
    """gamma ** t: a constant fraction lost per step."""
    gamma = check_number("gamma", gamma, low=0, high=1, low_open=True)
    t = _t(t)
    return _out(gamma**t, t)


def inverse_time_decay(t, *, decay_rate):
    """1 / (1 + decay_rate t): the classic Robbins-Monro-style decay."""
    decay_rate = check_number("decay_rate", decay_rate, low=0)
    t = _t(t)
    return _out(1.0 / (1.0 + decay_rate * t), t)


def cosine_decay(t, *, total_steps, floor=0.0):
    """floor + (1 - floor) (1 + cos(pi t / total_steps)) / 2, then floor after total_steps.

    floor is the final multiplier (GPT-3 decays to 0.1 of the peak).
    """
    check_int("total_steps", total_steps, low=1)
    floor = check_probability("floor", floor, allow_one=True)
    t = _t(t)
    progress = np.minimum(t / total_steps, 1.0)
    return _out(floor + (1 - floor) * 0.5 * (1 + np.cos(np.pi * progress)), t)


def warmup(t, *, warmup_steps, after=constant):
    """Linear warmup, (t + 1) / warmup_steps for t < warmup_steps, then after(t - warmup_steps).

    `after` is any other schedule, e.g. partial(cosine_decay, total_steps=...).
    """
    check_int("warmup_steps", warmup_steps, low=0)
    if not callable(after):
        raise ValueError(f"after must be a schedule (a function of the step t), got {after!r}")
    t = _t(t)
    ramp = np.minimum((t + 1) / max(warmup_steps, 1), 1.0)
    rest = np.asarray(after(np.maximum(t - warmup_steps, 0)), dtype=np.float64)
    return _out(np.where(t < warmup_steps, ramp, rest), t)


def one_cycle(t, *, total_steps, pct_start=0.3, div_factor=25.0, final_div_factor=1e4):
    """Smith's one-cycle (torch's OneCycleLR, cosine annealing), as a multiplier of max_lr:

    from 1/div_factor up to 1 over pct_start of the steps, then down to
    1/(div_factor * final_div_factor) by a cosine.
    As in torch, the peak is at step pct_start * total_steps - 1. If that is 0 (torch divides
    by zero there), the warm-up is over at t = 0 and the schedule starts at the peak; below 0,
    there is no warm-up step and it starts on the way down.
    """
    check_int("total_steps", total_steps, low=2)
    pct_start = check_number("pct_start", pct_start, low=0, high=1, low_open=True, high_open=True)
    div_factor = check_positive("div_factor", div_factor)
    final_div_factor = check_positive("final_div_factor", final_div_factor)
    t = _t(t)
    start, peak, end = 1.0 / div_factor, 1.0, 1.0 / (div_factor * final_div_factor)
    up_steps = float(pct_start * total_steps) - 1
    down_steps = float(total_steps - 1) - up_steps

    def cos_anneal(a, b, frac):
        return b + (a - b) * 0.5 * (1 + np.cos(np.pi * np.clip(frac, 0, 1)))

    up = cos_anneal(start, peak, t / up_steps) if up_steps > 0 else np.full_like(t, peak)
    down = cos_anneal(peak, end, (t - up_steps) / down_steps)
    return _out(np.where(t <= up_steps, up, down), t)
