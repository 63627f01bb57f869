"""Hyperparameter search, each method from scratch (introduced in notebook 12).

Every method minimises `objective(config) -> float` over a `SearchSpace` and returns a
`Study` (the list of trials, in the order they were run). A trial whose value is NaN or inf
(a diverged run) is recorded as failed and ranked worst; it never stops the search.

    space = SearchSpace(lr=Dim(1e-3, 10, log=True), width=Dim(4, 48, log=True, integer=True))
    study = random_search(objective, space, n_trials=20, seed=0)
    study.best.config, study.best_so_far()

All methods work in the unit cube u in [0, 1)^d and map to values with `space.from_unit`
(log dimensions are uniform in log, integer dimensions are rounded), so each is a few lines:
    grid_search, random_search, quasi_random_search (Halton), bayes_opt (Gaussian process +
    expected improvement), successive_halving, hyperband (budget = epochs), evolution
    ((mu + lambda)), zoom_search (manual coarse-to-fine), and SGDHD (hypergradient descent
    on the learning rate, an optimizer rather than a search).
"""

import math
from dataclasses import dataclass, field

import numpy as np

from .data import load_digits
from .losses import CrossEntropyLoss
from .mlp import make_mlp
from .optimizers import SGD, Optimizer
from .training import evaluate, fit
from .validation import (check_choice, check_int, check_nonnegative, check_number, check_positive,
                         check_rng)

# ---------------------------------------------------------------------------- search space


@dataclass(frozen=True)
class Dim:
    """One hyperparameter's range: [low, high], uniform in log10 if log, rounded if integer."""

    low: float
    high: float
    log: bool = False
    integer: bool = False

    def __post_init__(self):
        check_number("low", self.low)
        check_number("high", self.high)
        if not self.low < self.high:
            raise ValueError(f"Dim needs low < high, got {self.low} and {self.high}")
        if self.log and self.low <= 0:
            raise ValueError(f"a log dimension needs low > 0, got {self.low}")

    def from_unit(self, u):
        """u in [0, 1] -> a value (array in, array out)."""
        u = np.asarray(u, dtype=float)
        if self.log:
            v = 10 ** (np.log10(self.low) + u * (np.log10(self.high) - np.log10(self.low)))
        else:
            v = self.low + u * (self.high - self.low)
        return np.clip(np.round(v), self.low, self.high) if self.integer else v

    def to_unit(self, v):
        """The inverse map: a value -> u in [0, 1]."""
        v = np.asarray(v, dtype=float)
        if self.log:
            return (np.log10(v) - np.log10(self.low)) / (np.log10(self.high) - np.log10(self.low))
        return (v - self.low) / (self.high - self.low)


class SearchSpace:
    """An ordered name -> Dim mapping, shared by every search method."""

    def __init__(self, **dims):
        if not dims:
            raise ValueError("SearchSpace needs at least one Dim, e.g. lr=Dim(1e-3, 1, log=True)")
        for name, d in dims.items():
            if not isinstance(d, Dim):
                raise ValueError(f"{name} must be a Dim, got {d!r}")
        self.dims = dict(dims)
        self.names = list(dims)

    def __len__(self):
        return len(self.dims)

    def from_unit(self, u):
        """A point of [0, 1]^d -> a config dict (ints for integer dims, floats otherwise)."""
        u = np.asarray(u, dtype=float).reshape(len(self))
        config = {}
        for (name, d), ui in zip(self.dims.items(), u):
            v = d.from_unit(min(max(ui, 0.0), 1.0))
            config[name] = int(v) if d.integer else float(v)
        return config

    def __repr__(self):
        parts = [f"{n}=[{d.low:g}, {d.high:g}]" + " log" * d.log + " int" * d.integer
                 for n, d in self.dims.items()]
        return f"SearchSpace({', '.join(parts)})"


# ---------------------------------------------------------------------------- trials, studies


@dataclass
class Trial:
    """One evaluation: config, value (NaN when failed), budget (e.g. epochs), u (unit point)."""

    config: dict
    value: float
    budget: float = 1.0
    u: np.ndarray = field(default=None, repr=False)

    @property
    def failed(self):
        return not math.isfinite(self.value)


