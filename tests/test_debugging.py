"""helpers.debugging (the broken runs of notebook 11 and the "What is wrong with this run?"
quiz) and helpers.exercises.debugging."""

import math

import numpy as np
import pytest

import helpers as hp
from helpers import debugging as dbg
from helpers.exercises import debugging as ex


@pytest.fixture(scope="module")
def data():
    return dbg.digits_data()


@pytest.fixture(scope="module")
def quiz(data):
    q = dbg.DiagnosisQuiz(data, epochs=1)
    q.widget = q.show()
    return q


def test_digits_data_is_standardized_on_the_training_set(data):
    X_train, X_val, y_train, y_val = data
    assert X_train.shape == (1438, 64) and X_val.shape == (359, 64)
    used = X_train.std(0) > 0
    assert np.allclose(X_train.mean(0), 0, atol=1e-5)
    assert np.allclose(X_train.std(0)[used], 1, atol=1e-4)
    assert set(np.unique(y_train)) == set(range(10))


def test_buggy_dropout_and_sign_flipped_loss():
    x = np.ones((200, 50), dtype=np.float32)
    assert np.mean(dbg.BuggyDropout(0.5, seed=0)(x, training=False) == 0) > 0.4
    assert np.array_equal(hp.Dropout(0.5)(x, training=False), x)
    out = np.random.default_rng(0).normal(size=(6, 3))
    y = np.array([0, 1, 2, 0, 1, 2])
    good, bad = hp.CrossEntropyLoss(), dbg.SignFlippedCrossEntropy()
    assert good(out, y) == bad(out, y)
    assert np.allclose(bad.backward(), -good.backward())


def test_lr_spike():
    assert [dbg.lr_spike(t, at=3, steps=2, factor=100) for t in range(7)] == \
        [1, 1, 1, 100, 100, 1, 1]


def test_every_scenario_runs_and_shows_its_signature(data):
    runs = {name: dbg.run_scenario(name, data, epochs=2) for name in dbg.SCENARIOS}
    ev = {name: dbg.evidence(mon, h) for name, (_, h, mon) in runs.items()}
    assert abs(ev["healthy"]["ratio_first"] + 2.7) < 0.5 and ev["healthy"]["dead"] < 0.05
    assert ev["lr too high"]["ratio_first"] - ev["healthy"]["ratio_first"] == \
        pytest.approx(1.0, abs=1e-3)
    assert ev["healthy"]["ratio_first"] - ev["lr too low"]["ratio_first"] == \
        pytest.approx(1.0, abs=1e-3)
    assert ev["saturating init"]["saturated"] > 0.7
    assert (ev["dead after a large step"]["dead_layer"],
            ev["dead after a large step"]["dead_step"]) == (2, 55)
    assert ev["vanishing sigmoid"]["grad_first_last"] < 0.05
    assert runs["dropout at evaluation"][2].eval_changes == 2
    assert all(mon.eval_changes is None for name, (_, _, mon) in runs.items()
               if name != "dropout at evaluation")


def test_evidence_of_an_empty_monitor_is_nan():
    mon = hp.HealthMonitor(np.zeros((2, 2)))
    e = dbg.evidence(mon, hp.training.History())
    assert math.isnan(e["ratio_first"]) and e["dead_step"] is None


def test_scenario_names_are_checked(data):
    with pytest.raises(ValueError, match="name must be one of"):
        dbg.run_scenario("lr too big", data)


def test_the_quiz_opens_ready(quiz):
    assert quiz.run.value == "Run A" and quiz.diagnosis.value is None
    assert quiz.image.value[:4] == b"\x89PNG"
    assert "What is wrong?" in quiz.status.value and quiz.feedback.value == ""
    assert sorted(quiz.truth.values()) == sorted(dbg.DIAGNOSES)


