"""The Playground's picture drawn in the browser (helpers/playground/canvas.js), in headless
Chromium: in the app started with the README's command, and in the real notebook 15 in
JupyterLab. The diagram and the output render, hovering a link shows its weight, editing a
weight changes the output, three classes train, and a link with a setting opens it.
Run just these with `pytest -m browser tests/test_browser_canvas.py`."""

import contextlib
import re

import pytest

import browser_kit as bk
from helpers.playground.link import config_from_hash, config_to_hash
import test_browser_app

pytestmark = bk.MARKS
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
expect = sync_api.expect
app_url = test_browser_app.app_url  # the fixture: the app, started with the README's command

# a checksum of the output canvas's pixels, and whether it holds a picture (not a blank)
OUTPUT_JS = """(root) => {
  const c = (root ? document.querySelector(root) : document).querySelector('.pg-output');
  if (!c || !c.width) return null;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let h = 0, coloured = 0;
  for (let k = 0; k < d.length; k += 4) {
    h = (h * 31 + d[k] + 7 * d[k + 1] + 13 * d[k + 2]) | 0;
    const hi = Math.max(d[k], d[k + 1], d[k + 2]), lo = Math.min(d[k], d[k + 1], d[k + 2]);
    if (d[k + 3] > 0 && hi - lo > 60) coloured++;
  }
  return {hash: h, coloured};
}"""


@contextlib.contextmanager
def opened(url):
    with bk.chromium() as page:
        page.goto(url, timeout=120_000)
        page.locator(".pg-output").wait_for(timeout=120_000)
        page.wait_for_function(f"() => ({OUTPUT_JS})(null)?.coloured > 500", timeout=60_000)
        yield page


def output(page, root=None):
    return page.evaluate(OUTPUT_JS, root)


def wait_output_changes(page, before, root=None, timeout=20_000):
    page.wait_for_function(f"([root, h]) => ({OUTPUT_JS})(root).hash !== h",
                           arg=[root, before["hash"]], timeout=timeout)


def epoch(page, root=""):
    return int(page.locator(f"{root} .pg-counter").first.get_attribute("data-epoch") or 0)


def check_diagram(page, sizes, root=""):
    """Tiles: a map per feature and neuron and one per output; links: one per weight."""
    tiles = page.locator(f"{root} .pg-tile")
    expect(tiles).to_have_count(sum(sizes))
    links = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    expect(page.locator(f"{root} .pg-hit")).to_have_count(links)
    expect(page.locator(f"{root} .pg-bias")).to_have_count(sum(sizes[1:]))


def hover_and_edit_a_weight(page, root=""):
    """Hover the first link: its weight; click it, type 4: the output changes."""
    link = page.locator(f"{root} .pg-hit").first
    weight = float(link.get_attribute("data-weight"))
    link.hover(force=True)
    card = page.locator(f"{root} .pg-card")
    expect(card).to_be_visible()
    text = card.inner_text()
    assert re.fullmatch(r"Weight is -?\d+\.\d{3}\. Click to edit\.", text), text
    assert abs(float(text.split()[2].rstrip(".")) - weight) < 1e-3
    before = output(page, root or None)
    link.click(force=True)
    box = page.locator(f"{root} .pg-edit")
    box.fill("4")
    box.press("Enter")
    wait_output_changes(page, before, root or None)
    expect(link).to_have_attribute("data-weight", "4")
    assert page.get_by_text("set to 4: training goes on from it").count() == 1


