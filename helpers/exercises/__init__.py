"""Self-checking exercises: one module per notebook, named for its topic.

Each check prints one line: "✓ ..." when the answer is right, or "✗ Not yet: <hint>" with a
hint specific to the mistake, and returns True or False. An answer left as None gets a
reminder instead of a hint. A check never raises, whatever the learner passes.

Write a check with the `check` decorator; it does the type work, so the body only judges
values:

    @check(NUMBER, missing="a number of parameters")
    def check_1(answer):             # answer arrives as a finite float
        ...
        return report(ok, success="...", hint="...")

- an answer left as None (or ...) prints the reminder "replace None with <missing>";
- an answer of the wrong type (the text "0.5", a list, True, nan, 10**400, an array of the
  wrong kind) prints "✗ Not yet: answer_1 must be a number, not the text '0.5' (...)";
- anything else arrives converted by the kind: NUMBER -> float, ARRAY -> float64 array,
  pair(kind) -> a tuple of two converted items; FUNCTION, DICT, TEXT, NAMES pass it through;
- if the body still raises, the learner sees a hint naming the error instead of a traceback
  (and the verdict's `.error` holds it: the fuzz tests fail on it, so the path gets its own
  hint). A check that takes more than the answer (`check_2(answer, x, dout)`) passes
  `example_args=lambda: (x, dout)`: typical arguments, which the fuzz tests use.
"""

import functools
import math
from numbers import Complex, Real

import numpy as np


class Verdict:
    """The result of a check: truthy when right; shows nothing as a cell's value (the message
    was already printed), so `ex.check_1(answer)` as a cell's last line prints one line only.
    error: the exception a check's body raised, caught by `check` (None normally)."""

    def __init__(self, ok, text, error=None):
        self.ok, self.text, self.error = _truth(ok), text, error

    def __bool__(self):
        return self.ok

    def __eq__(self, other):
        return bool(self) == bool(other)

    __hash__ = None

    def __repr__(self):
        return self.text

    def _ipython_display_(self):
        pass


def _truth(ok):
    """ok as a plain bool; anything that has no single truth value (an array) is False."""
    try:
        return bool(ok) if np.ndim(ok) == 0 else False
    except Exception:  # noqa: BLE001 - an answer's own __bool__ may raise anything
        return False


def report(ok, *, success, hint):
    """Print the verdict ("✓ success" or "✗ Not yet: hint") and return it as a Verdict."""
    ok = _truth(ok)
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


# ----------------------------------------------------------------------------------------------
# Kinds of answers: what type a check takes, and how an answer becomes the value it compares
# ----------------------------------------------------------------------------------------------

class WrongType(Exception):
    """Raised by a kind's convert(): str(exc) completes "answer_N must be <noun>, not ..."."""


class Kind:
    """What type of answer a check takes.

    noun: how hints name it ("a number"); convert(answer): the answer as the check compares it
    (a float, an array...), or WrongType saying what the answer is instead."""

    def __init__(self, noun, convert):
        self.noun, self.convert = noun, convert

    def named(self, noun):
        """The same kind under a more specific name: FUNCTION.named("a function f(t)")."""
        return Kind(noun, self.convert)

    def accepts(self, answer):
        """True when convert() takes the answer (what the fuzz tests call the right type)."""
        try:
            self.convert(answer)
        except WrongType:
            return False
        return True

    def __repr__(self):
        return f"Kind({self.noun!r})"


def describe(answer):
    """A short name for what the learner passed: "the text '0.5'", "a list of 2 items", ..."""
    if isinstance(answer, str):
        return f"the text {answer[:40]!r}{'…' if len(answer) > 40 else ''}"
    if isinstance(answer, (bool, np.bool_)):
        return f"{bool(answer)} (a bool)"
    if isinstance(answer, np.ndarray):
        return f"an array of shape {answer.shape}" + (f" and dtype {answer.dtype}"
                                                      if answer.dtype.kind not in "fiu" else "")
    if isinstance(answer, (list, tuple, set, frozenset, dict)):
        n = len(answer)
        return f"a {type(answer).__name__} of {n} item{'s' if n != 1 else ''}"
    if callable(answer):
        return "a function"
    name = type(answer).__name__
    return f"{'an' if name[0].lower() in 'aeiou' else 'a'} {name}"


def _number(answer):
    """A finite float from a real number (int, float, numpy scalar, 0-d array), else WrongType."""
    if isinstance(answer, np.ndarray) and answer.ndim == 0:
        answer = answer[()]
    if isinstance(answer, (bool, np.bool_)):
        raise WrongType(f"{bool(answer)} (a bool)")
    if isinstance(answer, str):
        try:
            float(answer)
        except ValueError:
            raise WrongType(describe(answer)) from None
        raise WrongType(f"{describe(answer)}: remove the quotes") from None
    if isinstance(answer, Complex) and not isinstance(answer, Real):
        raise WrongType(f"the complex number {answer}")
    if not isinstance(answer, Real):
        one = answer.size == 1 if isinstance(answer, np.ndarray) else \
            isinstance(answer, (list, tuple)) and len(answer) == 1
        if one:
            raise WrongType(f"{describe(answer)}: take the number out (answer[0], or "
                            ".item() for an array)")
        raise WrongType(describe(answer))
    try:
        value = float(answer)
    except OverflowError:
        raise WrongType("a number too large for a float (beyond 1.8e308)") from None
    except (TypeError, ValueError):
        raise WrongType(describe(answer)) from None
    if math.isnan(value):
        raise WrongType("nan: a 0/0 or inf - inf happened somewhere in the computation")
    if math.isinf(value):
        raise WrongType(f"{value}: an overflow or a division by zero happened somewhere")
    return value


