"""The transformer (helpers.attention, helpers.transformer): gradient checks in float64,
GPT-2's initialization, µP, parameter groups, and torch.nn equivalents when torch is installed."""

import math

import numpy as np
import pytest

import helpers as hp
from helpers import gpt3
from test_layers import assert_grads_ok, rand  # the same tolerance (1e-7) and draws

F64 = np.float64
TORCH_REASON = "torch not installed (optional: see the README, Benchmark)"


def jitter(model, seed=1, scale=0.1):
    """Perturb every parameter (biases 0 and LayerNorm weights 1 would hide their gradients)."""
    rng = np.random.default_rng(seed)
    for p in model.parameters():
        p.data += scale * rng.standard_normal(p.data.shape)
    return model


def tiny_gpt(**kw):
    args = dict(vocab_size=7, n_ctx=6, n_layers=2, d_model=8, n_heads=2, seed=3, dtype=F64)
    args.update(kw)
    return hp.GPT(**args)


def ids(B=2, T=5, V=7, seed=0):
    return np.random.default_rng(seed).integers(0, V, (B, T))


# ----------------------------------------------------------------------------- gradient checks


def test_layernorm_gradients_and_statistics():
    ln = jitter(hp.LayerNorm(6, dtype=F64))
    assert_grads_ok(hp.check_layer(ln, rand(2, 3, 6, scale=3.0)))
    out = hp.LayerNorm(6, dtype=F64).forward(rand(4, 6, scale=5.0) + 2.0)
    np.testing.assert_allclose(out.mean(axis=-1), 0, atol=1e-12)
    np.testing.assert_allclose(out.var(axis=-1), 1, rtol=1e-4)  # eps = 1e-5 inside the root


def test_attention_gradients():
    attn = jitter(hp.CausalSelfAttention(8, 2, seed=1, dtype=F64), scale=0.3)
    assert_grads_ok(hp.check_layer(attn, rand(2, 5, 8)))


def test_block_gradients():
    block = jitter(hp.TransformerBlock(8, 2, n_layers=2, seed=1, dtype=F64), scale=0.3)
    assert_grads_ok(hp.check_layer(block, rand(2, 4, 8)))


def gpt_errors(model, idx, targets):
    """Relative errors of GPT.backward against centred differences of the loss, per Param."""
    loss = hp.CrossEntropyLoss()
    loss.forward(model.forward(idx), targets)
    for p in model.parameters():
        p.zero_grad()
    assert model.backward(loss.backward()) is None
    return {f"{i} {p.name} {p.shape}": hp.rel_error(
        p.grad, hp.numerical_gradient(lambda: loss.forward(model.forward(idx), targets), p.data))
        for i, p in enumerate(model.parameters())}


@pytest.mark.parametrize("parametrization, base", [("sp", None), ("mup", 4)])
def test_gpt_gradients(parametrization, base):
    model = jitter(tiny_gpt(parametrization=parametrization, base_d_model=base), scale=0.3)
    errors = gpt_errors(model, ids(), ids(seed=1))
    assert len(errors) == 2 + 12 * 2 + 2
    assert_grads_ok(errors)


def test_gpt_runs_on_a_context_shorter_than_n_ctx():
    model = jitter(tiny_gpt(), scale=0.3)
    assert_grads_ok(gpt_errors(model, ids(B=3, T=2), ids(B=3, T=2, seed=4)))


# ----------------------------------------------------------------------------- semantics


def test_attention_is_causal():
    attn = jitter(hp.CausalSelfAttention(8, 2, seed=1, dtype=F64))
    x = rand(1, 6, 8)
    out = attn.forward(x)
    x2 = x.copy()
    x2[0, 3:] += 10.0  # change positions 3, 4, 5
    out2 = attn.forward(x2)
    np.testing.assert_allclose(out2[0, :3], out[0, :3], rtol=1e-12)
    assert not np.allclose(out2[0, 3:], out[0, 3:])


def test_heads_own_contiguous_columns():
    # with v = the input itself in head 0 only, a one-position sequence returns x's head-0 part
    attn = hp.CausalSelfAttention(4, 2, dtype=F64)
    attn.qkv.weight.data[:] = 0
    attn.qkv.weight.data[np.arange(4), 8 + np.arange(4)] = 1  # v = x
    attn.proj.weight.data[:] = np.eye(4)
    x = rand(1, 1, 4)
    np.testing.assert_allclose(attn.forward(x), x)
    assert attn.d_head == 2 and attn.scale == pytest.approx(1 / math.sqrt(2))


