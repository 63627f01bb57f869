"""Exercise checks of notebook 09: right answers pass, typical mistakes get their own hint."""

import numpy as np

from helpers.exercises import epochs as ex


def test_check_1(capsys):
    assert ex.check_1(3910) and ex.check_1(3910.0)
    assert not ex.check_1(3906.25) and "fraction" in capsys.readouterr().out
    assert not ex.check_1(3900) and "drop_last" in capsys.readouterr().out
    assert not ex.check_1(391) and "one epoch" in capsys.readouterr().out
    assert not ex.check_1(3907) and "once per epoch" in capsys.readouterr().out
    assert not ex.check_1(None) and not ex.check_1("x")


def test_check_2(capsys):
    assert ex.check_2(80)
    assert not ex.check_2(48) and "mod" in capsys.readouterr().out
    assert not ex.check_2(800) and "per epoch" in capsys.readouterr().out
    assert not ex.check_2(0.625) and "fraction" in capsys.readouterr().out


def test_check_3(capsys):
    v = np.array([0.9, 0.5, 0.3, 0.35, 0.6])
    assert ex.check_3(3, v)
    assert not ex.check_3(2, v) and "off by one" in capsys.readouterr().out
    assert not ex.check_3(1, v) and "highest" in capsys.readouterr().out
    assert not ex.check_3(5, v) and "last epoch" in capsys.readouterr().out
    assert not ex.check_3(0.3, v) and "lowest loss itself" in capsys.readouterr().out


def test_check_4(capsys):
    assert ex.check_4(78)
    assert not ex.check_4(80) and "ceil" in capsys.readouterr().out
    assert not ex.check_4(79) and "round down" in capsys.readouterr().out
    assert not ex.check_4(3000 / 38) and "whole epochs" in capsys.readouterr().out
