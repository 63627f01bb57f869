"""Checks for hyperparameter values: a bad value raises ValueError naming the parameter.

Every public constructor in `helpers` calls these, so a typo or an impossible value
fails at once with a message that says what is allowed.
"""

import math
from numbers import Integral, Real

import numpy as np


def _is_real(value):
    return isinstance(value, Real) and not isinstance(value, bool)


def check_number(name, value, *, low=None, high=None, low_open=False, high_open=False):
    """Return `value` as a float if it is a finite number in the given range, else raise."""
    try:
        finite = _is_real(value) and math.isfinite(value)
    except OverflowError:  # an int beyond any float, e.g. 10**400
        raise ValueError(f"{name} must be a finite number, got an integer too large for a "
                         "float") from None
    if not finite:
        raise ValueError(f"{name} must be a finite number, got {value!r:.60}")
    lo = "(" if low_open else "["
    hi = ")" if high_open else "]"
    allowed = f"{lo}{'-inf' if low is None else low}, {'inf' if high is None else high}{hi}"
    if low is not None and (value < low or (low_open and value == low)):
        raise ValueError(f"{name} must be in {allowed}, got {value!r}")
    if high is not None and (value > high or (high_open and value == high)):
        raise ValueError(f"{name} must be in {allowed}, got {value!r}")
    return float(value)


def check_positive(name, value):
    """Return `value` if it is a finite number > 0."""
    return check_number(name, value, low=0, low_open=True)


def check_nonnegative(name, value):
    """Return `value` if it is a finite number >= 0."""
    return check_number(name, value, low=0)


def check_probability(name, value, *, allow_one=False):
    """Return `value` if it lies in [0, 1) (or [0, 1] with allow_one)."""
    return check_number(name, value, low=0, high=1, high_open=not allow_one)


def check_int(name, value, *, low=None, high=None):
    """Return `value` as an int if it is an integer in [low, high]."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if (low is not None and value < low) or (high is not None and value > high):
        allowed = f"[{'-inf' if low is None else low}, {'inf' if high is None else high}]"
        raise ValueError(f"{name} must be an integer in {allowed}, got {value!r}")
    return int(value)


def check_choice(name, value, choices):
    """Return `value` if it is one of `choices` (matched as given)."""
    if value not in choices:
        allowed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {allowed}; got {value!r}")
    return value


def check_dtype(dtype):
    """Return a numpy float dtype: float32 (the default everywhere) or float64."""
    dt = np.dtype(dtype)
    if dt not in (np.float32, np.float64):
        raise ValueError(f"dtype must be float32 or float64, got {dt}")
    return dt


def check_rng(seed):
    """Return a Generator from an int seed (or pass a Generator through). No global state."""
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(check_int("seed", seed, low=0))


def _where(bad):
    """Where the first True of a boolean array is: 'row 7, column 1' (0-based, as X[7, 1])."""
    index = np.argwhere(bad)[0]
    return f"row {index[0]}" + (f", column {index[1]}" if len(index) > 1 else "")


def check_array(name, value, *, ndim=None):
    """`value` as a numeric numpy array (bool, int or float), else a ValueError naming it:
    text, objects, complex numbers or rows of different lengths are refused, and so are
    nan and inf. ndim: the dimensions allowed (an int or a tuple of ints)."""
    try:
        a = np.asarray(value)
    except (ValueError, TypeError):
        raise ValueError(f"{name} must be an array of numbers; its rows have different "
                         "lengths") from None
    if a.dtype.kind not in "biuf":
        what = {"U": "text", "S": "bytes", "c": "complex numbers", "O": "Python objects "
                "(rows of different lengths, None, or numbers too large for a float)"}
        raise ValueError(f"{name} must hold numbers, got {what.get(a.dtype.kind, a.dtype)} "
                         f"(dtype {a.dtype})")
    if ndim is not None and a.ndim not in np.atleast_1d(ndim):
        raise ValueError(f"{name} must have {' or '.join(map(str, np.atleast_1d(ndim)))} "
                         f"dimensions, got shape {a.shape}")
    if a.dtype.kind == "f":
        bad = ~np.isfinite(a)
        if bad.any():
            n = int(bad.sum())
            at = f" (the first at {_where(bad)})" if a.ndim else ""
            raise ValueError(f"{name} has {n} nan or inf value{'s' if n > 1 else ''}{at}: fix or "
                             "drop them before training")
    return a


def check_data(X, y=None, *, loss=None, n_features=None, n_outputs=None, names=("X", "y")):
    """(X, y) as arrays, checked where data enters fit, evaluate and predict.

    X: numbers, finite, one row per example: 2-D or more, or 1-D integer token ids.
    y: numbers, finite, as many rows as X, labels the loss accepts (loss.check_target).
    n_features / n_outputs: the model's input and output widths when known (else None).
    Raises ValueError in the user's terms ("y has label 2: BCEWithLogitsLoss needs ...")."""
    x_name, y_name = names
    X = check_array(x_name, X)
    if X.ndim == 0:
        raise ValueError(f"{x_name} must be an array with one row per example, got a single "
                         f"number")
    if X.ndim == 1 and X.dtype.kind in "bf":
        raise ValueError(f"{x_name} has shape {X.shape}: one row per example, so shape "
                         f"(n_samples, n_features); with one feature use "
                         f"{x_name}.reshape(-1, 1)")
    if n_features is not None and X.dtype.kind in "bf" and X.shape[-1] != n_features:
        raise ValueError(f"{x_name} has {X.shape[-1]} features (columns, shape {X.shape}) "
                         f"but the model's first layer takes {n_features}")
    if y is None:
        if loss is not None:  # fit and evaluate need targets; predict passes no loss
            raise ValueError(f"{y_name} must be an array of targets, got None")
        return X, None
    y = check_array(y_name, y)
    if y.ndim == 0:
        raise ValueError(f"{y_name} must be an array with one target per example, got a "
                         "single number")
    if len(X) != len(y):
        raise ValueError(f"{x_name} has {len(X)} rows but {y_name} has {len(y)}")
    if loss is not None:
        if not callable(getattr(loss, "check_target", None)):
            raise ValueError(f"loss must be a loss such as hp.MSELoss(), got {loss!r:.60}")
        loss.check_target(y, n_outputs=n_outputs, name=y_name)
    return X, y
