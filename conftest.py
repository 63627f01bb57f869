"""pytest set-up shared by tests/ and notebooks/ (nbval)."""

import os

# One BLAS thread: our matrices are small, and idle BLAS threads spinning on a 2-core machine
# cost more CPU than they save (kernels started by nbval inherit this).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")


def pytest_collectstart(collector):
    # stderr carries progress bars and warnings with temporary paths: never compare it
    if collector.fspath and collector.fspath.ext == ".ipynb":
        collector.skip_compare += ("stderr",)
