"""Sanity checks: each tells a working set-up from a broken one by a wide margin, leaves the
model it is given untouched, and names bad arguments."""

import math

import numpy as np
import pytest

import helpers as hp
from helpers import sanity
from helpers.debugging import BuggyDropout, SignFlippedCrossEntropy, digits_data


@pytest.fixture(scope="module")
def digits():
    return digits_data()


def params_of(model):
    return [p.data.copy() for p in model.parameters()]


def same(a, b):
    return all(np.array_equal(x, y) for x, y in zip(a, b))


def test_expected_initial_loss_formulas():
    y10 = np.arange(50) % 10
    assert sanity.expected_initial_loss(hp.CrossEntropyLoss(), y10, n_outputs=10) == \
        pytest.approx(math.log(10))
    assert sanity.expected_initial_loss(hp.CrossEntropyLoss(), y10[:7], n_outputs=26) == \
        pytest.approx(math.log(26))                    # classes missing from y change nothing
    y01 = np.array([0, 1, 1, 1])
    assert sanity.expected_initial_loss(hp.BCEWithLogitsLoss(), y01, n_outputs=1) == \
        pytest.approx(math.log(2))
    yr = np.random.default_rng(0).normal(2.0, 3.0, 1000)
    assert sanity.expected_initial_loss(hp.MSELoss(), yr, n_outputs=1) == \
        pytest.approx(np.mean(yr**2))
    z = (yr - yr.mean()) / yr.std()
    assert sanity.expected_initial_loss(hp.MSELoss(), z, n_outputs=1) == pytest.approx(1.0)
    assert sanity.expected_initial_loss(hp.L1Loss(), yr, n_outputs=1) == \
        pytest.approx(np.mean(np.abs(yr)))
    assert sanity.expected_initial_loss(hp.MSELoss(), np.ones((5, 2)), n_outputs=2) == 1.0


def test_initial_loss_is_ln_c_for_a_network_whose_last_layer_is_zero(digits):
    X_train, _, y_train, _ = digits
    model = hp.make_mlp([64, 32, 10], seed=0)
    model[-1].weight.data[...] = 0
    r = sanity.check_initial_loss(model, hp.CrossEntropyLoss(), X_train, y_train)
    assert r["measured"] == pytest.approx(math.log(10), rel=1e-6)
    assert r["ratio"] == pytest.approx(1.0, rel=1e-6)


def test_initial_loss_tells_unscaled_inputs(digits):
    X_train, _, y_train, _ = digits
    model = hp.make_mlp([64, 64, 64, 10], seed=0)
    good = sanity.check_initial_loss(model, hp.CrossEntropyLoss(), X_train, y_train)
    raw = hp.load_digits()[0][:100] * 16           # pixel counts 0..16, not standardized
    bad = sanity.check_initial_loss(model, hp.CrossEntropyLoss(), raw,
                                    hp.load_digits()[1][:100])
    assert good["ratio"] < 1.5 < 3 < bad["ratio"]


def test_overfit_one_batch_passes_and_fails_where_it_should(digits):
    X_train, _, y_train, _ = digits
    model = hp.make_mlp([64, 32, 10], seed=0)
    before = params_of(model)
    ok = sanity.overfit_one_batch(model, hp.CrossEntropyLoss(), X_train[:16], y_train[:16],
                                  steps=100)
    assert ok["passed"] and ok["final"] < 0.01 * ok["initial"] and ok["accuracy"] == 1.0
    assert len(ok["losses"]) == 100
    bad = sanity.overfit_one_batch(model, SignFlippedCrossEntropy(), X_train[:16],
                                   y_train[:16], steps=100)
    assert not bad["passed"] and bad["final"] > bad["initial"]
    assert same(before, params_of(model))          # the checks train copies


def test_input_independent_baseline_tells_misaligned_labels(digits):
    X_train, X_val, y_train, y_val = digits
    model = hp.make_mlp([64, 32, 10], seed=0)
    before = params_of(model)
    kw = dict(epochs=3, lr=3e-3)
    good = sanity.input_independent_baseline(model, hp.CrossEntropyLoss(), X_train, y_train,
                                             validation_data=(X_val, y_val), **kw)
    bad = sanity.input_independent_baseline(model, hp.CrossEntropyLoss(), X_train,
                                            np.roll(y_train, 1),
                                            validation_data=(X_val, np.roll(y_val, 1)), **kw)
    assert good["gain"] > 1.0 and bad["gain"] < 0.1
    assert good["zeroed"] == pytest.approx(bad["zeroed"], abs=0.05)   # both learn frequencies
    assert same(before, params_of(model))


