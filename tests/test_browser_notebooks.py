"""Every notebook in notebooks/, opened in JupyterLab as a learner opens it (`make lab`), in
headless Chromium at 1280×900 with the file browser open. Run `pytest -m browser tests/`.

For each notebook, in the order a learner meets things:
1. opened, before anything runs: each widget output shows the one line that says what to
   run (a freshly cloned notebook is not trusted, so JupyterLab shows no stored widget), never
   a widget's text repr;
2. run cell by cell up to each widget, as Run All does: the widget as it first appears,
   before any driver cell touches it, with nothing sticking out of its output area, no label
   cut short, no error message; its text and pictures are recorded;
3. the rest of the notebook: no cell fails, no output shows an error, a repr or "Loading
   widget", nothing is wider than its output area; and every widget looks as it first
   appeared (driver cells work on their own instance or restore the default);
4. a screenshot with the first widget in view, into test-artifacts/ (the opened notebook too).

The repository's own files are opened (autosave is off, so they are never written). The
notebooks run HP_BROWSER_WORKERS at a time (default 2), each in its own Chromium.
"""

import concurrent.futures
import contextlib
import dataclasses
import json
import os
import re
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest

import browser_kit as bk

NOTEBOOKS = sorted((bk.ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
WORKERS = int(os.environ.get("HP_BROWSER_WORKERS", "2"))
HINT = "Interactive widget: run the notebook (Run › Run All Cells) to use it."

pytestmark = bk.MARKS
pytest.importorskip("playwright.sync_api", reason="playwright not installed")

CELLS_JS = """() => window.jupyterapp.shell.currentWidget.content.widgets.map((c, i) => {
  const outputs = c.model.type === 'code' ? c.model.outputs.toJSON() : [];
  c.node.dataset.hpCell = i;  // so that a locator finds the cell
  return {index: i, code: c.model.type === 'code', source: c.model.sharedModel.getSource(),
          widget: outputs.some(o => o.data && o.data['application/vnd.jupyter.widget-view+json'])};
})"""
# run cells first..last as Run All does (NotebookActions.run); resolves false if a cell fails
RUN_JS = """([first, last]) => {
  const nb = window.jupyterapp.shell.currentWidget.content;
  nb.activeCellIndex = first; nb.deselectAll(); nb.extendContiguousSelectionTo(last);
  window.__run = undefined;
  window.jupyterapp.commands.execute('notebook:run-cell').then(
    (ok) => { window.__run = ok === false ? 'a cell failed' : 'ok'; },
    (err) => { window.__run = String(err); });
}"""
# bring a cell to the top of the notebook's view: its outputs ([i, "outputs"]) or all of it
SCROLL_JS = """async ([i, part]) => {
  const nb = window.jupyterapp.shell.currentWidget.content;
  await nb.scrollToItem(i, 'start');
  const outputs = nb.widgets[i].node.querySelector('.jp-Cell-outputWrapper');
  if (part === 'outputs' && outputs && outputs.getBoundingClientRect().height > 0)
    outputs.scrollIntoView({block: 'start'});
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
}"""
# the cell's outputs as a learner sees them: text, control values, and a 64×24 thumbnail of
# every picture (an Image widget's <img>, an ipympl <canvas>), grey levels 0-255
LOOK_JS = """async (i) => {
  const cell = window.jupyterapp.shell.currentWidget.content.widgets[i].node;
  const area = cell.querySelector('.jp-Cell-outputArea');
  if (!area) return {text: '', values: [], pictures: [], loading: false, widgets: 0};
  const thumb = document.createElement('canvas');
  thumb.width = 64; thumb.height = 24;
  const ctx = thumb.getContext('2d', {willReadFrequently: true});
  const pictures = [];
  for (const pic of area.querySelectorAll('img, canvas')) {
    if (pic.tagName === 'IMG' && !(pic.complete && pic.naturalWidth)) {
      pictures.push(null);  // not loaded yet
      continue;
    }
    if (!pic.width) continue;
    ctx.fillStyle = 'white'; ctx.fillRect(0, 0, 64, 24);
    ctx.drawImage(pic, 0, 0, 64, 24);
    const rgba = ctx.getImageData(0, 0, 64, 24).data;
    const grey = [];
    for (let k = 0; k < rgba.length; k += 4) grey.push((rgba[k] + rgba[k + 1] + rgba[k + 2]) / 3);
    pictures.push(grey);
  }
  const values = Array.from(area.querySelectorAll('select, input, textarea'), (e) => e.value);
  return {text: area.innerText, values, pictures,
          loading: area.innerText.includes('Loading widget'),
          widgets: area.querySelectorAll('.jupyter-widgets').length};
}"""


def pictures_differ(before, after):
    """Pictures a learner would see as different: another number of them, or thumbnails that
    differ by more than the rounding of redrawing the same figure."""
    if len(before) != len(after) or None in before or None in after:
        return True
    return any(np.abs(np.subtract(a, b)).mean() > 2.0 for a, b in zip(before, after))


def differs(before, after):
    """What differs between two looks at a widget ("" if nothing a learner would notice)."""
    for key in ("text", "values"):
        if before[key] != after[key]:
            return f"{key}: {before[key]!r:.300} -> {after[key]!r:.300}"
    return "pictures" if pictures_differ(before["pictures"], after["pictures"]) else ""


@dataclasses.dataclass
class Report:
    notebook: str
    seconds: float = 0.0
    problems: list = dataclasses.field(default_factory=list)
    screenshots: list = dataclasses.field(default_factory=list)


def settle(page, index, *, timeout=20.0):
    """The cell's widgets drawn: no "Loading widget", pictures loaded, the same look twice.
    A widget cell's output is never empty: an empty look is JupyterLab not having drawn the
    output yet (it draws cells scrolled into view, late on a busy machine), not settled; if it
    stays empty for `timeout`, the caller reports it."""
    end, last = time.monotonic() + timeout, None
    while time.monotonic() < end:
        look = page.evaluate(LOOK_JS, index)
        drawn = look["text"].strip() or look["pictures"]
        if drawn and not look["loading"] and None not in look["pictures"] and look == last:
            return look
        last = look
        page.wait_for_timeout(400)
    return last


def run_cells(page, first, last, timeout_s=180):
    page.evaluate(RUN_JS, [first, last])
    page.wait_for_function("window.__run !== undefined", timeout=timeout_s * 1000)
    return page.evaluate("window.__run")


def shut_down_kernels(url, name):
    """Stop the kernel of notebook `name` (closing the page leaves it running)."""
    with urllib.request.urlopen(f"{url}/api/sessions", timeout=10) as r:
        sessions = json.load(r)
    for s in sessions:
        if s["path"].endswith(name):
            request = urllib.request.Request(f"{url}/api/sessions/{s['id']}", method="DELETE")
            with contextlib.suppress(OSError):
                urllib.request.urlopen(request, timeout=30).close()


def visit(url, path):
    """Open, run and inspect one notebook; every finding goes into the report."""
    try:
        return _visit(url, path)
    finally:
        shut_down_kernels(url, path.name)


def _visit(url, path):
    report, start = Report(path.name), time.monotonic()
    stem = path.stem
    with bk.chromium() as page:
        # a workspace of its own: JupyterLab reopens a workspace's tabs, other notebooks too
        page.goto(f"{url}/lab/workspaces/{stem}/tree/{path.name}")
        # the kernel must be idle before anything runs, or a kernel dialog races the command
        page.locator("#jp-main-statusbar", has_text="Idle").wait_for(timeout=90_000)
        if not page.locator("#filebrowser").is_visible():
            report.problems.append("the file browser is not open")
        cells = page.evaluate(CELLS_JS)
        widgets = [c["index"] for c in cells if c["widget"]]

        # 1. opened: each widget output says what to run
        for i in widgets:
            page.evaluate(SCROLL_JS, [i, "outputs"])
            look = settle(page, i)
            if re.sub(r"^\[\d*\]:\s*", "", look["text"].strip()) != HINT:  # after a prompt
                report.problems.append(f"opened, cell {i} shows {look['text'][:120]!r}, "
                                       f"not the line that says what to run")
            report.problems += [f"opened, cell {i}: {f}" for f in bk.findings(page, i)
                                if HINT[:30] not in f]
        page.evaluate(SCROLL_JS, [widgets[0] if widgets else 0, "cell"])
        shot = bk.ARTIFACTS / f"{stem}-opened.png"
        page.screenshot(path=str(shot))
        report.screenshots.append(shot)

        # 2. up to each widget: the widget as it first appears
        first_sight, done, failed = {}, -1, False
        for i in widgets:
            outcome = run_cells(page, done + 1, i)
            done = i
            if outcome != "ok":
                report.problems.append(f"running cells up to {i}: {outcome}")
                failed = True
                break
            page.evaluate(SCROLL_JS, [i, "outputs"])
            first_sight[i] = settle(page, i)
            if not first_sight[i]["widgets"]:
                report.problems.append(f"cell {i}: no widget shown after the cell ran")
            report.problems += [f"cell {i} as first shown: {f}" for f in bk.findings(page, i)]

        # 3. the rest, then every output as the learner scrolls through it
        if not failed and done < len(cells) - 1:
            outcome = run_cells(page, done + 1, len(cells) - 1)
            if outcome != "ok":
                report.problems.append(f"running the cells after the last widget: {outcome}")
        code = [c["index"] for c in cells if c["code"] and c["index"] not in first_sight]
        for i, found in bk.findings_in_cells(page, code).items():
            report.problems += [f"cell {i} after Run All: {f}" for f in found]
        for i in first_sight:
            page.evaluate(SCROLL_JS, [i, "outputs"])
            look, before = settle(page, i), first_sight[i]
            report.problems += [f"cell {i} after Run All, in view: {f}"
                                for f in bk.findings(page, i)]
            what = differs(before, look)
            if what:
                report.problems.append(f"cell {i}: the widget does not look as it first "
                                       f"appeared after the driver cells ran ({what})")
        page.evaluate(SCROLL_JS, [widgets[0] if widgets else 0, "outputs"])
        page.wait_for_timeout(300)
        shot = bk.ARTIFACTS / f"{stem}.png"
        page.screenshot(path=str(shot))
        report.screenshots.append(shot)

        # 4. a widget with a clock trains here too: ▶ moves it, ■ stops it (a Play widget's
        # second button; the Playground's own ▶ button pauses on a second click)
        for i in widgets:
            play = page.locator(f'[data-hp-cell="{i}"] .widget-play button, '
                                f'[data-hp-cell="{i}"] .pg-play')
            if not failed and play.count():
                page.evaluate(SCROLL_JS, [i, "outputs"])
                before = page.evaluate(LOOK_JS, i)
                play.first.click()
                try:
                    page.wait_for_function(
                        "([i, text]) => document.querySelector(`[data-hp-cell=\"${i}\"] "
                        ".jp-Cell-outputArea`).innerText !== text", arg=[i, before["text"]],
                        timeout=30_000)
                except Exception:  # noqa: BLE001 - reported as what a learner would see
                    report.problems.append(f"cell {i}: ▶ changes nothing within 30 s")
                (play.nth(1) if play.count() > 1 else play.first).click()
                report.problems += [f"cell {i} after ▶: {f}" for f in bk.findings(page, i)]
    report.seconds = time.monotonic() - start
    return report


@pytest.fixture(scope="module")
def reports(request, tmp_path_factory):
    """Start JupyterLab once; visit the selected notebooks WORKERS at a time, in order."""
    selected = [item.callspec.params["path"] for item in request.session.items
                if getattr(item, "originalname", "") == "test_notebook_in_jupyterlab"]
    bk.ARTIFACTS.mkdir(exist_ok=True)
    folder = tmp_path_factory.mktemp("jupyterlab")
    with bk.jupyterlab(folder, bk.ROOT / "notebooks") as url, \
            concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
        futures = {p: pool.submit(visit, url, p) for p in selected}
        try:
            yield futures
        finally:
            for f in futures.values():
                f.cancel()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_in_jupyterlab(path, reports):
    report = reports[path].result(timeout=900)
    print(f"{report.notebook}: {report.seconds:.1f} s; screenshots: "
          + ", ".join(str(Path(s).relative_to(bk.ROOT)) for s in report.screenshots))
    with open(bk.ARTIFACTS / f"{path.stem}.txt", "w") as f:  # what the test found, to read
        f.write("\n".join([f"{report.seconds:.1f} s", *report.problems]) + "\n")
    assert not report.problems, "\n".join(report.problems)
