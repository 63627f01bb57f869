"""Epochs and iterations: the plan's counts agree with what fit does, batch by batch."""

import math

import numpy as np
import pytest

import helpers as hp
from helpers.epochs import BatchSizeRecorder, epochs_for_budget, iteration_plan


@pytest.mark.parametrize("n,b", [(1000, 64), (250, 32), (256, 32), (7, 10), (1, 1)])
def test_plan_counts(n, b):
    keep = iteration_plan(n, b, 3)
    assert keep.per_epoch == math.ceil(n / b) and keep.iterations == 3 * math.ceil(n / b)
    assert keep.last_batch == (n % b or b) and keep.examples_seen == 3 * n
    assert keep.dropped_per_epoch == 0
    if n >= b:
        drop = iteration_plan(n, b, 3, drop_last=True)
        assert drop.per_epoch == n // b and drop.last_batch == b
        assert drop.dropped_per_epoch == n % b and drop.examples_seen == 3 * (n - n % b)


def test_describe_spells_out_the_rounding():
    text = iteration_plan(1000, 64, 10).describe()
    assert "ceil = 16" in text and "one of 40" in text and "160 updates" in text
    text = iteration_plan(1000, 64, 10, drop_last=True).describe()
    assert "floor = 15" in text and "40 examples are dropped" in text


def test_bad_plans_raise():
    with pytest.raises(ValueError, match="leaves no batch"):
        iteration_plan(10, 32, 1, drop_last=True)
    with pytest.raises(ValueError):
        iteration_plan(0, 32, 1)
    with pytest.raises(ValueError):
        iteration_plan(10, 0, 1)


def test_epochs_for_budget():
    assert epochs_for_budget(3000, 1200, 32) == 78
    assert epochs_for_budget(3000, 1200, 32, drop_last=True) == 81
    assert epochs_for_budget(10, 1200, 32) == 0


@pytest.mark.parametrize("drop_last", [False, True])
def test_plan_matches_fit_batch_by_batch(drop_last):
    X, y = hp.make_moons(250, noise=0.2, seed=0)
    recorder = BatchSizeRecorder()
    model = hp.Sequential(recorder, hp.make_mlp([2, 8, 2], seed=0))
    h = hp.fit(model, hp.CrossEntropyLoss(), hp.SGD(model.parameters(), lr=0.1), X, y,
               epochs=3, batch_size=32, drop_last=drop_last, validation_data=(X, y),
               progress=False)
    plan = iteration_plan(250, 32, 3, drop_last=drop_last)
    assert h.iterations == len(h.step_loss) == len(recorder.sizes) == plan.iterations
    sizes = recorder.per_epoch(plan.per_epoch)
    assert sizes.shape == (3, plan.per_epoch)
    assert np.all(sizes[:, -1] == plan.last_batch)
    assert sizes.sum() == plan.examples_seen


def test_per_epoch_rejects_a_count_that_does_not_split_the_record():
    recorder = BatchSizeRecorder()
    for b in (32, 32, 26, 32, 32, 26):
        recorder.forward(np.zeros((b, 2)))
    assert recorder.per_epoch(3).shape == (2, 3)
    with pytest.raises(ValueError, match="updates_per_epoch"):
        recorder.per_epoch(4)
    with pytest.raises(ValueError, match="updates_per_epoch"):
        recorder.per_epoch(0)
