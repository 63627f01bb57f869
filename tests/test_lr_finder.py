"""The learning-rate range test: geometric rates, early stop on explosion, weights restored."""

from functools import partial

import numpy as np
import pytest

import helpers as hp
from helpers.lr_finder import RangeTestResult, lr_range_test, plot_range_test


def _setup(seed=0):
    X, y = hp.make_reg_gauss(200, seed=seed)
    return hp.make_mlp([2, 16, 1], seed=seed), hp.MSELoss(), X / 6, y


def test_rates_are_geometric_and_weights_restored():
    model, loss, X, y = _setup()
    before = [p.data.copy() for p in model.parameters()]
    r = lr_range_test(model, loss, X, y, lr_min=1e-4, lr_max=1e-2, steps=50)
    assert isinstance(r, RangeTestResult)
    assert len(r.lrs) == len(r.losses) == len(r.smoothed) == 50 and not r.stopped_early
    ratios = r.lrs[1:] / r.lrs[:-1]
    assert np.allclose(ratios, ratios[0]) and r.lrs[0] == pytest.approx(1e-4)
    assert r.lrs[-1] == pytest.approx(1e-2)
    for p, b in zip(model.parameters(), before):
        assert np.array_equal(p.data, b) and not np.any(p.grad)


def test_stops_when_the_loss_explodes_and_suggests_a_tenth_of_the_minimum():
    model, loss, X, y = _setup()
    r = lr_range_test(model, loss, X, y, lr_min=1e-4, lr_max=100, steps=200)
    assert r.stopped_early and len(r.lrs) < 200
    assert r.lr_at_min == r.lrs[np.argmin(r.smoothed)]
    assert r.suggestion == pytest.approx(r.lr_at_min / 10)
    assert 1e-3 < r.lr_at_min < 10


def test_smoothing_is_a_bias_corrected_average():
    model, loss, X, y = _setup()
    r = lr_range_test(model, loss, X, y, lr_min=1e-4, lr_max=1e-3, steps=10, beta=0.0)
    assert np.allclose(r.smoothed, r.losses)  # beta = 0: no smoothing
    r = lr_range_test(model, loss, X, y, lr_min=1e-4, lr_max=1e-3, steps=10, beta=0.9)
    assert r.smoothed[0] == pytest.approx(r.losses[0])  # bias correction: no pull towards 0


def test_optimizer_factory_and_determinism():
    model, loss, X, y = _setup()
    opt = partial(hp.SGD, momentum=0.9)
    a = lr_range_test(model, loss, X, y, optimizer=opt, steps=30, lr_max=1.0, seed=3)
    b = lr_range_test(model, loss, X, y, optimizer=opt, steps=30, lr_max=1.0, seed=3)
    assert np.array_equal(a.losses, b.losses)


@pytest.mark.parametrize("kwargs", [{"lr_min": 0}, {"lr_min": 1.0, "lr_max": 0.5},
                                    {"steps": 1}, {"beta": 1.0}, {"stop_factor": 1.0},
                                    {"optimizer": "sgd"}, {"batch_size": 0}])
def test_bad_arguments_raise(kwargs):
    model, loss, X, y = _setup()
    with pytest.raises(ValueError):
        lr_range_test(model, loss, X, y, **kwargs)


def test_explodes_at_once_is_a_clear_error():
    model, loss, X, y = _setup()
    with pytest.raises(ValueError, match="lower lr_min"):
        lr_range_test(model, loss, X, y, lr_min=1e3, lr_max=1e6, steps=20)


def test_plot_runs():
    import matplotlib.pyplot as plt

    model, loss, X, y = _setup()
    r = lr_range_test(model, loss, X, y, lr_max=10, steps=60)
    ax = plot_range_test(r)
    assert ax.get_xscale() == "log"
    plt.close("all")


def test_range_test_restores_batchnorm_running_statistics():
    X, y = hp.make_circle(200, seed=0)
    model = hp.make_mlp([2, 16, 2], batchnorm=True, seed=0)
    before = [b.copy() for b in model.buffers()]
    lr_range_test(model, hp.CrossEntropyLoss(), X, y, steps=30)
    for b, b0 in zip(model.buffers(), before):
        np.testing.assert_array_equal(b, b0)
