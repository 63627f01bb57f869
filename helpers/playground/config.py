"""The Playground's configuration: every key with its default and range, validate_config,
and the JSON text that hands a setting out (config_to_json / config_from_json).

What a user's value may be, and the limits a file or a shared text must keep (MAX_POINTS,
MAX_NUMBER, MAX_DEPTH, MAX_TEXT), are checked here and in `data`: a value is used as given,
or a ValueError says what is wrong and what is allowed.
"""

import difflib
import json
import math
import os
import re
import reprlib
from numbers import Real

import numpy as np

from ..activations import ACTIVATIONS
from ..initializers import INITIALIZERS
from ..losses import LOSSES
from ..optimizers import OPTIMIZERS
from ..validation import check_choice, check_int, check_number

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
            "regression": ("reg-plane", "reg-gauss"),
            "multiclass": ("blobs-3", "blobs-5", "spiral-3")}  # 3 to 5 classes
CSV = "csv"  # the dataset name of the learner's own uploaded data
CSV_PROBLEMS = ("classification", "regression")  # what a CSV can be: two classes, or numbers
PROBLEM_LOSSES = {"classification": ("bce", "cross_entropy", "mse"),
                  "regression": ("mse", "mae", "huber"),
                  "multiclass": ("cross_entropy",)}  # softmax over one output per class
SCHEDULES = ("constant", "step", "exponential", "inverse_time", "cosine", "warmup_cosine",
             "one_cycle")
MAX_LAYERS, MAX_NEURONS = 6, 8  # as the TensorFlow Playground's + and - buttons allow
BOX = 6.0  # the plotted square [-6, 6]^2, as the Playground's

# Limits on what a file or a shared configuration may hold, each with its own message.
#: points of a data set: one tick (an epoch at batch size 1 of a 6x8 net on 90 % of 2,000
#: points, then the redraw) takes about a second on one laptop core
MAX_POINTS = 2000
MIN_POINTS = 10  # fewer rows than this leave one or two points for a split
#: |value| of any number in a file or a configuration: float64 holds every integer up to
#: 2**53 (about 9e15) exactly, so 1e15 keeps distinct values distinct; larger ones are typos
MAX_NUMBER = 1e15
_NUMBER_TEXT = "1e15"
#: nesting of a configuration's JSON: the object, its "csv_data" list, one [x1, x2, label] row
MAX_DEPTH = 3
#: characters of a CSV file or of a configuration's text (2,000 rows need about 100,000)
MAX_TEXT = 1_000_000

#: every key of a configuration. Where the TensorFlow Playground has the knob, the default is
#: its default (tensorflow/playground, src/state.ts and src/playground.ts); the comments say
#: where ours differs
DEFAULTS = {
    "problem": "classification",
    "dataset": "circle",
    "noise": 0.0,             # 0 .. 0.5 (the Playground's 0-50 %)
    "train_ratio": 0.5,       # fraction of the points used for training; the rest is the test set
    "n_samples": 500,         # TF draws 500 points to classify, 1200 for regression; one count here
    "features": ["x1", "x2"],
    "hidden": [4, 2],         # neurons per hidden layer (0-6 layers of 1-8 neurons)
    "activation": "tanh",
    "init": "auto",           # "auto": He for the ReLU family, Glorot otherwise (make_mlp's rule);
                              # TF: weights uniform in [-0.5, 0.5], biases 0.1
    "loss": "bce",            # TF has no choice: squared error on a tanh output, labels -1 and 1
    "optimizer": "sgd",       # TF: plain mini-batch SGD
    "lr": 0.03,
    "momentum": 0.0,          # SGD and RMSprop
    "beta1": 0.9,             # Adam, AdamW
    "beta2": 0.999,           # Adam, AdamW; RMSprop's alpha (torch's default alpha: 0.99)
    "weight_decay": 0.0,      # SGD, Adam (L2 in the gradient), AdamW (decoupled; torch: 0.01)
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
    "seed": 0,                # TF: a new random seed on each page load
}

#: the environment variable that caps one Step or ▶ tick's work, and its default
TICK_UPDATES_ENV, TICK_UPDATES_DEFAULT = "HP_PLAYGROUND_TICK_UPDATES", 1000


def tick_updates(environ=None):
    """The most mini-batch updates one Step or ▶ tick makes (the epoch under way finishes), so
    one learner's ▶ cannot hold a shared server's core: HP_PLAYGROUND_TICK_UPDATES (a server
    sets it for its kernels: voila.json) or 1000, a whole tick at the default settings."""
    text = (os.environ if environ is None else environ).get(TICK_UPDATES_ENV, "").strip()
    if not text:
        return TICK_UPDATES_DEFAULT
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"{TICK_UPDATES_ENV} must be a whole number of updates >= 1, got "
                         f"{text!r}")
    return int(text)


