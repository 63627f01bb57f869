"""pytest set-up shared by tests/ and notebooks/ (nbval)."""

import collections

from tools import numerics

# One BLAS thread (our matrices are small; idle BLAS threads spinning on a 2-core machine cost
# more than they save) and the same kernels on every x86-64 CPU, so that stored outputs
# reproduce; kernels started by nbval inherit these (tools/numerics.py says why).
numerics.apply()

#: the course's promise: each notebook runs top to bottom in under a minute
NOTEBOOK_BUDGET_S = 60.0
_notebook_seconds = collections.defaultdict(float)


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
        flag = "  OVER BUDGET" if seconds > NOTEBOOK_BUDGET_S else ""
        write(f"{seconds:7.1f} s  {path}{flag}")
    write(f"{sum(_notebook_seconds.values()):7.1f} s  in all ({len(_notebook_seconds)} notebooks)")


def pytest_sessionfinish(session, exitstatus):
    slow = [p for p, s in _notebook_seconds.items() if s > NOTEBOOK_BUDGET_S]
    if slow and exitstatus == 0:
        session.exitstatus = 1  # a notebook over its minute fails the run
