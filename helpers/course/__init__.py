"""The course as an installed package: where its notebooks and app are, and its two editions.

The wheel carries the notebooks and the Playground app as package data of `helpers.course`
(pyproject.toml maps `notebooks/` and `app/` of the repository here at build time); in a
source checkout (an editable install) they are read from the repository itself.
The command line on top of this is `hp-course` (cli.py), also `python -m helpers`.
"""

from pathlib import Path

from .editions import edition_bytes, student_edition

__all__ = ["app_notebook", "edition_bytes", "lesson_notebooks", "student_edition"]

_HERE = Path(__file__).resolve().parent
_CHECKOUT = _HERE.parents[1]  # helpers/course/ -> the repository, when run from source
LESSON_GLOB = "[0-9][0-9]_*.ipynb"
APP_NAME = "playground.ipynb"


def _course_folder(name):
    """`name` ('notebooks' or 'app') inside the installed package, else in the checkout."""
    for folder in (_HERE / name, _CHECKOUT / name):
        if folder.is_dir():
            return folder
    return None


def lesson_notebooks():
    """Every lesson notebook `NN_name.ipynb`, in course order."""
    folder = _course_folder("notebooks")
    return sorted(folder.glob(LESSON_GLOB)) if folder else []


def app_notebook():
    """The standalone Playground app's notebook, or None if this copy has none."""
    folder = _course_folder("app")
    path = folder / APP_NAME if folder else None
    return path if path and path.is_file() else None