#: knobs that act on the running network; any other change rebuilds it. (The TensorFlow
#: Playground keeps its network only when the learning rate changes.)
LIVE_KEYS = {"lr", "batch_size", "momentum", "beta1", "beta2", "weight_decay", "optimizer",
             "schedule", "schedule_epochs", "regularization", "reg_rate", "clip_norm",
             "early_stopping", "patience"}
OPTIMIZER_KEYS = {"optimizer", "momentum", "beta1", "beta2", "weight_decay"}

_RANGES = {  # key: (low, high, integer?)
    "noise": (0.0, 0.5, False), "train_ratio": (0.1, 0.9, False),
    "n_samples": (20, MAX_POINTS, True),
    "lr": (0.0, 10.0, False), "momentum": (0.0, 0.999, False), "beta1": (0.0, 0.999, False),
    "beta2": (0.0, 0.9999, False), "weight_decay": (0.0, 1.0, False),
    "batch_size": (1, 1000, True), "schedule_epochs": (1, 100_000, True),
    "reg_rate": (0.0, 10.0, False), "dropout": (0.0, 0.9, False), "clip_norm": (0.0, 100.0, False),
    "patience": (1, 10_000, True), "seed": (0, 2**31 - 1, True),
}
_CHOICES = {"problem": tuple(DATASETS),
            "dataset": (*(d for ds in DATASETS.values() for d in ds), CSV),
            "activation": tuple(ACTIVATIONS),
            "init": ("auto", *INITIALIZERS), "loss": tuple(LOSSES), "optimizer": tuple(OPTIMIZERS),
            "schedule": SCHEDULES, "regularization": ("none", "L1", "L2")}

#: names from other tools (the TensorFlow Playground's URL, Keras, PyTorch) -> what to write
#: here; compared without case, "_", "-" or spaces
_ALIASES = {
    "learningrate": "'lr'", "learnrate": "'lr'", "eta": "'lr'", "stepsize": "'lr'",
    "regularizationrate": "'reg_rate'", "regrate": "'reg_rate'", "lambda": "'reg_rate'",
    "l1": "\"regularization\": \"L1\" with a 'reg_rate'",
    "l2": "\"regularization\": \"L2\" with a 'reg_rate'",
    "perctraindata": "'train_ratio' (a fraction: 0.5 for 50 %)",
    "trainpercent": "'train_ratio' (a fraction: 0.5 for 50 %)",
    "networkshape": "'hidden'", "hiddenlayers": "'hidden'", "hiddenlayersizes": "'hidden'",
    "layers": "'hidden'", "neurons": "'hidden'",
    "initializer": "'init'", "kernelinitializer": "'init'", "initialization": "'init'",
    "weightinit": "'init'", "initzero": "\"init\": \"zeros\"",
    "regdataset": "'dataset'", "data": "'dataset'", "inputs": "'features'",
    "percnoise": "'noise' (a fraction: 0.1 for 10 %)",
}
_NOT_SETTINGS = {
    "epochs": "the number of epochs is not a setting: press ▶ or Step (Trainer.train(epochs))",
    "numepochs": "the number of epochs is not a setting: press ▶ or Step (Trainer.train(epochs))",
    "showtestdata": "showing the test data is a display switch, not a setting",
    "discretize": "discretizing the output is a display switch, not a setting",
}


class _Short(reprlib.Repr):
    """repr for messages: a huge or deeply nested value is shown in a few dozen characters."""

    def __init__(self):
        super().__init__()
        self.maxlevel, self.maxlist, self.maxtuple, self.maxdict = 2, 4, 4, 3
        self.maxstring = self.maxother = 40

    def repr_int(self, x, level):
        if abs(x) < 10**15:
            return repr(x)
        digits = int(x.bit_length() * math.log10(2)) + 1
        return f"{'-' if x < 0 else ''}an integer of {digits} digits"

    def repr_instance(self, x, level):
        try:
            text = repr(x)
        except Exception:  # noqa: BLE001 - Fraction(10**5000, 1) cannot write its digits out
            return f"a {type(x).__name__} too large to show"
        return text if len(text) <= self.maxother else text[:self.maxother - 1] + "…"


_short = _Short().repr


def _kind(value):
    """What a JSON value is, in the words a learner reads in a message."""
    return {dict: "a dict {...}", list: "a list [...]", tuple: "a tuple", str: "a text",
            bool: "true/false", type(None): "null (None)"}.get(type(value), type(value).__name__)


