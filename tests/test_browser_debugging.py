"""Notebook 11 in a real browser: JupyterLab runs the repository's notebook top to bottom (a
copy in a temporary folder, so the file is never saved over), then the learner uses the
"What is wrong with this run?" quiz as it opens: a wrong answer, then the right one.
Run with `pytest -m browser tests/`; screenshots go to test-artifacts/.
"""

import shutil

import pytest

import browser_kit as bk
from browser_kit import ARTIFACTS, ROOT, assert_no_error_output
from helpers.debugging import quiz_truths

pytestmark = bk.MARKS  # the browser marker, and a missing Chromium fails in CI
expect = pytest.importorskip("playwright.sync_api", reason="playwright not installed").expect
NOTEBOOK = ROOT / "notebooks" / "11_debugging_and_monitoring.ipynb"



def test_quiz_in_jupyterlab(tmp_path):
    nb = tmp_path / NOTEBOOK.name
    shutil.copy(NOTEBOOK, nb)
    truth = quiz_truths(1)                          # the seed the notebook's quiz uses
    run = "Run B"
    wrong = next(d for d in ("nothing is wrong", "learning rate too high") if d != truth[run])
    ARTIFACTS.mkdir(exist_ok=True)
    with bk.jupyterlab(tmp_path / "jupyter", tmp_path) as url, \
            bk.chromium({"width": 1500, "height": 1000}) as page, \
            bk.screenshot_on_failure(page, "debugging_quiz_failure"):
        page.goto(f"{url}/lab/tree/{nb.name}")
        page.locator("#jp-main-statusbar", has_text="Idle").wait_for(timeout=30_000)
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        # the last check cell has printed: every cell above it has run
        page.locator(".jp-OutputArea-output", has_text="✓ C:").wait_for(timeout=420_000)
        status = page.locator(".widget-html", has_text="What is wrong?").first
        status.scroll_into_view_if_needed()
        # the quiz opens ready: run A on show, its monitors drawn, no answer, no verdict
        expect(status).to_contain_text("Run A:", timeout=10_000)
        quiz = page.locator(".widget-vbox", has=status).last
        image = quiz.locator("img").first
        image.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 500",
                               arg=image.element_handle(), timeout=10_000)
        assert quiz.locator("input[type=radio]:checked").count() == 0
        assert quiz.locator(".widget-html", has_text="Not this one").count() == 0

        quiz.get_by_role("button", name=run, exact=True).click()
        page.locator(".widget-html", has_text=f"{run}:").first.wait_for(timeout=10_000)
        quiz.get_by_text(wrong, exact=True).click()
        quiz.get_by_role("button", name="Check").click()
        quiz.locator(".widget-html", has_text="Not this one").first.wait_for(timeout=10_000)
        quiz.get_by_text(truth[run], exact=True).click()
        quiz.get_by_role("button", name="Check").click()
        quiz.locator(".widget-html", has_text="✓ Right").first.wait_for(timeout=10_000)
        page.screenshot(path=str(ARTIFACTS / "debugging_quiz_jupyterlab.png"), full_page=False)
        assert_no_error_output(page)
