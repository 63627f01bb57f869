"""Data sets, all generated or shipped in the repo (no downloads), and batching helpers.

The 2-D sets follow the TensorFlow Playground's generators in src/dataset.ts (circle, xor,
gauss, spiral, reg-plane exactly; reg-gauss with wider, summed cones, see make_reg_gauss;
noise in [0, 0.5] as its 0-50 % slider; spiral's class labels swapped). Classification labels are
0/1 integers; regression targets are floats in about [-1, 1].
Introduced in notebook 00.
"""

from functools import partial
from importlib import resources

import numpy as np

from .validation import check_choice, check_int, check_number, check_rng


def _n(n_samples):
    return check_int("n_samples", n_samples, low=2)


def _noise(noise):
    return check_number("noise", noise, low=0, high=1)


def make_circle(n_samples=200, *, noise=0.0, seed=0):
    """A disc of class 1 (radius < 2.5) inside a ring of class 0 (radius 3.5 to 5)."""
    n, noise, rng = _n(n_samples), _noise(noise), check_rng(seed)
    radius = 5.0
    inner = np.arange(n) < n // 2
    r = np.where(inner, rng.uniform(0, radius * 0.5, n), rng.uniform(radius * 0.7, radius, n))
    angle = rng.uniform(0, 2 * np.pi, n)
    X = np.column_stack([r * np.sin(angle), r * np.cos(angle)])
    # as in the Playground, noise moves the point used for the label, so labels near the edge flip
    jitter = rng.uniform(-radius, radius, (n, 2)) * noise
    y = (np.linalg.norm(X + jitter, axis=1) < radius * 0.5).astype(np.int64)
    return X.astype(np.float32), y


def make_xor(n_samples=200, *, noise=0.0, seed=0):
    """Points in [-5, 5]^2 labelled 1 where x1 * x2 >= 0 (quadrants 1 and 3)."""
    n, noise, rng = _n(n_samples), _noise(noise), check_rng(seed)
    X = rng.uniform(-5, 5, (n, 2))
    X += np.where(X > 0, 0.3, -0.3)  # a gap around the axes, as in the Playground
    jitter = rng.uniform(-5, 5, (n, 2)) * noise
    Xn = X + jitter
    y = (Xn[:, 0] * Xn[:, 1] >= 0).astype(np.int64)
    return X.astype(np.float32), y


