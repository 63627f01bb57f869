"""Unit tests draw off-screen (in this process only: notebook kernels keep their backend)."""

import os

import matplotlib

matplotlib.use("Agg")


# Hypothesis: a fixed, derandomized profile for CI; HYPOTHESIS_PROFILE=long for a deep run
try:
    from hypothesis import HealthCheck, settings
except ImportError:  # hypothesis is a dev dependency; unit tests without it still run
    pass
else:
    settings.register_profile("ci", max_examples=60, derandomize=True, deadline=None,
                              suppress_health_check=[HealthCheck.too_slow])
    settings.register_profile("long", max_examples=2000, deadline=None)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
