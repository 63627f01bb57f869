"""helpers.scaling (notebook 14): µP for an MLP, sweeps, fits, the isoFLOP slices, the trainer
widget, and the exercise checks."""

import math

import numpy as np
import pytest

import helpers as hp
from helpers import gpt3, scaling
from helpers.exercises import scaling as ex


def test_mup_mlp_is_the_standard_one_at_its_base_width_and_scales_relative_to_it():
    sp, sp_groups = scaling.mlp(8, 16, 3, parametrization="sp", seed=2)
    same, groups = scaling.mlp(8, 16, 3, parametrization="mup", base_width=16, seed=2)
    for p, q in zip(sp.parameters(), same.parameters()):
        np.testing.assert_array_equal(p.data, q.data)
    assert sp_groups == sp.parameters() and groups[0]["lr_scale"] == 1.0
    wide_sp, _ = scaling.mlp(8, 64, 3, parametrization="sp", seed=2)
    wide, groups = scaling.mlp(8, 64, 3, parametrization="mup", base_width=16, seed=2)
    np.testing.assert_allclose(wide[-1].weight.data, wide_sp[-1].weight.data / 2, rtol=1e-6)
    np.testing.assert_array_equal(wide[0].weight.data, wide_sp[0].weight.data)  # input layer
    scaled, rest = groups
    assert scaled["lr_scale"] == 0.25 and len(scaled["params"]) == 2  # hidden and output W
    assert all(p.data.ndim == 1 for p in rest["params"][1:])            # biases
    with pytest.raises(ValueError, match="base_width"):
        scaling.mlp(8, 16, 3, parametrization="mup")
    with pytest.raises(ValueError, match="base_width"):
        scaling.mlp(8, 16, 3, parametrization="sp", base_width=16)
    with pytest.raises(ValueError, match="parametrization"):
        scaling.mlp(8, 16, 3, parametrization="ntk")


def test_lr_sweep_shapes_and_divergence():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((64, 5)).astype(np.float32)
    y = rng.integers(0, 3, 64)
    out = scaling.lr_sweep(X, y, widths=[4, 8], lrs=[1e-3, 1e-2, 1e5], parametrization="sp",
                           seeds=(0,), steps=5, batch_size=16)
    assert out.shape == (1, 2, 3)
    assert np.isfinite(out[..., :2]).all() and out[0, 0, 0] < math.log(3) + 0.5
    assert np.isinf(out[..., 2]).all() or (out[..., 2] > out[..., 1]).all()


def test_best_lr_is_the_parabola_vertex_in_log_lr():
    lrs = 2.0 ** np.arange(-6, 0)
    losses = (np.log2(lrs) + 3.3) ** 2 + 1.0  # minimum at 2^-3.3
    assert math.log2(scaling.best_lr(lrs, losses)) == pytest.approx(-3.3)
    assert scaling.best_lr(lrs, [1, 2, 3, 4, 5, 6]) == lrs[0]  # at the edge: the grid point
    assert scaling.best_lr(lrs, [5, 4, 3, math.inf, math.nan, 6]) == pytest.approx(lrs[2])
    with pytest.raises(ValueError, match="diverged"):
        scaling.best_lr(lrs, [math.inf] * 6)
    with pytest.raises(ValueError, match="increasing"):
        scaling.best_lr(lrs[::-1], losses)


def test_power_law_recovers_its_exponent():
    x = np.array([1e3, 1e4, 1e5])
    a, alpha = scaling.power_law(x, 5.0 * x**-0.3)
    assert (a, alpha) == pytest.approx((5.0, 0.3))
    with pytest.raises(ValueError, match="positive"):
        scaling.power_law([1, 2], [1, -1])


def test_isoflop_reads_each_curve_at_D_equal_C_over_6N():
    # L(N, D) = 1 + 100/N^0.5 + 1000/D^0.5: at fixed C the optimum N grows as C^0.5
    tokens = np.geomspace(1e2, 1e8, 121)
    curves = {N: (tokens, 1 + 100 / N**0.5 + 1000 / tokens**0.5)
              for N in np.geomspace(10, 1e5, 17)}
    budgets = [6e7, 6e8, 6e9]
    slices = scaling.isoflop(curves, budgets)
    n_opt = np.array([s["N_opt"] for s in slices])
    assert all(s["D"] == pytest.approx(s["C"] / (6 * s["N"])) for s in slices)
    # the exact optimum of 100/sqrt(N) + 1000/sqrt(C / 6N) is N = sqrt(C / 6) / 10
    np.testing.assert_allclose(n_opt, np.sqrt(np.array(budgets) / 6) / 10, rtol=0.1)
    assert -scaling.power_law(budgets, n_opt)[1] == pytest.approx(0.5, abs=0.05)
    # an optimum at the edge of the sizes is not a bracketed optimum
    assert scaling.isoflop({N: c for N, c in curves.items() if N >= 1e3}, [6e7])[0]["N_opt"] \
        is None


