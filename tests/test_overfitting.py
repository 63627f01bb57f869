"""helpers.overfitting and helpers.exercises.regularization."""

import numpy as np
import pytest

import helpers as hp
from helpers.exercises import regularization as ex
from helpers.overfitting import RegularizationLab, overfit_data, train_regularized


@pytest.fixture(scope="module")
def data():
    return overfit_data(n_train=40, n_val=100)


def test_overfit_data_shapes_and_scale(data):
    X_train, X_val, y_train, y_val = data
    assert X_train.shape == (40, 2) and X_val.shape == (100, 2)
    assert len(y_train) == 40 and len(y_val) == 100
    assert np.abs(np.concatenate([X_train, X_val])).max() == pytest.approx(1.0)


def test_train_regularized_reports_the_gap(data):
    _, h, r = train_regularized(data, epochs=3, hidden=(8,))
    assert r["gap"] == pytest.approx(r["val_loss"] - r["train_loss"])
    assert r["epochs"] == 3 == len(h.epoch)


def test_train_regularized_with_every_method(data):
    model, h, r = train_regularized(data, l1=1e-4, l2=1e-3, dropout=0.2, batchnorm=True,
                                    patience=1, epochs=30, hidden=(8, 8))
    kinds = {type(layer).__name__ for layer in model}
    assert {"Dropout", "BatchNorm1d"} <= kinds
    assert h.stopped_epoch is not None and r["epochs"] == h.stopped_epoch
    assert np.isclose(r["val_loss"], min(h.history["val_loss"]), rtol=1e-5)


def test_lab_toggles_methods(data):
    lab = RegularizationLab(data, epochs=5)
    lab.show()
    assert lab.result["epochs"] == 5
    lab.use_dropout.value = True
    assert any(type(layer).__name__ == "Dropout" for layer in lab.model)
    assert lab.image.value[:4] == b"\x89PNG"


def test_exercise_checks(capsys):
    assert ex.check_1(ex.L1 * np.sign(ex.W) + ex.L2 * ex.W)
    assert not ex.check_1(ex.L2 * ex.W)
    assert ex.check_2(ex.X_DROP * ex.MASK / (1 - ex.P_DROP))
    assert not ex.check_2(ex.X_DROP * ex.MASK)
    assert ex.check_3((6, 9)) and not ex.check_3((5, 8)) and not ex.check_3("x")
    bn = ex.GAMMA * (ex.X_BN - ex.RUNNING_MEAN) / np.sqrt(ex.RUNNING_VAR + ex.EPS) + ex.BETA
    assert ex.check_4(bn) and not ex.check_4(bn[:1])
    assert "Not yet" in capsys.readouterr().out


def test_exercise_3_agrees_with_early_stopping():
    stopper = hp.EarlyStopping(patience=ex.PATIENCE, restore_best_weights=False)
    for epoch, value in enumerate(ex.VAL_LOSSES, start=1):
        if stopper.on_epoch_end(epoch, {"val_loss": value}, model=None):
            break
    assert ex.check_3((stopper.best_epoch, stopper.stopped_epoch))


def test_lab_trains_the_baseline_once(data, monkeypatch):
    import helpers.overfitting as of

    calls = []

    def counting(*args, **kwargs):
        calls.append(kwargs)
        return train_regularized(*args, **kwargs)

    monkeypatch.setattr(of, "train_regularized", counting)
    lab = of.RegularizationLab(data, epochs=3)
    lab.show()                                   # shows the baseline without retraining it
    assert len(calls) == 1 and lab.result == lab.baseline_result
    lab.use_l2.value = True
    assert len(calls) == 2 and calls[-1]["l2"] > 0
    lab.use_l2.value = False                     # back to the baseline: no training
    assert len(calls) == 2 and lab.model is lab.baseline_model


def test_lab_rejects_bad_epochs(data):
    with pytest.raises(ValueError, match="epochs"):
        RegularizationLab(data, epochs=0)
