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
    if not _is_real(value) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
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
