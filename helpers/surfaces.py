"""2-D test surfaces and optimizer trajectories on them (introduced in notebook 06).

A surface is a function f(x, y) with its analytic gradient. `run_optimizer` puts the point
(x, y) in a 2-element `Param`, sets `.grad` from the surface's gradient and calls the real
`step()` of any optimizer in `helpers.optimizers`, so the paths drawn are those of the code
that trains the networks.

    surface = SURFACES["quadratic"]()
    path = run_optimizer(surface, lambda params: Adam(params, lr=0.1), steps=100)  # (k+1, 2)
    steps_to_reach(surface, path, tol=1e-3)
"""

from dataclasses import dataclass

import ipywidgets as W
import numpy as np
from matplotlib.figure import Figure

from .optimizers import SGD, Adagrad, Adam, AdamW, RMSprop
from .params import Param
from .plots import COLORS
from .validation import check_choice, check_int, check_number, check_positive
from .widgets import (controls, dropdown, figure_png, float_slider, int_slider, live, log_slider,
                      message)


@dataclass(frozen=True)
class Surface:
    """f and its gradient on points xy of shape (..., 2); where to start and what to plot.

    minimum: the global minimiser(s), an (m, 2) array (the saddle surface has two).
    f_min: the value there.  xlim, ylim: the plotting window.
    """

    name: str
    f: callable
    grad: callable
    start: tuple
    minimum: np.ndarray
    f_min: float
    xlim: tuple
    ylim: tuple

    def __call__(self, xy):
        return self.f(np.asarray(xy, np.float64))


def quadratic(kappa=25.0):
    """An ill-conditioned bowl f = (x^2 + kappa y^2) / 2: curvature 1 along x, kappa along y.

    Gradient descent is stable only for lr < 2 / kappa, and then crawls along x at a rate
    1 - lr per step: the condition number kappa is the whole difficulty.
    """
    kappa = check_positive("kappa", kappa)

    def f(xy):
        return 0.5 * (xy[..., 0] ** 2 + kappa * xy[..., 1] ** 2)

    def grad(xy):
        return np.stack([xy[..., 0], kappa * xy[..., 1]], axis=-1)

    return Surface(f"quadratic (kappa={kappa:g})", f, grad, start=(-4.0, 1.5),
                   minimum=np.zeros((1, 2)), f_min=0.0, xlim=(-4.5, 4.5), ylim=(-2.0, 2.0))


def rosenbrock(a=1.0, b=100.0):
    """Rosenbrock's banana f = (a - x)^2 + b (y - x^2)^2: a curved, flat-bottomed valley
    with its minimum at (a, a^2)."""
    a, b = check_number("a", a), check_positive("b", b)

    def f(xy):
        x, y = xy[..., 0], xy[..., 1]
        return (a - x) ** 2 + b * (y - x**2) ** 2

    def grad(xy):
        x, y = xy[..., 0], xy[..., 1]
        return np.stack([-2 * (a - x) - 4 * b * x * (y - x**2), 2 * b * (y - x**2)], axis=-1)

    return Surface("Rosenbrock", f, grad, start=(-1.5, 2.0), minimum=np.array([[a, a * a]]),
                   f_min=0.0, xlim=(-2.0, 2.0), ylim=(-1.0, 3.0))


def saddle():
    """f = x^2 / 2 + y^4 / 4 - y^2 / 2: a saddle at the origin between two minima (0, +-1).

    Started near y = 0, plain gradient descent first slides into the saddle (the x pull),
    then leaves it only as fast as the tiny y gradient grows.
    """

    def f(xy):
        x, y = xy[..., 0], xy[..., 1]
        return 0.5 * x**2 + 0.25 * y**4 - 0.5 * y**2

    def grad(xy):
        x, y = xy[..., 0], xy[..., 1]
        return np.stack([x, y**3 - y], axis=-1)

    return Surface("saddle", f, grad, start=(-2.0, 1e-3), minimum=np.array([[0.0, 1.0],
                                                                            [0.0, -1.0]]),
                   f_min=-0.25, xlim=(-2.5, 2.5), ylim=(-1.6, 1.6))


