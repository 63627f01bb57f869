"""Checks for notebook 11 · Debugging and monitoring: diagnose a run from its numbers.

Every check prints a hint and returns a falsy verdict for a wrong answer of any type (a
string, a list, NaN, a huge integer, a dict): it never raises.
"""

import math

import numpy as np

from . import NO_ANSWER, is_missing, report

#: exercise 1: a 26-class classifier (letters) and the loss it measured before training
N_CLASSES, MEASURED_INITIAL = 26, 9.8
#: exercise 2: plain SGD (no momentum) at LR; log10 update ratios of its three Linear
#: layers (columns) at four records (rows)
LR = 0.5
RATIOS = np.array([[-1.21, -1.34, -1.12],
                   [-1.28, -1.40, -1.19],
                   [-1.25, -1.37, -1.22],
                   [-1.31, -1.45, -1.27]])
#: exercise 3: a ReLU network's dead fraction per hidden layer (columns: layers 1, 2, 3)
#: at the recorded updates STEPS (rows)
STEPS = np.array([0, 20, 40, 60, 80, 100])
DEAD = np.array([[0.00, 0.02, 0.03],
                 [0.00, 0.02, 0.05],
                 [0.00, 0.03, 0.06],
                 [0.01, 0.31, 0.62],
                 [0.01, 0.55, 0.70],
                 [0.01, 0.58, 0.71]])
#: exercise 4: label-shuffle results of three pipelines (random labels, as in 2.4)
SHUFFLE_RESULTS = {
    "A": {"train_accuracy": 0.98, "val_accuracy": 0.11, "chance": 0.11},
    "B": {"train_accuracy": 0.34, "val_accuracy": 0.10, "chance": 0.11},
    "C": {"train_accuracy": 0.97, "val_accuracy": 0.52, "chance": 0.12},
}


def _number(answer):
    """answer as a finite float, or None (a string, a list, NaN, 10**400, a dict...)."""
    if isinstance(answer, bool):
        return None
    try:
        value = float(answer)
    except (TypeError, ValueError, OverflowError):
        return None
    return value if math.isfinite(value) else None


def _whole_numbers(answer, n):
    """answer as a tuple of n ints, or None (a string, a dict, NaN, 2.5, a wrong length...)."""
    if isinstance(answer, (str, bytes, dict)):
        return None
    try:
        values = [float(v) for v in answer]
    except Exception:  # noqa: BLE001 - any answer of the wrong shape is simply not a pair
        return None
    if len(values) != n or not all(math.isfinite(v) and v == int(v) for v in values):
        return None
    return tuple(int(v) for v in values)


def _near(value, expected, rtol):
    return value is not None and abs(value - expected) <= rtol * abs(expected)


def check_1(answer):
    """The loss before training of a 26-class softmax classifier: ln 26."""
    if is_missing(answer, "a number: the loss to expect before training"):
        return NO_ANSWER
    value, expected = _number(answer), math.log(N_CLASSES)
    if _near(value, expected, 1e-3):
        return report(True, success=f"ln 26 = {expected:.3f}: every class gets probability "
                      f"1/26 at first. The measured {MEASURED_INITIAL} is "
                      f"{MEASURED_INITIAL / expected:.1f} times that: the network starts "
                      "confidently wrong (inputs not standardized, weights too large, or a "
                      "last layer that should start near zero).", hint="")
    if value is None:
        hint = "answer with one number, such as 1.23."
    elif _near(value, math.log10(N_CLASSES), 1e-3):
        hint = "cross-entropy uses the natural logarithm (np.log), not log10."
    elif _near(value, math.log2(N_CLASSES), 1e-3):
        hint = "cross-entropy uses the natural logarithm (np.log), not log2."
    elif _near(value, 1 / N_CLASSES, 1e-3):
        hint = "1/26 is the probability of the right class; the loss is -ln(1/26)."
    elif _near(value, -math.log(N_CLASSES), 1e-3):
        hint = "mind the sign: the loss is -ln(1/C) = +ln C, a positive number."
    elif _near(value, MEASURED_INITIAL, 1e-3):
        hint = "that is what the network measured; what should a network that knows " \
               "nothing yet measure?"
    else:
        hint = "a network that knows nothing gives every class probability 1/C; the loss " \
               "is then -ln(1/C)."
    return report(False, success="", hint=hint)


