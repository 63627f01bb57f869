"""What the real-browser tests share: servers on free ports, headless Chromium, and the
measurements taken in the page (widget text, reprs, boxes wider than their output area).

Needs Debian's Chromium (`apt-get install chromium`); Playwright never downloads a browser
here. Each server runs in its own process group with its own Jupyter folders under a
temporary directory, and is always stopped (with its kernels).
"""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tools import numerics

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium")  # Debian's package
BIN = Path(sys.executable).parent
VIEWPORT = {"width": 1280, "height": 900}

ERROR_COLOUR = "#b00020"  # hp.widgets.message(kind="error")
#: every browser test module: `pytestmark = browser_kit.MARKS`
MARKS = [
    pytest.mark.browser,
    # in CI (.ci/run installs it) a missing Chromium must fail, not skip
    pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"),
                       reason="Chromium not installed: apt-get install chromium"),
]
WIDGET_VIEW = ".jp-OutputArea-output .jupyter-widgets, .jp-OutputArea-output .widget-box"

# Where a page shows something it should not. Runs in the page; returns a list of findings.
#  - an element (or text) that sticks out of its output area, or an output area that scrolls
#    sideways; elements inside a scrolling box (a text area, a list) count only as that box;
#  - a label cut short with an ellipsis ("Regulariz…");
#  - a widget's text repr ("VBox(children=..."), "Loading widget", a traceback, an error message.
FINDINGS_JS = r"""
(where) => {
  // where: a notebook cell's index in JupyterLab, or a CSS selector of output areas (Voila)
  const ERROR_COLOUR = "%s";
  const WIDGET = /[A-Z][A-Za-z]*(Box|Slider|Text|Tab|Output|Image|Button|Dropdown|Canvas|Play)/;
  const REPR = new RegExp(`\\b${WIDGET.source}\\((children|value|layout|description|options)=`);
  const FORMS = ["TEXTAREA", "SELECT", "INPUT"];  // these scroll their text, as they should
  const SHOWN = ["Loading widget", "Error displaying widget", "Traceback (most recent call last)",
                 "Interactive widget: run the notebook"];
  const areas = typeof where === "number"
    ? window.jupyterapp.shell.currentWidget.content.widgets[where].node
        .querySelectorAll(".jp-OutputArea-output")
    : document.querySelectorAll(where);
  const found = [];
  const describe = (el) => {
    const cls = typeof el.className === "string" ? el.className : "";
    const text = (el.innerText || el.textContent || "").trim().replace(/\s+/g, " ");
    return `<${el.tagName.toLowerCase()} class="${cls.slice(0, 60)}"> ${text.slice(0, 60)}`;
  };
  const scrolls = (el) => /(auto|scroll)/.test(getComputedStyle(el).overflowX);
  areas.forEach((area) => {
    const box = area.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return;
    if (area.scrollWidth > area.clientWidth + 1)
      found.push(`output scrolls sideways (${area.scrollWidth} > ${area.clientWidth} px): `
                 + describe(area));
    for (const el of area.querySelectorAll("*")) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      let inner = false;  // inside a box that scrolls (a text area): that box is what counts
      for (let p = el.parentElement; p && p !== area; p = p.parentElement)
        if (scrolls(p)) { inner = true; break; }
      const out = Math.round(Math.max(r.right - box.right, box.left - r.left));
      if (!inner && out > 1)
        found.push(`sticks out of its output area by ${out} px: ${describe(el)}`);
      const style = getComputedStyle(el);
      if (style.textOverflow === "ellipsis" && el.innerText.trim()
          && el.scrollWidth > el.clientWidth + 1)
        found.push(`label cut short: ${describe(el)}`);
      else if (/(auto|scroll|hidden)/.test(style.overflowX) && !FORMS.includes(el.tagName)
               && el.scrollWidth > el.clientWidth + 1)  // content hidden past its right edge
      {
        const edge = el.getBoundingClientRect().right;
        const past = [...el.querySelectorAll("*")].find(
          (c) => c.getBoundingClientRect().right > edge + 1);
        found.push(`cuts off ${el.scrollWidth - el.clientWidth} px of its content: `
                   + describe(el) + (past ? ` (${describe(past)} ends past it)` : ""));
      }
    }
    const text = area.innerText || "";
    const repr = text.match(REPR);
    if (repr) found.push(`widget repr: ${repr[0]}...`);
    for (const bad of SHOWN)
      if (text.includes(bad)) found.push(`shows "${bad}": ${describe(area)}`);
    area.querySelectorAll(`span[style*="${ERROR_COLOUR}"]`).forEach(
      (el) => found.push(`error message: ${el.innerText.slice(0, 200)}`));
  });
  return found;
}
""" % ERROR_COLOUR


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, timeout, proc=None):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError as exc:  # an answer all the same (a 404 of a test URL)
            if exc.code < 500:
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise TimeoutError(f"no answer from {url} within {timeout} s")


