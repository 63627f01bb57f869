"""The Playground's logic without a browser: set widget values, step, and check the state and
the plotted data (helpers/playground.py, notebook 15)."""

import json

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import playground as pgm
from helpers.playground import PRESETS, Playground, Trainer


@pytest.fixture
def pg():
    app = Playground(output_resolution=24, neuron_resolution=8)
    yield app
    plt.close(app.fig)


def plotted(app):
    """Copies of the data every live artist shows."""
    return {"output": np.array(app.out_image.get_array(), dtype=float),
            "neurons": np.array(app.net_image.get_array(), dtype=float),
            "train_loss": np.array(app.train_line.get_ydata(), dtype=float),
            "test_loss": np.array(app.test_line.get_ydata(), dtype=float),
            "points": np.array(app.train_points.get_offsets(), dtype=float)}


def errored(app):
    return "#b00020" in app.status.value


# --- the engine


def test_defaults_are_the_tensorflow_playgrounds():
    cfg = Trainer().config
    assert (cfg["dataset"], cfg["lr"], cfg["activation"], cfg["hidden"], cfg["batch_size"],
            cfg["train_ratio"], cfg["features"]) == ("circle", 0.03, "tanh", [4, 2], 10, 0.5,
                                                     ["x1", "x2"])


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
    assert t.epoch == 15 and t.history.iterations == 15 * 20  # 200 train points, batches of 10
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


def test_the_play_clock_steps_and_the_stop_button_does_not(pg):
    pg.speed.value = 2
    pg.play.value += 1  # what the browser's Play does on each tick
    assert pg.trainer.epoch == 2
    pg.play.value = 0  # its stop button
    assert pg.trainer.epoch == 2
    pg.start()
    assert pg.play.playing
    pg.pause()
    assert not pg.play.playing


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
    assert pg.out_image.get_clim() == (-1.0, 1.0)


def test_removing_every_feature_is_a_message(pg):
    for b in pg.feature_buttons.values():
        b.value = False
    assert errored(pg) and "features" in pg.status.value
    pg.feature_buttons["x1"].value = True
    assert not errored(pg) and pg.trainer.config["features"] == ["x1"]


def test_a_diverging_run_pauses_with_a_message_never_a_traceback(pg):
    pg.load_preset("bad · lr 0.3 on reg-plane: diverges")
    pg.start()
    pg.play.value += 1
    assert not pg.play.playing and pg.trainer.history.diverged
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
        plt.close(other.fig)


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
    assert not pg.test_points.get_visible()
    pg.discretize.value = True
    assert set(np.unique(pg.out_image.get_array())) <= {0.0, 1.0}


@pytest.mark.parametrize("config, name", [(3, "config"), ({"hidden": 3}, "hidden"),
                                          ({"features": 5}, "features"),
                                          ({"features": [["x1"]]}, "feature")])
def test_validate_config_rejects_wrong_types_with_a_value_error(config, name):
    with pytest.raises(ValueError, match=name):
        pgm.validate_config(config)


def test_every_preset_named_in_the_docstrings_exists():
    import re

    for doc in (pgm.Playground.__doc__, pgm.__doc__):
        for name in re.findall(r'load_preset\("([^"]+)"\)', doc or ""):
            assert name in PRESETS
