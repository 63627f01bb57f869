"""Each optimizer's first steps against values worked out by hand (theta = 1, g = 0.5)."""

import numpy as np
import pytest

import helpers as hp


def one_param(value=1.0):
    return hp.Param(np.array([value], np.float64))


def run(opt_cls, steps=1, grad=0.5, **kw):
    p = one_param()
    opt = opt_cls([p], **kw)
    values = []
    for _ in range(steps):
        opt.zero_grad()
        p.grad[:] = grad
        opt.step()
        values.append(float(p.data[0]))
    return values


def test_sgd():
    assert run(hp.SGD, lr=0.1) == pytest.approx([0.95])


def test_sgd_momentum_first_step_uses_the_gradient_itself():
    # b1 = g = 0.5; b2 = 0.9 * 0.5 + 0.5 = 0.95
    assert run(hp.SGD, steps=2, lr=0.1, momentum=0.9) == pytest.approx([0.95, 0.855])


def test_sgd_nesterov():
    # step 1: g + mu b = 0.5 + 0.45 = 0.95; step 2: b = 0.95, g + mu b = 0.5 + 0.855
    assert run(hp.SGD, steps=2, lr=0.1, momentum=0.9, nesterov=True) == pytest.approx(
        [0.905, 0.7695])


def test_sgd_weight_decay():
    assert run(hp.SGD, lr=0.1, weight_decay=0.1) == pytest.approx([1 - 0.1 * 0.6])


def test_rmsprop():
    # v = 0.01 * 0.25 = 0.0025, sqrt = 0.05; step = 0.5 / 0.05 = 10
    assert run(hp.RMSprop, lr=0.01) == pytest.approx([0.9], rel=1e-6)
    # with momentum 0.9: b1 = 10; v2 = 0.99 * 0.0025 + 0.0025, b2 = 0.9 * 10 + 0.5 / sqrt(v2)
    v2 = 0.99 * 0.0025 + 0.01 * 0.25
    b2 = 0.9 * 10 + 0.5 / np.sqrt(v2)
    assert run(hp.RMSprop, steps=2, lr=0.01, momentum=0.9) == pytest.approx(
        [0.9, 0.9 - 0.01 * b2], rel=1e-6)


def test_adagrad():
    # s1 = 0.25 -> step 1; s2 = 0.5 -> step 0.5 / sqrt(0.5)
    assert run(hp.Adagrad, steps=2, lr=0.01) == pytest.approx(
        [0.99, 0.99 - 0.01 * 0.5 / np.sqrt(0.5)], rel=1e-9)


def test_adam_bias_correction_makes_the_first_step_lr_sized():
    # m = 0.05, v = 0.00025; m_hat = 0.5, v_hat = 0.25: step = lr * 0.5 / (0.5 + eps)
    for g in (0.5, 1e-4, 30.0):
        assert run(hp.Adam, lr=1e-3, grad=g) == pytest.approx([1 - 1e-3 * g / (g + 1e-8)])


def test_adam_second_step():
    # constant gradient: m_hat and v_hat stay g and g^2, so each step is lr
    assert run(hp.Adam, steps=2, lr=0.1) == pytest.approx([0.9, 0.8], rel=1e-6)


def test_adam_l2_vs_adamw_decoupled():
    # Adam: g = 0.5 + 0.1 * 1 = 0.6, step still ~ lr (L2 is rescaled away)
    assert run(hp.Adam, lr=0.1, weight_decay=0.1) == pytest.approx([0.9], rel=1e-6)
    # AdamW: theta (1 - lr wd) = 0.99, then the Adam step of 0.1
    assert run(hp.AdamW, lr=0.1, weight_decay=0.1) == pytest.approx([0.89], rel=1e-6)
    assert hp.AdamW([one_param()]).weight_decay == 0.01


def test_lr_can_be_changed_between_steps():
    p = one_param()
    opt = hp.SGD([p], lr=0.1)
    p.grad[:] = 1.0
    opt.step()
    opt.lr = 0.01
    opt.step()
    assert p.data[0] == pytest.approx(1 - 0.1 - 0.01)


def test_clip_grad_norm():
    a, b = one_param(), one_param()
    a.grad[:], b.grad[:] = 3.0, 4.0
    assert hp.clip_grad_norm_([a, b], 1.0) == pytest.approx(5.0)
    assert (a.grad[0], b.grad[0]) == pytest.approx((0.6, 0.8), rel=1e-5)
    assert hp.clip_grad_norm_([a, b], 10.0) == pytest.approx(1.0, rel=1e-5)
    assert (a.grad[0], b.grad[0]) == pytest.approx((0.6, 0.8), rel=1e-5)



def _torch():
    try:
        import torch as t
    except ImportError:
        pytest.skip("torch not installed (optional: see the README, Benchmark)")
    return t


@pytest.mark.parametrize("name, ours, theirs", [
    ("sgd", lambda p: hp.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01),
     lambda t, p: t.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)),
    ("rmsprop", lambda p: hp.RMSprop(p, lr=0.01, momentum=0.5),
     lambda t, p: t.optim.RMSprop(p, lr=0.01, momentum=0.5, eps=1e-8)),
    ("adagrad", lambda p: hp.Adagrad(p, lr=0.1), lambda t, p: t.optim.Adagrad(p, lr=0.1)),
    ("adam", lambda p: hp.Adam(p, lr=0.01, weight_decay=0.1),
     lambda t, p: t.optim.Adam(p, lr=0.01, weight_decay=0.1)),
    ("adamw", lambda p: hp.AdamW(p, lr=0.01, beta2=0.95),
     lambda t, p: t.optim.AdamW(p, lr=0.01, betas=(0.9, 0.95))),
])
def test_against_torch_when_installed(name, ours, theirs):
    t = _torch()
    rng = np.random.default_rng(0)
    w0 = rng.standard_normal(5)
    grads = rng.standard_normal((6, 5))
    p = hp.Param(w0.copy())
    opt = ours([p])
    tp = t.nn.Parameter(t.tensor(w0.copy(), dtype=t.float64))
    topt = theirs(t, [tp])
    for g in grads:
        opt.zero_grad()
        p.grad[:] = g
        opt.step()
        topt.zero_grad()
        tp.grad = t.tensor(g, dtype=t.float64)
        topt.step()
    np.testing.assert_allclose(p.data, tp.detach().numpy(), rtol=1e-10, atol=1e-12)
