"""The search methods, each from scratch (notebook 12).

Every method minimises `objective(config) -> float` over a `SearchSpace`, works in the unit
cube and returns a `Study`:
    grid_search, random_search, quasi_random_search (Halton), bayes_opt (GP + expected
    improvement), successive_halving, hyperband (budget = epochs), evolution ((mu + lambda)),
    zoom_search (manual coarse-to-fine); run_method runs one by name at an equal budget.
"""

import math

import numpy as np

from ..validation import check_int, check_nonnegative, check_number, check_positive, check_rng
from .space import Study, _ranked
from .surrogate import GaussianProcess, expected_improvement

# ---------------------------------------------------------------------------- grid, random, Halton


def grid_search(objective, space, n_trials, *, seed=0):
    """k points per dimension (k = floor(n_trials^(1/d)), cell centres (i + 0.5)/k), all k^d
    combinations, run in a random order (seeded) so that a partial grid is not lopsided."""
    n_trials = check_int("n_trials", n_trials, low=1)
    d = len(space)
    k = max(1, int(math.floor(n_trials ** (1 / d) + 1e-9)))
    axis = (np.arange(k) + 0.5) / k
    points = np.stack(np.meshgrid(*[axis] * d, indexing="ij"), axis=-1).reshape(-1, d)
    points = points[check_rng(seed).permutation(len(points))]
    study = Study(space, "grid")
    for u in points:
        study.evaluate(objective, u)
    return study


def random_search(objective, space, n_trials, *, seed=0):
    """Independent uniform points of the unit cube: log-uniform on log dimensions."""
    n_trials = check_int("n_trials", n_trials, low=1)
    rng = check_rng(seed)
    study = Study(space, "random")
    for _ in range(n_trials):
        study.evaluate(objective, rng.random(len(space)))
    return study


PRIMES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37)


def van_der_corput(n, base):
    """The first n radical inverses in `base`: 1/2, 1/4, 3/4, ... for base 2 (starting at i=1)."""
    out = np.zeros(n)
    for j, i in enumerate(range(1, n + 1)):
        f, x = 1.0, 0.0
        while i > 0:
            f /= base
            x += f * (i % base)
            i //= base
        out[j] = x
    return out


def halton(n, d, *, seed=None):
    """n points of the d-dimensional Halton sequence in [0, 1)^d (one prime base per axis).

    seed: None for the plain sequence; an int adds a random shift modulo 1 (a Cranley-Patterson
    rotation), which keeps the even spread but gives a different set for each seed.
    """
    n, d = check_int("n", n, low=0), check_int("d", d, low=1, high=len(PRIMES))
    points = np.column_stack([van_der_corput(n, PRIMES[j]) for j in range(d)]) if n else \
        np.zeros((0, d))
    if seed is not None:
        points = (points + check_rng(seed).random(d)) % 1.0
    return points


def discrepancy(points):
    """Star discrepancy estimated on the points' own corners: the largest gap between the
    fraction of points in a box [0, x) and that box's volume (lower = more even)."""
    points = np.asarray(points, dtype=float)
    n = len(points)
    corners = np.vstack([points, np.minimum(points + 1e-12, 1.0)])
    inside_open = (points[None, :, :] < corners[:, None, :]).all(axis=2).mean(axis=1)
    inside_closed = (points[None, :, :] <= corners[:, None, :]).all(axis=2).mean(axis=1)
    volume = corners.prod(axis=1)
    return float(max(np.max(np.abs(inside_open - volume)), np.max(np.abs(inside_closed - volume)),
                     1.0 / n))


def quasi_random_search(objective, space, n_trials, *, seed=0):
    """Halton points (randomly shifted by seed): random search without the clumps and holes."""
    n_trials = check_int("n_trials", n_trials, low=1)
    study = Study(space, "quasi-random")
    for u in halton(n_trials, len(space), seed=seed):
        study.evaluate(objective, u)
    return study


# ---------------------------------------------------------------------------- Bayesian optimization


