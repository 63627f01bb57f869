"""The Playground's logic without a browser: set widget values, step, and check the state and
the plotted data (helpers/playground/, notebook 15). Generated inputs: test_fuzz_playground.py."""

import codecs
import gc
import json
import re
import weakref
from fractions import Fraction

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import playground as pgm
from helpers.playground import PRESETS, Playground, Trainer


@pytest.fixture
def pg():
    app = Playground(output_resolution=24, neuron_resolution=8)
    yield app
    app.close()


def plotted(app):
    """Copies of the data the page holds (the frames the canvas sent, as canvas.js keeps them)."""
    return {k: np.array(app.canvas.shown[k], dtype=float)
            for k in ("output", "neurons", "train_loss", "test_loss", "points")}


def request_frame(app):
    """What the page does after drawing a frame while playing: ask for the next one."""
    app.canvas._on_msg(app.canvas, {"type": "frame"}, [])


def errored(app):
    return "#b00020" in app.status.value


# --- the engine


def test_defaults_are_the_tensorflow_playgrounds():
    # tensorflow/playground: src/state.ts (the State class) and src/playground.ts
    # (NUM_SAMPLES_CLASSIFY = 500; oneStep updates after every batchSize points)
    t = Trainer()
    cfg = t.config
    assert (cfg["problem"], cfg["dataset"], cfg["noise"], cfg["n_samples"], cfg["train_ratio"],
            cfg["features"], cfg["hidden"], cfg["activation"], cfg["optimizer"], cfg["momentum"],
            cfg["lr"], cfg["batch_size"], cfg["regularization"], cfg["reg_rate"]) == (
        "classification", "circle", 0.0, 500, 0.5, ["x1", "x2"], [4, 2], "tanh", "sgd", 0.0,
        0.03, 10, "none", 0.0)
    t.train(1)
    assert (len(t.X_train), len(t.X_test), t.history.iterations) == (250, 250, 25)


def test_features_are_the_seven_of_the_playground():
    X = np.array([[1.0, 2.0], [-3.0, 0.5]], np.float32)
    F = pgm.make_features(X, list(pgm.FEATURES))
    np.testing.assert_allclose(F[1], [-3, 0.5, 9, 0.25, -1.5, np.sin(-3), np.sin(0.5)],
                               rtol=1e-6)


@pytest.mark.parametrize("name", ["circle", "xor", "gauss", "spiral", "reg-plane", "reg-gauss"])
def test_every_dataset_trains_and_lowers_the_loss(name):
    problem = "regression" if name.startswith("reg") else "classification"
    t = Trainer({"problem": problem, "dataset": name, "loss": "mse" if problem == "regression"
                 else "bce", "optimizer": "adam", "lr": 0.01, "hidden": [8, 8]})
    first = t.evaluate()["val_loss"]
    t.train(15)
    assert t.epoch == 15 and t.history.iterations == 15 * 25  # 250 train points, batches of 10
    assert t.history.final("val_loss") < first


def test_split_follows_train_ratio():
    t = Trainer({"train_ratio": 0.3, "n_samples": 200})
    assert (len(t.X_train), len(t.X_test)) == (60, 140)


def test_live_knobs_keep_the_network_others_rebuild_it():
    t = Trainer()
    t.train(3)
    assert t.update({"lr": 0.1, "regularization": "L2", "reg_rate": 0.01}) is False
    assert t.epoch == 3 and t.optimizer.lr == 0.1 and t.l2 == 0.01
    t.update({"momentum": 0.9})  # same optimizer class: new knob, same state
    assert t.optimizer.momentum == 0.9 and t.epoch == 3
    assert t.update({"hidden": [3]}) is True
    assert t.epoch == 0 and len(t.model.parameters()) == 4


