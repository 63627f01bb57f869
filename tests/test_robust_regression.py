"""fit_line, line_error and the notebook-05 widget (helpers/robust_regression.py)."""

import numpy as np
import pytest

import helpers as hp
from helpers.robust_regression import RobustFitDemo, fit_line, line_error, make_regression_loss


def test_fit_line_recovers_a_clean_line_with_every_loss():
    X, y, _ = hp.make_outlier_regression(100, outlier_fraction=0.0, noise=0.01, seed=1)
    for name in ("MSE", "MAE", "Huber"):
        slope, intercept = fit_line(make_regression_loss(name), X, y, steps=600)
        assert slope == pytest.approx(2.0, abs=0.02)
        assert intercept == pytest.approx(1.0, abs=0.02)


def test_mse_fit_matches_least_squares():
    X, y, _ = hp.make_outlier_regression(80, outlier_fraction=0.2, seed=2)
    A = np.column_stack([X[:, 0], np.ones(len(X))]).astype(np.float64)
    ref = np.linalg.lstsq(A, y.astype(np.float64), rcond=None)[0]
    assert fit_line(hp.MSELoss(), X, y, steps=1500) == pytest.approx(tuple(ref), abs=1e-3)


def test_line_error():
    assert line_error(2.0, 1.0) == 0.0
    assert line_error(2.0, 4.0) == pytest.approx(3.0)
    assert line_error(3.0, 1.0) == pytest.approx(1.0, rel=1e-2)  # mean |x| over [-2, 2]


def test_unknown_loss_name_is_a_clear_error():
    with pytest.raises(ValueError, match="loss"):
        make_regression_loss("hinge")


def test_demo_updates_result_and_image():
    demo = RobustFitDemo(n_samples=60)
    first = demo.image.value
    demo.controls["loss"].value = "MAE"
    assert demo.result["error"] < demo.result["mse_error"]
    assert demo.image.value != first and demo.image.value[:4] == b"\x89PNG"


def test_demo_fits_mse_once_per_outlier_fraction(monkeypatch):
    import helpers.robust_regression as rr

    calls, real = [], rr.fit_line

    def counting_fit_line(loss, X, y):
        calls.append(type(loss))
        return real(loss, X, y)

    monkeypatch.setattr(rr, "fit_line", counting_fit_line)
    demo = RobustFitDemo(n_samples=60)
    first = demo.result["mse_error"]
    demo.controls["delta"].value = 2.0
    demo.controls["loss"].value = "MAE"
    assert calls.count(hp.MSELoss) == 1 and demo.result["mse_error"] == first
    demo.controls["outlier_fraction"].value = 0.3
    assert calls.count(hp.MSELoss) == 2 and demo.result["mse_error"] != first