def test_the_app_draws_the_network_and_a_weight_can_be_read_and_edited(app_url):
    with opened(app_url) as page:
        check_diagram(page, [2, 4, 2, 1])
        assert output(page)["coloured"] > 2000  # the map and the points, not a blank
        bk.ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(bk.ARTIFACTS / "canvas-app.png"), full_page=True)
        hover_and_edit_a_weight(page)
        # hover a neuron: the large panel shows it
        page.locator(".pg-tile").nth(3).hover()
        expect(page.locator(".pg-title")).to_have_text("layer 1 · neuron 2")
        page.mouse.move(0, 0)
        expect(page.locator(".pg-title")).to_have_text("output")
        # + adds a neuron to layer 2: a new network of 2-4-3-1
        page.get_by_role("button", name="more neurons in layer 2").click()
        check_diagram(page, [2, 4, 3, 1])
        page.get_by_text("New network (epoch 0)").wait_for()
        # the keyboard alone: a link takes the focus and Enter opens its editor; Escape closes it
        link = page.locator(".pg-hit").nth(2)
        link.focus()
        expect(page.locator(".pg-card")).to_contain_text("Weight is")
        link.press("Enter")
        expect(page.locator(".pg-edit")).to_be_focused()
        page.locator(".pg-edit").press("Escape")
        expect(page.locator(".pg-card")).to_be_hidden()
        page.locator(".pg-play").focus()
        page.keyboard.press("Space")
        page.wait_for_function("() => +document.querySelector('.pg-counter').dataset.epoch > 0",
                               timeout=60_000)
        page.keyboard.press("Space")
        # play trains, pause stops at once
        page.locator(".pg-play").click()
        page.wait_for_function("() => +document.querySelector('.pg-counter').dataset.epoch > 20",
                               timeout=60_000)
        page.locator(".pg-play").click()
        page.wait_for_timeout(500)
        stopped = epoch(page)
        page.wait_for_timeout(1000)
        assert epoch(page) == stopped
        assert bk.findings(page, ".jp-OutputArea-output") == []


def test_a_link_opens_its_setting_and_three_classes_train(app_url):
    link = "#problem=multiclass&dataset=spiral-3&loss=cross_entropy&hidden=8,8,8" \
           "&features=x1,x2,sin_x1,sin_x2&optimizer=adam"
    with opened(app_url + link) as page:
        check_diagram(page, [4, 8, 8, 8, 3])
        expect(page.get_by_label("Data", exact=True)).to_have_value("spiral-3")
        page.get_by_text("Setting from the link").wait_for()
        # the address keeps the setting (its keys in the app's order)
        assert page.evaluate("() => window.location.hash") == config_to_hash(
            config_from_hash(link))
        page.locator(".pg-play").click()
        page.wait_for_function("() => +document.querySelector('.pg-counter').dataset.epoch >= 40",
                               timeout=90_000)
        page.locator(".pg-play").click()
        acc = float(re.search(r"test accuracy ([\d.]+) %",
                              page.locator(".pg-counter").inner_text()).group(1))
        legend = page.locator(".pg-legend").first.inner_text()
        assert all(f"class {k}" in legend for k in range(3)), legend
        print(f"three classes, {epoch(page)} epochs: test accuracy {acc} %; {legend}")
        assert acc > 60  # a third is a guess
        page.screenshot(path=str(bk.ARTIFACTS / "canvas-app-multiclass.png"), full_page=True)
        # a knob changes the address: the link of the new setting
        page.locator(".lm-TabBar-tab", has_text="Train").first.click()
        page.get_by_label("Optimizer", exact=True).select_option("sgd")
        page.wait_for_function("() => !window.location.hash.includes('optimizer=adam')")
        assert "dataset=spiral-3" in page.evaluate("() => window.location.hash")


def test_notebook_15_in_jupyterlab_draws_the_playground(tmp_path):
    with bk.jupyterlab(tmp_path, bk.ROOT) as url, bk.chromium() as page:
        page.goto(f"{url}/lab/workspaces/canvas/tree/notebooks/15_playground.ipynb")
        page.locator("#jp-main-statusbar", has_text="Idle").wait_for(timeout=90_000)
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.locator(".pg-output").first.wait_for(timeout=180_000)
        page.locator("#jp-main-statusbar", has_text="Idle").wait_for(timeout=180_000)
        root = ".jp-Cell:has(.pg-output)"
        page.locator(".pg-output").first.scroll_into_view_if_needed()
        page.wait_for_function(f"() => ({OUTPUT_JS})('{root}')?.coloured > 500",
                               timeout=60_000)
        # the Playground as a learner first sees it (the driver cells drive their own)
        check_diagram(page, [2, 4, 2, 1], root)
        page.screenshot(path=str(bk.ARTIFACTS / "canvas-notebook-15.png"))
        hover_and_edit_a_weight(page, root)
        before = epoch(page, root)
        page.locator(f"{root} .pg-play").click()
        page.wait_for_function(f"() => +document.querySelector('{root} .pg-counter')"
                               f".dataset.epoch > {before + 5}", timeout=60_000)
        page.locator(f"{root} .pg-play").click()
        bk.assert_no_error_output(page)