def test_gpt_shapes_count_and_tied_head():
    model = hp.GPT(34, 16, 3, 32, 4)
    logits = model.forward(ids(B=2, T=10, V=34))
    assert logits.shape == (2, 10, 34) and logits.dtype == np.float32
    params = model.parameters()
    assert len({id(p) for p in params}) == len(params)  # each Param once: wte is tied, not copied
    assert hp.count_parameters(model) == gpt3.param_count(3, 32, vocab_size=34, n_ctx=16)
    assert all(p.data.dtype == np.float32 for p in params)
    assert isinstance(model.blocks, list) and len(model.blocks) == 3
    block = model.blocks[0]
    assert isinstance(block.mlp[1], hp.GELU) and block.mlp[1].approximate == "tanh"
    assert (block.mlp[0].in_features, block.mlp[0].out_features) == (32, 128)


def test_gpt2_initialization():
    L, d = 4, 256
    model = hp.GPT(50, 64, L, d, 4, seed=0)
    assert model.wte.weight.data.std() == pytest.approx(0.02, rel=0.05)
    assert model.wpe.weight.data.std() == pytest.approx(0.02, rel=0.05)
    resid = 0.02 / math.sqrt(2 * L)
    for block in model.blocks:
        assert block.attn.qkv.weight.data.std() == pytest.approx(0.02, rel=0.02)
        assert block.mlp[0].weight.data.std() == pytest.approx(0.02, rel=0.02)
        assert block.attn.proj.weight.data.std() == pytest.approx(resid, rel=0.02)
        assert block.mlp[2].weight.data.std() == pytest.approx(resid, rel=0.02)
        for lin in (block.attn.qkv, block.attn.proj, block.mlp[0], block.mlp[2]):
            assert not lin.bias.data.any()
        for ln in (block.ln_1, block.ln_2):
            assert (ln.weight.data == 1).all() and not ln.bias.data.any()
    assert (model.ln_f.weight.data == 1).all()


def test_same_seed_same_model_and_different_seed_different():
    a, b, c = hp.GPT(20, 8, 1, 16, 2, seed=5), hp.GPT(20, 8, 1, 16, 2, seed=5), \
        hp.GPT(20, 8, 1, 16, 2, seed=6)
    x = ids(V=20)
    np.testing.assert_array_equal(a.forward(x), b.forward(x))
    assert not np.allclose(a.forward(x), c.forward(x))


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="multiple of n_heads"):
        hp.GPT(10, 8, 1, 10, 3)
    with pytest.raises(ValueError, match="parametrization"):
        hp.GPT(10, 8, 1, 8, 2, parametrization="ntk")
    with pytest.raises(ValueError, match="base_d_model"):
        hp.GPT(10, 8, 1, 8, 2, parametrization="mup")
    with pytest.raises(ValueError, match="base_d_model"):
        hp.GPT(10, 8, 1, 8, 2, base_d_model=4)
    with pytest.raises(ValueError, match="n_ctx"):
        hp.GPT(10, 8, 1, 8, 2).forward(ids(T=9, V=10))
    with pytest.raises(ValueError, match="integer"):
        hp.GPT(10, 8, 1, 8, 2).forward(np.zeros((1, 3)))
    with pytest.raises(ValueError, match="indices"):
        hp.GPT(10, 8, 1, 8, 2).forward(np.full((1, 3), 10))
    with pytest.raises(ValueError, match="needs input"):
        hp.CausalSelfAttention(8, 2).forward(np.zeros((2, 3, 6), np.float32))
    with pytest.raises(ValueError, match="LayerNorm"):
        hp.LayerNorm(4).forward(np.zeros((2, 5)))
    with pytest.raises(ValueError, match="eps"):
        hp.LayerNorm(4, eps=0)
    with pytest.raises(ValueError, match="n_layers"):
        hp.TransformerBlock(8, 2, n_layers=0)


# ----------------------------------------------------------------------------- µP and groups


def test_mup_at_its_base_width_is_the_standard_model():
    sp = hp.GPT(20, 8, 2, 16, 2, seed=1)
    mup = hp.GPT(20, 8, 2, 16, 2, parametrization="mup", base_d_model=16, seed=1)
    x = ids(V=20)
    np.testing.assert_array_equal(sp.forward(x), mup.forward(x))
    assert [g.get("lr_scale", 1.0) for g in mup.optimizer_groups(0.1)] == [1.0, 1.0]


