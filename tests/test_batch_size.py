"""helpers.batch_size and helpers.exercises.batch_size."""

import numpy as np
import pytest

import helpers as hp
from helpers.batch_size import (BatchSizeLab, figure_png, flat_grad, gradient_noise,
                                gradient_variance, noise_scale, time_per_epoch,
                                steps_to_target)
from helpers.exercises import batch_size as ex


@pytest.fixture(scope="module")
def blobs():
    X, y = hp.make_gauss(120, noise=0.3, seed=0)
    return X, y


def test_flat_grad_matches_parameter_grads(blobs):
    X, y = blobs
    model = hp.make_mlp([2, 5, 1], seed=0)
    g = flat_grad(model, hp.BCEWithLogitsLoss(), X, y)
    assert g.dtype == np.float64
    assert g.size == hp.count_parameters(model)
    assert np.allclose(g[:10], model.parameters()[0].grad.ravel())


def test_gradient_noise_is_zero_at_full_batch_and_falls_like_one_over_b(blobs):
    X, y = blobs
    model = hp.make_mlp([2, 8, 1], seed=0)
    loss = hp.BCEWithLogitsLoss()
    noise = gradient_noise(model, loss, X, y, [1, 4, 16, len(X)], draws=200)
    assert noise[-1] < 1e-10
    # sigma^2 exactly, from the per-example gradients (not from the B=1 measurement)
    sigma2 = gradient_variance(model, loss, X, y)
    theory = sigma2 / np.array([1, 4, 16]) * (len(X) - np.array([1, 4, 16])) / (len(X) - 1)
    assert np.allclose(noise[:3], theory, rtol=0.3)


def test_gradient_noise_rejects_a_batch_larger_than_the_data(blobs):
    X, y = blobs
    with pytest.raises(ValueError):
        gradient_noise(hp.make_mlp([2, 3, 1]), hp.BCEWithLogitsLoss(), X, y, [len(X) + 1])


def test_time_per_epoch_returns_one_positive_time_per_batch_size(blobs):
    X, y = blobs
    t = time_per_epoch(lambda: hp.make_mlp([2, 4, 1]), hp.BCEWithLogitsLoss(), X, y, [1, 32],
                       repeats=1)
    assert t.shape == (2,) and np.all(t > 0)


def test_figure_png_returns_png_bytes():
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots()
    ax.plot([0, 1])
    assert figure_png(fig)[:8] == b"\x89PNG\r\n\x1a\n"


def test_lab_updates_and_reports(blobs):
    X, y = blobs
    lab = BatchSizeLab(X[:80], y[:80], X[80:], y[80:], hp.BCEWithLogitsLoss(), sizes=[2, 8, 1],
                       epochs=2)
    widget = lab.show()
    assert lab.history.iterations == 2 * hp.num_batches(80, 32)
    lab.batch.value = 8
    assert lab.history.iterations == 2 * 10
    lab.scale.click()
    assert lab.lr.value == pytest.approx(0.05 * 8 / 32)
    assert lab.image.value[:4] == b"\x89PNG" and widget is not None


@pytest.mark.parametrize("check, right, wrong", [
    (ex.check_1, 0.15, 0.6), (ex.check_2, 0.4, 0.2), (ex.check_3, 9.99, 9.0)])
def test_exercise_checks(check, right, wrong, capsys):
    assert check(right)
    assert not check(wrong)
    assert "Not yet" in capsys.readouterr().out
    assert not check(None)


def test_gradient_variance_equals_the_loop_over_examples(blobs):
    X, y = blobs
    model = hp.make_mlp([2, 8, 8, 1], activation="tanh", seed=0, dtype=np.float64)
    loss = hp.BCEWithLogitsLoss()
    g = flat_grad(model, loss, X, y)
    by_loop = np.mean([np.sum((flat_grad(model, loss, X[i:i + 1], y[i:i + 1]) - g) ** 2)
                       for i in range(len(X))])
    assert gradient_variance(model, loss, X, y) == pytest.approx(by_loop, rel=1e-9)


def test_gradient_variance_refuses_layers_that_mix_examples(blobs):
    X, y = blobs
    model = hp.make_mlp([2, 8, 1], batchnorm=True, seed=0)
    with pytest.raises(ValueError, match="Linear and activation layers only"):
        gradient_variance(model, hp.BCEWithLogitsLoss(), X, y)


def test_noise_scale_is_variance_over_squared_gradient(blobs):
    X, y = blobs
    model = hp.make_mlp([2, 8, 2], seed=0, dtype=np.float64)
    loss = hp.CrossEntropyLoss()
    g = flat_grad(model, loss, X, y)
    assert noise_scale(model, loss, X, y) == pytest.approx(
        gradient_variance(model, loss, X, y) / (g @ g))


def test_steps_to_target_stops_at_the_first_update_below_it(blobs):
    X, y = blobs
    loss = hp.CrossEntropyLoss()
    model = hp.make_mlp([2, 8, 2], seed=0)
    n = steps_to_target(model, loss, X, y, (X, y), batch_size=16, lr=0.5, target=0.3,
                          max_updates=500)
    assert 1 <= n < 500 and hp.evaluate(model, loss, X, y)["loss"] < 0.3
    # replayed one update shorter, the target is not yet reached
    again = hp.make_mlp([2, 8, 2], seed=0)
    assert steps_to_target(again, loss, X, y, (X, y), batch_size=16, lr=0.5, target=0.3,
                             max_updates=n - 1) == np.inf
    assert hp.evaluate(again, loss, X, y)["loss"] >= 0.3
    # a rate of zero never gets there; a huge one diverges: both inf, no exception
    assert steps_to_target(hp.make_mlp([2, 8, 2], seed=0), loss, X, y, (X, y), batch_size=16,
                             lr=0.0, target=0.3, max_updates=20) == np.inf
    with pytest.raises(ValueError, match="batch_size"):
        steps_to_target(model, loss, X, y, (X, y), batch_size=0, lr=0.1, target=0.3,
                          max_updates=5)