def test_every_other_knob_builds_a_valid_network():
    for changes in [{"loss": "cross_entropy"}, {"loss": "mse"}, {"batchnorm": True},
                    {"dropout": 0.3}, {"init": "he_uniform"}, {"activation": "gelu"},
                    {"optimizer": "rmsprop"}, {"optimizer": "adagrad"}, {"optimizer": "adamw"},
                    {"schedule": "warmup_cosine"}, {"schedule": "one_cycle"},
                    {"schedule": "step"}, {"schedule": "exponential"},
                    {"schedule": "inverse_time"}, {"clip_norm": 1.0},
                    {"regularization": "L1", "reg_rate": 0.001}, {"hidden": [8] * 6},
                    {"hidden": []}, {"features": list(pgm.FEATURES)}, {"batch_size": 1},
                    {"problem": "regression", "dataset": "reg-plane", "loss": "huber"},
                    {"problem": "regression", "dataset": "reg-gauss", "loss": "mae"}]:
        t = Trainer(changes).train(2)
        assert t.epoch == 2 and not t.history.diverged, changes


def test_schedule_changes_the_lr_per_update():
    t = Trainer({"schedule": "cosine", "schedule_epochs": 10, "lr": 0.1}).train(10)
    assert t.history.step_lr[0] == pytest.approx(0.1, rel=1e-3)
    assert t.history.step_lr[-1] < 0.01


def test_batchnorm_with_batch_size_one_skips_nothing_it_can_use():
    t = Trainer({"batchnorm": True, "batch_size": 3, "n_samples": 20}).train(2)
    assert t.epoch == 2 and t.history.iterations == 2 * 3  # 10 train points: 3+3+3 (+1 skipped)


def test_same_seed_same_run_other_seed_other_run():
    a, b, c = (Trainer({"seed": s}).train(3) for s in (5, 5, 6))
    assert a.history.history["val_loss"] == b.history.history["val_loss"]
    assert a.history.history["val_loss"] != c.history.history["val_loss"]


def test_divergence_is_a_message_and_stops_the_run():
    t = Trainer({"problem": "regression", "dataset": "reg-plane", "loss": "mse", "lr": 3.0,
                 "hidden": [4], "activation": "relu"})
    assert t.train_epoch() is False
    assert t.history.diverged and "Diverged" in t.history.message and "learning rate" in \
        t.history.message
    assert t.train_epoch() is False  # stays finished until reset
    t.reset()
    assert not t.history.diverged and t.epoch == 0


def test_early_stopping_restores_the_best_epoch():
    t = Trainer(PRESETS["good · noisy gauss, little data: early stopping"]["config"]).train(300)
    h = t.history
    assert t.finished and h.stopped_epoch == h.best_epoch + 20
    assert t.evaluate()["val_loss"] == pytest.approx(min(h.history["val_loss"]), rel=1e-4)


def test_neuron_maps_one_column_per_layer():
    t = Trainer({"features": ["x1", "x2", "x1^2"], "hidden": [5, 3]})
    cols = t.neuron_maps(6)
    assert [len(c) for c in cols] == [3, 5, 3] and cols[1][0].shape == (6, 6)
    img = pgm.mosaic(cols, gap=1)
    assert img.shape == (5 * 7 - 1, 3 * 7 - 1)
    assert np.nanmax(np.abs(img)) <= 1.0 + 1e-6


def test_config_validation_names_the_problem():
    with pytest.raises(ValueError, match="did you mean 'lr'"):
        pgm.validate_config({"lrr": 0.1})
    with pytest.raises(ValueError, match="not a classification data set"):
        pgm.validate_config({"dataset": "reg-plane"})
    with pytest.raises(ValueError, match="does not fit regression"):
        pgm.validate_config({"problem": "regression", "dataset": "reg-plane", "loss": "bce"})
    with pytest.raises(ValueError, match="at most 6"):
        pgm.validate_config({"hidden": [2] * 7})
    with pytest.raises(ValueError, match="neurons"):
        pgm.validate_config({"hidden": [9]})


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_does_what_its_sentence_says(name):
    ok, value, _ = pgm.check_preset(name)
    assert ok, f"{name}: measured {value}"


# --- CSV


CSV_TEXT = "x,y,label\n" + "\n".join(
    f"{a:.3f},{b:.3f},{int(a * b > 0)}" for a, b in
    np.random.default_rng(0).uniform(-1, 1, (60, 2)))


def test_parse_csv_classification_with_header_scales_into_the_box():
    X, y, problem = pgm.parse_csv(CSV_TEXT)
    assert problem == "classification" and X.shape == (60, 2) and set(y) == {0, 1}
    assert X.min() == pytest.approx(-5) and X.max() == pytest.approx(5)


