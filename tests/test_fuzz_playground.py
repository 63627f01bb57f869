"""Property-based tests of the Playground's doors: whatever a learner uploads, pastes or passes,
parse_csv, config_from_json and validate_config return a right result or raise a ValueError,
never another exception, never a hang (helpers/playground/config.py and data.py).

The default profile is fixed and derandomized (tests/conftest.py); for a deep run:
    HYPOTHESIS_PROFILE=long .venv/bin/python -m pytest tests/test_fuzz_playground.py
"""

import json
import math
from fractions import Fraction

import numpy as np
import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from helpers import playground as pgm  # noqa: E402

_CHOICES = {key: list(choices) for key, choices in pgm.config._CHOICES.items()}
_RANGES = pgm.config._RANGES


def _check_points(X, y, problem):
    """What any accepted data set must be: the shapes, the box, the labels of its problem."""
    assert X.dtype == np.float32 and X.ndim == 2 and X.shape[1] == 2
    assert pgm.config.MIN_POINTS <= len(X) <= pgm.MAX_POINTS and y.shape == (len(X),)
    assert np.isfinite(X).all() and X.min() >= -5.0 and X.max() <= 5.0
    if problem == "classification":
        assert y.dtype == np.int64 and set(np.unique(y)) <= {0, 1}
    else:
        assert problem == "regression" and y.dtype == np.float32 and np.isfinite(y).all()
        assert y.min() == -1.0 and y.max() == 1.0


def _check_config(cfg):
    """What any accepted configuration must be: complete, in range, and a fixed point."""
    assert set(cfg) == set(pgm.DEFAULTS)
    for key, choices in _CHOICES.items():
        assert cfg[key] in choices
    for key, (low, high, integer) in _RANGES.items():
        assert low <= cfg[key] <= high and isinstance(cfg[key], int if integer else float)
    assert pgm.validate_config(cfg) == cfg


# --- parse_csv: any text, any bytes, and tables with faults mixed in

_cells = st.one_of(
    st.integers(-10**6, 10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(-1e20, 1e20).map(lambda v: f"{v:.3e}"),
    st.sampled_from(["", " ", "x", "label", "nan", "inf", "-Infinity", "1e400", "1,5", "2.O",
                     '"3"', '"', "1_000", "0x10", "١٢", "\t", "1 2"]),
    st.text(max_size=8),
)
_row = st.lists(_cells, min_size=0, max_size=5)


def _parse_or_refuse(data):
    """The property: parse_csv gives a valid data set, or a ValueError (nothing else)."""
    try:
        X, y, problem = pgm.parse_csv(data)
    except ValueError:
        return
    _check_points(X, y, problem)


@given(st.one_of(st.text(max_size=300), st.binary(max_size=300)))
def test_parse_csv_of_any_text_or_bytes_is_a_data_set_or_a_value_error(data):
    _parse_or_refuse(data)


@given(rows=st.lists(_row, min_size=0, max_size=25), sep=st.sampled_from([",", ";", "\t"]),
       end=st.sampled_from(["\n", "\r\n", "\r"]), header=st.booleans(),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"]))
def test_parse_csv_of_tables_with_faults_is_a_data_set_or_a_value_error(rows, sep, end, header,
                                                                         encoding):
    lines = (["x1,x2,label"] if header else []) + [sep.join(r) for r in rows]
    text = end.join(lines)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    _parse_or_refuse(data)


_numbers = st.one_of(st.integers(-1000, 1000), st.floats(-1e6, 1e6, allow_nan=False))


@given(st.lists(st.tuples(_numbers, _numbers, st.sampled_from([0, 1, 2, 0.5, -3])),
                min_size=10, max_size=30))
def test_parse_csv_reads_every_well_formed_table(rows):
    text = "a,b,c\n" + "\n".join(f"{a!r},{b!r},{c!r}" for a, b, c in rows)
    labels = {float(c) for *_, c in rows}
    if len(labels) == 1:
        with pytest.raises(ValueError, match="single value"):
            pgm.parse_csv(text)
        return
    X, y, problem = pgm.parse_csv(text)
    _check_points(X, y, problem)
    assert len(X) == len(rows)
    assert problem == ("classification" if len(labels) == 2 else "regression")
    if problem == "classification":  # the larger label is class 1
        assert list(y) == [int(float(c) == max(labels)) for *_, c in rows]


# --- config_from_json and validate_config: any text, and configurations with faults mixed in

_json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=False),
    st.text(max_size=12), st.sampled_from([v for c in _CHOICES.values() for v in c]))


def _nested(inner):
    return st.one_of(st.lists(inner, max_size=4),
                     st.dictionaries(st.text(max_size=6), inner, max_size=3))


_json_values = st.recursive(_json_scalars, _nested, max_leaves=8)


def _in_range(key):
    low, high, integer = _RANGES[key]
    return st.integers(int(low), int(high)) if integer else st.floats(low, high)


_good_values = {**{k: st.sampled_from(v) for k, v in _CHOICES.items()},
                **{k: _in_range(k) for k in _RANGES},
                "batchnorm": st.booleans(), "early_stopping": st.booleans(),
                "features": st.lists(st.sampled_from(list(pgm.FEATURES)), max_size=8),
                "hidden": st.lists(st.integers(0, 9), max_size=7)}


