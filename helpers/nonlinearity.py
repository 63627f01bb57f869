"""Activation functions seen from outside: their curves and derivatives, what a network
without them collapses to, units with zero gradient, and the activation playground
(introduced in notebook 04)."""

import ipywidgets as W
import numpy as np
from matplotlib.figure import Figure

from . import widgets as hw
from .activations import ACTIVATIONS, Identity, get_activation
from .layers import Linear, Module, Sequential
from .losses import BCEWithLogitsLoss
from .mlp import make_mlp
from .optimizers import Adam
from .plots import COLORS, plot_decision_boundary
from .training import evaluate, fit
from .validation import check_choice, check_int
from .widgets import figure_png


def curve_and_derivative(activation, x):
    """f(x) and f'(x) of an activation (a name in ACTIVATIONS or a layer), elementwise.

    f' comes from the layer's own backward pass: backward(ones) = 1 * f'(x).
    """
    layer = get_activation(activation) if isinstance(activation, str) else activation
    if not isinstance(layer, Module):
        raise ValueError(f"activation must be a name in {', '.join(ACTIVATIONS)} or a layer")
    x = np.asarray(x)
    y = layer.forward(x)
    return y, layer.backward(np.ones_like(y))


def collapse_linear(model):
    """The single map (W, b) equal to a Sequential of Linear and Identity layers.

    (x W1 + b1) W2 + b2 = x (W1 W2) + (b1 W2 + b2): any stack of linear maps is one linear map.
    """
    if not isinstance(model, Sequential):
        raise ValueError("collapse_linear needs a Sequential model")
    W_, b_ = None, None
    for layer in model.layers:
        if isinstance(layer, Identity):
            continue
        if not isinstance(layer, Linear):
            raise ValueError(f"collapse_linear needs Linear and Identity layers only; found "
                             f"{layer!r}, which is not linear")
        w = layer.weight.data.astype(np.float64)
        b = np.zeros(w.shape[1]) if layer.bias is None else layer.bias.data.astype(np.float64)
        W_, b_ = (w, b) if W_ is None else (W_ @ w, b_ @ w + b)
    return W_, b_


def zero_gradient_fraction(model, X):
    """Fraction of hidden units whose derivative f'(z) is exactly 0 for every sample in X.

    Such a unit passes no gradient back, so its incoming weights never change again: it is
    dead. For ReLU this equals diagnostics.dead_fraction; a Leaky ReLU unit that is never
    positive is counted by dead_fraction but not here (its slope is small, not zero).
    """
    if not isinstance(model, Sequential):
        raise ValueError("zero_gradient_fraction needs a Sequential model")
    dead = total = 0
    for layer in model.layers:
        out = layer.forward(X, training=False)
        if type(layer) in ACTIVATIONS.values():
            d = layer.backward(np.ones_like(out))
            dead += int(np.all(d == 0, axis=0).sum())
            total += out.shape[1]
        X = out
    return dead / total if total else 0.0


def train_activation(activation, X, y, *, hidden=(16, 16), epochs=300, lr=0.02, seed=0):
    """A [2, *hidden, 1] MLP with the given activation, trained full-batch with Adam.

    Returns (model, history).
    """
    X = np.asarray(X)
    if X.ndim != 2:
        raise ValueError(f"X must be a 2-D array (samples, features), got shape {X.shape}")
    if isinstance(hidden, (str, bytes)) or not hasattr(hidden, "__iter__"):
        raise ValueError(f"hidden must be a sequence of layer widths such as (16, 16), "
                         f"got {hidden!r}")
    hidden = [check_int(f"hidden[{i}]", h, low=1) for i, h in enumerate(hidden)]
    model = make_mlp([X.shape[1], *hidden, 1], activation=activation, seed=seed)
    history = fit(model, BCEWithLogitsLoss(), Adam(model.parameters(), lr=lr), X, y,
                  epochs=epochs, batch_size=len(X), seed=seed, progress=False)
    return model, history


def activation_playground(datasets, *, value=("relu", "sigmoid", "identity"), max_shown=4,
                          epochs=300):
    """Pick activation(s) and a data set -> f, f', and each trained network's boundary.

    datasets: name -> (X, y). Returns (ui, controls, state); state["accuracy"] maps each shown
    activation to its training accuracy. Trained networks are cached per (data set, activation).
    """
    if not isinstance(datasets, dict) or not datasets:
        got = "an empty dict" if isinstance(datasets, dict) else type(datasets).__name__
        raise ValueError(f"datasets must be a non-empty dict name -> (X, y), got {got}")
    for name, pair in datasets.items():
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise ValueError(f"datasets[{name!r}] must be a pair (X, y)")
    names = list(ACTIVATIONS)
    value = (value,) if isinstance(value, str) else tuple(value)
    for v in value:
        check_choice("value", v, tuple(names))
    max_shown = check_int("max_shown", max_shown, low=1)
    epochs = check_int("epochs", epochs, low=1)
    pick = W.SelectMultiple(options=names, value=value, rows=len(names),
                            description="activations", style={"description_width": "initial"})
    data = hw.dropdown("data", list(datasets))
    controls = {"activations": pick, "dataset": data}
    # fits its area; margin 0, or the widgets margin (2 px a side) pushes it 4 px past its box
    image = W.Image(format="png", layout=W.Layout(width="100%", max_width="900px", margin="0"))
    status = W.HTML()
    state = {}
    cache = {}
    x = np.linspace(-5, 5, 401)

    def update(activations, dataset):
        shown = list(activations)[:max_shown]
        if not shown:
            raise ValueError("pick at least one activation (Ctrl/Cmd-click to pick several)")
        X, y = datasets[dataset]
        fig = Figure(figsize=(3.0 * (2 + len(shown)) * 0.8, 2.8), dpi=80)
        axes = fig.subplots(1, 2 + len(shown))
        accuracy = {}
        for i, name in enumerate(shown):
            f, df = curve_and_derivative(name, x)
            axes[0].plot(x, f, color=COLORS[i], label=name)
            axes[1].plot(x, df, color=COLORS[i], label=name)
            key = (dataset, name)
            if key not in cache:
                cache[key] = train_activation(name, X, y, epochs=epochs)[0]
            model = cache[key]
            accuracy[name] = evaluate(model, BCEWithLogitsLoss(), X, y)["accuracy"]
            plot_decision_boundary(model, X, y, ax=axes[2 + i], resolution=60,
                                   title=f"{name}: acc {accuracy[name]:.2f}")
            axes[2 + i].tick_params(labelsize=7)
        axes[0].set_title("f(x)")
        axes[0].set_ylim(-2, 5)
        axes[1].set_title("f'(x)")
        axes[1].set_ylim(-0.2, 1.3)
        axes[0].legend(fontsize=7)
        fig.tight_layout()
        image.value = figure_png(fig)
        state.update(shown=shown, dataset=dataset, accuracy=accuracy)
        extra = len(activations) - len(shown)
        status.value = hw.message(f"showing the first {max_shown}; {extra} more picked"
                                  if extra > 0 else "Ctrl/Cmd-click to pick several",
                                  kind="warning" if extra > 0 else "info")

    hw.live(update, controls, status=status)
    ui = W.VBox([W.HBox([pick, data]), status, image])
    return ui, controls, state
