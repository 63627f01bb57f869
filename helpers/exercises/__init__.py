"""Self-checking exercises: one module per notebook, named for its topic.

Each check prints one line: "✓ ..." when the answer is right, or "✗ Not yet: <hint>" with a
hint specific to the mistake, and returns True or False. An answer left as None gets a
reminder instead of a hint.
"""

import math

import numpy as np


def report(ok, *, success, hint):
    """Print the verdict and return it."""
    print(f"✓ {success}" if ok else f"✗ Not yet: {hint}")
    return bool(ok)


def is_missing(answer, what="your answer"):
    """True (after printing a reminder) when the learner has not answered yet."""
    if answer is None or answer is Ellipsis:
        print(f"… No answer yet: replace None with {what}, then run this cell again.")
        return True
    return False


def close(value, expected, *, rtol=1e-2, atol=0.0):
    """True when value is a finite number within rtol (relative) or atol of expected."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        return False
    return math.isfinite(value) and bool(np.isclose(value, expected, rtol=rtol, atol=atol))
