"""Width (neurons per layer): parameter counts, a width sweep and the width playground
(introduced in notebook 03)."""


import ipywidgets as W
import numpy as np
from matplotlib.figure import Figure

from . import widgets as hw
from .layers import count_parameters
from .losses import BCEWithLogitsLoss
from .mlp import make_mlp
from .optimizers import Adam
from .plots import COLORS, plot_decision_boundary
from .training import evaluate, fit
from .validation import check_int
from .widgets import figure_png


def _sequence(name, values, example):
    """`values` as a list, or a ValueError if it is not a sequence (a bare number, a string)."""
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise ValueError(f"{name} must be a list such as {example}, got {values!r}")
    return list(values)


def mlp_parameter_count(sizes):
    """sum over layers of (n_in + 1) * n_out: a weight per connection plus a bias per unit.

    sizes: [n_inputs, hidden_1, ..., hidden_k, n_outputs], as for make_mlp.
    """
    sizes = _sequence("sizes", sizes, "[2, 8, 1]")
    sizes = [check_int(f"sizes[{i}]", s, low=1) for i, s in enumerate(sizes)]
    if len(sizes) < 2:
        raise ValueError(f"sizes needs at least [n_inputs, n_outputs], got {sizes}")
    return int(sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:])))


def train_width(X, y, width, *, depth=1, epochs=500, lr=0.02, seed=0, validation_data=None,
                activation="relu"):
    """A [2, width x depth, 1] MLP trained full-batch with Adam on a binary task.

    Returns (model, history). Full batch keeps the run deterministic and fast on small sets.
    """
    width = check_int("width", width, low=1)
    depth = check_int("depth", depth, low=1)
    X = np.asarray(X)
    if X.ndim != 2:
        raise ValueError(f"X must be a 2-D array (n_samples, n_features), got shape {X.shape}")
    model = make_mlp([X.shape[1], *[width] * depth, 1], activation=activation, seed=seed)
    history = fit(model, BCEWithLogitsLoss(), Adam(model.parameters(), lr=lr), X, y,
                  epochs=epochs, batch_size=len(X), validation_data=validation_data, seed=seed,
                  progress=False)
    return model, history


def error_rate(model, X, y):
    """1 - accuracy of a one-logit classifier on (X, y)."""
    return 1.0 - evaluate(model, BCEWithLogitsLoss(), X, y)["accuracy"]


def width_sweep(X_train, y_train, X_val, y_val, widths, *, seeds=(0, 1, 2), depth=1,
                epochs=500, lr=0.02):
    """Train one network per (width, seed); return train/validation error rates.

    Returns a dict: "widths" (n_w,), "params" (n_w,), "train_error" and "val_error"
    (n_w, n_seeds). Take the median over seeds: one unlucky initialisation should not
    decide a width's fate.
    """
    widths = [check_int("width", w, low=1) for w in _sequence("widths", widths, "[2, 8, 32]")]
    seeds = [check_int("seed", s, low=0) for s in _sequence("seeds", seeds, "(0, 1, 2)")]
    if not widths:
        raise ValueError("widths must list at least one width, got an empty sequence")
    if not seeds:
        raise ValueError("seeds must list at least one seed, got an empty sequence")
    train_err = np.zeros((len(widths), len(seeds)))
    val_err = np.zeros_like(train_err)
    params = []
    for i, w in enumerate(widths):
        for j, s in enumerate(seeds):
            model, _ = train_width(X_train, y_train, w, depth=depth, epochs=epochs, lr=lr, seed=s)
            train_err[i, j] = error_rate(model, X_train, y_train)
            val_err[i, j] = error_rate(model, X_val, y_val)
        params.append(count_parameters(model))
    return {"widths": np.array(widths), "params": np.array(params), "train_error": train_err,
            "val_error": val_err}



def width_playground(X_pool, y_pool, X_val, y_val, *, widths=(1, 2, 4, 8, 16, 32, 64, 128,
                                                                256, 512),
                     sizes=(50, 100, 200, 400, 800), value=8, n_train=100, epochs=300, lr=0.02):
    """Width and training-set-size sliders -> decision boundary and train/val loss curves.

    The training set is the first n_train rows of (X_pool, y_pool); the validation set is fixed.
    Returns (ui, controls, state): controls maps names to widgets (set .value to drive it);
    state holds the last run's "width", "n_train", "params", "train_error", "val_error",
    "history". Runs are cached, so going back to a setting is instant.
    """
    width = W.SelectionSlider(options=list(widths), value=value, description="width",
                              continuous_update=False, style={"description_width": "initial"})
    size = W.SelectionSlider(options=list(sizes), value=n_train, description="training points",
                             continuous_update=False, style={"description_width": "initial"})
    seed = hw.int_slider("seed", value=0, min=0, max=4)
    controls = {"width": width, "n_train": size, "seed": seed}
    image = W.Image(format="png", layout=W.Layout(width="760px"))
    status = W.HTML()
    state = {}
    cache = {}
    fig = Figure(figsize=(9.5, 3.6), dpi=80)
    ax_b, ax_c = fig.subplots(1, 2)

    def update(width, n_train, seed):
        if n_train > len(X_pool):
            raise ValueError(f"only {len(X_pool)} training points available")
        X, y = X_pool[:n_train], y_pool[:n_train]
        key = (width, n_train, seed)
        if key not in cache:
            model, hist = train_width(X, y, width, epochs=epochs, lr=lr, seed=seed,
                                      validation_data=(X_val, y_val))
            cache[key] = (model, hist, error_rate(model, X, y), error_rate(model, X_val, y_val))
        model, hist, tr, va = cache[key]
        ax_b.clear()
        ax_c.clear()
        plot_decision_boundary(model, X, y, ax=ax_b, resolution=80,
                               title=f"width {width}: {count_parameters(model)} parameters, "
                                     f"{n_train} points")
        ax_c.plot(hist.epoch, hist.history["loss"], color=COLORS[0], label="train loss")
        ax_c.plot(hist.epoch, hist.history["val_loss"], "--", color=COLORS[1], label="val loss")
        best = int(np.argmin(hist.history["val_loss"]))
        ax_c.axvline(hist.epoch[best], color="grey", lw=0.8)
        ax_c.set_yscale("log")
        ax_c.set_xlabel("epoch")
        ax_c.set_title(f"train error {tr:.3f}, val error {va:.3f}")
        ax_c.legend()
        fig.tight_layout()
        image.value = figure_png(fig)
        state.update(width=width, n_train=n_train, params=count_parameters(model),
                     train_error=tr, val_error=va, history=hist)
        status.value = hw.message(f"lowest validation loss at epoch {hist.epoch[best]} "
                                  f"(grey line) of {epochs}", kind="info")

    hw.live(update, controls, status=status)
    ui = W.VBox([hw.controls(width, size, seed), status, image])
    return ui, controls, state
