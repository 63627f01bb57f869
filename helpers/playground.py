"""The Playground (introduced in notebook 15): every knob of the TensorFlow Playground and the
ones it lacks, training a `helpers` network live.

Two layers, so that the logic is testable without a browser:
    Trainer     the engine, no widgets: a config dict -> data, input features, model,
                optimizer, loss; `train_epoch()` runs one pass of mini-batch updates.
    Playground  the widget app: controls -> Trainer, a Play clock that calls `step()`,
                plots whose artists are updated in place (ipympl), status and epoch counter.
A configuration is a plain JSON-able dict (DEFAULTS lists every key); PRESETS holds tested
settings, each with the sentence that says why it works or fails.
"""

import contextlib
import csv
import datetime
import difflib
import io
import json
import math
from functools import partial

import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np

from . import schedules
from .activations import ACTIVATIONS
from .data import make_dataset, train_val_split
from .diagnostics import layer_outputs
from .initializers import INITIALIZERS
from .losses import LOSSES, softmax
from .mlp import make_mlp
from .optimizers import OPTIMIZERS
from .plots import CLASS_CMAP, COLORS
from .regularization import EarlyStopping
from .training import History, predict, train_step
from .validation import check_choice, check_int, check_number
from .widgets import message, safe

# --------------------------------------------------------------------------- the configuration

#: input features, as the TensorFlow Playground's: name -> function of the raw (x1, x2)
FEATURES = {
    "x1": lambda X: X[:, 0],
    "x2": lambda X: X[:, 1],
    "x1^2": lambda X: X[:, 0] ** 2,
    "x2^2": lambda X: X[:, 1] ** 2,
    "x1*x2": lambda X: X[:, 0] * X[:, 1],
    "sin_x1": lambda X: np.sin(X[:, 0]),
    "sin_x2": lambda X: np.sin(X[:, 1]),
}
FEATURE_LABELS = {"x1": "x₁", "x2": "x₂", "x1^2": "x₁²", "x2^2": "x₂²", "x1*x2": "x₁x₂",
                  "sin_x1": "sin x₁", "sin_x2": "sin x₂"}

DATASETS = {"classification": ("circle", "xor", "gauss", "spiral"),
            "regression": ("reg-plane", "reg-gauss")}
CSV = "csv"  # the dataset name of the learner's own uploaded data
PROBLEM_LOSSES = {"classification": ("bce", "cross_entropy", "mse"),
                  "regression": ("mse", "mae", "huber")}
SCHEDULES = ("constant", "step", "exponential", "inverse_time", "cosine", "warmup_cosine",
             "one_cycle")
MAX_LAYERS, MAX_NEURONS = 6, 8
BOX = 6.0  # the plotted square [-6, 6]^2, as the Playground's

#: every key of a configuration, with the TensorFlow Playground's defaults where it has one
DEFAULTS = {
    "problem": "classification",
    "dataset": "circle",
    "noise": 0.0,             # 0 .. 0.5 (the Playground's 0-50 %)
    "train_ratio": 0.5,       # fraction of the points used for training; the rest is the test set
    "n_samples": 400,
    "features": ["x1", "x2"],
    "hidden": [4, 2],         # neurons per hidden layer (0-6 layers of 1-8 neurons)
    "activation": "tanh",
    "init": "auto",           # "auto": He for the ReLU family, Glorot otherwise (make_mlp's rule)
    "loss": "bce",
    "optimizer": "sgd",
    "lr": 0.03,
    "momentum": 0.0,          # SGD and RMSprop
    "beta1": 0.9,             # Adam, AdamW
    "beta2": 0.999,           # Adam, AdamW; RMSprop's alpha
    "weight_decay": 0.0,      # SGD, Adam (L2 in the gradient), AdamW (decoupled)
    "batch_size": 10,
    "schedule": "constant",
    "schedule_epochs": 200,   # the length of the decay, in epochs
    "regularization": "none",  # "none", "L1", "L2": a penalty added to the loss
    "reg_rate": 0.0,
    "dropout": 0.0,
    "batchnorm": False,
    "clip_norm": 0.0,         # 0: no gradient clipping
    "early_stopping": False,  # monitors the test loss (here the only held-out set)
    "patience": 20,
    "seed": 0,
}