def test_parse_csv_regression_and_labels_that_are_not_01():
    rows = "\n".join(f"{i},{i % 7},{i * 0.5}" for i in range(20))
    X, y, problem = pgm.parse_csv(rows)
    assert problem == "regression" and y.min() == pytest.approx(-1) and y.max() == pytest.approx(1)
    rows = "\n".join(f"{i},{i % 7},{'7' if i % 2 else '3'}" for i in range(20))
    assert list(pgm.parse_csv(rows)[1][:2]) == [0, 1]


@pytest.mark.parametrize("text, match", [("a,b,c\n1,2,3", "at least 10"),
                                         ("\n".join(["1,2,x"] * 12), "row 1"),
                                         ("\n".join(["1,2"] * 12), "row 1"),
                                         ("\n".join(["1,2,1"] * 12), "single value")])
def test_parse_csv_rejects_bad_files_with_a_reason(text, match):
    with pytest.raises(ValueError, match=match):
        pgm.parse_csv(text)


def test_upload_widget_switches_to_the_learners_data(pg):
    pg.upload.value = Playground.upload_value("mine.csv", CSV_TEXT.encode())
    assert not errored(pg), pg.status.value
    assert pg.trainer.config["dataset"] == "csv" and "csv" in pg.controls["dataset"].options
    assert "mine.csv" in pg.status.value and len(pg.trainer.X_train) == 30
    assert pg.step(3) and pg.trainer.epoch == 3


def test_a_bad_upload_is_a_message_not_a_traceback(pg):
    pg.upload.value = Playground.upload_value("bad.csv", b"1,2,3\n")
    assert errored(pg) and "at least 10" in pg.status.value
    assert pg.trainer.config["dataset"] == "circle"


# --- the widget app


def test_step_advances_the_counter_and_changes_every_plot(pg):
    before = plotted(pg)
    assert pg.step(2)
    after = plotted(pg)
    assert pg.trainer.epoch == 2 and "Epoch 2" in pg.counter.value
    assert len(after["train_loss"]) == len(after["test_loss"]) == 2
    assert not np.allclose(before["output"], after["output"])
    assert not np.allclose(before["neurons"], after["neurons"], equal_nan=True)


def test_a_frame_request_trains_while_playing_and_not_when_paused(pg):
    frames = pg.canvas.frames
    request_frame(pg)  # paused: the page's request (one already in flight) does nothing
    assert pg.trainer.epoch == 0 and pg.canvas.frames == frames
    pg.start()
    assert pg.playing and pg.canvas.running
    request_frame(pg)  # at least one epoch, then exactly one frame
    epochs = pg.trainer.epoch
    assert epochs >= 1 and pg.canvas.frames == frames + 1
    assert pg.canvas.last[0]["trained"] == epochs and pg.canvas.last[0]["epoch"] == epochs
    pg.pause()
    request_frame(pg)
    assert not pg.playing and pg.trainer.epoch == epochs and pg.canvas.frames == frames + 1


def test_a_structural_knob_rebuilds_and_replots(pg):
    pg.step(2)
    before = plotted(pg)
    pg.controls["dataset"].value = "spiral"
    after = plotted(pg)
    assert pg.trainer.config["dataset"] == "spiral" and pg.trainer.epoch == 0
    assert not np.allclose(before["points"], after["points"])
    assert len(after["train_loss"]) == 0


def test_a_live_knob_keeps_training(pg):
    pg.step(2)
    pg.controls["lr"].value = 0.3
    assert pg.trainer.epoch == 2 and pg.trainer.optimizer.lr == 0.3
    pg.step(1)
    assert pg.trainer.epoch == 3


def test_layers_features_and_problem_widgets(pg):
    pg.controls["n_layers"].value = 3
    pg.neuron_sliders[2].value = 7
    pg.feature_buttons["sin_x1"].value = True
    assert pg.trainer.config["hidden"] == [4, 2, 7]
    assert pg.trainer.config["features"] == ["x1", "x2", "sin_x1"]
    assert pg.neuron_sliders[3].layout.display == "none"
    pg.controls["problem"].value = "regression"
    cfg = pg.trainer.config
    assert (cfg["problem"], cfg["dataset"], cfg["loss"]) == ("regression", "reg-plane", "mse")
    assert tuple(pg.controls["loss"].options) == ("mse", "mae", "huber")
    assert pg.canvas.last[0]["problem"] == "regression" and pg.canvas.last[0]["classes"] == 0


