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
    plots, view    plots of a study; the widgets
"""

from .hypergradient import SGDHD
from .methods import (METHODS, PRIMES, bayes_opt, discrepancy, evolution, grid_search, halton,
                      hyperband, hyperband_with_budget, quasi_random_search, random_search,
                      run_method, successive_halving, van_der_corput, zoom_search)
from .objective import DIGITS_SPACE, DigitsObjective
from .plots import plot_best_so_far, plot_trials
from .space import Dim, SearchSpace, Study, Trial
from .surrogate import (GaussianProcess, expected_improvement, matern52, normal_cdf,
                        normal_pdf)
from .view import tuning_widget

__all__ = ["bayes_opt", "DIGITS_SPACE", "DigitsObjective", "Dim", "discrepancy", "evolution",
           "expected_improvement", "GaussianProcess", "grid_search", "halton", "hyperband",
           "hyperband_with_budget", "matern52", "METHODS", "normal_cdf", "normal_pdf",
           "plot_best_so_far", "plot_trials", "PRIMES", "quasi_random_search", "random_search",
           "run_method", "SearchSpace", "SGDHD", "Study", "successive_halving", "Trial",
           "tuning_widget", "van_der_corput", "zoom_search"]
