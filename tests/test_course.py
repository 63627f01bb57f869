"""Course-wide consistency of the notebooks: the lesson shape, exercises with solutions,
clean metadata, outputs from one fresh run (with the widget state and the collapsed
solutions tools/execute_notebooks.py stores), the student edition, the app notebook, the
README's contents."""

import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import execute_notebooks  # noqa: E402
import student_edition  # noqa: E402
import toc  # noqa: E402

PLAN = [
    "00_network_and_training", "01_weight_initialization", "02_depth", "03_width",
    "04_activation_functions", "05_loss_functions", "06_optimizers", "07_learning_rate",
    "08_batch_size", "09_epochs_and_iterations", "10_regularization",
    "11_debugging_and_monitoring", "12_hyperparameter_tuning", "13_gpt3_scale",
    "14_scaling_and_transfer", "15_playground",
]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
APP = ROOT / "app" / "playground.ipynb"
STORED = [*NOTEBOOKS, APP]  # every notebook stored with its outputs by execute_notebooks.py
WIDGET_VIEW = execute_notebooks.WIDGET_VIEW
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


@pytest.mark.parametrize("path", STORED, ids=lambda p: p.stem)
def test_stored_from_one_fresh_run_without_volatile_metadata(path):
    nb = load(path)
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    counts = [c["execution_count"] for c in nb["cells"]
              if c["cell_type"] == "code" and source(c).strip()]
    assert counts == list(range(1, len(counts) + 1)), "re-run top to bottom: make notebooks"
    for c in nb["cells"]:
        extra = set(c["metadata"]) - ALLOWED_CELL_METADATA
        assert not extra, f"volatile cell metadata {extra}"
        for o in c.get("outputs", []):
            assert o["output_type"] != "error", f"stored error output in:\n{source(c)}"


def widget_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code"
            and any(WIDGET_VIEW in o.get("data", {}) for o in c["outputs"])]


