"""Checks for the exercises of notebook 10 (regularization)."""

import numpy as np

from . import ARRAY, NUMBER, check, pair, report

W = np.array([0.5, -2.0, 0.0], dtype=np.float64)
L1, L2 = 0.01, 0.1
X_DROP = np.array([[1.0, 2.0, 3.0, 4.0]], dtype=np.float64)
MASK = np.array([[1, 0, 1, 1]], dtype=np.float64)
P_DROP = 0.25
VAL_LOSSES = [0.90, 0.70, 0.62, 0.60, 0.61, 0.59, 0.63, 0.64, 0.66, 0.70]
PATIENCE = 3
X_BN = np.array([[2.0, -1.0], [4.0, 3.0]], dtype=np.float64)
RUNNING_MEAN = np.array([1.0, 1.0], dtype=np.float64)
RUNNING_VAR = np.array([4.0, 1.0], dtype=np.float64)
GAMMA = np.array([2.0, 1.0], dtype=np.float64)
BETA = np.array([0.5, 0.0], dtype=np.float64)
EPS = 1e-5


def _fmt(a):
    """An array as a short readable list (3 significant digits)."""
    return str(np.round(np.asarray(a, dtype=float), 3).tolist())


def _array(answer, shape):
    return answer if answer.shape == shape else None


@check(ARRAY, missing="an array of 3 gradients")
def check_1(answer):
    """Gradient of l1 sum|w| + l2/2 sum w^2: l1 sign(w) + l2 w."""
    a = _array(answer, W.shape)
    expected = L1 * np.sign(W) + L2 * W
    ok = a is not None and np.allclose(a, expected, atol=1e-6)
    if a is None:
        hint = "give one number per weight: an array of shape (3,)."
    elif np.allclose(a, L1 * np.sign(W) + 2 * L2 * W, atol=1e-6):
        hint = "the penalty is l2/2 sum w^2, so its gradient is l2 w, not 2 l2 w."
    elif np.allclose(a, L1 * W + L2 * W, atol=1e-6):
        hint = "the gradient of |w| is sign(w) (a constant push of size l1), not w."
    elif np.allclose(a, L2 * W, atol=1e-6):
        hint = "you left out the L1 part: add l1 sign(w)."
    else:
        hint = "d/dw (l1 |w| + l2/2 w^2) = l1 sign(w) + l2 w, with sign(0) = 0."
    return report(ok, success=f"{_fmt(expected)}: L1 pushes every weight "
                  "towards 0 by the same amount, L2 in proportion to its size.", hint=hint)


@check(ARRAY, missing="the dropout output, shape (1, 4)")
def check_2(answer):
    """Inverted dropout in training: x * mask / (1 - p)."""
    a = _array(answer, X_DROP.shape)
    expected = X_DROP * MASK / (1 - P_DROP)
    ok = a is not None and np.allclose(a, expected, atol=1e-5)
    if a is None:
        hint = "the output has the input's shape, (1, 4)."
    elif np.allclose(a, X_DROP * MASK, atol=1e-5):
        hint = "inverted dropout also divides the kept units by 1 - p, so the mean stays the same."
    elif np.allclose(a, X_DROP * MASK / P_DROP, atol=1e-5):
        hint = "divide by the keep probability 1 - p = 0.75, not by p."
    elif np.allclose(a, X_DROP * MASK * (1 - P_DROP), atol=1e-5):
        hint = "multiplying by 1 - p is the old test-time scaling; inverted dropout divides " \
               "by 1 - p during training."
    else:
        hint = "out = x * mask / (1 - p): zero the dropped unit, scale the kept ones up."
    return report(ok, success=f"{_fmt(expected)}: E[out] = x, so nothing "
                  "changes at evaluation time.", hint=hint)


@check(pair(NUMBER, "a pair (best_epoch, stopped_epoch)"),
       missing="a pair (best_epoch, stopped_epoch)")
def check_3(answer):
    """EarlyStopping(patience=3) on VAL_LOSSES: best epoch 6, stops at epoch 9."""
    best, stopped = answer
    if not (best.is_integer() and stopped.is_integer()):
        return report(False, success="", hint="answer with two whole epoch numbers: "
                      "(best_epoch, stopped_epoch), counting epochs from 1.")
    ok = (best, stopped) == (6, 9)
    if (best, stopped) == (5, 8):
        hint = "epochs count from 1, not 0 (as History.epoch does)."
    elif best == 4:
        hint = "epoch 5 is worse than 4, but epoch 6 (0.59) beats 0.60: waiting resets there."
    elif best == 6 and stopped == 10:
        hint = "patience 3 means it stops after the 3rd epoch in a row without improvement."
    elif best == 6:
        hint = "after the best epoch 6, count 3 epochs without improvement: 7, 8, 9."
    else:
        hint = "the best epoch is where val_loss is lowest so far; stop after `patience` " \
               "epochs in a row with no new best."
    return report(ok, success="(6, 9): it stops at epoch 9 and restores the weights of "
                  "epoch 6 (val_loss 0.59).", hint=hint)


@check(ARRAY, missing="the batch-norm output, shape (2, 2)")
def check_4(answer):
    """BatchNorm1d in evaluation: gamma (x - running_mean)/sqrt(running_var + eps) + beta."""
    a = _array(answer, X_BN.shape)
    expected = GAMMA * (X_BN - RUNNING_MEAN) / np.sqrt(RUNNING_VAR + EPS) + BETA
    ok = a is not None and np.allclose(a, expected, atol=1e-4)
    batch = GAMMA * (X_BN - X_BN.mean(0)) / np.sqrt(X_BN.var(0) + EPS) + BETA
    if a is None:
        hint = "the output has the input's shape, (2, 2)."
    elif np.allclose(a, batch, atol=1e-4):
        hint = "that is training mode (the batch's own mean and variance); in evaluation " \
               "use running_mean and running_var."
    elif np.allclose(a, GAMMA * (X_BN - RUNNING_MEAN) / (RUNNING_VAR + EPS) + BETA, atol=1e-4):
        hint = "divide by the standard deviation sqrt(running_var + eps), not the variance."
    elif np.allclose(a, (X_BN - RUNNING_MEAN) / np.sqrt(RUNNING_VAR + EPS), atol=1e-4):
        hint = "after normalising, apply the learned scale and shift: gamma * x_hat + beta."
    else:
        hint = "x_hat = (x - running_mean) / sqrt(running_var + eps); out = gamma x_hat + beta."
    return report(ok, success=f"{_fmt(expected)}: each sample is normalised "
                  "on its own, so the output does not depend on the batch.", hint=hint)
