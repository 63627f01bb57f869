"""Fuzzing fit's data and arguments (Hypothesis): every call gives a History or a ValueError with
a message, never another exception, never a hang; data with nan or inf, or labels the loss
cannot take, is refused before training, never reported as a divergence (issue 14)."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import helpers as hp
from time_limit import time_limit  # tests/time_limit.py

#: seconds one fit may take here (a few epochs on at most 12 rows: milliseconds in truth)
TIME_LIMIT = 10.0


def run_fit(loss, X, y, *, n_outputs=1, **kwargs):
    """fit on a small MLP (2 inputs): its History, or None after a ValueError with a message."""
    model = hp.make_mlp([2, 4, n_outputs], seed=0)
    kwargs = {"epochs": 2, "progress": False, "verbose": False, **kwargs}
    try:
        with time_limit(TIME_LIMIT):
            return hp.fit(model, loss, hp.SGD(model.parameters(), lr=0.05), X, y, **kwargs)
    except ValueError as exc:
        assert str(exc), "a ValueError without a message"
        return None


LOSSES = st.sampled_from([(hp.MSELoss(), 1), (hp.L1Loss(), 1), (hp.HuberLoss(), 1),
                          (hp.BCEWithLogitsLoss(), 1), (hp.CrossEntropyLoss(), 3)])
_ELEMENTS = st.one_of(st.floats(-1e3, 1e3), st.sampled_from([0, 1, 2, -1, np.nan, np.inf, 0.5]))
_DTYPES = st.sampled_from([np.float32, np.float64, np.int64, np.int8, np.bool_, np.complex64,
                           object, "U3"])


def _elements(dt):
    kind = np.dtype(dt).kind
    return {"U": st.text(max_size=3), "b": st.booleans(), "i": st.integers(-3, 3),
            "O": st.one_of(_ELEMENTS, st.text(max_size=2), st.none())}.get(kind, _ELEMENTS)


def _arrays(min_dims=0, max_dims=3):
    return _DTYPES.flatmap(lambda dt: hnp.arrays(
        dt, hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=0, max_side=6),
        elements=_elements(dt)))


DATA = st.one_of(_arrays(), st.none(), st.text(max_size=4), st.just([[0.1, 0.2], [0.3]]),
                 st.lists(st.lists(_ELEMENTS, min_size=2, max_size=2), max_size=6),
                 st.just(10**400))


def _bad_values(a):
    """True when a float array holds nan or inf (data fit must refuse)."""
    a = np.asarray(a) if not isinstance(a, (str, int)) else np.asarray(0.0)
    return a.dtype.kind in "fc" and not np.all(np.isfinite(a))


@given(loss_out=LOSSES, X=DATA, y=DATA)
def test_fit_takes_any_data_or_says_why_not(loss_out, X, y):
    loss, n_out = loss_out
    h = run_fit(loss, X, y, n_outputs=n_out)
    if h is not None:
        assert isinstance(h, hp.History)
        assert not _bad_values(X) and not _bad_values(y), "nan or inf data was trained on"


@given(loss_out=LOSSES, n=st.integers(1, 12), seed=st.integers(0, 2**32 - 1),
       labels=st.sampled_from([(0, 1), (0, 2), (-1, 1), (0, 3), (0.25, 0.75), (0.0, 1.0)]),
       nan_at=st.one_of(st.none(), st.integers(0, 23)))
def test_fit_refuses_labels_the_loss_cannot_take_and_nan_features(loss_out, n, seed, labels,
                                                                  nan_at):
    loss, n_out = loss_out
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2)).astype(np.float32)
    if nan_at is not None and nan_at < X.size:
        X.flat[nan_at] = np.nan
    y = rng.choice(np.array(labels), size=n)
    h = run_fit(loss, X, y, n_outputs=n_out)
    fine_labels = {"BCEWithLogitsLoss": np.all((y >= 0) & (y <= 1)),
                   "CrossEntropyLoss": y.dtype.kind in "iu" and np.all((y >= 0) & (y < n_out))}
    ok = fine_labels.get(type(loss).__name__, True) and np.all(np.isfinite(X))
    assert (h is not None) == bool(ok), (labels, nan_at, y)
    if h is not None:
        assert not h.diverged or not math.isfinite(h.step_loss[-1] if h.step_loss else 0)
        assert all(v >= 0 for v in h.history["loss"]), "a negative loss: labels out of range"


_SCHEDULES = st.sampled_from([lambda t: 1.0, lambda t: 0.5 ** t, lambda t: -1.0,
                              lambda t: math.nan, lambda t: "1", lambda t: None,
                              lambda t: [1.0], lambda t: np.float32(0.5), lambda t: 10**400,
                              lambda t: np.array([0.5, 1.0])])
_WEIRD = st.one_of(st.integers(-3, 40), st.floats(allow_nan=True), st.none(), st.text(max_size=3),
                   st.just(10**400), st.booleans(), st.just([1]), st.just(np.float32(2)),
                   st.just(np.int64(2)), st.just(np.array([2, 3])), st.just(1 + 1j))
_X, _Y = hp.make_circle(12, seed=0)
_X = _X.astype(np.float32)
_NAN_X = _X.copy()
_NAN_X[0, 0] = np.nan
_VALUES = {
    "epochs": st.one_of(st.integers(-1, 3), _WEIRD.filter(lambda v: not isinstance(v, int)
                                                       or isinstance(v, bool) or v <= 3)),
    "batch_size": _WEIRD, "l1": _WEIRD, "l2": _WEIRD, "clip_norm": _WEIRD, "shuffle": _WEIRD,
    "drop_last": _WEIRD, "progress": _WEIRD, "verbose": _WEIRD,
    "seed": st.one_of(_WEIRD, st.integers(-1, 2**70), st.just(np.random.default_rng(0))),
    "lr_schedule": st.one_of(_SCHEDULES, _WEIRD),
    "early_stopping": st.one_of(_WEIRD, st.sampled_from(["loss", "val_loss"]).map(
        lambda m: hp.EarlyStopping(monitor=m, patience=1))),
    "validation_data": st.one_of(_WEIRD, st.sampled_from(
        [(_X, _Y), (_X, _Y[:-1]), (_X, _Y, _Y), [_X, _Y], (_NAN_X, _Y), (_X[:, 0], _Y),
         (_X, _Y * 3), ("X", "y")])),
}


@given(data=st.data(), name=st.sampled_from(sorted(_VALUES)))
def test_fit_takes_any_value_of_any_argument_or_names_it(data, name):
    value = data.draw(_VALUES[name], label=name)
    h = run_fit(hp.BCEWithLogitsLoss(), _X, _Y, **{name: value})
    assert h is None or isinstance(h, hp.History)


@given(epochs=st.integers(0, 3), batch_size=st.integers(1, 13), l2=st.floats(0, 1),
       clip_norm=st.one_of(st.none(), st.floats(1e-3, 10)), lr_schedule=_SCHEDULES,
       drop_last=st.booleans(), shuffle=st.booleans(), seed=st.integers(0, 99))
def test_fit_with_valid_arguments_trains_or_names_the_schedules_value(epochs, batch_size, l2,
                                                                       clip_norm, lr_schedule,
                                                                       drop_last, shuffle, seed):
    h = run_fit(hp.BCEWithLogitsLoss(), _X, _Y, epochs=epochs, batch_size=batch_size, l2=l2,
                clip_norm=clip_norm, lr_schedule=lr_schedule, drop_last=drop_last,
                shuffle=shuffle, seed=seed)
    if h is not None:
        assert len(h.epoch) == epochs or h.diverged
        assert all(lr >= 0 and math.isfinite(lr) for lr in h.step_lr)


@pytest.mark.parametrize("where", ["X", "y"])
def test_nan_data_is_never_reported_as_a_divergence(where):
    X, y = hp.make_circle(40, seed=0)
    X, y = X.astype(np.float32), y.astype(np.float32)
    (X if where == "X" else y)[5] = np.nan
    model = hp.make_mlp([2, 4, 1], seed=0)
    with pytest.raises(ValueError, match=rf"{where} has \d+ nan or inf value"):
        hp.fit(model, hp.MSELoss(), hp.SGD(model.parameters(), lr=0.1), X, y, epochs=1)
