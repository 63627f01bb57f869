"""helpers.tuning as practitioners use it: the Playbook's rounds, reading a search (importance,
plots, widget), the same search on Optuna (TPE + pruner) and workers sharing one storage."""

import math

import numpy as np
import pytest

from helpers import tuning as tu

optuna = pytest.importorskip("optuna")
from helpers.tuning import with_optuna as wo  # noqa: E402 (needs optuna)
from helpers.tuning import worker  # noqa: E402

SPACE = tu.SearchSpace(lr=tu.Dim(1e-4, 1.0, log=True), dropout=tu.Dim(0.0, 0.8))


def bowl(config):
    """Minimum at lr = 1e-2, dropout = 0.3; NaN ("diverged") for lr > 0.3."""
    if config["lr"] > 0.3:
        return math.nan
    return (math.log10(config["lr"]) + 2) ** 2 / 4 + (config["dropout"] - 0.3) ** 2


# ------------------------------------------------------------------------------ the Playbook


def test_run_round_uses_the_same_nuisance_points_for_every_scientific_value():
    seen = []

    def obj(config):
        seen.append(config)
        return bowl(config) + config["wd"]

    nuisance = tu.SearchSpace(lr=SPACE.dims["lr"])
    studies = tu.run_round(obj, "wd", [0.0, 0.1], nuisance, 8, fixed={"dropout": 0.3}, seed=0)
    a, b = studies[0.0], studies[0.1]
    assert np.array_equal(a.units, b.units)  # paired: the same Halton points
    assert all(c["dropout"] == 0.3 for c in seen) and {c["wd"] for c in seen} == {0.0, 0.1}
    best = tu.isolation(studies)
    assert best[0.1].value == pytest.approx(best[0.0].value + 0.1)
    assert best[0.0].config == best[0.1].config


def test_boundary_check_flags_a_best_trial_at_an_edge():
    def edge(config):  # better and better towards lr = 1e-4, the lower edge
        return math.log10(config["lr"]) + 5 + config["dropout"]

    study = tu.random_search(edge, SPACE, 40, seed=0)
    flags = tu.boundary_check(study, margin=0.05)
    assert flags["lr"] == "low"
    inside = tu.boundary_check(tu.random_search(bowl, SPACE, 40, seed=0))
    assert inside == {"lr": None, "dropout": None}


def test_narrow_keeps_the_best_trials_inside_a_smaller_space():
    study = tu.random_search(bowl, SPACE, 40, seed=0)
    small = tu.narrow({"a": study}, keep=0.25, pad=0.05)
    lr, dr = small.dims["lr"], small.dims["dropout"]
    assert lr.log and not dr.log
    assert SPACE.dims["lr"].low <= lr.low < lr.high <= SPACE.dims["lr"].high
    assert (lr.high / lr.low) < (1.0 / 1e-4)  # narrower than the old four decades
    assert lr.low <= study.best.config["lr"] <= lr.high
    assert dr.low <= study.best.config["dropout"] <= dr.high


def test_seed_spread_runs_each_config_on_each_seed():
    errs = tu.seed_spread(lambda s: (lambda c: c["x"] + s), [{"x": 0.0}, {"x": 1.0}], range(3))
    assert errs.tolist() == [[0.0, 1.0, 2.0], [1.0, 2.0, 3.0]]


@pytest.mark.parametrize("call, name", [
    (lambda: tu.run_round(bowl, "wd", [0.0], SPACE, 0), "n_trials"),
    (lambda: tu.run_round(bowl, "wd", [], SPACE, 4), "values"),
    (lambda: tu.run_round(bowl, "lr", [0.1], SPACE, 4), "scientific"),
    (lambda: tu.run_round(bowl, "wd", [0.1], {"lr": 1}, 4), "nuisance"),
    (lambda: tu.boundary_check(tu.random_search(bowl, SPACE, 3), margin=0.7), "margin"),
    (lambda: tu.narrow([tu.random_search(bowl, SPACE, 3)], keep=0), "keep"),
    (lambda: tu.narrow([tu.random_search(lambda c: math.nan, SPACE, 3)]), "every trial"),
    (lambda: tu.seed_spread(lambda s: bowl, [{}], []), "seeds"),
    (lambda: tu.importance(tu.random_search(bowl, SPACE, 2)), "3 finite trials"),
    (lambda: tu.DigitsObjective(max_loss=-1), "max_loss"),
    (lambda: wo.optuna_search(bowl, SPACE, total_epochs=0), "total_epochs"),
    (lambda: wo.make_pruner("patient", max_epochs=9), "pruner"),
    (lambda: wo.make_storage(""), "storage"),
    (lambda: wo.same_ranking({"a": 1}, {"b": 1}), "different hyperparameters"),
    (lambda: tu.parallel_coordinates(tu.random_search(bowl, SPACE, 3), ["width"]), "names"),
])
def test_bad_arguments_raise_value_errors_naming_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


