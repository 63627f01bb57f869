"""The training loop: `fit`, `evaluate`, `predict` and `History` (introduced in notebook 00).

One update (an "iteration") is:
    forward -> loss -> backward -> (+ penalty gradient) -> (clip) -> optimizer.step()
An epoch is one pass over the training data in mini-batches, reshuffled every epoch.
"""

import math
import sys
import time

import numpy as np

from .layers import Linear, Sequential
from .losses import Loss
from .optimizers import Optimizer, clip_grad_norm_
from .callbacks import Callback, EarlyStopping
from .regularization import add_penalty_grad
from .validation import (check_choice, check_data, check_int, check_nonnegative, check_number,
                         check_rng)


class History:
    """What `fit` measured (as keras.callbacks.History).

    history: per-epoch lists: "loss" and "accuracy" (averaged over the epoch's batches, in
      training mode), "val_loss" and "val_accuracy" (evaluation mode, after the epoch), "lr"
      (the learning rate of the epoch's last update). Accuracy only when classifying.
    epoch: the epoch numbers (1, 2, ...; Keras' History.epoch counts from 0).
    step_loss / step_lr: one value per update.
    iterations: updates done.  diverged: the loss became NaN or inf.
    stopped_epoch / best_epoch: set by early stopping (the first EarlyStopping callback).
    """

    def __init__(self):
        self.history = {}
        self.epoch = []
        self.step_loss = []
        self.step_lr = []
        self.iterations = 0
        self.diverged = False
        self.stopped_epoch = None
        self.best_epoch = None
        self.message = ""

    def log(self, epoch, logs):
        self.epoch.append(epoch)
        for key, value in logs.items():
            self.history.setdefault(key, []).append(value)

    def final(self, key):
        """The last recorded value of a metric (nan if none)."""
        values = self.history.get(key, [])
        return values[-1] if values else math.nan

    def __repr__(self):
        last = ", ".join(f"{k}={v[-1]:.4g}" for k, v in self.history.items() if v)
        flag = ", diverged" if self.diverged else ""
        return f"History(epochs={len(self.epoch)}, iterations={self.iterations}, {last}{flag})"


def _accuracy(out, y):
    """Fraction correct: argmax of logits for CrossEntropyLoss, logit > 0 for BCEWithLogitsLoss."""
    if out.ndim >= 2 and out.shape[-1] > 1:
        hits = out.argmax(axis=-1) == np.asarray(y).reshape(out.shape[:-1])
    else:
        hits = (out.reshape(-1) > 0) == (np.asarray(y).reshape(-1) > 0.5)
    return np.count_nonzero(hits) / hits.size if hits.size else math.nan


def _model_dtype(model):
    params = model.parameters()
    return params[0].data.dtype if params else np.dtype(np.float32)


def _widths(model):
    """{"n_features", "n_outputs"}: a Sequential's input and output widths where a Linear sets
    them (None where the model does not tell), for check_data."""
    layers = model.layers if isinstance(model, Sequential) and len(model) else [None]
    first, last = layers[0], layers[-1]
    return {"n_features": first.in_features if isinstance(first, Linear) else None,
            "n_outputs": last.out_features if isinstance(last, Linear) else None}


def _multiplier(lr_schedule, step):
    """lr_schedule(step) as a float, or a ValueError unless it is a finite number >= 0."""
    factor = lr_schedule(step)
    if isinstance(factor, np.ndarray) and factor.ndim == 0:  # e.g. from np.where
        factor = factor[()]
    try:
        return check_number("multiplier", factor, low=0)
    except ValueError:
        raise ValueError(f"lr_schedule returned {factor!r:.40} at step {step}; a multiplier "
                         "must be a finite number >= 0") from None


def _as_input(model, X):
    """X in the model's float dtype (integer token ids are left as they are)."""
    X = np.asarray(X)
    if np.issubdtype(X.dtype, np.floating):
        return X.astype(_model_dtype(model), copy=False)
    return X


