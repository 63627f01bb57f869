"""The benchmark's reference epochs do the same work as helpers (benchmarks/bench_epoch.py)."""

import importlib.util
from pathlib import Path

import numpy as np

import helpers as hp

_path = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_epoch.py"
_spec = importlib.util.spec_from_file_location("bench_epoch", _path)
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def test_numpy_floor_trains_exactly_like_fit():
    # the floor's share means something only if it computes what helpers computes
    sizes, batch = [20, 16, 16, 4], 8
    X, y = bench.make_data(sizes, 100)
    ours, floor = hp.make_mlp(sizes, seed=0), hp.make_mlp(sizes, seed=0)
    opt = hp.SGD(ours.parameters(), lr=0.01, momentum=0.9)
    hp.fit(ours, hp.CrossEntropyLoss(), opt, X, y, epochs=1, batch_size=batch, seed=3,
           progress=False)
    bench.numpy_floor_epoch(floor, batch, X, y, lr=0.01, momentum=0.9)(3)
    start = hp.make_mlp(sizes, seed=0).parameters()
    for p, q, p0 in zip(ours.parameters(), floor.parameters(), start):
        assert not np.allclose(p.data, p0.data)  # both trained
        np.testing.assert_allclose(q.data, p.data, rtol=1e-5, atol=1e-6)


def test_benchmark_epochs_run():
    sizes, batch = [20, 16, 16, 4], 8
    X, y = bench.make_data(sizes, 64)
    bench.matmul_epoch(sizes, batch, len(X))(0)
    bench.helpers_epoch(sizes, batch, X, y)(0)
