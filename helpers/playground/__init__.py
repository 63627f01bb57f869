"""The Playground (introduced in notebook 15): every knob of the TensorFlow Playground and the
ones it lacks (several classes among them), training a `helpers` network live.

Two layers, so that the logic is testable without a browser:
    Trainer     the engine, no widgets: a config dict -> data, input features, model,
                optimizer, loss; `train_epoch()` runs one pass of mini-batch updates.
    Playground  the widget app: controls -> Trainer; its picture (the network diagram, the
                output map, the losses) is drawn by the browser from float32 buffers, and the
                page asks for the next frame of training when it has drawn the last one.
A configuration is a plain JSON-able dict (DEFAULTS lists every key); PRESETS holds tested
settings, each with the sentence that says why it works or fails.

One module per responsibility:
    config    the keys, their defaults and ranges, the limits on shared data (MAX_POINTS,
              MAX_NUMBER, MAX_DEPTH, MAX_TEXT); validate_config; JSON export and import
    data      the learner's CSV (decode_csv, parse_csv), the checks every data set passes
              (points_from_rows, check_points) and the input features (make_features)
    engine    Trainer: data, model, optimizer and one epoch of training; mosaic (its neuron
              maps as one image, for a static figure)
    presets   PRESETS and check_preset
    link      a setting as the app's address hash (config_to_hash, config_from_hash)
    canvas    Canvas: the anywidget that draws (canvas.js, canvas.css) and paces training
    controls  the knobs (ipywidgets): a config shown on them and read back (widget_config)
    share     the Share tab (presets, JSON export and import, the link) and the CSV upload
    view      Playground: the widget app, made of the knobs, the Share tab and the canvas;
              the run control (step, start, pause, reset) and the layout
"""

from .config import (BOX, CSV, CSV_PROBLEMS, DATASETS, DEFAULTS, FEATURE_LABELS, FEATURES,
                     LIVE_KEYS, MAX_DEPTH, MAX_LAYERS, MAX_NEURONS, MAX_NUMBER, MAX_POINTS,
                     MAX_TEXT, MIN_POINTS, OPTIMIZER_KEYS, PROBLEM_LOSSES, SCHEDULES,
                     config_from_json, config_to_json, validate_config)
from .data import check_points, decode_csv, make_features, parse_csv, points_from_rows
from .engine import Trainer, make_schedule, mosaic
from .presets import PRESETS, check_preset
from .view import Playground

__all__ = ["BOX", "CSV", "CSV_PROBLEMS", "DATASETS", "DEFAULTS", "FEATURE_LABELS", "FEATURES",
           "LIVE_KEYS", "MAX_DEPTH", "MAX_LAYERS", "MAX_NEURONS", "MAX_NUMBER", "MAX_POINTS",
           "MAX_TEXT", "MIN_POINTS", "OPTIMIZER_KEYS", "PROBLEM_LOSSES", "SCHEDULES", "PRESETS",
           "Playground", "Trainer", "check_points", "check_preset", "config_from_json",
           "config_to_json", "decode_csv", "make_features", "make_schedule", "mosaic",
           "parse_csv", "points_from_rows", "validate_config"]