def check_2(answer):
    """The learning rate that brings the median update ratio to 1e-3: for plain SGD the
    update is lr * g, so the ratio moves with the rate."""
    if is_missing(answer, "a number: the learning rate to try next"):
        return NO_ANSWER
    value = _number(answer)
    median = float(np.median(RATIOS))
    expected = LR * 10 ** (-3 - median)
    if _near(value, expected, 0.3):
        return report(True, success=f"the median ratio is 10^{median:.2f}, about "
                      f"{10 ** (median + 3):.0f} times 1e-3: lr {LR} / "
                      f"{10 ** (median + 3):.0f} = {expected:.2g}. The ratio says the rate is "
                      "far too high; the loss will say whether 1e-3 is this network's best "
                      "(it is a rule of thumb).", hint="")
    if value is None:
        hint = "answer with one number, a learning rate such as 0.01."
    elif _near(value, LR * 10 ** (median + 3), 0.3):
        hint = "the ratios are above 1e-3, so the rate must go down, not up."
    elif _near(value, 10 ** (-3 - median), 0.3):
        hint = "that is the factor; multiply it by the current learning rate ex.LR."
    elif value <= 0:
        hint = "a learning rate is a positive number: turn a log10 back with 10 ** x."
    else:
        hint = "median ratio r = np.median(ex.RATIOS) (a log10); the rate must shrink by " \
               "10 ** (r + 3) to bring it to -3."
    return report(False, success="", hint=hint)


def check_3(answer):
    """(layer, update) where a layer's dead fraction first passed 0.5: layer 3 at update 60."""
    if is_missing(answer, "a pair (layer, update)"):
        return NO_ANSWER
    pair = _whole_numbers(answer, 2)
    if pair is None:
        return report(False, success="", hint="answer with a pair of whole numbers "
                      "(layer, update), such as (1, 20).")
    layer, step = pair
    rows, cols = np.nonzero(DEAD > 0.5)
    first = int(np.argmin(rows))
    true_layer, true_step = int(cols[first]) + 1, int(STEPS[rows[first]])
    if (layer, step) == (true_layer, true_step):
        return report(True, success=f"layer {true_layer} at update {true_step}: its dead "
                      f"fraction jumps from {DEAD[rows[first] - 1, cols[first]]:.0%} to "
                      f"{DEAD[rows[first], cols[first]]:.0%} between two records, so the "
                      f"damage was done between updates {STEPS[rows[first] - 1]} and "
                      f"{true_step}: look for a large step there.", hint="")
    if (layer, step) == (true_layer - 1, true_step):
        hint = "layers count from 1 (Linear 1, ReLU 1, ...): column index 2 is layer 3."
    elif layer == true_layer and step == rows[first]:
        hint = "give the update number from ex.STEPS, not the row's index."
    elif (layer, step) == (2, 80):
        hint = "layer 2 passes 0.5 at update 80, but another layer passed it earlier."
    elif layer == true_layer:
        hint = "right layer; which is the first record where its dead fraction is above 0.5?"
    else:
        hint = "scan ex.DEAD row by row (rows are updates ex.STEPS, columns layers 1, 2, 3) " \
               "for the first value above 0.5."
    return report(False, success="", hint=hint)


def check_4(answer):
    """The pipeline whose validation data repeats training data: C."""
    if is_missing(answer, 'a letter: "A", "B" or "C"'):
        return NO_ANSWER
    letter = answer.strip().upper() if isinstance(answer, str) else None
    if letter == "C":
        r = SHUFFLE_RESULTS["C"]
        return report(True, success=f"C: on random labels its validation accuracy is "
                      f"{r['val_accuracy']:.2f}, far above chance ({r['chance']:.2f}). Nothing "
                      "links a new input to a random label, so those validation examples "
                      "must also be training examples the network memorized.", hint="")
    if letter == "A":
        hint = "A memorized its training labels (0.98) but validates at chance: that is " \
               "what a clean split looks like."
    elif letter == "B":
        hint = "B only failed to memorize (a small model or few epochs): its validation " \
               "accuracy is at chance, so nothing leaks."
    else:
        hint = 'answer with one letter: "A", "B" or "C".'
    return report(False, success="", hint=hint)