class Study:
    """The trials of one search, in order. `evaluate` runs the objective and records it."""

    def __init__(self, space, method=""):
        self.space, self.method, self.trials = space, method, []

    def evaluate(self, objective, u, budget=None):
        """Run objective at the unit point u (with budget, if given); a NaN/inf is a failure."""
        u = np.clip(np.asarray(u, dtype=float), 0.0, 1.0)
        config = self.space.from_unit(u)
        value = objective(config) if budget is None else objective(config, budget)
        value = float(value) if value is not None else math.nan
        if not math.isfinite(value):
            value = math.nan  # inf and NaN alike: a diverged run
        self.trials.append(Trial(config, value, 1.0 if budget is None else float(budget), u))
        return value

    def __len__(self):
        return len(self.trials)

    @property
    def values(self):
        return np.array([t.value for t in self.trials])

    @property
    def budgets(self):
        return np.array([t.budget for t in self.trials])

    @property
    def units(self):
        return np.array([t.u for t in self.trials])

    @property
    def n_failed(self):
        return sum(t.failed for t in self.trials)

    @property
    def best(self):
        """The trial with the lowest finite value (None if every trial failed)."""
        ok = [t for t in self.trials if not t.failed]
        return min(ok, key=lambda t: t.value) if ok else None

    def best_so_far(self):
        """Running minimum of the values, failures counting as +inf."""
        return np.minimum.accumulate(np.where(np.isnan(self.values), np.inf, self.values))

    def cost(self):
        """Cumulative budget spent after each trial (e.g. total epochs)."""
        return np.cumsum(self.budgets)

    def __repr__(self):
        b = self.best
        best = "none" if b is None else f"{b.value:.3g} at {b.config}"
        return f"Study({self.method}, {len(self)} trials, {self.n_failed} failed, best {best})"


def _ranked(values):
    """Values with failures replaced by +inf, so that they sort last."""
    values = np.asarray(values, dtype=float)
    return np.where(np.isnan(values), np.inf, values)


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


def matern52(A, B, length_scale):
    """Matern 5/2 kernel k(r) = (1 + s + s^2/3) exp(-s), s = sqrt(5) |a - b| / length_scale.

    A: (n, d), B: (m, d) -> (n, m). Twice differentiable: smooth, but less than the RBF's.
    """
    d = np.sqrt(np.maximum(((A[:, None, :] - B[None, :, :]) ** 2).sum(-1), 0.0))
    s = math.sqrt(5.0) * d / length_scale
    return (1.0 + s + s * s / 3.0) * np.exp(-s)


class GaussianProcess:
    """GP regression with a Matern 5/2 kernel on standardised targets (signal variance 1).

    fit(X, y) standardises y, then picks length_scale and noise (variance, relative to the
    signal's) that maximise the log marginal likelihood over a small fixed grid - unless they
    were given. predict(Xs) -> posterior mean and std, in y's original units.
    """

    LENGTH_SCALES = (0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 1.2)
    NOISES = (1e-6, 1e-3, 1e-2, 0.1)

    def __init__(self, *, length_scale=None, noise=None):
        self.length_scale, self.noise = length_scale, noise
        self._fixed = (length_scale, noise)

    def _solve(self, X, z, ell, noise):
        K = matern52(X, X, ell) + (noise + 1e-9) * np.eye(len(X))
        L = np.linalg.cholesky(K)
        alpha = np.linalg.solve(L.T, np.linalg.solve(L, z))
        lml = -0.5 * z @ alpha - np.log(np.diag(L)).sum() - 0.5 * len(X) * math.log(2 * math.pi)
        return L, alpha, lml

    def fit(self, X, y):
        self.X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=float)
        self.mean, self.scale = y.mean(), (y.std() if y.std() > 0 else 1.0)
        z = (y - self.mean) / self.scale
        ells = self.LENGTH_SCALES if self._fixed[0] is None else (self._fixed[0],)
        noises = self.NOISES if self._fixed[1] is None else (self._fixed[1],)
        best = None
        for ell in ells:
            for noise in noises:
                L, alpha, lml = self._solve(self.X, z, ell, noise)
                if best is None or lml > best[0] + 1e-9:
                    best = (lml, ell, noise, L, alpha)
        self.log_marginal_likelihood, self.length_scale, self.noise, self.L, self.alpha = best
        return self

    def predict(self, Xs):
        Xs = np.asarray(Xs, dtype=float)
        ks = matern52(Xs, self.X, self.length_scale)
        mu = ks @ self.alpha
        v = np.linalg.solve(self.L, ks.T)
        var = np.maximum(1.0 - (v * v).sum(axis=0), 1e-12)
        return self.mean + self.scale * mu, self.scale * np.sqrt(var)


_erf = np.frompyfunc(math.erf, 1, 1)


def normal_cdf(z):
    """Phi(z), the standard normal CDF, from math.erf (no scipy needed)."""
    return 0.5 * (1.0 + np.asarray(_erf(np.asarray(z, dtype=float) / math.sqrt(2.0)),
                                   dtype=float))


def normal_pdf(z):
    """phi(z), the standard normal density."""
    z = np.asarray(z, dtype=float)
    return np.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)