SURFACES = {"quadratic": quadratic, "rosenbrock": rosenbrock, "saddle": saddle}


#: the optimizers by the names the notebook uses; each takes the knobs it understands
OPTIMIZER_NAMES = ("SGD", "Momentum", "Nesterov", "RMSprop", "Adagrad", "Adam", "AdamW")


def make_optimizer(name, params, *, lr, momentum=0.9, alpha=0.99, beta1=0.9, beta2=0.999,
                   weight_decay=None):
    """An optimizer from a name in OPTIMIZER_NAMES, with torch's defaults for the rest.

    momentum: for "Momentum" and "Nesterov" (plain "SGD" has none).  alpha: RMSprop's decay
    of the running g^2.  beta1, beta2: Adam and AdamW.  weight_decay: None keeps each class's
    default (0, or 0.01 for AdamW); Adagrad and RMSprop here take none. Knobs an optimizer
    does not have are ignored, so one call site can serve every name.
    """
    name = check_choice("optimizer", name, OPTIMIZER_NAMES)
    wd = {} if weight_decay is None else {"weight_decay": weight_decay}
    if name == "SGD":
        return SGD(params, lr=lr, **wd)
    if name in ("Momentum", "Nesterov"):
        return SGD(params, lr=lr, momentum=momentum, nesterov=name == "Nesterov", **wd)
    if name == "RMSprop":
        return RMSprop(params, lr=lr, alpha=alpha)
    if name == "Adagrad":
        return Adagrad(params, lr=lr)
    cls = Adam if name == "Adam" else AdamW
    return cls(params, lr=lr, beta1=beta1, beta2=beta2, **wd)


def run_optimizer(surface, make_opt, *, start=None, steps=100, bound=1e6):
    """The path of an optimizer on a surface: an array (k + 1, 2), start included.

    make_opt(params) -> an optimizer over the one Param holding (x, y) in float64.
    The run stops early (k < steps) if the point leaves |x|, |y| < bound or becomes
    non-finite: that is a divergence, and the path ends at the last finite point.
    """
    steps = check_int("steps", steps, low=0)
    p = Param(np.array(surface.start if start is None else start, np.float64))
    if p.data.shape != (2,):
        raise ValueError(f"start must be a point (x, y), got shape {p.data.shape}")
    opt = make_opt([p])
    path = [p.data.copy()]
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            p.grad[...] = surface.grad(p.data)
            opt.step()
            if not np.all(np.isfinite(p.data)) or np.abs(p.data).max() > bound:
                break
            path.append(p.data.copy())
    return np.array(path)


def diverged(path, steps):
    """True when run_optimizer stopped before `steps` updates."""
    return len(path) < steps + 1


def steps_to_reach(surface, path, *, tol=1e-3):
    """The first step k at which f(path[k]) - f_min < tol, or None if never."""
    gap = surface(path) - surface.f_min
    hit = np.flatnonzero(gap < tol)
    return int(hit[0]) if hit.size else None


def distance_to_minimum(surface, point):
    """Euclidean distance from a point to the nearest global minimiser."""
    return float(np.min(np.linalg.norm(surface.minimum - np.asarray(point), axis=1)))


def contour_levels(surface, n=20):
    """Levels spaced evenly in log(f - f_min), so both the valley floor and the walls show."""
    xs = np.linspace(*surface.xlim, 200)
    ys = np.linspace(*surface.ylim, 200)
    zz = surface(np.stack(np.meshgrid(xs, ys), axis=-1)) - surface.f_min
    return xs, ys, zz, np.geomspace(max(zz.max() * 1e-5, 1e-3), zz.max(), n)


def plot_surface(surface, ax, *, n_levels=20):
    """Contours of f - f_min on the surface's window, and its minima as stars."""
    xs, ys, zz, levels = contour_levels(surface, n_levels)
    ax.contour(xs, ys, zz, levels=levels, colors="0.6", linewidths=0.6)
    ax.plot(surface.minimum[:, 0], surface.minimum[:, 1], "k*", ms=10)
    ax.set_xlim(surface.xlim)
    ax.set_ylim(surface.ylim)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.grid(False)
    return ax


