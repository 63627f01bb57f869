"""Parameter groups of the optimizers (helpers.optimizers): lr_scale and per-group weight decay,
checked by hand and against torch.optim's param_groups when torch is installed."""

import numpy as np
import pytest

import helpers as hp


def params(*values):
    return [hp.Param(np.array([v], np.float64)) for v in values]


def step_with_grad(opt, grad):
    opt.zero_grad()
    for p in opt.params:
        p.grad[:] = grad
    opt.step()


def test_a_plain_list_is_one_group_and_behaves_as_before():
    a, b = params(1.0, 2.0)
    opt = hp.SGD([a, b], lr=0.1)
    assert len(opt.param_groups) == 1 and opt.params == [a, b]
    step_with_grad(opt, 0.5)
    assert (a.data[0], b.data[0]) == pytest.approx((0.95, 1.95))


def test_lr_scale_multiplies_the_learning_rate_and_follows_a_schedule():
    a, b = params(1.0, 1.0)
    opt = hp.SGD([{"params": [a]}, {"params": [b], "lr_scale": 0.5}], lr=0.1)
    step_with_grad(opt, 1.0)
    assert (a.data[0], b.data[0]) == pytest.approx((0.9, 0.95))
    opt.lr = 0.2  # a schedule sets opt.lr: every group follows, each with its scale
    step_with_grad(opt, 1.0)
    assert (a.data[0], b.data[0]) == pytest.approx((0.7, 0.85))
    assert opt.lr == 0.2  # restored after the step


def test_adamw_decays_only_the_group_that_asks():
    decayed, kept = params(1.0, 1.0)
    opt = hp.AdamW([{"params": [decayed], "weight_decay": 0.1},
                    {"params": [kept], "weight_decay": 0.0}], lr=0.01)
    step_with_grad(opt, 0.0)  # zero gradient: only the decay moves a weight
    assert decayed.data[0] == pytest.approx(1 - 0.01 * 0.1)
    assert kept.data[0] == 1.0
    assert opt.weight_decay == 0.01  # the optimizer's own value is untouched


def test_groups_are_checked():
    a, b = params(1.0, 2.0)
    with pytest.raises(ValueError, match="allowed: 'params'"):
        hp.AdamW([{"params": [a], "weight_decy": 0.1}])
    with pytest.raises(ValueError, match="allowed"):
        hp.RMSprop([{"params": [a], "weight_decay": 0.1}])  # RMSprop has no weight decay
    with pytest.raises(ValueError, match="twice"):
        hp.SGD([{"params": [a]}, {"params": [a, b]}])
    with pytest.raises(ValueError, match="lr_scale"):
        hp.SGD([{"params": [a], "lr_scale": -1.0}])
    with pytest.raises(ValueError, match="lr_scale"):
        hp.SGD([{"params": [a], "lr_scale": "big"}])
    with pytest.raises(ValueError, match="all Params or all dicts"):
        hp.SGD([a, {"params": [b]}])
    with pytest.raises(ValueError, match="empty"):
        hp.SGD([{"params": []}])


def test_a_diverging_update_does_not_leave_the_group_lr_behind():
    class Boom(hp.SGD):
        def _update(self, p, state):
            raise FloatingPointError("boom")

    (a,) = params(1.0)
    opt = Boom([{"params": [a], "lr_scale": 0.5}], lr=0.1)
    with pytest.raises(FloatingPointError):
        opt.step()
    assert opt.lr == 0.1


def test_adamw_groups_against_torch_when_installed():
    torch = pytest.importorskip("torch", reason="torch not installed (optional: see the README, "
                                                "Benchmark)")
    rng = np.random.default_rng(0)
    w = rng.standard_normal((2, 4))
    grads = rng.standard_normal((5, 2, 4))
    ours = [hp.Param(w[0].copy()), hp.Param(w[1].copy())]
    opt = hp.AdamW([{"params": [ours[0]], "weight_decay": 0.1, "lr_scale": 0.25},
                    {"params": [ours[1]], "weight_decay": 0.0}], lr=0.01, beta2=0.95)
    theirs = [torch.nn.Parameter(torch.tensor(w[i].copy())) for i in range(2)]
    topt = torch.optim.AdamW([{"params": [theirs[0]], "weight_decay": 0.1, "lr": 0.0025},
                              {"params": [theirs[1]], "weight_decay": 0.0}], lr=0.01,
                             betas=(0.9, 0.95))
    for g in grads:
        opt.zero_grad()
        for i, p in enumerate(ours):
            p.grad[:] = g[i]
        opt.step()
        topt.zero_grad()
        for i, p in enumerate(theirs):
            p.grad = torch.tensor(g[i])
        topt.step()
    for p, q in zip(ours, theirs):
        np.testing.assert_allclose(p.data, q.detach().numpy(), rtol=1e-10, atol=1e-12)
