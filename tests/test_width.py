"""Tests for helpers.width (notebook 03)."""

import numpy as np
import pytest

import helpers as hp
from helpers import width as hw
from helpers.exercises import width as ex


@pytest.mark.parametrize("sizes", [[2, 1], [2, 8, 1], [784, 256, 128, 10], [3, 5, 5, 5, 2]])
def test_parameter_count_matches_the_library(sizes):
    assert hw.mlp_parameter_count(sizes) == hp.count_parameters(hp.make_mlp(sizes))


def test_parameter_count_rejects_bad_sizes():
    with pytest.raises(ValueError):
        hw.mlp_parameter_count([2])
    with pytest.raises(ValueError):
        hw.mlp_parameter_count([2, 0, 1])
    with pytest.raises(ValueError, match="sizes must be a list"):
        hw.mlp_parameter_count(5)
    with pytest.raises(ValueError, match="sizes must be a list"):
        hw.mlp_parameter_count("2, 8, 1")


def _xor(n=120):
    X, y = hp.make_xor(n, seed=0)
    return X / 5, y


def test_train_width_learns_xor_when_wide_enough():
    X, y = _xor()
    model, hist = hw.train_width(X, y, 16, epochs=200)
    assert hw.error_rate(model, X, y) < 0.05
    assert len(hist.epoch) == 200
    narrow, _ = hw.train_width(X, y, 1, epochs=200)
    assert hw.error_rate(narrow, X, y) > 0.2  # one ReLU fold cannot draw XOR


def test_train_width_accepts_lists_and_rejects_bad_shapes():
    X, y = _xor(40)
    model, _ = hw.train_width(X.tolist(), y.tolist(), 4, epochs=5)
    reference, _ = hw.train_width(X, y, 4, epochs=5)
    assert hw.error_rate(model, X, y) == hw.error_rate(reference, X, y)
    with pytest.raises(ValueError, match="X must be a 2-D array"):
        hw.train_width(X[:, 0].tolist(), y, 4, epochs=5)


def test_width_sweep_rejects_empty_or_bad_widths_and_seeds():
    X, y = _xor(40)
    with pytest.raises(ValueError, match="seeds must list at least one seed"):
        hw.width_sweep(X, y, X, y, [2], seeds=(), epochs=5)
    with pytest.raises(ValueError, match="widths must list at least one width"):
        hw.width_sweep(X, y, X, y, [], epochs=5)
    with pytest.raises(ValueError, match="widths must be a list"):
        hw.width_sweep(X, y, X, y, 8, epochs=5)
    with pytest.raises(ValueError, match="seed"):
        hw.width_sweep(X, y, X, y, [2], seeds=(0, -1), epochs=5)


def test_width_sweep_shapes_and_determinism():
    X, y = _xor()
    a = hw.width_sweep(X[:80], y[:80], X[80:], y[80:], [2, 8], seeds=(0, 1), epochs=20)
    b = hw.width_sweep(X[:80], y[:80], X[80:], y[80:], [2, 8], seeds=(0, 1), epochs=20)
    assert a["train_error"].shape == a["val_error"].shape == (2, 2)
    assert list(a["params"]) == [hw.mlp_parameter_count([2, w, 1]) for w in (2, 8)]
    np.testing.assert_array_equal(a["val_error"], b["val_error"])


def test_width_playground_is_driven_by_its_controls():
    X, y = _xor(300)
    ui, controls, state = hw.width_playground(X[:200], y[:200], X[200:], y[200:], widths=(2, 8),
                                              sizes=(50, 200), value=2, n_train=50, epochs=30)
    assert state["width"] == 2 and state["n_train"] == 50
    assert ui.children[2].value[:4] == b"\x89PNG"
    controls["width"].value = 8
    assert state["width"] == 8 and state["params"] == hw.mlp_parameter_count([2, 8, 1])


def test_figure_png_returns_png_bytes():
    from matplotlib.figure import Figure
    fig = Figure()
    fig.subplots().plot([0, 1])
    assert hw.figure_png(fig)[:4] == b"\x89PNG"


def test_exercise_checks(capsys):
    assert ex.check_1(235146)
    assert not ex.check_1(234752)
    assert "bias" in capsys.readouterr().out
    assert ex.check_2(82801 / 21401)
    assert not ex.check_2(4)
    assert not ex.check_1(None)
    sweep = {"widths": np.array([2, 8, 64]), "train_error": np.array([[0.3], [0.1], [0.0]]),
             "val_error": np.array([[0.3], [0.12], [0.2]])}
    assert ex.check_3(8, sweep)
    capsys.readouterr()
    assert not ex.check_3(64, sweep)
    assert "training" in capsys.readouterr().out
