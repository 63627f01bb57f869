"""Build the student edition: every notebook without its solutions (make student).

Cells tagged `solution` are removed and all outputs are cleared
(`helpers.course.student_edition`, the same logic `hp-course get --student` uses).
Usage: python tools/student_edition.py SOURCE_DIR TARGET_DIR
"""

import sys
from pathlib import Path

from helpers.course import LESSON_GLOB, student_edition
from helpers.course.editions import notebook_bytes


def build_one(path, target):
    """Write the student copy of one notebook into the folder `target`; return its path."""
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    out = target / Path(path).name
    out.write_bytes(notebook_bytes(student_edition(path)))
    return out


def build(source, target):
    """Student copies of every lesson notebook in `source`."""
    return [build_one(path, target) for path in sorted(Path(source).glob(LESSON_GLOB))]


if __name__ == "__main__":
    for p in build(*sys.argv[1:3]):
        print(p)
