"""Fuzzing the GPT-3 calculators (Hypothesis): every input gives the right result or a
ValueError with a message, never another exception, never a hang (each call has a time limit)."""

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import gpt3 as G
from time_limit import time_limit  # tests/time_limit.py

#: seconds one call may take: the calculators are closed form, so milliseconds in truth
TIME_LIMIT = 2.0


def call(fn, *args, **kwargs):
    """fn(...) within the time limit: its result, or None after a ValueError with a message."""
    try:
        with time_limit(TIME_LIMIT):
            return fn(*args, **kwargs)
    except ValueError as exc:
        assert str(exc), f"{fn.__name__} raised a ValueError without a message"
        return None


#: what users type for a number: ordinary values, huge, tiny, negative, nan, inf, the wrong type
ANY = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True), st.integers(),
    st.integers(min_value=10**300, max_value=10**400),
    st.sampled_from([0, 1, 16, 2048, 32_768, 0.5e6, 3.2e6, 4e9, 12e9, 300e9, 1e-300, 5e-324,
                     1.7e308, -1.0, True, None, "300e9", [1e9], (), {}, 1 + 2j, np.float32(2e6),
                     np.int64(16), np.array(1e9), np.array([1e9, 2e9]), np.array([np.nan])]),
)
TOKENS = st.one_of(st.floats(min_value=0, max_value=1e13), st.integers(0, 10**13))
BATCH = st.one_of(st.floats(min_value=2048, max_value=1e8), st.integers(2048, 10**8))
RAMP = st.one_of(st.just(0.0), st.floats(min_value=0, max_value=2e10))


@given(n=ANY, full=ANY, ramp=ANY, start=ANY)
def test_count_iterations_answers_anything_in_time(n, full, ramp, start):
    steps = call(G.count_iterations, n, full, ramp, start_tokens=start)
    assert steps is None or (isinstance(steps, int) and steps >= 0)


@given(n=TOKENS, full=BATCH, ramp=RAMP, start=BATCH)
def test_count_iterations_is_monotone_and_at_least_the_plain_count(n, full, ramp, start):
    steps = call(G.count_iterations, n, full, ramp, start_tokens=start)
    plain = call(G.count_iterations, n, full)
    assert plain == math.ceil(n / full)
    assert steps >= plain  # a ramp only makes batches smaller
    assert call(G.count_iterations, n * 1.5 + full, full, ramp, start_tokens=start) >= steps


def _exact_count(n, full, ramp, start):
    """count_iterations in exact rational arithmetic, one step at a time (small cases only);
    also whether a batch boundary lands within 1e-9 of a limit (a tie floats cannot decide)."""
    n, full, ramp, start = (Fraction(v) for v in (n, full, ramp, start))
    start = min(start, full)
    slope = (full - start) / ramp if ramp > 0 else Fraction(0)
    seen, steps, limit = Fraction(0), 0, min(ramp, n)
    while seen < limit:
        seen += start + slope * seen
        steps += 1
    rest = max(n - seen, Fraction(0)) / full
    near = lambda a, b: abs(a - b) <= Fraction(1, 10**9) * max(abs(b), 1)  # noqa: E731
    tie = steps > 0 and near(seen, limit) or near(rest, round(rest))
    return steps + math.ceil(rest), tie


@given(n=st.floats(min_value=0, max_value=1e8), full=st.floats(min_value=2048, max_value=1e6),
       ramp=st.floats(min_value=0, max_value=1e7), start=st.floats(min_value=2048, max_value=1e6))
def test_count_iterations_agrees_with_exact_arithmetic(n, full, ramp, start):
    if ramp / min(start, full) > 3000:
        ramp = 3000 * min(start, full)  # keep the exact reference short
    exact, tie = _exact_count(n, full, ramp, start)
    got = call(G.count_iterations, n, full, ramp, start_tokens=start)
    assert got == exact or (tie and abs(got - exact) == 1)


@given(t=ANY, peak=ANY, warmup=ANY, decay=ANY, floor=ANY)
def test_learning_rate_is_a_fraction_of_the_peak_or_a_value_error(t, peak, warmup, decay, floor):
    lr = call(G.learning_rate, t, peak, warmup_tokens=warmup, decay_tokens=decay, floor=floor)
    if lr is not None:
        lr = np.asarray(lr)
        assert lr.shape == np.shape(t) and np.all((lr >= 0) & (lr <= peak))


@given(t=ANY, full=ANY, ramp=ANY, start=ANY)
def test_batch_size_lies_between_its_start_and_full_size(t, full, ramp, start):
    b = call(G.batch_size_tokens, t, full, ramp, start_tokens=start)
    if b is not None:
        b = np.asarray(b)
        assert b.shape == np.shape(t)
        assert np.all((b >= min(start, full) * (1 - 1e-12)) & (b <= full * (1 + 1e-12)))


@given(flops=ANY, n=ANY, peak=ANY, u=ANY)
def test_training_days_is_a_finite_number_or_a_value_error(flops, n, peak, u):
    days = call(G.training_days, flops, n, peak, u)
    assert days is None or (isinstance(days, float) and 0 <= days < math.inf)


@given(a=ANY, b=ANY)
def test_compute_memory_and_chinchilla_are_finite_or_a_value_error(a, b):
    for fn, args in ((G.train_flops, (a, b)), (G.pf_days, (a,)), (G.chinchilla_optimal, (a, b)),
                     (G.training_memory, (a,)), (G.ramp_iterations_approx, (a, b))):
        result = call(fn, *args)
        values = [] if result is None else \
            list(result.values()) if isinstance(result, dict) else np.ravel(result).tolist()
        assert all(isinstance(v, float) and 0 <= v < math.inf for v in values), (fn, result)


@given(layers=ANY, d=ANY, vocab=ANY, ctx=ANY)
def test_param_count_is_a_whole_number_or_a_value_error(layers, d, vocab, ctx):
    count = call(G.param_count, layers, d, vocab, ctx)
    assert count is None or (isinstance(count, int) and count > 0)


VOCAB = G.CharVocab("The cat sat.\n")


@given(text=st.text(max_size=30))
def test_encode_takes_the_vocabulary_and_names_any_other_character(text):
    ids = call(VOCAB.encode, text)
    if ids is None:
        assert set(text) - set(VOCAB.chars)
    else:
        assert VOCAB.decode(ids) == text


@given(ids=st.one_of(ANY, st.lists(st.integers(-5, 20), max_size=8)))
def test_decode_takes_ids_of_the_vocabulary_or_names_the_wrong_one(ids):
    text = call(VOCAB.decode, ids)
    assert text is None or isinstance(text, str)


@pytest.mark.parametrize("args", [(300e9, 2048, 300e9), (1.7e308, 2048, 1.7e308),
                                  (1.7e308, 3.2e6, 1e300), (300e9, 3.2e6, 12e9)])
def test_count_iterations_answers_at_once_even_for_a_long_ramp_of_small_batches(args):
    with time_limit(TIME_LIMIT):  # the old loop took a minute on the first: 1.5e8 ramp steps
        assert G.count_iterations(*args, start_tokens=2048) >= args[0] / args[1]
