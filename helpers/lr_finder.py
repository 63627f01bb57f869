"""The learning-rate range test, introduced in notebook 07.

The idea is Smith's (2017, §3.3): train while the rate grows, and read where it starts to help
and where it stops. Smith raises it *linearly* over a few epochs and reads the *accuracy*.
This module follows fastai's lr_find instead (fastai/callback/schedule.py, LRFinder): a few
hundred updates with the rate growing *geometrically* from lr_min to lr_max,
    lr_t = lr_min * (lr_max / lr_min) ** (t / (steps - 1)),
the *loss* recorded as a bias-corrected moving average, a stop once it exceeds 4 times its
best value, and the suggestion "minimum / 10" (fastai's `minimum`; its default suggestion is
now `valley`). fastai smooths with beta = 0.98 over 100 updates from 1e-7 to 10; our beta
of 0.9 suits the shorter runs here. The model's weights are restored afterwards, so the test
leaves it as it found it.
"""

import math
from dataclasses import dataclass

import numpy as np

from .optimizers import SGD
from .regularization import _state
from .training import train_step
from .validation import check_int, check_number, check_positive, check_rng


@dataclass
class RangeTestResult:
    """What `lr_range_test` measured.

    lrs, losses: the rate and the raw batch loss of each update done (the run stops early when
    the loss explodes).  smoothed: the bias-corrected moving average of losses (what to plot).
    lr_at_min: the rate where the smoothed loss is lowest.  suggestion: lr_at_min / 10, fastai's
    `minimum` pick (a rate still on the falling part of the curve).  stopped_early: the loss
    exploded before lr_max.
    """

    lrs: np.ndarray
    losses: np.ndarray
    smoothed: np.ndarray
    lr_at_min: float
    suggestion: float
    stopped_early: bool = False


def lr_range_test(model, loss, X, y, *, optimizer=SGD, lr_min=1e-5, lr_max=10.0, steps=100,
                  batch_size=32, beta=0.9, stop_factor=4.0, seed=0):
    """Run the range test on `model` and return a RangeTestResult; the weights are restored.

    optimizer: a class or function called as optimizer(params, lr=...), e.g. SGD or
      functools.partial(SGD, momentum=0.9).  steps: updates (mini-batches, cycling through
      reshuffled epochs).  beta: smoothing of the recorded loss.  stop_factor: stop once the
      smoothed loss exceeds stop_factor times its best value (or is not finite).
    """
    lr_min = check_positive("lr_min", lr_min)
    lr_max = check_number("lr_max", lr_max, low=lr_min, low_open=True)
    steps = check_int("steps", steps, low=2)
    batch_size = check_int("batch_size", batch_size, low=1)
    beta = check_number("beta", beta, low=0, high=1, high_open=True)
    stop_factor = check_number("stop_factor", stop_factor, low=1, low_open=True)
    if not callable(optimizer):
        raise ValueError("optimizer must be a class or function called as optimizer(params, lr=)")
    X, y = np.asarray(X), np.asarray(y)
    params = model.parameters()
    if np.issubdtype(X.dtype, np.floating) and params:
        X = X.astype(params[0].data.dtype, copy=False)
    saved = [a.copy() for a in _state(model)]  # weights and BatchNorm's running statistics
    opt = optimizer(params, lr=lr_min)
    rng = check_rng(seed)
    lrs = lr_min * (lr_max / lr_min) ** (np.arange(steps) / (steps - 1))
    done_lrs, losses, smoothed = [], [], []
    best, avg, stopped = math.inf, 0.0, False
    order, pos = rng.permutation(len(X)), 0
    try:
        with np.errstate(over="ignore", invalid="ignore"):
            for t, lr in enumerate(lrs):
                if pos >= len(X):
                    order, pos = rng.permutation(len(X)), 0
                idx = order[pos:pos + batch_size]
                pos += batch_size
                opt.lr = float(lr)
                value, _ = train_step(model, loss, opt, X[idx], y[idx], params=params)
                if not math.isfinite(value):
                    stopped = True
                    break
                done_lrs.append(float(lr))
                losses.append(value)
                # bias-corrected exponential moving average (as Adam's first moment)
                avg = beta * avg + (1 - beta) * value
                smooth = avg / (1 - beta ** (t + 1))
                smoothed.append(smooth)
                best = min(best, smooth)
                if smooth > stop_factor * best:
                    stopped = True
                    break
    finally:
        for a, kept in zip(_state(model), saved):
            a[...] = kept
        for p in params:
            p.zero_grad()
    if len(losses) < 3:
        raise ValueError(f"the loss exploded after {len(losses)} updates: lower lr_min "
                         f"(now {lr_min:g})")
    lrs_done, losses, smoothed = np.array(done_lrs), np.array(losses), np.array(smoothed)
    i_min = int(np.argmin(smoothed))
    lr_at_min = float(lrs_done[i_min])
    return RangeTestResult(lrs=lrs_done, losses=losses, smoothed=smoothed, lr_at_min=lr_at_min,
                           suggestion=lr_at_min / 10,
                           stopped_early=stopped)


def plot_range_test(result, *, ax=None, mark=True):
    """Smoothed loss against lr (log axis), with the minimum and the suggestion marked."""
    import matplotlib.pyplot as plt

    ax = plt.gca() if ax is None else ax
    ax.plot(result.lrs, result.losses, alpha=0.25, label="batch loss")
    ax.plot(result.lrs, result.smoothed, label="smoothed loss")
    if mark:
        ax.axvline(result.lr_at_min, color="#D55E00", linestyle=":",
                   label=f"minimum, lr = {result.lr_at_min:.3g}")
        ax.axvline(result.suggestion, color="#009E73", linestyle="--",
                   label=f"suggestion (min / 10) = {result.suggestion:.3g}")
    ax.set_xscale("log")
    ax.set_xlabel("learning rate")
    ax.set_ylabel("training loss")
    ax.legend()
    return ax
