"""The Playground's picture without a browser: every frame the kernel sends holds exactly what
the engine computes (helpers/playground/canvas.py; canvas.js draws it), the page's requests
train and answer, and what the page sends back (a weight, + and -) is checked."""

import json
from pathlib import Path

import numpy as np
import pytest

import helpers.playground as pgm
from helpers.diagnostics import linear_layers
from helpers.playground import Playground, Trainer
from helpers.playground.canvas import frame, train_for

ALL = list(pgm.FEATURES)


def buffers_of(trainer, res, nres):
    """What a frame must hold, computed here from the engine's own methods."""
    out = trainer.output_map(res).ravel()
    neurons = np.concatenate([m.ravel() for col in trainer.neuron_maps(nres) for m in col])
    weights = np.concatenate([np.concatenate([lin.weight.data.ravel(), lin.bias.data.ravel()])
                              for lin in linear_layers(trainer.model)])
    return out, neurons, weights


def send(app, content):
    app.canvas._on_msg(app.canvas, content, [])


@pytest.fixture
def pg():
    app = Playground(output_resolution=16, neuron_resolution=6)
    yield app
    app.close()


@pytest.mark.parametrize("config", [{}, {"hidden": [8] * 6, "features": ALL},
                                    {"problem": "regression", "dataset": "reg-gauss",
                                     "loss": "mse", "hidden": [3]},
                                    {"hidden": [], "loss": "cross_entropy"}])
def test_a_frames_buffers_equal_what_the_engine_computes(config):
    t = Trainer(config)
    t.train(3)
    meta, bufs = frame(t, resolution=12, neuron_resolution=5, full=True)
    out, neurons, weights = buffers_of(t, 12, 5)
    assert all(b.dtype == np.float32 and b.flags.c_contiguous for b in bufs)
    np.testing.assert_array_equal(bufs[0].ravel(), out.astype(np.float32))
    np.testing.assert_array_equal(bufs[1], neurons.astype(np.float32))
    np.testing.assert_array_equal(bufs[2], weights)
    h = t.history.history
    np.testing.assert_array_equal(bufs[3], np.float32(h["loss"] + h["val_loss"]))
    pts = bufs[4].reshape(-1, 3)
    np.testing.assert_array_equal(pts[:meta["n_train"], :2], t.X_train)
    np.testing.assert_array_equal(pts[meta["n_train"]:, 2], np.float32(t.y_test))
    sizes = [len(t.config["features"]), *t.config["hidden"], t.n_outputs]
    assert meta["sizes"] == sizes and meta["epoch"] == 3 and meta["n_loss"] == 3
    # the page's tiles: one map per feature and hidden neuron; its links: every weight
    assert bufs[1].size == sum(sizes[:-1]) * 25
    assert bufs[2].size == sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))


def test_the_page_holds_the_whole_loss_history_from_frames_that_send_only_the_new_epochs(pg):
    for n in (1, 3, 2):
        pg.step(n)
        assert pg.canvas.last[0]["n_loss"] == n  # only the epochs since the last frame
    h = pg.trainer.history.history
    np.testing.assert_array_equal(pg.canvas.shown["train_loss"], np.float32(h["loss"]))
    np.testing.assert_array_equal(pg.canvas.shown["test_loss"], np.float32(h["val_loss"]))
    pg.reset()  # a new network: the page starts its curves again
    assert pg.canvas.last[0]["full"] and len(pg.canvas.shown["train_loss"]) == 0


def test_a_frame_request_trains_at_least_one_epoch_and_answers_once(pg):
    pg.canvas.budget = 0.0
    pg.start()
    frames = pg.canvas.frames
    send(pg, {"type": "frame"})
    assert pg.trainer.epoch == 1 and pg.canvas.frames == frames + 1
    pg.canvas.budget = 0.05
    send(pg, {"type": "frame"})
    assert pg.trainer.epoch > 2 and pg.canvas.frames == frames + 2  # several epochs, one frame
    np.testing.assert_array_equal(pg.canvas.shown["output"].ravel(),
                                  np.float32(pg.trainer.output_map(16).ravel()))


def test_train_for_stops_at_a_divergence():
    t = Trainer({"problem": "regression", "dataset": "reg-plane", "loss": "mse", "lr": 10.0,
                 "hidden": [8, 8], "activation": "relu"})
    n = train_for(t, 5.0)
    assert t.history.diverged and n < 5 and train_for(t, 0.0) == 0


def test_a_page_that_opens_gets_a_full_frame(pg):
    send(pg, {"type": "hello"})
    meta, bufs = pg.canvas.last
    assert meta["full"] and len(bufs) == 5 and meta["n_train"] + meta["n_test"] == 500


def test_editing_a_weight_changes_the_output_and_training_goes_on_from_it(pg):
    pg.step(2)
    before = pg.canvas.shown["output"].copy()
    send(pg, {"type": "set_weight", "layer": 1, "i": 3, "j": 0, "value": -2.5})
    lin = linear_layers(pg.trainer.model)[1]
    assert lin.weight.data[3, 0] == np.float32(-2.5) and "set to -2.5" in pg.status.value
    assert not np.allclose(before, pg.canvas.shown["output"])
    np.testing.assert_array_equal(pg.canvas.shown["weights"][2 * 4 + 4 + 3 * 2], -2.5)
    pg.step(1)
    assert pg.trainer.epoch == 3 and lin.weight.data[3, 0] != np.float32(-2.5)


