"""The exercise checks of notebooks 05 (losses) and 06 (optimizers): right answers pass, the
likely mistakes get their specific hint."""

import numpy as np

from helpers.exercises import losses as ex5
from helpers.exercises import optimizers as ex6


def verdict(capsys, check, answer):
    ok = check(answer)
    return ok, capsys.readouterr().out


def test_losses_check_1(capsys):
    assert verdict(capsys, ex5.check_1, (0.125 + 1.5 + 3.5) / 3)[0]
    ok, out = verdict(capsys, ex5.check_1, np.mean(np.array([0.5, -2, 4]) ** 2 / 2))
    assert not ok and "linear" in out
    ok, out = verdict(capsys, ex5.check_1, (0.125 + 2 + 4) / 3)
    assert not ok and "delta/2" in out
    ok, out = verdict(capsys, ex5.check_1, None)
    assert not ok and "No answer yet" in out


def test_losses_check_2(capsys):
    def good(z):
        m = z.max(axis=-1, keepdims=True)
        return (m + np.log(np.exp(z - m).sum(axis=-1, keepdims=True)))[..., 0]

    def naive(z):
        return np.log(np.exp(z).sum(axis=-1))

    def forgot_max(z):
        m = z.max(axis=-1, keepdims=True)
        return np.log(np.exp(z - m).sum(axis=-1))

    assert verdict(capsys, ex5.check_2, good)[0]
    ok, out = verdict(capsys, ex5.check_2, naive)
    assert not ok and "Subtract the max" in out
    ok, out = verdict(capsys, ex5.check_2, forgot_max)
    assert not ok and "add it" in out


def test_losses_check_3(capsys):
    assert verdict(capsys, ex5.check_3, dict(ex5.TASKS))[0]
    wrong = dict(ex5.TASKS, **{"which tags (any number of 20) fit a photo": "cross_entropy"})
    ok, out = verdict(capsys, ex5.check_3, wrong)
    assert not ok and "not exclusive" in out


def test_optimizers_check_1(capsys):
    assert verdict(capsys, ex6.check_1, 0.01)[0]
    ok, out = verdict(capsys, ex6.check_1, 0.01 * 0.1 / np.sqrt(0.001))
    assert not ok and "bias correction" in out
    ok, out = verdict(capsys, ex6.check_1, 0.01 * 0.003)
    assert not ok and "SGD" in out


def test_optimizers_check_2(capsys):
    assert verdict(capsys, ex6.check_2, 0.2)[0]
    ok, out = verdict(capsys, ex6.check_2, 0.02)
    assert not ok and "first step" in out


def test_optimizers_check_2_momentum_as_an_average(capsys):
    # the likely mistake: b = mu b + (1 - mu) g settles at b = g, a step of lr * g = 0.02
    b = 0.0
    for _ in range(1000):
        b = 0.9 * b + 0.1 * 2.0
    ok, out = verdict(capsys, ex6.check_2, 0.01 * b)
    assert not ok and "not an average" in out and "b = momentum b + g" in out


def test_optimizers_check_3(capsys):
    def adam_step(theta, g, m, v, t, lr, beta1, beta2, eps):
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        return theta - lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps), m, v

    def no_bc(theta, g, m, v, t, lr, beta1, beta2, eps):
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        return theta - lr * m / (np.sqrt(v) + eps), m, v

    assert verdict(capsys, ex6.check_3, adam_step)[0]
    ok, out = verdict(capsys, ex6.check_3, no_bc)
    assert not ok and "bias correction" in out
