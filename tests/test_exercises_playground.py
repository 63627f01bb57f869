"""Exercise checks of notebook 15: a wrong type gets a hint, never a traceback."""

import pytest

from helpers.exercises import playground as ex


@pytest.mark.parametrize("answer", [2, 2.5, "x1^2", {"x1^2": 1, "x2^2": 1}, [["x1"]],
                                    ["x1^2", 3], ["x3"]])
def test_check_2_hints_at_a_list_of_names(answer, capsys):
    assert not ex.check_2(answer)
    out = capsys.readouterr().out
    assert out.startswith("✗ Not yet:") and "list of names" in out


def test_check_2_accepts_the_two_squares(capsys):
    assert ex.check_2(("x2^2", "x1^2"))
    assert not ex.check_2([]) and "at least one" in capsys.readouterr().out


@pytest.mark.parametrize("answer", [3, {"hidden": 3}, {"features": 5}, {"lr": "fast"}])
def test_check_1_hints_at_a_bad_config(answer, capsys):
    assert not ex.check_1(answer)
    assert capsys.readouterr().out.startswith("✗ Not yet:")
