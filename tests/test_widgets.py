"""helpers.widgets: a callback's exception becomes a message, never a traceback."""

import ipywidgets as W

import helpers as hp


def test_safe_turns_an_exception_into_a_status_message():
    status = W.HTML()

    @hp.widgets.safe(status=status)
    def boom(x):
        if x < 0:
            raise ValueError("lr must be in [0, inf], got -1")
        return x

    assert boom(-1) is None and "lr must be in" in status.value
    assert boom(2) == 2 and status.value == ""


def test_safe_keeps_a_message_the_callback_set_itself():
    status = W.HTML()

    @hp.widgets.safe(status=status)
    def diverge():
        status.value = hp.widgets.message("Diverged at epoch 3", kind="error")

    diverge()
    diverge()
    assert "Diverged" in status.value


def test_safe_without_status_prints(capsys):
    hp.widgets.safe(lambda: 1 / 0)()
    assert capsys.readouterr().out.startswith("⚠ ZeroDivisionError")


def test_live_calls_update_now_and_on_change():
    seen = []
    slider = hp.widgets.int_slider("n", value=1, min=0, max=5)
    hp.widgets.live(lambda n: seen.append(n), {"n": slider})
    slider.value = 3
    assert seen == [1, 3]
    lr = hp.widgets.log_slider("lr", value=0.01, min_exp=-4, max_exp=0)
    assert isinstance(lr, W.FloatLogSlider)


def test_figure_png_closes_a_pyplot_figure():
    import matplotlib.pyplot as plt

    fig, _ = plt.subplots()
    png = hp.widgets.figure_png(fig)
    assert png.startswith(b"\x89PNG")
    assert fig.number not in plt.get_fignums()  # else it shows under the widget's cell


def test_bad_widget_settings_are_named():
    import pytest

    with pytest.raises(ValueError, match="kind"):
        hp.widgets.message("x", kind="danger")
    with pytest.raises(ValueError, match="options is empty"):
        hp.widgets.dropdown("activation", [])


def test_set_values_runs_a_live_update_once():
    calls = []
    controls = {"a": hp.widgets.int_slider("a", value=1, min=0, max=9),
                "b": hp.widgets.int_slider("b", value=1, min=0, max=9)}
    hp.widgets.live(lambda a, b: calls.append((a, b)), controls)
    hp.widgets.set_values(controls, a=3, b=4)
    assert calls == [(1, 1), (3, 4)]  # no call with a mix of old and new values
    controls["a"].value = 5
    assert calls[-1] == (5, 4)


def test_controls_wrap_onto_more_rows_instead_of_cutting_off_a_column():
    sliders = [hp.widgets.int_slider(f"s{i}", value=1, min=0, max=5) for i in range(4)]
    box = hp.widgets.controls(*sliders, columns=3)
    assert list(box.children) == sliders
    assert box.layout.flex_flow == "row wrap" and box.layout.max_width == "948px"


def test_values_and_set_values_give_a_widget_back_as_it_was():
    seen = []
    controls = {"n": hp.widgets.int_slider("n", value=1, min=0, max=5),
                "m": hp.widgets.int_slider("m", value=2, min=0, max=5)}
    hp.widgets.live(lambda n, m: seen.append((n, m)), controls)
    saved = hp.widgets.values(controls)
    hp.widgets.set_values(controls, n=4, m=5)
    hp.widgets.set_values(controls, **saved)
    assert saved == {"n": 1, "m": 2} and seen == [(1, 2), (4, 5), (1, 2)]
