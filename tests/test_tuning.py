"""helpers.tuning: each search finds the optimum of a cheap function, seeds make runs
repeat, Halton is even, the GP interpolates, EI is never negative, NaN trials are failures."""

import math

import numpy as np
import pytest

from helpers import tuning as tu
from helpers.layers import Linear
from helpers.losses import MSELoss

SPACE = tu.SearchSpace(lr=tu.Dim(1e-4, 1.0, log=True), dropout=tu.Dim(0.0, 0.8))
OPT_LR, OPT_DROPOUT = 1e-2, 0.3


def bowl(config, budget=None):
    """Minimum 0 at lr = 1e-2, dropout = 0.3; a larger budget only lowers a noise-free offset."""
    offset = 0.0 if budget is None else 1.0 / budget
    return ((math.log10(config["lr"]) - math.log10(OPT_LR)) / 4) ** 2 \
        + (config["dropout"] - OPT_DROPOUT) ** 2 / 0.64 + offset - (0.0 if budget is None
                                                                   else 1.0 / 9)


def bowl_that_diverges(config, budget=None):
    """The bowl, but NaN (a diverged run) for lr > 0.1."""
    return math.nan if config["lr"] > 0.1 else bowl(config, budget)


def test_dim_log_maps_unit_interval_to_decades():
    d = tu.Dim(1e-4, 1.0, log=True)
    assert np.allclose(d.from_unit([0, 0.5, 1]), [1e-4, 1e-2, 1.0])
    assert np.allclose(d.to_unit(d.from_unit([0.1, 0.7])), [0.1, 0.7])
    w = tu.Dim(4, 64, log=True, integer=True)
    assert w.from_unit(0.5) == 16
    cfg = tu.SearchSpace(width=w).from_unit([0.37])
    assert isinstance(cfg["width"], int)


def test_dim_rejects_bad_ranges():
    with pytest.raises(ValueError):
        tu.Dim(1.0, 1.0)
    with pytest.raises(ValueError):
        tu.Dim(0.0, 1.0, log=True)


@pytest.mark.parametrize("name", list(tu.METHODS))
def test_each_method_finds_the_bowls_minimum(name):
    study = tu.METHODS[name](bowl, SPACE, 40, seed=0)
    assert len(study) <= 40
    assert study.best.value < 0.02, (name, study.best)


def test_grid_search_uses_a_full_grid():
    study = tu.grid_search(bowl, SPACE, 10, seed=0)
    assert len(study) == 9  # 3 x 3
    assert len({t.config["lr"] for t in study.trials}) == 3


def test_successive_halving_and_hyperband_find_the_minimum_and_count_epochs():
    sh = tu.successive_halving(bowl, SPACE, 27, min_budget=1, max_budget=9, eta=3, seed=0)
    assert list(np.unique(sh.budgets, return_counts=True)[1]) == [27, 9, 3]
    assert sh.budgets.sum() == 27 + 27 + 27
    hb = tu.hyperband(bowl, SPACE, max_budget=9, eta=3, seed=0)
    assert hb.best.value < 0.02
    limited = tu.hyperband_with_budget(bowl, SPACE, 100, max_budget=9, seed=0)
    assert limited.budgets.sum() <= 100


@pytest.mark.parametrize("name", [*tu.METHODS, "Hyperband"])
def test_seeds_make_runs_repeat(name):
    a = tu.run_method(name, bowl, SPACE, 12, seed=3, max_budget=9)
    b = tu.run_method(name, bowl, SPACE, 12, seed=3, max_budget=9)
    c = tu.run_method(name, bowl, SPACE, 12, seed=4, max_budget=9)
    assert np.array_equal(a.units, b.units)
    if name != "grid" or len(c) > 1:
        assert not np.array_equal(a.units, c.units) or name == "grid" and len(a) == 1


@pytest.mark.parametrize("name", [*tu.METHODS, "Hyperband"])
def test_nan_trials_are_failures_not_crashes(name):
    study = tu.run_method(name, bowl_that_diverges, SPACE, 30, seed=0, max_budget=9)
    assert study.n_failed > 0
    assert math.isfinite(study.best.value)
    assert np.all(np.isfinite(study.best_so_far()[-1:]))
    assert study.best.config["lr"] <= 0.1


def test_all_failed_study_has_no_best():
    study = tu.random_search(lambda c: math.nan, SPACE, 3, seed=0)
    assert study.best is None and study.n_failed == 3
    assert np.all(np.isinf(study.best_so_far()))


def test_halton_is_in_unit_cube_and_more_even_than_random():
    h = tu.halton(256, 3)
    assert h.shape == (256, 3) and h.min() >= 0 and h.max() < 1
    assert np.allclose(tu.halton(4, 1)[:, 0], [0.5, 0.25, 0.75, 0.125])
    shifted = tu.halton(256, 3, seed=1)
    assert shifted.min() >= 0 and shifted.max() < 1
    rng = np.random.default_rng(0)
    d_random = np.mean([tu.discrepancy(rng.random((128, 2))) for _ in range(10)])
    assert tu.discrepancy(tu.halton(128, 2)) < 0.5 * d_random


def test_gp_interpolates_its_training_points():
    rng = np.random.default_rng(0)
    X = rng.random((8, 2))
    y = np.sin(3 * X[:, 0]) + X[:, 1] ** 2
    gp = tu.GaussianProcess(length_scale=0.5, noise=1e-8).fit(X, y)
    mu, sd = gp.predict(X)
    assert np.allclose(mu, y, atol=1e-4)
    assert np.all(sd < 1e-2)
    _, sd_far = gp.predict(np.array([[5.0, 5.0]]))
    assert sd_far[0] > 0.9 * y.std()


