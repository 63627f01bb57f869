"""A bad hyperparameter raises ValueError naming the parameter and what is allowed."""

import numpy as np
import pytest

import helpers as hp


def params():
    return hp.make_mlp([2, 3, 1]).parameters()


@pytest.mark.parametrize("make, match", [
    (lambda: hp.SGD(params(), lr=-0.1), r"lr must be in \[0, inf\]"),
    (lambda: hp.SGD(params(), lr=float("nan")), "lr must be a finite number"),
    (lambda: hp.SGD(params(), lr=0.1, momentum=1.5), "momentum"),
    (lambda: hp.SGD(params(), lr=0.1, nesterov=True), "nesterov=True needs momentum"),
    (lambda: hp.Adam(params(), beta2=1.0), "beta2"),
    (lambda: hp.Adam([], lr=0.1), "params is empty"),
    (lambda: hp.Adam([np.zeros(3)], lr=0.1), "Param objects"),
    (lambda: hp.Dropout(1.5), r"p must be in \[0, 1\)"),
    (lambda: hp.Dropout(-0.1), "p must be"),
    (lambda: hp.get_activation("relux"), "activation must be one of 'relu'"),
    (lambda: hp.make_mlp([2, 3, 1], activation="swish"), "activation must be one of"),
    (lambda: hp.make_mlp([2, 0, 1]), r"sizes\[1\]"),
    (lambda: hp.make_mlp([2]), "sizes needs at least"),
    (lambda: hp.make_mlp([2, 3, 1], dropout=1.0), "dropout"),
    (lambda: hp.Linear(2, 3, init="kaiming"), "init must be one of"),
    (lambda: hp.Linear(0, 3), "in_features"),
    (lambda: hp.Linear(2, 3, dtype=np.int32), "dtype must be float32 or float64"),
    (lambda: hp.Linear(2, 3, seed=-1), "seed"),
    (lambda: hp.HuberLoss(delta=0), "delta"),
    (lambda: hp.BatchNorm1d(3, momentum=2.0), "momentum"),
    (lambda: hp.EarlyStopping(patience=-1), "patience"),
    (lambda: hp.EarlyStopping(monitor="val_acc"), "monitor must be one of"),
    (lambda: hp.LeakyReLU(-0.1), "negative_slope"),
    (lambda: hp.GELU(approximate="erf"), "approximate"),
    (lambda: hp.make_dataset("spirals"), "name must be one of"),
    (lambda: hp.make_circle(100, noise=2.0), "noise"),
    (lambda: hp.train_val_split(np.zeros((4, 2)), np.zeros(4), val_fraction=1.0), "val_fraction"),
    (lambda: hp.clip_grad_norm_(params(), 0), "max_norm"),
])
def test_bad_values_raise_clear_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def fit_args():
    X, y = hp.make_moons(20)
    model = hp.make_mlp([2, 3, 2])
    return model, hp.CrossEntropyLoss(), hp.SGD(model.parameters(), lr=0.1), X, y


@pytest.mark.parametrize("kw, match", [
    ({"epochs": -1}, "epochs"),
    ({"epochs": 1, "batch_size": 0}, r"batch_size must be an integer in \[1, inf\]"),
    ({"epochs": 1, "batch_size": 2.5}, "batch_size must be an integer"),
    ({"epochs": 1, "l2": -1}, "l2"),
    ({"epochs": 1, "l1": -1}, "l1"),
    ({"epochs": 1, "clip_norm": 0}, "clip_norm"),
    ({"epochs": 1, "lr_schedule": 0.5}, "lr_schedule must be a function"),
    ({"epochs": 1, "progress": "yes"}, "progress must be one of"),
    ({"epochs": 1, "batch_size": 50, "drop_last": True}, "leaves no batch"),
    ({"epochs": 1, "early_stopping": 3}, "early_stopping must be"),
])
def test_fit_rejects_bad_values(kw, match):
    with pytest.raises(ValueError, match=match):
        hp.fit(*fit_args(), **kw)


def test_fit_rejects_unknown_keyword():
    with pytest.raises(TypeError):
        hp.fit(*fit_args(), epochs=1, learning_rate=0.1)


def test_mismatched_shapes():
    model, loss, opt, X, y = fit_args()
    with pytest.raises(ValueError, match="X has 20 rows but y has 19"):
        hp.fit(model, loss, opt, X, y[:-1], epochs=1)
    with pytest.raises(ValueError, match="labels must be in"):
        hp.CrossEntropyLoss()(np.zeros((2, 2)), np.array([0, 5]))
    with pytest.raises(ValueError, match="integer class labels"):
        hp.CrossEntropyLoss()(np.zeros((2, 2)), np.array([0.0, 1.0]))


def test_early_stopping_without_validation_data():
    model, loss, opt, X, y = fit_args()
    with pytest.raises(ValueError, match="pass validation_data"):
        hp.fit(model, loss, opt, X, y, epochs=2, early_stopping=hp.EarlyStopping())
