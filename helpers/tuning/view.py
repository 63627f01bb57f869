"""The tuning widgets (notebook 12, Playground)."""

from .methods import METHODS, run_method
from .plots import plot_best_so_far, plot_trials


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
