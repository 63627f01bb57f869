"""Notebook 14 in a real browser: JupyterLab runs the repository's notebook top to bottom (a
copy in a temporary folder, so the file is never saved over), then the learner turns the live
GPT trainer's knobs: it opens ready (a loss curve and a sample), retrains on a change of width,
and the largest learning rate on the slider (a run that fails) still shows a curve and a line
of text, never a traceback.
Run with `pytest -m browser tests/`; screenshots go to test-artifacts/.
"""

import shutil

import pytest

import browser_kit as bk
from browser_kit import ARTIFACTS, ROOT, assert_no_error_output

pytestmark = bk.MARKS  # the browser marker, and a missing Chromium fails in CI
expect = pytest.importorskip("playwright.sync_api", reason="playwright not installed").expect
NOTEBOOK = ROOT / "notebooks" / "14_scaling_and_transfer.ipynb"



def image_src(image):
    return image.evaluate("img => img.src")


def test_gpt_trainer_in_jupyterlab(tmp_path):
    nb = tmp_path / NOTEBOOK.name
    shutil.copy(NOTEBOOK, nb)
    ARTIFACTS.mkdir(exist_ok=True)
    with bk.jupyterlab(tmp_path / "jupyter", tmp_path) as url, \
            bk.chromium({"width": 1500, "height": 1000}) as page, \
            bk.screenshot_on_failure(page, "scaling_trainer_failure"):
        page.goto(f"{url}/lab/tree/{nb.name}")
        page.locator("#jp-main-statusbar", has_text="Idle").wait_for(timeout=30_000)
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        # the last check cell has printed: every cell above it has run
        page.locator(".jp-OutputArea-output", has_text="✓ (2, 2)").wait_for(timeout=600_000)
        width = page.locator(".widget-dropdown", has_text="width d_model").first
        width.scroll_into_view_if_needed()
        trainer = page.locator(".widget-vbox", has=width).last
        image = trainer.locator("img").first
        # it opens ready: a drawn curve and a sample of text
        page.wait_for_function("img => img.complete && img.naturalWidth > 300",
                               arg=image.element_handle(), timeout=10_000)
        expect(trainer.locator("pre")).to_contain_text("The ", timeout=10_000)
        before = image_src(image)

        width.locator("select").select_option("8")
        page.wait_for_function("([img, old]) => img.src !== old && img.complete",
                               arg=[image.element_handle(), before], timeout=60_000)
        expect(trainer.locator("pre")).to_contain_text("The ")
        # the largest learning rate: keyboard on the slider's handle, as a learner would
        before = image_src(image)
        handle = trainer.locator(".widget-slider", has_text="peak lr").locator(".noUi-handle")
        handle.focus()
        handle.press("End")
        page.wait_for_function("([img, old]) => img.src !== old && img.complete",
                               arg=[image.element_handle(), before], timeout=60_000)
        expect(trainer.locator("pre")).not_to_be_empty()
        page.screenshot(path=str(ARTIFACTS / "scaling_trainer_jupyterlab.png"), full_page=False)
        assert trainer.locator(".widget-html", has_text="Error").count() == 0
        assert_no_error_output(page)
