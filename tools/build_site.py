"""Build the course's static website (make site): build/site/, one page per notebook.

Jupyter Book 1 (Sphinx + MyST-NB) from PyPI packages (the `site` extra): it builds without
any network, and so does the site it writes: MathJax 3 comes from the site itself
(sphinx-mathjax-offline), the theme's fonts and scripts are in its _static folder, and pages
load nothing from another host (tests/test_site.py checks it in a real browser). Jupyter
Book 2 (mystmd) was not used: it is a Node program that fetches its theme at build time.

Each page shows the notebook's stored outputs (nothing is executed), without its solution
cells; a widget, which needs a running kernel, is replaced by a one-line note saying how to
run it. Each page links to the notebook's download and its launch links
(tools/launch_links.py, from the one URL in pyproject.toml). Navigation follows the course
order; docs/*.md are pages too; Sphinx's search box searches every page.

Usage: python tools/build_site.py [OUT]   (default build/site; staging in build/site-src)
"""

import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import launch_links  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SITE_TITLE = "The hyperparameters of a neural network"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = ('<p class="hp-widget-note">▶ A live widget is here when the notebook runs: '
               'open it in JupyterLab, Colab or Binder (links at the top of the page) to use '
               'it. A web page has no Python to compute its answers.</p>')
CSS = """\
.hp-widget-note { border-left: 4px solid #7a9cc6; background: #eef3fa; padding: .5em .8em;
                  margin: .3em 0; font-size: .95em; }
"""
# the documents learners and instructors open first; then the others, the authors' guide last
DOCS_FIRST = ["instructor_guide", "cheat_sheet", "faq", "sources"]
# links in the README and docs/ that leave the site (code, licence, ...) go to the repository
LINK = re.compile(r"(!?)\[([^\]\n]*)\]\(([^)\s]+)\)")


def _source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def site_notebook(nb, name, url):
    """The page version of a lesson: launch links and a download link on top, solutions
    removed, each widget output replaced by a note. `nb` is the .ipynb JSON (a dict)."""
    nb = launch_links.notebook_with_links(nb, url, name)
    nb["metadata"].pop("widgets", None)  # stored widget state would need scripts from a CDN
    nb["cells"] = [c for c in nb["cells"]
                   if "solution" not in c.get("metadata", {}).get("tags", [])]
    first = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
    first["source"] = (_source(first) + "\n\n"
                       f"{{download}}`Download this notebook ({name}) <../downloads/{name}>`")
    for cell in nb["cells"]:
        outputs, noted = [], False
        for out in cell.get("outputs", []):
            if WIDGET_MIME in out.get("data", {}):
                if not noted:
                    outputs.append({"output_type": "display_data", "metadata": {},
                                    "data": {"text/html": WIDGET_NOTE}})
                    noted = True
            else:
                outputs.append(out)
        if "outputs" in cell:
            cell["outputs"] = outputs
    return nb


def outside_links(text, source_dir, stage_dir, url):
    """Markdown `text` whose relative links to files the site does not hold point to the
    repository instead (or become plain text while its URL is the placeholder)."""
    slug = launch_links.github_slug(url)

    def fix(m):
        bang, label, target = m.groups()
        if bang or re.match(r"[a-z]+:|#", target):
            return m.group(0)
        path = (source_dir / target.split("#")[0]).resolve()
        try:
            in_repo = path.relative_to(ROOT)
        except ValueError:
            return m.group(0)
        if (stage_dir / in_repo).exists():
            return m.group(0)
        if slug:
            return f"[{label}](https://github.com/{slug}/blob/{launch_links.BRANCH}/{in_repo})"
        return f"{label} (`{in_repo}` in the repository)"

    return LINK.sub(fix, text)


def index_page(url, first_notebook):
    """The home page: the README, with the launch badges (images from other hosts) as text."""
    readme = (ROOT / "README.md").read_text()
    slug = launch_links.github_slug(url)
    if slug:
        text = (f"[Open in Colab]({launch_links.colab_url(slug, first_notebook)}) · "
                f"[Open in Binder]({launch_links.binder_url(slug)})")
    else:
        text = f"Colab and Binder links: {launch_links.PLACEHOLDER_TEXT}."
    return launch_links.replace_between(readme, text)


