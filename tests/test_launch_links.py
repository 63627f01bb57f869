"""Launch links come from the one repository URL in pyproject.toml (tools/launch_links.py):
the README, every notebook's first cells and the website agree with it; the tool is
idempotent and touches nothing else; the Colab step does nothing outside Colab."""

import copy
import json
import sys
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import build_site  # noqa: E402
import launch_links as ll  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
REAL = "https://github.com/course-org/hp-course"


def test_readme_and_notebooks_agree_with_pyproject():
    stale = [str(p.relative_to(ROOT)) for p in ll.updated_files()]
    assert not stale, f"run: python tools/launch_links.py --write  ({stale})"


def test_url_lives_in_project_urls():
    assert ll.repository_url().startswith("https://github.com/")
    with pytest.raises(ValueError, match="https://github.com/owner/name"):
        ll.github_slug("https://gitlab.com/a/b")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_tool_is_idempotent_and_edits_only_the_first_cells(path):
    original = json.loads(path.read_text())
    for url in (ll.repository_url(), REAL, "https://github.com/OWNER/REPO"):
        once = ll.notebook_with_links(copy.deepcopy(original), url, path.name)
        twice = ll.notebook_with_links(json.loads(ll._dump(once)), url, path.name)
        assert ll._dump(twice) == ll._dump(once)
        first_md = next(i for i, c in enumerate(original["cells"]) if c["cell_type"] == "markdown")
        first_code = next(i for i, c in enumerate(original["cells"]) if c["cell_type"] == "code")
        for i, (before, after) in enumerate(zip(original["cells"], once["cells"])):
            if i in (first_md, first_code):
                assert {k: v for k, v in before.items() if k != "source"} == \
                       {k: v for k, v in after.items() if k != "source"}
            else:
                assert before == after
        assert len(once["cells"]) == len(original["cells"])
        assert once["metadata"] == original["metadata"]


def test_placeholder_says_so_and_links_nowhere():
    url = "https://github.com/OWNER/REPO"
    texts = [ll.notebook_launch_line(url, "03_width.ipynb"), ll.readme_badges(url, "x.ipynb"),
             ll.readme_pip(url), ll.readme_clone(url), ll.readme_site(url), ll.colab_step(url)]
    for text in texts:
        assert "placeholder" in text
        assert "colab.research" not in text and "mybinder" not in text and "OWNER/REPO/" not in text


def test_real_url_gives_working_links():
    line = ll.notebook_launch_line(REAL, "03_width.ipynb")
    assert ("https://colab.research.google.com/github/course-org/hp-course/blob/main/"
            "notebooks/03_width.ipynb") in line
    assert ("https://mybinder.org/v2/gh/course-org/hp-course/HEAD?urlpath=lab/tree/"
            "notebooks/03_width.ipynb") in line
    assert "placeholder" not in line
    readme = ll.readme_with_links((ROOT / "README.md").read_text(), REAL, NOTEBOOKS[0].name)
    assert f'pip install "hyperparameters-course @ git+{REAL}"' in readme
    assert f"git clone {REAL} && cd hp-course" in readme
    assert "https://course-org.github.io/hp-course/" in readme
    assert "placeholder" not in readme.split("## Working in a clone")[0]


def _run_colab_step(url, monkeypatch, in_colab):
    calls = []
    monkeypatch.setattr("subprocess.run", lambda *a, **k: calls.append((a, k)))
    if in_colab:
        monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    exec(ll.colab_step(url), {})
    return calls


def test_colab_step_does_nothing_outside_colab(monkeypatch, capsys):
    assert _run_colab_step(REAL, monkeypatch, in_colab=False) == []
    assert _run_colab_step(ll.repository_url(), monkeypatch, in_colab=False) == []
    assert capsys.readouterr() == ("", "")


def test_colab_step_installs_the_course_in_colab(monkeypatch):
    (args, kwargs), = _run_colab_step(REAL, monkeypatch, in_colab=True)
    assert args[0][1:4] == ["-m", "pip", "install"]
    assert args[0][-1] == f"hyperparameters-course @ git+{REAL}" and kwargs == {"check": True}
    with pytest.raises(RuntimeError, match="placeholder"):
        _run_colab_step("https://github.com/OWNER/REPO", monkeypatch, in_colab=True)


def test_website_pages_carry_the_same_links():
    url = ll.repository_url()
    for path in NOTEBOOKS:
        page = build_site.site_notebook(json.loads(path.read_text()), path.name, url)
        first = build_site._source(next(c for c in page["cells"] if c["cell_type"] == "markdown"))
        assert ll.notebook_launch_line(url, path.name) in first
        assert f"<../downloads/{path.name}>" in first
    index = build_site.index_page(url, NOTEBOOKS[0].name)
    assert ll.readme_site(url) in index and "badge" not in index