def predict(model, X, *, batch_size=None):
    """The model's outputs in evaluation mode (dropout off, BatchNorm on running statistics)."""
    X, _ = check_data(X, **_widths(model))
    X = _as_input(model, X)
    if batch_size is None:
        return model.forward(X, training=False)
    batch_size = check_int("batch_size", batch_size, low=1)
    return np.concatenate([model.forward(X[i:i + batch_size], training=False)
                           for i in range(0, len(X), batch_size)])


def evaluate(model, loss, X, y, *, batch_size=None):
    """{"loss": ..., "accuracy": ...} on (X, y) in evaluation mode (accuracy when classifying)."""
    X, y = check_data(X, y, loss=loss, **_widths(model))
    out = predict(model, X, batch_size=batch_size)
    result = {"loss": loss.forward(out, y)}
    if loss.classification:
        result["accuracy"] = _accuracy(out, y)
    return result


class _ProgressBar:
    """A one-line text bar on stderr, shown only once a run has lasted more than `after` s."""

    def __init__(self, total, mode, after=2.0):
        self.total, self.mode, self.after = total, mode, after
        self.start = time.perf_counter()
        self.shown = False

    def update(self, epoch, logs):
        elapsed = time.perf_counter() - self.start
        if self.mode is False or (self.mode == "auto" and elapsed < self.after):
            return
        self.shown = True
        done = int(30 * epoch / self.total)
        metrics = "  ".join(f"{k} {v:.4f}" for k, v in logs.items() if k != "lr")
        sys.stderr.write(f"\r[{'#' * done}{'.' * (30 - done)}] epoch {epoch}/{self.total}  "
                         f"{metrics}  {elapsed:.1f}s")
        sys.stderr.flush()

    def close(self):
        if self.shown:
            sys.stderr.write("\n")


def train_step(model, loss, optimizer, X, y, *, l1=0.0, l2=0.0, clip_norm=None, params=None,
               logs=None):
    """One update ("iteration") on the batch (X, y); returns (loss value, model output).

    forward -> loss -> zero_grad -> backward -> (+ l1 sign(w) + l2 w) -> (clip) -> step.
    A NaN or inf loss returns at once, before any parameter changes.
    params: model.parameters(), if the caller already has the list.
    logs: a dict that receives "grad_norm", the global gradient norm before clipping, when
    clip_norm is set (clipping computes it anyway; a HealthMonitor reads it).
    """
    out = model.forward(X, training=True)
    value = loss.forward(out, y)
    if not math.isfinite(value):
        return value, out
    params = model.parameters() if params is None else params
    optimizer.zero_grad()
    if isinstance(model, Sequential):
        model.backward(loss.backward(), input_grad=False)  # nobody needs the data's gradient
    else:
        model.backward(loss.backward())
    if l1 or l2:
        add_penalty_grad(params, l1=l1, l2=l2)
    if clip_norm is not None:
        total = clip_grad_norm_(params, clip_norm)
        if logs is not None:
            logs["grad_norm"] = total
    optimizer.step()
    return value, out


class _LearningRate:
    """The learning rate of each update: base_lr * lr_schedule(t), or the optimizer's own.

    A callback changes the rate by setting optimizer.lr (as Keras's set
    model.optimizer.learning_rate); `sync` takes the change in. Under a schedule it rescales
    the base rate the schedule multiplies, base <- base * new / old, so the rest of the
    schedule moves by the same factor; without one the new rate simply stays.
    """

    def __init__(self, optimizer, schedule):
        self.optimizer, self.schedule = optimizer, schedule
        self.base, self.factor = optimizer.lr, 1.0

    def start_update(self, t):
        if self.schedule is None:
            return
        factor = _multiplier(self.schedule, t)
        self.factor = factor
        self.optimizer.lr = self.base * factor

    def sync(self):
        lr = self.optimizer.lr
        if lr != self.base * self.factor:
            # a multiplier of 0 (say, warmup's first step) says nothing: take lr as the base
            self.base = lr / self.factor if self.factor > 0 else lr

    def finish(self):
        """The next fit starts from the base rate (with any callback's change kept)."""
        self.optimizer.lr = self.base


