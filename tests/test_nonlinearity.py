"""Tests for helpers.nonlinearity (notebook 04)."""

import numpy as np
import pytest

import helpers as hp
from helpers import nonlinearity as nl
from helpers.exercises import activations as ex


@pytest.mark.parametrize("name", list(hp.ACTIVATIONS))
def test_derivative_matches_finite_differences(name):
    x = np.linspace(-4, 4, 40)  # 0 (a kink for the ReLU family) is not on the grid
    _, d = nl.curve_and_derivative(name, x)
    h = 1e-6
    f_plus = nl.curve_and_derivative(name, x + h)[0]
    f_minus = nl.curve_and_derivative(name, x - h)[0]
    fd = (f_plus - f_minus) / (2 * h)
    np.testing.assert_allclose(d, fd, rtol=1e-5, atol=1e-7)


def test_curve_and_derivative_accepts_a_layer_and_rejects_junk():
    f, d = nl.curve_and_derivative(hp.LeakyReLU(0.1), np.array([-2.0, 3.0]))
    np.testing.assert_allclose(f, [-0.2, 3.0])
    np.testing.assert_allclose(d, [0.1, 1.0])
    with pytest.raises(ValueError):
        nl.curve_and_derivative("swish", np.zeros(2))
    with pytest.raises(ValueError):
        nl.curve_and_derivative(42, np.zeros(2))


def test_collapse_linear_equals_the_network():
    model = hp.make_mlp([3, 5, 4, 2], activation="identity", seed=3, dtype=np.float64)
    for p in model.parameters():
        p.data[...] = np.random.default_rng(1).standard_normal(p.data.shape)
    X = np.random.default_rng(0).standard_normal((10, 3))
    W, b = nl.collapse_linear(model)
    assert W.shape == (3, 2) and b.shape == (2,)
    np.testing.assert_allclose(hp.predict(model, X), X @ W + b, rtol=1e-10, atol=1e-10)


def test_collapse_linear_refuses_a_nonlinear_network():
    with pytest.raises(ValueError, match="not linear"):
        nl.collapse_linear(hp.make_mlp([2, 3, 1], activation="relu"))


def test_zero_gradient_fraction_relu_vs_leaky():
    X = np.random.default_rng(0).standard_normal((50, 2)).astype(np.float32)
    for act, expected in (("relu", 0.5), ("leaky_relu", 0.0)):
        model = hp.make_mlp([2, 4, 1], activation=act)
        model[0].bias.data[:2] = -100.0  # two of four units never fire
        assert nl.zero_gradient_fraction(model, X) == expected
        assert hp.diagnostics.dead_fraction(model, X) == 0.5  # never positive, in both cases


def test_activation_playground_is_driven_by_its_controls():
    X, y = hp.make_circle(80, seed=0)
    ui, controls, state = nl.activation_playground({"circle": (X / 5, y)}, value=("relu",),
                                                   epochs=30)
    assert state["shown"] == ["relu"] and 0 <= state["accuracy"]["relu"] <= 1
    controls["activations"].value = tuple(hp.ACTIVATIONS)[:6]
    assert len(state["shown"]) == 4
    controls["activations"].value = ()
    assert "pick at least one" in ui.children[1].value  # a message, not a traceback


def test_train_activation_accepts_lists_and_rejects_bad_shapes():
    X, y = hp.make_circle(40, seed=0)
    model, history = nl.train_activation("relu", X.tolist(), y.tolist(), hidden=(4,), epochs=2)
    assert hp.count_parameters(model) == (2 * 4 + 4) + (4 + 1) and len(history.history["loss"]) == 2
    with pytest.raises(ValueError, match="X must be a 2-D array"):
        nl.train_activation("relu", X[:, 0], y, epochs=2)
    with pytest.raises(ValueError, match="hidden must be a sequence"):
        nl.train_activation("relu", X, y, hidden=16, epochs=2)
    with pytest.raises(ValueError, match=r"hidden\[1\]"):
        nl.train_activation("relu", X, y, hidden=(4, 0), epochs=2)


@pytest.mark.parametrize("kwargs, match", [
    ({"datasets": {}}, "datasets must be a non-empty dict"),
    ({"datasets": [(0, 1)]}, "datasets must be a non-empty dict"),
    ({"datasets": {"circle": np.zeros((4, 2))}}, r"datasets\['circle'\] must be a pair"),
    ({"value": ("swish",)}, "value must be one of"),
    ({"max_shown": 0}, "max_shown"),
    ({"epochs": 0}, "epochs"),
])
def test_activation_playground_rejects_bad_arguments(kwargs, match):
    X, y = hp.make_circle(20, seed=0)
    kwargs = {"datasets": {"circle": (X, y)}, **kwargs}
    with pytest.raises(ValueError, match=match):
        nl.activation_playground(kwargs.pop("datasets"), **kwargs)


def test_exercise_checks(capsys):
    assert ex.check_1(0.1587) and ex.check_1(0.16)
    capsys.readouterr()
    for wrong, hint in ((0.8413, "z <= 0"), (0.5, "centred at 0"), (15.87, "percentage"),
                        (0.15, "P(z > 0)")):
        assert not ex.check_1(wrong)
        assert hint in capsys.readouterr().out
    assert not ex.check_1(None)
    assert ex.check_3(5.986)
    capsys.readouterr()
    # sigmoid'(x) = 0.01 at x = ln 98.01 = 4.585, sigmoid(x) = 0.99 at ln 99 = 4.595: each its hint
    for wrong, hint in ((4.585, "sigmoid'(x) = 0.01"), (4.58, "sigmoid'(x) = 0.01"),
                        (np.log(99), "reaches 0.99"), (4.60, "reaches 0.99")):
        assert not ex.check_3(wrong)
        assert hint in capsys.readouterr().out
    rng = np.random.default_rng(0)
    W1, b1 = rng.normal(size=(2, 3)), rng.normal(size=3)
    W2, b2 = rng.normal(size=(3, 1)), rng.normal(size=1)
    assert ex.check_2((W1 @ W2, b1 @ W2 + b2), W1, b1, W2, b2)
    capsys.readouterr()
    assert not ex.check_2((W1 @ W2, b2), W1, b1, W2, b2)
    assert "b1 @ W2" in capsys.readouterr().out
    assert not ex.check_2(None, W1, b1, W2, b2)
