"""The Playground widget app: the picture (`canvas`: the network diagram, the output map and
the loss curves, drawn in the browser) with the knobs in tabs beside it (below it on a narrow
screen); the picture's Play button asks the kernel for one frame of training at a time.

`Playground` puts together its parts: the knobs (controls.py: the Data, Network, Training and
Regularize tabs), the Share tab and the learner's CSV (share.py) and the picture (canvas.py).
Here: the run control (step, train_for, start, pause, reset, the diagram's weight and layer
edits), the two ways a setting changes (`apply` a knob, `_replace` the whole trainer) and the
layout."""

import time
from functools import partial

import ipywidgets as W

from ..diagnostics import linear_layers
from ..validation import check_int, check_number
from ..widgets import message, safe
from .canvas import Canvas, train_for
from .config import tick_updates
from .controls import Controls, parse_seed
from .engine import Trainer, mosaic
from .share import Sharing

__all__ = ["FIGURE_PX", "FRAME_PX", "TABS_PX", "TAB_TITLES", "Playground", "mosaic",
           "parse_seed"]

# Sizes in CSS pixels. The figure and the tabs sit side by side where there is room for both
# (FIGURE_PX + TABS_PX + a gap: Voila at 1280 px) and wrap, figure first, where there is not
# (JupyterLab at 1280 px with the file browser open leaves about 850 px).
FIGURE_PX = 720  # the picture (canvas.css: the diagram 450 + a gap 12 + the output 250)
FRAME_PX = 12  # room for the output area's padding
TABS_PX = 470  # five tabs share it: "Regularize" needs about 90 px to show in full
TAB_TITLES = ("Data", "Network", "Training", "Regularize", "Share")


