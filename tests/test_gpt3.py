"""helpers.gpt3 against the printed figures of Brown et al. (2020), arXiv:2005.14165."""

import dataclasses
import math

import numpy as np
import pytest

from helpers import gpt3 as G


def test_table_2_1_as_printed():
    assert [m["name"] for m in G.MODELS] == [
        "GPT-3 Small", "GPT-3 Medium", "GPT-3 Large", "GPT-3 XL", "GPT-3 2.7B", "GPT-3 6.7B",
        "GPT-3 13B", "GPT-3 175B"]
    big = G.model("GPT-3 175B")
    assert (big["n_layers"], big["d_model"], big["n_heads"], big["d_head"]) == (96, 12288, 96, 128)
    assert big["batch_tokens"] == 3.2e6 and big["lr"] == pytest.approx(0.6e-4)
    small = G.model("GPT-3 Small")
    assert (small["n_params"], small["n_layers"], small["d_model"], small["lr"]) == (
        125e6, 12, 768, 6.0e-4)
    assert G.model("GPT-3 13B")["d_model"] == 5140  # the printed value, a typo for 5120
    with pytest.raises(ValueError, match="no model"):
        G.model("GPT-4")


def test_heads_times_d_head_matches_d_model_except_xl_and_13b():
    bad = [m["name"] for m in G.MODELS if m["n_heads"] * m["d_head"] != m["d_model"]]
    assert bad == ["GPT-3 XL", "GPT-3 13B"]


def test_lr_falls_and_batch_grows_with_size():
    lrs = [m["lr"] for m in G.MODELS]
    batches = [m["batch_tokens"] for m in G.MODELS]
    assert all(a > b for a, b in zip(lrs, lrs[1:]))
    assert all(a <= b for a, b in zip(batches, batches[1:]))


def test_param_count_small_by_hand():
    # 12 L d^2 + 13 L d + (V + n_ctx) d + 2 d for L=12, d=768
    L, d = 12, 768
    expected = 12 * L * d * d + 13 * L * d + (50257 + 2048) * d + 2 * d
    assert G.param_count(L, d) == expected == 125_226_240


@pytest.mark.parametrize("row", G.MODELS, ids=lambda m: m["name"])
def test_param_count_matches_table_d1_within_1_percent(row):
    d = 5120 if row["name"] == "GPT-3 13B" else row["d_model"]
    n = G.param_count(row["n_layers"], d)
    assert n == pytest.approx(G.PAPER_COMPUTE[row["name"]]["params_m"] * 1e6, rel=0.01)
    assert n == pytest.approx(row["n_params"], rel=0.02)


def test_xl_count_rules_out_a_3072_wide_attention():
    assert G.param_count(24, 2048) == pytest.approx(1.3e9, rel=0.02)
    assert G.param_count(24, 2048, d_attn=24 * 128) > 1.5e9


def test_breakdown_sums_to_count():
    parts = G.param_breakdown(96, 12288)
    assert sum(parts.values()) == G.param_count(96, 12288)
    assert parts["mlp"] == pytest.approx(2 * parts["attention"], rel=1e-3)


def test_train_flops_and_pf_days_175b():
    c = G.train_flops(174.6e9, 300e9)
    assert c == pytest.approx(3.14e23, rel=0.005)
    assert G.pf_days(c) == pytest.approx(3640, rel=0.005)


@pytest.mark.parametrize("name", list(G.PAPER_COMPUTE))
def test_train_flops_reproduces_table_d1(name):
    row = G.PAPER_COMPUTE[name]
    c = G.train_flops(row["params_m"] * 1e6, G.TRAIN_TOKENS)
    assert c == pytest.approx(row["flops"], rel=0.01)
    assert G.pf_days(c) == pytest.approx(row["pf_days"], rel=0.01)


def test_training_days():
    days = G.training_days(3.14e23, 1024, 312e12, 0.4)
    assert days == pytest.approx(3.14e23 / (1024 * 312e12 * 0.4) / 86400)
    with pytest.raises(ValueError, match="utilization"):
        G.training_days(1e20, 8, 312e12, 0.0)