def _callback_list(callbacks, early_stopping, validation_data):
    """callbacks plus early_stopping, checked: Callback objects, each once, and validation
    data for those that watch a validation metric."""
    if early_stopping is not None and not isinstance(early_stopping, EarlyStopping):
        raise ValueError("early_stopping must be an EarlyStopping or None")
    if callbacks is None:
        callbacks = []
    if not isinstance(callbacks, (list, tuple)):
        raise ValueError(f"callbacks must be a list of Callback objects, got "
                         f"{type(callbacks).__name__}")
    callbacks = list(callbacks) + ([early_stopping] if early_stopping is not None else [])
    for cb in callbacks:
        if not isinstance(cb, Callback):
            raise ValueError(f"callbacks must hold Callback objects (such as "
                             f"hp.EarlyStopping(5)), got {cb!r}")
        monitor = getattr(cb, "monitor", "")
        if isinstance(monitor, str) and monitor.startswith("val_") and validation_data is None:
            name = "early_stopping" if cb is early_stopping else type(cb).__name__
            raise ValueError(f"{name} monitors {monitor!r}: pass "
                             "validation_data=(X_val, y_val)")
    if len({id(cb) for cb in callbacks}) < len(callbacks):
        raise ValueError("the same callback is passed twice (in callbacks and early_stopping?)")
    return callbacks


def _epoch_logs(loss, loss_sum, correct, seen):
    logs = {"loss": loss_sum / seen}
    if loss.classification:
        logs["accuracy"] = correct / seen
    return logs


