"""Health monitors: a callback that records, per layer and every few updates, the numbers
that tell a healthy run from a sick one, and the plots to read them (introduced in
notebook 11).

    mon = HealthMonitor(X_train[:256], every=10)
    fit(model, loss, opt, X, y, epochs=5, callbacks=[mon])
    plot_health(mon)

What it records, and the rule of thumb each one is read with:
    update_ratio      log10(||dW|| / ||W||) per Linear layer: about -3 is healthy (cs231n);
                      -1 means each step rewrites a tenth of the weights, -5 that they barely move
    grad_norm         ||dL/dW|| per Linear layer and global_grad_norm (all parameters), both
                      before clipping: a first layer's norm far below the last's is vanishing
    act_mean, act_std the mean and standard deviation of each activation layer's output
    saturated         tanh: the fraction of outputs with |a| > 0.97; sigmoid: |2a - 1| > 0.97
                      (a < 0.015 or a > 0.985). In both the local slope is then below 6 % of
                      its largest value, so little gradient passes.
    dead              ReLU: the fraction of units that are 0 for every example of X
                      (no gradient reaches their weights through those examples)
"""

import math

import numpy as np

from .activations import ReLU, Sigmoid, Tanh
from .callbacks import Callback
from .diagnostics import _is_activation
from .layers import Linear, Sequential
from .plots import COLORS
from .sanity import check_eval_mode
from .training import _as_input
from .validation import check_choice, check_int

#: |tanh| (or |2 sigmoid - 1|) above this counts as saturated
SATURATION = 0.97
#: cs231n's healthy update-to-weight ratio, log10, and the band drawn around it (+- 1 decade)
UPDATE_RATIO_TARGET = -3.0
UPDATE_RATIO_BAND = (-4.0, -2.0)
KEYS = ("update_ratio", "grad_norm", "global_grad_norm", "act_mean", "act_std", "saturated",
        "dead")


class HealthMonitor(Callback):
    """Record the health of a Sequential network every `every` updates (a Callback for fit).

    X: a fixed batch the activations are measured on (a few hundred training examples).
    every: record at updates t = 0, every, 2 every, ... (t counts updates from 0, as
      lr_schedule's t does). Before update t, X goes through the network in evaluation mode
      (so monitoring changes nothing in training: no dropout draw, no BatchNorm statistics);
      after it, the gradients and the update of that step are measured.
    histogram_steps: updates at which every activation layer's outputs on X are kept whole
      (in .histograms[t]) for plot_histograms.
    After training: mon.steps (n_records,), mon[key] for key in KEYS, shape (n_records,
    n_layers) (global_grad_norm: (n_records,)), mon.linear_names, mon.activation_names.
    eval_changes: the index of the first layer whose evaluation-mode output on X differs
      between two passes, checked before training (a layer that ignores training=False, such
      as dropout left on at evaluation), else None. See sanity.check_eval_mode.
    """

    def __init__(self, X, *, every=10, histogram_steps=()):
        X = np.asarray(X)
        if X.ndim == 0 or len(X) == 0:
            raise ValueError("X must be a non-empty batch of inputs, such as X_train[:256]")
        self.X = X
        self.every = check_int("every", every, low=1)
        if isinstance(histogram_steps, (str, bytes)) or not hasattr(histogram_steps, "__iter__"):
            raise ValueError("histogram_steps must be a list of update numbers, such as (0, 100)")
        self.histogram_steps = {check_int("histogram_steps", s, low=0) for s in histogram_steps}
        self._clear()

    def _clear(self):
        self._steps, self._rows = [], {k: [] for k in KEYS}
        self.histograms = {}
        self._pending = None
        self.eval_changes = None

    # --- the callback
    def on_train_begin(self, logs=None):
        model = self.model
        if not isinstance(model, Sequential):
            raise ValueError("HealthMonitor needs a Sequential model (make_mlp builds one)")
        self._clear()
        self._linears = [layer for layer in model.layers if isinstance(layer, Linear)]
        self._acts = [layer for layer in model.layers if _is_activation(layer)]
        self._params = model.parameters()
        self.linear_names = [f"Linear {i}" for i in range(1, len(self._linears) + 1)]
        self.activation_names = [f"{type(a).__name__} {i}" for i, a in enumerate(self._acts, 1)]
        self._X = _as_input(model, self.X)
        self.eval_changes = check_eval_mode(model, self._X)

    def on_train_batch_begin(self, step, logs=None):
        record, keep = step % self.every == 0, step in self.histogram_steps
        if not (record or keep):
            return
        outs = self._activations()
        if keep:
            self.histograms[step] = [a.copy() for a in outs]
        if record:
            self._pending = (step, _activation_stats(self._acts, outs),
                             [layer.weight.data.copy() for layer in self._linears])

    def on_train_batch_end(self, step, logs=None):
        if self._pending is None or self._pending[0] != step:
            return
        _, stats, before = self._pending
        self._pending = None
        with np.errstate(all="ignore"):  # a run going bad gives inf and NaN: recorded as such
            norms = [math.sqrt(_sumsq(layer.weight.grad)) for layer in self._linears]
            total = math.sqrt(sum(_sumsq(p.grad) for p in self._params))
            # clipping scales every gradient by one factor: undo it with the norm before clipping
            scale = logs["grad_norm"] / total if logs and "grad_norm" in logs and total > 0 \
                else 1.0
            ratios = [_log10(math.sqrt(_sumsq(layer.weight.data - w0) / _sumsq(w0)))
                      for layer, w0 in zip(self._linears, before)]
        self._steps.append(step)
        for key, row in (("update_ratio", ratios), ("grad_norm", [g * scale for g in norms]),
                         ("global_grad_norm", total * scale), *stats.items()):
            self._rows[key].append(row)

    def _activations(self):
        """Every activation layer's output on X, in evaluation mode."""
        x, outs = self._X, []
        with np.errstate(all="ignore"):
            for layer in self.model.layers:
                x = layer.forward(x, training=False)
                if layer in self._acts:
                    outs.append(x)
        return outs

    # --- reading the records
    @property
    def steps(self):
        return np.array(self._steps, dtype=np.int64)

    def __getitem__(self, key):
        check_choice("key", key, KEYS)
        rows = self._rows[key]
        if key == "global_grad_norm":
            return np.array(rows, dtype=np.float64)
        width = len(self.linear_names if key in ("update_ratio", "grad_norm")
                    else self.activation_names) if hasattr(self, "linear_names") else 0
        return np.array(rows, dtype=np.float64).reshape(len(rows), width)

    def at(self, step):
        """The record of update `step` as a dict key -> per-layer values."""
        steps = self._steps
        if step not in steps:
            raise ValueError(f"no record at step {step}; recorded steps are {steps[:5]}... "
                             f"(every {self.every})")
        i = steps.index(step)
        return {key: self[key][i] for key in KEYS}

    def __repr__(self):
        return (f"HealthMonitor(every={self.every}, records={len(self._steps)}, "
                f"histograms={sorted(self.histograms)})")