def test_learning_rate_schedule():
    peak = 0.6e-4
    assert G.learning_rate(0, peak) == 0.0
    assert G.learning_rate(375e6 / 2, peak) == pytest.approx(peak / 2)
    assert G.learning_rate(375e6, peak) == pytest.approx(peak)
    assert G.learning_rate(260e9, peak) == pytest.approx(0.1 * peak)
    assert G.learning_rate(300e9, peak) == pytest.approx(0.1 * peak)
    mid = (375e6 + 260e9) / 2
    assert G.learning_rate(mid, peak) == pytest.approx(0.55 * peak)
    t = np.linspace(375e6, 260e9, 50)
    assert np.all(np.diff(G.learning_rate(t, peak)) < 0)


def test_batch_size_ramp():
    assert G.batch_size_tokens(0, 3.2e6, 12e9) == G.START_BATCH_TOKENS == 32_768
    assert G.batch_size_tokens(6e9, 3.2e6, 12e9) == pytest.approx((32_768 + 3.2e6) / 2)
    assert G.batch_size_tokens(20e9, 3.2e6, 12e9) == 3.2e6
    assert G.batch_size_tokens(0, 3.2e6, 0) == 3.2e6
    b = G.batch_size_tokens(np.array([0, 1e9, 2e9]), 0.5e6, 4e9)
    assert b.shape == (3,) and np.all(np.diff(b) > 0)


def test_iterations_with_and_without_ramp():
    assert G.count_iterations(300e9, 3.2e6) == 93_750
    with_ramp = G.count_iterations(300e9, 3.2e6, 12e9)
    extra = with_ramp - 93_750
    approx_extra = G.ramp_iterations_approx(3.2e6, 12e9) - 12e9 / 3.2e6
    assert extra == pytest.approx(approx_extra, rel=0.02)


def test_training_memory():
    mem = G.training_memory(175e9, "mixed bf16 + fp32 master")
    assert sum(mem.values()) == pytest.approx(16 * 175e9)
    assert sum(G.training_memory(1, "fp32").values()) == 16
    with pytest.raises(ValueError, match="precision"):
        G.training_memory(1, "fp8")


def test_chinchilla_optimal():
    n, d = G.chinchilla_optimal(3.14e23)
    assert d == pytest.approx(20 * n)
    assert G.train_flops(n, d) == pytest.approx(3.14e23)
    assert 4e10 < n < 6e10


def test_shipped_corpus_is_the_documented_grammar():
    text = G.load_corpus()
    assert text == G.generate_corpus(600, seed=0)
    assert len(text.encode()) < 200_000
    vocab = G.CharVocab(text)
    assert vocab.decode(vocab.encode("The cat.")) == "The cat."


def test_windows_predict_the_next_character():
    ids = np.arange(5)
    X, y = G.make_windows(ids, 3, pad_id=9)
    assert X.tolist()[:3] == [[9, 9, 9], [9, 9, 0], [9, 0, 1]]
    assert y.tolist() == [0, 1, 2, 3, 4]


def test_train_lm_ramp_and_schedule():
    text = G.load_corpus()[:5000]
    vocab = G.CharVocab(text)
    X, y = G.make_windows(vocab.encode(text), 4, pad_id=vocab.index["\n"])
    model = G.make_char_lm(len(vocab), context=4, embed_dim=4, hidden=16)
    h = G.train_lm(model, X[:4000], y[:4000], total_tokens=3000, batch_size=32, peak_lr=1e-2,
                   recipe=G.GPT3, X_val=X[4000:], y_val=y[4000:], n_evals=3)
    assert h["tokens"][-1] == 3000 and h["batch"][0] == G.GPT3.start_batch
    assert h["batch"].max() == 32 and h["steps"] > 3000 / 32
    assert h["lr"].max() <= 1e-2 and h["lr"][-1] == pytest.approx(1e-3)
    assert len(h["val_loss"]) == 3 and not h["diverged"]
    assert h["val_loss"][-1] < math.log(len(vocab))
    sample = G.generate(model, vocab, "The ", 20, context=4, seed=1)
    assert sample.startswith("The ") and len(sample) == 24
    assert sample == G.generate(model, vocab, "The ", 20, context=4, seed=1)


@pytest.mark.parametrize("recipe", [G.GPT3, G.PLAIN, dataclasses.replace(G.GPT3, decay_frac=None),
                                    dataclasses.replace(G.GPT3, start_batch=100)])
