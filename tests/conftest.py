"""Unit tests draw off-screen (in this process only: notebook kernels keep their backend)."""

import matplotlib

matplotlib.use("Agg")
