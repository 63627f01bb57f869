"""The project's own set-up: environment.yml agrees with pyproject.toml, the wheel's package
list is complete; lint is clean."""

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _normalise(spec):
    spec = spec.split("#")[0].strip().replace(" ", "")
    name = re.split(r"[<>=!~\[]", spec, maxsplit=1)[0]
    return name.lower().replace("_", "-"), spec[len(name):]


def pyproject_requirements():
    """Runtime, dev and site: what `make setup` (and so CI) installs."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    specs = project["dependencies"] + extras["dev"] + extras["site"]
    return dict(_normalise(s) for s in specs)


def environment_requirements():
    """The pip list of environment.yml (a fixed, simple layout: no YAML library needed)."""
    lines = (ROOT / "environment.yml").read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "- pip:")
    specs = []
    for line in lines[start + 1:]:
        m = re.match(r"^\s{6,}- (.+)$", line)
        if not m:
            break
        specs.append(m.group(1))
    return dict(_normalise(s) for s in specs)


def test_environment_yml_installs_exactly_what_pyproject_lists():
    assert environment_requirements() == pyproject_requirements()


def test_environment_yml_python_matches_requires_python():
    text = (ROOT / "environment.yml").read_text()
    version = tuple(map(int, re.search(r"- python=(\d+)\.(\d+)", text).groups()))
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    minimum = re.fullmatch(r">=(\d+)\.(\d+)", pyproject["project"]["requires-python"])
    assert version >= tuple(map(int, minimum.groups()))


def test_every_helpers_package_is_in_the_wheel():
    """pyproject lists its packages (the notebooks are mapped into helpers.course): a new
    subpackage of helpers must be added there, or the installed course lacks it."""
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    found = {".".join(p.parent.relative_to(ROOT).parts)
             for p in (ROOT / "helpers").rglob("*.py") if "__pycache__" not in p.parts}
    missing = found - set(setuptools["packages"])
    assert not missing, f"add {sorted(missing)} to [tool.setuptools] packages in pyproject.toml"
    for package, folder in setuptools["package-dir"].items():
        assert package in setuptools["packages"] and (ROOT / folder).is_dir(), package


RUFF = Path(sys.executable).parent / "ruff"


@pytest.mark.skipif(not RUFF.exists() and shutil.which("ruff") is None, reason="no ruff")
def test_ruff_clean():
    ruff = str(RUFF) if RUFF.exists() else shutil.which("ruff")
    result = subprocess.run([ruff, "check", "helpers", "tests", "notebooks", "tools", "benchmarks"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_merge_conflict_markers_are_committed():
    # a README once shipped with both sides of a merge conflict in it
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True)
    if tracked.returncode:
        pytest.skip("not a git checkout (e.g. an installed wheel)")
    marker = re.compile(r"^(<{7} |>{7} |={7}$)", re.MULTILINE)
    found = []
    for name in tracked.stdout.split():
        path = ROOT / name
        if path.suffix in {".py", ".md", ".toml", ".yml", ".yaml", ".json", ".js", ".css", ".cfg"} \
                or name in {"Makefile", "postBuild"}:
            if path.is_file() and marker.search(path.read_text(errors="replace")):
                found.append(name)
    assert not found, f"merge conflict markers in {found}"