#: knobs that act on the running network; any other change rebuilds it (as the Playground does)
LIVE_KEYS = {"lr", "batch_size", "momentum", "beta1", "beta2", "weight_decay", "optimizer",
             "schedule", "schedule_epochs", "regularization", "reg_rate", "clip_norm",
             "early_stopping", "patience"}
OPTIMIZER_KEYS = {"optimizer", "momentum", "beta1", "beta2", "weight_decay"}

_RANGES = {  # key: (low, high, integer?)
    "noise": (0.0, 0.5, False), "train_ratio": (0.1, 0.9, False), "n_samples": (20, 2000, True),
    "lr": (0.0, 10.0, False), "momentum": (0.0, 0.999, False), "beta1": (0.0, 0.999, False),
    "beta2": (0.0, 0.9999, False), "weight_decay": (0.0, 1.0, False),
    "batch_size": (1, 1000, True), "schedule_epochs": (1, 100_000, True),
    "reg_rate": (0.0, 10.0, False), "dropout": (0.0, 0.9, False), "clip_norm": (0.0, 100.0, False),
    "patience": (1, 10_000, True), "seed": (0, 2**31 - 1, True),
}
_CHOICES = {"problem": tuple(DATASETS), "dataset": (*DATASETS["classification"],
            *DATASETS["regression"], CSV), "activation": tuple(ACTIVATIONS),
            "init": ("auto", *INITIALIZERS), "loss": tuple(LOSSES), "optimizer": tuple(OPTIMIZERS),
            "schedule": SCHEDULES, "regularization": ("none", "L1", "L2")}


def validate_config(config):
    """A complete, checked copy of `config` (missing keys take DEFAULTS; a misspelt key, a
    value out of range or a dataset/loss that does not fit the problem raises ValueError)."""
    if not isinstance(config, dict):
        raise ValueError(f"config must be a dict of settings, got {type(config).__name__}")
    unknown = [k for k in config if k not in DEFAULTS and k != "csv_data"]
    if unknown:
        near = difflib.get_close_matches(unknown[0], list(DEFAULTS), n=1)
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        raise ValueError(f"unknown configuration key {unknown[0]!r}{hint}")
    cfg = {**DEFAULTS, **{k: v for k, v in config.items() if k != "csv_data"}}
    for key, choices in _CHOICES.items():
        check_choice(key, cfg[key], choices)
    for key, (low, high, integer) in _RANGES.items():
        cfg[key] = (check_int(key, cfg[key], low=low, high=high) if integer
                    else check_number(key, cfg[key], low=low, high=high))
    for key in ("batchnorm", "early_stopping"):
        if not isinstance(cfg[key], bool):
            raise ValueError(f"{key} must be true or false, got {cfg[key]!r}")
    if not isinstance(cfg["features"], (list, tuple)):
        raise ValueError(f"features must be a list of names, got {cfg['features']!r}")
    features = list(cfg["features"])
    for f in features:
        check_choice("feature", f, tuple(FEATURES))
    if not features or len(set(features)) != len(features):
        raise ValueError("features must be a non-empty list of distinct names")
    cfg["features"] = [f for f in FEATURES if f in features]  # canonical order
    if not isinstance(cfg["hidden"], (list, tuple)):
        raise ValueError(f"hidden must be a list of neurons per layer, got {cfg['hidden']!r}")
    hidden = list(cfg["hidden"])
    if len(hidden) > MAX_LAYERS:
        raise ValueError(f"at most {MAX_LAYERS} hidden layers, got {len(hidden)}")
    cfg["hidden"] = [check_int("neurons", h, low=1, high=MAX_NEURONS) for h in hidden]
    if cfg["dataset"] != CSV and cfg["dataset"] not in DATASETS[cfg["problem"]]:
        raise ValueError(f"dataset {cfg['dataset']!r} is not a {cfg['problem']} data set; "
                         f"pick one of {', '.join(DATASETS[cfg['problem']])}")
    if cfg["loss"] not in PROBLEM_LOSSES[cfg["problem"]]:
        raise ValueError(f"loss {cfg['loss']!r} does not fit {cfg['problem']}; pick one of "
                         f"{', '.join(PROBLEM_LOSSES[cfg['problem']])}")
    return cfg


