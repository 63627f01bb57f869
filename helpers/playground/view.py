"""The Playground widget app: the picture (`canvas`: the network diagram, the output map and
the loss curves, drawn in the browser) with the knobs in tabs beside it (below it on a narrow
screen); the picture's Play button asks the kernel for one frame of training at a time."""

import contextlib
import datetime
import html
import math
import re
import time
from functools import partial

import ipywidgets as W
import numpy as np

from ..activations import ACTIVATIONS
from ..initializers import INITIALIZERS
from ..optimizers import OPTIMIZERS
from ..diagnostics import linear_layers
from ..validation import check_choice, check_int, check_number
from ..widgets import message, safe
from .canvas import Canvas, train_for
from .config import (CSV, DATASETS, DEFAULTS, FEATURE_LABELS, FEATURES, MAX_LAYERS,
                     MAX_NEURONS, PROBLEM_LOSSES, SCHEDULES, config_from_json, config_to_json,
                     tick_updates)
from .data import _csv_problem, parse_csv
from .engine import Trainer
from .link import config_from_hash, config_to_hash
from .presets import PRESETS

def mosaic(columns, *, gap=3):
    """One image of the maps laid out as columns (NaN between tiles), for a static figure
    (the live view draws each tile in the browser, canvas.js, scaled the same way). Each tile
    is scaled by its largest |value|, so its sign pattern shows; a dead unit (all 0) stays
    blank."""
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
FIGURE_PX = 720  # the picture (canvas.css: the diagram 450 + a gap 12 + the output 250)
FRAME_PX = 12  # room for the output area's padding
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
        self._counted = 0.0  # when the counter was last written while running
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

        self.preset = _dropdown("Preset", list(PRESETS), next(iter(PRESETS), None))
        self.preset.layout.width = "100%"
        self.preset_why = W.HTML()
        self.preset_button = W.Button(description="Load preset", layout=W.Layout(width="120px"))
        self.preset_button.on_click(safe(lambda _: self.load_preset(self.preset.value),
                                         status=self.status))
        self.preset.observe(lambda _: self._show_why(), names="value")
        self._show_why()
        self.link = W.HTML()  # the setting as a link (the app's address + a hash)
        self._base = None  # the app's address, once its page has said it
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
        self.counter.value = self._counter_text()
        self._show_link()
        self.canvas.send_frame(full=full)

    # --- the setting as a link
    def _show_link(self):
        try:
            h = config_to_hash(self.trainer.config)
        except ValueError as exc:  # a CSV setting: its points do not fit in an address
            self.canvas.url_hash = ""
            self.link.value = f"<b>Link</b>: {exc}."
            return
        self.canvas.url_hash = h
        if self._base:  # the app: its whole address
            url = html.escape(self._base + h, quote=True)
            self.link.value = (f"<b>Link to this setting</b> (copy it): "
                               f"<a href='{url}' target='_blank'>{url}</a>")
        else:
            self.link.value = (f"<b>Link</b>: in the app (<code>voila app/playground.ipynb</code>) "
                               f"this setting opens from its address followed by "
                               f"<code>{h or '(nothing: the defaults)'}</code>")

    def open_link(self, hash_text, base=None):
        """The app's page opened with `hash_text` ('#lr=0.1&...') in its address: load that
        setting (a fresh network). A bad link is a message; the defaults stay."""
        if base is not None:
            self._base = str(base)[:500]
        cfg = config_from_hash(hash_text) if hash_text else None
        if cfg is not None and cfg != self.trainer.config:
            self.pause()
            self._replace(cfg)
            self.status.value = message("Setting from the link: a fresh network. Press play.",
                                        kind="info")
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
        for key in ("optimizer", "schedule", "regularization", "early_stopping", "n_layers"):
            c[key].observe(lambda _: self._update_visibility(), names="value")
        run = W.HBox([self.step_button, self.reset_button, self.show_test, self.discretize],
                     layout=W.Layout(align_items="center", flex_flow="row wrap"))
        plots = W.VBox([run, self.status, self.figure_widget],
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
