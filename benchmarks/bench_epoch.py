"""Training time per epoch: helpers against the same network in PyTorch (CPU, float32).

Same sizes, dtype, batch size, optimizer (SGD with momentum 0.9) and per-epoch shuffling.
Runs are interleaved (helpers, torch, helpers, torch, ...) so that a busy machine slows both
alike; we report the median of the per-pair ratios helpers / torch (lower is better).
On the largest size we also time the epoch's matrix products alone, on the same shapes, to
see how close helpers is to the machine's limit: matmul share = matmul time / epoch time.

Usage: python benchmarks/bench_epoch.py [--repeats 7]      (needs: pip install -e .[bench])
"""

import argparse
import statistics
import time

import numpy as np

import helpers as hp

# (sizes, batch size, examples per epoch, target ratio helpers / torch)
CASES = [
    ([2, 8, 8, 2], 10, 2000, 0.3),
    ([64, 128, 128, 10], 32, 4096, 0.5),
    ([784, 256, 256, 10], 128, 8192, 1.0),
]


def make_data(sizes, n, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, sizes[0]), dtype=np.float32)
    y = rng.integers(0, sizes[-1], n)
    return X, y


def helpers_epoch(sizes, batch, X, y):
    model = hp.make_mlp(sizes, seed=0)
    opt = hp.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss = hp.CrossEntropyLoss()

    def run(seed):
        hp.fit(model, loss, opt, X, y, epochs=1, batch_size=batch, seed=seed, progress=False)
    return run


def torch_epoch(sizes, batch, X, y):
    import torch
    layers = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(torch.nn.Linear(a, b))
        if i < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = torch.nn.CrossEntropyLoss()
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)

    def run(seed):
        g = torch.Generator().manual_seed(seed)
        order = torch.randperm(len(Xt), generator=g)
        Xs, ys = Xt[order], yt[order]
        for start in range(0, len(Xs), batch):
            opt.zero_grad()
            loss = loss_fn(model(Xs[start:start + batch]), ys[start:start + batch])
            loss.backward()
            opt.step()
    return run


def matmul_epoch(sizes, batch, n):
    """The matrix products one epoch needs: 3 forward, 3 weight gradients, 2 input gradients."""
    rng = np.random.default_rng(0)
    Ws = [rng.standard_normal((a, b), dtype=np.float32) for a, b in zip(sizes[:-1], sizes[1:])]
    acts = [rng.standard_normal((batch, a), dtype=np.float32) for a in sizes[:-1]]
    douts = [rng.standard_normal((batch, b), dtype=np.float32) for b in sizes[1:]]

    def run(seed):
        for _ in range(n // batch):
            for a, W in zip(acts, Ws):
                a @ W
            for i, (a, d, W) in enumerate(zip(acts, douts, Ws)):
                a.T @ d
                if i > 0:
                    d @ W.T
    return run


def timed(fn, seed):
    start = time.perf_counter()
    fn(seed)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    import torch
    print(f"numpy {np.__version__}, torch {torch.__version__} ({torch.get_num_threads()} threads)")
    print(f"{'network':>18} {'batch':>5} {'helpers ms':>10} {'torch ms':>9} {'ratio':>6} "
          f"{'target':>6}")
    results = []
    for sizes, batch, n, target in CASES:
        X, y = make_data(sizes, n)
        ours, theirs = helpers_epoch(sizes, batch, X, y), torch_epoch(sizes, batch, X, y)
        ours(0), theirs(0)  # warm up
        t_ours, t_theirs, ratios = [], [], []
        for r in range(args.repeats):
            a, b = timed(ours, r + 1), timed(theirs, r + 1)
            t_ours.append(a)
            t_theirs.append(b)
            ratios.append(a / b)
        ratio = statistics.median(ratios)
        results.append((sizes, ratio, target))
        name = "-".join(map(str, sizes))
        print(f"{name:>18} {batch:>5} {1e3 * statistics.median(t_ours):>10.1f} "
              f"{1e3 * statistics.median(t_theirs):>9.1f} {ratio:>6.2f} {'<= ' + str(target):>6}")
    sizes, batch, n, _ = CASES[-1]
    X, y = make_data(sizes, n)
    ours, mm = helpers_epoch(sizes, batch, X, y), matmul_epoch(sizes, batch, n)
    ours(0), mm(0)
    shares = [timed(mm, r) / timed(ours, r) for r in range(args.repeats)]
    share = statistics.median(shares)
    print(f"matmul share of helpers' epoch on {'-'.join(map(str, sizes))}: {share:.0%} "
          f"(target >= 70%)")
    ok = all(r <= t for _, r, t in results) and share >= 0.7
    print("all targets met" if ok else "some targets missed")


if __name__ == "__main__":
    main()
