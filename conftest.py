"""pytest set-up shared by tests/ and notebooks/ (nbval)."""


def pytest_collectstart(collector):
    # stderr carries progress bars and warnings with temporary paths: never compare it
    if collector.fspath and collector.fspath.ext == ".ipynb":
        collector.skip_compare += ("stderr",)