def test_removing_every_feature_is_a_message(pg):
    for b in pg.feature_buttons.values():
        b.value = False
    assert errored(pg) and "features" in pg.status.value
    pg.feature_buttons["x1"].value = True
    assert not errored(pg) and pg.trainer.config["features"] == ["x1"]


def test_a_diverging_run_pauses_with_a_message_never_a_traceback(pg):
    pg.load_preset("bad · lr 0.3 on reg-plane: diverges")
    pg.start()
    request_frame(pg)
    assert not pg.playing and pg.trainer.history.diverged
    assert "Diverged" in pg.status.value and "Traceback" not in pg.status.value
    pg.step()  # pressing Step again only repeats the message
    assert "Press Reset" in pg.status.value
    pg.reset()
    assert pg.trainer.epoch == 0 and not pg.trainer.history.diverged


def test_optimizer_knobs_show_only_for_their_optimizer(pg):
    c = pg.controls
    assert c["momentum"].layout.display is None and c["beta1"].layout.display == "none"
    c["optimizer"].value = "adam"
    assert c["momentum"].layout.display == "none" and c["beta1"].layout.display is None
    c["beta1"].value = 0.5
    assert pg.trainer.optimizer.beta1 == 0.5


def test_presets_load_and_show_why(pg):
    for name in PRESETS:
        pg.preset.value = name
        pg.preset_button.click()
        assert not errored(pg), pg.status.value
        want = pgm.validate_config(PRESETS[name]["config"])
        assert pg.trainer.config == want == pgm.validate_config(pg.widget_config())
        assert PRESETS[name]["why"][:30] in pg.preset_why.value


def test_export_import_round_trip(pg):
    pg.load_preset("good · spiral: Adam, 4×8 tanh, sin features")
    pg.controls["lr"].value = 0.003
    pg.export_button.click()
    text = pg.config_text.value
    assert json.loads(text)["lr"] == 0.003
    other = Playground(output_resolution=8, neuron_resolution=4)
    try:
        other.config_text.value = text
        other.import_button.click()
        assert not errored(other) and other.trainer.config == pg.trainer.config
        assert other.export_config() == text
    finally:
        other.close()


def test_export_import_round_trip_keeps_uploaded_points(pg):
    pg.load_csv_text(CSV_TEXT)
    text = pg.export_config()
    cfg, data = pgm.config_from_json(text)
    assert cfg["dataset"] == "csv" and data[0].shape == (60, 2)
    np.testing.assert_allclose(data[0], pg.csv_data[0], atol=1e-4)
    np.testing.assert_array_equal(data[1], pg.csv_data[1])


def test_import_of_a_bad_text_is_a_message_and_changes_nothing(pg):
    before = dict(pg.trainer.config)
    for text, match in (("{not json", "not valid JSON"), ('{"lr": -1}', "lr must be"),
                        ('{"activaton": "relu"}', "did you mean")):
        pg.config_text.value = text
        pg.import_button.click()
        assert errored(pg) and match in pg.status.value, pg.status.value
        assert pg.trainer.config == before


def test_imported_lr_between_slider_values_is_kept(pg):
    pg.import_config(json.dumps({"lr": 0.05}))
    assert pg.trainer.config["lr"] == 0.05
    pg.controls["noise"].value = 10  # another knob: the exact lr survives
    assert pg.trainer.config["lr"] == 0.05


def test_show_test_and_discretize(pg):
    pg.step(3)
    pg.show_test.value = False
    assert not pg.canvas.show_test  # the page draws the points: it hides the test points
    pg.discretize.value = True
    assert set(np.unique(pg.canvas.shown["output"])) <= {0.0, 1.0}


@pytest.mark.parametrize("config, name", [(3, "config"), ({"hidden": 3}, "hidden"),
                                          ({"features": 5}, "features"),
                                          ({"features": [["x1"]]}, "feature")])
