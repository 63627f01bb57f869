"""python -m helpers: the same command line as hp-course (helpers/course/cli.py)."""

import sys

from .course.cli import main

sys.exit(main())