def _sumsq(a):
    a = a.reshape(-1)
    return float(np.dot(a, a))


def _log10(r):
    if math.isnan(r):
        return math.nan
    return math.log10(r) if r > 0 else -math.inf


def _activation_stats(layers, outs):
    """act_mean, act_std, saturated, dead: one value per activation layer (NaN where a
    statistic does not apply: saturation for tanh and sigmoid only, dead units for ReLU)."""
    stats = {"act_mean": [], "act_std": [], "saturated": [], "dead": []}
    with np.errstate(all="ignore"):
        for layer, a in zip(layers, outs):
            n = a.size
            mean = float(a.sum()) / n
            # one pass for sum(a^2) instead of numpy's std (which subtracts, squares, sums)
            stats["act_mean"].append(mean)
            stats["act_std"].append(math.sqrt(max(_sumsq(a) / n - mean * mean, 0.0)))
            if isinstance(layer, Tanh):
                sat = np.count_nonzero(np.abs(a) > SATURATION) / n
            elif isinstance(layer, Sigmoid):
                sat = np.count_nonzero(np.abs(2 * a - 1) > SATURATION) / n
            else:
                sat = math.nan
            stats["saturated"].append(sat)
            if isinstance(layer, ReLU):  # a unit is dead when it is 0 for every example
                top = a.max(axis=0)
                stats["dead"].append(np.count_nonzero(top <= 0) / top.size)
            else:
                stats["dead"].append(math.nan)
    return stats


# --- plots
TITLES = {"update_ratio": "update / weight, log10", "grad_norm": "gradient norm (before clip)",
          "global_grad_norm": "global gradient norm", "act_mean": "activation mean",
          "act_std": "activation std", "saturated": "saturated fraction",
          "dead": "dead fraction (ReLU)"}


