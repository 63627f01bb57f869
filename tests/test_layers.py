"""Gradient checks in float64 for every layer, activation and loss, and layer semantics."""

import numpy as np
import pytest

import helpers as hp

F64 = np.float64
TOL = 1e-7


def rand(*shape, seed=0, scale=1.0):
    return np.random.default_rng(seed).standard_normal(shape) * scale


def assert_grads_ok(errors):
    assert errors, "nothing was checked"
    for name, err in errors.items():
        assert err < TOL, f"{name}: relative error {err:.2e}"


def test_linear_gradients():
    layer = hp.Linear(5, 3, seed=1, dtype=F64)
    layer.bias.data[:] = rand(3, seed=2)
    assert_grads_ok(hp.check_layer(layer, rand(4, 5)))


def test_linear_shapes_and_no_bias():
    layer = hp.Linear(5, 3, bias=False)
    assert layer.weight.data.shape == (5, 3) and layer.weight.data.dtype == np.float32
    assert layer.parameters() == [layer.weight]
    assert layer.forward(np.ones((2, 5), np.float32)).shape == (2, 3)


def test_linear_on_3d_input():
    layer = hp.Linear(4, 2, seed=0, dtype=F64)
    assert_grads_ok(hp.check_layer(layer, rand(2, 3, 4)))


def test_sequential_gradients():
    model = hp.make_mlp([3, 6, 5, 2], activation="tanh", dtype=F64, seed=3)
    assert len(model.layers) == 5
    assert_grads_ok(hp.check_layer(model, rand(7, 3)))


def test_embedding_gradients_with_repeated_rows():
    emb = hp.Embedding(5, 3, dtype=F64)
    idx = np.array([[0, 1, 1], [4, 0, 2]])
    out = emb.forward(idx)
    assert out.shape == (2, 3, 3)
    dout = rand(2, 3, 3)
    emb.backward(dout)
    expected = np.zeros((5, 3))
    for (i, j), k in np.ndenumerate(idx):
        expected[k] += dout[i, j]
    np.testing.assert_allclose(emb.weight.grad, expected)


def test_flatten_roundtrip():
    x = rand(2, 3, 4)
    f = hp.Flatten()
    assert f.forward(x).shape == (2, 12)
    assert f.backward(f.forward(x)).shape == (2, 3, 4)


@pytest.mark.parametrize("name", sorted(hp.ACTIVATIONS))
def test_activation_gradients(name):
    # |x| <= 3 keeps f'(x) away from 0, where a relative error means nothing
    x = np.clip(rand(6, 5, scale=1.5), -3, 3)
    x[np.abs(x) < 1e-3] = 0.5  # and away from the kink of ReLU-like functions
    assert_grads_ok(hp.check_layer(hp.get_activation(name), x))


def test_gelu_exact_gradients():
    assert_grads_ok(hp.check_layer(hp.GELU(approximate="none"), rand(4, 3)))


def test_activation_values():
    x = np.array([-2.0, 0.5])
    np.testing.assert_allclose(hp.LeakyReLU(0.1).forward(x), [-0.2, 0.5])
    np.testing.assert_allclose(hp.ELU().forward(x), [np.expm1(-2.0), 0.5])
    np.testing.assert_allclose(hp.Sigmoid().forward(x), 1 / (1 + np.exp(-x)))
    np.testing.assert_allclose(hp.Softplus().forward(x), np.log1p(np.exp(x)))
    exact = hp.GELU(approximate="none").forward(x)
    np.testing.assert_allclose(hp.GELU().forward(x), exact, atol=1e-3)


def test_sigmoid_does_not_overflow():
    with np.errstate(all="raise"):
        out = hp.Sigmoid().forward(np.array([-1000.0, 1000.0], np.float32))
    np.testing.assert_allclose(out, [0.0, 1.0])


