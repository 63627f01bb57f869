"""hp-course (helpers/course/cli.py): get, the two editions, and the mistakes learners make
(a folder that does not exist, a busy port, an old Python, an edited notebook)."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.course import app_notebook, lesson_notebooks, student_edition
from helpers.course import cli
from helpers.playground.server import CONNECTION

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def quiet(*_):
    pass


def test_lessons_are_every_notebook_in_course_order():
    assert [p.name for p in lesson_notebooks()] == [p.name for p in NOTEBOOKS]


def test_get_copies_the_full_edition(tmp_path):
    outcome = cli.get(tmp_path / "course", say=quiet)
    assert set(outcome.values()) == {"copied"}
    for path in NOTEBOOKS:
        assert (tmp_path / "course" / path.name).read_bytes() == path.read_bytes()
    assert cli.get(tmp_path / "course", say=quiet) == {p.name: "unchanged" for p in NOTEBOOKS}


def test_get_student_edition_has_no_solutions_and_no_outputs(tmp_path):
    cli.get(tmp_path, student=True, say=quiet)
    for path in NOTEBOOKS:
        cells = json.loads((tmp_path / path.name).read_text())["cells"]
        assert not [c for c in cells if "solution" in c["metadata"].get("tags", [])]
        assert not [c for c in cells if c.get("outputs") or c.get("execution_count")]
        assert len(cells) == len(student_edition(path).cells)


def test_get_keeps_an_edited_notebook_unless_forced(tmp_path):
    said = []
    cli.get(tmp_path, say=quiet)
    edited = tmp_path / NOTEBOOKS[2].name
    edited.write_text('{"my": "work"}')
    outcome = cli.get(tmp_path, student=True, say=said.append)
    assert outcome[edited.name] == "kept" and edited.read_text() == '{"my": "work"}'
    assert sum(v == "updated" for v in outcome.values()) == len(NOTEBOOKS) - 1
    assert any(edited.name in line and "--force" in line for line in said), said
    assert cli.get(tmp_path, force=True, say=quiet)[edited.name] == "replaced"
    assert edited.read_bytes() == NOTEBOOKS[2].read_bytes()


def test_get_keeps_a_notebook_it_did_not_write(tmp_path):
    (tmp_path / NOTEBOOKS[0].name).write_text("{}")  # there before, no manifest
    assert cli.get(tmp_path, say=quiet)[NOTEBOOKS[0].name] == "kept"


def test_missing_parent_folder_is_a_clear_error(tmp_path, capsys):
    assert cli.main(["get", str(tmp_path / "no" / "such")]) == 2
    err = capsys.readouterr().err
    assert "does not exist" in err and str(tmp_path / "no") in err and "Traceback" not in err
    assert not (tmp_path / "no").exists()


def test_a_file_in_place_of_the_folder_is_a_clear_error(tmp_path, capsys):
    (tmp_path / "course").write_text("")
    assert cli.main(["get", str(tmp_path / "course")]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err


def test_lab_on_a_missing_folder_inside_a_missing_one(tmp_path, capsys):
    assert cli.main(["lab", str(tmp_path / "no" / "such"), "--no-browser"]) == 2
    assert "does not exist" in capsys.readouterr().err


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root can write anywhere")
def test_a_read_only_folder_is_a_clear_error(tmp_path, capsys):
    tmp_path.chmod(0o500)
    try:
        assert cli.main(["get", str(tmp_path)]) == 2
    finally:
        tmp_path.chmod(0o700)
    assert "Cannot write" in capsys.readouterr().err


def test_busy_port_is_a_clear_error(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(cli, "app_notebook", lambda: tmp_path / "playground.ipynb")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        busy = s.getsockname()[1]
        assert cli.main(["app", "--port", str(busy), "--no-browser"]) == 2
        assert cli.main(["lab", "--port", str(busy), "--no-browser", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count(f"Port {busy} is busy") == 2 and "--port" in err


def test_port_out_of_range_and_free_port():
    with pytest.raises(cli.CourseError, match="between 1 and 65535"):
        cli.free_port(70000)
    port = cli.free_port()
    assert 1 <= port <= 65535 and cli.free_port(port) == port


def test_app_without_its_notebook_says_so(monkeypatch, capsys):
    monkeypatch.setattr(cli, "app_notebook", lambda: None)
    assert cli.main(["app", "--no-browser"]) == 2
    assert "no Playground app" in capsys.readouterr().err


def test_app_notebook_is_found_when_the_repository_has_it():
    expected = ROOT / "app" / "playground.ipynb"
    assert app_notebook() == (expected if expected.is_file() else None)


def test_commands_start_the_servers_they_name(monkeypatch, tmp_path, capsys):
    """lab and app run JupyterLab / Voilà from this Python, on 127.0.0.1 and the given port."""
    calls = []
    monkeypatch.setattr(cli.subprocess, "call", lambda args, cwd, env: calls.append(
        (args, cwd, env)) or 0)
    monkeypatch.setattr(cli, "app_notebook", lambda: tmp_path / "playground.ipynb")
    port = cli.free_port()
    assert cli.main(["lab", str(tmp_path / "course"), "--port", str(port), "--no-browser"]) == 0
    assert cli.main(["app", "--port", str(port), "--no-browser"]) == 0
    (lab, lab_cwd, env), (app, app_cwd, _) = calls
    assert lab[:3] == [sys.executable, "-m", "jupyterlab"] and lab_cwd == tmp_path / "course"
    assert "--ServerApp.ip=127.0.0.1" in lab and f"--ServerApp.port={port}" in lab
    assert (tmp_path / "course" / NOTEBOOKS[0].name).is_file()  # lab copied the course first
    assert env["OPENBLAS_NUM_THREADS"] == "1"
    assert app[:4] == [sys.executable, "-m", "voila", str(tmp_path / "playground.ipynb")]
    assert "--Voila.ip=127.0.0.1" in app and f"--Voila.port={port}" in app
    # both servers send the Playground's frames at once, and the app starts warm as make app
    assert f"--ServerApp.kernel_websocket_connection_class={CONNECTION}" in lab
    assert f"--Voila.kernel_websocket_connection_class={CONNECTION}" in app
    assert "--preheat_kernel=True" in app
    out = capsys.readouterr().out
    assert f"http://127.0.0.1:{port}/" in out


def _run(code):
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def test_old_python_gets_a_clear_message():
    """`import helpers` (and so hp-course, python -m helpers) on Python 3.10 says what to do."""
    result = _run("import sys; sys.version_info = (3, 10, 4, 'final', 0); import helpers")
    assert result.returncode != 0
    assert "needs Python 3.11 or newer; this is Python 3.10" in result.stderr


def test_python_minus_m_helpers_is_hp_course():
    result = subprocess.run([sys.executable, "-m", "helpers", "--help"], capture_output=True,
                            text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0
    for command in ("get", "lab", "app"):
        assert command in result.stdout
