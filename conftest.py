"""pytest set-up shared by tests/ and notebooks/ (nbval)."""

import collections
import os

from tools import numerics

# One BLAS thread (our matrices are small; idle BLAS threads spinning on a 2-core machine cost
# more than they save) and the same kernels on every x86-64 CPU, so that stored outputs
# reproduce; kernels started by nbval inherit these (tools/numerics.py says why).
numerics.apply()

#: the course's promise: each notebook runs top to bottom in under a minute
NOTEBOOK_BUDGET_S = 60.0
#: the one exception: notebook 14 trains tiny GPTs for its scaling laws (issue 16: 90 s)
NOTEBOOK_BUDGETS_S = {"notebooks/14_scaling_and_transfer.ipynb": 90.0}
_notebook_seconds = collections.defaultdict(float)


def _budget(path):
    return NOTEBOOK_BUDGETS_S.get(path, NOTEBOOK_BUDGET_S)


def _timed():
    # the alternate arithmetic (baseline SIMD, older BLAS kernels) checks claims, not speed:
    # it runs the tiny GPTs of 13 and 14 about 3x slower than any learner's numpy would
    return os.environ.get("HP_NUMERICS", "pinned") != "alternate"


def pytest_collectstart(collector):
    # stderr carries progress bars and warnings with temporary paths: never compare it
    if collector.fspath and collector.fspath.ext == ".ipynb":
        collector.skip_compare += ("stderr",)


def pytest_runtest_logreport(report):
    path = report.nodeid.split("::")[0]
    if path.endswith(".ipynb"):
        _notebook_seconds[path] += report.duration


def pytest_terminal_summary(terminalreporter):
    if not _notebook_seconds:
        return
    write = terminalreporter.write_line
    terminalreporter.section("notebook times (kernel start + every cell)")
    for path, seconds in sorted(_notebook_seconds.items()):
        flag = "  OVER BUDGET" if _timed() and seconds > _budget(path) else ""
        write(f"{seconds:7.1f} s  {path}{flag}")
    write(f"{sum(_notebook_seconds.values()):7.1f} s  in all ({len(_notebook_seconds)} notebooks)")
    if not _timed():
        write("(alternate arithmetic: times shown, not held to the budget)")


def pytest_sessionfinish(session, exitstatus):
    slow = [p for p, s in _notebook_seconds.items() if _timed() and s > _budget(p)]
    if slow and exitstatus == 0:
        session.exitstatus = 1  # a notebook over its minute fails the run
