"""Course-wide consistency of the notebooks: the lesson shape, exercises with solutions,
clean metadata, outputs from one fresh run, the student edition, the README's contents."""

import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import student_edition  # noqa: E402
import toc  # noqa: E402

PLAN = [
    "00_network_and_training", "01_weight_initialization", "02_depth", "03_width",
    "04_activation_functions", "05_loss_functions", "06_optimizers", "07_learning_rate",
    "08_batch_size", "09_epochs_and_iterations", "10_regularization",
    "11_debugging_and_monitoring", "12_hyperparameter_tuning", "13_gpt3_scale", "15_playground",
]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
REQUIRED_HEADINGS = ["## Objectives", "## Exercises", "## Summary", "## References"]
ALLOWED_CELL_METADATA = {"tags", "editable", "deletable", "jupyter", "slideshow"}


def load(path):
    return json.loads(path.read_text())


def source(cell):
    return "".join(cell["source"])


def test_every_planned_notebook_exists():
    assert [p.stem for p in NOTEBOOKS] == PLAN


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_lesson_shape(path):
    cells = load(path)["cells"]
    first = source(cells[0])
    assert cells[0]["cell_type"] == "markdown"
    assert re.match(rf"# {path.name[:2]} · \S", first), "first cell: '# NN · Title'"
    markdown = "\n".join(source(c) for c in cells if c["cell_type"] == "markdown")
    for heading in REQUIRED_HEADINGS:
        assert re.search(rf"^{re.escape(heading)}\s*$", markdown, re.M), f"missing {heading}"
    index = PLAN.index(path.stem)
    following = PLAN[(index + 1) % len(PLAN)]
    assert f"]({following}.ipynb)" in source(cells[-1]), f"last cell must link to {following}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_exercises_have_solutions_and_checks(path):
    cells = load(path)["cells"]
    exercises = [c for c in cells if c["cell_type"] == "markdown"
                 and re.search(r"^### Exercise \d", source(c), re.M)]
    solutions = [c for c in cells if "solution" in c["metadata"].get("tags", [])]
    assert 2 <= len(exercises) <= 4, f"{len(exercises)} exercises (2-4 wanted)"
    assert len(solutions) >= len(exercises), "every exercise needs a cell tagged 'solution'"
    checks = [c for c in cells if c["cell_type"] == "code" and re.search(r"\bex\.check", source(c))
              and "solution" not in c["metadata"].get("tags", [])]
    assert len(checks) >= len(exercises), "every exercise needs a check cell"
    for c in checks:
        text = "".join("".join(o.get("text", "")) for o in c["outputs"])
        assert "✓" in text, f"the solution should pass its check:\n{source(c)}\n{text}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_from_one_fresh_run_without_volatile_metadata(path):
    nb = load(path)
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    assert "widgets" not in nb["metadata"], "widget state is volatile: don't store it"
    counts = [c["execution_count"] for c in nb["cells"]
              if c["cell_type"] == "code" and source(c).strip()]
    assert counts == list(range(1, len(counts) + 1)), "re-run top to bottom: make notebooks"
    for c in nb["cells"]:
        extra = set(c["metadata"]) - ALLOWED_CELL_METADATA
        assert not extra, f"volatile cell metadata {extra}"
        for o in c.get("outputs", []):
            assert o["output_type"] != "error", f"stored error output in:\n{source(c)}"


def test_student_edition_has_no_solutions(tmp_path):
    written = student_edition.build(ROOT / "notebooks", tmp_path)
    assert len(written) == len(NOTEBOOKS)
    for path in written:
        cells = load(path)["cells"]
        assert not [c for c in cells if "solution" in c["metadata"].get("tags", [])]
        assert not any(c.get("outputs") for c in cells if c["cell_type"] == "code")
        stubs = [c for c in cells if c["cell_type"] == "code" and "= None" in source(c)
                 and "answer" in source(c)]
        assert stubs, f"{path.name}: the exercises' stubs must remain"


def test_readme_table_of_contents_is_current():
    readme = (ROOT / "README.md").read_text()
    assert toc.BEGIN in readme and toc.END in readme
    assert toc.readme_with_toc(readme) == readme, "run: python tools/toc.py --write"


def test_workshop_documents_exist_and_are_linked():
    readme = (ROOT / "README.md").read_text()
    for doc in ("docs/instructor_guide.md", "docs/cheat_sheet.md", "docs/authoring.md"):
        assert (ROOT / doc).is_file(), doc
        assert doc in readme, f"README should link {doc}"
    guide = (ROOT / "docs/instructor_guide.md").read_text()
    for heading in ("## Agendas", "### Half day", "### Full day", "## What to demo live",
                    "## Discussion prompts", "## Common misconceptions",
                    "## Learning objectives, notebook by notebook"):
        assert heading in guide, heading
    for path in NOTEBOOKS:
        assert f"../notebooks/{path.name}" in guide, f"guide: objectives of {path.name}"


@pytest.mark.kernel
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_student_edition_runs_and_asks_for_answers(path, tmp_path):
    """The student copy runs top to bottom: every check answers "No answer yet", none fails."""
    import nbformat
    from nbclient import NotebookClient

    student_edition.build_one(path, tmp_path)
    nb = nbformat.read(tmp_path / path.name, as_version=4)
    NotebookClient(nb, timeout=60, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    checks = [c for c in nb.cells if c.cell_type == "code" and re.search(r"\bex\.check", c.source)]
    assert checks
    for c in checks:
        printed = "".join("".join(o.get("text", "")) for o in c.outputs)
        assert "No answer yet" in printed, f"{c.source}\n{printed}"
        assert "✓" not in printed and "Not yet:" not in printed


def _relative_links(text):
    text = re.sub(r"`[^`\n]*`", "", text)  # examples in inline code are not links
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if not re.match(r"[a-z]+:", target) and not target.startswith("#"):
            yield target.split("#")[0]


def test_relative_links_resolve():
    """Every relative link in the README, docs/ and the notebooks' markdown points at a file."""
    sources = [(ROOT / "README.md", (ROOT / "README.md").read_text())]
    sources += [(p, p.read_text()) for p in sorted((ROOT / "docs").glob("*.md"))]
    sources += [(p, "\n".join(source(c) for c in load(p)["cells"] if c["cell_type"] == "markdown"))
                for p in NOTEBOOKS]
    broken = [f"{path.relative_to(ROOT)} -> {target}" for path, text in sources
              for target in _relative_links(text) if not (path.parent / target).exists()]
    assert not broken, broken
