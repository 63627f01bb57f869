"""A setting as a link: the part of the app's address after "#", as the TensorFlow
Playground's ("#dataset=xor&lr=0.1&hidden=8,8&features=x1,x2"). Only the keys that differ
from DEFAULTS are written; a link opens its setting over DEFAULTS. The learner's CSV points
do not fit in an address: such a setting is shared as JSON (config_to_json)."""

import re
from urllib.parse import parse_qsl, quote

from .config import CSV, DEFAULTS, validate_config

MAX_HASH = 2000  # characters: every setting fits in a few hundred


def config_to_hash(config):
    """'#key=value&...' of the keys of `config` that differ from DEFAULTS ('' for DEFAULTS).
    A CSV setting raises ValueError: its points go with Export (JSON), not in a link."""
    cfg = validate_config(config)
    if cfg["dataset"] == CSV:
        raise ValueError("a setting with your own CSV points cannot be a link: use Export "
                         "(JSON), which carries the points")
    parts = []
    for key, default in DEFAULTS.items():
        value = cfg[key]
        if value == default:
            continue
        if isinstance(value, list):
            text = ",".join(str(v) for v in value)
        elif isinstance(value, bool):
            text = "true" if value else "false"
        else:
            text = repr(value) if isinstance(value, float) else str(value)
        parts.append(f"{key}={quote(text, safe=',*')}")
    return "#" + "&".join(parts) if parts else ""


def config_from_hash(text):
    """The configuration a link's hash ('#key=value&...', with or without '#') describes,
    checked (validate_config); a bad key or value raises ValueError saying which."""
    if not isinstance(text, str):
        raise ValueError(f"the link's setting must be text, got {type(text).__name__}")
    if len(text) > MAX_HASH:
        raise ValueError(f"the link's setting is {len(text):,} characters; at most {MAX_HASH:,}")
    config = {}
    for key, value in parse_qsl(text.lstrip("#"), keep_blank_values=True):
        if key not in DEFAULTS:
            config[key] = value  # validate_config names it and suggests the right key
            continue
        default = DEFAULTS[key]
        try:
            config[key] = _parse(value, default)
        except ValueError:
            raise ValueError(f"{key}={value!r} in the link: not a {_kind(default)}") from None
    return validate_config(config)


def _parse(value, default):
    if isinstance(default, bool):
        if value not in ("true", "false"):
            raise ValueError(value)
        return value == "true"
    if isinstance(default, list):
        items = [v for v in value.split(",") if v]
        return [int(v) for v in items] if default and isinstance(default[0], int) else items
    if isinstance(default, int):
        if not re.fullmatch(r"[+-]?\d{1,12}", value):
            raise ValueError(value)
        return int(value)
    if isinstance(default, float):
        return float(value)
    return value


def _kind(default):
    if isinstance(default, bool):
        return "true or false"
    if isinstance(default, list):
        return "comma-separated list"
    return {int: "whole number", float: "number"}.get(type(default), "name")
