"""Real-browser tests of the Playground (notebook 15): JupyterLab and Voilà in headless
Chromium, driven by Playwright. Run just these with `pytest -m browser tests/`.

Needs Debian's Chromium at /usr/bin/chromium (`apt-get install chromium`); Playwright never
downloads a browser here. A copy of the notebook cut down to its Playground cells (imports,
`%matplotlib widget`, the widget) runs in a temporary folder, so the repository's file is
never touched and the test stays well under a minute. Screenshots go to test-artifacts/.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "15_playground.ipynb"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium")  # Debian's package; Playwright never downloads one
BIN = Path(sys.executable).parent

pytestmark = [
    pytest.mark.browser,
    # in CI (.ci/run installs it) a missing Chromium must fail, not skip
    pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"),
                       reason="Chromium not installed: apt-get install chromium"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")

ERROR_TEXT = "Traceback"
STDERR = '.jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]'
RED_STATUS = 'span[style*="#b00020"]'  # hp.widgets.message(kind="error")


def playground_copy(folder):
    """The notebook's first cells up to the Playground widget (no experiments, no exercises)."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    keep, seen_import = [], False
    for cell in nb.cells:
        src = cell.source
        if cell.cell_type == "code":
            if "import helpers as hp" in src:
                seen_import = True
            elif not ("%matplotlib widget" in src or "app = Playground()" in src):
                continue
        keep.append(cell)
        if cell.cell_type == "code" and "app = Playground()" in src:
            break
    assert seen_import and "app = Playground()" in keep[-1].source
    for cell in keep:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nb.cells = keep
    path = Path(folder) / NOTEBOOK.name
    nbformat.write(nb, path)
    return path


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status < 500:
                    return
        time.sleep(0.25)
    raise TimeoutError(f"no answer from {url} within {timeout} s")


@contextlib.contextmanager
def server(args, folder, url, timeout=30):
    """Start a server process in its own session; always stop it (and its kernels)."""
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(Path(folder) / "runtime"),
           "JUPYTER_CONFIG_DIR": str(Path(folder) / "config"),
           "JUPYTER_DATA_DIR": str(Path(folder) / "data"), "JUPYTER_PLATFORM_DIRS": "1"}
    # the kernelspec of this venv (python3) is found through sys.prefix, not the data dir
    log = open(Path(folder) / f"{Path(args[0]).name}.log", "w")
    proc = subprocess.Popen(args, cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        wait_http(url, timeout)
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)
        log.close()


@contextlib.contextmanager
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                              args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                    "--disable-background-networking"])
        try:
            page = b.new_page(viewport={"width": 1500, "height": 1000})
            page.set_default_timeout(20_000)
            yield page
        finally:
            b.close()


def figure_png(page):
    """The Playground figure's pixels, as PNG bytes."""
    return page.locator(".jupyter-matplotlib-canvas-div").first.screenshot()


def wait_until_changed(page, before, timeout=10.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        now = figure_png(page)
        if now != before:
            return now
        page.wait_for_timeout(250)
    raise AssertionError(f"the figure did not change within {timeout} s")


def assert_no_error_output(page):
    stderr = page.locator(STDERR)
    texts = [stderr.nth(i).inner_text() for i in range(stderr.count())]
    assert not [t for t in texts if ERROR_TEXT in t], texts
    assert page.locator(".jp-OutputArea-output", has_text=ERROR_TEXT).count() == 0
    assert page.locator(RED_STATUS).count() == 0, page.locator(RED_STATUS).first.inner_text()


def jupyterlab_args(port, folder):
    """JupyterLab on 127.0.0.1:port serving `folder`, no token, its state kept in `folder`."""
    return [str(BIN / "jupyter"), "lab", "--no-browser", "--allow-root", f"--port={port}",
            "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=",
            "--ServerApp.disable_check_xsrf=True", "--LabApp.news_url=None",
            f"--LabApp.workspaces_dir={folder / 'workspaces'}",
            f"--LabApp.user_settings_dir={folder / 'settings'}",
            "--LabApp.expose_app_in_browser=True", f"--ServerApp.root_dir={folder}"]


def test_playground_in_jupyterlab(tmp_path):
    nb = playground_copy(tmp_path)
    port = free_port()
    args = jupyterlab_args(port, tmp_path)
    ARTIFACTS.mkdir(exist_ok=True)
    with server(args, tmp_path, f"http://127.0.0.1:{port}/api"), browser() as page:
        page.goto(f"http://127.0.0.1:{port}/lab/tree/{nb.name}")
        # the kernel must be idle before Run All, or a kernel dialog races the command
        page.locator("#jp-main-statusbar", has_text="Idle").wait_for(timeout=30_000)
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.locator(".jupyter-matplotlib-canvas-div canvas").first.wait_for(timeout=30_000)
        counter = page.locator(".widget-html", has_text="Epoch 0").first
        counter.wait_for()
        page.wait_for_timeout(500)  # the first draw reaches the canvas
        start = figure_png(page)

        page.locator(".widget-play button").first.click()  # ▶
        page.locator(".widget-html", has_text="Epoch ").filter(
            has_not_text="Epoch 0").first.wait_for(timeout=15_000)
        playing = wait_until_changed(page, start)
        page.locator(".widget-play button").nth(1).click()  # pause

        # a knob: focus the noise slider's handle and press the arrow key (a rebuild)
        page.get_by_text("Noise %").first.scroll_into_view_if_needed()
        handle = page.locator(".widget-slider .noUi-handle").first
        handle.focus()
        handle.press("ArrowRight")
        page.locator(".widget-html", has_text="New network").first.wait_for(timeout=10_000)
        moved = wait_until_changed(page, playing)
        assert len({start, playing, moved}) == 3
        page.screenshot(path=str(ARTIFACTS / "playground_jupyterlab.png"), full_page=True)
        assert_no_error_output(page)


def test_playground_in_voila(tmp_path):
    nb = playground_copy(tmp_path)
    voila = BIN / "voila"
    if not voila.exists() and shutil.which("voila") is None:
        pytest.skip("voila not installed")
    port = free_port()
    args = [str(voila if voila.exists() else shutil.which("voila")), nb.name, "--no-browser",
            f"--port={port}", "--Voila.ip=127.0.0.1"]
    ARTIFACTS.mkdir(exist_ok=True)
    with server(args, tmp_path, f"http://127.0.0.1:{port}/", timeout=45), browser() as page:
        page.goto(f"http://127.0.0.1:{port}/")
        page.locator(".jupyter-matplotlib-canvas-div canvas").first.wait_for(timeout=40_000)
        page.locator(".widget-html", has_text="Epoch 0").first.wait_for()
        page.wait_for_timeout(500)
        start = figure_png(page)
        page.get_by_role("button", name="Step").click()
        page.locator(".widget-html", has_text="Epoch 1").first.wait_for(timeout=10_000)
        wait_until_changed(page, start)
        page.screenshot(path=str(ARTIFACTS / "playground_voila.png"), full_page=True)
        assert page.get_by_text("15 · The Playground").count() >= 1
        assert page.get_by_text(ERROR_TEXT).count() == 0
