"""The arithmetic that stored notebook outputs are made and checked with.

CPUs differ in their BLAS kernels and in numpy's SIMD loops, and so in the last bits of a
float32 result; a training run amplifies those bits into different printed digits. So stored
outputs are made (tools/execute_notebooks.py) and compared (nbval, conftest.py) with one BLAS
thread and the same code on every x86-64 CPU with AVX2: OpenBLAS's Haswell kernels (what it
picks on AMD Zen as well) and numpy's AVX2 loops, never its AVX-512 ones.

ALTERNATE is another CPU's arithmetic (AVX without FMA in OpenBLAS, numpy's baseline SSE4
loops): every claim the notebooks assert must hold there too, although the printed digits may
differ (`make test` runs every notebook once more under it, HP_NUMERICS=alternate).
Elsewhere than x86-64 (an ARM laptop), only the thread settings apply.
"""

import os
import platform

THREADS = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
PINNED = {**THREADS, "OPENBLAS_CORETYPE": "Haswell",
          "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR"}
ALTERNATE = {**THREADS, "OPENBLAS_CORETYPE": "Sandybridge",
             "NPY_DISABLE_CPU_FEATURES": "X86_V3 X86_V4 AVX512_ICL AVX512_SPR"}


def settings(name=None):
    """The environment variables of `name` ("pinned" or "alternate"; default: $HP_NUMERICS,
    else "pinned"), for this machine."""
    name = name or os.environ.get("HP_NUMERICS", "pinned")
    if name not in ("pinned", "alternate"):
        raise ValueError(f"HP_NUMERICS must be 'pinned' or 'alternate', got {name!r}")
    if platform.machine().lower() not in ("x86_64", "amd64"):
        return dict(THREADS)
    return dict(ALTERNATE if name == "alternate" else PINNED)


def apply(name=None):
    """Set them in os.environ (before numpy is imported, and before any kernel starts: kernels
    inherit the environment); values already set by the caller win."""
    for key, value in settings(name).items():
        os.environ.setdefault(key, value)


if __name__ == "__main__":  # `eval $(python tools/numerics.py)` for a shell
    print(" ".join(f"{k}='{v}'" for k, v in settings().items()))
