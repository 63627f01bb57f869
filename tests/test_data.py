"""Data sets: shapes, labels, determinism, batching."""

import numpy as np
import pytest

import helpers as hp


@pytest.mark.parametrize("name", ["circle", "xor", "gauss", "spiral", "moons"])
def test_classification_sets(name):
    X, y = hp.make_dataset(name, 200, noise=0.1, seed=1)
    assert X.shape == (200, 2) and X.dtype == np.float32
    assert set(np.unique(y)) == {0, 1} and 60 < y.sum() < 140
    X2, y2 = hp.make_dataset(name, 200, noise=0.1, seed=1)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)


@pytest.mark.parametrize("name", ["reg-plane", "reg-gauss"])
def test_regression_sets(name):
    X, y = hp.make_dataset(name, 300, seed=0)
    assert X.shape == (300, 2) and y.shape == (300,) and y.dtype == np.float32
    assert y.std() > 0.1 and np.abs(y).max() <= 1.5


def test_circle_without_noise_is_separable_by_radius():
    X, y = hp.make_circle(400)
    r = np.linalg.norm(X, axis=1)
    assert r[y == 1].max() < r[y == 0].min()


def test_outlier_regression():
    X, y, mask = hp.make_outlier_regression(100, outlier_fraction=0.1)
    assert mask.sum() == 10
    residual = y - (2 * X[:, 0] + 1)
    assert residual[mask].min() > 5 and np.abs(residual[~mask]).max() < 2


def test_digits_shipped():
    X, y = hp.load_digits()
    assert X.shape == (1797, 64) and y.shape == (1797,)
    assert 0 <= X.min() and X.max() == 1.0
    assert np.bincount(y).min() >= 170


def test_split_and_batches():
    X, y = np.arange(20, dtype=np.float32)[:, None], np.arange(20)
    Xt, Xv, yt, yv = hp.train_val_split(X, y, val_fraction=0.25, seed=0)
    assert len(Xv) == 5 and len(Xt) == 15
    assert sorted(np.concatenate([yt, yv])) == list(range(20))
    np.testing.assert_array_equal(Xt[:, 0], yt)
    batches = list(hp.minibatches(X, y, 6, seed=0))
    assert [len(b[1]) for b in batches] == [6, 6, 6, 2]
    assert sorted(np.concatenate([b[1] for b in batches])) == list(range(20))
    assert len(list(hp.minibatches(X, y, 6, drop_last=True))) == 3
    assert hp.num_batches(20, 6) == 4 and hp.num_batches(20, 6, drop_last=True) == 3


def test_standardizer_uses_training_statistics():
    rng = np.random.default_rng(0)
    X = rng.normal(5, 3, (100, 2)).astype(np.float32)
    s = hp.Standardizer().fit(X)
    Z = s.transform(X)
    np.testing.assert_allclose(Z.mean(axis=0), 0, atol=1e-5)
    np.testing.assert_allclose(Z.std(axis=0), 1, atol=1e-5)
    np.testing.assert_allclose(s.inverse_transform(Z), X, rtol=1e-5)
