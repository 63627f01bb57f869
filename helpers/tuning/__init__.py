"""Hyperparameter search, each method from scratch (introduced in notebook 12).

Every method minimises `objective(config) -> float` over a `SearchSpace` and returns a
`Study` (the list of trials, in the order they were run). A trial whose value is NaN or inf
(a diverged run) is recorded as failed and ranked worst; it never stops the search.

    space = SearchSpace(lr=Dim(1e-3, 10, log=True), width=Dim(4, 48, log=True, integer=True))
    study = random_search(objective, space, n_trials=20, seed=0)
    study.best.config, study.best_so_far()

All methods work in the unit cube u in [0, 1)^d and map to values with `space.from_unit`
(log dimensions are uniform in log, integer dimensions are rounded), so each is a few lines.

One module per responsibility:
    space          Dim, SearchSpace, Trial, Study
    surrogate      GaussianProcess (Matern 5/2), expected_improvement
    methods        grid_search, random_search, quasi_random_search (Halton), bayes_opt,
                   successive_halving, hyperband, evolution ((mu + lambda)), zoom_search,
                   run_method (one method by name, at an equal budget in epochs)
    hypergradient  SGDHD (hypergradient descent on the learning rate: an optimizer)
    objective      DigitsObjective and DIGITS_SPACE: the course's problem
    playbook       the Tuning Playbook's rounds: run_round, isolation, boundary_check, narrow,
                   seed_spread
    importance     fANOVA-style importance on a GP surrogate: main_effects, importance
    plots, view    plots of a study (trials, best so far, comparison, axis/slice, isolation,
                   parallel coordinates); the widgets
    with_optuna    the same search on Optuna: optuna_search (TPE + pruner), to_optuna,
                   optuna_importance, make_storage (import it by name: it loads Optuna)
    worker         `python -m helpers.tuning.worker`: one process of a shared-storage study
"""

from .hypergradient import SGDHD
from .importance import importance, main_effects
from .methods import (METHODS, PRIMES, bayes_opt, discrepancy, evolution, grid_search, halton,
                      hyperband, hyperband_with_budget, quasi_random_search, random_search,
                      run_method, successive_halving, van_der_corput, zoom_search)
from .objective import DIGITS_SPACE, DigitsObjective
from .playbook import boundary_check, isolation, narrow, run_round, seed_spread
from .plots import (best_curve, parallel_coordinates, plot_best_so_far, plot_comparison,
                    plot_isolation, plot_slice, plot_trials)
from .space import Dim, SearchSpace, Study, Trial
from .surrogate import (GaussianProcess, expected_improvement, matern52, normal_cdf,
                        normal_pdf)
from .view import reading_widget, tuning_widget

__all__ = ["bayes_opt", "best_curve", "boundary_check", "DIGITS_SPACE", "DigitsObjective", "Dim",
           "discrepancy", "evolution", "expected_improvement", "GaussianProcess", "grid_search",
           "halton", "hyperband", "hyperband_with_budget", "importance", "isolation",
           "main_effects", "matern52", "METHODS", "narrow", "normal_cdf", "normal_pdf",
           "parallel_coordinates", "plot_best_so_far", "plot_comparison", "plot_isolation",
           "plot_slice", "plot_trials", "PRIMES", "quasi_random_search", "random_search",
           "reading_widget", "run_method", "run_round", "SearchSpace", "seed_spread", "SGDHD",
           "Study", "successive_halving", "Trial", "tuning_widget", "van_der_corput", "zoom_search"]