@st.composite
def _configs(draw):
    """Mostly good values, some faults: a wrong value, a strange key, csv_data rows."""
    keys = draw(st.lists(st.sampled_from(list(pgm.DEFAULTS)), max_size=8, unique=True))
    cfg = {k: draw(st.one_of(_good_values[k], _good_values[k], _json_values)) for k in keys}
    if draw(st.booleans()):
        cfg[draw(st.text(max_size=12))] = draw(_json_values)
    if draw(st.booleans()):
        n = draw(st.integers(0, 25))
        label = draw(st.sampled_from([lambda i: i % 2, lambda i: i % 3, lambda i: 0.1 * i]))
        cfg["csv_data"] = draw(st.one_of(
            st.just([[i, -i, label(i)] for i in range(n)]),
            st.lists(st.lists(_json_values, max_size=4), max_size=12), _json_values))
    return cfg


@given(st.text(max_size=300))
def test_config_from_json_of_any_text_is_a_config_or_a_value_error(text):
    try:
        cfg, csv_data = pgm.config_from_json(text)
    except ValueError:
        return
    _check_config(cfg)


@given(_configs())
def test_config_from_json_of_configurations_with_faults(cfg):
    try:
        text = json.dumps(cfg)
    except (TypeError, ValueError):  # not JSON-able (a non-str key, inf): not a text to paste
        return
    try:
        got, csv_data = pgm.config_from_json(text)
    except ValueError as exc:
        hypothesis.event(f"refused: {str(exc)[:25]}")
        return
    _check_config(got)
    hypothesis.event("accepted with csv_data" if csv_data is not None else "accepted")
    if csv_data is not None:
        X, y = csv_data
        _check_points(X, y, "classification" if y.dtype == np.int64 else "regression")
        again, data2 = pgm.config_from_json(pgm.config_to_json(got, csv_data)) \
            if got["dataset"] == "csv" else (got, csv_data)
        assert again == got
        np.testing.assert_allclose(data2[0], X, atol=1e-3)


@given(rows=st.lists(st.tuples(_numbers, _numbers, st.integers(0, 1)), min_size=10, max_size=30),
       problem=st.sampled_from(pgm.CSV_PROBLEMS))
def test_an_uploaded_data_set_survives_export_and_import(rows, problem):
    if problem == "regression":
        rows = [(a, b, c + 0.01 * i) for i, (a, b, c) in enumerate(rows)]
    text = "\n".join(f"{a!r},{b!r},{c!r}" for a, b, c in rows)
    try:
        X, y, found = pgm.parse_csv(text)
    except ValueError as exc:  # all labels equal
        assert "single value" in str(exc)
        return
    assert found == problem
    cfg = {"problem": problem, "dataset": pgm.CSV, "loss": pgm.PROBLEM_LOSSES[problem][0]}
    got, (X2, y2) = pgm.config_from_json(pgm.config_to_json(cfg, (X, y)))
    assert got == pgm.validate_config(cfg) and y2.dtype == y.dtype
    np.testing.assert_allclose(X2, X, atol=2e-4)
    np.testing.assert_allclose(y2, y, atol=2e-4)


@given(st.one_of(_configs(), _json_values, st.dictionaries(
    st.one_of(st.integers(), st.text(max_size=4)), _json_values, max_size=3)))
def test_validate_config_of_anything_is_a_config_or_a_value_error(config):
    try:
        cfg = pgm.validate_config(config)
    except ValueError as exc:
        assert len(str(exc)) < 600  # a sentence, never the whole of a huge value
        return
    _check_config(cfg)


@given(st.dictionaries(st.sampled_from(list(_RANGES)), st.one_of(
    st.integers(-10**400, 10**400), st.floats(), st.floats().map(np.float64),
    st.integers(-2**63, 2**63 - 1).map(np.int64), st.decimals(allow_nan=False), st.fractions(),
    st.integers(-10**400, 10**400).map(lambda n: Fraction(n, 7)),
    st.complex_numbers(max_magnitude=10)), min_size=1, max_size=3))
def test_validate_config_of_any_number_is_a_config_or_a_value_error(config):
    try:
        cfg = pgm.validate_config(config)
    except ValueError:
        return
    _check_config(cfg)
    assert all(math.isfinite(cfg[k]) for k in _RANGES)


# --- the engine: any valid setting trains an epoch, or stops with a message

@st.composite
def _settings(draw):
    """A valid setting of any knob, kept small (at most 200 points) so an epoch takes ms."""
    problem = draw(st.sampled_from(list(pgm.DATASETS)))
    cfg = {k: draw(_good_values[k]) for k in _RANGES if k != "n_samples"}
    cfg.update({k: draw(st.sampled_from(_CHOICES[k])) for k in
                ("activation", "init", "optimizer", "schedule", "regularization")})
    cfg.update(problem=problem, dataset=draw(st.sampled_from(pgm.DATASETS[problem])),
               loss=draw(st.sampled_from(pgm.PROBLEM_LOSSES[problem])),
               n_samples=draw(st.integers(20, 200)), batchnorm=draw(st.booleans()),
               early_stopping=draw(st.booleans()),
               features=draw(st.lists(st.sampled_from(list(pgm.FEATURES)), min_size=1,
                                      max_size=7, unique=True)),
               hidden=draw(st.lists(st.integers(1, pgm.MAX_NEURONS), max_size=pgm.MAX_LAYERS)))
    if cfg["batchnorm"]:
        cfg["batch_size"] = max(2, cfg["batch_size"])
    return cfg


@settings(max_examples=25)  # each example trains a network for an epoch
@given(_settings())
def test_any_valid_setting_trains_an_epoch_or_says_why_not(config):
    t = pgm.Trainer(config)
    went_on = t.train_epoch()
    h = t.history
    hypothesis.event("diverged" if h.diverged else "trained")
    assert went_on or (h.diverged and "Diverged" in h.message)
    if went_on:
        assert t.epoch == 1 and math.isfinite(h.final("loss"))
        assert np.isfinite(t.output_map(8)).all()