def test_validate_config_rejects_wrong_types_with_a_value_error(config, name):
    with pytest.raises(ValueError, match=name):
        pgm.validate_config(config)


def test_every_preset_named_in_the_docstrings_exists():

    for doc in (pgm.Playground.__doc__, pgm.__doc__):
        for name in re.findall(r'load_preset\("([^"]+)"\)', doc or ""):
            assert name in PRESETS


# --- hardening (issue 14): each test below failed before its fix


_NOISY_GAUSS_ES = {"dataset": "gauss", "noise": 0.5, "train_ratio": 0.1, "hidden": [8] * 6,
                   "activation": "relu", "optimizer": "adam", "lr": 0.01,
                   "early_stopping": True, "patience": 5}


def test_reset_starts_a_new_early_stopping_watch():
    t = Trainer(_NOISY_GAUSS_ES).train(300)
    first = t.epoch
    assert t.finished and first < 300
    t.reset()
    t.train(300)
    assert t.epoch == first  # the same seed, the same run: not stopped after one epoch


def test_a_rebuild_after_early_stopping_trains_the_new_network():
    t = Trainer(_NOISY_GAUSS_ES).train(300)
    assert t.update({"hidden": [3]}) is True
    t.train(5)
    assert t.epoch == 5 and not t.finished


def test_batchnorm_needs_two_points_per_batch():
    with pytest.raises(ValueError, match="batch norm .* at least 2 points per batch"):
        Trainer({"batchnorm": True, "batch_size": 1})
    t = Trainer({"batch_size": 1})
    with pytest.raises(ValueError, match="batch_size to 2 or more"):
        t.update({"batchnorm": True})
    X = np.linspace(-1, 1, 20, dtype=np.float32).reshape(10, 2)
    y = np.arange(10) % 2
    with pytest.raises(ValueError, match="at least 2 training points.*leaves 1"):
        Trainer({"dataset": "csv", "batchnorm": True, "train_ratio": 0.1}, csv_data=(X, y))


def test_a_failed_update_leaves_the_trainer_as_it_was():
    t = Trainer().train(2)
    before, model = dict(t.config), t.model
    with pytest.raises(ValueError, match="no CSV uploaded"):
        t.update({"dataset": "csv"})
    assert t.config == before and t.model is model and t.epoch == 2
    assert t.train(1).epoch == 3
    for bad in (3, "lr", None):
        with pytest.raises(ValueError, match="changes must be a dict"):
            t.update(bad)


@pytest.mark.parametrize("resolution", [0, -3, 2.5, "60", 10**6])
def test_map_resolutions_are_checked(resolution):
    t = Trainer()
    for method in (t.output_map, t.neuron_maps, t.grid):
        with pytest.raises(ValueError, match="resolution"):
            method(resolution)


@pytest.mark.parametrize("csv_data, match", [
    ("points", "pair"), ((np.zeros((12, 2)),), "pair"),
    (([[1, 2], [3]], [0, 1]), "pair .* of arrays"),
    ((np.zeros((12, 3)), np.zeros(12)), r"X must be \(n, 2\)"),
    ((np.zeros((12, 2)), np.zeros(11)), r"y \(n,\)"),
    ((np.zeros((5, 2)), np.arange(5) % 2), "10 to 2,000"),
    ((np.full((12, 2), np.nan), np.arange(12) % 2), "finite"),
    ((np.zeros((12, 2)), np.arange(12) % 3), "label 2: labels of a classification must be 0 or 1"),
    ((np.zeros((12, 2), dtype=object), np.arange(12) % 2), "must hold numbers"),
])
def test_trainer_checks_points_given_in_code(csv_data, match):
    with pytest.raises(ValueError, match=match):
        Trainer({"dataset": "csv"}, csv_data=csv_data)


@pytest.mark.parametrize("key, hint", [("learning_rate", "did you mean 'lr'"),
                                       ("learningRate", "did you mean 'lr'"),
                                       ("percTrainData", "did you mean 'train_ratio'"),
                                       ("networkShape", "did you mean 'hidden'"),
                                       ("batchSize", "did you mean 'batch_size'"),
                                       ("epochs", "not a setting"),
                                       ("zzz", "the keys are problem, dataset"),
                                       (1, "unknown configuration key 1"),
                                       ("k" * 10**5, "unknown configuration key 'kkkk")])