@pytest.mark.parametrize("path", STORED, ids=lambda p: p.stem)
def test_stored_as_the_execute_tool_leaves_it(path):
    """Widget state of exactly the widgets shown, under stable ids; solutions collapsed.

    `tidy` is what tools/execute_notebooks.py does after a run: applied again, it must change
    nothing. So a notebook edited by hand, or executed some other way, fails here."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    before = nbformat.writes(nb)
    execute_notebooks.tidy(nb, path.name)
    assert nbformat.writes(nb) == before, f"re-run: python tools/execute_notebooks.py {path}"


@pytest.mark.parametrize("path", STORED, ids=lambda p: p.stem)
def test_widgets_are_stored_with_their_state_and_say_what_to_run(path):
    """An opened notebook never shows a widget's text repr: each widget output has its state
    stored (static renderings and trusted notebooks draw it) and, for JupyterLab with an
    untrusted notebook, a plain-text line that says what to run."""
    nb = load(path)
    shown = widget_cells(nb)
    if not shown:
        assert "widgets" not in nb["metadata"]
        return
    state = nb["metadata"]["widgets"][execute_notebooks.WIDGET_STATE]["state"]
    for cell in shown:
        assert source(cell).startswith("# NBVAL_IGNORE_OUTPUT"), \
            f"a widget's output is not stable under nbval:\n{source(cell)}"
        for out in cell["outputs"]:
            if WIDGET_VIEW in out.get("data", {}):
                assert out["data"][WIDGET_VIEW]["model_id"] in state
                assert "".join(out["data"]["text/plain"]) == execute_notebooks.WIDGET_HINT
    text = json.dumps(state)
    assert "IPY_MODEL_" in text and not re.search(r"IPY_MODEL_(?!(%s)\b)\w+" % "|".join(state),
                                                   text), "a stored widget refers to a missing one"
    canvases = [m for m in state.values() if m["model_name"] == "MPLCanvasModel"]
    assert all(m["state"]["_data_url"].startswith("data:image/png;base64,") for m in canvases), \
        "an ipympl figure stored without its picture"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_solutions_are_collapsed_behind_a_line_that_says_how_to_show_them(path):
    for cell in load(path)["cells"]:
        solution = "solution" in cell["metadata"].get("tags", [])
        first = source(cell).split("\n")[0]
        assert (first == execute_notebooks.SOLUTION_MARKER) == solution, source(cell)
        if solution:
            hidden = cell["metadata"].get("jupyter", {})
            assert hidden.get("source_hidden") is True, source(cell)
            assert hidden.get("outputs_hidden", False) is bool(cell["outputs"]), source(cell)


def test_hide_solutions_and_keep_shown_widgets_on_a_small_notebook():
    """The execute tool's two steps, on a notebook built here: solution cells collapse once
    (running the step again changes nothing); widget state keeps only what an output shows,
    nested views of an Output widget included, under ids that depend on the notebook only."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    def model(name, **state):
        return {"model_name": name, "model_module": "@jupyter-widgets/controls",
                "model_module_version": "2.0.0", "state": state}

    def build():
        view = {WIDGET_VIEW: {"model_id": "a" * 32, "version_major": 2, "version_minor": 0},
                "text/plain": "VBox(children=(...))"}
        nested = {"output_type": "display_data", "metadata": {},
                  "data": {WIDGET_VIEW: {"model_id": "d" * 32}}}
        nb = new_notebook(cells=[
            new_code_cell("x = 1", metadata={"tags": ["solution"]}, id="c1"),
            new_code_cell("print(x)", metadata={"tags": ["solution"]}, id="c2",
                          outputs=[new_output("stream", name="stdout", text="1\n")]),
            new_code_cell("# NBVAL_IGNORE_OUTPUT\nui", id="c3", outputs=[
                new_output("display_data", data=view)])])
        nb.metadata["widgets"] = {execute_notebooks.WIDGET_STATE: {"state": {
            "a" * 32: model("VBoxModel", children=["IPY_MODEL_" + "b" * 32]),
            "b" * 32: model("OutputModel", outputs=[nested]),
            "d" * 32: model("ButtonModel", layout="IPY_MODEL_" + "e" * 32),
            "e" * 32: model("LayoutModel"),
            "c" * 32: model("SliderModel"),  # closed or never shown: dropped
        }, "version_major": 2, "version_minor": 0}}
        return nb

    nb = build()
    execute_notebooks.tidy(nb, "small.ipynb")
    first, second = nb.cells[0], nb.cells[1]
    assert first.source == execute_notebooks.SOLUTION_MARKER + "\nx = 1"
    assert first.metadata["jupyter"] == {"source_hidden": True}
    assert second.metadata["jupyter"] == {"source_hidden": True, "outputs_hidden": True}
    state = nb.metadata["widgets"][execute_notebooks.WIDGET_STATE]["state"]
    assert [m["model_name"] for m in state.values()] == [
        "VBoxModel", "OutputModel", "ButtonModel", "LayoutModel"]
    out = nb.cells[2].outputs[0]
    assert out.data[WIDGET_VIEW]["model_id"] == next(iter(state))
    assert out.data["text/plain"] == execute_notebooks.WIDGET_HINT
    again = nbformat.writes(nb)
    execute_notebooks.tidy(nb, "small.ipynb")
    assert nbformat.writes(nb) == again
    other = build()
    execute_notebooks.tidy(other, "small.ipynb")
    assert nbformat.writes(other) == again  # the same notebook, the same file


def test_the_app_notebook_holds_the_app_and_nothing_else():
    """Voila runs every cell of the notebook it serves: a title, two lines of how-to, the
    Playground. Nothing from a lesson (no experiment, no exercise) can break it."""
    cells = load(APP)["cells"]
    assert [c["cell_type"] for c in cells] == ["markdown", "code"]
    text = source(cells[0])
    assert text.startswith("# The Playground\n") and len(text.strip().splitlines()) <= 4
    code = [line for line in source(cells[1]).splitlines()
            if line.strip() and not line.startswith("#")]
    assert code == ["from helpers.playground import Playground", "Playground().ui"]


def test_make_app_and_the_readme_start_the_same_app():
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^app:.*\n\t(.*)$", makefile, re.M).group(1)
    assert "voila app/playground.ipynb" in recipe
    readme = (ROOT / "README.md").read_text()
    assert "make app" in readme and "http://localhost:8866" in readme
    plain = re.search(r"^\.venv/bin/voila app/playground\.ipynb(.*)$", readme, re.M)
    assert plain, "the README gives the plain voila command for people without make"
    for option in re.findall(r"--\S+", recipe.split("voila", 1)[1]):
        if "$(" not in option:
            assert option in plain.group(1), f"the README's plain command lacks {option}"


