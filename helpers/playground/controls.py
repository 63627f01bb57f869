"""The Playground's knobs: the ipywidgets controls of every key of a configuration (the Data,
Network, Training and Regularize tabs), how a configuration is shown on them (`_set_widgets`)
and read back from them (`widget_config`), which knobs show for the optimizer, schedule and
regularization chosen, and what a change of a knob does (it goes to `Playground.apply`).

`Controls` is a part of `Playground` (view.py), which gives it `trainer`, `csv_data`,
`status` and `apply`. A slider shows a fixed list of values (the learning rates of the
TensorFlow Playground, say); a configuration may hold any value in range (an imported lr of
0.05), so the slider shows the nearest one and `widget_config` keeps the exact value."""

import contextlib
import math
import re

import ipywidgets as W

from ..activations import ACTIVATIONS
from ..initializers import INITIALIZERS
from ..optimizers import OPTIMIZERS
from ..validation import check_int
from ..widgets import message, safe
from .config import (CSV, DATASETS, DEFAULTS, FEATURE_LABELS, FEATURES, MAX_LAYERS, MAX_NEURONS,
                     PROBLEM_LOSSES, SCHEDULES)
from .data import _csv_problem

_LR_VALUES = (1e-5, 1e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)  # the Playground's
_RATE_VALUES = (0.0, 1e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
_STYLE = {"description_width": "initial"}


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


def _nearest(options, value):
    """The option closest to value on a log scale (0 matches 0)."""
    options = list(options)
    if value in options:
        return value
    return min(options, key=lambda o: abs(math.log10(o + 1e-12) - math.log10(value + 1e-12)))


class Controls:
    """The knobs of a Playground: `controls` (a dict of widgets by configuration key, plus
    "n_layers"), `feature_buttons` (one toggle per input feature) and `neuron_sliders` (one
    per possible hidden layer)."""

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
        for key in ("optimizer", "schedule", "regularization", "early_stopping", "n_layers"):
            c[key].observe(lambda _: self._update_visibility(), names="value")

    def _dataset_options(self, problem):
        extra = [CSV] if self.csv_data is not None and _csv_problem(self.csv_data) == problem \
            else []
        return [*DATASETS[problem], *extra]

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
