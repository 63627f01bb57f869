"""The server and browser helpers the website and install tests share with the other
real-browser tests (tests/browser_kit.py), under the names those tests use.
"""

from browser_kit import ARTIFACTS, CHROMIUM, free_port
from browser_kit import chromium as browser
from browser_kit import server as _server


def server(args, folder, url, timeout=60):
    """`args` started in `folder` until `url` answers; always stopped afterwards."""
    return _server(args, url, folder=folder, cwd=folder, timeout=timeout)


__all__ = ["ARTIFACTS", "CHROMIUM", "browser", "free_port", "server"]
