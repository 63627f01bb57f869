"""Which hyperparameter mattered? A functional-ANOVA estimate on a GP surrogate (notebook 12).

fANOVA (Hutter, Hoos & Leyton-Brown, ICML 2014) splits the variance of the objective over the
search space into the parts due to each hyperparameter alone (main effects) and to their
interactions. Its paper fits a random forest; we fit the course's Gaussian process to the
trials (unit cube in, value out) and average its mean numerically:

    f_i(x_i) = E_{x_-i}[ f(x) ]          the main effect of hyperparameter i (a curve)
    V_i = Var_{x_i}[ f_i(x_i) ],  V = Var_x[ f(x) ],   importance_i = V_i / sum_j V_j

Expectations are over the uniform distribution of the unit cube, i.e. log-uniform on log
dimensions: importance is relative to the search space you chose.
"""

import numpy as np

from ..validation import check_int
from .methods import halton
from .surrogate import GaussianProcess


def main_effects(study, *, n_base=128, n_grid=16, seed=0):
    """Fit a GP to the finite trials; return (grid, effects, total_variance):
    grid (n_grid,) in [0, 1], effects (d, n_grid) = f_i on the grid, total_variance = V."""
    n_base = check_int("n_base", n_base, low=2)
    n_grid = check_int("n_grid", n_grid, low=2)
    ok = [t for t in study.trials if not t.failed]
    if len(ok) < 3:
        raise ValueError(f"main_effects needs at least 3 finite trials, got {len(ok)}")
    X = np.array([t.u for t in ok])
    gp = GaussianProcess().fit(X, np.array([t.value for t in ok]))
    d = X.shape[1]
    base = halton(n_base, d, seed=seed)          # the other coordinates, spread evenly
    grid = (np.arange(n_grid) + 0.5) / n_grid
    effects = np.empty((d, n_grid))
    for i in range(d):
        pts = np.repeat(base[None], n_grid, axis=0)   # (n_grid, n_base, d)
        pts[:, :, i] = grid[:, None]
        effects[i] = gp.posterior_mean(pts.reshape(-1, d)).reshape(n_grid, n_base).mean(axis=1)
    total = float(gp.posterior_mean(base).var())
    return grid, effects, total


def importance(study, *, n_base=128, n_grid=16, seed=0):
    """{name: V_i / sum_j V_j}, largest first: each hyperparameter's share of the main-effect
    variance of the GP fitted to the study's trials (shares add up to 1)."""
    _, effects, _ = main_effects(study, n_base=n_base, n_grid=n_grid, seed=seed)
    v = effects.var(axis=1)
    share = v / v.sum() if v.sum() > 0 else np.full(len(v), 1.0 / len(v))
    pairs = sorted(zip(study.space.names, share.tolist()), key=lambda p: -p[1])
    return dict(pairs)