def test_the_quiz_says_right_or_wrong_and_why(quiz, monkeypatch):
    monkeypatch.setattr(dbg, "_health_png", lambda h, m: b"png")   # drawing: tested above
    quiz.run.value = "Run C"
    truth = quiz.truth["Run C"]
    wrong = next(d for d in dbg.DIAGNOSES if d != truth)
    quiz.diagnosis.value = wrong
    quiz.check.click()
    assert "Not this one" in quiz.feedback.value and quiz.last == ("Run C", wrong, False)
    assert "This run shows" in quiz.feedback.value
    quiz.diagnosis.value = truth
    quiz.check.click()
    assert "✓ Right" in quiz.feedback.value and "Fix:" in quiz.feedback.value
    assert quiz.last == ("Run C", truth, True)
    quiz.run.value = "Run D"                     # a new run clears the answer and the verdict
    assert quiz.diagnosis.value is None and quiz.feedback.value == ""


def test_the_quiz_asks_for_a_diagnosis_first(quiz):
    quiz.diagnosis.value = None
    quiz.check.click()
    assert "Pick a diagnosis first" in quiz.feedback.value
    with pytest.raises(ValueError, match="diagnosis must be one of"):
        quiz.answer("the moon")
    with pytest.raises(ValueError, match="run must be one of"):
        quiz.draw("Run Z")


def test_each_run_is_drawn_once(quiz, monkeypatch):
    calls = []
    monkeypatch.setattr(dbg, "_health_png", lambda h, m: calls.append(1) or b"png")
    quiz._png.clear()
    for run in ["Run A", "Run B", "Run A", "Run B"]:
        quiz.run.value = run
    assert len(calls) == 2


# --- the exercises
RIGHT = {1: math.log(26), 2: ex.LR * 10 ** (-3 - np.median(ex.RATIOS)), 3: (3, 60), 4: "C"}
CHECKS = {1: ex.check_1, 2: ex.check_2, 3: ex.check_3, 4: ex.check_4}


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_the_solution_passes(n, capsys):
    assert CHECKS[n](RIGHT[n])
    assert "✓" in capsys.readouterr().out


@pytest.mark.parametrize("n, answer, hint", [
    (1, math.log10(26), "natural logarithm"), (1, math.log2(26), "natural logarithm"),
    (1, 1 / 26, "probability"), (1, -math.log(26), "sign"), (1, 9.8, "measured"),
    (2, ex.LR * 10 ** (np.median(ex.RATIOS) + 3), "go down"),
    (2, 10 ** (-3 - np.median(ex.RATIOS)), "multiply"), (2, -1.7, "positive"),
    (3, (2, 60), "count from 1"), (3, (3, 3), "update number"), (3, (2, 80), "earlier"),
    (3, (3, 80), "right layer"), (3, "3, 60", "pair"),
    (4, "a", "clean split"), (4, "B", "nothing leaks"), (4, " c ", None),
])
def test_likely_mistakes_get_their_hint(n, answer, hint, capsys):
    verdict = CHECKS[n](answer)
    out = capsys.readouterr().out
    if hint is None:
        assert verdict and "✓" in out
    else:
        assert not verdict and hint in out


WRONG_TYPES = ["three", "3.5", "", [], [1, 2, 3], {"a": 1}, {}, math.nan, math.inf, -math.inf,
               10 ** 400, -(10 ** 400), True, b"C", object(), (1,), (1, 2, 3), (math.nan, 1),
               np.array([1.0, 2.0]), np.float32("nan"), ..., "C" * 10 ** 5, 1j, (10 ** 400, 1)]


@pytest.mark.parametrize("n", [1, 2, 3, 4])
@pytest.mark.parametrize("answer", WRONG_TYPES, ids=lambda a: type(a).__name__)
def test_checks_never_raise_on_a_wrong_type(n, answer, capsys):
    verdict = CHECKS[n](answer)
    out = capsys.readouterr().out
    assert not verdict
    assert out.strip()                          # a hint or a reminder, never silence


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_no_answer_yet(n, capsys):
    assert not CHECKS[n](None)
    assert "No answer yet" in capsys.readouterr().out