def expected_improvement(mu, sigma, best, *, xi=0.0):
    """EI for minimisation: E[max(best - xi - f, 0)] with f ~ N(mu, sigma^2).

    = (best - xi - mu) Phi(z) + sigma phi(z),  z = (best - xi - mu) / sigma;  >= 0 always.
    """
    mu, sigma = np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float)
    imp = best - xi - mu
    safe = np.maximum(sigma, 1e-12)
    z = imp / safe
    ei = imp * normal_cdf(z) + safe * normal_pdf(z)
    return np.where(sigma > 1e-12, np.maximum(ei, 0.0), np.maximum(imp, 0.0))


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


# ---------------------------------------------------------------------------- hypergradient descent


class SGDHD(Optimizer):
    """SGD with hypergradient descent on the learning rate (Baydin et al., 2018):

    lr_t = lr_{t-1} + beta g_t . g_{t-1}      (the loss's derivative w.r.t. lr is -g_t . g_{t-1})
    theta <- theta - lr_t g_t
    Two successive gradients that agree -> a bigger lr; that disagree (overshoot) -> smaller.
    beta (hypergrad_lr) is itself a hyperparameter, but a far less touchy one. lr stays >= 0.
    """

    def __init__(self, params, lr=0.01, *, hypergrad_lr=1e-3):
        super().__init__(params, lr)
        self.hypergrad_lr = check_number("hypergrad_lr", hypergrad_lr, low=0)

    def step(self):
        self.t += 1
        dot = sum(float(np.vdot(p.grad, s["prev"])) for p, s in zip(self.params, self.state)
                  if "prev" in s)
        self.lr = max(self.lr + self.hypergrad_lr * dot, 0.0)
        for p, s in zip(self.params, self.state):
            s["prev"] = p.grad.copy()
            p.data -= self.lr * p.grad


# ---------------------------------------------------------------------------- the course's problem


class DigitsObjective:
    """Validation error of a one-hidden-layer MLP on a subsample of the 8x8 digits.

    Hyperparameters (config keys): lr (SGD with momentum 0.9), width, l2, dropout.
    Train / validation / test are disjoint; the test split is never used by the search.
    A diverged run (NaN loss) returns NaN: the search records a failure and goes on.
    Calls cost about 10-30 ms, so a search of tens of trials takes a second or so.
    """

    def __init__(self, *, n_train=200, n_val=300, epochs=9, batch_size=50, seed=0):
        X, y = load_digits()
        # at least one image in each of train, validation and test
        n_train = check_int("n_train", n_train, low=1, high=len(X) - 2)
        n_val = check_int("n_val", n_val, low=1, high=len(X) - n_train - 1)
        epochs = check_int("epochs", epochs, low=1)
        batch_size = check_int("batch_size", batch_size, low=1)
        idx = check_rng(seed).permutation(len(X))
        tr, va = idx[:n_train], idx[n_train:n_train + n_val]
        te = idx[n_train + n_val:]
        self.X, self.y = X[tr], y[tr]
        self.X_val, self.y_val = X[va], y[va]
        self.X_test, self.y_test = X[te], y[te]
        self.epochs, self.batch_size, self.seed = epochs, batch_size, seed
        self.calls = 0

    def train(self, config, epochs=None):
        """Train a fresh model with config; return (model, History)."""
        epochs = self.epochs if epochs is None else int(epochs)
        model = make_mlp([64, int(config.get("width", 32)), 10],
                         dropout=float(config.get("dropout", 0.0)), seed=self.seed)
        opt = SGD(model.parameters(), lr=float(config["lr"]), momentum=0.9)
        history = fit(model, CrossEntropyLoss(), opt, self.X, self.y, epochs=epochs,
                      batch_size=self.batch_size, l2=float(config.get("l2", 0.0)),
                      seed=self.seed, progress=False, verbose=False)
        return model, history

    def _error(self, config, epochs, X, y):
        model, history = self.train(config, epochs)
        if history.diverged:
            return math.nan
        err = 1.0 - evaluate(model, CrossEntropyLoss(), X, y)["accuracy"]
        return err if math.isfinite(err) else math.nan

    def __call__(self, config, epochs=None):
        """Validation error (in [0, 1]) after `epochs` of training; NaN if the run diverged."""
        self.calls += 1
        return self._error(config, epochs, self.X_val, self.y_val)

    def test_error(self, config, epochs=None):
        """Error on the held-out test split: call once, for the final chosen config only."""
        return self._error(config, epochs, self.X_test, self.y_test)


DIGITS_SPACE = SearchSpace(lr=Dim(1e-3, 10.0, log=True),
                           width=Dim(4, 48, log=True, integer=True),
                           l2=Dim(1e-6, 1e-1, log=True),
                           dropout=Dim(0.0, 0.6))


# ---------------------------------------------------------------------------- plots and the widget


