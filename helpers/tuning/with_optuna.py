"""The same search on Optuna (notebook 12, 2.11-2.12): TPE, a pruner, shared storage.

Optuna (Akiba et al., KDD 2019) keeps a study's trials in a storage; a sampler (TPE by
default) proposes each trial's config, a pruner stops a trial whose reported intermediate
values look bad. This module connects it to the course's objects:
    suggest             an Optuna trial + our SearchSpace -> a config (same ranges, same scales)
    run_trial           one trial of objective.curve: report each epoch, prune when told
    optuna_search       TPE + a pruner on an epoch budget -> a Study like our methods' (so it
                        goes on the same plots); the Optuna study is in study.optuna
    to_optuna           our Study -> an in-memory Optuna study (e.g. for optuna.importance)
    optuna_importance   optuna.importance with PED-ANOVA, Optuna 5's default evaluator
    make_storage        a journal file path, or an RDB URL (sqlite:///..., postgresql://...)
The worker processes that share one storage are in helpers.tuning.worker.
"""

import math

import numpy as np
import optuna
from optuna.importance import PedAnovaImportanceEvaluator
from optuna.pruners import HyperbandPruner, MedianPruner
from optuna.samplers import TPESampler
from optuna.storages import JournalStorage
from optuna.storages.journal import JournalFileBackend
from optuna.trial import TrialState

from ..validation import check_choice, check_int
from .space import Study

PRUNERS = ("median", "hyperband", "none")


def silence():
    """Only warnings from Optuna: no log line per trial (keeps notebook outputs stable)."""
    optuna.logging.set_verbosity(optuna.logging.WARNING)


def suggest(trial, space):
    """Ask an Optuna trial for a config over our space: suggest_float / suggest_int, log=Dim.log."""
    config = {}
    for name, d in space.dims.items():
        if d.integer:
            config[name] = trial.suggest_int(name, int(d.low), int(d.high), log=d.log)
        else:
            config[name] = trial.suggest_float(name, float(d.low), float(d.high), log=d.log)
    return config


def distributions(space):
    """Our SearchSpace as Optuna distributions (for create_trial)."""
    return {name: (optuna.distributions.IntDistribution(int(d.low), int(d.high), log=d.log)
                   if d.integer else
                   optuna.distributions.FloatDistribution(float(d.low), float(d.high), log=d.log))
            for name, d in space.dims.items()}


def make_pruner(name, *, max_epochs):
    """"median": MedianPruner(n_startup_trials=5, n_warmup_steps=2) - prune a trial whose best
    value so far is worse than the median of earlier trials' values at the same epoch, once 5
    trials have finished and from epoch 2 on (steps are epochs 1, 2, ...);
    "hyperband": HyperbandPruner(min_resource=1, max_resource=max_epochs, reduction_factor=3);
    "none": never prune."""
    check_choice("pruner", name, PRUNERS)
    if name == "median":
        return MedianPruner(n_startup_trials=5, n_warmup_steps=2)
    if name == "hyperband":
        return HyperbandPruner(min_resource=1, max_resource=int(max_epochs), reduction_factor=3)
    return optuna.pruners.NopPruner()


def run_trial(trial, objective, space, *, epochs):
    """Train config = suggest(trial, space) epoch by epoch (objective.curve), report each
    epoch's validation error, raise optuna.TrialPruned when the pruner says so.
    Records the epochs spent in trial.user_attrs["epochs"]. A diverged run returns NaN
    (Optuna records it as a failed trial)."""
    config = suggest(trial, space)
    value, spent = math.nan, 0
    for epoch, value in objective.curve(config, epochs):
        spent = epoch
        trial.set_user_attr("epochs", spent)
        if not math.isfinite(value):
            return math.nan
        trial.report(value, epoch)
        if trial.should_prune():
            raise optuna.TrialPruned(f"pruned at epoch {epoch}")
    return value


def optuna_search(objective, space, *, total_epochs, epochs=9, pruner="median", seed=0):
    """TPE (TPESampler(seed=seed)) with a pruner, trial after trial until total_epochs are
    spent (the last trial is cut at the budget and counted as pruned). Returns a Study whose
    trials carry their epochs as budget, so it compares with run_method(..., max_budget=epochs)
    at equal cost; the Optuna study is study.optuna."""
    total_epochs = check_int("total_epochs", total_epochs, low=1)
    epochs = check_int("epochs", epochs, low=1)
    silence()
    ostudy = optuna.create_study(direction="minimize", sampler=TPESampler(seed=seed),
                                 pruner=make_pruner(pruner, max_epochs=epochs))
    study = Study(space, f"Optuna TPE + {pruner} pruner")
    spent = 0
    while spent < total_epochs:
        trial = ostudy.ask()
        allowed = min(epochs, total_epochs - spent)
        try:
            value = run_trial(trial, objective, space, epochs=allowed)
            state = TrialState.COMPLETE if allowed == epochs else TrialState.PRUNED
        except optuna.TrialPruned:
            value, state = None, TrialState.PRUNED
        if value is not None and not math.isfinite(value):
            state = TrialState.FAIL
        frozen = (ostudy.tell(trial, value) if state == TrialState.COMPLETE
                  else ostudy.tell(trial, state=state))
        used = max(1, frozen.user_attrs.get("epochs", 1))
        if state == TrialState.PRUNED:  # its last reported value, from a shorter run
            steps = frozen.intermediate_values
            value = steps[max(steps)] if steps else math.nan
        study.record(trial.params, value, budget=used, pruned=state == TrialState.PRUNED)
        spent += used
    study.optuna = ostudy
    return study


def to_optuna(study):
    """Our Study's finished, unpruned trials as an in-memory Optuna study (no retraining)."""
    silence()
    ostudy = optuna.create_study(direction="minimize")
    dist = distributions(study.space)
    for t in study.trials:
        if not t.failed and not t.pruned:
            ostudy.add_trial(optuna.trial.create_trial(params=dict(t.config), distributions=dist,
                                                       value=float(t.value)))
    return ostudy


def optuna_importance(study):
    """optuna.importance.get_param_importances with PED-ANOVA (Watanabe et al., IJCAI 2023),
    the default evaluator of Optuna 5 and the one that needs no scikit-learn.
    study: ours (converted with to_optuna) or an Optuna study."""
    ostudy = to_optuna(study) if isinstance(study, Study) else study
    return optuna.importance.get_param_importances(ostudy,
                                                   evaluator=PedAnovaImportanceEvaluator())


def make_storage(where):
    """An RDB URL ("sqlite:///study.db", "postgresql://user:pw@host/db") is passed as is;
    anything else is a path to a journal file (JournalFileBackend: an append-only log that
    many processes on one machine share, with a file lock)."""
    if not isinstance(where, str) or not where:
        raise ValueError(f"storage must be a journal file path or an RDB URL, got {where!r}")
    if "://" in where:
        return where
    return JournalStorage(JournalFileBackend(where))


def ranks(values):
    """0 for the smallest value, 1 for the next, ... (ties in order of appearance)."""
    return np.argsort(np.argsort(np.asarray(values, dtype=float), kind="stable"), kind="stable")


def same_ranking(a, b):
    """True when two {name: importance} dicts order the names the same way."""
    names = sorted(a)
    if sorted(b) != names:
        raise ValueError(f"the two importances name different hyperparameters: {sorted(a)} "
                         f"and {sorted(b)}")
    return bool(np.array_equal(ranks([-a[n] for n in names]), ranks([-b[n] for n in names])))