def as_array(answer, *, finite=True):
    """A float64 array of numbers (finite ones, unless finite=False) from an array or a (nested)
    list, else WrongType: what ARRAY does, also for checking what a learner's function returns."""
    if isinstance(answer, (str, bytes, dict, set, frozenset)) or answer is None \
            or callable(answer):
        raise WrongType(describe(answer))
    try:
        a = np.asarray(answer)
    except (ValueError, TypeError):
        raise WrongType(f"{describe(answer)} whose rows have different lengths") from None
    if a.dtype.kind == "b":
        raise WrongType(f"{describe(answer)} of booleans (True/False)")
    if a.dtype.kind == "c":
        raise WrongType(f"{describe(answer)} of complex numbers")
    if a.dtype.kind not in "fiu":
        if a.dtype.kind == "O" and all(isinstance(v, Real) and not isinstance(v, bool)
                                       for v in a.reshape(-1)):
            raise WrongType(f"{describe(answer)} holding numbers too large for a float")
        raise WrongType(f"{describe(answer)} that does not hold only numbers (rows of "
                        "different lengths, text or other objects)")
    a = a.astype(np.float64)
    if finite and not np.all(np.isfinite(a)):
        raise WrongType(f"{describe(answer)} holding nan or inf: something overflowed or "
                        "divided by zero")
    return a


def _function(answer):
    if not callable(answer):
        raise WrongType(describe(answer))
    return answer


def _dict(answer):
    if not isinstance(answer, dict):
        raise WrongType(describe(answer))
    return answer


def _text(answer):
    if not isinstance(answer, str):
        raise WrongType(describe(answer))
    return answer


def _names(answer):
    if not isinstance(answer, (list, tuple, set, frozenset)):
        raise WrongType(describe(answer))
    wrong = [a for a in answer if not isinstance(a, str)]
    if wrong:
        raise WrongType(f"{describe(answer)} holding {describe(wrong[0])}")
    return answer


#: a finite real number; the check receives it as a float
NUMBER = Kind("a number", _number)
#: an array of finite numbers (or a nested list); the check receives a float64 array
ARRAY = Kind("an array of numbers", as_array)
#: something callable: the learner's function
FUNCTION = Kind("a function", _function)
#: a dict
DICT = Kind("a dict", _dict)
#: a str
TEXT = Kind("a str", _text)
#: a list (or tuple or set) of str
NAMES = Kind("a list of names", _names)


def pair(kind, noun=None):
    """Two answers of `kind` in a tuple or list (or an array of length 2), e.g. pair(ARRAY)."""

    def convert(answer):
        if isinstance(answer, np.ndarray):
            two = answer.ndim >= 1 and len(answer) == 2
        else:
            two = isinstance(answer, (list, tuple)) and len(answer) == 2
        if not two:
            raise WrongType(describe(answer))
        items = []
        for which, item in zip(("first", "second"), answer):
            try:
                items.append(kind.convert(item))
            except WrongType as exc:
                raise WrongType(f"a pair whose {which} item is {exc}") from None
        return tuple(items)

    return Kind(noun or f"a pair (two items, each {kind.noun})", convert)


def _answer_name(fn):
    """"answer_2" for check_2: the notebooks' name for the learner's answer."""
    number = fn.__name__.rpartition("_")[2]
    return f"answer_{number}" if number.isdigit() else "your answer"


def check(expects, *, missing, example_args=None):
    """Decorate an exercise check: reminder for None, hint for a wrong type, never a traceback.

    expects: the Kind of answer (NUMBER, ARRAY, FUNCTION, DICT, TEXT, NAMES, pair(...));
    missing: what to put in place of None ("a number of parameters");
    example_args: for a check taking more than the answer, a function returning typical
    values of those arguments (the fuzz tests call the check with them)."""

    def decorate(body):
        name = _answer_name(body)

        @functools.wraps(body)
        def checked(answer, *args, **kwargs):
            if is_missing(answer, missing):
                return NO_ANSWER
            try:
                answer = expects.convert(answer)
            except WrongType as exc:
                return report(False, success="", hint=f"{name} must be {expects.noun}, not {exc}.")
            try:
                return body(answer, *args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - a learner sees a sentence, never a traceback
                verdict = report(False, success="", hint=f"this check could not use {name} "
                                 f"({type(exc).__name__}: {exc}); it must be {expects.noun}.")
                verdict.error = exc
                return verdict

        checked.expects, checked.example_args = expects, example_args
        return checked

    return decorate


def close(value, expected, *, rtol=1e-2, atol=0.0):
    """True when value is a finite real number within rtol (relative) or atol of expected.

    Anything else (the text "0.5", True, a list, nan, 10**400) is never close."""
    try:
        value = _number(value)
    except WrongType:
        return False
    return bool(np.isclose(value, expected, rtol=rtol, atol=atol))
