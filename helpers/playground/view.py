"""The Playground widget app: the network's maps, the output heat map and the loss curves,
with the knobs in tabs beside them (below them on a narrow screen); a Play clock calls
`step()`."""

import contextlib
import datetime
import math
import re
from functools import partial

import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np

from ..activations import ACTIVATIONS
from ..initializers import INITIALIZERS
from ..optimizers import OPTIMIZERS
from ..plots import CLASS_CMAP, COLORS
from ..validation import check_choice, check_int
from ..widgets import message, safe
from .config import (BOX, CSV, DATASETS, DEFAULTS, FEATURE_LABELS, FEATURES, MAX_LAYERS,
                     MAX_NEURONS, PROBLEM_LOSSES, SCHEDULES, config_from_json, config_to_json,
                     tick_updates)
from .data import _csv_problem, parse_csv
from .engine import Trainer
from .presets import PRESETS

def mosaic(columns, *, gap=3):
    """One image of the maps laid out as columns (NaN between tiles): one imshow for all,
    so a live update is a single set_data. Each tile is scaled by its largest |value|, so
    its sign pattern shows; a dead unit (all 0) stays blank."""
    r = columns[0][0].shape[0]
    rows = max(len(c) for c in columns)
    img = np.full((rows * (r + gap) - gap, len(columns) * (r + gap) - gap), np.nan)
    for j, col in enumerate(columns):
        for i, m in enumerate(col):
            peak = np.nanmax(np.abs(m)) if np.isfinite(m).any() else 0.0
            tile = m / peak if peak > 0 else np.zeros_like(m)
            img[i * (r + gap):i * (r + gap) + r, j * (r + gap):j * (r + gap) + r] = tile[::-1]
    return img