# ------------------------------------------------------------------------------ importance


def test_importance_finds_the_known_shares_of_an_additive_objective():
    """f = 4 u0 + 2 u1 + 0 u2 on the unit cube: main-effect variances 16 : 4 : 0."""
    space = tu.SearchSpace(a=tu.Dim(0, 1), b=tu.Dim(0, 1), c=tu.Dim(0, 1))
    study = tu.random_search(lambda c: 4 * c["a"] + 2 * c["b"], space, 60, seed=0)
    imp = tu.importance(study)
    assert list(imp) == ["a", "b", "c"]
    assert imp["a"] == pytest.approx(0.8, abs=0.05)
    assert imp["b"] == pytest.approx(0.2, abs=0.05)
    assert imp["c"] < 0.02
    assert sum(imp.values()) == pytest.approx(1.0)
    assert wo.same_ranking(imp, wo.optuna_importance(study))


def test_importance_of_a_log_dimension_is_measured_in_log_space():
    study = tu.random_search(bowl, SPACE, 60, seed=1)  # lr's valley spans decades
    grid, effects, total = tu.main_effects(study)
    assert effects.shape == (2, len(grid)) and total > 0
    assert next(iter(tu.importance(study))) == "lr"


# ------------------------------------------------------------------------------ Optuna


class CurveObjective:
    """A fake training run: curve(config) yields 9 epochs; configs with lr > 0.01 learn
    (0.9 -> 0.1), the others stay bad (0.9 throughout): a curve built to be pruned."""

    def __init__(self):
        self.epochs_run = 0

    def curve(self, config, epochs=9):
        good = config["lr"] > 0.01
        for epoch in range(1, epochs + 1):
            self.epochs_run += 1
            yield epoch, 0.9 - 0.8 * epoch / 9 if good else 0.9


def test_the_median_pruner_prunes_the_curves_that_stay_bad():
    obj = CurveObjective()
    study = wo.optuna_search(obj, SPACE, total_epochs=200, epochs=9, pruner="median", seed=0)
    assert study.budgets.sum() == 200 == obj.epochs_run
    pruned = [t for t in study.trials if t.pruned]
    assert len(pruned) >= 5
    cut = [t for t in pruned if t.budget < 9]
    assert all(t.config["lr"] <= 0.01 for t in cut[:-1])  # the last may be cut by the budget
    assert max(t.budget for t in cut[:-1]) <= 2  # stopped at the first epoch allowed
    assert study.best.config["lr"] > 0.01 and study.best.value == pytest.approx(0.1)
    frozen = study.optuna.trials
    assert sum(t.state == optuna.trial.TrialState.PRUNED for t in frozen) == len(pruned)


def test_without_a_pruner_every_trial_runs_its_full_epochs():
    study = wo.optuna_search(CurveObjective(), SPACE, total_epochs=45, pruner="none", seed=0)
    assert len(study) == 5 and study.n_pruned == 0 and set(study.budgets) == {9.0}


def test_optuna_search_is_seeded_and_uses_our_ranges():
    a = wo.optuna_search(CurveObjective(), SPACE, total_epochs=60, seed=3)
    b = wo.optuna_search(CurveObjective(), SPACE, total_epochs=60, seed=3)
    assert [t.config for t in a.trials] == [t.config for t in b.trials]
    for t in a.trials:
        assert 1e-4 <= t.config["lr"] <= 1.0 and 0 <= t.config["dropout"] <= 0.8
        assert np.all((t.u >= 0) & (t.u <= 1))


