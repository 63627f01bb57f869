"""The 2-D test surfaces, the trajectory runner and the notebook-06 widget (helpers/surfaces.py)."""

import numpy as np
import pytest

import helpers as hp
from helpers.surfaces import (
    OPTIMIZER_NAMES,
    SURFACES,
    OptimizerPathDemo,
    distance_to_minimum,
    diverged,
    make_optimizer,
    run_optimizer,
    steps_to_reach,
)

POINTS = [(-1.3, 0.7), (0.4, -1.1), (1.7, 2.2)]


@pytest.mark.parametrize("name", list(SURFACES))
@pytest.mark.parametrize("point", POINTS)
def test_gradient_matches_finite_differences(name, point):
    surface = SURFACES[name]()
    xy = np.array(point, np.float64)
    numeric = hp.numerical_gradient(lambda: float(surface(xy)), xy, h=1e-6)
    assert hp.rel_error(surface.grad(xy), numeric) < 1e-7


@pytest.mark.parametrize("name", list(SURFACES))
def test_minima_are_stationary_with_the_stated_value(name):
    surface = SURFACES[name]()
    for m in surface.minimum:
        assert np.allclose(surface.grad(m), 0)
        assert surface(m) == pytest.approx(surface.f_min)


def test_surfaces_are_vectorised_over_leading_axes():
    surface = SURFACES["rosenbrock"]()
    grid = np.random.default_rng(0).normal(size=(4, 5, 2))
    assert surface(grid).shape == (4, 5)
    assert surface.grad(grid).shape == (4, 5, 2)
    assert np.allclose(surface.grad(grid)[2, 3], surface.grad(grid[2, 3]))


def test_run_optimizer_uses_the_real_step():
    # one SGD step from the start is start - lr * grad(start)
    quad = SURFACES["quadratic"]()
    path = run_optimizer(quad, lambda ps: hp.SGD(ps, lr=0.01), steps=1)
    start = np.array(quad.start)
    assert path.shape == (2, 2)
    assert np.allclose(path[1], start - 0.01 * quad.grad(start))


def test_divergence_stops_the_run():
    quad = SURFACES["quadratic"]()  # kappa = 25: SGD is stable only for lr < 0.08
    path = run_optimizer(quad, lambda ps: hp.SGD(ps, lr=0.1), steps=500)
    assert diverged(path, 500) and np.all(np.isfinite(path))
    ok = run_optimizer(quad, lambda ps: hp.SGD(ps, lr=0.05), steps=500)
    assert not diverged(ok, 500) and steps_to_reach(quad, ok, tol=1e-6) is not None


def test_steps_to_reach_and_distance():
    saddle = SURFACES["saddle"]()
    path = np.array([[-2.0, 0.0], [0.0, 0.5], [0.0, 1.0]])
    assert steps_to_reach(saddle, path, tol=1e-9) == 2
    assert steps_to_reach(saddle, path[:2], tol=1e-9) is None
    assert distance_to_minimum(saddle, (0.0, -0.9)) == pytest.approx(0.1)


def test_make_optimizer_builds_every_name_with_its_knobs():
    p = [hp.Param(np.zeros(2))]
    for name in OPTIMIZER_NAMES:
        assert make_optimizer(name, p, lr=0.1) is not None
    assert make_optimizer("Nesterov", p, lr=0.1, momentum=0.5).nesterov
    assert make_optimizer("AdamW", p, lr=0.1).weight_decay == 0.01  # torch's default kept
    assert make_optimizer("RMSprop", p, lr=0.1, alpha=0.9).alpha == 0.9
    with pytest.raises(ValueError, match="optimizer"):
        make_optimizer("LBFGS", p, lr=0.1)


def test_demo_reports_divergence_and_success():
    demo = OptimizerPathDemo()
    c = demo.controls
    c["optimizer"].value, c["lr"].value = "SGD", 0.1
    assert demo.result["diverged"] and "diverged" in demo.status.value
    c["lr"].value = 0.05
    assert demo.result["steps_to_min"] is not None
    c["surface"].value = "rosenbrock"
    assert demo.image.value[:4] == b"\x89PNG"
