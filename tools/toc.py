"""The README's table of contents, generated from the notebooks' titles.

python tools/toc.py          prints the table
python tools/toc.py --write  rewrites it in README.md (between the TOC markers)
tests/test_course.py checks that README.md holds the current table.
"""

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BEGIN, END = "<!-- toc:begin -->", "<!-- toc:end -->"


def title_and_blurb(path):
    """The notebook's '# NN · Title' and the first sentence after it."""
    first = "".join(json.loads(path.read_text())["cells"][0]["source"]).strip().splitlines()
    title = first[0].lstrip("# ").strip()
    text = " ".join(line.strip() for line in first[1:] if line.strip())
    return title, re.split(r"(?<=[.?!])\s", text, maxsplit=1)[0] if text else ""


def table():
    rows = ["| notebook | what you will learn |", "|---|---|"]
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        title, blurb = title_and_blurb(path)
        rows.append(f"| [{title}](notebooks/{path.name}) | {blurb} |")
    return "\n".join(rows)


def readme_with_toc(readme):
    head, rest = readme.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{table()}\n{END}{tail}"


if __name__ == "__main__":
    if "--write" in sys.argv:
        path = ROOT / "README.md"
        path.write_text(readme_with_toc(path.read_text()))
    else:
        print(table())