def test_digits_curve_is_the_same_training_as_a_call():
    obj = tu.DigitsObjective(n_train=100, n_val=100, epochs=3)
    cfg = {"lr": 0.2, "width": 8, "l2": 1e-4, "dropout": 0.1, "one_minus_momentum": 0.05}
    curve = list(obj.curve(cfg))
    assert [e for e, _ in curve] == [1, 2, 3]
    assert curve[-1][1] == obj(cfg)
    assert curve[0][1] == obj(cfg, 1)


def test_a_run_worse_than_guessing_counts_as_diverged_with_max_loss():
    cfg = {"lr": 5.0, "width": 16}
    assert math.isfinite(tu.DigitsObjective(epochs=3)(cfg))
    assert math.isnan(tu.DigitsObjective(epochs=3, max_loss=math.log(10))(cfg))


def test_to_optuna_keeps_finished_trials_and_their_values():
    study = tu.random_search(bowl, SPACE, 12, seed=0)
    ostudy = wo.to_optuna(study)
    assert len(ostudy.trials) == 12 - study.n_failed
    assert ostudy.best_value == pytest.approx(study.best.value)


def test_make_storage_passes_urls_and_opens_journal_files(tmp_path):
    url = "postgresql://user:pw@db.example/optuna"
    assert wo.make_storage(url) == url
    assert isinstance(wo.make_storage(str(tmp_path / "s.log")), optuna.storages.JournalStorage)


# ------------------------------------------------------------------------------ shared storage


def test_two_worker_processes_share_one_journal_without_losing_a_trial(tmp_path):
    storage = str(tmp_path / "study.log")
    optuna.create_study(study_name="t", storage=wo.make_storage(storage), direction="minimize")
    codes = worker.launch(storage, "t", n_workers=2, n_trials=4, seed=1,
                          barrier=tmp_path / "barrier", timeout=240)
    assert codes == [0, 0]
    trials = optuna.load_study(study_name="t", storage=wo.make_storage(storage)).trials
    assert len(trials) == 8
    assert sorted(t.number for t in trials) == list(range(8))  # none lost, none twice
    by = [t.user_attrs["worker"] for t in trials]
    assert by.count("worker-0") == 4 and by.count("worker-1") == 4
    assert all(t.state.is_finished() for t in trials)
    assert len({tuple(sorted(t.params.items())) for t in trials}) == 8  # different configs


def test_a_worker_runs_on_an_rdb_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'study.db'}"
    optuna.create_study(study_name="t", storage=url, direction="minimize")
    assert worker.main(["--storage", url, "--study", "t", "--n-trials", "2", "--epochs", "2",
                        "--name", "here"]) == 0
    trials = optuna.load_study(study_name="t", storage=url).trials
    assert [t.user_attrs["worker"] for t in trials] == ["here", "here"]


# ------------------------------------------------------------------------------ plots, widget


def test_reading_plots_draw_diverged_trials_and_every_trial(tmp_path):
    import matplotlib.pyplot as plt

    study = tu.random_search(bowl, SPACE, 20, seed=0)
    fig, (a1, a2, a3) = plt.subplots(1, 3)
    tu.plot_slice(study, "lr", ax=a1)
    assert len(a1.collections) == 2  # finite trials, diverged crosses
    tu.parallel_coordinates(study, ax=a2, top=0.5)
    grey, infeasible, coloured = a2.collections  # one line per trial, in three groups
    assert len(infeasible.get_segments()) == study.n_failed > 0
    assert len(coloured.get_segments()) == 9 and len(grey.get_segments()) == 20 - 2 - 9
    tu.plot_isolation({0.0: study.best, 1.0: study.best}, "wd", ax=a3,
                      spread={0.0: [0.1, 0.2], 1.0: [0.1, 0.3]})
    plt.close(fig)


def test_reading_widget_redraws_and_refuses_one_hyperparameter_twice():
    study = tu.random_search(bowl, SPACE, 20, seed=0)
    ui, update, state = tu.reading_widget(study)
    assert len(state["image"].value) > 1000 and state["shown"] == 5
    state["top"].value = 0.5
    assert state["shown"] == 9  # half of the 18 finite trials
    state["second"].value = "lr"
    assert "different" in state["status"].value  # a message, not a traceback
