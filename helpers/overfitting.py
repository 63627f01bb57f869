"""An over-fitting set-up and the four regularizers side by side (introduced in notebook 10).

    overfit_data        a small noisy training set (XOR by default) and a large validation set
    train_regularized   one run of a big MLP with any mix of L1, L2, dropout, batch norm and
                        early stopping; returns the model, its History and the measured gap
    RegularizationLab   the notebook's widget: toggle and tune each method
"""

import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np

from . import widgets as hw
from .widgets import figure_png
from .data import make_dataset
from .losses import BCEWithLogitsLoss
from .mlp import make_mlp
from .optimizers import SGD
from .plots import plot_decision_boundary
from .regularization import EarlyStopping
from .training import evaluate, fit
from .validation import check_int, check_rng


def overfit_data(name="xor", *, n_train=80, n_val=1000, noise=0.25, seed=1):
    """A Playground data set (XOR by default): n_train points to learn from, n_val to measure with.

    Returns X_train, X_val, y_train, y_val. So few noisy points let a big network memorise
    them; the large validation set makes the measured gap reliable.
    """
    n_train = check_int("n_train", n_train, low=2)
    n_val = check_int("n_val", n_val, low=2)
    X, y = make_dataset(name, n_train + n_val, noise=noise, seed=seed)
    X = X / np.abs(X).max()  # inputs in [-1, 1] whatever the data set
    idx = check_rng(seed).permutation(len(X))
    tr, va = idx[:n_train], idx[n_train:]
    return X[tr], X[va], y[tr], y[va]


def train_regularized(data, *, l1=0.0, l2=0.0, dropout=0.0, batchnorm=False, patience=None,
                      epochs=200, lr=0.05, momentum=0.9, hidden=(128, 128), batch_size=20,
                      seed=0):
    """Train a 2 -> hidden -> 1 ReLU MLP with SGD + momentum on `data` (as overfit_data).

    l1, l2: fit's penalties.  dropout: drop probability after each hidden layer.
    batchnorm: BatchNorm1d before each activation.  patience: EarlyStopping(patience,
    restore_best_weights=True) on val_loss, or None for no early stopping.
    Returns (model, history, result); result holds train_loss and val_loss (both in
    evaluation mode, on the final or restored weights), gap = val_loss - train_loss,
    val_accuracy, and the epochs actually trained.
    """
    X_train, X_val, y_train, y_val = data
    model = make_mlp([X_train.shape[1], *hidden, 1], dropout=dropout, batchnorm=batchnorm,
                     seed=seed)
    loss = BCEWithLogitsLoss()
    opt = SGD(model.parameters(), lr=lr, momentum=momentum)
    stopper = None if patience is None else EarlyStopping(patience, restore_best_weights=True)
    history = fit(model, loss, opt, X_train, y_train, epochs=epochs, batch_size=batch_size,
                  validation_data=(X_val, y_val), l1=l1, l2=l2, early_stopping=stopper,
                  seed=seed, progress=False)
    train = evaluate(model, loss, X_train, y_train)
    val = evaluate(model, loss, X_val, y_val)
    result = {"train_loss": train["loss"], "val_loss": val["loss"],
              "gap": val["loss"] - train["loss"], "train_accuracy": train["accuracy"],
              "val_accuracy": val["accuracy"], "epochs": len(history.epoch)}
    return model, history, result


class RegularizationLab:
    """Toggle and tune L1, L2, dropout, batch norm and early stopping on the over-fitting set-up.

    Each change trains one network (about half a second) and shows its decision boundary and
    its training and validation loss curves, next to the unregularized baseline's.
    `update(**values)` is what the controls call; it returns the result dict of the run.
    With every method switched off it shows the baseline, trained once in the constructor.
    """

    def __init__(self, data, *, epochs=200):
        self.data, self.epochs = data, check_int("epochs", epochs, low=1)
        self.baseline_model, self.baseline, self.baseline_result = train_regularized(
            data, epochs=self.epochs)
        self.l1 = hw.log_slider("L1", value=1e-5, min_exp=-5, max_exp=-2, step=0.5)
        self.use_l1 = W.Checkbox(value=False, description="L1")
        self.l2 = hw.log_slider("L2", value=1e-2, min_exp=-4, max_exp=-1, step=0.5)
        self.use_l2 = W.Checkbox(value=False, description="L2")
        self.dropout = hw.float_slider("dropout p", value=0.5, min=0.0, max=0.9, step=0.1)
        self.use_dropout = W.Checkbox(value=False, description="dropout")
        self.batchnorm = W.Checkbox(value=False, description="batch norm")
        self.patience = hw.int_slider("patience", value=20, min=1, max=60)
        self.use_es = W.Checkbox(value=False, description="early stopping")
        self.status = W.HTML()
        self.image = W.Image(format="png")
        self.result = self.history = self.model = None

    def controls(self):
        return {"use_l1": self.use_l1, "l1": self.l1, "use_l2": self.use_l2, "l2": self.l2,
                "use_dropout": self.use_dropout, "dropout": self.dropout,
                "batchnorm": self.batchnorm, "use_es": self.use_es, "patience": self.patience}

    def update(self, *, use_l1, l1, use_l2, l2, use_dropout, dropout, batchnorm, use_es,
               patience):
        if not (use_l1 or use_l2 or use_dropout or batchnorm or use_es):  # the baseline again
            model, h, r = self.baseline_model, self.baseline, dict(self.baseline_result)
        else:
            model, h, r = train_regularized(
                self.data, l1=l1 if use_l1 else 0.0, l2=l2 if use_l2 else 0.0,
                dropout=dropout if use_dropout else 0.0, batchnorm=batchnorm,
                patience=patience if use_es else None, epochs=self.epochs)
        self.result, self.history, self.model = r, h, model
        X_train, _, y_train, _ = self.data
        with plt.ioff():
            fig, (a1, a2) = plt.subplots(1, 2, figsize=(9, 3.4))
            plot_decision_boundary(model, X_train, y_train, ax=a1, resolution=60)
            b = self.baseline
            a2.plot(b.epoch, b.history["loss"], color="0.7", lw=1, label="baseline train")
            a2.plot(b.epoch, b.history["val_loss"], color="0.7", lw=1, ls="--",
                    label="baseline val")
            a2.plot(h.epoch, h.history["loss"], label="train")
            a2.plot(h.epoch, h.history["val_loss"], ls="--", label="val")
            if h.best_epoch:
                a2.axvline(h.best_epoch, color="k", lw=0.8, ls=":")
            a2.set_yscale("log")
            a2.set_xlabel("epoch")
            a2.set_ylabel("loss")
            a2.legend(fontsize=8)
            self.image.value = figure_png(fig)
        base = self.baseline_result
        self.status.value = hw.message(
            f"val loss {r['val_loss']:.3g} (baseline {base['val_loss']:.3g}), gap "
            f"{r['gap']:.3g} (baseline {base['gap']:.3g}), val accuracy "
            f"{r['val_accuracy']:.3g}, {r['epochs']} epochs", kind="ok")
        return r

    def show(self):
        """Wire the controls and return the widget to display."""
        self.on_change = hw.live(self.update, self.controls(), status=self.status)
        grid = hw.controls(self.use_l1, self.l1, self.use_l2, self.l2, self.use_dropout,
                           self.dropout, self.batchnorm, W.HTML(), self.use_es, self.patience,
                           columns=2)
        return W.VBox([grid, self.status, self.image])
