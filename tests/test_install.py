"""The installable course, as a learner gets it: build the wheel, install it into a fresh venv
(dependencies from PyPI, through pip's cache), and use it from a folder outside the
repository: `hp-course get`, nbval on a copied notebook, `python -m helpers`, and the
`lab` and `app` servers answering on 127.0.0.1.

Minutes, not seconds (pip into an empty venv): marked `install`, so `make test-fast` skips
it; `make test` (CI) runs it.
"""

import os
import shutil
import subprocess
import sys
import urllib.request
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from server_kit import free_port, server  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
APP = ROOT / "app" / "playground.ipynb"
CHECKED = "05_loss_functions.ipynb"  # one lesson, run and compared as nbval does in the repository

pytestmark = [pytest.mark.install, pytest.mark.kernel]

# the repository's own nbval settings, for a folder that has none: stderr (warnings with
# temporary paths) is not compared
CONFTEST = '''
def pytest_collectstart(collector):
    if collector.fspath and collector.fspath.ext == ".ipynb":
        collector.skip_compare += ("stderr",)
'''


def run(args, cwd, env, timeout=900):
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=timeout)
    assert result.returncode == 0, f"{args}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(venv bin folder, a work folder outside the repository, environment)."""
    tmp = tmp_path_factory.mktemp("install")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    # from a copy of the sources: setuptools would ship stale files from the repo's build/
    source = tmp / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "test-artifacts", "__pycache__", "*.egg-info"))
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir",
         str(tmp / "dist"), str(source)], cwd=tmp, env=env)
    wheel, = (tmp / "dist").glob("hyperparameters_course-*.whl")
    run([sys.executable, "-m", "venv", str(tmp / "venv")], cwd=tmp, env=env)
    bin_ = tmp / "venv" / "bin"
    run([str(bin_ / "python"), "-m", "pip", "install", "--quiet", str(wheel), "pytest",
         "nbval"], cwd=tmp, env=env)
    work = tmp / "work"
    work.mkdir()
    return bin_, work, env, wheel


def test_wheel_holds_the_course(installed):
    *_, wheel = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in NOTEBOOKS:
        assert f"helpers/course/notebooks/{path.name}" in names
    assert {"helpers/data/digits.npz", "helpers/data/grammar_corpus.txt",
            "helpers/course/cli.py", "helpers/__main__.py"} <= names
    assert ("helpers/course/app/playground.ipynb" in names) == APP.is_file()
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "hp-course = helpers.course.cli:main" in zipfile.ZipFile(wheel).read(
        entry_points).decode()
    print(f"\nwheel: {wheel.name}, {wheel.stat().st_size / 1e6:.1f} MB")


def test_get_gives_a_runnable_course_without_the_repository(installed):
    bin_, work, env, _ = installed
    where = run([str(bin_ / "python"), "-c", "import helpers; print(helpers.__file__)"],
                cwd=work, env=env)
    assert str(bin_.parent) in where and str(ROOT) not in where
    out = run([str(bin_ / "hp-course"), "get"], cwd=work, env=env)
    course = work / "hyperparameters-course"
    assert f"{len(NOTEBOOKS)} copied" in out
    assert sorted(p.name for p in course.glob("*.ipynb")) == [p.name for p in NOTEBOOKS]
    (course / "conftest.py").write_text(CONFTEST)
    shutil.copy(ROOT / "tests" / "sanitize.cfg", work / "sanitize.cfg")
    run([str(bin_ / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval",
         "--nbval-current-env", f"--nbval-sanitize-with={work / 'sanitize.cfg'}",
         "--nbval-cell-timeout=300", str(course / CHECKED)], cwd=work, env=env)
    out = run([str(bin_ / "python"), "-m", "helpers", "get", "student", "--student"],
              cwd=work, env=env)
    assert "student edition" in out and len(list((work / "student").glob("*.ipynb"))) == \
        len(NOTEBOOKS)


def _serve(args, ready, page, folder, timeout=240):
    """Start `args` in `folder`; once `ready` (a quick URL) answers, read `page` whole (Voilà
    runs the notebook first), stop the server; return (the page, what the server printed)."""
    with server(args, folder, ready, timeout=timeout):
        with urllib.request.urlopen(page, timeout=timeout) as r:
            text = r.read().decode("utf-8", "replace")
    return text, (folder / "hp-course.log").read_text()


def test_lab_serves_the_course_folder(installed):
    bin_, work, *_ = installed
    port = free_port()
    url = f"http://127.0.0.1:{port}/lab"
    _, out = _serve([str(bin_ / "hp-course"), "lab", "--no-browser", "--port", str(port)],
                    url, url, work)
    assert f"http://127.0.0.1:{port}/lab" in out and "hyperparameters-course" in out


@pytest.mark.skipif(not APP.is_file(), reason="app/playground.ipynb is not on this branch yet")
def test_app_serves_the_installed_playground(installed):
    bin_, work, *_ = installed
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    page, out = _serve([str(bin_ / "hp-course"), "app", "--no-browser", "--port", str(port)],
                       f"{url}voila/static/voila.js", url, work)
    assert f"The Playground: http://127.0.0.1:{port}/" in out
    assert "Playground" in page and "Traceback" not in page
