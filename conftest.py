"""pytest set-up shared by tests/ and notebooks/ (nbval)."""

import os

# Plots render off-screen in tests; notebooks pick their own backend.
os.environ.setdefault("MPLBACKEND", "Agg")


def pytest_collectstart(collector):
    # stderr carries progress bars and warnings with temporary paths: never compare it
    if collector.fspath and collector.fspath.ext == ".ipynb":
        collector.skip_compare += ("stderr",)