def test_student_edition_has_no_solutions(tmp_path):
    written = student_edition.build(ROOT / "notebooks", tmp_path)
    assert len(written) == len(NOTEBOOKS)
    for path in written:
        cells = load(path)["cells"]
        assert not [c for c in cells if "solution" in c["metadata"].get("tags", [])]
        assert not any(c.get("outputs") for c in cells if c["cell_type"] == "code")
        assert "widgets" not in load(path)["metadata"], "widget state without the outputs"
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


@pytest.mark.kernel
@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if "%matplotlib widget" in p.read_text()],
                         ids=lambda p: p.stem)
def test_run_all_twice_keeps_static_figures_static(path):
    """Run All a second time without a restart (what learners do): a notebook that switches
    to the widget backend for a live figure must switch back, so its earlier figures stay
    pictures rather than turning into interactive "Figure 2" canvases."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    nb.cells = code + [nbformat.v4.new_code_cell(c.source) for c in code]
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    for first, second in zip(nb.cells[:len(code)], nb.cells[len(code):]):
        kinds = [sorted(o.get("data", {})) for o in first.outputs]
        again = [sorted(o.get("data", {})) for o in second.outputs]
        if any("image/png" in k for k in kinds):
            assert again == kinds, f"second run of:\n{first.source[:200]}\n{kinds} -> {again}"


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


# Cross-references: "notebook 07", "notebooks 01 and 10", "(10)", "§2.3", "section 2.2", "(2.4)",
# "in 2.1", "exercise 3" in a notebook; "04 §2.3" or a § under a "### [NN · ..." heading in docs.
_NOTEBOOK_REF = re.compile(r"\bnotebooks?\s+(\d\d)((?:\s*(?:,|and|or|to|–)\s*\d\d)*)")
_PAREN_REF = re.compile(r"\((\d\d)((?:,\s*\d\d)*)\)")
_TABLE_REF = re.compile(r"\|\s*(\d\d)((?:,\s*\d\d)*)\s*\|\s*$", re.M)  # a row's last cell
_SECTION = r"(\d+(?:\.\d+)?)(?:\s*[–-]\s*(\d+(?:\.\d+)?))?"
_SECTION_REF = re.compile(r"(?:§\s?|\bsections?\s+|\((?=2\.\d+\b)|\b(?:in|of|from)\s+(?=2\.\d+\b))"
                          + _SECTION)
_QUALIFIED_REF = re.compile(r"\b(\d\d)\s+§\s?" + _SECTION)
_EXERCISE_REF = re.compile(r"\b[Ee]xercise\s+(\d)\b")
# a § that belongs to a paper or a book, not to this course: "Brown et al. 2020, §2.1"
_CITED = re.compile(r"(?:19|20)\d\d[a-z]?\W*$|et al\.?\W*$"
                    r"|(?:paper|[Aa]ppendix|App\.|Table|table|ch\.)[^.;]*$")


def _numbers(first, rest):
    return [first] + re.findall(r"\d\d", rest or "")


def _sections(cells):
    """The section numbers of a notebook: "## 2. Experiments" -> "2", "### 2.3 ..." -> "2.3"."""
    text = "\n".join(source(c) for c in cells if c["cell_type"] == "markdown")
    return set(re.findall(r"^##\s+(\d+)\.", text, re.M)) | set(re.findall(r"^###\s+(\d+\.\d+)\b",
                                                                          text, re.M))


def _section_refs(text):
    for m in _SECTION_REF.finditer(text):
        before = text[max(0, m.start() - 60):m.start()].split("\n")[-1]
        if m.group(0).startswith("§") and _CITED.search(before):
            continue
        if re.search(r"\d\d\s*$", before):  # "04 §2.3": qualified, checked on its own
            continue
        yield m.start(), [s for s in m.groups() if s]


def _prose(cells):
    """The markdown of a notebook up to its references (which cite papers' sections, not ours)."""
    kept = []
    for c in cells:
        if c["cell_type"] != "markdown":
            continue
        if re.search(r"^## References", source(c), re.M):
            break
        kept.append(source(c))
    return "\n".join(kept)


def _broken_cross_references():
    numbers = {p.name[:2] for p in NOTEBOOKS}
    cells = {p.name[:2]: load(p)["cells"] for p in NOTEBOOKS}
    sections = {n: _sections(c) for n, c in cells.items()}
    broken = []

    def check_notebooks(where, text, patterns):
        for pattern in patterns:
            for m in pattern.finditer(text):
                for n in _numbers(*m.groups()):
                    if n not in numbers:
                        broken.append(f"{where}: {m.group(0)!r} names notebook {n}, "
                                      "which does not exist")

    def check_sections(where, notebook, refs, text):
        for s in refs:
            if notebook not in numbers:
                continue  # reported as a missing notebook
            if s not in sections[notebook]:
                broken.append(f"{where}: {text!r} points at §{s} of notebook {notebook}, "
                              f"which has no such section")

    for n, nb_cells in cells.items():
        text = _prose(nb_cells)
        where = f"notebook {n}"
        check_notebooks(where, text, (_NOTEBOOK_REF, _PAREN_REF))
        for start, refs in _section_refs(text):
            check_sections(where, n, refs, text[start:start + 40].split("\n")[0])
        for m in _QUALIFIED_REF.finditer(text):
            check_sections(where, m.group(1), [s for s in m.groups()[1:] if s], m.group(0))
        exercises = set(re.findall(r"^### Exercise (\d)", text + "\n".join(
            source(c) for c in nb_cells if c["cell_type"] == "markdown"), re.M))
        for m in _EXERCISE_REF.finditer(text):
            if m.group(1) not in exercises:
                broken.append(f"{where}: {m.group(0)!r} does not exist in this notebook")

    # docs/sources.md is the audit ledger: it cites papers' sections in every row and names the
    # notebooks still to be written, so it is read by people, not by this check
    docs = [ROOT / "README.md"] + sorted(p for p in (ROOT / "docs").glob("*.md")
                                         if p.name != "sources.md")
    for path in docs:
        text = path.read_text()
        where = str(path.relative_to(ROOT))
        check_notebooks(where, text, (_NOTEBOOK_REF, _PAREN_REF))
        # tables whose last column is "notebook" (the cheat sheet's)
        for table in re.findall(r"^\|.*\| notebook \|\n(?:\|.*\n?)+", text, re.M):
            check_notebooks(where, table, (_TABLE_REF,))
        for m in _QUALIFIED_REF.finditer(text):
            check_sections(where, m.group(1), [s for s in m.groups()[1:] if s], m.group(0))
        for start, refs in _section_refs(text):
            context = re.findall(r"\[(\d\d) ·", text[:start])  # under "### [NN · Title](...)"
            if not context:
                broken.append(f"{where}: {text[start:start + 30]!r} does not say which notebook "
                              "(write 'NN §X')")
                continue
            check_sections(where, context[-1], refs, text[start:start + 30].split("\n")[0])
    return broken


def test_cross_references_point_at_notebooks_and_sections_that_exist():
    """'notebook 07', '(10)', '§2.3', 'section 2.2', '(2.4)', '04 §2.3', 'exercise 3': each names a
    notebook that exists and, for a section or an exercise, a heading that notebook has."""
    broken = _broken_cross_references()
    assert not broken, "\n".join(broken)


def test_cross_reference_check_catches_a_missing_notebook_and_section(monkeypatch, tmp_path):
    """The check itself: a reference to notebook 99 and to §2.9 of notebook 00 are reported."""
    fake = tmp_path / "docs"
    fake.mkdir()
    (fake / "x.md").write_text("See notebook 99, and [00 §2.9](../notebooks/00.ipynb), and (98).\n"
                               "Brown et al. 2020, §2.1 is a paper's section, not ours.\n")
    (tmp_path / "README.md").write_text("nothing here\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    broken = _broken_cross_references()
    assert any("notebook 99" in b for b in broken)
    assert any("notebook 98" in b for b in broken)
    assert any("§2.9 of notebook 00" in b for b in broken)
    assert not any("2.1" in b for b in broken)