def make_gauss(n_samples=200, *, noise=0.0, seed=0):
    """Two Gaussian blobs at (2, 2) (class 1) and (-2, -2) (class 0); noise widens them."""
    n, noise, rng = _n(n_samples), _noise(noise), check_rng(seed)
    std = np.sqrt(0.5 + 7.0 * min(noise, 0.5))  # the Playground's variance: 0.5 to 4
    y = (np.arange(n) < n // 2).astype(np.int64)
    centre = np.where(y[:, None] == 1, 2.0, -2.0)
    X = centre + rng.normal(0, std, (n, 2))
    return X.astype(np.float32), y


def make_spiral(n_samples=200, *, noise=0.0, seed=0):
    """Two interleaved spirals, one per class."""
    n, noise, rng = _n(n_samples), _noise(noise), check_rng(seed)
    half = n // 2
    y = (np.arange(n) >= half).astype(np.int64)
    i = np.where(y == 0, np.arange(n), np.arange(n) - half).astype(float)
    m = np.where(y == 0, half, n - half)
    r = i / m * 5
    t = 1.75 * i / m * 2 * np.pi + np.pi * y
    X = np.column_stack([r * np.sin(t), r * np.cos(t)]) + rng.uniform(-1, 1, (n, 2)) * noise
    return X.astype(np.float32), y


def make_moons(n_samples=200, *, noise=0.0, seed=0):
    """Two interleaving half circles (as sklearn's make_moons), noise = std of Gaussian jitter."""
    n, noise, rng = _n(n_samples), _noise(noise), check_rng(seed)
    half = n // 2
    a = np.linspace(0, np.pi, half)
    b = np.linspace(0, np.pi, n - half)
    X = np.vstack([np.column_stack([np.cos(a), np.sin(a)]),
                   np.column_stack([1 - np.cos(b), 0.5 - np.sin(b)])])
    y = (np.arange(n) >= half).astype(np.int64)
    X += rng.normal(0, noise, X.shape)
    return X.astype(np.float32), y


def make_reg_plane(n_samples=200, *, noise=0.0, seed=0):
    """Regression: y = (x1 + x2) / 10 on [-6, 6]^2 (noise jitters the inputs of the label)."""
    n, noise, rng = _n(n_samples), _noise(noise), check_rng(seed)
    X = rng.uniform(-6, 6, (n, 2))
    Xn = X + rng.uniform(-6, 6, (n, 2)) * noise
    y = (Xn[:, 0] + Xn[:, 1]) / 10.0
    return X.astype(np.float32), y.astype(np.float32)


def make_reg_gauss(n_samples=200, *, noise=0.0, seed=0):
    """Regression: signed cones ("Gaussian" in the Playground's name) on [-6, 6]^2.

    The Playground's six centres and signs (src/dataset.ts, regressGaussian). It uses cones of
    radius 2 and keeps the one largest in absolute value; these are cones of radius 2.5,
    summed, so neighbouring bumps overlap a little. Targets stay within [-1, 1].
    """
    n, noise, rng = _n(n_samples), _noise(noise), check_rng(seed)
    centres = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1],
                        [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]], dtype=float)
    X = rng.uniform(-6, 6, (n, 2))
    Xn = X + rng.uniform(-6, 6, (n, 2)) * noise
    d = np.linalg.norm(Xn[:, None, :] - centres[None, :, :2], axis=2)
    bumps = np.clip(1 - d / 2.5, 0, None)  # a cone of radius 2.5 for each centre
    y = (bumps * centres[:, 2]).sum(axis=1)
    return X.astype(np.float32), y.astype(np.float32)


def make_outlier_regression(n_samples=100, *, outlier_fraction=0.1, noise=0.3, slope=2.0,
                            intercept=1.0, seed=0):
    """1-D regression y = slope x + intercept + N(0, noise^2), with a fraction of gross outliers.

    Outliers are pushed far above the line (+10 to +20), so they pull a least-squares fit.
    Returns X (n, 1), y (n,), and a boolean mask of the outliers.
    """
    n, rng = _n(n_samples), check_rng(seed)
    outlier_fraction = check_number("outlier_fraction", outlier_fraction, low=0, high=1)
    noise = check_number("noise", noise, low=0)
    x = rng.uniform(-2, 2, n)
    y = slope * x + intercept + rng.normal(0, noise, n)
    outliers = np.zeros(n, bool)
    outliers[rng.permutation(n)[: int(round(outlier_fraction * n))]] = True
    y[outliers] += rng.uniform(10, 20, outliers.sum())
    return x[:, None].astype(np.float32), y.astype(np.float32), outliers


def make_blobs(n_samples=200, *, classes=3, noise=0.0, seed=0):
    """`classes` Gaussian blobs (labels 0 .. classes-1) with centres evenly on a circle of
    radius 3.5; noise widens them as make_gauss's (std 0.7 at noise 0, 2 at noise 0.5)."""
    n, noise, rng = _n(n_samples), _noise(noise), check_rng(seed)
    k = check_int("classes", classes, low=2, high=10)
    std = np.sqrt(0.5 + 7.0 * min(noise, 0.5))
    y = np.arange(n) % k
    angle = 2 * np.pi * y / k + np.pi / 2
    X = 3.5 * np.column_stack([np.cos(angle), np.sin(angle)]) + rng.normal(0, std, (n, 2))
    return X.astype(np.float32), y.astype(np.int64)