@np.errstate(over="ignore", invalid="ignore")  # a diverging run is caught by value, below
def fit(model, loss, optimizer, X, y, *, epochs, batch_size=32, validation_data=None,
        lr_schedule=None, l1=0.0, l2=0.0, clip_norm=None, early_stopping=None, callbacks=None,
        seed=0, shuffle=True, drop_last=False, progress="auto", verbose=True):
    """Train `model` on (X, y) with mini-batch gradient descent; return a History.

    epochs: passes over the data.  batch_size: examples per update (the last batch of an
    epoch is smaller unless drop_last).  lr_schedule: f(t) -> multiplier of optimizer's
    initial lr at update t.  l1, l2: penalties l1 sum|w| + l2/2 sum w^2 on weights.
    clip_norm: clip the global gradient norm.  early_stopping: an EarlyStopping (the same as
    adding it to callbacks).  callbacks: a list of Callback objects (see helpers.callbacks:
    EarlyStopping, ReduceLROnPlateau, HealthMonitor, your own).
    seed: the shuffling order.  progress: True, False or "auto" (a bar on stderr for runs
    longer than ~2 s).  A NaN or inf loss stops the run at once, sets history.diverged and
    history.message, and prints that one line unless verbose=False (e.g. inside a search).
    """
    epochs = check_int("epochs", epochs, low=0)
    batch_size = check_int("batch_size", batch_size, low=1)
    l1 = check_nonnegative("l1", l1)
    l2 = check_nonnegative("l2", l2)
    if clip_norm is not None:
        check_number("clip_norm", clip_norm, low=0, low_open=True)
    if lr_schedule is not None and not callable(lr_schedule):
        raise ValueError("lr_schedule must be a function of the step t returning a multiplier")
    callbacks = _callback_list(callbacks, early_stopping, validation_data)
    check_choice("progress", progress, (True, False, "auto"))
    if not isinstance(loss, Loss):
        raise ValueError(f"loss must be a loss such as hp.CrossEntropyLoss(), got {loss!r}")
    if not isinstance(optimizer, Optimizer):
        raise ValueError(f"optimizer must be an optimizer such as hp.SGD(model.parameters(), "
                         f"lr=0.1), got {optimizer!r}")
    own = {id(p) for p in model.parameters()}
    if not all(id(p) in own for p in optimizer.params):
        raise ValueError("optimizer holds parameters that are not this model's: build it from "
                         "model.parameters()")
    X, y = check_data(X, y, loss=loss, **_widths(model))  # numbers, finite, labels the loss takes
    X = _as_input(model, X)
    y = np.asarray(y)
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} rows but y has {len(y)}")
    if len(X) == 0:
        raise ValueError("X is empty")
    X_val = y_val = None
    if validation_data is not None:
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
            raise ValueError("validation_data must be a pair (X_val, y_val)")
        X_val, y_val = validation_data
        X_val, y_val = check_data(X_val, y_val, loss=loss, names=("X_val", "y_val"),
                                  **_widths(model))
        X_val, y_val = _as_input(model, X_val), np.asarray(y_val)
        if len(X_val) != len(y_val):
            raise ValueError(f"validation_data: X_val has {len(X_val)} rows but y_val has "
                             f"{len(y_val)}")
    rng = check_rng(seed)
    rate = _LearningRate(optimizer, lr_schedule)
    history = History()
    bar = _ProgressBar(epochs, progress)
    stop = len(X) - len(X) % batch_size if drop_last else len(X)
    if stop == 0:
        raise ValueError(f"batch_size={batch_size} with drop_last=True leaves no batch "
                         f"of {len(X)} samples")

    for cb in callbacks:
        cb.set_model(model)
        cb.set_optimizer(optimizer)
        cb.on_train_begin()
    n, params, logs = len(X), model.parameters(), {}
    for epoch in range(1, epochs + 1):
        for cb in callbacks:
            cb.on_epoch_begin(epoch)
        order = rng.permutation(n) if shuffle else None
        seen = loss_sum = correct = 0.0
        stopping = False
        for start in range(0, stop, batch_size):
            if order is None:
                xb, yb = X[start:start + batch_size], y[start:start + batch_size]
            else:  # gather one batch at a time: it is still in cache when the first matmul reads it
                rows = order[start:start + batch_size]
                xb, yb = X[rows], y[rows]
            step = history.iterations
            rate.start_update(step)
            for cb in callbacks:
                cb.on_train_batch_begin(step)
            batch_logs = {}
            value, out = train_step(model, loss, optimizer, xb, yb, l1=l1, l2=l2,
                                    clip_norm=clip_norm, params=params, logs=batch_logs)
            if not math.isfinite(value):
                history.diverged = True
                history.message = (f"Diverged at epoch {epoch}, update {step + 1}: "
                                   f"loss is {value}. Try a smaller learning rate.")
                break
            history.iterations += 1
            history.step_loss.append(value)
            history.step_lr.append(optimizer.lr)
            m = len(xb)
            seen += m
            loss_sum += value * m
            if loss.classification:
                correct += _accuracy(out, yb) * m
            if callbacks:
                batch_logs.update(loss=value, lr=optimizer.lr)
                # every callback sees the update, even after one has asked to stop
                stopping = any([bool(cb.on_train_batch_end(step, batch_logs))
                                for cb in callbacks])
                rate.sync()
                if stopping:
                    break
        if history.diverged:
            break
        logs = _epoch_logs(loss, loss_sum, correct, seen)
        if X_val is not None:
            logs.update({f"val_{k}": v for k, v in evaluate(model, loss, X_val, y_val).items()})
        logs["lr"] = optimizer.lr
        history.log(epoch, logs)
        bar.update(epoch, logs)
        stopping = any([bool(cb.on_epoch_end(epoch, logs)) for cb in callbacks]) or stopping
        rate.sync()
        if stopping:
            break
    bar.close()
    if history.diverged and verbose:
        print(history.message)
    for cb in callbacks:
        cb.on_train_end(logs)
    stopper = next((cb for cb in callbacks if isinstance(cb, EarlyStopping)), None)
    if stopper is not None:
        history.stopped_epoch, history.best_epoch = stopper.stopped_epoch, stopper.best_epoch
    rate.finish()  # the next fit starts from the base rate (a callback's change kept)
    return history
