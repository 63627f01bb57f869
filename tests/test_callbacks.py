"""Callbacks for fit: the hooks and their order, stopping, EarlyStopping as a callback,
ReduceLROnPlateau against Keras's rule and together with an lr_schedule."""

import math
from functools import partial

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import helpers as hp
from helpers.callbacks import Callback, EarlyStopping, ReduceLROnPlateau


def data(n=40, seed=0):
    return hp.make_moons(n, noise=0.1, seed=seed)


def setup(seed=0, lr=0.05):
    model = hp.make_mlp([2, 8, 2], seed=seed)
    return model, hp.CrossEntropyLoss(), hp.SGD(model.parameters(), lr=lr)


class Recorder(Callback):
    """Writes down every call, and stops where told."""

    def __init__(self, stop_at_step=None, stop_at_epoch=None):
        self.calls, self.stop_at_step, self.stop_at_epoch = [], stop_at_step, stop_at_epoch

    def on_train_begin(self, logs=None):
        self.calls.append(("train_begin",))

    def on_epoch_begin(self, epoch, logs=None):
        self.calls.append(("epoch_begin", epoch))

    def on_train_batch_begin(self, step, logs=None):
        self.calls.append(("batch_begin", step))

    def on_train_batch_end(self, step, logs=None):
        self.calls.append(("batch_end", step, sorted(logs)))
        return step == self.stop_at_step

    def on_epoch_end(self, epoch, logs=None):
        self.calls.append(("epoch_end", epoch, sorted(logs)))
        return epoch == self.stop_at_epoch

    def on_train_end(self, logs=None):
        self.calls.append(("train_end",))


def test_hooks_are_called_in_keras_order_with_global_steps():
    X, y = data(20)
    model, loss, opt = setup()
    rec = Recorder()
    hp.fit(model, loss, opt, X, y, epochs=2, batch_size=10, validation_data=(X, y),
           callbacks=[rec], progress=False)
    epoch_keys = ["accuracy", "loss", "lr", "val_accuracy", "val_loss"]
    assert rec.calls == [
        ("train_begin",),
        ("epoch_begin", 1), ("batch_begin", 0), ("batch_end", 0, ["loss", "lr"]),
        ("batch_begin", 1), ("batch_end", 1, ["loss", "lr"]), ("epoch_end", 1, epoch_keys),
        ("epoch_begin", 2), ("batch_begin", 2), ("batch_end", 2, ["loss", "lr"]),
        ("batch_begin", 3), ("batch_end", 3, ["loss", "lr"]), ("epoch_end", 2, epoch_keys),
        ("train_end",)]
    assert rec.model is model and rec.optimizer is opt


def test_batch_logs_carry_the_loss_of_the_update_and_the_norm_before_clipping():
    X, y = data(20)
    model, loss, opt = setup()
    seen = []

    class Grab(Callback):
        def on_train_batch_end(self, step, logs=None):
            seen.append(dict(logs))

    h = hp.fit(model, loss, opt, X, y, epochs=1, batch_size=10, clip_norm=1e-3,
               callbacks=[Grab()], progress=False)
    assert [s["loss"] for s in seen] == h.step_loss
    assert all(s["grad_norm"] > 1e-3 for s in seen)     # the norm clipping cut down
    assert all(s["lr"] == 0.05 for s in seen)


def test_a_callback_stops_after_an_update_and_the_epoch_is_finished_with_what_was_seen():
    X, y = data(40)
    model, loss, opt = setup()
    stopper, other = Recorder(stop_at_step=6), Recorder()
    h = hp.fit(model, loss, opt, X, y, epochs=5, batch_size=10, callbacks=[stopper, other],
               progress=False)
    assert h.iterations == 7 and h.epoch == [1, 2]      # 4 updates in epoch 1, 3 in epoch 2
    assert h.history["loss"][1] == pytest.approx(np.mean(h.step_loss[4:7]))
    assert ("batch_end", 6, ["loss", "lr"]) in other.calls   # everyone saw the last update
    assert other.calls[-2][:2] == ("epoch_end", 2) and other.calls[-1] == ("train_end",)