def config_to_json(config, csv_data=None):
    """The whole configuration as JSON text (with the uploaded points if dataset is "csv")."""
    cfg = validate_config(config)
    if cfg["dataset"] == CSV and csv_data is not None:
        X, y = csv_data
        cfg["csv_data"] = [[round(float(a), 4), round(float(b), 4), round(float(c), 4)]
                           for (a, b), c in zip(X, y)]
    return json.dumps(cfg, indent=1)


def config_from_json(text):
    """(config, csv_data or None) from JSON text written by config_to_json (or by hand)."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON: {exc.msg} at line {exc.lineno}") from None
    if not isinstance(raw, dict):
        raise ValueError("the configuration must be a JSON object {...}")
    csv_data = None
    if raw.get("csv_data") is not None:
        rows = np.asarray(raw["csv_data"], dtype=np.float64)
        if rows.ndim != 2 or rows.shape[1] != 3:
            raise ValueError("csv_data must be a list of [x1, x2, label] rows")
        csv_data = (rows[:, :2].astype(np.float32), rows[:, 2])
    cfg = validate_config(raw)
    if cfg["dataset"] == CSV and csv_data is None:
        raise ValueError('dataset "csv" needs the points: a "csv_data" list of [x1, x2, label]')
    return cfg, csv_data


def parse_csv(text):
    """The learner's data: rows of x1, x2, label (a header line is allowed; extra columns are
    ignored). Returns X (n, 2) float32 scaled into [-5, 5]^2 like the built-in sets, y, and the
    problem: "classification" when the label takes two values (mapped to 0 and 1, in sorted
    order), else "regression" (the label scaled into [-1, 1])."""
    rows = [r for r in csv.reader(io.StringIO(text.strip())) if r and any(c.strip() for c in r)]
    if rows and not _numeric(rows[0][:3]):
        rows = rows[1:]  # a header
    if len(rows) < 10:
        raise ValueError(f"the CSV needs at least 10 data rows of x1, x2, label; found {len(rows)}")
    data = []
    for i, r in enumerate(rows, 1):
        if len(r) < 3 or not _numeric(r[:3]):
            raise ValueError(f"row {i} is not three numbers x1, x2, label: {','.join(r)[:40]!r}")
        data.append([float(c) for c in r[:3]])
    data = np.asarray(data)
    X = data[:, :2]
    lo, hi = X.min(axis=0), X.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    X = ((X - lo) / span * 10.0 - 5.0).astype(np.float32)
    labels = np.unique(data[:, 2])
    if len(labels) == 1:
        raise ValueError("the label column holds a single value: nothing to learn")
    if len(labels) == 2:
        return X, (data[:, 2] == labels[1]).astype(np.int64), "classification"
    lab = data[:, 2]
    y = (lab - lab.min()) / (lab.max() - lab.min()) * 2.0 - 1.0
    return X, y.astype(np.float32), "regression"


def _numeric(cells):
    try:
        [float(c) for c in cells]
    except ValueError:
        return False
    return all(math.isfinite(float(c)) for c in cells)


# --------------------------------------------------------------------------- the engine


def make_features(X, names):
    """The network's input: one column per selected feature of the raw points X (n, 2)."""
    return np.column_stack([FEATURES[n](X) for n in names]).astype(np.float32)


