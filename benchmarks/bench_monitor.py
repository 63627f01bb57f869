"""What a HealthMonitor costs: the time of fit with one, over the time without (notebook 11).

    python benchmarks/bench_monitor.py [repeats]

For three networks (the notebook's digits MLP, a tiny 2-8-8-2 net where the per-update work is
smallest and the monitor's share largest, and a 784-256-256-10 net), one epoch is timed with
and without a monitor on 256 examples, recording every `every` updates. Runs are interleaved
(monitored, plain, monitored, ...) so a busy machine slows both alike; the median of the
per-pair ratios is printed.
"""

import os
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as the notebooks run

import numpy as np  # noqa: E402

import helpers as hp  # noqa: E402

CASES = [  # sizes, batch, examples
    ([64, 64, 64, 64, 10], 32, 1438),
    ([2, 8, 8, 2], 10, 2000),
    ([784, 256, 256, 10], 128, 8192),
]


def one_epoch(sizes, batch, X, y, every):
    model = hp.make_mlp(sizes, seed=0)
    callbacks = [] if every is None else [hp.HealthMonitor(X[:256], every=every)]
    opt = hp.SGD(model.parameters(), lr=0.01, momentum=0.9)
    start = time.perf_counter()
    hp.fit(model, hp.CrossEntropyLoss(), opt, X, y, epochs=1, batch_size=batch,
           callbacks=callbacks, progress=False)
    return time.perf_counter() - start


def main(repeats=7):
    print(f"median of {repeats} interleaved pairs; load average {os.getloadavg()[0]:.1f}")
    for sizes, batch, n in CASES:
        rng = np.random.default_rng(0)
        X = rng.normal(size=(n, sizes[0])).astype(np.float32)
        y = rng.integers(0, sizes[-1], n)
        one_epoch(sizes, batch, X, y, None)  # warm-up
        for every in (1, 10):
            ratios = []
            for _ in range(repeats):
                monitored = one_epoch(sizes, batch, X, y, every)
                plain = one_epoch(sizes, batch, X, y, None)
                ratios.append(monitored / plain)
            print(f"{'-'.join(map(str, sizes)):>18} batch {batch:>3}, every {every:>2}: "
                  f"{np.median(ratios):.2f}x  (range {min(ratios):.2f}-{max(ratios):.2f})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