def test_a_callback_stops_after_an_epoch():
    X, y = data(40)
    model, loss, opt = setup()
    h = hp.fit(model, loss, opt, X, y, epochs=9, batch_size=10,
               callbacks=[Recorder(stop_at_epoch=3)], progress=False)
    assert h.epoch == [1, 2, 3] and h.iterations == 12 and not h.diverged


def test_train_end_is_called_after_divergence():
    X, y = data(40)
    model = hp.make_mlp([2, 8, 2], seed=0)
    rec = Recorder()
    h = hp.fit(model, hp.CrossEntropyLoss(), hp.SGD(model.parameters(), lr=1e30), X, y,
               epochs=3, batch_size=10, callbacks=[rec], progress=False, verbose=False)
    assert h.diverged and rec.calls[-1] == ("train_end",)
    assert ("batch_begin", h.iterations) in rec.calls               # the update that failed
    assert ("batch_end", h.iterations, ["loss", "lr"]) not in rec.calls


def test_early_stopping_argument_and_callback_are_the_same():
    X, y = data(60)
    Xv, yv = data(60, seed=1)
    runs = []
    for how in ("argument", "callback"):
        model, loss, opt = setup(lr=0.5)
        es = EarlyStopping(patience=2, monitor="val_loss")
        kw = {"early_stopping": es} if how == "argument" else {"callbacks": [es]}
        h = hp.fit(model, loss, opt, X, y, epochs=60, batch_size=10, validation_data=(Xv, yv),
                   progress=False, **kw)
        runs.append((h.history, h.stopped_epoch, h.best_epoch,
                     [p.data.copy() for p in model.parameters()]))
    assert runs[0][:3] == runs[1][:3] and runs[0][1] is not None
    assert all(np.array_equal(a, b) for a, b in zip(runs[0][3], runs[1][3]))


def test_early_stopping_keeps_its_old_interface():
    """The Playground calls on_epoch_end(epoch, logs, model) and restore(model) itself."""
    from helpers.regularization import EarlyStopping as FromRegularization

    assert FromRegularization is EarlyStopping is hp.EarlyStopping
    model = hp.make_mlp([2, 3, 1], seed=0)
    w = model.parameters()[0]
    es = EarlyStopping(2)
    assert (es.patience, es.min_delta, es.restore_best_weights, es.monitor) == \
        (2, 0.0, True, "val_loss")
    best = w.data.copy()
    assert not es.on_epoch_end(1, {"val_loss": 1.0}, model)
    w.data += 1
    assert not es.on_epoch_end(2, {"val_loss": 1.5}, model)
    assert es.on_epoch_end(3, {"val_loss": 1.2}, model)
    assert (es.best, es.best_epoch, es.stopped_epoch) == (1.0, 1, 3)
    es.restore(model)
    assert np.array_equal(w.data, best)


def test_callbacks_are_checked_before_training():
    X, y = data(20)
    model, loss, opt = setup()
    es = EarlyStopping(1)
    for bad, match in ((Recorder(), "list of Callback"), (["stop"], "Callback objects"),
                       ([EarlyStopping], "Callback objects"), ("es", "list of Callback")):
        with pytest.raises(ValueError, match=match):
            hp.fit(model, loss, opt, X, y, epochs=1, callbacks=bad)
    with pytest.raises(ValueError, match="twice"):
        hp.fit(model, loss, opt, X, y, epochs=1, validation_data=(X, y), callbacks=[es],
               early_stopping=es)
    with pytest.raises(ValueError, match="ReduceLROnPlateau monitors 'val_loss'"):
        hp.fit(model, loss, opt, X, y, epochs=1, callbacks=[ReduceLROnPlateau()])
    before = [p.data.copy() for p in model.parameters()]
    assert all(np.array_equal(a, p.data) for a, p in zip(before, model.parameters()))