class Playground(Controls, Sharing):
    """The live trainer: the network's maps, the output heat map and the loss curves, with
    the knobs in tabs beside them. Drive it from code as the tests do:

        pg = Playground(); pg.controls["lr"].value = 0.1; pg.step(5); pg.reset()
        pg.load_preset("good · spiral: Adam, 4×8 tanh, sin features"); pg.export_config()

    Every callback runs inside hp.widgets.safe: a bad combination becomes a one-line message
    in `status`, never a traceback; a diverging run pauses with a message.
    """

    def __init__(self, config=None, *, csv_data=None, output_resolution=60,
                 neuron_resolution=20):
        self.res, self.nres = output_resolution, neuron_resolution
        self._counted = 0.0  # when the counter was last written while running
        self.trainer = Trainer(config, csv_data=csv_data)
        self.csv_data = self.trainer.csv_data  # checked: float32 points, int64 or float32 labels
        self._quiet = 0  # > 0 while several widgets are set from code: no rebuild per widget
        self.status = W.HTML(layout=W.Layout(min_height="1.6em"))
        self.counter = W.HTML()
        self._build_controls()
        self._build_run()
        self._build_share()
        self._build_figure()
        self._set_widgets(self.trainer.config)
        self.refresh(full=True)
        self.ui = self._layout()

    # --- the run control: Step, Reset and the picture's options
    def _build_run(self):
        self.step_button = W.Button(description="Step", icon="step-forward",
                                    tooltip="one epoch", layout=W.Layout(width="90px"))
        self.reset_button = W.Button(description="Reset", icon="refresh",
                                     tooltip="a fresh network, same settings",
                                     layout=W.Layout(width="90px"))
        self.step_button.on_click(safe(lambda _: self.step(1), status=self.status))
        self.reset_button.on_click(safe(lambda _: self.reset(), status=self.status))
        self.show_test = W.Checkbox(value=True, description="Show test data", indent=False,
                                    layout=W.Layout(width="auto", margin="0 16px 0 0"))
        self.discretize = W.Checkbox(value=False, description="Discretize output", indent=False,
                                     layout=W.Layout(width="auto"))
        self.discretize.observe(safe(lambda _: self.refresh(), status=self.status),
                                names="value")

    # --- a change of setting: a knob (apply) or a whole new trainer (_replace)
    def apply(self, config):
        """Apply a (partial) configuration: live knobs act on the running network, others
        rebuild it. The controls are set to match."""
        rebuilt = self.trainer.update(config)
        self.refresh(full=rebuilt)  # the picture first: the page draws it before the echoes
        self.status.value = ""
        self._set_widgets(self.trainer.config)
        if rebuilt:
            self.status.value = message("New network (epoch 0). Press play.", kind="info")
        return rebuilt

    # --- training: the page asks for frames (Canvas); code and tests call step()
    def step(self, epochs=1):
        """Train `epochs` epochs and update the picture; pauses with a message when the run
        diverges or early stopping ends it."""
        # a bounded Step on a shared server (HP_PLAYGROUND_TICK_UPDATES; ▶ is bounded by time)
        self._train(lambda: self.trainer.train(epochs, max_updates=tick_updates()))
        self.refresh(full=False)
        return not self.trainer.finished

    def train_for(self, budget):
        """Train whole epochs for about `budget` seconds (at least one); what the page's
        frame request runs. Returns the number of epochs trained."""
        n = self._train(lambda: train_for(self.trainer, budget))
        now = time.perf_counter()
        if self.trainer.finished or now - self._counted > 0.25:  # the page shows every frame's
            self._counted = now
            self.counter.value = self._counter_text()
        return n

    def _train(self, run):
        t = self.trainer
        if t.finished:
            self.pause()
            self.status.value = message(t.history.message + " Press Reset to train again.",
                                        kind="warning")
            return 0
        before = t.epoch
        run()
        if t.finished:
            self.pause()
            kind = "warning" if t.history.diverged else "ok"
            self.status.value = message(t.history.message, kind=kind)
        return t.epoch - before

    @property
    def playing(self):
        """True while the page trains (its Play button is on)."""
        return self.canvas.running

    def start(self):
        """Start training: the page asks for frame after frame while it shows the app."""
        self.canvas.running = True

    def pause(self):
        """Stop training: the page asks for no more frames."""
        self.canvas.running = False

    def _safely(self, fn, *args):
        """Run a callback from the page: an error becomes a message, never a traceback."""
        return safe(fn, status=self.status)(*args)

    def set_weight(self, layer, i, j, value):
        """Set one weight (layer's Linear, from input i to neuron j): the diagram's edit; the
        network trains on from it. Sends a fresh frame."""
        lins = linear_layers(self.trainer.model)
        lin = lins[check_int("layer", layer, low=0, high=len(lins) - 1)]
        i = check_int("i", i, low=0, high=lin.in_features - 1)
        j = check_int("j", j, low=0, high=lin.out_features - 1)
        lin.weight.data[i, j] = check_number("weight", value, low=-1e3, high=1e3)
        self.status.value = message(f"Weight {i + 1} → {j + 1} of layer {layer + 1} set to "
                                    f"{float(value):g}: training goes on from it.", kind="info")
        self.refresh(full=False)

    def set_hidden(self, hidden):
        """Neurons per hidden layer (the diagram's + and - buttons): a new network."""
        if not isinstance(hidden, (list, tuple)):
            raise ValueError(f"hidden must be a list of neuron counts, got {hidden!r}")
        self.apply({"hidden": list(hidden)})

    def reset(self):
        """A fresh network with the same settings, at epoch 0, the clock stopped."""
        self.pause()
        self.trainer.reset()
        self.status.value = message("New network (epoch 0). Press play.", kind="info")
        self.refresh(full=True)

    def _replace(self, cfg, csv_data=None):
        """A new trainer (and data, if given); if anything fails, everything stays as it was."""
        old = self.trainer, self.csv_data
        data = self.csv_data if csv_data is None else csv_data
        trainer = Trainer(cfg, csv_data=data)  # a bad setting raises here, before any change
        try:
            self.trainer, self.csv_data = trainer, trainer.csv_data
            self._set_widgets(trainer.config)
            self.refresh(full=True)
        except Exception:
            self.trainer, self.csv_data = old
            self._set_widgets(self.trainer.config)
            self.refresh(full=True)
            raise
        self.pause()

    # --- the picture
    def _build_figure(self):
        self.canvas = Canvas(self)
        self.canvas.observe(lambda c: None if c.new else self._paused(), names="running")
        W.link((self.show_test, "value"), (self.canvas, "show_test"))  # drawn by the page
        self.figure_widget = self.canvas

    def _paused(self):
        self.counter.value = self._counter_text()

    def close(self):
        """Close the app: every widget (ipywidgets keeps them, and their callbacks keep the app,
        until closed) and the figure. Build, use, close: thirty Playgrounds hold no memory."""
        self.pause()
        seen, todo = set(), [self.ui, self.figure_widget]
        while todo:  # every widget reachable from the layout: children, layouts, styles, toolbar
            w = todo.pop()
            if id(w) in seen:
                continue
            seen.add(id(w))
            for key in w.keys:
                value = getattr(w, key, None)
                for v in value if isinstance(value, (tuple, list)) else (value,):
                    if isinstance(v, W.Widget):
                        todo.append(v)
            w.close()

    def refresh(self, full=False):
        """Send the trainer's state to the page (full: also the points, from epoch 0)."""
        self.canvas.send_frame(full=full)
        self.counter.value = self._counter_text()
        self._show_link()

    def _counter_text(self):
        t, h = self.trainer, self.trainer.history
        parts = [f"<b>Epoch {t.epoch:,}</b>", f"updates {h.iterations:,}"]
        if h.epoch:
            parts += [f"train loss {h.final('loss'):.3f}", f"test loss {h.final('val_loss'):.3f}"]
            if t.classification:
                parts.append(f"test accuracy {100 * h.final('val_accuracy'):.1f} %")
            parts.append(f"lr {t.optimizer.lr:.3g}")
        return " · ".join(parts)

    # --- layout
    def _layout(self):
        c = self.controls
        box = partial(W.VBox, layout=W.Layout(padding="4px"))
        data = box([c["problem"], c["dataset"], c["noise"], c["train_ratio"], c["batch_size"],
                    c["seed"], W.HTML("<b>Your own data</b>: a CSV of x1, x2, label"),
                    self.upload])
        features = W.HBox(list(self.feature_buttons.values()), layout=W.Layout(flex_flow="wrap",
                                                                             width="300px"))
        network = box([W.HTML("<b>Input features</b>"), features, c["n_layers"],
                       *self.neuron_sliders, c["activation"], c["init"]])
        training = box([c["loss"], c["optimizer"], c["lr"], c["momentum"], c["beta1"],
                        c["beta2"], c["weight_decay"], c["schedule"], c["schedule_epochs"],
                        c["clip_norm"]])
        regular = box([c["regularization"], c["reg_rate"], c["dropout"], c["batchnorm"],
                       c["early_stopping"], c["patience"]])
        share = box([self.preset, self.preset_button, self.preset_why,
                     self.link,
                     W.HTML("<b>Configuration</b> (JSON): hand a setting out, or load one"),
                     W.HBox([self.export_button, self.import_button]), self.config_text])
        tabs = W.Tab([data, network, training, regular, share],
                     layout=W.Layout(width=f"{TABS_PX}px", max_width="100%"))
        for i, title in enumerate(TAB_TITLES):
            tabs.set_title(i, title)
        self.tabs = tabs
        run = W.HBox([self.step_button, self.reset_button, self.show_test, self.discretize],
                     layout=W.Layout(align_items="center", flex_flow="row wrap"))
        plots = W.VBox([run, self.status, self.figure_widget],
                       layout=W.Layout(width=f"{FIGURE_PX + FRAME_PX}px", max_width="100%",
                                       margin="0 12px 8px 0"))
        # side by side where both fit, else the tabs go below the plots: wrap, never clip
        return W.HBox([plots, tabs], layout=W.Layout(flex_flow="row wrap",
                                                     align_items="flex-start"))
