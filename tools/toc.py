"""The README's generated parts: the table of contents (from the notebooks' titles) and the
cheat sheet of typical values (from docs/cheat_sheet.md).

python tools/toc.py          prints the table of contents
python tools/toc.py --write  rewrites both in README.md (between their markers)
tests/test_course.py checks that README.md holds the current versions.
"""

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BEGIN, END = "<!-- toc:begin -->", "<!-- toc:end -->"
CHEAT_BEGIN, CHEAT_END = "<!-- cheatsheet:begin -->", "<!-- cheatsheet:end -->"


def title_and_blurb(path):
    """The notebook's '# NN · Title' and the first sentence after it."""
    first = "".join(json.loads(path.read_text())["cells"][0]["source"]).strip().splitlines()
    title = first[0].lstrip("# ").strip()
    text = " ".join(line.strip() for line in first[1:] if line.strip())
    return title, re.split(r"(?<=[.?!])\s", text, maxsplit=1)[0] if text else ""


def table():
    rows = ["| notebook | in one line |", "|---|---|"]
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        title, blurb = title_and_blurb(path)
        rows.append(f"| [{title}](notebooks/{path.name}) | {blurb} |")
    return "\n".join(rows)


def typical_values():
    """The '## Typical values' table of docs/cheat_sheet.md."""
    text = (ROOT / "docs" / "cheat_sheet.md").read_text()
    section = text.split("## Typical values", 1)[1].split("\n## ", 1)[0]
    return "\n".join(line for line in section.strip().splitlines() if line.startswith("|"))


def _replace(text, begin, end, body):
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{begin}\n{body}\n{end}{tail}"


def readme_with_toc(readme):
    readme = _replace(readme, BEGIN, END, table())
    return _replace(readme, CHEAT_BEGIN, CHEAT_END, typical_values())


if __name__ == "__main__":
    if "--write" in sys.argv:
        path = ROOT / "README.md"
        path.write_text(readme_with_toc(path.read_text()))
    else:
        print(table())