@pytest.mark.parametrize("kwargs, match", [
    ({"factor": 1.0}, "factor"), ({"factor": 0}, "factor"), ({"factor": "0.5"}, "factor"),
    ({"patience": -1}, "patience"), ({"patience": 2.5}, "patience"),
    ({"cooldown": -1}, "cooldown"), ({"min_lr": -1e-3}, "min_lr"),
    ({"min_delta": -1}, "min_delta"), ({"monitor": "val_acc"}, "monitor must be one of"),
])
def test_reduce_lr_on_plateau_names_bad_values(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ReduceLROnPlateau(**kwargs)


def test_reduce_lr_on_plateau_has_keras_defaults():
    r = ReduceLROnPlateau()
    assert (r.monitor, r.factor, r.patience, r.min_delta, r.cooldown, r.min_lr) == \
        ("val_loss", 0.1, 10, 1e-4, 0, 0.0)
    assert r.mode == "min" and ReduceLROnPlateau(monitor="val_accuracy").mode == "max"


class _Opt:
    def __init__(self, lr):
        self.lr = lr


def keras_reductions(values, *, factor, patience, min_delta, cooldown, min_lr, lr, mode="min"):
    """Keras's ReduceLROnPlateau.on_epoch_end (keras/src/callbacks/reduce_lr_on_plateau.py,
    Keras 3), re-expressed: the learning rates after each epoch."""
    better = (lambda a, b: a < b - min_delta) if mode == "min" else \
        (lambda a, b: a > b + min_delta)
    best, wait, cool, out = (math.inf if mode == "min" else -math.inf), 0, 0, []
    for v in values:
        if cool > 0:
            cool -= 1
            wait = 0
        if better(v, best):
            best, wait = v, 0
        elif cool == 0:
            wait += 1
            if wait >= patience and lr > np.float32(min_lr):
                lr = max(lr * factor, min_lr)
                cool, wait = cooldown, 0
        out.append(lr)
    return out


def test_reduce_lr_on_plateau_by_hand():
    # patience 2, cooldown 1: 1.0 best; 1.0, 1.0 no gain -> reduce at epoch 3 (lr 0.5);
    # epoch 4 ends the cooldown (and counts, as in Keras); 0.99 at epoch 5 is a gain; 1.0, 1.0
    # -> reduce at epoch 7 to 0.3 (min_lr), then the rate stays at min_lr.
    r = ReduceLROnPlateau(monitor="loss", factor=0.5, patience=2, cooldown=1, min_lr=0.3,
                          min_delta=0.0)
    r.set_optimizer(_Opt(1.0))
    r.on_train_begin()
    lrs = []
    for epoch, v in enumerate([1.0, 1.0, 1.0, 1.0, 0.99, 1.0, 1.0, 1.0, 1.0, 1.0], start=1):
        assert r.on_epoch_end(epoch, {"loss": v}) is False       # never stops training
        lrs.append(r.optimizer.lr)
    assert lrs == [1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.3, 0.3, 0.3, 0.3]
    assert r.reductions == [(3, 1.0, 0.5), (7, 0.5, 0.3)]


def test_reduce_lr_on_plateau_cooldown_counts_its_last_epoch_as_keras_does():
    # a loss that never improves after epoch 1, patience 1: a cut whenever one epoch is counted
    def cuts(cooldown):
        r = ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1, cooldown=cooldown)
        r.set_optimizer(_Opt(1.0))
        r.on_train_begin()
        for epoch in range(1, 9):
            r.on_epoch_end(epoch, {"loss": 1.0})
        return [epoch for epoch, _, _ in r.reductions]

    assert cuts(0) == cuts(1) == [2, 3, 4, 5, 6, 7, 8]   # cooldown 1 changes nothing
    assert cuts(2) == [2, 4, 6, 8]                        # cooldown 2 skips one epoch, not two
    assert cuts(3) == [2, 5, 8]


@given(values=st.lists(st.floats(0.0, 2.0), min_size=1, max_size=40),
       patience=st.integers(0, 4), cooldown=st.integers(0, 3),
       factor=st.sampled_from([0.1, 0.5, 0.9]), min_lr=st.sampled_from([0.0, 1e-3, 0.05]),
       min_delta=st.sampled_from([0.0, 1e-4, 0.05]), accuracy=st.booleans())