def test_unknown_keys_get_the_right_suggestion(key, hint):
    with pytest.raises(ValueError, match=hint) as exc:
        pgm.validate_config({key: 0.1})
    assert len(str(exc.value)) < 400


def _deep(levels):
    x = []
    for _ in range(levels):
        x = [x]
    return x


@pytest.mark.parametrize("config, match", [
    ({"lr": 10**400}, "lr must be a number in"), ({"seed": -(10**5000)}, "seed must be an integer"),
    ({"noise": Fraction(10**5000, 3)}, "noise must be a number in .* a Fraction too large to show"),
    ({"lr": float("nan")}, "lr must be a finite number"), ({"lr": True}, "lr must be a number"),
    ({"activation": "r" * 10**6}, "activation must be one of"),
    ({"hidden": [_deep(10**5)]}, "neurons must be a number"),
    ({"features": _deep(10**5)}, "feature must be one of"),
    ({"features": ["x1"] * 10**6}, "at most the 7 names"),
    ({"batchnorm": "yes"}, "batchnorm must be true or false"),
])
def test_validate_config_names_huge_and_odd_values_briefly(config, match):
    with pytest.raises(ValueError, match=match) as exc:
        pgm.validate_config(config)
    assert len(str(exc.value)) < 400


def _rows(n, label=lambda i: i % 2):
    return [[i / n, (i * 7 % n) / n, label(i)] for i in range(n)]


@pytest.mark.parametrize("text, match", [
    ('{"dataset": "csv", "csv_data": {"a": 1}}', "csv_data must be a list of .* rows, got a dict"),
    ('{"dataset": "csv", "csv_data": [[1, 2, 0], [1, 2]]}', r"row 2 of csv_data is not \[x1"),
    ('{"dataset": "csv", "csv_data": [[1, 2, 0]]}', "at least 10 points"),
    ('{"dataset": "csv", "csv_data": [[1, 2, NaN], [1, 2, 1]]}', "NaN is not allowed"),
    ('{"lr": Infinity}', "Infinity is not allowed"),
    ("[" * 10**5 + "]" * 10**5, "nests 100000 levels deep; a configuration nests at most 3"),
    ('{"lr": %s}' % ("7" * 5000), "the number 7777.* is too large"),
    ('{"lr": 1e400}', "the number 1e400 is too large"),
    ('{"seed": 10000000000000000}', "too large"),
    (json.dumps({"dataset": "csv", "csv_data": _rows(2001)}), "2,001 points; .* at most 2,000"),
    (json.dumps({"dataset": "csv", "csv_data": _rows(12, lambda i: i % 3)}),
     "row 3 of csv_data: label 2: labels must be 0 or 1"),
    (json.dumps({"dataset": "csv", "csv_data": _rows(12, lambda i: i % 3 == 0)}),
     r"row 1 of csv_data is not \[x1, x2, label\] \(three numbers\): \[0.0, 0.0, True\]"),
    (json.dumps({"dataset": "csv", "csv_data": _rows(12, lambda i: 0)}), "single value"),
    (json.dumps({"dataset": "csv", "csv_data": [[0, 0, "a"]] * 12}), "three numbers"),
    (json.dumps({"dataset": "csv"}), "needs the points"),
    (" " * (10**6 + 1), "at most 1,000,000"),
    (b'{"lr": 0.1}', "must be JSON text"), ("[1, 2]", "must be a JSON object"),
    ('{"hidden": [[8]]}', "neurons must be a number"),
])
def test_config_from_json_names_what_is_wrong(text, match):
    with pytest.raises(ValueError, match=match):
        pgm.config_from_json(text)


def test_config_from_json_reads_csv_data_as_a_file_is_read():
    rows = _rows(20, lambda i: 0.5 * i)
    cfg, (X, y) = pgm.config_from_json(json.dumps(
        {"problem": "regression", "dataset": "csv", "loss": "mse", "csv_data": rows}))
    assert X.dtype == np.float32 and (X.min(), X.max()) == (-5.0, 5.0)
    assert y.dtype == np.float32 and (y.min(), y.max()) == (-1.0, 1.0)
    assert Trainer(cfg, csv_data=(X, y)).train(2).epoch == 2