def test_label_shuffle_check_stays_at_chance_unless_validation_leaks(digits):
    X_train, X_val, y_train, y_val = digits
    model = hp.make_mlp([64, 128, 10], seed=0)
    X, y = X_train[:150], y_train[:150]
    kw = dict(epochs=40, lr=3e-3)
    good = sanity.label_shuffle_check(model, hp.CrossEntropyLoss(), X, y,
                                      validation_data=(X_val, y_val), **kw)
    assert good["train_accuracy"] > 0.8 and good["val_accuracy"] < 0.2
    assert abs(good["val_accuracy"] - good["chance"]) < 0.1
    # a validation set half made of training examples: they keep their random label
    leaky = (np.concatenate([X[:75], X_val[:75]]), np.concatenate([y[:75], y_val[:75]]))
    leak = sanity.label_shuffle_check(model, hp.CrossEntropyLoss(), X, y,
                                      validation_data=leaky, **kw)
    assert leak["val_accuracy"] > 0.4 > 0.2 > leak["chance"]


def test_label_shuffle_gives_one_input_one_label(monkeypatch):
    seen = {}

    def spy(model, loss, X, y, X_val, y_val, **kw):
        seen.update(y=y, y_val=y_val)
        return hp.training.History()

    monkeypatch.setattr(sanity, "_train_copy", spy)
    X = np.arange(40, dtype=float).reshape(20, 2)
    y = np.arange(20) % 4
    sanity.label_shuffle_check(hp.make_mlp([2, 4]), hp.CrossEntropyLoss(), X, y,
                               validation_data=(X[5:10], y[5:10]))
    assert np.array_equal(seen["y"][5:10], seen["y_val"])       # same input, same label
    assert sorted(seen["y"]) == sorted(y) and not np.array_equal(seen["y"], y)


def test_check_eval_mode():
    X = np.random.default_rng(0).normal(size=(20, 3))
    model = hp.make_mlp([3, 8, 8, 2], dropout=0.5, batchnorm=True, seed=0)
    assert sanity.check_eval_mode(model, X) is None
    model.layers[3] = BuggyDropout(0.5)
    assert sanity.check_eval_mode(model, X) == 3


@pytest.mark.parametrize("call, match", [
    (lambda m, X, y: sanity.expected_initial_loss("mse", y, n_outputs=1), "loss must be"),
    (lambda m, X, y: sanity.expected_initial_loss(hp.MSELoss(), y, n_outputs=0), "n_outputs"),
    (lambda m, X, y: sanity.expected_initial_loss(hp.MSELoss(), y[:5], n_outputs=2),
     "do not fill"),
    (lambda m, X, y: sanity.expected_initial_loss(hp.MSELoss(), [], n_outputs=1), "empty"),
    (lambda m, X, y: sanity.check_initial_loss("net", hp.MSELoss(), X, y), "model must be"),
    (lambda m, X, y: sanity.check_initial_loss(m, hp.MSELoss(), X, y[:3]), "same number"),
    (lambda m, X, y: sanity.overfit_one_batch(m, hp.MSELoss(), X, y, steps=0), "steps"),
    (lambda m, X, y: sanity.overfit_one_batch(m, hp.MSELoss(), X, y, lr=-1), "lr"),
    (lambda m, X, y: sanity.overfit_one_batch(m, hp.MSELoss(), X, y, tol=2), "tol"),
    (lambda m, X, y: sanity.input_independent_baseline(m, hp.MSELoss(), X, y,
                                                       validation_data=X), "validation_data"),
    (lambda m, X, y: sanity.label_shuffle_check(m, hp.MSELoss(), X, y,
                                                validation_data=(X, y)), "classification"),
    (lambda m, X, y: sanity.check_eval_mode(None, X), "model must be"),
])
def test_bad_arguments_are_named(call, match):
    X = np.zeros((6, 2))
    y = np.zeros(6)
    with pytest.raises(ValueError, match=match):
        call(hp.make_mlp([2, 3, 1]), X, y)