def test_reduce_lr_on_plateau_agrees_with_keras(values, patience, cooldown, factor, min_lr,
                                                 min_delta, accuracy):
    monitor = "val_accuracy" if accuracy else "val_loss"
    r = ReduceLROnPlateau(monitor=monitor, factor=factor, patience=patience,
                          cooldown=cooldown, min_lr=min_lr, min_delta=min_delta)
    r.set_optimizer(_Opt(0.1))
    r.on_train_begin()
    ours = []
    for epoch, v in enumerate(values, start=1):
        r.on_epoch_end(epoch, {monitor: v})
        ours.append(r.optimizer.lr)
    assert ours == keras_reductions(values, factor=factor, patience=patience,
                                    min_delta=min_delta, cooldown=cooldown, min_lr=min_lr,
                                    lr=0.1, mode="max" if accuracy else "min")


def test_reduce_lr_on_plateau_lowers_the_rate_in_fit_and_the_next_fit_keeps_it():
    X, y = data(40)
    model, loss, opt = setup(lr=0.0)                  # lr 0: the loss cannot improve
    opt.lr = 0.2
    model_frozen = hp.make_mlp([2, 8, 2], seed=0)
    frozen = hp.SGD(model_frozen.parameters(), lr=0.0)
    r = ReduceLROnPlateau(monitor="loss", patience=2, factor=0.5)
    h = hp.fit(model_frozen, loss, frozen, X, y, epochs=6, batch_size=40, callbacks=[r],
               shuffle=False, progress=False)
    assert r.reductions == []                         # lr already 0: nothing above min_lr
    assert h.history["lr"] == [0.0] * 6
    # the same with a rate that trains but a plateau forced by min_delta
    r = ReduceLROnPlateau(monitor="loss", patience=2, factor=0.5, min_delta=10.0)
    h = hp.fit(model, loss, opt, X, y, epochs=6, batch_size=40, callbacks=[r], progress=False)
    # epoch 1 sets the best; no gain at 2 and 3: halved after epoch 3, again after epoch 5
    assert r.reductions == [(3, 0.2, 0.1), (5, 0.1, 0.05)]
    assert h.step_lr == h.history["lr"] == [0.2, 0.2, 0.2, 0.1, 0.1, 0.05]   # from the next update
    assert opt.lr == 0.05                             # as in Keras, the lowered rate stays


def test_reduce_lr_on_plateau_lowers_the_base_rate_a_schedule_multiplies():
    X, y = data(40)
    model, loss, opt = setup(lr=0.2)
    schedule = partial(hp.cosine_decay, total_steps=40)
    r = ReduceLROnPlateau(monitor="loss", patience=2, factor=0.5, min_delta=10.0)
    h = hp.fit(model, loss, opt, X, y, epochs=8, batch_size=10, lr_schedule=schedule,
               callbacks=[r], progress=False)
    assert [e for e, _, _ in r.reductions] == [3, 5, 7]
    base = np.repeat([0.2, 0.1, 0.05, 0.025], [12, 8, 8, 4])   # 4 updates per epoch
    expected = base * np.array([schedule(t) for t in range(32)])
    assert np.allclose(h.step_lr, expected, rtol=1e-12)
    assert opt.lr == pytest.approx(0.025)             # the next fit starts from the lowered base


def test_a_callback_that_sets_the_rate_when_the_schedule_is_zero_sets_the_base():
    X, y = data(20)
    model, loss, opt = setup(lr=0.1)

    class Set(Callback):
        def on_train_batch_end(self, step, logs=None):
            if step == 0:
                self.optimizer.lr = 0.3

    schedule = partial(hp.warmup, warmup_steps=4)      # with a multiplier of 0 at t = 0:
    h = hp.fit(model, loss, opt, X, y, epochs=2, batch_size=10,
               lr_schedule=lambda t: 0.0 if t == 0 else schedule(t), callbacks=[Set()],
               progress=False)
    assert h.step_lr[0] == 0.0
    assert h.step_lr[1:] == pytest.approx([0.3 * schedule(t) for t in range(1, 4)])
