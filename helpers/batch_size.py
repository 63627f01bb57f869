"""Batch size (introduced in notebook 08): how noisy a mini-batch gradient is, what an update
costs, and a playground of batch size x learning rate.

    gradient_noise   E||g_B - g||^2 for mini-batches of size B drawn without replacement
    gradient_variance  sigma^2 = mean_i ||g_i - g||^2 over the per-example gradients, exactly
    noise_scale      B_simple = sigma^2 / ||g||^2, the gradient noise scale (McCandlish et al. 2018)
    steps_to_target    plain-SGD updates until the validation loss first drops below a target
    time_per_epoch   the fastest of a few timed epochs of `fit` (wall clock, this machine)
    BatchSizeLab     the notebook's widget: curves against epochs and against updates
"""

import time


import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np

from . import widgets as hw
from .activations import ACTIVATIONS
from .data import num_batches
from .layers import Linear, Sequential
from .mlp import make_mlp
from .optimizers import SGD
from .training import fit, train_step
from .validation import check_int, check_rng
from .widgets import figure_png


def flat_grad(model, loss, X, y):
    """The gradient of the mean loss on (X, y) w.r.t. all parameters, as one float64 vector.

    The model's .grad arrays are overwritten (zeroed first); its weights do not change.
    """
    params = model.parameters()
    for p in params:
        p.zero_grad()
    loss.forward(model.forward(X, training=True), y)
    model.backward(loss.backward())
    return np.concatenate([p.grad.ravel() for p in params]).astype(np.float64)


def gradient_variance(model, loss, X, y):
    """sigma^2 = mean_i ||g_i - g||^2 = mean_i ||g_i||^2 - ||g||^2, g_i the gradient of example
    i's loss, g their mean: the trace of the per-example gradient covariance.

    One batched pass, no loop over examples: a Linear layer's weight gradient for example i
    is the outer product a_i d_i^T of its input and its output gradient, whose squared norm
    is ||a_i||^2 ||d_i||^2 (plus ||d_i||^2 for the bias). model: a Sequential of Linear and
    activation layers (layers that mix examples, such as BatchNorm, are not allowed).
    """
    if not isinstance(model, Sequential):
        raise ValueError("gradient_variance needs a Sequential model")
    for layer in model.layers:
        if not isinstance(layer, (Linear, *ACTIVATIONS.values())):
            raise ValueError(f"gradient_variance needs Linear and activation layers only, got "
                             f"{layer!r}")
    n = len(X)
    loss.forward(model.forward(X, training=True), y)
    d = loss.backward().astype(np.float64) * n  # row i: d loss_i / d output
    squared = np.zeros(n)
    for layer in reversed(model.layers):
        if isinstance(layer, Linear):
            d_sq = np.sum(d * d, axis=1)
            a = np.asarray(layer.x, dtype=np.float64)
            squared += np.sum(a * a, axis=1) * d_sq + (d_sq if layer.bias is not None else 0)
            d = d @ layer.weight.data.T.astype(np.float64)
        else:
            d = layer.backward(d)
    g = flat_grad(model, loss, X, y)
    return float(squared.mean() - g @ g)


def noise_scale(model, loss, X, y):
    """The gradient noise scale B_simple = tr(Sigma) / |G|^2 = sigma^2 / ||g||^2 (McCandlish et
    al. 2018, §2.2): the batch size at which a mini-batch gradient's noise, sigma^2 / B, is as
    large as the squared gradient itself. It equals their B_noise when the Hessian is a multiple
    of the identity; they find the critical batch size B_crit close to it.
    """
    g = flat_grad(model, loss, X, y)
    return gradient_variance(model, loss, X, y) / float(g @ g)


def steps_to_target(model, loss, X, y, validation_data, *, batch_size, lr, target, max_updates,
                      seed=0):
    """Plain-SGD updates (reshuffled epochs of `batch_size`) until the validation loss is first
    below `target`, checked after every update; inf if that takes more than max_updates or the
    loss diverges. Trains `model` in place (so it ends at the target, or wherever it stopped).
    """
    batch_size = check_int("batch_size", batch_size, low=1)
    max_updates = check_int("max_updates", max_updates, low=0)
    X_val, y_val = validation_data
    opt, rng, done = SGD(model.parameters(), lr=lr), check_rng(seed), 0
    while done < max_updates:
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            rows = order[start:start + batch_size]
            value, _ = train_step(model, loss, opt, X[rows], y[rows])
            done += 1
            if not np.isfinite(value):
                return np.inf
            if loss.forward(model.forward(X_val, training=False), y_val) < target:
                return done
            if done >= max_updates:
                break
    return np.inf


