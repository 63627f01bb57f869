"""Exercise checks of notebook 07: right answers pass, typical mistakes get their own hint."""

import numpy as np

from helpers.exercises import learning_rate as ex


def test_check_1(capsys):
    lam = np.linalg.eigvalsh(ex.A1)
    assert ex.check_1(2 / lam.max())
    assert not ex.check_1(None)
    assert not ex.check_1(2 / lam.min()) and "smallest eigenvalue" in capsys.readouterr().out
    assert not ex.check_1(1 / lam.max()) and "twice" in capsys.readouterr().out
    assert not ex.check_1(2 / 3) and "eigenvalues" in capsys.readouterr().out
    assert not ex.check_1("abc")


def test_check_2(capsys):
    assert ex.check_2(0.075)
    assert not ex.check_2(0.75) and "multiplier" in capsys.readouterr().out
    no_offset = 0.1 * 0.5 * (1 + np.cos(np.pi * 400 / 900))
    assert not ex.check_2(no_offset) and "after the warmup" in capsys.readouterr().out
    assert not ex.check_2(None)


def test_check_3(capsys):
    assert ex.check_3(lambda t: 0.5 ** (t // 100))
    assert not ex.check_3(lambda t: 0.5 ** (t / 100)) and "piecewise" in capsys.readouterr().out
    assert not ex.check_3(lambda t: 0.1 * 0.5 ** (t // 100)) and "multiplier" in \
        capsys.readouterr().out
    assert not ex.check_3(lambda t: 0.5 ** ((t - 1) // 100 if t else 0)) and "off by one" in \
        capsys.readouterr().out
    assert not ex.check_3(lambda t: 0.1 ** (t // 100)) and "halve" in capsys.readouterr().out
    assert not ex.check_3(lambda t: 1 / 0) and "ZeroDivisionError" in capsys.readouterr().out
    assert not ex.check_3(3.0) and not ex.check_3(None)