def test_coord_check_separates_the_parametrizations():
    sp = scaling.coord_check([8, 64], parametrization="sp")
    mup = scaling.coord_check([8, 64], parametrization="mup", base_d_model=8)
    assert sp[0] == pytest.approx(mup[0])  # the same model at the base width
    assert sp[1] / sp[0] > 3 and 0.5 < mup[1] / mup[0] < 2


@pytest.fixture(scope="module")
def tiny_data():
    vocab = gpt3.CharVocab(gpt3.load_corpus())
    X, Y = gpt3.make_sequences(vocab.encode(gpt3.load_corpus()[:20_000]), 8)
    return (X[:-20], Y[:-20], X[-20:], Y[-20:]), vocab


def test_gpt_curve_reads_the_loss_at_the_asked_token_counts(tiny_data):
    data, vocab = tiny_data
    model = hp.GPT(len(vocab), 8, 1, 8, 2, seed=0)
    tokens, losses = scaling.gpt_curve(model, data, tokens=4096, batch_size=16, lr=0.03,
                                       eval_tokens=[1024, 4096])
    assert tokens.tolist() == [1024, 4096] and losses[1] < losses[0] < math.log(len(vocab)) + 0.5


def test_gpt_trainer_widget_trains_and_reports_bad_input(tiny_data):
    data, vocab = tiny_data
    ui, ctl, state = scaling.gpt_trainer(data, vocab, n_ctx=8, tokens=2048, batch_size=16)
    h = state["history"]
    assert h["tokens"][-1] == 2048 and state["sample"].startswith("The ")
    assert ctl["parametrization"].value == "mup" and "png" in ui.children[1].format
    hp.widgets.set_values(ctl, lr=10 ** -0.5, parametrization="sp", recipe="plain Adam")
    assert state["history"] is not h and "Error" not in ui.children[-1].value


def test_make_sequences_cuts_the_text_into_shifted_pairs():
    X, Y = gpt3.make_sequences(np.arange(11), 3)
    assert X.tolist() == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    assert Y.tolist() == [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    with pytest.raises(ValueError, match="too few"):
        gpt3.make_sequences(np.arange(3), 3)


def test_train_lm_counts_tokens_for_a_sequence_model(tiny_data):
    data, vocab = tiny_data
    X, Y, X_val, Y_val = data
    model = hp.GPT(len(vocab), 8, 1, 8, 2, seed=0)
    h = gpt3.train_lm(model, X, Y, total_tokens=8 * 200, batch_size=10, peak_lr=1e-2,
                      recipe=gpt3.GPT3, X_val=X_val, y_val=Y_val, n_evals=2)
    # the ramp starts at start_batch sequences (8 tokens each), the budget is in tokens
    assert h["batch"][0] == min(gpt3.GPT3.start_batch, 10) and h["tokens"][-1] == 1600
    assert np.all(np.diff(h["tokens"]) == 8 * h["batch"][1:])
    with pytest.raises(ValueError, match="eval_tokens"):
        gpt3.train_lm(model, X, Y, total_tokens=80, batch_size=10, peak_lr=1e-2,
                      recipe=gpt3.PLAIN, X_val=X_val, y_val=Y_val, eval_tokens=[800])


def test_a_gpt_generates_from_its_last_position(tiny_data):
    _, vocab = tiny_data
    model = hp.GPT(len(vocab), 8, 1, 8, 2, seed=0)
    text = gpt3.generate(model, vocab, "The ", 12, context=8, seed=3)
    assert text.startswith("The ") and len(text) == 16
    assert text == gpt3.generate(model, vocab, "The ", 12, context=8, seed=3)


# ----------------------------------------------------------------------------- the exercises


@pytest.mark.parametrize("check", [ex.check_1, ex.check_2, ex.check_3])
def test_checks_never_raise_and_wrong_types_get_a_hint(check, capsys):
    for answer in ("0.1", [1, 2, 3], {"a": 1}, object(), float("nan"), -1, 1j, b"x"):
        assert not check(answer)
        assert "Not yet" in capsys.readouterr().out
    assert not check(None) and "No answer yet" in capsys.readouterr().out


def test_checks_pass_the_solutions_and_name_typical_mistakes(capsys):
    assert ex.check_1(3e-3 / 16)
    assert not ex.check_1(3e-3) and "base learning rate" in capsys.readouterr().out
    assert not ex.check_1(3e-3 / 4) and "initial std" in capsys.readouterr().out
    assert ex.check_2(math.log(2.0 / 1.6) / math.log(8))
    assert not ex.check_2(-math.log(2.0 / 1.6) / math.log(8)) and "minus" in capsys.readouterr().out
    assert ex.check_3((2, 2)) and ex.check_3(np.array([2.0, 2.0]))
    assert not ex.check_3((4, 1)) and "Kaplan" in capsys.readouterr().out
    assert not ex.check_3("ab") and "pair of numbers" in capsys.readouterr().out
