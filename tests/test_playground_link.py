"""A Playground setting as a link (helpers/playground/link.py): the app's address hash, as the
TensorFlow Playground's; the Share tab shows it; the page sends it when the app opens."""

import html

import pytest

import helpers.playground as pgm
from helpers.playground import PRESETS, Playground
from helpers.playground.link import config_from_hash, config_to_hash


def test_the_defaults_are_an_empty_link_and_a_link_holds_only_what_differs():
    assert config_to_hash({}) == ""
    h = config_to_hash({"dataset": "xor", "lr": 0.1, "hidden": [8, 8], "batchnorm": True})
    assert h == "#dataset=xor&hidden=8,8&lr=0.1&batchnorm=true"
    assert config_from_hash(h) == pgm.validate_config(
        {"dataset": "xor", "lr": 0.1, "hidden": [8, 8], "batchnorm": True})


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_survives_a_link(name):
    cfg = PRESETS[name]["config"]
    assert config_from_hash(config_to_hash(cfg)) == cfg


def test_features_with_odd_characters_and_no_hidden_layer_survive_a_link():
    cfg = pgm.validate_config({"features": ["x1^2", "x1*x2", "sin_x1"], "hidden": []})
    h = config_to_hash(cfg)
    assert config_from_hash(h) == cfg and config_from_hash(h.lstrip("#")) == cfg


@pytest.mark.parametrize("text, match", [
    ("#lr=fast", "lr='fast' in the link: not a number"),
    ("#lr=-1", "lr"),
    ("#lr=nan", "lr"),
    ("#hidden=4,x", "hidden='4,x' in the link"),
    ("#hidden=9", "neurons"),
    ("#batchnorm=yes", "true or false"),
    ("#seed=1.5", "seed='1.5' in the link: not a whole number"),
    ("#learningRate=0.1", "'lr'"),
    ("#dataset=moons", "dataset"),
    ("#" + "a" * 3000, "at most 2,000"),
])
def test_a_bad_link_says_what_is_wrong(text, match):
    with pytest.raises(ValueError, match=match):
        config_from_hash(text)


def test_a_csv_setting_is_shared_as_json_not_as_a_link():
    with pytest.raises(ValueError, match="use Export"):
        config_to_hash({"dataset": "csv"})


def test_the_app_opens_the_setting_in_its_address_and_shows_its_link():
    app = Playground(output_resolution=8, neuron_resolution=4)
    h = "#dataset=spiral&hidden=8,8,8&features=x1,x2,sin_x1,sin_x2&optimizer=adam"
    app.canvas._on_msg(app.canvas, {"type": "hello", "hash": h,
                                    "base": "http://127.0.0.1:8866/"}, [])
    cfg = app.trainer.config
    assert (cfg["dataset"], cfg["hidden"], cfg["optimizer"]) == ("spiral", [8, 8, 8], "adam")
    assert app.controls["n_layers"].value == 3 and app.feature_buttons["sin_x1"].value
    assert "Setting from the link" in app.status.value
    assert app.canvas.url_hash == config_to_hash(cfg)
    assert html.escape(f"http://127.0.0.1:8866/{config_to_hash(cfg)}") in app.link.value
    app.controls["lr"].value = 0.1  # a knob changes the link (and the page's address)
    assert "lr=0.1" in app.canvas.url_hash and "lr=0.1" in app.link.value
    app.close()


def test_a_bad_link_is_a_message_and_the_defaults_stay():
    app = Playground(output_resolution=8, neuron_resolution=4)
    app.canvas._on_msg(app.canvas, {"type": "hello", "hash": "#lr=fast", "base": "http://x/"}, [])
    assert "#b00020" in app.status.value and "in the link: not a number" in app.status.value
    assert app.trainer.config == pgm.validate_config({}) and app.canvas.last[0]["full"]
    app.close()


def test_in_a_notebook_the_share_tab_says_how_to_open_the_setting_in_the_app():
    app = Playground({"dataset": "xor"}, output_resolution=8, neuron_resolution=4)
    assert "voila app/playground.ipynb" in app.link.value and "#dataset=xor" in app.link.value
    app.close()