def plot_path(path, ax, *, label=None, color=None, **kw):
    """A trajectory as a line with small markers; its start as a circle."""
    (line,) = ax.plot(path[:, 0], path[:, 1], "-", marker=".", ms=3, lw=1.2, label=label,
                      color=color, **kw)
    ax.plot(path[0, 0], path[0, 1], "o", color="k", ms=4)
    return line



class OptimizerPathDemo:
    """Widget: surface x optimizer x lr x its knobs -> the path over the contour plot.

    Knobs an optimizer lacks are ignored (momentum: Momentum/Nesterov; beta1, beta2: Adam,
    AdamW; alpha: RMSprop).

    `controls` maps names to widgets (set `.value` to drive it from code); after each change
    `result` holds {"path", "steps_to_min", "final_gap", "diverged"} (steps_to_min: first
    step with f - f_min < 1e-3, or None). Drawn into an Image widget (about 0.1 s a change).
    """

    def __init__(self):
        self.controls = {
            "surface": dropdown("surface", list(SURFACES), value="quadratic"),
            "optimizer": dropdown("optimizer", list(OPTIMIZER_NAMES), value="Momentum"),
            "lr": log_slider("lr", value=0.02, min_exp=-4, max_exp=0, step=0.1),
            "momentum": float_slider("momentum", value=0.9, min=0.0, max=0.99, step=0.01),
            "beta1": float_slider("beta1", value=0.9, min=0.0, max=0.99, step=0.01),
            "beta2": float_slider("beta2", value=0.999, min=0.5, max=0.999, step=0.001,
                                  readout_format=".3f"),
            "alpha": float_slider("alpha (RMSprop)", value=0.99, min=0.5, max=0.999, step=0.001,
                                  readout_format=".3f"),
            "steps": int_slider("steps", value=150, min=10, max=1000, step=10),
        }
        self.status = W.HTML()
        self.image = W.Image(format="png")
        self.result = {}
        self._surface_name = None
        self.fig = Figure(figsize=(6.4, 4.0), dpi=80)
        self.ax = self.fig.add_subplot()
        self.ui = W.VBox([controls(*self.controls.values()), self.status, self.image])
        self.update = live(self._update, self.controls, status=self.status)

    def _draw_surface(self, name):
        # contours are the slow part: redraw them only when the surface changes
        self.ax.clear()
        self.surface = SURFACES[name]()
        plot_surface(self.surface, self.ax)
        (self.line,) = self.ax.plot([], [], "-", marker=".", ms=3, lw=1.2, color=COLORS[3])
        self.ax.plot(*self.surface.start, "ko", ms=4)
        self.ax.set_title(self.surface.name)
        self.fig.tight_layout()
        self._surface_name = name

    def _update(self, surface, optimizer, lr, momentum, beta1, beta2, alpha, steps):
        if surface != self._surface_name:
            self._draw_surface(surface)
        path = run_optimizer(self.surface, lambda ps: make_optimizer(
            optimizer, ps, lr=lr, momentum=momentum, alpha=alpha, beta1=beta1, beta2=beta2),
            steps=steps)
        hit = steps_to_reach(self.surface, path)
        gap = float(self.surface(path[-1]) - self.surface.f_min)
        self.result = {"path": path, "steps_to_min": hit, "final_gap": gap,
                       "diverged": diverged(path, steps)}
        self.line.set_data(path[:, 0], path[:, 1])
        if self.result["diverged"]:
            text, kind = (f"{optimizer} diverged after {len(path) - 1} steps: lower lr.",
                          "warning")
        elif hit is None:
            text, kind = (f"{optimizer}: f - f_min = {gap:.3g} after {steps} steps "
                          "(not within 1e-3 yet)", "info")
        else:
            text, kind = f"{optimizer}: f - f_min < 1e-3 after {hit} steps", "ok"
        self.status.value = message(text, kind=kind)
        self.image.value = figure_png(self.fig)