def make_spiral_arms(n_samples=200, *, arms=3, noise=0.0, seed=0):
    """`arms` interleaved spiral arms, one class each (make_spiral's arms, turned by 2π/arms)."""
    n, noise, rng = _n(n_samples), _noise(noise), check_rng(seed)
    k = check_int("arms", arms, low=2, high=10)
    y = np.arange(n) % k
    i = np.arange(n) // k
    m = np.bincount(y, minlength=k)[y]  # points on this arm
    r = i / m * 5
    t = 1.75 * i / m * 2 * np.pi + 2 * np.pi * y / k
    X = np.column_stack([r * np.sin(t), r * np.cos(t)]) + rng.uniform(-1, 1, (n, 2)) * noise
    return X.astype(np.float32), y.astype(np.int64)


PLAYGROUND_DATASETS = {
    "circle": make_circle,
    "xor": make_xor,
    "gauss": make_gauss,
    "spiral": make_spiral,
    "reg-plane": make_reg_plane,
    "reg-gauss": make_reg_gauss,
    "blobs-3": partial(make_blobs, classes=3),
    "blobs-5": partial(make_blobs, classes=5),
    "spiral-3": partial(make_spiral_arms, arms=3),
}


def make_dataset(name, n_samples=200, *, noise=0.0, seed=0):
    """One of PLAYGROUND_DATASETS (or "moons") by name."""
    table = {**PLAYGROUND_DATASETS, "moons": make_moons}
    return table[check_choice("name", name, tuple(table))](n_samples, noise=noise, seed=seed)


def load_digits():
    """The 8x8 handwritten digits (1,797 images of 10 classes; UCI Optical Recognition of
    Handwritten Digits, E. Alpaydin and C. Kaynak, CC BY 4.0), shipped in helpers/data.

    Returns X (1797, 64) float32 scaled to [0, 1] and y (1797,) int64 labels 0-9.
    """
    with resources.files("helpers").joinpath("data/digits.npz").open("rb") as f:
        d = np.load(f)
        X, y = d["X"], d["y"]
    return (X / 16.0).astype(np.float32), y.astype(np.int64)


def train_val_split(X, y, *, val_fraction=0.2, seed=0):
    """Shuffle once and split: returns X_train, X_val, y_train, y_val (sklearn's order)."""
    val_fraction = check_number("val_fraction", val_fraction, low=0, high=1, low_open=True,
                                high_open=True)
    n = len(X)
    if len(y) != n:
        raise ValueError(f"X has {n} rows but y has {len(y)}")
    idx = check_rng(seed).permutation(n)
    n_val = max(1, int(round(val_fraction * n)))
    val, train = idx[:n_val], idx[n_val:]
    return X[train], X[val], y[train], y[val]


def num_batches(n_samples, batch_size, *, drop_last=False):
    """Updates per epoch: ceil(n / batch_size), or floor with drop_last."""
    n = check_int("n_samples", n_samples, low=0)
    b = check_int("batch_size", batch_size, low=1)
    return n // b if drop_last else -(-n // b)


def minibatches(X, y, batch_size, *, shuffle=True, drop_last=False, seed=0):
    """Yield (X_batch, y_batch) covering the data once (one epoch).

    One permutation per epoch, then contiguous slices: each batch is a view, not a copy.
    `seed` may be a Generator, so that successive epochs draw different orders.
    """
    batch_size = check_int("batch_size", batch_size, low=1)
    n = len(X)
    if shuffle:
        idx = check_rng(seed).permutation(n)
        X, y = X[idx], y[idx]
    stop = n - n % batch_size if drop_last else n
    for start in range(0, stop, batch_size):
        yield X[start:start + batch_size], y[start:start + batch_size]


class Standardizer:
    """x' = (x - mean) / std per feature, with mean and std from the training data only."""

    def fit(self, X):
        self.mean = X.mean(axis=0)
        self.std = X.std(axis=0)
        self.std[self.std == 0] = 1.0  # a constant feature stays constant instead of dividing by 0
        return self

    def transform(self, X):
        return ((X - self.mean) / self.std).astype(X.dtype, copy=False)

    def fit_transform(self, X):
        return self.fit(X).transform(X)

    def inverse_transform(self, X):
        return X * self.std + self.mean
