"""Training time per epoch: helpers against the same network in PyTorch (CPU, float32).

Same sizes, dtype, batch size, optimizer (SGD with momentum 0.9) and per-epoch shuffling.
Runs are interleaved (helpers, torch, helpers, torch, ...) so that a busy machine slows both
alike, each timed right after a warm-up run of its own (see `timed`); we report the median of
the per-pair ratios helpers / torch (lower is better).
On the largest size we also time the epoch's matrix products alone, on the same shapes, to
see how close helpers is to the machine's limit: matmul share = matmul time / epoch time,
for helpers, for the same epoch hand-written in numpy with no framework (a practical ceiling
for numpy code) and for PyTorch.

Usage: python benchmarks/bench_epoch.py [--repeats 7]      (needs torch, CPU build: see the README)
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


def numpy_floor_epoch(model, batch, X, y, lr=0.01, momentum=0.9):
    """The same epoch written by hand in numpy, with no framework, updating `model`'s arrays
    (a helpers MLP of Linear and ReLU layers): every buffer kept, ReLU and bias in place,
    gradients written straight into their arrays, no accuracy kept. It does only what every
    training loop must (products, element-wise work, the loss value, the momentum update),
    so its matmul share is the ceiling for a numpy network, helpers included."""
    linears = [layer for layer in model.layers if isinstance(layer, hp.Linear)]
    Ws = [layer.weight.data for layer in linears]
    bs = [layer.bias.data for layer in linears]
    params = Ws + bs
    grads = [np.zeros_like(p) for p in params]
    moms = [np.zeros_like(p) for p in params]
    steps = [np.zeros_like(p) for p in params]
    lr, momentum, n = np.float32(lr), np.float32(momentum), len(X)

    def run(seed):
        order = np.random.default_rng(seed).permutation(n)
        for start in range(0, n, batch):
            rows = order[start:start + batch]
            hs = [X[rows]]
            for i, (W, b) in enumerate(zip(Ws, bs)):
                h = hs[-1] @ W
                h += b
                if i < len(Ws) - 1:
                    np.maximum(h, 0, out=h)
                hs.append(h)
            # softmax cross-entropy: its value (every loop logs it and checks it is finite)
            d = hs[-1] - hs[-1].max(axis=1, keepdims=True)
            picked = np.arange(len(rows)), y[rows]
            label_logit = d[picked]
            np.exp(d, out=d)
            total = d.sum(axis=1, keepdims=True)
            loss = float(np.mean(np.log(total[:, 0]) - label_logit))
            if not np.isfinite(loss):
                raise FloatingPointError(f"the loss is {loss}")
            d /= total  # and its gradient, (softmax - onehot) / N
            d[picked] -= 1
            d /= len(rows)
            for i in range(len(Ws) - 1, -1, -1):
                np.matmul(hs[i].T, d, out=grads[i])
                np.sum(d, axis=0, out=grads[len(Ws) + i])
                if i > 0:
                    d = d @ Ws[i].T
                    d *= hs[i] > 0
            for p, g, m, step in zip(params, grads, moms, steps):
                m *= momentum  # from zeros, so the first step's buffer is g, as in torch.optim
                m += g
                np.multiply(m, lr, out=step)
                p -= step
    return run


def timed(fn, seed, settle=0.1):
    """Seconds one run takes, measured on a second run right after an untimed one.

    After a run, numpy's OpenBLAS threads and PyTorch's OpenMP threads keep spinning for a
    moment; timed at once, the other library would share the cores with them (on 2 cores
    that made PyTorch look 1.7x slower). So: a pause, a warm-up run, then the timed run."""
    time.sleep(settle)
    fn(seed)
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
    mm = matmul_epoch(sizes, batch, n)
    epochs = {"helpers": helpers_epoch(sizes, batch, X, y),
              "hand-written numpy (the floor)": numpy_floor_epoch(hp.make_mlp(sizes, seed=0),
                                                                  batch, X, y),
              "PyTorch": torch_epoch(sizes, batch, X, y)}
    mm(0)
    for run in epochs.values():
        run(0)
    shares = {name: [] for name in epochs}
    for r in range(args.repeats):
        for name, run in epochs.items():
            t_mm = timed(mm, r + 1)
            shares[name].append(t_mm / timed(run, r + 1))
    print(f"matmul share of one epoch on {'-'.join(map(str, sizes))} (matrix products alone / "
          f"whole epoch; target for helpers >= 70%):")
    for name, values in shares.items():
        print(f"{name:>32}: {statistics.median(values):.0%}")
    share = statistics.median(shares["helpers"])
    missed = [f"ratio {r:.2f} > {t} on {'-'.join(map(str, s))}" for s, r, t in results if r > t]
    if share < 0.7:
        missed.append(f"matmul share {share:.0%} < 70%")
    print("all targets met" if not missed else "targets missed: " + "; ".join(missed))


if __name__ == "__main__":
    main()
