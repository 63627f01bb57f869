"""A time limit for one call in the fuzz tests: a hang fails the test instead of stalling CI.

SIGALRM, so Unix and the main thread only (where pytest runs tests)."""

import contextlib
import signal


class Hang(Exception):
    """Raised where the call was when its time ran out."""


@contextlib.contextmanager
def time_limit(seconds):
    def stop(signum, frame):
        raise Hang(f"no answer within {seconds} s")

    old = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
