"""The server and browser helpers the website and install tests share with the other
real-browser tests: issue 13's tests/browser_kit.py where it exists, else the same helpers of
tests/test_browser.py (which that issue replaces), under one set of names.
"""

try:
    from browser_kit import ARTIFACTS, CHROMIUM, free_port
    from browser_kit import chromium as browser
    from browser_kit import server as _server

    def server(args, folder, url, timeout=60):
        """`args` started in `folder` until `url` answers; always stopped afterwards."""
        return _server(args, url, folder=folder, cwd=folder, timeout=timeout)

except ImportError:
    from test_browser import ARTIFACTS, CHROMIUM, browser, free_port, server

__all__ = ["ARTIFACTS", "CHROMIUM", "browser", "free_port", "server"]