def bayes_opt(objective, space, n_trials, *, n_init=5, n_candidates=1000, xi=0.01, seed=0,
              callback=None):
    """Bayesian optimisation: n_init Halton points, then each trial at the maximiser of EI
    under a GP fitted to all trials so far (EI maximised over random + near-best candidates).

    xi: how much improvement counts, in units of the observed values' standard deviation.
    Failed trials are given the worst value seen, so the GP learns to avoid them.
    callback(study, gp, candidates, ei) is called before each GP-chosen trial (for plots).
    """
    n_trials = check_int("n_trials", n_trials, low=1)
    n_init = check_int("n_init", n_init, low=1)
    n_candidates = check_int("n_candidates", n_candidates, low=1)
    xi = check_nonnegative("xi", xi)
    rng = check_rng(seed)
    d = len(space)
    study = Study(space, "Bayesian (GP-EI)")
    for u in halton(min(n_init, n_trials), d, seed=seed):
        study.evaluate(objective, u)
    while len(study) < n_trials:
        y = study.values
        finite = y[~np.isnan(y)]
        worst = finite.max() if len(finite) else 1.0
        y = np.where(np.isnan(y), worst, y)
        gp = GaussianProcess().fit(study.units, y)
        best_u = study.units[np.argmin(y)]
        cand = np.vstack([rng.random((n_candidates, d)),
                          np.clip(best_u + 0.05 * rng.standard_normal((n_candidates // 4, d)),
                                  0, 1)])
        mu, sd = gp.predict(cand)
        ei = expected_improvement(mu, sd, y.min(), xi=xi * gp.scale)
        if callback is not None:
            callback(study, gp, cand, ei)
        study.evaluate(objective, cand[np.argmax(ei)])
    return study


# ------------------------------------------------------------------ budgets: SH, Hyperband


def successive_halving(objective, space, n_configs, *, min_budget, max_budget, eta=3, seed=0,
                       study=None, units=None):
    """Start n_configs random configs at min_budget; keep the best 1/eta, multiply the budget
    by eta; repeat until max_budget. objective(config, budget) is called afresh at each rung
    (retraining from scratch: the budget spent is the sum of all budgets given)."""
    n_configs = check_int("n_configs", n_configs, low=1)
    min_budget = check_positive("min_budget", min_budget)
    max_budget = check_number("max_budget", max_budget, low=min_budget)
    eta = check_int("eta", eta, low=2)
    study = Study(space, "successive halving") if study is None else study
    if units is None:
        units = check_rng(seed).random((n_configs, len(space)))
    budget = float(min_budget)
    while True:
        values = np.array([study.evaluate(objective, u, budget=int(round(budget)))
                           for u in units])
        if len(units) == 1 or budget >= max_budget:
            return study
        keep = max(1, len(units) // eta)
        units = units[np.argsort(_ranked(values), kind="stable")[:keep]]
        budget = min(budget * eta, float(max_budget))


def hyperband(objective, space, *, max_budget, eta=3, seed=0, study=None):
    """Li et al. (2018): successive halving run in brackets, from 'many configs, tiny budgets'
    to 'few configs, full budget', hedging against a too-aggressive first cut.

    s_max = floor(log_eta(max_budget)); bracket s starts n = ceil((s_max+1)/(s+1) eta^s)
    configs at budget max_budget eta^-s. max_budget >= 1 (the smallest budget is about 1).
    """
    max_budget = check_number("max_budget", max_budget, low=1)
    eta = check_int("eta", eta, low=2)
    rng = check_rng(seed)
    s_max = int(math.floor(math.log(max_budget) / math.log(eta) + 1e-9))
    study = Study(space, "Hyperband") if study is None else study
    for s in range(s_max, -1, -1):
        n = int(math.ceil((s_max + 1) / (s + 1) * eta ** s))
        r = max_budget * eta ** (-s)
        successive_halving(objective, space, n, min_budget=r, max_budget=max_budget, eta=eta,
                           study=study, units=rng.random((n, len(space))))
    return study


# ---------------------------------------------------------------------------- evolution, zooming


def evolution(objective, space, n_trials, *, mu=4, lam=4, sigma=0.15, seed=0):
    """A (mu + lambda) evolution strategy in the unit cube: start with mu + lam random points;
    each generation, lam children = a random parent of the best mu + N(0, sigma^2) noise
    (clipped to the cube); parents and children compete for the next mu places."""
    n_trials = check_int("n_trials", n_trials, low=1)
    mu = check_int("mu", mu, low=1)
    lam = check_int("lam", lam, low=1)
    sigma = check_positive("sigma", sigma)
    rng = check_rng(seed)
    d = len(space)
    study = Study(space, "evolution (mu+lambda)")
    pop = rng.random((min(mu + lam, n_trials), d))
    vals = np.array([study.evaluate(objective, u) for u in pop])
    while len(study) < n_trials:
        order = np.argsort(_ranked(vals), kind="stable")[:mu]
        parents, pvals = pop[order], vals[order]
        n_children = min(lam, n_trials - len(study))
        picks = rng.integers(0, len(parents), n_children)
        children = np.clip(parents[picks] + sigma * rng.standard_normal((n_children, d)), 0, 1)
        cvals = np.array([study.evaluate(objective, u) for u in children])
        pop, vals = np.vstack([parents, children]), np.concatenate([pvals, cvals])
    return study


def zoom_search(objective, space, n_trials, *, rounds=3, shrink=0.5, seed=0):
    """Manual coarse-to-fine, automated: a round of random points in a box (first the whole
    cube), then a box `shrink` times as wide centred on the best point so far, and again.
    study.boxes lists each round's box (lo, hi) in the unit cube."""
    n_trials = check_int("n_trials", n_trials, low=1)
    rounds = check_int("rounds", rounds, low=1)
    shrink = check_number("shrink", shrink, low=0, high=1, low_open=True, high_open=True)
    rng = check_rng(seed)
    d = len(space)
    study = Study(space, "zooming in")
    lo, hi = np.zeros(d), np.ones(d)
    per_round = [n_trials // rounds + (i < n_trials % rounds) for i in range(rounds)]
    study.boxes = []
    for n in per_round:
        study.boxes.append((lo.copy(), hi.copy()))
        for _ in range(n):
            study.evaluate(objective, lo + (hi - lo) * rng.random(d))
        if study.best is not None:
            half = (hi - lo) * shrink / 2
            centre = np.clip(study.best.u, half, 1 - half)  # keep the box inside the cube
            lo, hi = centre - half, centre + half
    return study


METHODS = {
    "grid": grid_search,
    "random": random_search,
    "quasi-random (Halton)": quasi_random_search,
    "Bayesian (GP-EI)": bayes_opt,
    "evolution (mu+lambda)": evolution,
    "zooming in": zoom_search,
}


def run_method(name, objective, space, n_trials, *, seed=0, max_budget=None):
    """One method by name. With max_budget (epochs of a full trial), every trial of a
    black-box method is charged max_budget, and "Hyperband" runs brackets until at most
    n_trials * max_budget epochs are spent: the same cost as n_trials full trials (so
    "Hyperband" needs max_budget)."""
    n_trials = check_int("n_trials", n_trials, low=1)
    if max_budget is not None:
        max_budget = check_positive("max_budget", max_budget)
    if name == "Hyperband":
        if max_budget is None:
            raise ValueError("max_budget (the epochs of one full trial) is required for "
                             "'Hyperband', got None")
        return hyperband_with_budget(objective, space, n_trials * max_budget,
                                     max_budget=max_budget, seed=seed)
    if name not in METHODS:
        raise ValueError(f"method must be one of {', '.join([*METHODS, 'Hyperband'])}; "
                         f"got {name!r}")
    study = METHODS[name](objective, space, n_trials, seed=seed)
    if max_budget is not None:  # each black-box trial is a full run: it costs max_budget
        for t in study.trials:
            t.budget = float(max_budget)
    return study


class _OutOfBudget(Exception):
    pass


def hyperband_with_budget(objective, space, total_budget, *, max_budget, eta=3, seed=0):
    """Hyperband repeated (new seeds) until total_budget (e.g. epochs) is spent; the trial that
    would overshoot is not run, so the cost never exceeds total_budget."""
    total_budget = check_positive("total_budget", total_budget)
    max_budget = check_number("max_budget", max_budget, low=1)
    study = Study(space, "Hyperband")

    def limited(config, budget):
        if study.budgets.sum() + budget > total_budget + 1e-9:
            raise _OutOfBudget
        return objective(config, budget)

    for rep in range(10_000):
        try:
            hyperband(limited, space, max_budget=max_budget, eta=eta, seed=seed * 1000 + rep,
                      study=study)
        except _OutOfBudget:
            return study
    return study
