"""The Playground's controls and layout (helpers/playground/controls.py, share.py, view.py;
view.py re-exports parse_seed): what a learner types into it, what the Share tab shows, and
the sizes that make it fit (the browser tests measure them in JupyterLab and Voila)."""

import re
from pathlib import Path

import ipywidgets as W
import pytest

from helpers.playground import PRESETS, Playground
from helpers.playground import view as pgv


@pytest.fixture
def pg():
    app = Playground(output_resolution=24, neuron_resolution=8)
    yield app
    app.close()


def errored(app):
    return "#b00020" in app.status.value


@pytest.mark.parametrize("typed", ["1.5", "abc", "-3", "", "1e3", str(2**31)])
def test_a_seed_that_is_not_a_whole_number_is_refused_and_the_box_shows_the_seed_in_use(pg, typed):
    pg.step(2)
    pg.controls["seed"].value = typed
    assert errored(pg) and "seed must be an integer" in pg.status.value
    assert pg.controls["seed"].value == "0" and pg.trainer.config["seed"] == 0
    assert pg.trainer.epoch == 2  # nothing was rebuilt
    pg.controls["noise"].value = 10  # the next knob works as before
    assert not errored(pg) and pg.trainer.config["noise"] == 0.1


def test_a_whole_number_seed_rebuilds_with_it(pg):
    pg.controls["seed"].value = " 15 "
    assert not errored(pg) and pg.trainer.config["seed"] == 15 and pg.trainer.epoch == 0
    assert pg.widget_config()["seed"] == 15
    pg.load_preset(next(iter(PRESETS)))
    assert pg.controls["seed"].value == str(pg.trainer.config["seed"])


def test_parse_seed_names_the_parameter():
    assert pgv.parse_seed("7") == 7 and pgv.parse_seed(12) == 12
    with pytest.raises(ValueError, match="seed must be an integer, got '1.5'"):
        pgv.parse_seed("1.5")


def test_loading_a_preset_refreshes_an_exported_json_box(pg):
    pg.export_config()
    name = "good · spiral: Adam, 4×8 tanh, sin features"
    pg.load_preset(name)
    assert '"dataset": "spiral"' in pg.config_text.value
    assert pg.config_text.value == pg.export_config()


def test_loading_a_preset_leaves_an_empty_json_box_empty(pg):
    pg.load_preset(next(iter(PRESETS)))
    assert pg.config_text.value == ""


def test_reset_in_the_middle_of_a_run_stops_the_clock_at_epoch_0(pg):
    pg.start()
    for _ in range(2):  # the page's requests for frames: at least an epoch each
        pg.canvas._on_msg(pg.canvas, {"type": "frame"}, [])
    assert pg.trainer.epoch >= 2
    pg.reset_button.click()
    assert not pg.playing and pg.trainer.epoch == 0 and not errored(pg)
    assert "Epoch 0" in pg.counter.value


def test_tab_titles_are_whole_words_and_every_tab_is_reachable(pg):
    assert [pg.tabs.get_title(i) for i in range(len(pg.tabs.children))] == [
        "Data", "Network", "Training", "Regularize", "Share"]


def test_the_figure_and_the_tabs_fit_voila_at_1280_px_and_wrap_below_it(pg):
    # the picture's pixels (canvas.js: the diagram, a gap, the output) are what the plots'
    # column is sized for
    js = (Path(pgv.__file__).parent / "canvas.js").read_text(encoding="utf-8")
    net, out = (int(re.search(rf"\b{name} = (\d+)", js).group(1)) for name in ("NET_W", "OUT_PX"))
    assert net + 12 + out <= pgv.FIGURE_PX
    plots, tabs = pg.ui.children
    assert pg.figure_widget in plots.children and tabs is pg.tabs
    assert pg.ui.layout.flex_flow == "row wrap"  # reflow, never clip
    assert plots.layout.width == f"{pgv.FIGURE_PX + pgv.FRAME_PX}px"
    assert pgv.FIGURE_PX + pgv.FRAME_PX + 12 + pgv.TABS_PX < 1250  # Voila's output at 1280 px
    for w in (pg.preset, pg.config_text):  # the Share tab's boxes take the tab's width
        assert w.layout.width == "100%"
    assert isinstance(pg.controls["seed"], W.Text)
