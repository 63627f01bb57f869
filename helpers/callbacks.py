"""Callbacks for `fit`, with Keras's names (introduced in notebook 11; EarlyStopping in 10).

    fit(..., callbacks=[EarlyStopping(10), ReduceLROnPlateau(patience=5), HealthMonitor(X[:256])])

fit calls, in this order (as keras.callbacks.Callback):
    set_model(model), set_optimizer(optimizer)      once, before training
    on_train_begin(logs)
      on_epoch_begin(epoch, logs)                   epoch = 1, 2, ... (Keras counts from 0)
        on_train_batch_begin(step, logs)            step = updates done before this one: 0, 1, ...
                                                    (Keras passes the batch's index in the epoch)
        on_train_batch_end(step, logs)              logs: this update's "loss" and "lr"
      on_epoch_end(epoch, logs)                     logs: the epoch's "loss", "val_loss", "lr", ...
    on_train_end(logs)
A callback stops training by returning True from on_train_batch_end (the epoch is then
finished with the batches seen) or from on_epoch_end (Keras sets model.stop_training instead).
A callback changes the learning rate by setting self.optimizer.lr; under fit's lr_schedule
that change rescales the base rate the schedule multiplies (see ReduceLROnPlateau).
"""

import math

from .validation import check_choice, check_int, check_nonnegative, check_number

#: the per-epoch values a monitoring callback can watch, and which way is better
MONITORS = ("val_loss", "loss", "val_accuracy", "accuracy")


class Callback:
    """Base class: every hook does nothing; override the ones you need.

    self.model and self.optimizer are set by fit before training starts.
    """

    model = None
    optimizer = None

    def set_model(self, model):
        self.model = model

    def set_optimizer(self, optimizer):
        self.optimizer = optimizer

    def on_train_begin(self, logs=None):
        pass

    def on_epoch_begin(self, epoch, logs=None):
        pass

    def on_train_batch_begin(self, step, logs=None):
        pass

    def on_train_batch_end(self, step, logs=None):
        """Return True to stop training after this update."""

    def on_epoch_end(self, epoch, logs=None):
        """Return True to stop training after this epoch."""

    def on_train_end(self, logs=None):
        pass


class _Plateau(Callback):
    """What EarlyStopping and ReduceLROnPlateau share: the best value of `monitor` so far and
    the epochs since it improved by more than min_delta."""

    def _watch(self, monitor, min_delta):
        self.monitor = check_choice("monitor", monitor, MONITORS)
        self.min_delta = check_nonnegative("min_delta", min_delta)
        self.mode = "max" if monitor.endswith("accuracy") else "min"

    def _reset_best(self):
        self.best = -math.inf if self.mode == "max" else math.inf
        self.wait = 0

    def _improved(self, value):
        if self.mode == "min":
            return value < self.best - self.min_delta
        return value > self.best + self.min_delta

    def _value(self, logs):
        if self.monitor not in logs:
            raise ValueError(f"{type(self).__name__} monitors {self.monitor!r}, which this run "
                             f"does not record (pass validation_data to fit?)")
        return logs[self.monitor]


