"""Gradient checking: compare backward() with centred finite differences (notebook 00).

Use float64: in float32 the differences drown in rounding error.
"""

import copy

import numpy as np

from .validation import check_rng


def rel_error(a, b):
    """||a - b|| / (||a|| + ||b||): the relative error of two whole gradients.

    Taken over the whole array (not entry by entry), so an entry that is nearly 0 in both
    does not turn rounding noise into a large "relative" error. Below 1e-7 is a pass.
    """
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-12))


def numerical_gradient(f, x, *, h=1e-5):
    """df/dx for a scalar f() that reads x, by centred differences (f(x+h) - f(x-h)) / 2h.

    x is changed in place one entry at a time and restored.
    """
    grad = np.zeros_like(x, dtype=np.float64)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = x[i]
        x[i] = old + h
        plus = f()
        x[i] = old - h
        minus = f()
        x[i] = old
        grad[i] = (plus - minus) / (2 * h)
    return grad


def check_layer(layer, x, *, training=True, seed=0, h=1e-5):
    """Relative errors of `layer.backward` against finite differences, for x and each param.

    Checks f = sum(layer(x) * dout) for a random dout. Each evaluation runs on a fresh copy of
    the layer, so a layer with randomness (Dropout) or running state (BatchNorm) sees the same
    mask and statistics every time. Returns {"x": err, "<param name> <i>": err, ...}.
    """
    x = np.array(x, dtype=np.float64)
    out = copy.deepcopy(layer).forward(x.copy(), training=training)
    dout = check_rng(seed).standard_normal(out.shape)

    def f():
        return float(np.sum(copy.deepcopy(layer).forward(x, training=training) * dout))

    run = copy.deepcopy(layer)
    run.forward(x.copy(), training=training)
    for p in run.parameters():
        p.zero_grad()
    dx = run.backward(dout)
    errors = {}
    if dx is not None:
        errors["x"] = rel_error(dx, numerical_gradient(f, x, h=h))
    for i, (p, p_run) in enumerate(zip(layer.parameters(), run.parameters())):
        errors[f"{p.name or 'param'} {i}"] = rel_error(p_run.grad,
                                                       numerical_gradient(f, p.data, h=h))
    return errors


def check_loss(loss, pred, target, *, h=1e-5):
    """Relative error of `loss.backward()` against finite differences of `loss.forward`."""
    pred = np.array(pred, dtype=np.float64)
    loss.forward(pred.copy(), target)
    analytic = loss.backward()
    numeric = numerical_gradient(lambda: loss.forward(pred, target), pred, h=h)
    return rel_error(analytic, numeric)
