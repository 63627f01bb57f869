"""Exercise checks of notebook 13: right answers pass, typical mistakes get their own hint."""

from helpers.exercises import gpt3 as ex

L, D, V, N_CTX = 24, 1024, 50257, 2048
MEDIUM = 12 * L * D * D + 13 * L * D + (V + N_CTX) * D + 2 * D


def test_check_2_wants_the_exact_count(capsys):
    assert MEDIUM == 355_871_744
    assert ex.check_2(MEDIUM) and ex.check_2(float(MEDIUM))
    assert not ex.check_2(355.9e6) and "exact integer" in capsys.readouterr().out
    assert not ex.check_2(None) and not ex.check_2("x")


def test_check_2_names_each_missing_part(capsys):
    no_bias_ln = MEDIUM - 13 * L * D - 2 * D  # 0.09 % low: passed the old 0.5 % tolerance
    assert abs(no_bias_ln / MEDIUM - 1) < 0.001
    assert not ex.check_2(no_bias_ln) and "every bias and LayerNorm" in capsys.readouterr().out
    assert not ex.check_2(MEDIUM - 13 * L * D) and "13 d per layer" in capsys.readouterr().out
    assert not ex.check_2(MEDIUM - 2 * D) and "final LayerNorm" in capsys.readouterr().out
    assert not ex.check_2(MEDIUM - N_CTX * D) and "position" in capsys.readouterr().out
    assert not ex.check_2(MEDIUM + V * D) and "count V d only once" in capsys.readouterr().out
    assert not ex.check_2(12 * L * D * D) and "blocks only" in capsys.readouterr().out
