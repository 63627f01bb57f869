"""Plots of a search (notebook 12): trials over two hyperparameters, best-so-far curves."""

import numpy as np

from ..validation import check_choice

def plot_trials(study, x, y, *, ax=None, vmax=None, title=None):
    """Trials over two hyperparameters (log axes for log dims), coloured by value; failed
    trials as grey crosses, the best as a star. Marker size grows with the trial's budget."""
    import matplotlib.pyplot as plt

    ax = plt.gca() if ax is None else ax
    xs = np.array([t.config[x] for t in study.trials], dtype=float)
    ys = np.array([t.config[y] for t in study.trials], dtype=float)
    v, b = study.values, study.budgets
    ok = ~np.isnan(v)
    size = 12 + 40 * b / b.max() if len(b) else 12
    sc = ax.scatter(xs[ok], ys[ok], c=v[ok], s=size[ok] if len(b) else 12, cmap="viridis_r",
                    vmin=0, vmax=vmax, edgecolors="k", linewidths=0.3)
    ax.scatter(xs[~ok], ys[~ok], marker="x", color="0.5", s=20, label="failed (NaN)")
    if study.best is not None:
        ax.scatter([study.best.config[x]], [study.best.config[y]], marker="*", s=160,
                   color="#D55E00", edgecolors="k", linewidths=0.5, label="best")
    for name, set_scale, set_lim in ((x, ax.set_xscale, ax.set_xlim),
                                     (y, ax.set_yscale, ax.set_ylim)):
        d = study.space.dims[name]
        set_scale("log" if d.log else "linear")
        pad = (d.high / d.low) ** 0.03 if d.log else 0.03 * (d.high - d.low)
        set_lim((d.low / pad, d.high * pad) if d.log else (d.low - pad, d.high + pad))
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    if title:
        ax.set_title(title, fontsize=10)
    return sc


def plot_best_so_far(study, *, ax=None, by="trials", label=None, **kw):
    """The running best value against trials (1, 2, ...) or cumulative budget ("budget")."""
    import matplotlib.pyplot as plt

    check_choice("by", by, ("trials", "budget"))
    ax = plt.gca() if ax is None else ax
    xs = np.arange(1, len(study) + 1) if by == "trials" else study.cost()
    ax.step(xs, study.best_so_far(), where="post", label=label, **kw)
    ax.set_xlabel("trials" if by == "trials" else "total budget (epochs)")
    ax.set_ylabel("best value so far")
    return ax


