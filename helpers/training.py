"""The training loop: `fit`, `evaluate`, `predict` and `History` (introduced in notebook 00).

One update (an "iteration") is:
    forward -> loss -> backward -> (+ penalty gradient) -> (clip) -> optimizer.step()
An epoch is one pass over the training data in mini-batches, reshuffled every epoch.
"""

import math
import sys
import time

import numpy as np

from .layers import Sequential
from .losses import Loss
from .optimizers import Optimizer, clip_grad_norm_
from .regularization import EarlyStopping, add_penalty_grad
from .validation import check_choice, check_int, check_nonnegative, check_number, check_rng


class History:
    """What `fit` measured (as keras.callbacks.History).

    history: per-epoch lists: "loss" and "accuracy" (averaged over the epoch's batches, in
      training mode), "val_loss" and "val_accuracy" (evaluation mode, after the epoch), "lr"
      (the learning rate of the epoch's last update). Accuracy only when classifying.
    epoch: the epoch numbers (1, 2, ...; Keras' History.epoch counts from 0).
    step_loss / step_lr: one value per update.
    iterations: updates done.  diverged: the loss became NaN or inf.
    stopped_epoch / best_epoch: set by early stopping.
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


def _as_input(model, X):
    """X in the model's float dtype (integer token ids are left as they are)."""
    X = np.asarray(X)
    if np.issubdtype(X.dtype, np.floating):
        return X.astype(_model_dtype(model), copy=False)
    return X


def predict(model, X, *, batch_size=None):
    """The model's outputs in evaluation mode (dropout off, BatchNorm on running statistics)."""
    X = _as_input(model, X)
    if batch_size is None:
        return model.forward(X, training=False)
    batch_size = check_int("batch_size", batch_size, low=1)
    return np.concatenate([model.forward(X[i:i + batch_size], training=False)
                           for i in range(0, len(X), batch_size)])


def evaluate(model, loss, X, y, *, batch_size=None):
    """{"loss": ..., "accuracy": ...} on (X, y) in evaluation mode (accuracy when classifying)."""
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


def train_step(model, loss, optimizer, X, y, *, l1=0.0, l2=0.0, clip_norm=None, params=None):
    """One update ("iteration") on the batch (X, y); returns (loss value, model output).

    forward -> loss -> zero_grad -> backward -> (+ l1 sign(w) + l2 w) -> (clip) -> step.
    A NaN or inf loss returns at once, before any parameter changes.
    params: model.parameters(), if the caller already has the list.
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
        clip_grad_norm_(params, clip_norm)
    optimizer.step()
    return value, out


@np.errstate(over="ignore", invalid="ignore")  # a diverging run is caught by value, below
def fit(model, loss, optimizer, X, y, *, epochs, batch_size=32, validation_data=None,
        lr_schedule=None, l1=0.0, l2=0.0, clip_norm=None, early_stopping=None, seed=0,
        shuffle=True, drop_last=False, progress="auto", verbose=True):
    """Train `model` on (X, y) with mini-batch gradient descent; return a History.

    epochs: passes over the data.  batch_size: examples per update (the last batch of an
    epoch is smaller unless drop_last).  lr_schedule: f(t) -> multiplier of optimizer's
    initial lr at update t.  l1, l2: penalties l1 sum|w| + l2/2 sum w^2 on weights.
    clip_norm: clip the global gradient norm.  early_stopping: an EarlyStopping.
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
    if early_stopping is not None and not isinstance(early_stopping, EarlyStopping):
        raise ValueError("early_stopping must be an EarlyStopping or None")
    if early_stopping is not None and early_stopping.monitor.startswith("val_") \
            and validation_data is None:
        raise ValueError(f"early_stopping monitors {early_stopping.monitor!r}: pass "
                         "validation_data=(X_val, y_val)")
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
        X_val, y_val = _as_input(model, X_val), np.asarray(y_val)
        if len(X_val) != len(y_val):
            raise ValueError(f"validation_data: X_val has {len(X_val)} rows but y_val has "
                             f"{len(y_val)}")
    rng = check_rng(seed)
    base_lr = optimizer.lr
    history = History()
    bar = _ProgressBar(epochs, progress)
    if early_stopping is not None:
        early_stopping.reset()
    stop = len(X) - len(X) % batch_size if drop_last else len(X)
    if stop == 0:
        raise ValueError(f"batch_size={batch_size} with drop_last=True leaves no batch "
                         f"of {len(X)} samples")

    n, params = len(X), model.parameters()
    for epoch in range(1, epochs + 1):
        order = rng.permutation(n) if shuffle else None
        seen = loss_sum = correct = 0.0
        for start in range(0, stop, batch_size):
            if order is None:
                xb, yb = X[start:start + batch_size], y[start:start + batch_size]
            else:  # gather one batch at a time: it is still in cache when the first matmul reads it
                rows = order[start:start + batch_size]
                xb, yb = X[rows], y[rows]
            if lr_schedule is not None:
                factor = float(lr_schedule(history.iterations))
                if not factor >= 0:  # also catches NaN
                    raise ValueError(f"lr_schedule returned {factor} at step "
                                     f"{history.iterations}; a multiplier must be >= 0")
                optimizer.lr = base_lr * factor
            value, out = train_step(model, loss, optimizer, xb, yb, l1=l1, l2=l2,
                                    clip_norm=clip_norm, params=params)
            if not math.isfinite(value):
                history.diverged = True
                history.message = (f"Diverged at epoch {epoch}, update {history.iterations + 1}: "
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
        if history.diverged:
            break
        logs = {"loss": loss_sum / seen}
        if loss.classification:
            logs["accuracy"] = correct / seen
        if X_val is not None:
            logs.update({f"val_{k}": v for k, v in evaluate(model, loss, X_val, y_val).items()})
        logs["lr"] = optimizer.lr
        history.log(epoch, logs)
        bar.update(epoch, logs)
        if early_stopping is not None and early_stopping.on_epoch_end(epoch, logs, model):
            break
    bar.close()
    if history.diverged and verbose:
        print(history.message)
    if early_stopping is not None:
        early_stopping.restore(model)
        history.stopped_epoch = early_stopping.stopped_epoch
        history.best_epoch = early_stopping.best_epoch
    optimizer.lr = base_lr  # a schedule's last value is in history; the next fit starts afresh
    return history
