"""Fuzzing every exercise check with generated answers of every type (Hypothesis).

The checks are found by walking helpers.exercises, so a new check is covered without being
listed here. The property (issue 14): whatever the learner passes, a check prints a line and
returns a verdict, never raises; a check written with `@check(kind, ...)` never accepts an
answer its kind refuses, and never needs its last-resort net (each path has its own hint).
A check whose type is not declared must at least refuse what is never an answer (nan, inf,
10**400, complex numbers, bytes, bare objects). HYPOTHESIS_PROFILE=long runs it deeper.
"""

import contextlib
import importlib
import inspect
import io
import math
import pkgutil
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import helpers.exercises as exercises


def _all_checks():
    found = []
    for info in pkgutil.iter_modules(exercises.__path__):
        module = importlib.import_module(f"{exercises.__name__}.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("check_") and fn.__module__ == module.__name__:
                found.append(pytest.param(fn, id=f"{info.name}.{name}"))
    return found


CHECKS = _all_checks()


def _extra_args(fn):
    """The arguments after the answer: the check's example_args, else none may be required."""
    if getattr(fn, "example_args", None) is not None:
        return fn.example_args()
    params = list(inspect.signature(fn).parameters.values())[1:]
    required = [p.name for p in params if p.default is p.empty
                and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    assert not required, (f"{fn.__module__}.{fn.__name__} takes {required} besides the answer: "
                          "give it @check(..., example_args=lambda: (...)) so it can be fuzzed")
    return ()


class _Opaque:
    """An object that refuses to be a number, a bool or a string of any use."""

    def __bool__(self):
        raise RuntimeError("no truth value")

    def __float__(self):
        raise RuntimeError("no float")

    def __repr__(self):
        return "<opaque>"


#: answers that no exercise ever expects
NEVER = st.one_of(
    st.just(math.nan), st.just(math.inf), st.just(-math.inf),
    st.integers(min_value=10**309, max_value=10**400), st.integers(max_value=-10**309),
    st.complex_numbers(allow_nan=True, allow_infinity=True).filter(lambda z: z.imag != 0),
    st.binary(max_size=8), st.builds(object), st.builds(_Opaque),
    st.sampled_from([np.float64("nan"), np.float32("inf"), np.array(np.nan)]),
)

_NUMBERS = st.one_of(
    st.integers(min_value=-10**6, max_value=10**10), st.floats(allow_nan=True),
    st.booleans(), st.fractions(max_denominator=100),
    st.floats(width=32, allow_nan=False, allow_infinity=False).map(np.float32),
    st.integers(-2**63, 2**63 - 1).map(np.int64),
    st.floats(allow_nan=False, allow_infinity=False).map(np.array),
    st.sampled_from([0, 1, 2, 0.5, 0.15, 0.4, 1e-4, 93_750, 128, 371, 1e300, -1e300]),
)
_TEXT = st.one_of(st.text(max_size=12), st.floats().map(str), st.integers().map(str),
                  st.sampled_from(["", "0.5", "x1", "{}", "[1, 2]", "None", '{"dataset": 1}']))
_ARRAYS = st.builds(  # filled arrays: cheaper to draw than element by element, as varied here
    lambda shape, dtype, fill, ramp: (np.full(shape, fill) + ramp * np.arange(
        int(np.prod(shape))).reshape(shape)).astype(dtype),
    hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5),
    st.sampled_from([np.float64, np.float32, np.int64, np.bool_, np.complex128]),
    st.sampled_from([0.0, 1.0, -2.5, 0.15, np.nan, np.inf]), st.sampled_from([0.0, 1.0, 0.5]))
_SCALARS = st.one_of(_NUMBERS, _TEXT, NEVER, st.none(), st.just(...), _ARRAYS)


def _function_returning(value):
    def answer(*args, **kwargs):
        return value
    return answer


def _function_raising(exc):
    def answer(*args, **kwargs):
        raise exc
    return answer


ANSWERS = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(st.one_of(st.text(max_size=6), st.integers()), inner, max_size=3),
        st.frozensets(st.one_of(st.integers(), st.text(max_size=4)), max_size=3),
        inner.map(_function_returning),
        st.sampled_from([ValueError("x"), TypeError("y"), ZeroDivisionError(), KeyError("z"),
                         RecursionError()]).map(_function_raising),
        st.sampled_from([lambda *a: a[0] if a else None, lambda *a: a, print, len, dict, abs,
                         np.zeros, np.ones_like, str]),
    ),
    max_leaves=4,
)


def _run(fn, answer):
    out = io.StringIO()
    with contextlib.redirect_stdout(out), np.errstate(all="ignore"):
        verdict = fn(answer, *_extra_args(fn))
    return verdict, out.getvalue()


def _verdict_ok(fn, answer, verdict, printed):
    where = f"{fn.__module__}.{fn.__name__}({answer!r:.80})"
    assert isinstance(verdict, (bool, np.bool_, exercises.Verdict)), \
        f"{where} returned {type(verdict).__name__}, not a verdict"
    assert printed.strip(), f"{where} printed nothing"
    assert getattr(verdict, "error", None) is None, \
        f"{where}: the body raised {verdict.error!r}; give that path its own hint"


def _never(answer):
    """True for what NEVER draws: never an exercise's answer, whatever the exercise."""
    if isinstance(answer, (bytes, _Opaque)) or type(answer) is object:
        return True
    if isinstance(answer, complex):
        return answer.imag != 0
    if isinstance(answer, int) and not isinstance(answer, bool):
        return abs(answer) > 10**308
    return isinstance(answer, (float, np.floating, np.ndarray)) and np.ndim(answer) == 0 \
        and not np.isfinite(answer)


@pytest.mark.parametrize("fn", CHECKS)
@given(answer=ANSWERS)
def test_a_check_answers_anything_with_a_printed_verdict(fn, answer):
    verdict, printed = _run(fn, answer)
    _verdict_ok(fn, answer, verdict, printed)
    kind = getattr(fn, "expects", None)
    if _never(answer) or (kind is not None and not kind.accepts(answer)):
        assert not verdict, f"{fn.__name__} accepted {answer!r:.80}"
        assert printed.startswith(("✗ Not yet: ", "… No answer yet"))


def test_the_walk_finds_every_check_module():
    modules = {p.id.split(".")[0] for p in CHECKS}
    assert {"network", "initialization", "depth", "width", "activations", "losses",
            "optimizers", "learning_rate", "batch_size", "epochs", "regularization", "tuning",
            "gpt3", "scaling", "playground"} <= modules
    assert len(CHECKS) >= 45


def test_numbers_of_every_real_type_are_one_kind():
    for value in (Fraction(1, 2), np.float16(0.5), np.array(0.5), 0.5, np.int8(3)):
        assert exercises.NUMBER.accepts(value)
