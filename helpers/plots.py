"""Plots used across the course, with one consistent look (call `use_style()` once)."""

import matplotlib.pyplot as plt
import numpy as np

from .activations import sigmoid
from .losses import softmax
from .training import predict
from .validation import check_choice

#: one colour per class / curve, colour-blind safe (Okabe-Ito)
COLORS = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
CLASS_CMAP = "RdBu"

STYLE = {
    "figure.figsize": (6.4, 3.6),
    "figure.dpi": 80,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": plt.cycler(color=COLORS),
    "legend.frameon": False,
    "font.size": 10,
}


def use_style():
    """Apply the course's matplotlib style (figure size, grid, colours)."""
    plt.rcParams.update(STYLE)


def _ax(ax):
    return plt.gca() if ax is None else ax


def plot_history(history, *, metrics=("loss", "val_loss"), ax=None, label=None, logy=False,
                 **line_kw):
    """Per-epoch curves of the given metrics from a History (a metric the run did not record,
    such as val_loss without validation data, is left out). Returns the axes."""
    known = ("loss", "accuracy", "val_loss", "val_accuracy", "lr", *history.history)
    for m in metrics:
        check_choice("metric", m, tuple(dict.fromkeys(known)))
    ax = _ax(ax)
    for m in metrics:
        if m in history.history:
            name = m if label is None else f"{label} ({m})"
            ax.plot(history.epoch, history.history[m], label=name,
                    linestyle="--" if m.startswith("val_") else "-", **line_kw)
    ax.set_xlabel("epoch")
    ax.set_ylabel(", ".join(metrics))
    if logy:
        ax.set_yscale("log")
    ax.legend()
    return ax


def decision_surface(model, *, xlim, ylim, resolution=100):
    """Grid (xx, yy) and the model's score on it (see output_to_score)."""
    xs = np.linspace(*xlim, resolution)
    ys = np.linspace(*ylim, resolution)
    xx, yy = np.meshgrid(xs, ys)
    grid = np.column_stack([xx.ravel(), yy.ravel()])
    return xx, yy, output_to_score(predict(model, grid)).reshape(xx.shape)


def output_to_score(out):
    """One number per sample from a classifier's outputs: P(class 1) = sigmoid(logit) for a
    single output, softmax(out)[:, 1] for two classes, the argmax for more classes."""
    if out.ndim == 2 and out.shape[1] == 2:
        return softmax(out)[:, 1]
    if out.ndim == 2 and out.shape[1] > 2:
        return out.argmax(axis=1).astype(float)
    return sigmoid(out.reshape(-1))


def data_limits(X, padding=0.5):
    """(xlim, ylim) around 2-D data, with a margin."""
    lo, hi = X.min(axis=0) - padding, X.max(axis=0) + padding
    return (float(lo[0]), float(hi[0])), (float(lo[1]), float(hi[1]))


def plot_decision_boundary(model, X, y, *, ax=None, resolution=100, padding=0.5, title=None,
                           X_test=None, y_test=None):
    """The model's class-1 probability as a heat map, the 0.5 contour, and the points.

    Returns the image artist (update it with .set_data for a live plot).
    """
    ax = _ax(ax)
    xlim, ylim = data_limits(X, padding)
    _, _, zz = decision_surface(model, xlim=xlim, ylim=ylim, resolution=resolution)
    img = ax.imshow(zz, origin="lower", extent=(*xlim, *ylim), cmap=CLASS_CMAP, vmin=0, vmax=1,
                    alpha=0.6, aspect="auto")
    ax.contour(np.linspace(*xlim, resolution), np.linspace(*ylim, resolution), zz, levels=[0.5],
               colors="k", linewidths=1)
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap=CLASS_CMAP, vmin=0, vmax=1, s=12, edgecolors="k",
               linewidths=0.3)
    if X_test is not None:
        ax.scatter(X_test[:, 0], X_test[:, 1], c=y_test, cmap=CLASS_CMAP, vmin=0, vmax=1, s=14,
                   marker="^", edgecolors="k", linewidths=0.3)
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    ax.grid(False)
    if title:
        ax.set_title(title)
    return img


def plot_data(X, y, *, ax=None, title=None):
    """Scatter 2-D data coloured by label."""
    ax = _ax(ax)
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap=CLASS_CMAP, s=12, edgecolors="k", linewidths=0.3)
    ax.set_aspect("equal")
    if title:
        ax.set_title(title)
    return ax


def plot_schedule(schedule, total_steps, *, ax=None, label=None, base_lr=1.0):
    """base_lr * schedule(t) for t = 0 .. total_steps - 1, without training."""
    ax = _ax(ax)
    t = np.arange(total_steps)
    ax.plot(t, base_lr * np.asarray(schedule(t)), label=label)
    ax.set_xlabel("step t")
    ax.set_ylabel("learning rate" if base_lr != 1.0 else "multiplier of the base lr")
    if label:
        ax.legend()
    return ax


def plot_histograms(arrays, *, labels=None, bins=50, axes=None, range=None, title=None):
    """One histogram per array (e.g. per layer), side by side. Returns the axes."""
    n = len(arrays)
    if axes is None:
        _, axes = plt.subplots(1, n, figsize=(2.0 * n, 2.0), sharey=True, squeeze=False)
        axes = axes[0]
    for i, (a, ax) in enumerate(zip(arrays, axes)):
        ax.hist(np.ravel(a), bins=bins, range=range, color=COLORS[0])
        ax.set_title(labels[i] if labels else f"layer {i + 1}", fontsize=9)
        ax.tick_params(labelsize=7)
    if title:
        axes[0].figure.suptitle(title)
    return axes


def plot_layer_stats(values, *, ax=None, label=None, ylabel="std of activations", logy=True,
                     marker="o"):
    """A per-layer statistic (std, gradient norm, ...) against the layer index."""
    ax = _ax(ax)
    ax.plot(np.arange(1, len(values) + 1), values, marker=marker, markersize=3, label=label)
    ax.set_xlabel("layer")
    ax.set_ylabel(ylabel)
    if logy:
        ax.set_yscale("log")
    if label:
        ax.legend()
    return ax
