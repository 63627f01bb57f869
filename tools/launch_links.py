"""Launch links (Colab, Binder, pip) generated from the one repository URL in pyproject.toml.

The URL lives in `[project.urls] Repository`. From it this tool writes:
  - the README's badges, between <!-- launch:begin --> and <!-- launch:end -->, and its
    install, clone and website lines (<!-- pip:... -->, <!-- clone:... -->, <!-- site:... -->);
  - each notebook's launch line, at the end of its first markdown cell (same markers);
  - each notebook's Colab step, at the top of its first code cell: in Colab (detected at run
    time) it pip-installs the course before `import helpers`; elsewhere it does nothing.
tools/build_site.py puts the same links on the website. While the URL is the placeholder
OWNER/REPO, every generated text says so instead of linking nowhere.

python tools/launch_links.py          lists the files that are out of date (exit 1 if any)
python tools/launch_links.py --write  rewrites them (idempotent: a second run changes nothing)
It edits only those parts of the notebooks (no outputs, no other cells): run it after adding
a notebook or changing the URL. tests/test_launch_links.py fails when anything disagrees.
"""

import json
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LESSON_GLOB = "[0-9][0-9]_*.ipynb"
BEGIN, END = "<!-- launch:begin -->", "<!-- launch:end -->"
COLAB_HEADER = "# In Colab, install the course first (elsewhere these lines do nothing)"
BRANCH = "main"
PLACEHOLDER_TEXT = ("none yet, because the repository URL in pyproject.toml is still the "
                    "placeholder OWNER/REPO")


def repository_url(root=ROOT):
    """`[project.urls] Repository` of pyproject.toml."""
    pyproject = tomllib.loads((root / "pyproject.toml").read_text())
    return pyproject["project"]["urls"]["Repository"].rstrip("/")


def github_slug(url):
    """'owner/name' of a GitHub URL, or None while it is the OWNER/REPO placeholder."""
    m = re.fullmatch(r"https://github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?/?", url)
    if not m:
        raise ValueError(f"the Repository URL must look like https://github.com/owner/name, "
                         f"not {url!r}")
    if (m[1], m[2]) == ("OWNER", "REPO"):
        return None
    return f"{m[1]}/{m[2]}"


def pip_spec(url):
    return f"hyperparameters-course @ git+{url}"


def colab_url(slug, notebook):
    return f"https://colab.research.google.com/github/{slug}/blob/{BRANCH}/notebooks/{notebook}"


def binder_url(slug, notebook=None):
    path = f"notebooks/{notebook}" if notebook else "notebooks"
    return f"https://mybinder.org/v2/gh/{slug}/HEAD?urlpath=lab/tree/{path}"


def notebook_launch_line(url, notebook):
    """The markdown line of one notebook's launch links (no images: the site is offline)."""
    slug = github_slug(url)
    local = "locally: `pip install` the course, then `hp-course lab` (see the README)"
    if slug is None:
        return f"**Run this notebook** {local}. Colab and Binder links: {PLACEHOLDER_TEXT}."
    return (f"**Run this notebook:** [Open in Colab]({colab_url(slug, notebook)}) · "
            f"[Open in Binder]({binder_url(slug, notebook)}) · or {local}.")


def readme_badges(url, first_notebook):
    slug = github_slug(url)
    if slug is None:
        return f"Colab and Binder links: {PLACEHOLDER_TEXT}."
    return (f"[![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
            f"({colab_url(slug, first_notebook)}) "
            f"[![Binder](https://mybinder.org/badge_logo.svg)]({binder_url(slug)})")


def site_url(slug):
    """Where .github/workflows/site.yml publishes build/site/ (GitHub Pages)."""
    owner, name = slug.split("/")
    return f"https://{owner.lower()}.github.io/{name}/"


