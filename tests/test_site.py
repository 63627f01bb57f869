"""The static website (tools/build_site.py, `make site`) in a real browser, offline.

Builds the site into a temporary folder, serves it on 127.0.0.1 and opens every page in
headless Debian Chromium: no console error, no request to any other host (each is blocked
and recorded), math typeset by the site's own MathJax, every image loaded, every internal
link pointing at a file (and anchor) that exists, the search finding "learning rate".
Screenshots go to test-artifacts/site_*.png.
"""

import functools
import json
import os
import re
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import build_site  # noqa: E402
import launch_links  # noqa: E402
from server_kit import ARTIFACTS, CHROMIUM, browser, free_port, server  # noqa: E402

pytestmark = [
    pytest.mark.browser,
    # in CI (.ci/run installs it) a missing Chromium must fail, not skip
    pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"),
                       reason="Chromium not installed: apt-get install chromium"),
]
pytest.importorskip("playwright.sync_api", reason="playwright not installed")
pytest.importorskip("jupyter_book", reason="the site extra is not installed: make setup")

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
DOCS = sorted((ROOT / "docs").glob("*.md"))


class Links(HTMLParser):
    """Every href/src and every id of an HTML page."""

    def __init__(self):
        super().__init__()
        self.refs, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for key in ("href", "src"):
            if attrs.get(key) and not (tag == "a" and key == "src"):
                self.refs.append(attrs[key])


@functools.lru_cache(maxsize=None)
def parse(path):
    links = Links()
    links.feed(path.read_text(encoding="utf-8"))
    return links


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("site")
    start = time.perf_counter()
    out = build_site.build(folder / "site", folder / "src")
    print(f"\nsite built in {time.perf_counter() - start:.0f} s")
    return out


@pytest.fixture(scope="module")
def served(site, tmp_path_factory):
    port = free_port()
    args = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
            "--directory", str(site)]
    with server(args, tmp_path_factory.mktemp("http"), f"http://127.0.0.1:{port}/"):
        yield f"http://127.0.0.1:{port}/"


def test_site_has_every_page_in_course_order(site):
    for path in NOTEBOOKS:
        assert (site / "notebooks" / f"{path.stem}.html").is_file(), path.name
        assert (site / "_downloads").rglob(path.name), path.name
    for path in DOCS:
        assert (site / "docs" / f"{path.stem}.html").is_file(), path.name
    nav = re.findall(r'href="(notebooks/\d\d_[^"#]+)\.html"', (site / "index.html").read_text())
    ordered = list(dict.fromkeys(nav))
    assert ordered == [f"notebooks/{p.stem}" for p in NOTEBOOKS]


def test_internal_links_resolve(site):
    broken = []
    for page in sorted(site.rglob("*.html")):
        for ref in parse(page).refs:
            parts = urlsplit(ref)
            if parts.scheme or ref.startswith("//") or ref.startswith("mailto:"):
                continue
            target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(site)} -> {ref}")
            elif parts.fragment and target.suffix == ".html" and \
                    unquote(parts.fragment) not in parse(target).ids:
                broken.append(f"{page.relative_to(site)} -> {ref} (no such anchor)")
    assert not broken, broken[:20]


def test_pages_hide_solutions_and_note_widgets(site):
    for path in NOTEBOOKS:
        nb = json.loads(path.read_text())
        staged = json.loads((site.parent / "src" / "notebooks" / path.name).read_text())
        assert not [c for c in staged["cells"] if "solution" in c["metadata"].get("tags", [])]
        solutions = sum("solution" in c["metadata"].get("tags", []) for c in nb["cells"])
        assert len(staged["cells"]) == len(nb["cells"]) - solutions > 0
        html = (site / "notebooks" / f"{path.stem}.html").read_text()
        has_widget = any(build_site.WIDGET_MIME in o.get("data", {})
                         for c in nb["cells"] for o in c.get("outputs", []))
        assert ("hp-widget-note" in html) == has_widget, path.name
        assert "VBox(children" not in html


def _open(page, url, blocked, errors):
    errors.clear()
    page.goto(url, wait_until="load")  # every script, style sheet, font and image requested
    return [*errors]


def test_every_page_offline_in_a_real_browser(site, served):
    blocked, errors = [], []
    start = time.perf_counter()
    ARTIFACTS.mkdir(exist_ok=True)
    pages = sorted(site.rglob("*.html"))
    assert not [p for p in pages if "_static" in p.parts]
    with browser() as page:
        page.set_default_timeout(60_000)  # a shared 2-core machine can be slow

        def route(r):
            host = urlsplit(r.request.url).hostname
            if r.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
                r.continue_()
            else:
                blocked.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        typeset = 0
        for path in pages:
            rel = path.relative_to(site).as_posix()
            assert not _open(page, urljoin(served, rel), blocked, errors), (rel, errors)
            if page.locator(".math").count():
                page.wait_for_function("window.MathJax && MathJax.startup && "
                                       "MathJax.startup.promise && true")
                page.evaluate("MathJax.startup.promise")
                page.locator("mjx-container").first.wait_for(state="attached")
                assert page.locator(".math mjx-container, mjx-container").count() >= \
                    page.locator("span.math, div.math").count() > 0, rel
                assert page.locator("mjx-merror").count() == 0, rel
                typeset += 1
            images = page.evaluate("""() => [...document.images].map(i => [i.currentSrc,
                                       i.complete && i.naturalWidth > 0])""")
            bad = [src for src, ok in images if not ok]
            assert not bad, (rel, bad)
            if rel in ("index.html", "notebooks/07_learning_rate.html", "docs/cheat_sheet.html"):
                page.screenshot(path=str(ARTIFACTS / f"site_{path.stem}.png"), full_page=False)
            if rel == "notebooks/15_playground.html":  # where the live widget would be
                page.locator(".hp-widget-note").first.scroll_into_view_if_needed()
                page.screenshot(path=str(ARTIFACTS / "site_widget_note.png"))
        assert typeset >= len(NOTEBOOKS) // 2, typeset  # most lessons have math

        # the launch and download links a learner sees at the top of a lesson
        _open(page, urljoin(served, "notebooks/07_learning_rate.html"), blocked, errors)
        url = launch_links.repository_url()
        if launch_links.github_slug(url) is None:
            assert page.get_by_text("placeholder OWNER/REPO").count() >= 1
        else:
            assert page.locator("a", has_text="Open in Colab").count() >= 1
        download = page.locator("a", has_text="Download this notebook").first
        assert download.get_attribute("href").endswith("07_learning_rate.ipynb")

        # search, as a learner types it in the box
        _open(page, served, blocked, errors)
        page.locator(".search-button, button[aria-label*='Search']").first.click()
        box = page.locator("input[name='q']:visible").first
        box.fill("learning rate")
        box.press("Enter")
        page.wait_for_url(re.compile(r"search\.html\?q="))
        results = page.locator("#search-results li a")
        results.first.wait_for(timeout=30_000)
        hits = [results.nth(i).get_attribute("href") for i in range(results.count())]
        assert any("07_learning_rate" in h for h in hits), hits
        page.screenshot(path=str(ARTIFACTS / "site_search.png"))
        assert not errors, errors
    assert not blocked, sorted(set(blocked))[:10]
    print(f"\n{len(pages)} pages checked in {time.perf_counter() - start:.0f} s")