def test_mup_scales_what_table_8_scales():
    L, d, base, H = 2, 256, 64, 4
    sp, mup = hp.GPT(20, 8, L, d, H, seed=0), hp.GPT(20, 8, L, d, H, parametrization="mup",
                                                      base_d_model=base, seed=0)
    m = d / base
    assert mup.width_mult == m and mup.output_mult == pytest.approx(1 / m)
    # hidden matrices: std / sqrt(m); embeddings and the tied output unchanged
    for b_sp, b_mu in zip(sp.blocks, mup.blocks):
        for w_sp, w_mu in zip(b_sp.matrices(), b_mu.matrices()):
            np.testing.assert_allclose(w_mu.data, w_sp.data / math.sqrt(m), rtol=1e-6)
    np.testing.assert_array_equal(mup.wte.weight.data, sp.wte.weight.data)
    # attention: sqrt(base d_head) / d_head, a 1/d_head law
    assert mup.blocks[0].attn.scale == pytest.approx(math.sqrt(base / H) / (d / H))
    assert sp.blocks[0].attn.scale == pytest.approx(1 / math.sqrt(d / H))
    matrices, others = mup.optimizer_groups(0.1)
    assert matrices["lr_scale"] == pytest.approx(1 / m)
    assert matrices["weight_decay"] == pytest.approx(0.1 * m)  # lr * weight_decay unchanged
    assert others["weight_decay"] == 0.0 and "lr_scale" not in others


def test_optimizer_groups_decay_only_the_matrices():
    model = hp.GPT(20, 8, 2, 16, 2)
    matrices, others = model.optimizer_groups(0.1)
    assert len(matrices["params"]) == 4 * 2 and all(p.data.ndim == 2 for p in matrices["params"])
    assert model.wte.weight in others["params"] and model.wpe.weight in others["params"]
    assert all(p.data.ndim == 1 for p in others["params"][2:])
    assert len(matrices["params"]) + len(others["params"]) == len(model.parameters())
    opt = hp.AdamW(model.optimizer_groups(0.1), lr=0.01)
    before = [p.data.copy() for p in model.parameters()]
    opt.zero_grad()
    opt.step()  # zero gradients: only the decay acts
    decayed = {id(p) for p in matrices["params"]}
    for p, b in zip(model.parameters(), before):
        expected = b * (1 - 0.01 * 0.1) if id(p) in decayed else b
        np.testing.assert_allclose(p.data, expected, rtol=1e-6)


def test_mup_update_size_does_not_grow_with_width():
    """A coordinate check (mup's README): after a few Adam steps the logits move about as much
    at width 256 as at width 32 under µP; under standard parametrization they move more."""
    def logit_change(d, parametrization):
        base = 32 if parametrization == "mup" else None
        model = hp.GPT(16, 8, 2, d, 4, parametrization=parametrization, base_d_model=base,
                       seed=0)
        x, y = ids(B=8, T=8, V=16), ids(B=8, T=8, V=16, seed=1)
        start = model.forward(x).copy()
        opt = hp.Adam(model.optimizer_groups(0.0), lr=0.01)
        loss = hp.CrossEntropyLoss()
        for _ in range(3):
            loss.forward(model.forward(x), y)
            opt.zero_grad()
            model.backward(loss.backward())
            opt.step()
        return float(np.abs(model.forward(x) - start).mean())

    sp_growth = logit_change(256, "sp") / logit_change(32, "sp")
    mup_growth = logit_change(256, "mup") / logit_change(32, "mup")
    assert sp_growth > 3 and 0.5 < mup_growth < 2


# ----------------------------------------------------------------------------- against torch


