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


def cosine_restarts(t, *, cycle_steps, cycle_mult=1, floor=0.0):
    """SGDR (Loshchilov & Hutter 2017, eq. 5): cosine decay from 1 to floor over a cycle, then
    a warm restart at 1; each cycle is cycle_mult times longer than the one before.

    Cycle i (from 0) lasts cycle_steps * cycle_mult**i steps; inside it, with t_cur steps done,
    the multiplier is floor + (1 - floor) (1 + cos(pi t_cur / T_i)) / 2. The defaults are
    torch's CosineAnnealingWarmRestarts (T_mult=1, eta_min=0); Keras' CosineDecayRestarts
    defaults to t_mul=2.0 and also lowers each restart's peak by m_mul (1.0: not at all).
    """
    check_int("cycle_steps", cycle_steps, low=1)
    check_int("cycle_mult", cycle_mult, low=1)
    floor = check_probability("floor", floor, allow_one=True)
    t = _t(t)
    if cycle_mult == 1:
        i = np.floor(t / cycle_steps)
    else:  # cycle i starts at cycle_steps (m^i - 1) / (m - 1); the log can round either way
        i = np.floor(np.log1p(t * (cycle_mult - 1) / cycle_steps) / np.log(cycle_mult))

        def begin(k):
            return cycle_steps * (cycle_mult**k - 1) / (cycle_mult - 1)

        i = np.where(begin(i) > t, i - 1, np.where(begin(i + 1) <= t, i + 1, i))
    start = cycle_steps * (i if cycle_mult == 1 else (cycle_mult**i - 1) / (cycle_mult - 1))
    length = cycle_steps * cycle_mult**i
    progress = (t - start) / length
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
    """One-cycle (Smith & Topin 2017) with the shape and defaults of torch's OneCycleLR
    (anneal_strategy="cos"), as a multiplier of max_lr: from 1/div_factor up to 1 over
    pct_start of the steps, then down to 1/(div_factor * final_div_factor), both by a cosine.
    (Smith & Topin's cycle goes up and down linearly; fastai's fit_one_cycle uses
    pct_start=0.25, div=25, div_final=1e5.)
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
