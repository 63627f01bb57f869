"""Epochs and iterations: counting the updates of a training run (introduced in notebook 09).

An iteration (step, update) is one mini-batch: forward, backward, optimizer.step().
An epoch is one pass over the N training examples in batches of B:
    iterations per epoch = ceil(N / B)    the last, smaller batch is kept (fit's default)
                         = floor(N / B)   drop_last=True: the N mod B leftover examples are
                                          skipped this epoch (others next epoch, after reshuffling)
    iterations = iterations per epoch * epochs
"""

from dataclasses import dataclass

import numpy as np

from .data import num_batches
from .layers import Module
from .validation import check_int


@dataclass(frozen=True)
class IterationPlan:
    """The counts of one training run (see iteration_plan)."""

    n_samples: int
    batch_size: int
    epochs: int
    drop_last: bool
    per_epoch: int          # updates per epoch
    iterations: int         # updates in all
    last_batch: int         # size of the last batch of each epoch
    dropped_per_epoch: int  # examples skipped each epoch (drop_last only)
    examples_seen: int      # examples processed over the whole run

    def describe(self):
        """One line: the formula with these numbers."""
        n, b = self.n_samples, self.batch_size
        full, rest = divmod(n, b)
        if rest == 0:
            batches = f"{full} full batches"
        elif self.drop_last:
            batches = f"{full} full batches; the last {rest} examples are dropped"
        else:
            batches = f"{full} full batches + one of {rest}"
        rounding = "floor" if self.drop_last else "ceil"
        return (f"{n} / {b} = {n / b:.6g} -> {rounding} = {self.per_epoch} updates per epoch "
                f"({batches}); x {self.epochs} epochs = {self.iterations} updates, "
                f"{self.examples_seen} examples processed")


def iteration_plan(n_samples, batch_size, epochs, *, drop_last=False):
    """The IterationPlan of `fit(..., epochs, batch_size, drop_last)` on n_samples examples."""
    n = check_int("n_samples", n_samples, low=1)
    b = check_int("batch_size", batch_size, low=1)
    e = check_int("epochs", epochs, low=0)
    per_epoch = num_batches(n, b, drop_last=drop_last)
    if per_epoch == 0:
        raise ValueError(f"batch_size={b} with drop_last=True leaves no batch of {n} examples")
    rest = n % b
    last = b if rest == 0 or drop_last else rest
    dropped = rest if drop_last else 0
    return IterationPlan(n_samples=n, batch_size=b, epochs=e, drop_last=bool(drop_last),
                         per_epoch=per_epoch, iterations=per_epoch * e, last_batch=last,
                         dropped_per_epoch=dropped, examples_seen=(n - dropped) * e)


def epochs_for_budget(iterations, n_samples, batch_size, *, drop_last=False):
    """The number of whole epochs that fit in a budget of `iterations` updates."""
    budget = check_int("iterations", iterations, low=0)
    per_epoch = iteration_plan(n_samples, batch_size, 1, drop_last=drop_last).per_epoch
    return budget // per_epoch


class BatchSizeRecorder(Module):
    """An identity layer that records the size of every training batch passing through it.

    Put it first, Sequential(BatchSizeRecorder(), *model), to see what fit feeds the model.
    Evaluation-mode calls (validation, predict) are not recorded.
    """

    def __init__(self):
        self.sizes = []

    def forward(self, x, training=True):
        if training:
            self.sizes.append(len(x))
        return x

    def backward(self, dout):
        return dout

    def per_epoch(self, updates_per_epoch):
        """The recorded sizes as an (epochs, updates_per_epoch) array."""
        k = check_int("updates_per_epoch", updates_per_epoch, low=1)
        sizes = np.asarray(self.sizes, dtype=int)
        if len(sizes) % k:
            raise ValueError(f"updates_per_epoch must divide the {len(sizes)} recorded batches "
                             f"into whole epochs, got {updates_per_epoch!r}")
        return sizes.reshape(-1, k)