def config(url):
    slug = launch_links.github_slug(url)
    return {
        "title": SITE_TITLE,
        "author": "the course's authors",
        "copyright": "code MIT, text CC BY 4.0",
        "only_build_toc_files": True,
        "exclude_patterns": ["downloads/*", "_build"],
        "execute": {"execute_notebooks": "off"},
        "parse": {"myst_enable_extensions": ["dollarmath", "amsmath", "colon_fence"]},
        "html": {"use_repository_button": bool(slug), "use_issues_button": False,
                 "home_page_in_navbar": True},
        "repository": {"url": f"https://github.com/{slug}" if slug else "",
                       "branch": launch_links.BRANCH},
        "sphinx": {
            "extra_extensions": ["sphinx-mathjax-offline"],
            "local_extensions": {"course_site": str(Path(__file__).resolve().parent
                                                    / "site_ext")},
            "config": {
                "html_context": {"default_mode": "light"},
                "html_static_path": ["_static"],
                "html_css_files": ["course.css"],
                "html_show_sourcelink": False,
                "nb_ipywidgets_js": {},  # no widget scripts from a CDN
                "html_theme_options": {"use_download_button": False,
                                       "use_fullscreen_button": False,
                                       "launch_buttons": {}},
            },
        },
    }


def toc(notebooks, docs):
    parts = [{"caption": "Lessons",
              "chapters": [{"file": f"notebooks/{p.stem}"} for p in notebooks]}]
    if docs:
        parts.append({"caption": "For instructors and authors",
                      "chapters": [{"file": f"docs/{p.stem}"} for p in docs]})
    return {"format": "jb-book", "root": "index", "parts": parts}


def stage(stage_dir):
    """Write the Jupyter Book sources into `stage_dir`; return it."""
    if stage_dir.exists():
        shutil.rmtree(stage_dir)
    url = launch_links.repository_url()
    notebooks = sorted((ROOT / "notebooks").glob(launch_links.LESSON_GLOB))
    docs = sorted((ROOT / "docs").glob("*.md"),
                  key=lambda p: (DOCS_FIRST.index(p.stem) if p.stem in DOCS_FIRST else
                                 len(DOCS_FIRST), p.stem == "authoring", p.stem))
    for sub in ("notebooks", "downloads", "docs", "_static"):
        (stage_dir / sub).mkdir(parents=True)
    for path in notebooks:
        shutil.copy2(path, stage_dir / "downloads" / path.name)  # the full edition
        nb = site_notebook(json.loads(path.read_text()), path.name, url)
        (stage_dir / "notebooks" / path.name).write_text(json.dumps(nb, indent=1))
    for path in docs:
        (stage_dir / "docs" / path.name).write_text(path.read_text())
    for path in docs:  # now that every page is staged, point the others at the repository
        text = outside_links(path.read_text(), path.parent, stage_dir, url)
        (stage_dir / "docs" / path.name).write_text(text)
    index = outside_links(index_page(url, notebooks[0].name), ROOT, stage_dir, url)
    (stage_dir / "index.md").write_text(index)
    (stage_dir / "_static" / "course.css").write_text(CSS)
    # JSON is YAML: no YAML writer needed
    (stage_dir / "_config.yml").write_text(json.dumps(config(url), indent=1))
    (stage_dir / "_toc.yml").write_text(json.dumps(toc(notebooks, docs), indent=1))
    return stage_dir


def build(out=ROOT / "build" / "site", stage_dir=ROOT / "build" / "site-src", quiet=True):
    """Stage, build with Jupyter Book, and copy the HTML to `out`; return `out`."""
    out, stage_dir = Path(out), Path(stage_dir)
    stage(stage_dir)
    jb = Path(sys.executable).parent / "jupyter-book"
    if not jb.exists():
        sys.exit("jupyter-book is missing: pip install -e '.[site]' (make site does it)")
    args = [str(jb), "build", str(stage_dir), "--builder", "html", "--warningiserror",
            "--keep-going"]
    if quiet:
        args.append("--quiet")
    subprocess.run(args, check=True)
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(stage_dir / "_build" / "html", out)
    for macros in (out / "_static").glob("*macros.html"):  # the theme's templates, not pages
        macros.unlink()
    return out


if __name__ == "__main__":
    start = time.perf_counter()
    site = build(*sys.argv[1:2])
    pages = len(list(site.rglob("*.html")))
    print(f"{site}: {pages} HTML files in {time.perf_counter() - start:.0f} s")
