"""The tuning widgets (notebook 12, Playground): run a search; read a finished one."""

import numpy as np

from .methods import METHODS, run_method
from .plots import parallel_coordinates, plot_best_so_far, plot_trials


def tuning_widget(objective, space, *, x="lr", y="l2", max_budget=9, vmax=0.9):
    """Method + budget (+ seed) -> the trials over (x, y) and the best-so-far curve.

    The figure is drawn off-screen and shown as a PNG in an ipywidgets.Image, so nothing
    leaks into the cell's output when the widget is driven from code.
    Returns (ui, update, state): update(method=, n_trials=, seed=) reruns the search and
    redraws; state["study"] holds the last Study and state["image"] the Image (for tests).
    """
    import ipywidgets as W
    from matplotlib.figure import Figure

    from ..widgets import controls, dropdown, figure_png, int_slider, live

    method = dropdown("method", [*METHODS, "Hyperband"], value="random")
    n_trials = int_slider("budget (full trials)", value=20, min=4, max=40)
    seed = int_slider("seed", value=0, min=0, max=9)
    status = W.HTML()
    image = W.Image(format="png", layout=W.Layout(max_width="900px"))
    state = {}

    def update(method, n_trials, seed):
        study = run_method(method, objective, space, n_trials, seed=seed, max_budget=max_budget)
        state["study"] = study
        fig = Figure(figsize=(9.5, 3.4), dpi=80)
        a1, a2 = fig.subplots(1, 2)
        sc = plot_trials(study, x, y, ax=a1, vmax=vmax, title=f"{method}: {len(study)} trials")
        fig.colorbar(sc, ax=a1, label="validation error")
        plot_best_so_far(study, ax=a2, by="budget", color="#0072B2")
        a2.set_ylabel("best validation error so far")
        a2.set_xlim(0, n_trials * max_budget)
        a2.set_ylim(0, vmax)
        fig.subplots_adjust(left=0.08, right=0.98, bottom=0.15, top=0.9, wspace=0.3)
        image.value = figure_png(fig)
        b = study.best
        status.value = "all trials failed" if b is None else (
            f"best validation error {b.value:.3g} after {study.cost()[-1]:.0f} epochs; "
            f"{study.n_failed} failed trials; best config: "
            + ", ".join(f"{k}={v:.3g}" for k, v in b.config.items()))
        return study

    on_change = live(update, {"method": method, "n_trials": n_trials, "seed": seed},
                     status=status)
    ui = W.VBox([controls(method, n_trials, seed), status, image])
    state.update(method=method, n_trials=n_trials, seed=seed, image=image, status=status,
                 on_change=on_change)
    return ui, update, state


def reading_widget(study, *, vmax=0.9):
    """Read a finished search: pick two hyperparameters and the share of trials to colour.

    Left: parallel coordinates over the two and the value (the best `top` share in colour);
    right: the trials over the same two (plot_trials). No training: a change redraws only.
    Returns (ui, update, state): state["image"], state["shown"] (the trials in colour).
    """
    import ipywidgets as W
    from matplotlib.figure import Figure

    from ..widgets import controls, dropdown, figure_png, float_slider, live

    names = study.space.names
    first = dropdown("first", names, value=names[0])
    second = dropdown("second", names, value=names[1] if len(names) > 1 else names[0])
    top = float_slider("colour the best", value=0.25, min=0.05, max=1.0, step=0.05,
                       readout_format=".0%")
    status = W.HTML()
    image = W.Image(format="png", layout=W.Layout(max_width="900px"))
    state = {}

    def update(first, second, top):
        if first == second:
            raise ValueError("pick two different hyperparameters")
        fig = Figure(figsize=(9.5, 3.3), dpi=80)
        a1, a2 = fig.subplots(1, 2, width_ratios=(2, 3))
        parallel_coordinates(study, [first, second], ax=a1, vmax=vmax, top=top)
        sc = plot_trials(study, first, second, ax=a2, vmax=vmax)
        fig.colorbar(sc, ax=a2, label="validation error")
        fig.subplots_adjust(left=0.07, right=0.97, bottom=0.2, top=0.95, wspace=0.25)
        image.value = figure_png(fig)
        v = study.values[~np.isnan(study.values)]
        state["shown"] = int(np.sum(v <= np.quantile(v, top))) if len(v) else 0
        status.value = (f"{state['shown']} of {len(study)} trials in colour "
                        f"(validation error ≤ {np.quantile(v, top):.3g})" if len(v) else
                        "every trial failed")

    on_change = live(update, {"first": first, "second": second, "top": top}, status=status)
    ui = W.VBox([controls(first, second, top), status, image])
    state.update(first=first, second=second, top=top, image=image, status=status,
                 on_change=on_change)
    return ui, update, state
