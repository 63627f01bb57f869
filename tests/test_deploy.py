"""deploy/values.yaml is a valid Zero to JupyterHub configuration: merged into the chart's
defaults as Helm merges it, it passes the chart's published values schema (both vendored in
deploy/z2jh-schema/, chart 4.4.0), and it opens what the course's image holds."""

import copy
import json
from pathlib import Path

import pytest

jsonschema = pytest.importorskip("jsonschema")
yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
SCHEMA = json.loads((DEPLOY / "z2jh-schema" / "values.schema.json").read_text())
DEFAULTS = yaml.safe_load((DEPLOY / "z2jh-schema" / "values.yaml").read_text())
VALUES = yaml.safe_load((DEPLOY / "values.yaml").read_text())


def coalesce(defaults, values):
    """Helm's merge of a values file into the chart's defaults: maps merge key by key, any
    other value replaces the default, and null deletes the key."""
    out = copy.deepcopy(defaults)
    for key, value in values.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = coalesce(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def errors(values):
    validator = jsonschema.Draft7Validator(SCHEMA)
    return [f"{'.'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(coalesce(DEFAULTS, values))]


def test_the_chart_defaults_alone_pass_the_schema():
    assert errors({}) == []  # the vendored pair belongs together


def test_the_values_file_passes_the_charts_schema():
    assert errors(VALUES) == []


@pytest.mark.parametrize("mistake", [
    {"singleuser": {"cpu": {"guarante": 0.1}}},            # a misspelt key
    {"singleuser": {"memory": {"guarantee": [384]}}},       # a list for a size
    {"singleuser": {"image": {"name": "x", "tag": 2026}}},  # a tag that is not a string
    {"cull": {"timeout": "30 minutes"}},
])
def test_the_schema_catches_the_mistakes_people_make(mistake):
    assert errors(coalesce(VALUES, mistake)) != []


def test_it_opens_the_app_or_the_student_edition_the_image_holds():
    su = VALUES["singleuser"]
    app = su["defaultUrl"].removeprefix("/voila/render/")
    assert (ROOT / app).is_file()
    urls = [p["kubespawner_override"]["default_url"] for p in su["profileList"]]
    assert su["defaultUrl"] in urls
    assert "/lab/tree/build/student" in urls
    assert "tools/student_edition.py notebooks build/student" in (ROOT / "postBuild").read_text()
    # the learner's volume is mounted below the home folder, where it cannot hide the course
    assert su["storage"]["homeMountPath"] != "/home/jovyan"


def test_learners_get_guarantees_a_cull_and_one_thread():
    su = VALUES["singleuser"]
    assert 0 < su["cpu"]["guarantee"] <= su["cpu"]["limit"]
    assert su["memory"]["guarantee"] and su["memory"]["limit"]
    assert VALUES["cull"]["enabled"] and VALUES["cull"]["timeout"] > 0
    assert su["extraEnv"]["OPENBLAS_NUM_THREADS"] == "1"
