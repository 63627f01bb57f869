"""fit, evaluate and predict check the data where it enters (issue 14): nan or inf, labels the
loss cannot take, the wrong number of dimensions or features, and non-numbers each get a
ValueError in the user's terms, before any training (not "Diverged... smaller learning rate")."""

import numpy as np
import pytest

import helpers as hp
from helpers.validation import check_data


def _circle(n=64):
    X, y = hp.make_circle(n, seed=0)
    return X.astype(np.float32), y


def _fit(X, y, *, loss=None, sizes=(2, 8, 1), **kwargs):
    model = hp.make_mlp(list(sizes), seed=0)
    loss = hp.BCEWithLogitsLoss() if loss is None else loss
    return hp.fit(model, loss, hp.SGD(model.parameters(), lr=0.1), X, y, epochs=2,
                  progress=False, **kwargs)


@pytest.mark.parametrize("where, value", [("X", np.nan), ("X", np.inf), ("y", np.nan)])
def test_nan_or_inf_in_the_data_is_named_not_called_a_divergence(where, value):
    X, y = _circle()
    X, y = X.copy(), y.astype(np.float32)
    (X if where == "X" else y)[7] = value
    at = "row 7, column 0" if where == "X" else "row 7"
    with pytest.raises(ValueError, match=rf"{where} has \d+ nan or inf values? \(the first at "
                                         rf"{at}\)"):
        _fit(X, y, loss=hp.MSELoss())


def test_bce_labels_must_be_0_or_1():
    X, y = _circle()
    with pytest.raises(ValueError, match="y has label 2: BCEWithLogitsLoss needs labels 0 or 1"):
        _fit(X, np.where(y == 1, 2, 0))  # trained to a negative loss before
    with pytest.raises(ValueError, match="y has label -1"):
        _fit(X, y - 1)
    assert not _fit(X, y * 0.8 + 0.1).diverged  # soft labels in [0, 1] are fine


def test_cross_entropy_labels_are_classes_of_the_model():
    X, y = _circle()
    ce = hp.CrossEntropyLoss()
    with pytest.raises(ValueError, match=r"y has label 3: CrossEntropyLoss needs labels 0 … 2 "
                                         r"\(the model has 3 outputs\)"):
        _fit(X, np.where(y == 1, 3, 0), loss=ce, sizes=(2, 8, 3))
    with pytest.raises(ValueError, match=r"y holds float64 values.*y\.astype\(int\)"):
        _fit(X, y.astype(np.float64), loss=ce, sizes=(2, 8, 2))
    with pytest.raises(ValueError, match=r"y\.argmax\(axis=-1\) turns one-hot rows"):
        _fit(X, np.eye(2)[y], loss=ce, sizes=(2, 8, 2))
    assert not _fit(X, y, loss=ce, sizes=(2, 8, 2)).diverged


def test_x_needs_one_row_per_example_and_the_models_features():
    X, y = _circle(32)
    with pytest.raises(ValueError, match=r"X has shape \(32,\).*X\.reshape\(-1, 1\)"):
        _fit(X[:, 0], y)  # was "Linear(2, 8) got inputs with 32 features"
    with pytest.raises(ValueError, match="X has 1 features .* first layer takes 2"):
        _fit(X[:, :1], y)
    with pytest.raises(ValueError, match="X must be an array with one row per example"):
        _fit(3.0, y)


@pytest.mark.parametrize("X, words", [
    (np.array([["0.1", "0.2"]] * 4, dtype=object), "X must hold numbers, got Python objects"),
    (np.array([["0.1", "0.2"]] * 4), "X must hold numbers, got text"),
    ([[0.1, 0.2], [0.3]] * 2, "rows have different lengths"),
    (np.ones((4, 2)) * 1j, "complex numbers"),
])
def test_x_must_hold_numbers(X, words):
    with pytest.raises(ValueError, match=words):  # object X failed inside numpy's tanh
        _fit(X, np.array([0, 1, 0, 1]))


def test_validation_data_evaluate_and_predict_check_their_data_too():
    X, y = _circle()
    bad = X.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match=r"X_val has 1 nan or inf value \(the first at row 3"):
        _fit(X, y, validation_data=(bad, y))
    with pytest.raises(ValueError, match="y_val has label 5"):
        _fit(X, y, validation_data=(X, y * 5))
    model = hp.make_mlp([2, 8, 1], seed=0)
    with pytest.raises(ValueError, match="X has 1 nan or inf value"):
        hp.predict(model, bad)
    with pytest.raises(ValueError, match="X has 1 nan or inf value"):
        hp.evaluate(model, hp.BCEWithLogitsLoss(), bad, y)
    with pytest.raises(ValueError, match="loss must be a loss"):
        hp.evaluate(model, "bce", X, y)
    assert set(hp.evaluate(model, hp.BCEWithLogitsLoss(), X, y)) == {"loss", "accuracy"}


def test_token_ids_for_an_embedding_stay_integers_of_any_dimension():
    ids = np.random.default_rng(0).integers(0, 10, size=(50, 4))
    model = hp.Sequential(hp.Embedding(10, 3), hp.Flatten(), hp.Linear(12, 10))
    h = hp.fit(model, hp.CrossEntropyLoss(), hp.SGD(model.parameters(), lr=0.1), ids, ids[:, 0],
               epochs=2, progress=False)
    assert not h.diverged
    one = hp.Sequential(hp.Embedding(10, 3), hp.Linear(3, 10))
    assert hp.predict(one, ids[:, 0]).shape == (50, 10)  # 1-D ids: one token per example


def test_check_data_passes_good_data_through_unchanged():
    X, y = _circle()
    X2, y2 = check_data(X, y, loss=hp.BCEWithLogitsLoss(), n_features=2, n_outputs=1)
    assert X2 is X and np.array_equal(y2, y)
    assert check_data([[1, 2]], None)[0].tolist() == [[1, 2]]


@pytest.mark.parametrize("value", [None, "1", [1.0], 10**400, np.array([0.5, 1.0]), -1.0])
def test_a_schedule_returning_anything_but_a_multiplier_is_named(value):
    X, y = _circle()
    with pytest.raises(ValueError, match=r"lr_schedule returned .* at step 0; a multiplier must "
                                         r"be a finite number >= 0"):
        _fit(X, y, lr_schedule=lambda t: value)  # None: TypeError, "1": taken as 1.0 before


def test_a_schedule_may_return_numpy_numbers_and_0_d_arrays():
    X, y = _circle()
    h = _fit(X, y, lr_schedule=lambda t: np.where(t < 2, 1.0, 0.5))
    assert h.step_lr[:3] == [0.1, 0.1, 0.05]
    assert _fit(X, y, lr_schedule=lambda t: np.float32(0.5)).step_lr[0] == 0.05


def test_a_single_nan_number_as_x_is_named_not_an_index_error():
    with pytest.raises(ValueError, match="X has 1 nan or inf value: fix"):  # found by the fuzz
        check_data(np.float32("nan"))


def test_missing_targets_are_named_not_a_type_error():
    X, _ = _circle()
    with pytest.raises(ValueError, match="y must be an array of targets, got None"):
        _fit(X, None)  # found by the long fuzz run: len() of unsized object
