"""Plots of a search (notebook 12): trials over two hyperparameters, best-so-far curves,
and the plots that read a finished search - axis (slice) plots with diverged trials marked,
the Playbook's isolation plot, parallel coordinates."""

import numpy as np

from ..validation import check_choice

INFEASIBLE = dict(marker="x", color="#D55E00", s=30, linewidths=1.5)  # the Playbook's red X


def _axes(ax):
    import matplotlib.pyplot as plt

    return plt.gca() if ax is None else ax


def _scale_axis(ax, d, which="x"):
    """Log or linear axis with a little room around the Dim's range (plain tick labels)."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    axis = ax.xaxis if which == "x" else ax.yaxis
    (ax.set_xscale if which == "x" else ax.set_yscale)("log" if d.log else "linear")
    if d.log and d.high / d.low < 1000:  # few decades: label 1, 2, 5 x 10^k, not every minor tick
        axis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        axis.set_minor_formatter(NullFormatter())
    pad = (d.high / d.low) ** 0.03 if d.log else 0.03 * (d.high - d.low)
    lim = (d.low / pad, d.high * pad) if d.log else (d.low - pad, d.high + pad)
    (ax.set_xlim if which == "x" else ax.set_ylim)(lim)


def plot_trials(study, x, y, *, ax=None, vmax=None, title=None):
    """Trials over two hyperparameters (log axes for log dims), coloured by value; failed
    trials as grey crosses, the best as a star. Marker size grows with the trial's budget."""
    ax = _axes(ax)
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
    _scale_axis(ax, study.space.dims[x], "x")
    _scale_axis(ax, study.space.dims[y], "y")
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    if title:
        ax.set_title(title, fontsize=10)
    return sc


def plot_best_so_far(study, *, ax=None, by="trials", label=None, **kw):
    """The running best value against trials (1, 2, ...) or cumulative budget ("budget")."""
    check_choice("by", by, ("trials", "budget"))
    ax = _axes(ax)
    xs = np.arange(1, len(study) + 1) if by == "trials" else study.cost()
    ax.step(xs, study.best_so_far(), where="post", label=label, **kw)
    ax.set_xlabel("trials" if by == "trials" else "total budget (epochs)")
    ax.set_ylabel("best value so far")
    return ax


def best_curve(study, budget_axis):
    """The best value so far as a step function of the budget spent (NaN before the first
    trial ends), sampled at budget_axis: for comparing methods at equal cost."""
    idx = np.searchsorted(study.cost(), budget_axis, side="right") - 1
    best = study.best_so_far()
    return np.where(idx >= 0, best[np.maximum(idx, 0)], np.nan)


def plot_comparison(studies, total_budget, *, axes, colors, band="random", ymax=0.9):
    """Left: the median over seeds of the best value so far against epochs spent (with the
    best-to-worst band of one method as a yardstick); right: each seed's final best value.
    studies: {method name: [Study per seed]}. Returns {name: final best values (per seed)}."""
    ax, ax2 = axes
    budget_axis = np.arange(1, int(total_budget) + 1)
    final = {}
    for name, runs in studies.items():
        curves = np.array([best_curve(st, budget_axis) for st in runs])
        ax.plot(budget_axis, np.median(curves, axis=0), color=colors[name], label=name)
        if name == band:  # one band, as a yardstick of seed-to-seed spread
            ax.fill_between(budget_axis, np.min(curves, axis=0), np.max(curves, axis=0),
                            color=colors[name], alpha=0.15, label=f"{name}: best to worst seed")
        final[name] = np.array([st.best.value for st in runs])
    n_seeds = len(next(iter(studies.values())))
    ax.set(xlabel="epochs spent", ylim=(0, ymax),
           ylabel=f"best validation error so far (median of {n_seeds} seeds)")
    ax.legend(fontsize=7)
    order = sorted(final, key=lambda n: final[n].mean())
    for row, name in enumerate(order):
        ax2.scatter(final[name], np.full(len(final[name]), row), color=colors[name], s=25,
                    alpha=0.8)
        ax2.plot([final[name].mean()] * 2, [row - 0.3, row + 0.3], color="k", lw=2)
    ax2.set(yticks=range(len(order)), yticklabels=order, title="each dot one seed; bar = mean",
            xlabel=f"best validation error at {total_budget:g} epochs")
    ax2.invert_yaxis()
    return final