def gradient_noise(model, loss, X, y, batch_sizes, *, draws=100, seed=0):
    """Mean squared distance between a mini-batch gradient and the full-batch gradient.

    For each B in batch_sizes, `draws` batches of B distinct samples are drawn (as one batch
    of an epoch of `fit`) and E||g_B - g||^2 is averaged over them. Theory: it equals
    sigma^2 / B * (N - B) / (N - 1), with sigma^2 the per-sample gradient variance (trace).
    Returns an array of shape (len(batch_sizes),).
    """
    draws = check_int("draws", draws, low=1)
    rng = check_rng(seed)
    n = len(X)
    g = flat_grad(model, loss, X, y)
    out = []
    for b in batch_sizes:
        b = check_int("batch size", b, low=1, high=n)
        total = 0.0
        for _ in range(draws):
            idx = rng.choice(n, b, replace=False)
            total += float(np.sum((flat_grad(model, loss, X[idx], y[idx]) - g) ** 2))
        out.append(total / draws)
    return np.array(out)


def time_per_epoch(make_model, loss, X, y, batch_sizes, *, lr=0.05, repeats=5):
    """Fastest wall-clock time (s) of one epoch of `fit`, for each batch size.

    The batch sizes are timed in turn, `repeats` rounds, and the minimum is kept: a burst of
    activity from other programs then slows one try of a batch size, not all of them. Times
    still differ between machines, which is why the notebook compares ratios, never raw times.
    Returns an array of shape (len(batch_sizes),).
    """
    repeats = check_int("repeats", repeats, low=1)
    best = np.full(len(batch_sizes), np.inf)
    for _ in range(repeats):
        for i, b in enumerate(batch_sizes):
            model = make_model()
            opt = SGD(model.parameters(), lr=lr)
            start = time.perf_counter()
            fit(model, loss, opt, X, y, epochs=1, batch_size=b, progress=False)
            best[i] = min(best[i], time.perf_counter() - start)
    return best



class BatchSizeLab:
    """Batch size x learning rate -> validation loss against epochs and against updates.

    Each change trains a small MLP with plain SGD for `epochs` epochs; the curve of a
    reference run (B=32, lr=0.05) stays on the plot in grey. `update(batch_size, lr)` is
    what the sliders call; it returns the History so a test can check it.
    """

    def __init__(self, X, y, X_val, y_val, loss, *, sizes, epochs=8, seed=0):
        self.X, self.y, self.X_val, self.y_val = X, y, X_val, y_val
        self.loss, self.sizes, self.epochs, self.seed = loss, list(sizes), epochs, seed
        self.reference = self._train(32, 0.05)
        self.batch = W.SelectionSlider(options=[2**k for k in range(3, 11)], value=32,
                                       description="batch size", continuous_update=False)
        self.lr = hw.log_slider("learning rate", value=0.05, min_exp=-3, max_exp=1)
        self.scale = W.Button(description="lr = 0.05 x B/32 (linear rule)",
                              layout=W.Layout(width="auto"))  # the whole label, not "lr = 0.0…"
        self.scale.on_click(hw.safe(lambda _b: setattr(self.lr, "value",
                                                       0.05 * self.batch.value / 32)))
        self.status = W.HTML()
        self.image = W.Image(format="png")
        self.history = None

    def _train(self, batch_size, lr):
        model = make_mlp(self.sizes, seed=self.seed)
        opt = SGD(model.parameters(), lr=lr)
        return fit(model, self.loss, opt, self.X, self.y, epochs=self.epochs,
                   batch_size=batch_size, validation_data=(self.X_val, self.y_val),
                   seed=self.seed, progress=False)

    def update(self, batch_size, lr):
        h = self._train(batch_size, lr)
        self.history = h
        per_epoch = num_batches(len(self.X), batch_size)
        ref_per_epoch = num_batches(len(self.X), 32)
        with plt.ioff():
            fig, (a1, a2) = plt.subplots(1, 2, figsize=(9, 3.2), sharey=True)
            r = self.reference
            a1.plot(r.epoch, r.history["val_loss"], color="0.6", label="B=32, lr=0.05")
            a2.plot(np.array(r.epoch) * ref_per_epoch, r.history["val_loss"], color="0.6")
            if h.epoch:
                a1.plot(h.epoch, h.history["val_loss"], marker="o", ms=3,
                        label=f"B={batch_size}, lr={lr:.3g}")
                a2.plot(np.array(h.epoch) * per_epoch, h.history["val_loss"], marker="o", ms=3)
            a1.set_xlabel("epoch")
            a2.set_xlabel("updates")
            a2.set_xscale("log")
            a1.set_ylabel("validation loss")
            a1.set_yscale("log")
            a1.legend()
            self.image.value = figure_png(fig)
        if h.diverged:
            self.status.value = hw.message(h.message, kind="warning")
        else:
            self.status.value = hw.message(
                f"{h.iterations} updates; final validation loss {h.final('val_loss'):.3g}, "
                f"accuracy {h.final('val_accuracy'):.3g}", kind="ok")
        return h

    def show(self):
        """Wire the sliders and return the widget to display."""
        self.on_change = hw.live(self.update, {"batch_size": self.batch, "lr": self.lr},
                                 status=self.status)
        return W.VBox([hw.controls(self.batch, self.lr, self.scale), self.status, self.image])