class EarlyStopping(_Plateau):
    """Stop when `monitor` has not improved by more than min_delta for `patience` epochs
    (as keras.callbacks.EarlyStopping). With restore_best_weights the model ends with the
    parameters (and BatchNorm running statistics) of its best epoch.

    Differs from Keras's defaults on purpose: patience=5 (Keras 0) and
    restore_best_weights=True (Keras False), the settings the course recommends.
    best, best_epoch, stopped_epoch, wait: what it has seen so far.
    """

    def __init__(self, patience=5, *, min_delta=0.0, restore_best_weights=True,
                 monitor="val_loss"):
        self.patience = check_int("patience", patience, low=0)
        self._watch(monitor, min_delta)
        self.restore_best_weights = bool(restore_best_weights)
        self.reset()

    def reset(self):
        self._reset_best()
        self.best_epoch = None
        self.stopped_epoch = None
        self._snapshot = None

    def on_train_begin(self, logs=None):
        self.reset()

    def on_epoch_end(self, epoch, logs, model=None):
        """Record this epoch's value; return True when training should stop.

        model: the model to snapshot (default: the one fit set with set_model).
        """
        value = self._value(logs)
        if self._improved(value):
            self.best, self.best_epoch, self.wait = value, epoch, 0
            if self.restore_best_weights:
                self._snapshot = [a.copy() for a in _state(self.model if model is None
                                                           else model)]
            return False
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch = epoch
            return True
        return False

    def on_train_end(self, logs=None):
        self.restore()

    def restore(self, model=None):
        """Put the best epoch's parameters back into the model (in place)."""
        if self.restore_best_weights and self._snapshot is not None:
            for a, saved in zip(_state(self.model if model is None else model),
                                self._snapshot):
                a[...] = saved

    def __repr__(self):
        return (f"EarlyStopping(patience={self.patience}, min_delta={self.min_delta}, "
                f"restore_best_weights={self.restore_best_weights}, monitor={self.monitor!r})")


class ReduceLROnPlateau(_Plateau):
    """Multiply the learning rate by `factor` when `monitor` has not improved by more than
    min_delta for `patience` epochs (keras.callbacks.ReduceLROnPlateau: the same names,
    defaults and rules). After a reduction the count restarts, and the next cooldown - 1 epochs
    are not counted: as in Keras, the last cooldown epoch already counts, so cooldown=1 changes
    nothing (PyTorch skips all `cooldown` epochs). The callback never sets the rate below min_lr.

        new_lr = max(lr * factor, min_lr)     (only when lr > min_lr)

    With fit's lr_schedule (lr_t = base_lr * schedule(t)) a reduction lowers the *base* rate:
    from then on lr_t = base_lr * (new_lr / lr) * schedule(t), so the whole rest of the
    schedule moves down by the same factor. (Keras refuses to combine the two: its optimizer
    raises TypeError when a callback sets the rate of a schedule.) min_lr bounds the rate the
    callback sets; the schedule may still take it lower later.
    Differs from Keras: arguments are keyword-only, `mode` is inferred from the name as
    Keras's mode="auto" does, and monitor is one of MONITORS.
    reductions: (epoch, old_lr, new_lr) for each reduction made.
    """

    def __init__(self, *, monitor="val_loss", factor=0.1, patience=10, min_delta=1e-4,
                 cooldown=0, min_lr=0.0, verbose=False):
        self.factor = check_number("factor", factor, low=0, high=1, low_open=True,
                                   high_open=True)
        self.patience = check_int("patience", patience, low=0)
        self._watch(monitor, min_delta)
        self.cooldown = check_int("cooldown", cooldown, low=0)
        self.min_lr = check_nonnegative("min_lr", min_lr)
        self.verbose = bool(verbose)
        self.reset()

    def reset(self):
        self._reset_best()
        self.cooldown_counter = 0
        self.reductions = []

    def on_train_begin(self, logs=None):
        self.reset()

    def on_epoch_end(self, epoch, logs=None):
        value = self._value(logs)
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.wait = 0
        if self._improved(value):
            self.best, self.wait = value, 0
        elif self.cooldown_counter == 0:
            self.wait += 1
            old = self.optimizer.lr
            if self.wait >= self.patience and old > self.min_lr:
                new = max(old * self.factor, self.min_lr)
                self.optimizer.lr = new
                self.reductions.append((epoch, old, new))
                if self.verbose:
                    print(f"epoch {epoch}: ReduceLROnPlateau lowers the learning rate from "
                          f"{old:.3g} to {new:.3g}")
                self.cooldown_counter, self.wait = self.cooldown, 0
        return False

    def __repr__(self):
        return (f"ReduceLROnPlateau(monitor={self.monitor!r}, factor={self.factor}, "
                f"patience={self.patience}, min_delta={self.min_delta}, "
                f"cooldown={self.cooldown}, min_lr={self.min_lr})")


def _state(model):
    return [p.data for p in model.parameters()] + list(model.buffers())