@pytest.mark.parametrize("content, word", [
    ({"type": "set_weight", "layer": 7, "i": 0, "j": 0, "value": 1.0}, "layer"),
    ({"type": "set_weight", "layer": 0, "i": 5, "j": 0, "value": 1.0}, "i"),
    ({"type": "set_weight", "layer": 0, "i": 0, "j": 0, "value": "abc"}, "weight"),
    ({"type": "set_weight", "layer": 0, "i": 0, "j": 0, "value": float("nan")}, "weight"),
    ({"type": "hidden", "hidden": [9]}, "neurons"),
    ({"type": "hidden", "hidden": "4,2"}, "hidden"),
    ({"type": "hidden", "hidden": [4] * 7}, "hidden"),
])
def test_what_the_page_sends_is_checked_a_bad_value_is_a_message(pg, content, word):
    weights = pg.canvas.shown["weights"].copy()
    send(pg, content)
    assert "#b00020" in pg.status.value and word in pg.status.value
    assert "Traceback" not in pg.status.value
    np.testing.assert_array_equal(pg.canvas.shown["weights"], weights)
    assert pg.trainer.config["hidden"] == [4, 2]


def test_plus_and_minus_rebuild_the_network_and_move_the_sliders(pg):
    send(pg, {"type": "hidden", "hidden": [4, 2, 2]})
    assert pg.trainer.config["hidden"] == [4, 2, 2] and pg.controls["n_layers"].value == 3
    send(pg, {"type": "hidden", "hidden": [5]})
    assert pg.trainer.config["hidden"] == [5] and pg.neuron_sliders[0].value == 5
    assert pg.canvas.last[0]["sizes"] == [2, 5, 1]


def test_the_javascript_and_css_ship_as_readable_files_of_the_package():
    here = Path(pgm.__file__).parent
    js = (here / "canvas.js").read_text(encoding="utf-8")
    assert "export default" in js and "requestAnimationFrame" in js
    assert max(len(line) for line in js.splitlines()) <= 110  # readable, not minified
    assert (here / "canvas.css").is_file()
    pyproject = (here.parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    assert '"helpers.playground" = ["*.js", "*.css"]' in pyproject


# --- several classes


@pytest.mark.parametrize("name, k", [("blobs-3", 3), ("blobs-5", 5), ("spiral-3", 3)])
def test_multiclass_data_sets_have_balanced_classes_in_the_box(name, k):
    t = Trainer({"problem": "multiclass", "dataset": name, "loss": "cross_entropy"})
    y = np.concatenate([t.y_train, t.y_test])
    assert t.n_classes == t.n_outputs == k and set(np.unique(y)) == set(range(k))
    assert np.bincount(y).min() >= len(y) // k - 1
    assert np.abs(np.concatenate([t.X_train, t.X_test])).max() < pgm.BOX


def test_multiclass_trains_and_its_frame_holds_class_and_confidence():
    t = Trainer({"problem": "multiclass", "dataset": "blobs-5", "loss": "cross_entropy",
                 "hidden": [8], "optimizer": "adam", "lr": 0.03})
    first = t.evaluate()["val_loss"]
    t.train(20)
    acc = t.class_accuracy()
    assert t.history.final("val_loss") < first / 3 and t.history.final("val_accuracy") > 0.9
    assert len(acc) == 5 and min(acc) > 0.8
    meta, bufs = frame(t, resolution=10, neuron_resolution=4)
    cls, conf = bufs[0].reshape(2, 10, 10)
    np.testing.assert_array_equal(cls, t.class_map(10)[0])
    np.testing.assert_array_equal(cls, t.output_map(10))  # score = the predicted class
    assert set(np.unique(cls)) <= set(range(5)) and (conf >= 1 / 5 - 1e-6).all()
    assert meta["classes"] == 5 and meta["sizes"][-1] == 5 and meta["class_accuracy"] == acc


def test_the_problem_menu_offers_multiclass_with_softmax_cross_entropy_and_back(pg):
    pg.controls["problem"].value = "multiclass"
    cfg = pg.trainer.config
    assert (cfg["dataset"], cfg["loss"]) == ("blobs-3", "cross_entropy")
    assert "#b00020" not in pg.status.value
    assert tuple(pg.controls["loss"].options) == ("cross_entropy",)
    pg.step(2)
    shown = pg.canvas.shown
    assert shown["meta"]["classes"] == 3 and shown["output"].shape == (2, 16, 16)
    pg.controls["problem"].value = "classification"  # two classes keep working
    pg.step(1)
    assert pg.trainer.config["loss"] == "bce" and pg.canvas.shown["output"].shape == (16, 16)


def test_several_classes_cannot_take_a_two_class_loss():
    with pytest.raises(ValueError, match="loss 'bce' does not fit multiclass"):
        pgm.validate_config({"problem": "multiclass", "dataset": "blobs-3", "loss": "bce"})


@pytest.mark.parametrize("path", ["notebooks/15_playground.ipynb", "app/playground.ipynb"])
def test_the_stored_widget_state_draws_with_this_canvas_js(path):
    """A committed notebook shows its stored widgets before any cell runs: their JavaScript
    must be the package's canvas.js and canvas.css, not an older copy (re-execute the notebook
    with tools/execute_notebooks.py after editing them)."""
    here = Path(__file__).resolve().parents[1]
    nb = json.loads((here / path).read_text(encoding="utf-8"))
    models = nb["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    canvases = [m["state"] for m in models.values() if "_esm" in m["state"]]
    assert canvases, f"{path} stores no Playground canvas"
    package = here / "helpers" / "playground"
    for state in canvases:
        assert state["_esm"] == (package / "canvas.js").read_text(encoding="utf-8")
        assert state["_css"] == (package / "canvas.css").read_text(encoding="utf-8")
