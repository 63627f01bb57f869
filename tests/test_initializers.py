"""Initializers follow torch.nn.init's formulas; make_mlp picks the activation's standard one."""

import math

import numpy as np
import pytest

import helpers as hp

FAN_IN, FAN_OUT = 400, 300


def sample(fn, **kw):
    return fn(FAN_IN, FAN_OUT, np.random.default_rng(0), **kw)


@pytest.mark.parametrize("fn, std", [
    (hp.xavier_uniform, math.sqrt(2 / (FAN_IN + FAN_OUT))),
    (hp.xavier_normal, math.sqrt(2 / (FAN_IN + FAN_OUT))),
    (hp.he_uniform, math.sqrt(2 / FAN_IN)),
    (hp.he_normal, math.sqrt(2 / FAN_IN)),
    (hp.lecun_normal, math.sqrt(1 / FAN_IN)),
])
def test_std_matches_formula(fn, std):
    w = sample(fn)
    assert w.shape == (FAN_IN, FAN_OUT)
    assert w.std() == pytest.approx(std, rel=0.01)
    assert abs(w.mean()) < 0.01 * std * 10


def test_uniform_bounds():
    a = math.sqrt(6 / (FAN_IN + FAN_OUT))
    w = sample(hp.xavier_uniform)
    assert w.max() <= a and w.min() >= -a and w.max() > 0.99 * a
    assert np.abs(sample(hp.he_uniform)).max() <= math.sqrt(6 / FAN_IN)
    assert np.abs(sample(hp.uniform, a=0.2)).max() <= 0.2


def test_gain():
    assert hp.calculate_gain("tanh") == pytest.approx(5 / 3)
    assert hp.calculate_gain("relu") == pytest.approx(math.sqrt(2))
    assert hp.calculate_gain("leaky_relu", 0.2) == pytest.approx(math.sqrt(2 / 1.04))
    w = sample(hp.xavier_normal, gain=5 / 3)
    assert w.std() == pytest.approx(5 / 3 * math.sqrt(2 / 700), rel=0.01)


def test_constant_and_zeros_and_normal():
    assert not sample(hp.zeros).any()
    assert np.all(sample(hp.constant, value=0.3) == 0.3)
    assert sample(hp.normal, std=1.0).std() == pytest.approx(1.0, rel=0.01)


def test_lookup_and_default_per_activation():
    assert hp.get_initializer("he_normal") is hp.he_normal
    relu_net = hp.make_mlp([500, 500, 1], activation="relu")
    tanh_net = hp.make_mlp([500, 500, 1], activation="tanh")
    assert relu_net[0].weight.data.std() == pytest.approx(math.sqrt(2 / 500), rel=0.02)
    assert tanh_net[0].weight.data.std() == pytest.approx(math.sqrt(2 / 1000), rel=0.02)


def test_seeded_and_independent_of_global_state():
    np.random.seed(123)
    a = hp.Linear(4, 4, seed=7).weight.data
    np.random.seed(456)
    b = hp.Linear(4, 4, seed=7).weight.data
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, hp.Linear(4, 4, seed=8).weight.data)