def test_train_lm_schedule_is_the_papers_formulas_step_by_step(recipe):
    # train_lm computes its batches and learning rates before training, the lr in one
    # vectorised call: each step's must be exactly the scalar formulas at that step's tokens
    text = G.load_corpus()[:3000]
    vocab = G.CharVocab(text)
    X, y = G.make_windows(vocab.encode(text), 4, pad_id=vocab.index["\n"])
    model = G.make_char_lm(len(vocab), context=4, embed_dim=4, hidden=8)
    total, batch = 2001, 32
    h = G.train_lm(model, X[:2500], y[:2500], total_tokens=total, batch_size=batch,
                   peak_lr=3e-2, recipe=recipe, X_val=X[2500:], y_val=y[2500:], n_evals=1)
    seen, warmup = 0, recipe.warmup_frac * total
    for b, tokens, lr in zip(h["batch"], h["tokens"], h["lr"]):
        full = round(G.batch_size_tokens(seen, batch, recipe.ramp_frac * total,
                                         start_tokens=recipe.start_batch))
        assert b == min(full, total - seen)
        seen += b
        if recipe.decay_frac is not None:
            assert lr == G.learning_rate(seen, 3e-2, warmup_tokens=warmup,
                                         decay_tokens=recipe.decay_frac * total,
                                         floor=recipe.floor)
        else:  # constant after a linear warmup
            assert lr == (3e-2 * min(seen / warmup, 1.0) if warmup else 3e-2)
        assert tokens == seen
    assert seen == total and h["steps"] == len(h["batch"])


# --- bad input raises ValueError naming the parameter


@pytest.mark.parametrize("start", [0, -5, math.nan])
def test_count_iterations_rejects_a_start_batch_that_is_not_positive(start):
    with pytest.raises(ValueError, match="start_tokens"):
        G.count_iterations(300e9, 3.2e6, 12e9, start_tokens=start)


def test_count_iterations_with_a_start_above_the_full_batch_uses_the_full_batch():
    assert G.count_iterations(1e7, 1e4, 1e6, start_tokens=5e4) == 1000


def test_ramp_iterations_approx_without_growth_is_ramp_over_batch():
    assert G.ramp_iterations_approx(32_768, 12e9) == pytest.approx(12e9 / 32_768)
    assert G.ramp_iterations_approx(1e4, 1e7, start_tokens=5e4) == pytest.approx(1e3)
    near = G.ramp_iterations_approx(32_768 * (1 + 1e-12), 12e9)
    assert near == pytest.approx(12e9 / 32_768, rel=1e-9)
    for kwargs, name in (({"full_batch_tokens": 0, "ramp_tokens": 1e9}, "full_batch_tokens"),
                         ({"full_batch_tokens": 1e6, "ramp_tokens": -1}, "ramp_tokens"),
                         ({"full_batch_tokens": 1e6, "ramp_tokens": 1e9, "start_tokens": 0},
                          "start_tokens")):
        with pytest.raises(ValueError, match=name):
            G.ramp_iterations_approx(**kwargs)


def test_negative_amounts_are_rejected():
    with pytest.raises(ValueError, match="n_params"):
        G.training_memory(-1)
    with pytest.raises(ValueError, match="flops"):
        G.training_days(flops=-1, n_accelerators=8, peak_flops=312e12, utilization=0.4)
    with pytest.raises(ValueError, match="flops"):
        G.pf_days(-1)


def test_recipe_and_train_lm_reject_bad_values():
    with pytest.raises(ValueError, match="beta2"):
        G.Recipe("x", beta2=1.0)
    with pytest.raises(ValueError, match="start_batch"):
        G.Recipe("x", start_batch=0)
    with pytest.raises(ValueError, match="clip_norm"):
        G.Recipe("x", clip_norm=0.0)
    X, y = np.zeros((8, 2), np.int64), np.zeros(8, np.int64)
    net = G.make_char_lm(3, context=2, embed_dim=2, hidden=4)
    kw = dict(total_tokens=8, batch_size=4, peak_lr=1e-2, X_val=X, y_val=y)
    with pytest.raises(ValueError, match="recipe"):
        G.train_lm(net, X, y, recipe="GPT-3", **kw)
    with pytest.raises(ValueError, match="n_evals"):
        G.train_lm(net, X, y, recipe=G.GPT3, n_evals=0, **kw)


# --- the widgets of notebook 13