def plot_trials(study, x, y, *, ax=None, vmax=None, title=None):
    """Trials over two hyperparameters (log axes for log dims), coloured by value; failed
    trials as grey crosses, the best as a star. Marker size grows with the trial's budget."""
    import matplotlib.pyplot as plt

    ax = plt.gca() if ax is None else ax
    xs = np.array([t.config[x] for t in study.trials], dtype=float)
    ys = np.array([t.config[y] for t in study.trials], dtype=float)
    v, b = study.values, study.budgets
    ok = ~np.isnan(v)
    size = 12 + 40 * b / b.max() if len(b) else 12
    sc = ax.scatter(xs[ok], ys[ok], c=v[ok], s=size[ok] if len(b) else 12, cmap="viridis_r",
                    vmin=0, vmax=vmax, edgecolors="k", linewidths=0.3)
    ax.scatter(xs[~ok], ys[~ok], marker="x", color="0.5", s=20, label="failed (NaN)")
    if study.best is not None:
        ax.scatter([study.best.config[x]], [study.best.config[y]], marker="*", s=160,
                   color="#D55E00", edgecolors="k", linewidths=0.5, label="best")
    for name, set_scale, set_lim in ((x, ax.set_xscale, ax.set_xlim),
                                     (y, ax.set_yscale, ax.set_ylim)):
        d = study.space.dims[name]
        set_scale("log" if d.log else "linear")
        pad = (d.high / d.low) ** 0.03 if d.log else 0.03 * (d.high - d.low)
        set_lim((d.low / pad, d.high * pad) if d.log else (d.low - pad, d.high + pad))
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    if title:
        ax.set_title(title, fontsize=10)
    return sc


def plot_best_so_far(study, *, ax=None, by="trials", label=None, **kw):
    """The running best value against trials (1, 2, ...) or cumulative budget ("budget")."""
    import matplotlib.pyplot as plt

    check_choice("by", by, ("trials", "budget"))
    ax = plt.gca() if ax is None else ax
    xs = np.arange(1, len(study) + 1) if by == "trials" else study.cost()
    ax.step(xs, study.best_so_far(), where="post", label=label, **kw)
    ax.set_xlabel("trials" if by == "trials" else "total budget (epochs)")
    ax.set_ylabel("best value so far")
    return ax


def tuning_widget(objective, space, *, x="lr", y="l2", max_budget=9, vmax=0.9):
    """Method + budget (+ seed) -> the trials over (x, y) and the best-so-far curve.

    The figure is drawn off-screen and shown as a PNG in an ipywidgets.Image, so nothing
    leaks into the cell's output when the widget is driven from code.
    Returns (ui, update, state): update(method=, n_trials=, seed=) reruns the search and
    redraws; state["study"] holds the last Study and state["image"] the Image (for tests).
    """
    import ipywidgets as W
    from matplotlib.figure import Figure

    from .widgets import controls, dropdown, figure_png, int_slider, live

    method = dropdown("method", [*METHODS, "Hyperband"], value="random")
    n_trials = int_slider("budget (full trials)", value=20, min=4, max=40)
    seed = int_slider("seed", value=0, min=0, max=9)
    status = W.HTML()
    image = W.Image(format="png", layout=W.Layout(max_width="900px"))
    state = {}

    def update(method, n_trials, seed):
        study = run_method(method, objective, space, n_trials, seed=seed, max_budget=max_budget)
        state["study"] = study
        fig = Figure(figsize=(9.5, 3.4), dpi=80)
        a1, a2 = fig.subplots(1, 2)
        sc = plot_trials(study, x, y, ax=a1, vmax=vmax, title=f"{method}: {len(study)} trials")
        fig.colorbar(sc, ax=a1, label="validation error")
        plot_best_so_far(study, ax=a2, by="budget", color="#0072B2")
        a2.set_ylabel("best validation error so far")
        a2.set_xlim(0, n_trials * max_budget)
        a2.set_ylim(0, vmax)
        fig.subplots_adjust(left=0.08, right=0.98, bottom=0.15, top=0.9, wspace=0.3)
        image.value = figure_png(fig)
        b = study.best
        status.value = "all trials failed" if b is None else (
            f"best validation error {b.value:.3g} after {study.cost()[-1]:.0f} epochs; "
            f"{study.n_failed} failed trials; best config: "
            + ", ".join(f"{k}={v:.3g}" for k, v in b.config.items()))
        return study

    on_change = live(update, {"method": method, "n_trials": n_trials, "seed": seed},
                     status=status)
    ui = W.VBox([controls(method, n_trials, seed), status, image])
    state.update(method=method, n_trials=n_trials, seed=seed, image=image, status=status,
                 on_change=on_change)
    return ui, update, state