def jupyter_env(folder):
    """Environment variables that keep a server's Jupyter files inside `folder`."""
    folder = Path(folder)
    return {**os.environ, "JUPYTER_RUNTIME_DIR": str(folder / "runtime"),
            "JUPYTER_CONFIG_DIR": str(folder / "config"),
            "JUPYTER_DATA_DIR": str(folder / "data"), "JUPYTER_PLATFORM_DIRS": "1",
            **numerics.settings()}  # the kernels compute as nbval's do


@contextlib.contextmanager
def server(args, url, *, folder, cwd, timeout=60, env=None):
    """Start a server process in its own session; always stop it (and its kernels)."""
    log_path = Path(folder) / f"{Path(args[0]).name}.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(args, cwd=cwd, env=env or jupyter_env(folder), stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_http(url, timeout, proc)
            yield proc
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)


@contextlib.contextmanager
def jupyterlab(folder, root_dir):
    """JupyterLab on 127.0.0.1 serving `root_dir`, as `make lab` does, with the settings a
    test needs: autosave off and checkpoints in `folder` (nothing is written next to the
    repository's notebooks), no news."""
    folder = Path(folder)
    settings = folder / "settings"
    for plugin, value in {"@jupyterlab/docmanager-extension/plugin": {"autosave": False},
                          "@jupyterlab/apputils-extension/notification":
                              {"checkForUpdates": False, "fetchNews": "false"}}.items():
        path = settings / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    port = free_port()
    args = [str(BIN / "jupyter"), "lab", "--no-browser", "--allow-root", f"--port={port}",
            "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=",
            "--ServerApp.disable_check_xsrf=True", "--LabApp.news_url=None",
            f"--LabApp.workspaces_dir={folder / 'workspaces'}",
            f"--LabApp.user_settings_dir={settings}",
            "--LabApp.expose_app_in_browser=True", f"--ServerApp.root_dir={root_dir}",
            # checkpoints of the opened notebooks go here, not into the repository
            f"--FileCheckpoints.checkpoint_dir={folder / 'checkpoints'}"]
    url = f"http://127.0.0.1:{port}"
    with server(args, f"{url}/api", folder=folder, cwd=root_dir):
        yield url


@contextlib.contextmanager
def chromium(viewport=None):
    """A headless Debian Chromium page (its own Playwright, so each thread can have one)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-gpu",
                                          "--disable-dev-shm-usage",
                                          "--disable-background-networking"])
        try:
            page = browser.new_page(viewport=viewport or VIEWPORT)
            page.set_default_timeout(30_000)
            yield page
        finally:
            browser.close()


# FINDINGS_JS over many JupyterLab cells in one call, each scrolled into view first (a cell out
# of view is not laid out: JupyterLab's default windowing uses CSS content-visibility)
CELLS_FINDINGS_JS = """(indices) => {
  const findings = %s;
  const cells = window.jupyterapp.shell.currentWidget.content.widgets;
  const found = {};
  for (const i of indices) {
    cells[i].node.scrollIntoView({block: "start"});
    found[i] = findings(i);
  }
  return found;
}""" % FINDINGS_JS.strip()


def wait_for_voila_pool(log_path, proc, timeout=900.0):
    """Until Voilà's log (its stdout and stderr in `log_path`) says the pre-heated pool is full."""
    end = time.monotonic() + timeout
    while "Kernel pool of" not in Path(log_path).read_text():
        if proc.poll() is not None:
            raise RuntimeError(f"voila exited: {Path(log_path).read_text()[-2000:]}")
        if time.monotonic() > end:
            raise TimeoutError("the kernel pool did not fill")
        time.sleep(0.5)


@contextlib.contextmanager
def screenshot_on_failure(page, name):
    """A screenshot test-artifacts/<name>.png of the page when the block fails."""
    try:
        yield
    except BaseException:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)
        raise


def findings_in_cells(page, indices):
    """{cell index: findings} for the JupyterLab notebook's cells `indices`."""
    return {int(i): f for i, f in page.evaluate(CELLS_FINDINGS_JS, list(indices)).items()}


def assert_no_error_output(page):
    """No traceback in any output or stderr, no error message of hp.widgets in the page."""
    stderr = page.locator('.jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]')
    texts = [stderr.nth(i).inner_text() for i in range(stderr.count())]
    assert not [t for t in texts if "Traceback" in t], texts
    assert page.locator(".jp-OutputArea-output", has_text="Traceback").count() == 0
    errors = page.locator(f'span[style*="{ERROR_COLOUR}"]')
    assert errors.count() == 0, errors.first.inner_text()


def findings(page, where=".jp-OutputArea-output"):
    """What `FINDINGS_JS` finds in a JupyterLab cell's outputs (where: the cell's index) or in
    the output areas matching the CSS selector `where`."""
    return page.evaluate(FINDINGS_JS, where)