def test_gp_fitted_hyperparameters_come_from_the_grid():
    X = np.linspace(0, 1, 10)[:, None]
    gp = tu.GaussianProcess().fit(X, np.sin(6 * X[:, 0]))
    assert gp.length_scale in tu.GaussianProcess.LENGTH_SCALES
    assert gp.noise in tu.GaussianProcess.NOISES


def test_expected_improvement_is_nonnegative_and_matches_its_formula():
    rng = np.random.default_rng(0)
    mu, sd = rng.normal(size=500), rng.random(500) * 2
    sd[:10] = 0.0
    ei = tu.expected_improvement(mu, sd, best=0.0)
    assert np.all(ei >= 0)
    assert np.allclose(ei[:10], np.maximum(-mu[:10], 0))
    # Monte Carlo check of E[max(best - f, 0)]
    f = 0.3 + 0.5 * rng.standard_normal(200_000)
    mc = np.maximum(0.0 - f, 0).mean()
    assert np.isclose(tu.expected_improvement(0.3, 0.5, 0.0), mc, rtol=0.03)


def test_sgdhd_raises_the_lr_when_gradients_agree():
    layer = Linear(1, 1, init="zeros", bias=False)
    X = np.ones((4, 1), np.float32)
    y = np.full((4, 1), 10.0, np.float32)
    opt = tu.SGDHD(layer.parameters(), lr=1e-3, hypergrad_lr=1e-3)
    loss = MSELoss()
    for _ in range(20):
        opt.zero_grad()
        loss.forward(layer.forward(X), y)
        layer.backward(loss.backward())
        opt.step()
    assert opt.lr > 1e-3  # far from the target, successive gradients point the same way


def test_digits_objective_is_fast_deterministic_and_keeps_test_apart():
    obj = tu.DigitsObjective(n_train=100, n_val=100, epochs=2)
    cfg = {"lr": 0.1, "width": 8, "l2": 1e-4, "dropout": 0.1}
    assert obj(cfg) == obj(cfg)
    assert 0 <= obj(cfg) <= 1
    assert len(obj.X_test) == 1797 - 200
    assert obj.calls == 3


def test_tuning_widget_reruns_the_search_on_change():
    ui, update, state = tu.tuning_widget(bowl, SPACE, x="lr", y="dropout", vmax=1.0)
    assert state["study"].method == "random" and len(state["study"]) == 20
    state["method"].value = "grid"
    assert len(state["study"]) == 16
    state["n_trials"].value = 9
    assert len(state["study"]) == 9 and len(state["image"].value) > 1000
    assert "best validation error" in state["status"].value


@pytest.mark.parametrize("call, name", [
    (lambda: tu.successive_halving(bowl, SPACE, 9, min_budget=0, max_budget=9), "min_budget"),
    (lambda: tu.successive_halving(bowl, SPACE, 9, min_budget=3, max_budget=1), "max_budget"),
    (lambda: tu.hyperband(bowl, SPACE, max_budget=0), "max_budget"),
    (lambda: tu.hyperband(bowl, SPACE, max_budget=0.5), "max_budget"),
    (lambda: tu.hyperband_with_budget(bowl, SPACE, 0, max_budget=9), "total_budget"),
    (lambda: tu.evolution(bowl, SPACE, 10, mu=0), "mu"),
    (lambda: tu.evolution(bowl, SPACE, 10, lam=0), "lam"),
    (lambda: tu.evolution(bowl, SPACE, 10, sigma=-0.1), "sigma"),
    (lambda: tu.zoom_search(bowl, SPACE, 10, shrink=3), "shrink"),
    (lambda: tu.zoom_search(bowl, SPACE, 10, shrink=0), "shrink"),
    (lambda: tu.bayes_opt(bowl, SPACE, 10, n_init=0), "n_init"),
    (lambda: tu.bayes_opt(bowl, SPACE, 10, n_candidates=0), "n_candidates"),
    (lambda: tu.bayes_opt(bowl, SPACE, 10, xi=-1), "xi"),
    (lambda: tu.run_method("Hyperband", bowl, SPACE, 10), "max_budget"),
    (lambda: tu.run_method("random", bowl, SPACE, 0), "n_trials"),
    (lambda: tu.run_method("random", bowl, SPACE, 5, max_budget=-1), "max_budget"),
    (lambda: tu.run_method("simulated annealing", bowl, SPACE, 5), "method"),
    (lambda: tu.DigitsObjective(n_train=2000), "n_train"),
    (lambda: tu.DigitsObjective(n_train=1000, n_val=797), "n_val"),
    (lambda: tu.DigitsObjective(epochs=0), "epochs"),
    (lambda: tu.plot_best_so_far(tu.random_search(bowl, SPACE, 2), by="epochs"), "by"),
])
def test_bad_arguments_raise_value_errors_naming_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_smallest_valid_arguments_still_run():
    assert len(tu.bayes_opt(bowl, SPACE, 3, n_init=1, n_candidates=1)) == 3
    assert len(tu.evolution(bowl, SPACE, 5, mu=1, lam=1)) == 5
    assert len(tu.hyperband(bowl, SPACE, max_budget=1)) == 1
    obj = tu.DigitsObjective(n_train=1000, n_val=796, epochs=1)
    assert len(obj.X_test) == 1
