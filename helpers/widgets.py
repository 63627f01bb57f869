"""Widget builders shared by the notebooks (ipywidgets 8).

The rule of the course: a widget never shows a traceback. `safe` turns an exception in a
callback into a one-line message; `controls` builds sliders that train only on release;
`values` and `set_values` let a cell drive a widget from code and then give it back as it was.
"""

import contextlib
import functools
import html
import io

import ipywidgets as W
import matplotlib.pyplot as plt

from .validation import check_choice


def message(text, *, kind="info"):
    """An HTML line for the UI: kind is "info", "ok", "warning" or "error"."""
    colours = {"info": "#333", "ok": "#007a3d", "warning": "#a05a00", "error": "#b00020"}
    colour = colours[check_choice("kind", kind, tuple(colours))]
    return f'<span style="color:{colour}">{html.escape(str(text))}</span>'


def safe(fn=None, *, status=None):
    """Decorate a widget callback: an exception becomes a message, never a traceback.

    status: an ipywidgets.HTML where the message goes (else it is printed).
    """
    if fn is None:
        return functools.partial(safe, status=status)

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            result = fn(*args, **kwargs)
            # clear our own error message once a call succeeds, not one the callback set
            if status is not None and wrapper.last_error and status.value == wrapper.last_error:
                status.value = ""
            return result
        except Exception as exc:  # noqa: BLE001 - the point is to catch everything a learner can cause
            text = f"{type(exc).__name__}: {exc}"
            if status is not None:
                status.value = wrapper.last_error = message(text, kind="error")
            else:
                print(f"⚠ {text}")
            return None

    wrapper.last_error = None

    return wrapper


def log_slider(description, *, value, min_exp, max_exp, step=0.25, continuous_update=False,
               readout_format=".3g"):
    """A FloatLogSlider over 10**min_exp .. 10**max_exp (learning rates, penalties)."""
    return W.FloatLogSlider(value=value, base=10, min=min_exp, max=max_exp, step=step,
                            description=description, continuous_update=continuous_update,
                            readout_format=readout_format, style={"description_width": "initial"})


def int_slider(description, *, value, min, max, step=1, continuous_update=False):
    """An IntSlider that fires on release (training on every pixel of a drag is too slow)."""
    return W.IntSlider(value=value, min=min, max=max, step=step, description=description,
                       continuous_update=continuous_update, style={"description_width": "initial"})


def float_slider(description, *, value, min, max, step, continuous_update=False,
                 readout_format=".2f"):
    """A FloatSlider that fires on release."""
    return W.FloatSlider(value=value, min=min, max=max, step=step, description=description,
                         continuous_update=continuous_update, readout_format=readout_format,
                         style={"description_width": "initial"})


def dropdown(description, options, *, value=None):
    """A Dropdown with a readable label width."""
    if not options:
        raise ValueError(f"dropdown {description!r}: options is empty")
    return W.Dropdown(options=options, value=options[0] if value is None else value,
                      description=description, style={"description_width": "initial"})


def controls(*widgets, columns=3):
    """Lay widgets out in rows of about `columns` (each about 300 px wide, ipywidgets' width),
    wrapping onto more rows where the output area is narrower: JupyterLab at 1280 px with its
    file browser open leaves about 850 px, and a grid would cut off its last column there."""
    return W.Box(list(widgets), layout=W.Layout(
        display="flex", flex_flow="row wrap", align_items="center", grid_gap="4px 16px",
        max_width=f"{columns * 316}px"))


def live(update, widgets, *, status=None):
    """Call update(**values) now and whenever one of `widgets` (a name -> widget dict) changes.

    The callback is wrapped in `safe`, so a bad combination shows a message, not a traceback.
    A change that leaves every value as the last call saw it does nothing (see set_values).
    Returns the wrapped update, so a test can call it directly.
    """
    guarded = safe(update, status=status)
    last = {}

    def on_change(_change=None):
        values = {name: w.value for name, w in widgets.items()}
        if _change is not None and values == last:
            return
        last.clear()
        last.update(values)
        guarded(**values)

    for w in widgets.values():
        w.observe(on_change, names="value")
    on_change()
    return on_change


def values(widgets):
    """The value of each of `widgets` (a name -> widget dict). A cell that drives a widget from
    code saves them first and gives them back when it is done, so the widget shows what a
    learner first saw: saved = values(controls); ...; set_values(controls, **saved)."""
    return {name: w.value for name, w in widgets.items()}


def set_values(widgets, **values):
    """Set several of `widgets` (a name -> widget dict) at once, e.g. set_values(controls,
    depth=3, width=32): a `live` update then runs once, with all the new values, instead of
    once per widget with a mix of old and new ones."""
    with contextlib.ExitStack() as held:  # each widget reports its change when all are set
        for name, value in values.items():
            held.enter_context(widgets[name].hold_trait_notifications())
            widgets[name].value = value


def figure_png(fig):
    """The figure as PNG bytes, for an ipywidgets.Image.

    Drawing into an Image widget (instead of showing a figure in an Output widget) sends no
    display messages, so a cell that drives the widget from code has no output of its own.
    """
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)  # a pyplot figure left open would pile up and show under the cell
    return buf.getvalue()