def plot_monitor(monitor, key, *, ax=None, legend=True):
    """One line per layer against the update number, with the reference band where there is
    one (update_ratio: cs231n's 1e-3, a decade either side). Returns the axes."""
    import matplotlib.pyplot as plt

    check_choice("key", key, KEYS)
    ax = plt.gca() if ax is None else ax
    values, steps = monitor[key], monitor.steps
    if key == "global_grad_norm":
        values, names = values[:, None], ["all parameters"]
    elif key in ("update_ratio", "grad_norm"):
        names = monitor.linear_names
    else:
        names = monitor.activation_names
    for j, name in enumerate(names):
        column = values[:, j]
        if np.isnan(column).all():
            continue  # e.g. saturation of a ReLU layer
        ax.plot(steps, column, color=COLORS[j % len(COLORS)], lw=1.2, label=name)
    if key == "update_ratio":
        ax.axhspan(*UPDATE_RATIO_BAND, color="0.85", zorder=0)
        ax.axhline(UPDATE_RATIO_TARGET, color="k", ls="--", lw=0.8, label="1e-3 (cs231n)")
    if key in ("grad_norm", "global_grad_norm"):
        ax.set_yscale("log")
    if key in ("saturated", "dead"):
        ax.set_ylim(-0.03, 1.03)
    ax.set_title(TITLES[key], fontsize=9)
    ax.set_xlabel("update")
    if legend and ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=7)
    return ax


def plot_health(monitor, *, history=None, fig=None, columns=None,
                keys=("update_ratio", "grad_norm", "act_std", "saturated", "dead")):
    """The monitors side by side, one panel per key; with a History, a first panel with the
    loss per epoch. A key that does not apply (saturation in a ReLU network) says so.

    fig: a matplotlib Figure to draw into (a widget's), else a new pyplot figure.
    columns: panels per row (default: all in one row). Returns the figure.
    """
    import matplotlib.pyplot as plt

    if not len(monitor.steps):
        raise ValueError("the monitor has no records yet: train with fit(..., callbacks=[mon])")
    keys = [check_choice("keys", k, KEYS) for k in keys]
    n = len(keys) + (history is not None)
    columns = n if columns is None else check_int("columns", columns, low=1)
    rows = -(-n // columns)
    if fig is None:
        fig = plt.figure(figsize=(3.2 * columns, 2.6 * rows))
    axes = list(fig.subplots(rows, columns, squeeze=False).ravel())
    if history is not None:
        ax = axes.pop(0)
        for metric, ls in (("loss", "-"), ("val_loss", "--")):
            if metric in history.history:
                ax.plot(history.epoch, history.history[metric], ls=ls, label=metric)
        ax.set_title("loss per epoch", fontsize=9)
        ax.set_xlabel("epoch")
        ax.legend(fontsize=7)
    for ax, key in zip(axes, keys):
        if np.isnan(monitor[key]).all():
            ax.text(0.5, 0.5, f"{TITLES[key]}:\ndoes not apply to\nthis activation",
                    ha="center", va="center", transform=ax.transAxes, color="0.4")
            ax.set_axis_off()
            continue
        plot_monitor(monitor, key, ax=ax, legend=key in ("update_ratio", "act_std"))
    for ax in axes[len(keys):]:
        ax.set_axis_off()
    # fixed margins in inches: tight_layout would cost a third of the drawing time
    width, height = fig.get_size_inches()
    fig.subplots_adjust(left=0.6 / width, right=1 - 0.15 / width, bottom=0.5 / height,
                        top=1 - 0.3 / height, wspace=0.35, hspace=0.7)
    return fig


def plot_histograms(monitor, *, steps=None, axes=None, bins=50):
    """The distribution of each activation layer's outputs on X at the kept steps, one panel
    per step, one line per layer (as in Karpathy's makemore lectures).

    axes: one matplotlib Axes per step to draw into, else a new pyplot figure.
    Returns the list of axes.
    """
    import matplotlib.pyplot as plt

    steps = sorted(monitor.histograms) if steps is None else list(steps)
    if not steps:
        raise ValueError("no histograms kept: pass histogram_steps=(0, ...) to HealthMonitor")
    for s in steps:
        if s not in monitor.histograms:
            raise ValueError(f"no histogram at step {s}; kept: {sorted(monitor.histograms)} "
                             "(pass histogram_steps=... to HealthMonitor)")
    if axes is None:
        fig = plt.figure(figsize=(3.2 * len(steps), 2.6))
        axes = fig.subplots(1, len(steps), squeeze=False, sharey=True)[0]
    axes = list(np.ravel(axes))
    if len(axes) != len(steps):
        raise ValueError(f"axes must hold one Axes per step: {len(steps)} steps, "
                         f"{len(axes)} axes")
    for ax, s in zip(axes, steps):
        for j, (name, a) in enumerate(zip(monitor.activation_names, monitor.histograms[s])):
            a = a[np.isfinite(a)]
            counts, edges = np.histogram(a, bins=bins)
            ax.plot((edges[:-1] + edges[1:]) / 2, counts / max(1, a.size),
                    color=COLORS[j % len(COLORS)], lw=1.2, label=name)
        ax.set_title(f"activations at update {s}", fontsize=9)
        ax.set_xlabel("value")
    axes[0].set_ylabel("fraction of values")
    axes[0].legend(fontsize=7)
    return axes
