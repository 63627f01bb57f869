"""Self-checking exercises: one module per notebook, named for its topic.

Each check prints one line: "✓ ..." when the answer is right, or "✗ Not yet: <hint>" with a
hint specific to the mistake, and returns True or False. An answer left as None gets a
reminder instead of a hint.
"""

import math

import numpy as np


class Verdict:
    """The result of a check: truthy when right; shows nothing as a cell's value (the message
    was already printed), so `ex.check_1(answer)` as a cell's last line prints one line only."""

    def __init__(self, ok, text):
        self.ok, self.text = bool(ok), text

    def __bool__(self):
        return self.ok

    def __eq__(self, other):
        return bool(self) == bool(other)

    __hash__ = None

    def __repr__(self):
        return self.text

    def _ipython_display_(self):
        pass


def report(ok, *, success, hint):
    """Print the verdict ("✓ success" or "✗ Not yet: hint") and return it as a Verdict."""
    text = f"✓ {success}" if ok else f"✗ Not yet: {hint}"
    print(text)
    return Verdict(ok, text)


#: what a check returns for an answer left as None (falsy, displays nothing)
NO_ANSWER = Verdict(False, "no answer yet")


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