def test_config_to_json_of_a_csv_setting_needs_its_points():
    with pytest.raises(ValueError, match="needs its points"):
        pgm.config_to_json({"dataset": "csv"})


def test_a_classification_csv_survives_export_and_import(pg):
    pg.load_csv_text(CSV_TEXT)
    text = pg.export_config()
    assert {row[2] for row in json.loads(text)["csv_data"]} == {0, 1}  # integers, not 0.0, 1.0
    cfg, (X, y) = pgm.config_from_json(text)
    assert y.dtype == np.int64 and (y == pg.csv_data[1]).all()
    other = Playground(output_resolution=8, neuron_resolution=4)
    try:
        other.import_config(text)
        assert not errored(other) and other.trainer.config == pg.trainer.config
        assert other.trainer.classification and "csv" in other.controls["dataset"].options
        np.testing.assert_allclose(other.csv_data[0], pg.csv_data[0], atol=1e-4)
        assert other.export_config() == text
    finally:
        other.close()


def _ten_rows_bn():
    """A configuration that parses but cannot build: batch norm with 1 training point."""
    return json.dumps({"dataset": "csv", "batchnorm": True, "train_ratio": 0.1,
                       "csv_data": _rows(10)})


def _snapshot(app):
    return (app.trainer, app.csv_data, app.trainer.epoch, app.playing,
            tuple(app.controls["dataset"].options), app.controls["dataset"].value,
            app.controls["batchnorm"].value, app.controls["train_ratio"].value)


def test_a_failed_import_leaves_the_state_exactly_as_it_was(pg):
    pg.load_csv_text(CSV_TEXT)
    pg.step(2)
    pg.start()
    before = _snapshot(pg)
    pg.config_text.value = _ten_rows_bn()
    pg.import_button.click()
    assert errored(pg) and "at least 2 training points" in pg.status.value
    assert _snapshot(pg) == before and pg.csv_data is before[1]


def test_a_failed_upload_leaves_the_state_exactly_as_it_was(pg):
    pg.apply({"batchnorm": True, "train_ratio": 0.1})
    pg.step(1)
    before = _snapshot(pg)
    ten = "\n".join(",".join(map(str, r)) for r in _rows(10)).encode()
    pg.upload.value = Playground.upload_value("ten.csv", ten)
    assert errored(pg) and "at least 2 training points" in pg.status.value
    assert _snapshot(pg) == before and pg.csv_data is None
    assert pg.upload.value == ()  # cleared: the same file, fixed, can be chosen again


def _table(n=20, sep=",", end="\n", header="x,y,label"):
    rows = [f"{i}{sep}{i % 7}{sep}{i % 2}" for i in range(n)]
    return end.join(([header] if header else []) + rows)


_GOOD_FILES = {
    "CR-only line ends (an old Mac)": _table(end="\r").encode(),
    "CRLF line ends (Windows)": _table(end="\r\n").encode(),
    "UTF-8 with a BOM": codecs.BOM_UTF8 + _table().encode(),
    "UTF-16 with a BOM": _table(header="température,humidité,pluie").encode("utf-16"),
    "UTF-16 without a BOM": _table().encode("utf-16-le"),
    "Latin-1": _table(header="température,humidité,pluie").encode("latin-1"),
    "semicolons": _table(sep=";").encode(),
    "tabs": _table(sep="\t").encode(),
    "semicolons and decimal commas": "\n".join(
        f"{i},5;{i % 7},25;{i % 2}" for i in range(20)).encode(),
    "blank lines and a trailing separator row": (_table() + "\n\n,,\n").encode(),
}


@pytest.mark.parametrize("name", list(_GOOD_FILES))
def test_files_in_every_common_encoding_and_separator_parse(name):
    X, y, problem = pgm.parse_csv(_GOOD_FILES[name])
    assert X.shape == (20, 2) and problem == "classification" and list(y[:3]) == [0, 1, 0]


def test_uploads_in_every_common_encoding_and_separator_load(pg):
    for name, data in _GOOD_FILES.items():
        pg.upload.value = Playground.upload_value(f"{name}.csv", data)
        assert not errored(pg), (name, pg.status.value)
        assert pg.trainer.config["dataset"] == "csv" and len(pg.csv_data[0]) == 20, name