def test_compute_calculator_uses_the_table_d1_count():
    _, ctl, state = G.compute_calculator()
    assert state["n_params"] == 174.6e9
    assert state["pf_days"] == pytest.approx(G.PAPER_COMPUTE["GPT-3 175B"]["pf_days"], rel=0.005)
    ctl["name"].value = "GPT-3 Medium"
    assert state["n_params"] == 356e6


def test_schedule_explorer_draws_into_an_image(capsys):
    _, ctl, state = G.schedule_explorer()
    first = state["image"].value
    assert first[:4] == b"\x89PNG" and state["steps_no_ramp"] == 93_750
    ctl["name"].value, ctl["ramp_b"].value = "GPT-3 Small", 4.0
    assert state["steps"] == G.count_iterations(300e9, 0.5e6, 4e9)
    assert state["image"].value != first and capsys.readouterr().out == ""


def test_toy_trainer_draws_into_an_image(capsys):
    text = G.load_corpus()[:3000]
    vocab = G.CharVocab(text)
    X, y = G.make_windows(vocab.encode(text), 4, pad_id=vocab.index["\n"])
    _, ctl, state = G.toy_trainer((X[:2500], y[:2500], X[2500:], y[2500:]), vocab, context=4,
                                  total_tokens=640, batch_size=32)
    assert state["image"].value[:4] == b"\x89PNG" and state["history"]["tokens"][-1] == 640
    first = state["history"], state["image"].value
    ctl["recipe"].value = "plain"
    assert state["history"]["steps"] == 20 and state["sample"].startswith("The ")
    ctl["recipe"].value = "GPT-3"  # a setting seen before: shown again, not retrained
    assert state["history"] is first[0] and state["image"].value == first[1]
    assert capsys.readouterr().out == ""


# --- issue 14: what users type gets the right result or a ValueError that says what is wrong


def test_a_batch_given_in_sequences_is_named_at_once():
    with pytest.raises(ValueError, match=r"full_batch_tokens=16 is less than one sequence .*"
                                         r"\(16 x 2048 = 32,768\)"):
        G.count_iterations(300e9, 16, 12e9)  # was a Python loop running for minutes
    with pytest.raises(ValueError, match="start_tokens=16 is less than one sequence"):
        G.ramp_iterations_approx(3.2e6, 12e9, start_tokens=16)


def test_count_iterations_is_closed_form_and_matches_the_paper_table():
    # the numbers notebook 13 prints, as the step-by-step loop counted them
    assert G.count_iterations(300e9, 3.2e6, 12e9) - G.count_iterations(300e9, 3.2e6) == 13_611
    assert G.count_iterations(300e9, 0.5e6, 4e9) == 615_332
    assert G.count_iterations(G.WARMUP_TOKENS, 3.2e6, 12e9) == 5_273
    assert G.count_iterations(0, 3.2e6, 12e9) == 0
    assert G.count_iterations(1, 3.2e6, 12e9) == 1  # one (small) batch covers it


@pytest.mark.parametrize("call, name", [
    (lambda: G.learning_rate(math.nan, 6e-4), "tokens_seen"),
    (lambda: G.learning_rate(np.array([0, math.inf]), 6e-4), "tokens_seen"),
    (lambda: G.learning_rate("1e9", 6e-4), "tokens_seen"),
    (lambda: G.batch_size_tokens(math.nan, 3.2e6, 12e9), "tokens_seen"),
    (lambda: G.batch_size_tokens([[1, 2], [3]], 3.2e6, 12e9), "tokens_seen"),
    (lambda: G.training_days(3.14e23, 1, 1e-300, 1e-300), "peak_flops"),
    (lambda: G.train_flops(1e200, 1e200), "6 N D"),
    (lambda: G.chinchilla_optimal(1e300, 1e-300), "C / \\(6 r\\)"),
    (lambda: G.training_memory(1e308), "bytes"),
    (lambda: G.count_iterations(10**400, 3.2e6), "n_tokens"),
    (lambda: G.CharVocab("The cat.").encode("The zebra"), "character 'b' is not in the vocabulary"),
    (lambda: G.CharVocab("The cat.").encode(42), "text must be a str"),
    (lambda: G.CharVocab("The cat.").decode([0, 99]), "id 99 is not in the vocabulary"),
    (lambda: G.CharVocab("The cat.").decode("abc"), "ids must be"),
])
def test_bad_values_raise_value_errors_that_name_them(call, name):
    with pytest.raises(ValueError, match=name):  # were NaN results, ZeroDivisionError, KeyError
        call()
