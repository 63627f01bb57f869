"""The Tuning Playbook's incremental procedure, in small functions (notebook 12, 2.9).

A round of experiments has one goal, a question about a *scientific* hyperparameter; the
*nuisance* hyperparameters are searched afresh for each of its values (quasi-random, the same
points for every value so the comparison is paired); everything else is *fixed*.
    run_round        scientific values x nuisance search -> {value: Study}
    isolation        the best result over the nuisance hyperparameters, per scientific value
    boundary_check   is the best trial near an edge of the search space?
    narrow           the next round's space: the box around the best trials
    seed_spread      the chosen configs re-run on seeds the search never saw
(Godbole, Dahl, Gilmer, Shallue, Nado: Deep Learning Tuning Playbook, 2023,
github.com/google-research/tuning_playbook.)
"""

import numpy as np

from ..validation import check_int, check_number
from .methods import quasi_random_search
from .space import Dim, SearchSpace, _ranked


def run_round(objective, scientific, values, nuisance, n_trials, *, fixed=None, seed=0):
    """For each value v of the scientific hyperparameter, a quasi-random search of n_trials
    over the nuisance SearchSpace of objective({**fixed, scientific: v, **nuisance config}).
    The same Halton points (same seed) for every v. Returns {v: Study}."""
    n_trials = check_int("n_trials", n_trials, low=1)
    if not isinstance(nuisance, SearchSpace):
        raise ValueError(f"nuisance must be a SearchSpace, got {nuisance!r}")
    if scientific in nuisance.dims:
        raise ValueError(f"scientific {scientific!r} cannot also be a nuisance hyperparameter")
    values = list(values)
    if not values:
        raise ValueError("values must list at least one value of the scientific hyperparameter")
    fixed = dict(fixed or {})
    studies = {}
    for v in values:
        def run(config, v=v):
            return objective({**fixed, scientific: v, **config})
        studies[v] = quasi_random_search(run, nuisance, n_trials, seed=seed)
        studies[v].method = f"{scientific} = {v:g}"
    return studies


def isolation(studies):
    """{scientific value: best Trial over the nuisance search} (None where all failed)."""
    return {v: st.best for v, st in studies.items()}


def boundary_check(study, *, margin=0.05, top=1):
    """Where the `top` best trials sit in the unit cube, per hyperparameter:
    {name: "low" | "high" | None}, "low" if any of them is within margin of the lower edge.
    A best trial at an edge says: the optimum may lie outside, widen the range that way."""
    margin = check_number("margin", margin, low=0, high=0.5)
    top = check_int("top", top, low=1)
    best = np.argsort(_ranked(study.values), kind="stable")[:top]
    best = [i for i in best if not study.trials[i].failed]
    units = study.units[best] if best else np.zeros((0, len(study.space)))
    out = {}
    for j, name in enumerate(study.space.names):
        col = units[:, j]
        out[name] = "low" if np.any(col < margin) else ("high" if np.any(col > 1 - margin)
                                                         else None)
    return out


def narrow(studies, *, keep=0.25, pad=0.1):
    """The next round's nuisance space: per hyperparameter, the range (in the unit cube) of
    the best `keep` fraction of all finite trials, widened by pad on each side, clipped to the
    old range. Log and integer dims stay log and integer."""
    keep = check_number("keep", keep, low=0, high=1, low_open=True)
    pad = check_number("pad", pad, low=0, high=1)
    studies = list(studies.values()) if isinstance(studies, dict) else list(studies)
    space = studies[0].space
    trials = [t for st in studies for t in st.trials if not t.failed]
    if not trials:
        raise ValueError("every trial failed: there is nothing to narrow around")
    trials.sort(key=lambda t: t.value)
    units = np.array([t.u for t in trials[:max(1, int(round(keep * len(trials))))]])
    lo = np.clip(units.min(axis=0) - pad, 0.0, 1.0)
    hi = np.clip(units.max(axis=0) + pad, 0.0, 1.0)
    dims = {}
    for j, (name, d) in enumerate(space.dims.items()):
        a, b = float(d.from_unit(lo[j])), float(d.from_unit(hi[j]))
        if not a < b:  # a single best point on an integer axis: keep one step of room
            a, b = max(d.low, a - 1), min(d.high, b + 1)
        dims[name] = Dim(a, b, log=d.log, integer=d.integer)
    return SearchSpace(**dims)


def seed_spread(make_objective, configs, seeds):
    """errors[i, j] = make_objective(seed)(configs[i]) for seed j: each chosen config re-run
    on new seeds (new split, new initialisation), to decide from the spread, not one draw."""
    seeds = list(seeds)
    if not seeds:
        raise ValueError("seeds must list at least one seed")
    objectives = [make_objective(s) for s in seeds]
    return np.array([[obj(c) for obj in objectives] for c in configs], dtype=float)
