"""Gaussian-process surrogate and expected improvement, from scratch (notebook 12, 2.3).

The model behind `bayes_opt` and the importance estimate: a GP with a Matern 5/2 kernel on
the unit cube, and EI for minimisation (no scipy: Phi from math.erf).
"""

import math

import numpy as np

def matern52(A, B, length_scale):
    """Matern 5/2 kernel k(r) = (1 + s + s^2/3) exp(-s), s = sqrt(5) |a - b| / length_scale.

    A: (n, d), B: (m, d) -> (n, m). Twice differentiable: smooth, but less than the RBF's.
    """
    d = np.sqrt(np.maximum(((A[:, None, :] - B[None, :, :]) ** 2).sum(-1), 0.0))
    s = math.sqrt(5.0) * d / length_scale
    return (1.0 + s + s * s / 3.0) * np.exp(-s)


class GaussianProcess:
    """GP regression with a Matern 5/2 kernel on standardised targets (signal variance 1).

    fit(X, y) standardises y, then picks length_scale and noise (variance, relative to the
    signal's) that maximise the log marginal likelihood over a small fixed grid - unless they
    were given. predict(Xs) -> posterior mean and std, in y's original units.
    """

    LENGTH_SCALES = (0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 1.2)
    NOISES = (1e-6, 1e-3, 1e-2, 0.1)

    def __init__(self, *, length_scale=None, noise=None):
        self.length_scale, self.noise = length_scale, noise
        self._fixed = (length_scale, noise)

    def _solve(self, X, z, ell, noise):
        K = matern52(X, X, ell) + (noise + 1e-9) * np.eye(len(X))
        L = np.linalg.cholesky(K)
        alpha = np.linalg.solve(L.T, np.linalg.solve(L, z))
        lml = -0.5 * z @ alpha - np.log(np.diag(L)).sum() - 0.5 * len(X) * math.log(2 * math.pi)
        return L, alpha, lml

    def fit(self, X, y):
        self.X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=float)
        self.mean, self.scale = y.mean(), (y.std() if y.std() > 0 else 1.0)
        z = (y - self.mean) / self.scale
        ells = self.LENGTH_SCALES if self._fixed[0] is None else (self._fixed[0],)
        noises = self.NOISES if self._fixed[1] is None else (self._fixed[1],)
        best = None
        for ell in ells:
            for noise in noises:
                L, alpha, lml = self._solve(self.X, z, ell, noise)
                if best is None or lml > best[0] + 1e-9:
                    best = (lml, ell, noise, L, alpha)
        self.log_marginal_likelihood, self.length_scale, self.noise, self.L, self.alpha = best
        return self

    def posterior_mean(self, Xs):
        """The posterior mean alone (cheaper than predict: no variance)."""
        return self.mean + self.scale * (matern52(np.asarray(Xs, dtype=float), self.X,
                                                   self.length_scale) @ self.alpha)

    def predict(self, Xs):
        Xs = np.asarray(Xs, dtype=float)
        ks = matern52(Xs, self.X, self.length_scale)
        mu = ks @ self.alpha
        v = np.linalg.solve(self.L, ks.T)
        var = np.maximum(1.0 - (v * v).sum(axis=0), 1e-12)
        return self.mean + self.scale * mu, self.scale * np.sqrt(var)


_erf = np.frompyfunc(math.erf, 1, 1)


def normal_cdf(z):
    """Phi(z), the standard normal CDF, from math.erf (no scipy needed)."""
    return 0.5 * (1.0 + np.asarray(_erf(np.asarray(z, dtype=float) / math.sqrt(2.0)),
                                   dtype=float))


def normal_pdf(z):
    """phi(z), the standard normal density."""
    z = np.asarray(z, dtype=float)
    return np.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)


def expected_improvement(mu, sigma, best, *, xi=0.0):
    """EI for minimisation: E[max(best - xi - f, 0)] with f ~ N(mu, sigma^2).

    = (best - xi - mu) Phi(z) + sigma phi(z),  z = (best - xi - mu) / sigma;  >= 0 always.
    """
    mu, sigma = np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float)
    imp = best - xi - mu
    safe = np.maximum(sigma, 1e-12)
    z = imp / safe
    ei = imp * normal_cdf(z) + safe * normal_pdf(z)
    return np.where(sigma > 1e-12, np.maximum(ei, 0.0), np.maximum(imp, 0.0))