_BAD_FILES = {
    "a PNG image": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "not a text file.*PNG"),
    "an Excel workbook": (b"PK\x03\x04" + bytes(100), "Excel workbook"),
    "random binary": (bytes(range(256)) * 4, "not a text file"),
    "a 200k-character field": (b"x,y,l\n1,2," + b"9" * 200_000 + b"\n" + b"1,2,0\n" * 20,
                               "row 2 of your file has 200,004 characters"),
    "a typo in the first data row": (("1,2.O,1\n" + _table(header=None)).encode(),
                                     r"row 1 of your file, column 2 \(x2\): '2.O' is not a "
                                     "number"),
    "a bad cell after a header and a blank line": (
        b"x,y,label\n\n1,2,0\n1,2,0\n3,x,1\n" + _table(header=None).encode(),
        r"row 5 of your file, column 2 \(x2\): 'x' is not a number"),
    "spaces as separators": (_table(sep=" ", header=None).encode(),
                             "row 1 of your file has 1 value .* separated by commas "
                             r"\(not spaces\)"),
    "a missing label": (b"x,y,label\n" + b"1,2\n" * 12, "row 2 of your file has 2 values"),
    "an empty cell": (b"x,y,label\n" + b"1,,0\n" * 12, r"row 2 of your file, column 2 \(x2\) "
                      "is empty"),
    "nan": (b"1,2,0\n" * 5 + b"1,nan,1\n" + b"1,2,1\n" * 5, "row 6 .* 'nan' is not a finite"),
    "a huge number": (b"1,2,0\n" * 5 + b"1,1e300,1\n" + b"1,2,1\n" * 5, "'1e300' is too large"),
    "too many rows": (_table(n=2001, header=None).encode(), "2,001 rows of data; .* at most 2,000"),
    "far too many rows": (b"1,2,0\n" * 100_000, "100,000 rows; .* at most 2,000"),
    "an empty file": (b"", "at least 10 data rows"),
    "a file of 10 MB": (b"1,2,0\n" * 2_000_000, "12,000,000 characters"),
}


@pytest.mark.parametrize("name", list(_BAD_FILES))
def test_bad_files_say_what_is_wrong(name):
    data, match = _BAD_FILES[name]
    with pytest.raises(ValueError, match=match):
        pgm.parse_csv(data)


def test_bad_uploads_are_a_message_and_change_nothing(pg):
    pg.load_csv_text(CSV_TEXT)
    pg.step(1)
    before = _snapshot(pg)
    for name, (data, _) in _BAD_FILES.items():
        pg.upload.value = Playground.upload_value(f"{name}.csv", data)
        assert errored(pg) and "ValueError:" in pg.status.value, (name, pg.status.value)
        assert _snapshot(pg) == before, name


def test_a_label_of_three_values_is_a_regression_and_the_status_says_so(pg):
    rows = "\n".join(f"{i},{i % 7},{i % 3}" for i in range(30))
    pg.load_csv_text(rows, name="three.csv")
    assert pg.trainer.config["problem"] == "regression" and not errored(pg)
    assert "regression: the label takes 3 values" in pg.status.value


def test_a_playground_leaves_no_pyplot_figure_open_and_is_freed_when_closed():
    open_before = plt.get_fignums()
    apps = [Playground(output_resolution=8, neuron_resolution=4) for _ in range(3)]
    assert plt.get_fignums() == open_before
    ref = weakref.ref(apps[0].canvas)
    for app in apps:
        app.close()
    del apps, app
    gc.collect()
    assert ref() is None


def test_with_every_feature_unticked_a_learning_rate_change_still_applies(pg):
    for b in pg.feature_buttons.values():
        b.value = False
    assert errored(pg) and "tick at least one input feature" in pg.status.value
    pg.step(1)
    pg.controls["lr"].value = 0.1
    assert pg.trainer.config["lr"] == 0.1 and pg.trainer.optimizer.lr == 0.1
    assert pg.trainer.epoch == 1 and pg.trainer.config["features"] == ["x2"]
    assert not any(b.value for b in pg.feature_buttons.values())
    assert errored(pg) and "keeps x₂" in pg.status.value