_LR_VALUES = (1e-5, 1e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)  # the Playground's
_RATE_VALUES = (0.0, 1e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
_STYLE = {"description_width": "initial"}
# Sizes in CSS pixels. The figure and the tabs sit side by side where there is room for both
# (FIGURE_PX + TABS_PX + a gap: Voila at 1280 px) and wrap, figure first, where there is not
# (JupyterLab at 1280 px with the file browser open leaves about 850 px).
FIGURE_PX, FIGURE_HEIGHT_PX, DPI = 720, 272, 80
FRAME_PX = 12  # ipympl draws the figure inside a frame a few pixels wider
TABS_PX = 470  # five tabs share it: "Regularize" needs about 90 px to show in full
TAB_TITLES = ("Data", "Network", "Training", "Regularize", "Share")


def _dropdown(desc, options, value):
    return W.Dropdown(options=options, value=value, description=desc, style=_STYLE,
                      layout=W.Layout(width="260px"))


def _slider(cls, desc, value, lo, hi, step, fmt=None, width="260px"):
    kw = {"readout_format": fmt} if fmt else {}
    return cls(value=value, min=lo, max=hi, step=step, description=desc, style=_STYLE,
               continuous_update=False, layout=W.Layout(width=width), **kw)


def parse_seed(text):
    """The Seed box's text as a seed: a whole number in [0, 2**31 - 1] ("1.5" is refused, not
    read as 15 as a number box reads it)."""
    text = str(text).strip()
    return check_int("seed", int(text) if re.fullmatch(r"[+-]?\d+", text) else text,
                     low=0, high=2**31 - 1)


class Playground:
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
        self.trainer = Trainer(config, csv_data=csv_data)
        self.csv_data = self.trainer.csv_data  # checked: float32 points, int64 or float32 labels
        self._quiet = 0  # > 0 while several widgets are set from code: no rebuild per widget
        self.status = W.HTML(layout=W.Layout(min_height="1.6em"))
        self.counter = W.HTML()
        self._build_controls()
        self._build_figure()
        self._set_widgets(self.trainer.config)
        self.refresh(full=True)
        self.ui = self._layout()

    # --- controls
    def _build_controls(self):
        cfg, c = self.trainer.config, {}
        c["problem"] = _dropdown("Problem", list(DATASETS), cfg["problem"])
        c["dataset"] = _dropdown("Data", self._dataset_options(cfg["problem"]), cfg["dataset"])
        c["noise"] = _slider(W.IntSlider, "Noise %", int(round(cfg["noise"] * 100)), 0, 50, 5)
        c["train_ratio"] = _slider(W.IntSlider, "Train %", int(round(cfg["train_ratio"] * 100)),
                                   10, 90, 10)
        c["batch_size"] = _slider(W.IntSlider, "Batch size", cfg["batch_size"], 1, 100, 1)
        # a text box, checked here: a number box drops the "." of "1.5" and reads 15
        c["seed"] = W.Text(value=str(cfg["seed"]), description="Seed", style=_STYLE,
                           continuous_update=False, layout=W.Layout(width="160px"))
        self.feature_buttons = {f: W.ToggleButton(value=f in cfg["features"],
                                                  description=FEATURE_LABELS[f],
                                                  layout=W.Layout(width="64px"))
                                for f in FEATURES}
        c["n_layers"] = _slider(W.IntSlider, "Hidden layers", len(cfg["hidden"]), 0, MAX_LAYERS, 1)
        self.neuron_sliders = [
            _slider(W.IntSlider, f"Layer {i + 1}", 4, 1, MAX_NEURONS, 1, width="200px")
            for i in range(MAX_LAYERS)]
        c["activation"] = _dropdown("Activation", list(ACTIVATIONS), cfg["activation"])
        c["init"] = _dropdown("Initializer", ["auto", *INITIALIZERS], cfg["init"])
        c["dropout"] = _slider(W.FloatSlider, "Dropout p", cfg["dropout"], 0.0, 0.8, 0.05, ".2f")
        c["batchnorm"] = W.Checkbox(value=cfg["batchnorm"], description="Batch norm",
                                    indent=False)
        c["loss"] = _dropdown("Loss", list(PROBLEM_LOSSES[cfg["problem"]]), cfg["loss"])
        c["optimizer"] = _dropdown("Optimizer", list(OPTIMIZERS), cfg["optimizer"])
        c["lr"] = W.SelectionSlider(options=_LR_VALUES, value=_nearest(_LR_VALUES, cfg["lr"]),
                                    description="Learning rate", style=_STYLE,
                                    continuous_update=False, layout=W.Layout(width="260px"))
        c["momentum"] = _slider(W.FloatSlider, "Momentum", cfg["momentum"], 0.0, 0.99, 0.01)
        c["beta1"] = _slider(W.FloatSlider, "β₁", cfg["beta1"], 0.0, 0.99, 0.01)
        c["beta2"] = _slider(W.FloatSlider, "β₂ (RMSprop α)", cfg["beta2"], 0.9, 0.999, 0.001,
                             ".3f")
        c["weight_decay"] = _dropdown("Weight decay", [0.0, 1e-4, 1e-3, 1e-2, 1e-1],
                                      _nearest([0.0, 1e-4, 1e-3, 1e-2, 1e-1],
                                               cfg["weight_decay"]))
        c["schedule"] = _dropdown("LR schedule", list(SCHEDULES), cfg["schedule"])
        c["schedule_epochs"] = _slider(W.IntSlider, "…over epochs", cfg["schedule_epochs"], 10,
                                       1000, 10)
        c["regularization"] = _dropdown("Regularization", ["none", "L1", "L2"],
                                        cfg["regularization"])
        c["reg_rate"] = _dropdown("Regularization rate", list(_RATE_VALUES),
                                  _nearest(_RATE_VALUES, cfg["reg_rate"]))
        c["clip_norm"] = _dropdown("Clip grad norm (0: off)", [0.0, 0.1, 1.0, 10.0],
                                   _nearest([0.0, 0.1, 1.0, 10.0], cfg["clip_norm"]))
        c["early_stopping"] = W.Checkbox(value=cfg["early_stopping"], indent=False,
                                         description="Early stopping (test loss)")
        c["patience"] = _slider(W.IntSlider, "Patience", cfg["patience"], 1, 200, 1)
        self.controls = c
        for w in [*c.values(), *self.feature_buttons.values(), *self.neuron_sliders]:
            if w is not c["seed"]:
                w.observe(self._on_change, names="value")
        c["seed"].observe(self._on_seed, names="value")
        c["problem"].observe(self._on_problem, names="value")

        self.play = W.Play(value=0, min=0, max=10**7, step=1, interval=150, show_repeat=False,
                           description="Play", tooltip="play / pause the training")
        self.play.observe(self._on_tick, names="value")
        self.speed = _slider(W.IntSlider, "Epochs per tick", 1, 1, 20, 1, width="290px")
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
        for w in (self.show_test, self.discretize):
            w.observe(safe(lambda _: self.refresh(), status=self.status), names="value")

        self.preset = _dropdown("Preset", list(PRESETS), next(iter(PRESETS), None))
        self.preset.layout.width = "100%"
        self.preset_why = W.HTML()
        self.preset_button = W.Button(description="Load preset", layout=W.Layout(width="120px"))
        self.preset_button.on_click(safe(lambda _: self.load_preset(self.preset.value),
                                         status=self.status))
        self.preset.observe(lambda _: self._show_why(), names="value")
        self._show_why()
        self.config_text = W.Textarea(placeholder="Export fills this box; paste a configuration "
                                      "here and press Import.", layout=W.Layout(width="100%",
                                                                               height="160px"))
        self.export_button = W.Button(description="Export", icon="download",
                                      layout=W.Layout(width="100px"))
        self.import_button = W.Button(description="Import", icon="upload",
                                      layout=W.Layout(width="100px"))
        self.export_button.on_click(safe(lambda _: self.export_config(), status=self.status))
        self.import_button.on_click(safe(lambda _: self.import_config(self.config_text.value),
                                         status=self.status))
        self.upload = W.FileUpload(accept=".csv,.txt", multiple=False,
                                   description="Upload CSV")
        self.upload.observe(safe(self._on_upload, status=self.status), names="value")

    def _dataset_options(self, problem):
        extra = [CSV] if self.csv_data is not None and _csv_problem(self.csv_data) == problem \
            else []
        return [*DATASETS[problem], *extra]

    def _show_why(self):
        p = PRESETS.get(self.preset.value)
        if p:
            tag = "works" if p["good"] else "fails"
            self.preset_why.value = (f"<b>Why it {tag}:</b> {p['why']}")

    @contextlib.contextmanager
    def _batch(self):
        """Set several widgets without rebuilding after each one."""
        self._quiet += 1
        try:
            yield
        finally:
            self._quiet -= 1

    def _set_widgets(self, cfg):
        c = self.controls
        with self._batch():
            c["problem"].value = cfg["problem"]
            c["dataset"].options = self._dataset_options(cfg["problem"])
            c["loss"].options = list(PROBLEM_LOSSES[cfg["problem"]])
            c["seed"].value = str(cfg["seed"])
            for key in ("dataset", "loss", "batch_size", "activation", "init", "dropout",
                        "batchnorm", "optimizer", "momentum", "beta1", "beta2", "schedule",
                        "schedule_epochs", "regularization", "early_stopping", "patience"):
                c[key].value = cfg[key]
            c["noise"].value = int(round(cfg["noise"] * 100))
            c["train_ratio"].value = int(round(cfg["train_ratio"] * 100))
            c["lr"].value = _nearest(_LR_VALUES, cfg["lr"])
            c["weight_decay"].value = _nearest(c["weight_decay"].options, cfg["weight_decay"])
            c["reg_rate"].value = _nearest(c["reg_rate"].options, cfg["reg_rate"])
            c["clip_norm"].value = _nearest(c["clip_norm"].options, cfg["clip_norm"])
            for f, b in self.feature_buttons.items():
                b.value = f in cfg["features"]
            c["n_layers"].value = len(cfg["hidden"])
            for i, s in enumerate(self.neuron_sliders):
                if i < len(cfg["hidden"]):
                    s.value = cfg["hidden"][i]
        self._update_visibility()

    def widget_config(self):
        """The configuration the controls show now (a dict of DEFAULTS' keys)."""
        c = self.controls
        cfg = {k: c[k].value for k in DEFAULTS if k in c}
        cfg["seed"] = parse_seed(c["seed"].value)
        cfg["noise"] = c["noise"].value / 100
        cfg["train_ratio"] = c["train_ratio"].value / 100
        cfg["features"] = [f for f, b in self.feature_buttons.items() if b.value]
        cfg["hidden"] = [s.value for s in self.neuron_sliders[:c["n_layers"].value]]
        cfg["n_samples"] = self.trainer.config["n_samples"]
        # a widget that cannot show the exact value (an imported lr of 0.05) keeps the config's
        for key in ("lr", "weight_decay", "reg_rate", "clip_norm"):
            if _nearest(c[key].options, self.trainer.config[key]) == cfg[key]:
                cfg[key] = self.trainer.config[key]
        return cfg

    def _update_visibility(self):
        c, opt = self.controls, self.controls["optimizer"].value
        shown = {"momentum": opt in ("sgd", "rmsprop"), "beta1": opt in ("adam", "adamw"),
                 "beta2": opt in ("adam", "adamw", "rmsprop"),
                 "weight_decay": opt in ("sgd", "adam", "adamw"),
                 "schedule_epochs": c["schedule"].value != "constant",
                 "reg_rate": c["regularization"].value != "none",
                 "patience": c["early_stopping"].value}
        for key, on in shown.items():
            c[key].layout.display = None if on else "none"
        for i, s in enumerate(self.neuron_sliders):
            s.layout.display = None if i < c["n_layers"].value else "none"

    def _on_problem(self, change):
        if self._quiet:
            return
        with self._batch():  # a new problem brings its own data sets and losses
            self.controls["dataset"].options = self._dataset_options(change.new)
            self.controls["loss"].options = list(PROBLEM_LOSSES[change.new])
        self._on_change()

    def _on_change(self, _change=None):
        if self._quiet:
            return
        cfg = self.widget_config()
        if cfg["features"]:
            safe(self.apply, status=self.status)(cfg)
            return
        # no feature ticked: the network keeps its features, every other knob still applies
        keep = {**cfg, "features": self.trainer.config["features"]}
        if safe(self.apply, status=self.status)(keep) is not None:  # None: it showed an error
            with self._batch():  # apply ticked the running features again: show what you set
                for button in self.feature_buttons.values():
                    button.value = False
            keep = ", ".join(FEATURE_LABELS[f] for f in self.trainer.config["features"])
            self.status.value = message(f"features: tick at least one input feature; the network "
                                        f"keeps {keep} until you do.", kind="error")

    def _on_seed(self, change):
        """A seed that is not a whole number is refused with a message; the box shows the seed
        in use again."""
        if self._quiet:
            return
        try:
            parse_seed(change.new)
        except ValueError as exc:
            with self._batch():
                self.controls["seed"].value = str(self.trainer.config["seed"])
            self.status.value = message(f"ValueError: {exc}", kind="error")
            return
        self._on_change()

    def apply(self, config):
        """Apply a (partial) configuration: live knobs act on the running network, others
        rebuild it. The controls are set to match."""
        self.status.value = ""
        rebuilt = self.trainer.update(config)
        self._set_widgets(self.trainer.config)
        self.refresh(full=rebuilt)
        if rebuilt:
            self.status.value = message("New network (epoch 0). Press play.", kind="info")
        return rebuilt

    # --- the clock
    def _on_tick(self, change):
        if change.new > change.old:  # the Play's stop button sets the value back to 0
            safe(self.step, status=self.status)(self.speed.value)

    def step(self, epochs=1):
        """Train `epochs` epochs and update the plots; pauses with a message when the run
        diverges or early stopping ends it."""
        t = self.trainer
        if t.finished:
            self.pause()
            self.status.value = message(t.history.message + " Press Reset to train again.",
                                        kind="warning")
            return False
        t.train(epochs, max_updates=tick_updates())  # a bounded tick on a shared server
        if t.finished:
            self.pause()
            kind = "warning" if t.history.diverged else "ok"
            self.status.value = message(t.history.message, kind=kind)
        self.refresh(full=False)
        return not t.finished

    def start(self):
        """Start the clock (the Play widget ticks in the browser: one `step` per tick)."""
        self.play.playing = True

    def pause(self):
        """Stop the clock."""
        self.play.playing = False

    def reset(self):
        """A fresh network with the same settings, at epoch 0, the clock stopped."""
        self.pause()
        self.trainer.reset()
        self.status.value = message("New network (epoch 0). Press play.", kind="info")
        self.refresh(full=True)

    # --- presets, export, import, upload
    def load_preset(self, name):
        """Load a preset: its settings (over DEFAULTS), a fresh network, and its why."""
        p = PRESETS[check_choice("preset", name, tuple(PRESETS))]
        self._replace(dict(p["config"]))
        if self.config_text.value:  # the JSON box shows the setting now in use, not the last one
            self.config_text.value = config_to_json(self.trainer.config, self.csv_data)
        tag = "works" if p["good"] else "fails"
        self.status.value = message(f"Preset loaded: why it {tag}: {p['why']}", kind="info")

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

    def export_config(self):
        """The whole configuration as JSON, also put in the text box; returns the text."""
        text = config_to_json(self.trainer.config, self.csv_data)
        self.config_text.value = text
        self.status.value = message("Configuration exported: copy the text to share it.",
                                    kind="ok")
        return text

    def import_config(self, text):
        """Load a configuration from JSON text (a bad one leaves everything as it was)."""
        cfg, csv_data = config_from_json(text)
        self._replace(cfg, csv_data)
        self.status.value = message("Configuration imported: a fresh network.", kind="ok")

    def load_csv_text(self, text, name="your data"):
        """Use the learner's points (CSV text, or a file's bytes): parse, switch to dataset
        "csv" and the matching problem. A bad file leaves everything as it was."""
        X, y, problem = parse_csv(text)
        cfg = {**self.trainer.config, "problem": problem, "dataset": CSV,
               "loss": PROBLEM_LOSSES[problem][0]}
        self._replace(cfg, (X, y))
        kind = (f"classification, {int(y.sum())} of class 1" if problem == "classification" else
                f"regression: the label takes {len(np.unique(y))} values, a classification "
                "needs exactly two")
        self.status.value = message(f"Loaded {name}: {len(X)} points ({kind}), scaled into "
                                    f"[-5, 5]².", kind="ok")

    def _on_upload(self, change):
        files = change.new
        if not files:
            return
        f = files[0]
        try:
            self.load_csv_text(bytes(f["content"]), name=f["name"])
        finally:
            self.upload.value = ()  # so that choosing the same file again (fixed) uploads it

    @staticmethod
    def upload_value(name, data):
        """A FileUpload value holding `data` (bytes): how tests simulate an upload."""
        return ({"name": name, "type": "text/csv", "size": len(data),
                 "content": memoryview(data),
                 "last_modified": datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)},)

    # --- the plots
    def _build_figure(self):
        # a figure of our own, not on pyplot's list (plt.figure's would stay open, one more per
        # Playground, until plt.close, which also kills an ipympl canvas): freed with the app
        with plt.ioff():
            self.fig = plt.new_figure_manager(
                0, figsize=(FIGURE_PX / DPI, FIGURE_HEIGHT_PX / DPI), dpi=DPI).canvas.figure
        gs = self.fig.add_gridspec(1, 3, width_ratios=[1.15, 1.0, 1.1], wspace=0.3,
                                   left=0.03, right=0.98, bottom=0.14, top=0.9)
        self.ax_net, self.ax_out, self.ax_loss = (self.fig.add_subplot(gs[i]) for i in range(3))
        self.net_image = self.ax_net.imshow(np.zeros((2, 2)), cmap=CLASS_CMAP, vmin=-1, vmax=1,
                                            interpolation="nearest")
        self.ax_net.set_title("features and hidden neurons", fontsize=9)
        self.ax_net.grid(False)
        self.ax_net.set_yticks([])
        self.ax_net.tick_params(length=0, labelsize=8)
        for s in self.ax_net.spines.values():
            s.set_visible(False)
        self.out_image = self.ax_out.imshow(np.zeros((2, 2)), origin="lower", cmap=CLASS_CMAP,
                                            extent=(-BOX, BOX, -BOX, BOX), vmin=0, vmax=1,
                                            alpha=0.75, interpolation="bilinear")
        kw = {"cmap": CLASS_CMAP, "s": 14, "linewidths": 0.6}
        empty = np.empty((0, 2))
        self.train_points = self.ax_out.scatter(*empty.T, c=empty[:, 0], edgecolors="w", **kw)
        self.test_points = self.ax_out.scatter(*empty.T, c=empty[:, 0], edgecolors="k",
                                               marker="D", **kw)
        self.ax_out.set_xlim(-BOX, BOX)
        self.ax_out.set_ylim(-BOX, BOX)
        self.ax_out.set_aspect("equal")
        self.ax_out.grid(False)
        self.ax_out.set_title("output (● train, ◆ test)", fontsize=9)
        self.ax_out.tick_params(labelsize=8)
        (self.train_line,) = self.ax_loss.plot([], [], color=COLORS[0], label="train loss")
        (self.test_line,) = self.ax_loss.plot([], [], color=COLORS[3], label="test loss",
                                              linestyle="--")
        self.ax_loss.set_xlabel("epoch", fontsize=9)
        self.ax_loss.set_title("loss", fontsize=9)
        self.ax_loss.tick_params(labelsize=8)
        self.ax_loss.legend(fontsize=8, loc="upper right")
        canvas = self.fig.canvas
        if isinstance(canvas, W.DOMWidget):  # ipympl: a widget whose image we redraw in place
            canvas.header_visible = canvas.toolbar_visible = canvas.footer_visible = False
            canvas.resizable = False
            self.figure_widget = canvas
        else:  # any other backend: show a PNG of the figure in an Output
            self.figure_widget = W.Output()

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
        """Update the artists from the trainer (full: also the points, scales and labels)."""
        t = self.trainer
        if full:
            self._refresh_static()
        if not t.history.diverged:
            out = t.output_map(self.res)
            if self.discretize.value:
                out = (out > 0.5).astype(float) if t.classification else np.round(out * 4) / 4
            self.out_image.set_data(out)
            self.net_image.set_data(mosaic(t.neuron_maps(self.nres)))
        h = t.history
        self.train_line.set_data(h.epoch, h.history.get("loss", []))
        self.test_line.set_data(h.epoch, h.history.get("val_loss", []))
        if h.epoch:
            top = max(max(h.history["loss"]), max(h.history["val_loss"]))
            self.ax_loss.set_xlim(0, max(10, h.epoch[-1]))
            self.ax_loss.set_ylim(0, top * 1.05 if top > 0 else 1)
        self.test_points.set_visible(self.show_test.value)
        self.counter.value = self._counter_text()
        self._draw()

    def _refresh_static(self):
        t = self.trainer
        lo, hi = (0.0, 1.0) if t.classification else (-1.0, 1.0)
        self.out_image.set_clim(lo, hi)
        for pts, X, y in ((self.train_points, t.X_train, t.y_train),
                          (self.test_points, t.X_test, t.y_test)):
            pts.set_offsets(X)
            pts.set_array(np.asarray(y, dtype=float))
            pts.set_clim(lo, hi)
        img = mosaic(t.neuron_maps(self.nres))
        self.net_image.set_data(img)
        self.net_image.set_extent((-0.5, img.shape[1] - 0.5, img.shape[0] - 0.5, -0.5))
        step = self.nres + 3
        names = ["in", *[f"L{i + 1}" for i in range(len(t.config["hidden"]))]]
        self.ax_net.set_xticks([j * step + self.nres / 2 - 0.5 for j in range(len(names))],
                               names)
        self.ax_loss.set_xlim(0, 10)
        self.ax_loss.set_ylim(0, 1)
        self.ax_loss.set_ylabel(f"{t.config['loss']} loss", fontsize=9)

    def _counter_text(self):
        t, h = self.trainer, self.trainer.history
        parts = [f"<b>Epoch {t.epoch:,}</b>", f"updates {h.iterations:,}"]
        if h.epoch:
            parts += [f"train loss {h.final('loss'):.3f}", f"test loss {h.final('val_loss'):.3f}"]
            if t.classification:
                parts.append(f"test accuracy {100 * h.final('val_accuracy'):.1f} %")
            parts.append(f"lr {t.optimizer.lr:.3g}")
        return " · ".join(parts)

    def _draw(self):
        if isinstance(self.figure_widget, W.Output):
            from IPython import get_ipython
            from IPython.display import display
            if get_ipython() is None:  # plain Python (tests): nothing to show
                return
            self.figure_widget.clear_output(wait=True)
            with self.figure_widget:
                display(self.fig)
        else:
            self.fig.canvas.draw_idle()

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
                     W.HTML("<b>Configuration</b> (JSON): hand a setting out, or load one"),
                     W.HBox([self.export_button, self.import_button]), self.config_text])
        tabs = W.Tab([data, network, training, regular, share],
                     layout=W.Layout(width=f"{TABS_PX}px", max_width="100%"))
        for i, title in enumerate(TAB_TITLES):
            tabs.set_title(i, title)
        self.tabs = tabs
        for key in ("optimizer", "schedule", "regularization", "early_stopping", "n_layers"):
            c[key].observe(lambda _: self._update_visibility(), names="value")
        run = W.HBox([self.play, self.step_button, self.reset_button, self.speed,
                      self.show_test, self.discretize],
                     layout=W.Layout(align_items="center", flex_flow="row wrap"))
        plots = W.VBox([run, self.counter, self.status, self.figure_widget],
                       layout=W.Layout(width=f"{FIGURE_PX + FRAME_PX}px", max_width="100%",
                                       margin="0 12px 8px 0"))
        # side by side where both fit, else the tabs go below the plots: wrap, never clip
        return W.HBox([plots, tabs], layout=W.Layout(flex_flow="row wrap",
                                                     align_items="flex-start"))


def _nearest(options, value):
    """The option closest to value on a log scale (0 matches 0)."""
    options = list(options)
    if value in options:
        return value
    return min(options, key=lambda o: abs(math.log10(o + 1e-12) - math.log10(value + 1e-12)))
