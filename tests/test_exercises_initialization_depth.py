"""The exercise checks of notebooks 01 (initialization) and 02 (depth): right answers pass,
the typical mistakes fail with their specific hint, a missing answer gets a reminder."""

import functools
import math

import helpers as hp
from helpers.exercises import depth, initialization


def test_initialization_check_1(capsys):
    assert initialization.check_1(math.sqrt(2 / 512))
    assert not initialization.check_1(math.sqrt(2 / 128))
    assert "fan_out" in capsys.readouterr().out
    assert not initialization.check_1(math.sqrt(1 / 512))
    assert "LeCun" in capsys.readouterr().out
    assert not initialization.check_1(None)
    assert "No answer yet" in capsys.readouterr().out


def test_initialization_check_2(capsys):
    assert initialization.check_2(128)
    assert not initialization.check_2(256)
    assert "half" in capsys.readouterr().out
    assert not initialization.check_2("many")


def test_initialization_check_3(capsys):
    assert initialization.check_3(functools.partial(hp.xavier_normal, gain=5 / 3))
    assert not initialization.check_3(hp.xavier_normal)
    assert "gain" in capsys.readouterr().out
    assert not initialization.check_3(functools.partial(hp.normal, std=1.0))
    assert "saturating" in capsys.readouterr().out
    # a gain of 4 keeps the std within 1.5 (near 0.89) but saturates 45 % of the last layer
    assert not initialization.check_3(functools.partial(hp.xavier_normal, gain=4))
    assert "saturating" in capsys.readouterr().out
    assert not initialization.check_3(functools.partial(hp.xavier_normal, gain=2))
    assert "saturating" in capsys.readouterr().out
    # He's ReLU gain sqrt(2) keeps the std within 1.5 too, but the exercise asks for tanh's gain
    assert not initialization.check_3(hp.he_normal)
    assert "He's scale" in capsys.readouterr().out
    assert not initialization.check_3(hp.he_uniform)
    assert "calculate_gain('tanh')" in capsys.readouterr().out
    assert initialization.check_3(functools.partial(hp.xavier_uniform, gain=5 / 3))
    assert initialization.check_3(functools.partial(hp.he_normal, gain=hp.calculate_gain("tanh")))
    assert not initialization.check_3(lambda fan_in, fan_out, rng: 1 / 0)
    assert "ZeroDivisionError" in capsys.readouterr().out
    assert not initialization.check_3(0.1)


def test_depth_check_1(capsys):
    assert depth.check_1(609)
    assert not depth.check_1(560)
    assert "bias" in capsys.readouterr().out


def test_depth_check_2(capsys):
    assert depth.check_2(lambda d, w, L, k: (d + 1) * w + (L - 1) * (w + 1) * w + (w + 1) * k)
    assert not depth.check_2(lambda d, w, L, k: d * w + (L - 1) * w * w + w * k)
    assert "biases are missing" in capsys.readouterr().out
    assert not depth.check_2(lambda d, w, L, k: (d + 1) * w + L * (w + 1) * w + (w + 1) * k)
    assert "too many" in capsys.readouterr().out
    assert not depth.check_2(lambda *args: [][0])
    assert "IndexError" in capsys.readouterr().out


def test_depth_check_3(capsys):
    assert depth.check_3(0.25 ** 10)
    assert not depth.check_3(0.5 ** 10)
    assert "0.25" in capsys.readouterr().out
    assert not depth.check_3(0.25)
    assert "multiply" in capsys.readouterr().out