def make_schedule(name, total_steps):
    """A multiplier of the base lr as a function of the update t (None for "constant").

    total_steps is the decay's length in updates; each decaying schedule ends near 1 % of the
    base lr (step: halves 4 times; one_cycle: torch's OneCycleLR).
    """
    total = max(2, int(total_steps))
    if name == "constant":
        return None
    if name == "step":
        return partial(schedules.step_decay, step_size=max(1, total // 4), gamma=0.5)
    if name == "exponential":
        return partial(schedules.exponential_decay, gamma=0.01 ** (1.0 / total))
    if name == "inverse_time":
        return partial(schedules.inverse_time_decay, decay_rate=99.0 / total)
    if name == "cosine":
        return partial(schedules.cosine_decay, total_steps=total, floor=0.01)
    if name == "warmup_cosine":
        wu = max(1, total // 10)
        return partial(schedules.warmup, warmup_steps=wu,
                       after=partial(schedules.cosine_decay, total_steps=total - wu, floor=0.01))
    return partial(schedules.one_cycle, total_steps=total)


class Trainer:
    """Data, features, model and optimizer from a configuration; trained one epoch at a time.

    config: a dict (missing keys from DEFAULTS).  csv_data: (X, y) of the learner's points,
    used when config["dataset"] == "csv".
    After each epoch `history` (a History) holds "loss" and "val_loss" (train and test loss,
    evaluation mode), "accuracy"/"val_accuracy" when classifying, and "lr".
    """

    def __init__(self, config=None, *, csv_data=None):
        self.csv_data = csv_data
        self.config = validate_config(config or {})
        self.build()

    # --- building
    def build(self):
        """(Re)make everything from self.config: a fresh network at epoch 0."""
        cfg = self.config
        if cfg["dataset"] == CSV:
            if self.csv_data is None:
                raise ValueError("no CSV uploaded yet: upload x1, x2, label rows first")
            X, y = self.csv_data
            problem = _csv_problem(self.csv_data)
            if problem != cfg["problem"]:
                raise ValueError(f"the uploaded data is a {problem} problem; set problem to "
                                 f"{problem}")
        else:
            X, y = make_dataset(cfg["dataset"], cfg["n_samples"], noise=cfg["noise"],
                                seed=cfg["seed"])
        self.X_train, self.X_test, self.y_train, self.y_test = train_val_split(
            X, y, val_fraction=1.0 - cfg["train_ratio"], seed=cfg["seed"])
        self.F_train = make_features(self.X_train, cfg["features"])
        self.F_test = make_features(self.X_test, cfg["features"])
        self.classification = cfg["problem"] == "classification"
        n_out = 2 if cfg["loss"] == "cross_entropy" else 1
        init = None if cfg["init"] == "auto" else cfg["init"]
        self.model = make_mlp([len(cfg["features"]), *cfg["hidden"], n_out],
                              activation=cfg["activation"], init=init, dropout=cfg["dropout"],
                              batchnorm=cfg["batchnorm"], seed=cfg["seed"])
        self.loss = LOSSES[cfg["loss"]]()
        self.rng = np.random.default_rng(cfg["seed"])
        self.history = History()
        self.finished = False  # diverged or stopped early: Reset to train again
        self._make_optimizer(keep_state=False)
        self._apply_live()

    def _make_optimizer(self, *, keep_state):
        cfg, cls = self.config, OPTIMIZERS[self.config["optimizer"]]
        knobs = {"sgd": {"momentum": cfg["momentum"], "weight_decay": cfg["weight_decay"]},
                 "rmsprop": {"momentum": cfg["momentum"], "alpha": cfg["beta2"]},
                 "adagrad": {},
                 "adam": {"beta1": cfg["beta1"], "beta2": cfg["beta2"],
                          "weight_decay": cfg["weight_decay"]},
                 "adamw": {"beta1": cfg["beta1"], "beta2": cfg["beta2"],
                           "weight_decay": cfg["weight_decay"]}}[cfg["optimizer"]]
        old = getattr(self, "optimizer", None)
        self.optimizer = cls(self.model.parameters(), lr=cfg["lr"], **knobs)
        if keep_state and type(old) is cls:  # same rule, new knobs: keep momentum buffers
            self.optimizer.state, self.optimizer.t = old.state, old.t

    def _apply_live(self):
        cfg = self.config
        self.optimizer.lr = cfg["lr"]
        updates = -(-len(self.F_train) // cfg["batch_size"])
        self.schedule = make_schedule(cfg["schedule"], cfg["schedule_epochs"] * updates)
        self.l1 = cfg["reg_rate"] if cfg["regularization"] == "L1" else 0.0
        self.l2 = cfg["reg_rate"] if cfg["regularization"] == "L2" else 0.0
        if not cfg["early_stopping"]:
            self.early_stopping = None
        elif getattr(self, "early_stopping", None) is None \
                or self.early_stopping.patience != cfg["patience"]:
            self.early_stopping = EarlyStopping(cfg["patience"], monitor="val_loss")

    def update(self, changes):
        """Apply changed knobs: live ones act on the running network, others rebuild it.

        Returns True when the network was rebuilt (epoch back to 0).
        """
        new = validate_config({**self.config, **changes})
        changed = {k for k in new if new[k] != self.config[k]}
        if not changed:
            return False
        self.config = new
        if changed - LIVE_KEYS:
            self.build()
            return True
        if changed & OPTIMIZER_KEYS:
            self._make_optimizer(keep_state=True)
        self._apply_live()
        return False

    def reset(self):
        """A new network of the same configuration (same seed: the same start)."""
        self.build()

    # --- training
    @property
    def epoch(self):
        return len(self.history.epoch)

    def train_epoch(self):
        """One pass over the training set in shuffled mini-batches; returns False when the
        run cannot go on (it diverged or early stopping ended it)."""
        if self.finished:
            return False
        cfg, h = self.config, self.history
        params = self.model.parameters()
        n, bs = len(self.F_train), cfg["batch_size"]
        idx = self.rng.permutation(n)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for start in range(0, n, bs):
                b = idx[start:start + bs]
                if cfg["batchnorm"] and len(b) < 2:
                    continue  # batch statistics need two samples
                if self.schedule is not None:
                    self.optimizer.lr = cfg["lr"] * float(self.schedule(h.iterations))
                value, _ = train_step(self.model, self.loss, self.optimizer, self.F_train[b],
                                      self._target(self.y_train[b]), l1=self.l1, l2=self.l2,
                                      clip_norm=cfg["clip_norm"] or None, params=params)
                if not math.isfinite(value):
                    return self._diverged(value)
                h.iterations += 1
                h.step_loss.append(value)
                h.step_lr.append(self.optimizer.lr)
            logs = self.evaluate()
        if not (math.isfinite(logs["loss"]) and math.isfinite(logs["val_loss"])):
            return self._diverged(logs["loss"])
        h.log(self.epoch + 1, logs)
        es = self.early_stopping
        if es is not None and es.on_epoch_end(self.epoch, logs, self.model):
            es.restore(self.model)
            h.stopped_epoch, h.best_epoch = es.stopped_epoch, es.best_epoch
            h.message = (f"Early stopping at epoch {es.stopped_epoch}: the test loss has not "
                         f"improved for {es.patience} epochs. The best, {es.best:.3g} at epoch "
                         f"{es.best_epoch}, is restored.")
            self.finished = True
            return False
        return True

    def train(self, epochs):
        """Up to `epochs` epochs (fewer if the run diverges or stops early); returns self."""
        for _ in range(check_int("epochs", epochs, low=0)):
            if not self.train_epoch():
                break
        return self

    def _diverged(self, value):
        h = self.history
        h.diverged = True
        h.message = (f"Diverged at epoch {self.epoch + 1}, update {h.iterations + 1}: the loss "
                     f"is {value}. Lower the learning rate (now {self.config['lr']:.3g}), clip "
                     f"the gradient norm, or pick a gentler setting, then press Reset.")
        self.finished = True
        return False

    def _target(self, y):
        return y.astype(np.float32) if self.config["loss"] == "mse" and self.classification \
            else y

    def score(self, out):
        """One number per point: P(class 1) when classifying, the prediction when regressing."""
        loss = self.config["loss"]
        if loss == "cross_entropy":
            return softmax(out)[:, 1]
        if loss == "bce":
            return 0.5 * (1.0 + np.tanh(0.5 * out[:, 0]))
        if loss == "mse" and self.classification:
            return np.clip(out[:, 0], 0.0, 1.0)
        return out[:, 0]

    def evaluate(self):
        """Train and test loss (and accuracy when classifying) in evaluation mode, and the lr."""
        logs = {}
        for prefix, F, y in (("", self.F_train, self.y_train), ("val_", self.F_test, self.y_test)):
            out = predict(self.model, F)
            logs[f"{prefix}loss"] = self.loss.forward(out, self._target(y))
            if self.classification:
                logs[f"{prefix}accuracy"] = float(np.mean((self.score(out) > 0.5) == (y == 1)))
        logs["lr"] = float(self.optimizer.lr)
        return logs

    # --- what the plots show
    def grid(self, resolution):
        """Raw points of a resolution x resolution grid over [-6, 6]^2 (row 0 at y = -6)."""
        s = np.linspace(-BOX, BOX, resolution, dtype=np.float32)
        xx, yy = np.meshgrid(s, s)
        return np.column_stack([xx.ravel(), yy.ravel()])

    def output_map(self, resolution=60):
        """The network's score over the grid, shape (resolution, resolution)."""
        with np.errstate(over="ignore", invalid="ignore"):
            G = make_features(self.grid(resolution), self.config["features"])
            return self.score(predict(self.model, G)).reshape(resolution, resolution)

    def neuron_maps(self, resolution=20):
        """Columns of small maps: the input features, then each hidden layer's neurons
        (evaluation mode), each (resolution, resolution)."""
        with np.errstate(over="ignore", invalid="ignore"):
            G = make_features(self.grid(resolution), self.config["features"])
            cols = [G] + layer_outputs(self.model, G)
        return [[c[:, j].reshape(resolution, resolution) for j in range(c.shape[1])]
                for c in cols]


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


# --------------------------------------------------------------------------- presets

#: name -> config overrides, the sentence that explains the outcome, the epochs the claim is
#: about and the claim itself (checked in tests/test_playground.py and in notebook 15)
PRESETS = {}


def _preset(name, config, why, *, epochs, good, test_loss=None, diverges=False):
    PRESETS[name] = {"config": validate_config(config), "why": why, "epochs": epochs,
                     "good": good, "test_loss": test_loss, "diverges": diverges}


_SIN = ["x1", "x2", "sin_x1", "sin_x2"]
_GAUSS_SMALL = {"dataset": "gauss", "noise": 0.5, "train_ratio": 0.1, "hidden": [8] * 6,
                "activation": "relu", "optimizer": "adam", "lr": 0.01}
_PLANE = {"problem": "regression", "dataset": "reg-plane", "loss": "mse", "hidden": [4],
          "activation": "relu", "lr": 0.3}
# good: the test loss after `epochs` is below test_loss (the best epoch's, with early stopping)
_preset("good · circle: x₁², x₂² and no hidden layer",
        {"features": ["x1^2", "x2^2"], "hidden": []},
        "the circle's boundary x₁² + x₂² = r² is a straight line in the features x₁², x₂², so "
        "a model with no hidden layer (logistic regression) separates it.",
        epochs=100, good=True, test_loss=0.1)
_preset("good · xor: the single feature x₁x₂",
        {"dataset": "xor", "features": ["x1*x2"], "hidden": []},
        "xor's label is the sign of x₁x₂; given that product, one weight does what a hidden "
        "layer would otherwise have to learn.",
        epochs=50, good=True, test_loss=0.05)
_preset("good · spiral: Adam, 4×8 tanh, sin features",
        {"dataset": "spiral", "features": _SIN, "hidden": [8] * 4, "optimizer": "adam",
         "lr": 0.01},
        "sin x₁ and sin x₂ bring the periodic patterns the spiral's arms follow, and Adam's "
        "per-weight step sizes train a deep tanh net in a few dozen epochs.",
        epochs=50, good=True, test_loss=0.15)
_preset("good · reg-gauss: a 3×8 tanh net with Adam",
        {"problem": "regression", "dataset": "reg-gauss", "loss": "mse", "hidden": [8] * 3,
         "optimizer": "adam", "lr": 0.01},
        "six bumps need a few dozen bends in the surface: 3 layers of 8 tanh units have enough, "
        "and Adam finds them quickly.",
        epochs=100, good=True, test_loss=0.03)
_preset("good · noisy gauss, little data: L2 keeps it honest",
        {**_GAUSS_SMALL, "regularization": "L2", "reg_rate": 0.03},
        "with 40 noisy training points a 6×8 net can memorise the noise; the L2 penalty keeps "
        "the weights small, so the boundary stays smooth and the test loss stays low.",
        epochs=150, good=True, test_loss=0.3)
_preset("good · noisy gauss, little data: early stopping",
        {**_GAUSS_SMALL, "early_stopping": True, "patience": 20},
        "the test loss falls, then rises as the net starts to fit the noise; early stopping "
        "ends the run 20 epochs after the best epoch and restores that epoch's weights.",
        epochs=150, good=True, test_loss=0.3)
_preset("good · lr 0.3 on reg-plane, clipped",
        {**_PLANE, "clip_norm": 1.0},
        "clipping the gradient's norm to 1 caps the length of every step, so the learning rate "
        "that diverges without it (next preset) now converges.",
        epochs=50, good=True, test_loss=0.01)
# bad: the test loss stays above test_loss, or the run diverges
_preset("bad · lr 0.3 on reg-plane: diverges",
        _PLANE,
        "on a squared loss the gradient grows with the error: a step that overshoots the "
        "minimum makes the error larger, the next step larger still, and the loss reaches "
        "infinity within an epoch.",
        epochs=50, good=False, diverges=True)
_preset("bad · spiral with no hidden layer",
        {"dataset": "spiral", "hidden": []},
        "with no hidden layer the boundary is one straight line; no line separates two "
        "interleaved spirals, so the loss stays near log 2 ≈ 0.69.",
        epochs=50, good=False, test_loss=0.6)
_preset("bad · zero initialization",
        {"hidden": [8, 8], "activation": "relu", "init": "zeros", "lr": 0.1},
        "with every weight 0 the hidden units all compute 0 and get the same (zero) gradient: "
        "the symmetry never breaks and the net stays a constant, loss log 2.",
        epochs=100, good=False, test_loss=0.65)
_preset("bad · six sigmoid layers with SGD",
        {"hidden": [8] * 6, "activation": "sigmoid"},
        "each sigmoid multiplies the backward signal by at most 1/4, so the first layers of six "
        "barely move (vanishing gradients) and the loss sits at log 2.",
        epochs=100, good=False, test_loss=0.65)
_preset("bad · noisy gauss, little data, 6×8 ReLU net: overfits",
        _GAUSS_SMALL,
        "40 noisy training points and ~350 weights: the train loss keeps falling while the "
        "test loss climbs far above its best, the signature of overfitting.",
        epochs=150, good=False, test_loss=0.5)


def check_preset(name):
    """Run a preset headless for its epochs; return (claim holds, measured number, trainer).

    The measured number is the best test loss for early stopping, else the final test loss
    (nan when the run diverged)."""
    p = PRESETS[check_choice("preset", name, tuple(PRESETS))]
    t = Trainer(p["config"]).train(p["epochs"])
    h = t.history
    if p["diverges"]:
        return h.diverged, h.final("val_loss"), t
    value = (min(h.history["val_loss"]) if p["config"]["early_stopping"]
             else h.final("val_loss"))
    ok = not h.diverged and (value < p["test_loss"] if p["good"] else value > p["test_loss"])
    return ok, value, t


# --------------------------------------------------------------------------- the widget app

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


class Playground:
    """The live trainer: controls on the left, the network's maps, the output heat map and
    the loss curves on the right. Drive it from code as the tests do:

        pg = Playground(); pg.controls["lr"].value = 0.1; pg.step(5); pg.reset()
        pg.load_preset("good · spiral: Adam, 4×8 tanh, sin features"); pg.export_config()

    Every callback runs inside hp.widgets.safe: a bad combination becomes a one-line message
    in `status`, never a traceback; a diverging run pauses with a message.
    """

    def __init__(self, config=None, *, csv_data=None, output_resolution=60,
                 neuron_resolution=20):
        self.res, self.nres = output_resolution, neuron_resolution
        self.trainer = Trainer(config, csv_data=csv_data)
        self.csv_data = csv_data
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
        c["seed"] = W.BoundedIntText(value=cfg["seed"], min=0, max=2**31 - 1, description="Seed",
                                     style=_STYLE, layout=W.Layout(width="160px"))
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
            w.observe(self._on_change, names="value")
        c["problem"].observe(self._on_problem, names="value")

        self.play = W.Play(value=0, min=0, max=10**7, step=1, interval=150, show_repeat=False,
                           description="Play", tooltip="play / pause the training")
        self.play.observe(self._on_tick, names="value")
        self.speed = _slider(W.IntSlider, "Epochs per tick", 1, 1, 20, 1, width="220px")
        self.step_button = W.Button(description="Step", icon="step-forward",
                                    tooltip="one epoch", layout=W.Layout(width="90px"))
        self.reset_button = W.Button(description="Reset", icon="refresh",
                                     tooltip="a fresh network, same settings",
                                     layout=W.Layout(width="90px"))
        self.step_button.on_click(safe(lambda _: self.step(1), status=self.status))
        self.reset_button.on_click(safe(lambda _: self.reset(), status=self.status))
        self.show_test = W.Checkbox(value=True, description="Show test data", indent=False)
        self.discretize = W.Checkbox(value=False, description="Discretize output", indent=False)
        for w in (self.show_test, self.discretize):
            w.observe(safe(lambda _: self.refresh(), status=self.status), names="value")

        self.preset = _dropdown("Preset", list(PRESETS), next(iter(PRESETS), None))
        self.preset.layout.width = "420px"
        self.preset_why = W.HTML()
        self.preset_button = W.Button(description="Load preset", layout=W.Layout(width="120px"))
        self.preset_button.on_click(safe(lambda _: self.load_preset(self.preset.value),
                                         status=self.status))
        self.preset.observe(lambda _: self._show_why(), names="value")
        self._show_why()
        self.config_text = W.Textarea(placeholder="Export fills this box; paste a configuration "
                                      "here and press Import.", layout=W.Layout(width="420px",
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
            for key in ("dataset", "loss", "batch_size", "seed", "activation", "init", "dropout",
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
        safe(self.apply, status=self.status)(self.widget_config())

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
        t.train(epochs)
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
        """A fresh network with the same settings, at epoch 0."""
        self.trainer.reset()
        self.status.value = message("New network (epoch 0). Press play.", kind="info")
        self.refresh(full=True)

    # --- presets, export, import, upload
    def load_preset(self, name):
        """Load a preset: its settings (over DEFAULTS), a fresh network, and its why."""
        p = PRESETS[check_choice("preset", name, tuple(PRESETS))]
        self.pause()
        self._replace(dict(p["config"]))
        tag = "works" if p["good"] else "fails"
        self.status.value = message(f"Preset loaded: why it {tag}: {p['why']}", kind="info")

    def _replace(self, cfg, csv_data=None):
        if csv_data is not None:
            self.csv_data = csv_data
        self.trainer = Trainer(cfg, csv_data=self.csv_data)
        self._set_widgets(self.trainer.config)
        self.refresh(full=True)

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
        self.pause()
        self._replace(cfg, csv_data)
        self.status.value = message("Configuration imported: a fresh network.", kind="ok")

    def load_csv_text(self, text, name="your data"):
        """Use the learner's points: parse, switch to dataset "csv" and the matching problem."""
        X, y, problem = parse_csv(text)
        self.pause()
        cfg = {**self.trainer.config, "problem": problem, "dataset": CSV,
               "loss": PROBLEM_LOSSES[problem][0]}
        self._replace(cfg, (X, y))
        kind = f"{int(y.sum())} of class 1" if problem == "classification" else "regression"
        self.status.value = message(f"Loaded {name}: {len(X)} points ({kind}), scaled into "
                                    f"[-5, 5]².", kind="ok")

    def _on_upload(self, change):
        files = change.new
        if not files:
            return
        f = files[0]
        self.load_csv_text(bytes(f["content"]).decode("utf-8-sig"), name=f["name"])

    @staticmethod
    def upload_value(name, data):
        """A FileUpload value holding `data` (bytes): how tests simulate an upload."""
        return ({"name": name, "type": "text/csv", "size": len(data),
                 "content": memoryview(data),
                 "last_modified": datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)},)

    # --- the plots
    def _build_figure(self):
        with plt.ioff():
            self.fig = plt.figure(figsize=(9.6, 3.5), dpi=80)
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
                     layout=W.Layout(width="390px", min_width="390px"))
        for i, title in enumerate(("Data", "Net", "Train", "Regularize", "Share")):
            tabs.set_title(i, title)
        self.tabs = tabs
        for key in ("optimizer", "schedule", "regularization", "early_stopping", "n_layers"):
            c[key].observe(lambda _: self._update_visibility(), names="value")
        run = W.HBox([self.play, self.step_button, self.reset_button, self.speed,
                      self.show_test, self.discretize],
                     layout=W.Layout(align_items="center", flex_flow="wrap"))
        right = W.VBox([run, self.counter, self.status, self.figure_widget])
        return W.HBox([tabs, right], layout=W.Layout(align_items="flex-start"))


def _nearest(options, value):
    """The option closest to value on a log scale (0 matches 0)."""
    options = list(options)
    if value in options:
        return value
    return min(options, key=lambda o: abs(math.log10(o + 1e-12) - math.log10(value + 1e-12)))


def _csv_problem(csv_data):
    return "classification" if np.issubdtype(np.asarray(csv_data[1]).dtype, np.integer) \
        else "regression"
