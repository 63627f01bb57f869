"""Checks for notebook 09 · Epochs and iterations."""

import math

import numpy as np

from . import NUMBER, check, close, report

#: exercises 1 and 2: a CIFAR-sized run
N1, B1, E1 = 50_000, 128, 10
#: exercise 4: a budget of updates
BUDGET4, N4, B4 = 3000, 1200, 32


@check(NUMBER, missing="a whole number of updates")
def check_1(answer):
    """Total iterations of N1 examples, batch B1, E1 epochs, keeping the last partial batch."""
    expected = math.ceil(N1 / B1) * E1
    if answer == expected:
        return report(True, success=f"ceil({N1} / {B1}) = {math.ceil(N1 / B1)} updates per epoch, "
                      f"x {E1} = {expected}.", hint="")
    if close(answer, N1 / B1 * E1, rtol=1e-6):
        hint = ("a run cannot do a fraction of an update: round the updates per epoch first "
                "(the last batch is smaller but still one update).")
    elif close(answer, (N1 // B1) * E1, rtol=1e-6):
        hint = ("that is floor, the drop_last=True count; here the last partial batch is kept, "
                "so round up.")
    elif close(answer, math.ceil(N1 / B1), rtol=1e-6):
        hint = f"that is one epoch; multiply by the {E1} epochs."
    elif close(answer, math.ceil(N1 * E1 / B1), rtol=1e-6):
        hint = ("the rounding happens once per epoch (every epoch ends with a partial batch), "
                "not once for the whole run.")
    else:
        hint = "iterations = ceil(N / B) x epochs; hp.num_batches(N, B) gives ceil(N / B)."
    return report(False, success="", hint=hint)


@check(NUMBER, missing="a whole number of examples")
def check_2(answer):
    """Examples skipped per epoch with drop_last=True (N1 examples, batch B1)."""
    expected = N1 % B1
    if answer == expected:
        return report(True, success=f"{N1} = {N1 // B1} x {B1} + {expected}: the {expected} "
                      "leftover examples are skipped (different ones each epoch, after "
                      "reshuffling).", hint="")
    if close(answer, B1 - expected, rtol=1e-6):
        hint = (f"the last batch would hold the leftover N mod B = {N1} mod {B1} examples; "
                f"{B1} minus that is how many it is short of a full batch.")
    elif close(answer, expected * E1, rtol=1e-6):
        hint = "the question is per epoch, not over all the epochs."
    elif close(answer, N1 / B1 - N1 // B1, rtol=1e-6):
        hint = "that is the fraction of a batch; multiply by the batch size to count examples."
    else:
        hint = "with drop_last the last N mod B examples of each shuffled epoch are skipped."
    return report(False, success="", hint=hint)


def _example_curve():
    return ([0.9, 0.7, 0.62, 0.6, 0.61, 0.59, 0.63],)


@check(NUMBER, missing="an epoch number", example_args=_example_curve)
def check_3(answer, val_losses):
    """The best epoch (1-based, as History.epoch counts) of a validation-loss curve."""
    v = np.asarray(val_losses, dtype=float)
    expected = int(np.argmin(v)) + 1
    if answer == expected:
        return report(True, success=f"epoch {expected}: validation loss {v[expected - 1]:.3g}, "
                      f"the lowest of the {len(v)} epochs.", hint="")
    if answer == expected - 1:
        hint = ("off by one: np.argmin gives a 0-based index, but epochs count from 1 "
                "(History.epoch); add 1.")
    elif answer == int(np.argmax(v)) + 1:
        hint = "that is where the validation loss is highest; you want the lowest (argmin)."
    elif answer == len(v):
        hint = "the last epoch is not the best one when the model over-fits: look for the minimum."
    elif close(answer, v.min(), rtol=1e-6):
        hint = "that is the lowest loss itself; the question asks at which epoch it happens."
    else:
        hint = "best epoch = np.argmin(history.history['val_loss']) + 1."
    return report(False, success="", hint=hint)


@check(NUMBER, missing="a whole number of epochs")
def check_4(answer):
    """Whole epochs that fit in BUDGET4 updates with N4 examples, batch B4 (last batch kept)."""
    per_epoch = math.ceil(N4 / B4)
    expected = BUDGET4 // per_epoch
    if answer == expected:
        return report(True, success=f"{per_epoch} updates per epoch, so {expected} epochs use "
                      f"{expected * per_epoch} of the {BUDGET4} updates.", hint="")
    if close(answer, BUDGET4 / (N4 / B4), rtol=1e-6):
        hint = (f"{N4} / {B4} = {N4 / B4:g} is not a whole number of updates: an epoch takes "
                f"ceil of it, {per_epoch}.")
    elif answer == expected + 1:
        hint = (f"{expected + 1} epochs need {(expected + 1) * per_epoch} updates, more than "
                f"the budget: round down.")
    elif close(answer, BUDGET4 / per_epoch, rtol=1e-6):
        hint = "only whole epochs: round down."
    else:
        hint = "epochs = budget // ceil(N / B)."
    return report(False, success="", hint=hint)
