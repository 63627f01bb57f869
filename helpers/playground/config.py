"""The Playground's configuration: every key with its default and range, validate_config,
and the JSON text that hands a setting out (config_to_json / config_from_json)."""

import difflib
import json
import os

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