def plot_slice(study, name, *, ax=None, ymax=1.0, label=None, color="#0072B2"):
    """An axis plot (Optuna calls it a slice plot): each trial's value against one
    hyperparameter, whatever the others were. Infeasible (NaN: diverged, or failed as the
    objective defines it) trials are crosses at the top, so where training fails is seen."""
    ax = _axes(ax)
    xs = np.array([t.config[name] for t in study.trials], dtype=float)
    v = study.values
    ok = ~np.isnan(v)
    ax.scatter(xs[ok], v[ok], s=16, color=color, alpha=0.8, label=label)
    if (~ok).any():
        ax.scatter(xs[~ok], np.full((~ok).sum(), 0.97 * ymax), label="infeasible (NaN)",
                   **INFEASIBLE)
    _scale_axis(ax, study.space.dims[name])
    ax.set_ylim(0, ymax)
    ax.set_xlabel(name)
    return ax


def plot_isolation(best_by_value, scientific, *, ax=None, spread=None, label=None,
                   color="#0072B2"):
    """The Playbook's isolation plot: for each value of the scientific hyperparameter, the
    best result after optimising the nuisance ones away. best_by_value: {value: Trial};
    spread: optional {value: array of errors over seeds}, drawn as mean +- std."""
    ax = _axes(ax)
    values = list(best_by_value)
    pos = np.arange(len(values))
    best = [np.nan if t is None else t.value for t in best_by_value.values()]
    ax.plot(pos, best, "o-", color=color, label=label)
    if spread is not None:
        m = np.array([np.mean(spread[v]) for v in values])
        sd = np.array([np.std(spread[v]) for v in values])
        ax.errorbar(pos + 0.08, m, yerr=sd, fmt="s", color="0.3", capsize=3, ms=4,
                    label="new seeds: mean ± std")
    ax.set_xticks(pos, [f"{v:g}" for v in values])
    ax.set_xlabel(f"{scientific} (scientific)")
    ax.set_ylabel("best validation error")
    return ax


def parallel_coordinates(study, names=None, *, ax=None, vmax=None, top=None):
    """One line per trial through one vertical axis per hyperparameter (position in its range,
    log where the Dim is log) and a last axis for the value; colour = value. top: draw only
    the best `top` fraction in colour, the rest in light grey. Infeasible trials are dashed.
    The lines are three LineCollections (grey, infeasible, coloured): one artist each, fast."""
    from matplotlib.cm import ScalarMappable
    from matplotlib.collections import LineCollection
    from matplotlib.colors import Normalize

    ax = _axes(ax)
    names = list(study.space.names if names is None else names)
    for n in names:
        if n not in study.space.dims:
            raise ValueError(f"names: {n!r} is not a hyperparameter of this study; "
                             f"choose from {study.space.names}")
    if not names:
        raise ValueError("names must list at least one hyperparameter")
    v = study.values
    finite = v[~np.isnan(v)]
    vmax = (finite.max() if len(finite) else 1.0) if vmax is None else vmax
    cmap = ScalarMappable(norm=Normalize(0.0, vmax), cmap="viridis_r")
    cut = np.inf if top is None or not len(finite) else np.quantile(finite, top)
    cols = [study.space.names.index(n) for n in names]
    x = np.arange(len(names) + 1)
    ys = np.column_stack([study.units[:, cols] if len(study) else np.zeros((0, len(cols))),
                          np.where(np.isnan(v), 1.0, np.minimum(v / vmax, 1.0))])
    failed = np.isnan(v)
    shown = ~failed & (v <= cut)
    order = np.argsort(-np.where(shown, v, -np.inf))[:shown.sum()]  # best drawn last, on top

    def lines(rows):
        return [np.column_stack([x, y]) for y in ys[rows]]

    ax.add_collection(LineCollection(lines(~failed & ~shown), colors="0.85", linewidths=0.8))
    ax.add_collection(LineCollection(lines(failed), colors="#D55E00", linewidths=0.8,
                                     linestyles="--", alpha=0.6))
    ax.add_collection(LineCollection(lines(order), colors=cmap.to_rgba(v[order]),
                                     linewidths=1.2))
    ax.set_xlim(-0.1, len(names) + 0.1)
    labels = []
    for n in names:
        d = study.space.dims[n]
        labels.append(f"{n}\n{d.low:g}–{d.high:g}" + (" (log)" if d.log else ""))
    ax.set_xticks(range(len(names) + 1), [*labels, f"value\n0–{vmax:.2g}"])
    for k in range(len(names) + 1):
        ax.axvline(k, color="k", lw=0.6)
    ax.set_ylim(-0.03, 1.03)
    ax.set_yticks([])
    return cmap
