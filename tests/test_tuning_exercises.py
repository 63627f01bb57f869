"""The checks of notebook 12's exercises: right answers pass, the likely mistakes get their own
hint, and an answer of any type returns False without raising."""

import numpy as np
import pytest

from helpers.exercises import tuning as ex

B, C = np.array(ex.BASELINE_ERRORS), np.array(ex.CANDIDATE_ERRORS)
D = B - C


def test_exercise_4_accepts_the_paired_gain_and_standard_error(capsys):
    assert ex.check_4((D.mean(), D.std(ddof=1) / np.sqrt(5)))
    assert ex.check_4([float(D.mean()), float(D.std(ddof=1) / np.sqrt(5))])
    assert "not adopted" in capsys.readouterr().out


@pytest.mark.parametrize("answer, hint", [
    ((-D.mean(), 0.01), "sign"),
    ((D.mean(), np.sqrt(B.var(ddof=1) / 5 + C.var(ddof=1) / 5)), "pairing"),
    ((D.mean(), D.std() / np.sqrt(5)), "ddof=1"),
    ((D.mean(), D.std(ddof=1)), "divides it by sqrt(5)"),
    ((0.5, 0.01), "mean over seeds"),
])
def test_exercise_4_names_the_mistake(answer, hint, capsys):
    assert not ex.check_4(answer)
    assert hint in capsys.readouterr().out


@pytest.mark.parametrize("check", [ex.check_1, ex.check_2, ex.check_3, ex.check_4])
@pytest.mark.parametrize("answer", ["0.1", "abc", [], [1, 2, 3], {"a": 1}, 10 ** 400,
                                    float("nan"), object(), (None, None), b"x", 1j])
def test_checks_never_raise_on_a_wrong_type(check, answer, capsys):
    assert not check(answer)
    assert capsys.readouterr().out  # a hint was printed
