"""The GPT step benchmark (benchmarks/bench_gpt.py) times what it says: the helpers step trains,
the reference products and parts run on the step's shapes, and PyTorch's model is the same."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

_path = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_gpt.py"
_spec = importlib.util.spec_from_file_location("bench_gpt", _path)
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

SIZE = (16, 2, 1, 8, 4)  # d_model, heads, layers, context, batch


def test_benchmark_parts_run_on_small_shapes():
    bench.helpers_steps(*SIZE, steps=2)(0)
    bench.matmul_steps(*SIZE, steps=1)(0)
    parts = bench.component_steps(*SIZE, steps=1)
    assert set(parts) == {"softmax", "LayerNorm", "GELU", "AdamW", "loss"}
    for run in parts.values():
        run(0)


def test_torch_model_has_the_helpers_model_shapes():
    torch = pytest.importorskip("torch", reason="torch not installed (optional: see the README, "
                                                "Benchmark)")
    import helpers as hp
    ours = hp.GPT(bench.VOCAB, 8, 2, 16, 2)
    theirs = bench.torch_model(16, 2, 2, 8)
    assert sum(p.numel() for p in theirs.parameters()) == hp.count_parameters(ours)
    logits = theirs(torch.zeros((2, 8), dtype=torch.long))
    assert tuple(logits.shape) == (2, 8, bench.VOCAB)
    stds = {n: float(p.detach().std()) for n, p in theirs.named_parameters() if p.dim() == 2}
    assert np.isclose(stds["blocks.0.fc2.weight"], 0.02 / 2, rtol=0.2)
    bench.torch_steps(16, 2, 1, 8, 4, steps=2)(0)