def test_dropout_gradients_with_fixed_rng():
    assert_grads_ok(hp.check_layer(hp.Dropout(0.3, seed=1), rand(8, 6)))


def test_dropout_semantics():
    d = hp.Dropout(0.25, seed=0)
    x = np.ones((2000, 50), np.float32)
    out = d.forward(x, training=True)
    assert abs((out == 0).mean() - 0.25) < 0.01
    np.testing.assert_allclose(out[out != 0], 1 / 0.75, rtol=1e-6)
    assert abs(out.mean() - 1.0) < 0.01  # inverted dropout keeps the expectation
    assert d.forward(x, training=False) is x


def test_batchnorm_gradients_training_and_eval():
    bn = hp.BatchNorm1d(4, dtype=F64)
    bn.weight.data[:] = rand(4, seed=5)
    bn.bias.data[:] = rand(4, seed=6)
    x = rand(6, 4, seed=1, scale=3.0) + 1.0  # seed != check_layer's dout seed
    assert_grads_ok(hp.check_layer(bn, x, training=True))
    bn.running_mean[:] = rand(4, seed=7)
    bn.running_var[:] = 2.0
    assert_grads_ok(hp.check_layer(bn, x, training=False))


def test_batchnorm_running_statistics_as_pytorch():
    bn = hp.BatchNorm1d(3, momentum=0.1, dtype=F64)
    x = rand(10, 3, scale=2.0) + 3.0
    out = bn.forward(x, training=True)
    np.testing.assert_allclose(out.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(out.std(axis=0), 1, atol=1e-4)
    np.testing.assert_allclose(bn.running_mean, 0.1 * x.mean(axis=0))
    np.testing.assert_allclose(bn.running_var, 0.9 + 0.1 * x.var(axis=0, ddof=1))
    ev = bn.forward(x, training=False)
    np.testing.assert_allclose(ev, (x - bn.running_mean) / np.sqrt(bn.running_var + 1e-5))


LOSS_CASES = [
    (hp.MSELoss(), rand(5, 2), rand(5, 2, seed=1)),
    (hp.L1Loss(), rand(5, 2), rand(5, 2, seed=1)),
    (hp.HuberLoss(delta=0.7), rand(6, 3, scale=2.0), rand(6, 3, seed=1)),
    (hp.BCEWithLogitsLoss(), rand(8, 1, scale=3.0), np.random.default_rng(1).integers(0, 2, 8)),
    (hp.CrossEntropyLoss(), rand(7, 4, scale=3.0), np.random.default_rng(1).integers(0, 4, 7)),
]


@pytest.mark.parametrize("loss, pred, target", LOSS_CASES, ids=lambda v: repr(v)[:20])
def test_loss_gradients(loss, pred, target):
    assert hp.check_loss(loss, pred, target) < TOL


def test_loss_values():
    pred, target = np.array([0.0, 2.0, -3.0]), np.array([0.0, 0.0, 0.0])
    assert hp.MSELoss()(pred, target) == pytest.approx(13 / 3)
    assert hp.L1Loss()(pred, target) == pytest.approx(5 / 3)
    assert hp.HuberLoss(delta=1.0)(pred, target) == pytest.approx((0 + 1.5 + 2.5) / 3)
    z, y = np.array([[2.0], [-1.0]]), np.array([1, 0])
    manual = -np.mean([np.log(1 / (1 + np.exp(-2.0))), np.log(1 - 1 / (1 + np.exp(1.0)))])
    assert hp.BCEWithLogitsLoss()(z, y) == pytest.approx(manual)
    logits = np.array([[1.0, 2.0, 3.0]])
    assert hp.CrossEntropyLoss()(logits, np.array([2])) == pytest.approx(
        -np.log(np.exp(3) / np.exp([1, 2, 3]).sum()))


def test_cross_entropy_is_stable_for_huge_logits():
    with np.errstate(over="raise", invalid="raise"):
        value = hp.CrossEntropyLoss()(np.array([[1000.0, 0.0]], np.float32), np.array([1]))
    assert value == pytest.approx(1000.0)
    with np.errstate(over="raise", invalid="raise"):
        value = hp.BCEWithLogitsLoss()(np.array([[-1000.0]], np.float32), np.array([1]))
    assert value == pytest.approx(1000.0)


def test_gradients_accumulate_until_zero_grad():
    layer = hp.Linear(2, 2, dtype=F64)
    x = rand(3, 2)
    layer.forward(x)
    layer.backward(np.ones((3, 2)))
    first = layer.weight.grad.copy()
    layer.forward(x)
    layer.backward(np.ones((3, 2)))
    np.testing.assert_allclose(layer.weight.grad, 2 * first)
    hp.SGD(layer.parameters(), lr=0.1).zero_grad()
    assert not layer.weight.grad.any()


def test_zero_grad_is_lazy_but_exact():
    layer = hp.Linear(2, 2, dtype=F64)
    x = rand(3, 2)
    layer.forward(x)
    layer.backward(np.ones((3, 2)))
    first = [p.grad.copy() for p in layer.parameters()]
    for p in layer.parameters():
        p.zero_grad()
        assert not p.grad.any()  # reads as zeros at once
        p.zero_grad()
    # after zero_grad, backward writes its result into .grad: the same values as before
    layer.forward(x)
    layer.backward(np.ones((3, 2)))
    for p, g in zip(layer.parameters(), first):
        np.testing.assert_array_equal(p.grad, g)
    # a second backward still adds
    layer.forward(x)
    layer.backward(np.ones((3, 2)))
    for p, g in zip(layer.parameters(), first):
        np.testing.assert_allclose(p.grad, 2 * g)


def test_param_grad_helpers():
    p = hp.Param(np.zeros((2, 3)))
    p.add_to_grad(np.ones((2, 3)))
    p.add_matmul_to_grad(np.ones((2, 1)), np.ones((1, 3)))
    np.testing.assert_array_equal(p.grad, 2 * np.ones((2, 3)))
    p.zero_grad()
    p.add_to_grad(np.full((2, 3), 5.0))
    np.testing.assert_array_equal(p.grad, 5 * np.ones((2, 3)))
    p.zero_grad()
    p.grad += 1.0  # in-place through the property sees zeros first
    np.testing.assert_array_equal(p.grad, np.ones((2, 3)))
    p.grad = 7.0
    np.testing.assert_array_equal(p.grad, 7 * np.ones((2, 3)))
    for bad in (None, np.ones(3)):
        with pytest.raises(ValueError, match="grad must be"):
            p.grad = bad


def test_a_failed_gradient_write_leaves_the_gradient_zero():
    p = hp.Param(np.zeros((3, 3)))
    p.grad = 9.0
    p.zero_grad()
    with pytest.raises(ValueError):
        p.add_matmul_to_grad(np.ones((3, 2)), np.ones((3, 3)))  # shapes do not chain
    with pytest.raises(ValueError):
        p.add_to_grad(np.ones((4, 4)))
    assert not p.grad.any()


def test_count_parameters():
    model = hp.make_mlp([2, 8, 8, 1])
    assert hp.count_parameters(model) == (2 * 8 + 8) + (8 * 8 + 8) + (8 + 1)


def test_sequential_can_skip_the_input_gradient():
    model = hp.make_mlp([3, 4, 2], dtype=F64)
    x = rand(5, 3)
    model.forward(x)
    assert model.backward(np.ones((5, 2)), input_grad=False) is None
    grads = [p.grad.copy() for p in model.parameters()]
    for p in model.parameters():
        p.grad[...] = 0
    model.forward(x)
    assert model.backward(np.ones((5, 2))).shape == (5, 3)
    for p, g in zip(model.parameters(), grads):
        np.testing.assert_allclose(p.grad, g)