def _unknown_key(key):
    text = key if isinstance(key, str) else None
    if text is None or len(text) > 60:
        return f"unknown configuration key {_short(key)}"
    norm = re.sub(r"[\s_\-]", "", text.lower())
    if norm in _NOT_SETTINGS:
        return f"unknown configuration key {text!r}: {_NOT_SETTINGS[norm]}"
    near = _ALIASES.get(norm)
    if near is None:
        close = difflib.get_close_matches(text, list(DEFAULTS), n=1)
        near = repr(close[0]) if close else None
    hint = f"did you mean {near}?" if near else f"the keys are {', '.join(DEFAULTS)}"
    return f"unknown configuration key {text!r} ({hint})"


def _scalar(key, value, low, high, integer):
    """A number in [low, high] (an int when `integer`); huge or odd values get a message too."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ValueError(f"{key} must be a number in [{low:g}, {high:g}], got {_kind(value)} "
                         f"{_short(value)}")
    if not isinstance(value, (float, np.floating)) and not low <= value <= high:
        # compared exactly, before any float(): 10**400 or a huge Fraction would overflow it
        raise ValueError(f"{key} must be {'an integer' if integer else 'a number'} in "
                         f"[{low:g}, {high:g}], got {_short(value)}")
    if integer:
        return check_int(key, value, low=low, high=high)
    return check_number(key, value, low=low, high=high)


def _choice(key, value, choices):
    if not isinstance(value, str) or len(value) > 60:
        allowed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{key} must be one of {allowed}; got {_kind(value)} {_short(value)}")
    return check_choice(key, value, choices)


def validate_config(config):
    """A complete, checked copy of `config` (missing keys take DEFAULTS; a misspelt key, a
    value out of range or a dataset/loss that does not fit the problem raises ValueError)."""
    if not isinstance(config, dict):
        raise ValueError(f"config must be a dict of settings, got {_kind(config)} {_short(config)}")
    unknown = [k for k in config if k not in DEFAULTS and k != "csv_data"]
    if unknown:
        raise ValueError(_unknown_key(unknown[0]))
    cfg = {**DEFAULTS, **{k: v for k, v in config.items() if k != "csv_data"}}
    for key, choices in _CHOICES.items():
        _choice(key, cfg[key], choices)
    for key, (low, high, integer) in _RANGES.items():
        cfg[key] = _scalar(key, cfg[key], low, high, integer)
    for key in ("batchnorm", "early_stopping"):
        if not isinstance(cfg[key], (bool, np.bool_)):
            raise ValueError(f"{key} must be true or false, got {_short(cfg[key])}")
        cfg[key] = bool(cfg[key])
    if not isinstance(cfg["features"], (list, tuple)):
        raise ValueError(f"features must be a list of names, got {_kind(cfg['features'])} "
                         f"{_short(cfg['features'])}")
    features = list(cfg["features"])
    if len(features) > len(FEATURES):
        raise ValueError(f"features: at most the {len(FEATURES)} names "
                         f"{', '.join(FEATURES)}; got {len(features)} entries")
    for f in features:
        _choice("feature", f, tuple(FEATURES))
    if not features or len(set(features)) != len(features):
        raise ValueError("features must be a non-empty list of distinct names")
    cfg["features"] = [f for f in FEATURES if f in features]  # canonical order
    if not isinstance(cfg["hidden"], (list, tuple)):
        raise ValueError(f"hidden must be a list of neurons per layer, got {_kind(cfg['hidden'])} "
                         f"{_short(cfg['hidden'])}")
    hidden = list(cfg["hidden"])
    if len(hidden) > MAX_LAYERS:
        raise ValueError(f"at most {MAX_LAYERS} hidden layers, got {len(hidden)}")
    cfg["hidden"] = [_scalar("neurons", h, 1, MAX_NEURONS, True) for h in hidden]
    if cfg["dataset"] != CSV and cfg["dataset"] not in DATASETS[cfg["problem"]]:
        raise ValueError(f"dataset {cfg['dataset']!r} is not a {cfg['problem']} data set; "
                         f"pick one of {', '.join(DATASETS[cfg['problem']])}")
    if cfg["loss"] not in PROBLEM_LOSSES[cfg["problem"]]:
        raise ValueError(f"loss {cfg['loss']!r} does not fit {cfg['problem']}; pick one of "
                         f"{', '.join(PROBLEM_LOSSES[cfg['problem']])}")
    if cfg["batchnorm"] and cfg["batch_size"] < 2:
        raise ValueError("batch norm normalizes over a batch, so it needs at least 2 points per "
                         "batch: set batch_size to 2 or more, or turn batch norm off")
    return cfg


def config_to_json(config, csv_data=None):
    """The whole configuration as JSON text (with the uploaded points if dataset is "csv":
    labels as 0/1 integers when classifying)."""
    cfg = validate_config(config)
    if cfg["dataset"] == CSV:
        if csv_data is None:
            raise ValueError('dataset "csv" needs its points: pass csv_data=(X, y)')
        X, y = csv_data
        classify = cfg["problem"] == "classification"
        label = (lambda v: int(v)) if classify else (lambda v: round(float(v), 4))
        cfg["csv_data"] = [[round(float(a), 4), round(float(b), 4), label(c)]
                           for (a, b), c in zip(X, y)]
    return json.dumps(cfg, indent=1)


def _json_depth(text):
    """How deep the JSON text nests lists and objects (brackets inside strings do not count)."""
    bare = re.sub(r'"[^"\\]*(?:\\.[^"\\]*)*"', "", text)
    brackets = np.frombuffer(re.sub(r"[^\[\]{}]", "", bare).encode("ascii"), np.uint8)
    if not len(brackets):
        return 0
    steps = np.where((brackets == ord("[")) | (brackets == ord("{")), 1, -1)
    return int(np.cumsum(steps).max())


def _big(text):
    return ValueError(f"the number {text[:20]}{'…' if len(text) > 20 else ''} is too large: "
                      f"numbers in a configuration must lie within ±{_NUMBER_TEXT}")


def _json_int(text):
    if len(text.lstrip("-")) > 16:  # before int(): a 5,000-digit int is slow and refused
        raise _big(text)
    value = int(text)
    if abs(value) > MAX_NUMBER:
        raise _big(text)
    return value


def _json_float(text):
    value = float(text)
    if not abs(value) <= MAX_NUMBER:  # also inf, from 1e400
        raise _big(text)
    return value


def _json_constant(text):
    raise ValueError(f"{text} is not allowed in a configuration: every number must be finite")


def config_from_json(text):
    """(config, csv_data or None) from JSON text written by config_to_json (or by hand).

    csv_data, the rows [x1, x2, label] of the learner's points, is checked and scaled as an
    uploaded file is (data.points_from_rows): (X float32 (n, 2), y int64 0/1 when classifying,
    float32 in [-1, 1] for regression)."""
    from .data import points_from_rows  # data imports this module

    if not isinstance(text, str):
        raise ValueError(f"the configuration must be JSON text (a str), got {_kind(text)}")
    if len(text) > MAX_TEXT:
        raise ValueError(f"the configuration text has {len(text):,} characters; at most "
                         f"{MAX_TEXT:,} are allowed (room for {MAX_POINTS:,} points)")
    depth = _json_depth(text)
    if depth > MAX_DEPTH:
        raise ValueError(f"the JSON nests {depth} levels deep; a configuration nests at most "
                         f"{MAX_DEPTH} (an object, its csv_data list, one [x1, x2, label] row)")
    try:
        raw = json.loads(text, parse_int=_json_int, parse_float=_json_float,
                         parse_constant=_json_constant)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON: {exc.msg} at line {exc.lineno}") from None
    except RecursionError:  # cannot happen below MAX_DEPTH; kept so it is a message if it does
        raise ValueError("the JSON nests too deeply") from None
    if not isinstance(raw, dict):
        raise ValueError(f"the configuration must be a JSON object {{...}}, got {_kind(raw)}")
    cfg = validate_config(raw)
    csv_data = None
    if raw.get("csv_data") is not None:
        rows = raw["csv_data"]
        if not isinstance(rows, list):
            raise ValueError(f"csv_data must be a list of [x1, x2, label] rows, got {_kind(rows)}")
        if len(rows) > MAX_POINTS:
            raise ValueError(f"csv_data has {len(rows):,} points; the Playground takes at most "
                             f"{MAX_POINTS:,}")
        for i, row in enumerate(rows, 1):
            if not (isinstance(row, list) and len(row) == 3
                    and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in row)):
                raise ValueError(f"row {i} of csv_data is not [x1, x2, label] (three numbers): "
                                 f"{_short(row)}")
        X, y, _ = points_from_rows(np.asarray(rows, dtype=np.float64), problem=cfg["problem"],
                                   where=lambda i: f"row {i + 1} of csv_data")
        csv_data = (X, y)
    if cfg["dataset"] == CSV and csv_data is None:
        raise ValueError('dataset "csv" needs the points: a "csv_data" list of [x1, x2, label]')
    return cfg, csv_data
