"""Schedules: values at known points, vectorised over t, plottable without training."""

import math
from functools import partial

import numpy as np
import pytest

from helpers import schedules as S


def test_constant():
    assert S.constant(0) == 1.0 and S.constant(10**6) == 1.0


def test_step_decay():
    f = partial(S.step_decay, step_size=10, gamma=0.5)
    assert [f(0), f(9), f(10), f(25)] == [1.0, 1.0, 0.5, 0.25]


def test_exponential_and_inverse_time():
    assert S.exponential_decay(3, gamma=0.9) == pytest.approx(0.729)
    assert S.inverse_time_decay(4, decay_rate=0.25) == pytest.approx(0.5)


def test_cosine_with_floor():
    f = partial(S.cosine_decay, total_steps=100, floor=0.1)
    assert f(0) == pytest.approx(1.0)
    assert f(50) == pytest.approx(0.55)
    assert f(100) == pytest.approx(0.1)
    assert f(1000) == pytest.approx(0.1)  # constant after the decay, as in GPT-3


def test_warmup_then_cosine():
    f = partial(S.warmup, warmup_steps=10, after=partial(S.cosine_decay, total_steps=90))
    assert f(0) == pytest.approx(0.1)
    assert f(4) == pytest.approx(0.5)
    assert f(9) == pytest.approx(1.0)
    assert f(10) == pytest.approx(1.0)
    assert f(55) == pytest.approx(0.5)
    assert f(100) == pytest.approx(0.0, abs=1e-12)


def test_one_cycle_matches_torch_shape():
    f = partial(S.one_cycle, total_steps=100, pct_start=0.3, div_factor=25, final_div_factor=1e4)
    assert f(0) == pytest.approx(1 / 25)
    assert f(29) == pytest.approx(1.0)
    assert f(99) == pytest.approx(1 / 25 / 1e4)
    t = np.arange(100)
    values = f(t)
    assert values.shape == (100,) and values.argmax() == 29


def test_one_cycle_with_a_warmup_of_zero_length_is_finite():
    # pct_start * total_steps == 1: the peak step pct_start * total_steps - 1 is t = 0
    with np.errstate(all="raise"):
        values = S.one_cycle(np.arange(10), total_steps=10, pct_start=0.1)
    assert S.one_cycle(0, total_steps=10, pct_start=0.1) == pytest.approx(1.0)
    assert np.all(np.isfinite(values)) and np.all(np.diff(values) < 0)
    assert values[-1] == pytest.approx(1 / 25 / 1e4)
    # below 1 there is no warm-up step at all: the run starts just past the peak, going down
    short = S.one_cycle(np.arange(10), total_steps=10, pct_start=0.05)
    assert np.all(np.isfinite(short)) and short[0] < 1 and np.all(np.diff(short) < 0)


def test_vectorised():
    t = np.arange(5)
    np.testing.assert_allclose(S.exponential_decay(t, gamma=0.5), 0.5**t)
    assert isinstance(S.cosine_decay(3, total_steps=10), float)


def test_bad_values():
    with pytest.raises(ValueError, match="gamma"):
        S.step_decay(0, step_size=10, gamma=1.5)
    with pytest.raises(ValueError, match="total_steps"):
        S.cosine_decay(0, total_steps=0)
    with pytest.raises(ValueError, match="floor"):
        S.cosine_decay(0, total_steps=10, floor=-0.1)
    assert math.isfinite(S.warmup(0, warmup_steps=0))
    with pytest.raises(ValueError, match="after"):
        S.warmup(0, warmup_steps=5, after=0.5)


def _sgdr_by_loop(t, cycle_steps, cycle_mult, floor):
    # torch's CosineAnnealingWarmRestarts, written as its documentation states it: walk the cycles
    t_cur, t_i = t, cycle_steps
    while t_cur >= t_i:
        t_cur -= t_i
        t_i *= cycle_mult
    return floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * t_cur / t_i))


@pytest.mark.parametrize("cycle_steps, cycle_mult, floor", [(10, 1, 0.0), (10, 2, 0.0), (7, 3, 0.1),
                                                              (1, 2, 0.0)])
def test_cosine_restarts_matches_the_cycle_walk(cycle_steps, cycle_mult, floor):
    t = np.arange(400)
    got = S.cosine_restarts(t, cycle_steps=cycle_steps, cycle_mult=cycle_mult, floor=floor)
    want = [_sgdr_by_loop(k, cycle_steps, cycle_mult, floor) for k in t]
    np.testing.assert_allclose(got, want, atol=1e-12)


def test_cosine_restarts_restarts_at_the_top():
    f = partial(S.cosine_restarts, cycle_steps=10, cycle_mult=2)
    assert f(0) == f(10) == f(30) == f(70) == 1.0          # cycles of 10, 20, 40 steps
    assert f(9) < 0.03 and f(29) < 0.01 and f(5) == pytest.approx(0.5)
    assert isinstance(f(3), float)
    with pytest.raises(ValueError, match="cycle_steps"):
        S.cosine_restarts(0, cycle_steps=0)
    with pytest.raises(ValueError, match="cycle_mult"):
        S.cosine_restarts(0, cycle_steps=5, cycle_mult=0)
    with pytest.raises(ValueError, match="floor"):
        S.cosine_restarts(0, cycle_steps=5, floor=1.5)