def readme_pip(url):
    if github_slug(url) is None:
        install = ("pip install hyperparameters_course-*.whl   # the wheel (make wheel); "
                   "from git: URL a placeholder")
    else:
        install = f'pip install "{pip_spec(url)}"'
    return (f"```bash\n{install}\nhp-course lab   # copies the notebooks to "
            "./hyperparameters-course, opens JupyterLab\n```")


def readme_clone(url):
    slug = github_slug(url)
    clone = (f"git clone {url} && cd {slug.split('/')[1]}" if slug else
             "git clone <repository URL: a placeholder in pyproject.toml for now> && cd <it>")
    return f"```bash\n{clone}\nmake lab\n```"


def readme_site(url):
    slug = github_slug(url)
    where = (f"it is at {site_url(slug)}" if slug else
             "its address is a placeholder until pyproject.toml has the repository URL")
    return f"{where}. To build it yourself: `make site`, then open `build/site/index.html`."


README_BLOCKS = {"launch": None, "pip": readme_pip, "clone": readme_clone, "site": readme_site}


def readme_with_links(text, url, first_notebook):
    """The README with every generated block current."""
    for name, make in README_BLOCKS.items():
        body = readme_badges(url, first_notebook) if make is None else make(url)
        text = replace_between(text, body, f"<!-- {name}:begin -->", f"<!-- {name}:end -->")
    return text


def colab_step(url):
    """The lines the first code cell starts with."""
    slug = github_slug(url)
    if slug is None:
        action = ('    raise RuntimeError("The course cannot be installed in Colab yet: its '
                  'repository URL "\n'
                  '                       "in pyproject.toml is still a placeholder.")')
    else:
        action = ("    import subprocess\n"
                  '    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet",\n'
                  f'                    "{pip_spec(url)}"], check=True)')
    return f'{COLAB_HEADER}\nimport sys\nif "google.colab" in sys.modules:\n{action}\n'


def replace_between(text, body, begin=BEGIN, end=END):
    """`text` with the part between the markers set to `body` (markers appended if absent)."""
    block = f"{begin}\n{body}\n{end}"
    if begin in text:
        head, rest = text.split(begin, 1)
        return head + block + rest.split(end, 1)[1]
    return f"{text.rstrip()}\n\n{block}"


def with_colab_step(source, url):
    """The first code cell's source with the current Colab step on top (replacing an old one)."""
    if source.startswith(COLAB_HEADER):
        source = source.split("\n\n", 1)[1] if "\n\n" in source else ""
    return f"{colab_step(url)}\n{source}"


def _source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _set_source(cell, text):
    """Store `text` as nbformat does on disk: a list of lines."""
    cell["source"] = text.splitlines(keepends=True)


def notebook_with_links(nb, url, name):
    """The notebook (a dict from the .ipynb JSON) with its first markdown cell's launch line
    and its first code cell's Colab step current; nothing else changes."""
    markdown = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
    _set_source(markdown, replace_between(_source(markdown), notebook_launch_line(url, name)))
    code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    _set_source(code, with_colab_step(_source(code), url))
    return nb


def _dump(nb):
    """The notebook's JSON exactly as nbformat writes it (indent 1, keys sorted, newline)."""
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def updated_files(root=ROOT):
    """{path: new text} for every generated file whose current text differs."""
    url = repository_url(root)
    notebooks = sorted((root / "notebooks").glob(LESSON_GLOB))
    changed = {}
    readme = root / "README.md"
    text = readme.read_text()
    new = readme_with_links(text, url, notebooks[0].name)
    if new != text:
        changed[readme] = new
    for path in notebooks:
        text = path.read_text()
        new = _dump(notebook_with_links(json.loads(text), url, path.name))
        if new != text:
            changed[path] = new
    return changed


def main(argv):
    changed = updated_files()
    if "--write" in argv:
        for path, text in changed.items():
            path.write_text(text)
            print(f"wrote {path.relative_to(ROOT)}")
        return 0
    for path in changed:
        print(f"out of date: {path.relative_to(ROOT)}  (python tools/launch_links.py --write)")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
