"""Fitting a line under different losses, to see which ones outliers can pull (notebook 05).

    fit_line(loss, X, y) -> (slope, intercept)     # hp.Linear(1, 1) trained with full-batch Adam
    line_error(slope, intercept) -> mean |fitted line - true line| over x in [-2, 2]
    RobustFitDemo()                                 # the widget: loss x outlier fraction x delta
                                                    #   (draws into an Image widget: no output)
"""


import ipywidgets as W
import numpy as np
from matplotlib.figure import Figure

from .data import make_outlier_regression
from .layers import Linear, Sequential
from .losses import HuberLoss, L1Loss, MSELoss
from .optimizers import Adam
from .plots import COLORS
from .training import fit
from .validation import check_choice, check_int, check_positive
from .widgets import controls, dropdown, figure_png, float_slider, live, message

#: the loss names the demo offers, and how to build each (delta only matters for Huber)
REGRESSION_LOSSES = {
    "MSE": lambda delta: MSELoss(),
    "MAE": lambda delta: L1Loss(),
    "Huber": lambda delta: HuberLoss(delta),
}


def make_regression_loss(name, delta=1.0):
    """MSELoss, L1Loss or HuberLoss(delta) from a name in REGRESSION_LOSSES."""
    return REGRESSION_LOSSES[check_choice("loss", name, tuple(REGRESSION_LOSSES))](delta)


def fit_line(loss, X, y, *, steps=300, lr=0.1):
    """Fit y ~ slope x + intercept by minimising `loss` with full-batch Adam.

    X: (n, 1), y: (n,). Adam, not plain SGD, so that MSE, MAE and Huber, whose gradients
    have very different sizes, all converge with one learning rate. float64, seed 0.
    Returns (slope, intercept) as floats.
    """
    steps = check_int("steps", steps, low=1)
    check_positive("lr", lr)
    X = np.asarray(X, np.float64).reshape(-1, 1)
    y = np.asarray(y, np.float64).reshape(-1, 1)
    model = Sequential(Linear(1, 1, seed=0, dtype=np.float64))
    # full batch, no shuffling: each epoch is one step
    fit(model, loss, Adam(model.parameters(), lr=lr), X, y, epochs=steps, batch_size=len(X),
        shuffle=False, progress=False)
    return float(model[0].weight.data[0, 0]), float(model[0].bias.data[0])


def line_error(slope, intercept, *, true_slope=2.0, true_intercept=1.0):
    """Mean |fitted - true| of the two lines over x in [-2, 2] (the data's range)."""
    x = np.linspace(-2, 2, 201)
    return float(np.mean(np.abs((slope - true_slope) * x + (intercept - true_intercept))))



class RobustFitDemo:
    """Widget: pick a loss, the fraction of outliers and Huber's delta; see the fitted line.

    The MSE fit is drawn too (dashed), as the reference the robust losses are compared with.
    `controls` maps names to the widgets (set `.value` to drive it from code); `result` holds
    the last fit: {"slope", "intercept", "error", "mse_error"}.
    """

    def __init__(self, *, n_samples=100, seed=0):
        self.n_samples, self.seed = n_samples, seed
        self.controls = {
            "loss": dropdown("loss", list(REGRESSION_LOSSES), value="Huber"),
            "outlier_fraction": float_slider("outlier fraction", value=0.2, min=0.0, max=0.45,
                                             step=0.05),
            "delta": float_slider("Huber delta", value=1.0, min=0.1, max=10.0, step=0.1,
                                  readout_format=".1f"),
        }
        self.status = W.HTML()
        self.image = W.Image(format="png")
        self.result = {}
        self._mse_fits = {}  # outlier fraction -> the MSE fit (it does not depend on loss or delta)
        # one figure, reused: each change moves the artists and re-renders the PNG (~0.1 s)
        self.fig = Figure(figsize=(6.4, 3.4), dpi=80)
        ax = self.ax = self.fig.add_subplot()
        self.inliers = ax.scatter([], [], s=10, color=COLORS[0], label="data")
        self.outliers = ax.scatter([], [], s=14, color=COLORS[3], marker="x", label="outliers")
        xs = np.array([-2.0, 2.0])
        ax.plot(xs, 2 * xs + 1, color="k", lw=1, label="true line")
        (self.mse_line,) = ax.plot(xs, xs, "--", color=COLORS[1], label="MSE fit")
        (self.fit_line,) = ax.plot(xs, xs, color=COLORS[2], lw=2, label="fit")
        ax.set(xlabel="x", ylabel="y", xlim=(-2.1, 2.1), ylim=(-4.5, 26))
        ax.grid(alpha=0.3)
        self.legend_kw = {"loc": "upper left", "fontsize": 8, "frameon": False}
        self.fig.tight_layout()
        self.ui = W.VBox([controls(*self.controls.values()), self.status, self.image])
        self.update = live(self._update, self.controls, status=self.status)

    def _update(self, loss, outlier_fraction, delta):
        X, y, outliers = make_outlier_regression(self.n_samples, outlier_fraction=outlier_fraction,
                                                 seed=self.seed)
        slope, intercept = fit_line(make_regression_loss(loss, delta), X, y)
        if outlier_fraction not in self._mse_fits:
            self._mse_fits[outlier_fraction] = fit_line(MSELoss(), X, y)
        mse_slope, mse_intercept = self._mse_fits[outlier_fraction]
        self.result = {"slope": slope, "intercept": intercept,
                       "error": line_error(slope, intercept),
                       "mse_error": line_error(mse_slope, mse_intercept)}
        self.status.value = message(
            f"{loss}: slope {slope:.3g}, intercept {intercept:.3g} (true 2, 1); "
            f"mean distance to the true line {self.result['error']:.3g} "
            f"(MSE: {self.result['mse_error']:.3g})", kind="info")
        xs = np.array([-2.0, 2.0])
        self.inliers.set_offsets(np.column_stack([X[~outliers, 0], y[~outliers]]))
        self.outliers.set_offsets(np.column_stack([X[outliers, 0], y[outliers]]).reshape(-1, 2))
        self.mse_line.set_ydata(mse_slope * xs + mse_intercept)
        self.fit_line.set_ydata(slope * xs + intercept)
        label = f"Huber fit (delta {delta:.1f})" if loss == "Huber" else f"{loss} fit"
        self.fit_line.set_label(label)
        self.ax.legend(**self.legend_kw)
        self.image.value = figure_png(self.fig)