def _bench_gpt():
    """benchmarks/bench_gpt.py, whose torch_model is the same GPT written with torch.nn."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_gpt.py"
    spec = importlib.util.spec_from_file_location("bench_gpt", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def torch_gpt(torch, model):
    """The same GPT written with torch.nn (the benchmark's), its weights copied from `model`,
    in float64. Returns the net and, per parameter, whether torch stores it transposed."""
    net = _bench_gpt().torch_model(model.d_model, model.n_heads, len(model.blocks), model.n_ctx,
                                   vocab=model.vocab_size).double()
    named = list(net.named_parameters())
    transposed = [q.ndim == 2 and not name.startswith("w") for name, q in named]  # (out, in)
    with torch.no_grad():
        for (_, q), p, tr in zip(named, model.parameters(), transposed, strict=True):
            q.copy_(torch.from_numpy(p.data.T if tr else p.data))
    return net, transposed


def test_gpt_matches_torch_to_float64_precision():
    torch = pytest.importorskip("torch", reason=TORCH_REASON)
    model = jitter(hp.GPT(11, 8, 2, 16, 4, seed=1, dtype=F64), scale=0.05)
    net, transposed = torch_gpt(torch, model)
    x, y = ids(B=3, T=7, V=11), ids(B=3, T=7, V=11, seed=2)
    loss = hp.CrossEntropyLoss()
    value = loss.forward(model.forward(x), y)
    model.backward(loss.backward())
    t_logits = net(torch.from_numpy(x))
    t_loss = F_cross_entropy(torch, t_logits, y)
    t_loss.backward()
    np.testing.assert_allclose(model.forward(x), t_logits.detach().numpy(), rtol=1e-12,
                               atol=1e-13)
    assert value == pytest.approx(t_loss.item(), rel=1e-13)
    for p, (_, q), tr in zip(model.parameters(), net.named_parameters(), transposed):
        g = q.grad.numpy().T if tr else q.grad.numpy()
        assert hp.rel_error(p.grad, g) < 1e-12


def F_cross_entropy(torch, logits, y):
    return torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]),
                                             torch.from_numpy(y).reshape(-1))


def test_layernorm_and_attention_match_torch():
    torch = pytest.importorskip("torch", reason=TORCH_REASON)
    ln = jitter(hp.LayerNorm(6, dtype=F64))
    t_ln = torch.nn.LayerNorm(6).double()
    with torch.no_grad():
        t_ln.weight.copy_(torch.from_numpy(ln.weight.data))
        t_ln.bias.copy_(torch.from_numpy(ln.bias.data))
    x = rand(3, 4, 6, scale=2.0)
    np.testing.assert_allclose(ln.forward(x), t_ln(torch.from_numpy(x)).detach().numpy(),
                               rtol=1e-12, atol=1e-12)
    attn = jitter(hp.CausalSelfAttention(8, 2, seed=2, dtype=F64), scale=0.3)
    t_attn = torch.nn.MultiheadAttention(8, 2, batch_first=True).double()
    with torch.no_grad():
        t_attn.in_proj_weight.copy_(torch.from_numpy(attn.qkv.weight.data.T))
        t_attn.in_proj_bias.copy_(torch.from_numpy(attn.qkv.bias.data))
        t_attn.out_proj.weight.copy_(torch.from_numpy(attn.proj.weight.data.T))
        t_attn.out_proj.bias.copy_(torch.from_numpy(attn.proj.bias.data))
    x = rand(2, 5, 8)
    tx = torch.from_numpy(x)
    mask = torch.triu(torch.ones(5, 5, dtype=torch.bool), diagonal=1)
    expected = t_attn(tx, tx, tx, attn_mask=mask, need_weights=False)[0]
    np.testing.assert_allclose(attn.forward(x), expected.detach().numpy(), rtol=1e-11,
                               atol=1e-12)


def test_a_training_step_matches_torch_adamw_with_groups():
    torch = pytest.importorskip("torch", reason=TORCH_REASON)
    model = jitter(hp.GPT(11, 8, 2, 16, 4, seed=1, dtype=F64), scale=0.05)
    net, _ = torch_gpt(torch, model)
    groups = model.optimizer_groups(0.1)
    opt = hp.AdamW(groups, lr=1e-2, beta2=0.95)
    ours_to_theirs = dict(zip((id(p) for p in model.parameters()), net.parameters()))
    t_opt = torch.optim.AdamW([{"params": [ours_to_theirs[id(p)] for p in g["params"]],
                                "weight_decay": g["weight_decay"]} for g in groups],
                              lr=1e-2, betas=(0.9, 0.95))
    loss = hp.CrossEntropyLoss()
    for step in range(3):
        x, y = ids(B=3, T=8, V=11, seed=10 + step), ids(B=3, T=8, V=11, seed=20 + step)
        loss.forward(model.forward(x), y)
        opt.zero_grad()
        model.backward(loss.backward())
        opt.step()
        t_opt.zero_grad()
        F_cross_entropy(torch, net(torch.from_numpy(x)), y).backward()
        t_opt.step()
    np.testing.assert_allclose(model.forward(x), net(torch.from_numpy(x)).detach().numpy(),
                               rtol=1e-9, atol=1e-11)
