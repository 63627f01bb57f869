"""Regularization (introduced in notebook 10): dropout, batch normalization, L1/L2
penalties and early stopping (a callback: it lives in `callbacks`, importable here too)."""

import numpy as np

from .callbacks import EarlyStopping, _state  # noqa: F401 (importable from here as before)
from .layers import Module
from .params import Param
from .validation import (
    check_dtype,
    check_int,
    check_nonnegative,
    check_number,
    check_probability,
    check_rng,
)


class Dropout(Module):
    """Inverted dropout, as torch.nn.Dropout: p = probability of dropping a unit (Keras'
    Dropout(rate) means the same; in Srivastava et al. 2014, p is the probability of *keeping* it).

    training: out = x * mask / (1 - p), mask ~ Bernoulli(1 - p), so E[out] = x;
    evaluation: out = x (nothing to rescale at test time).
    """

    def __init__(self, p=0.5, *, seed=0):
        self.p = check_probability("p", p)
        self.rng = check_rng(seed)

    def forward(self, x, training=True):
        if not training or self.p == 0:
            self.mask = None
            return x
        keep = self.rng.random(x.shape, dtype=np.float32) >= self.p
        self.mask = keep.astype(x.dtype) / x.dtype.type(1 - self.p)
        return x * self.mask

    def backward(self, dout):
        return dout if self.mask is None else dout * self.mask

    def __repr__(self):
        return f"Dropout(p={self.p})"


class BatchNorm1d(Module):
    """Batch normalization over (N, C) inputs, as torch.nn.BatchNorm1d.

    training: x_hat = (x - mean_B) / sqrt(var_B + eps), var_B biased; out = weight x_hat + bias;
      running_mean <- (1 - momentum) running_mean + momentum mean_B
      running_var  <- (1 - momentum) running_var  + momentum var_B * N / (N - 1)   (unbiased)
    evaluation: the same with the running statistics instead of the batch's.
    momentum=0.1, eps=1e-5 are torch's defaults. Keras' BatchNormalization uses momentum=0.99,
    epsilon=1e-3, and its momentum is the weight of the *old* value (running = 0.99 running +
    0.01 batch), the opposite convention: Keras 0.99 is torch 0.01 (notebook 10).
    """

    def __init__(self, num_features, *, momentum=0.1, eps=1e-5, dtype=np.float32):
        self.num_features = check_int("num_features", num_features, low=1)
        self.momentum = check_probability("momentum", momentum, allow_one=True)
        self.eps = check_number("eps", eps, low=0, low_open=True)
        dtype = check_dtype(dtype)
        self.weight = Param(np.ones(num_features, dtype), name="weight", regularize=False)
        self.bias = Param(np.zeros(num_features, dtype), name="bias", regularize=False)
        self.running_mean = np.zeros(num_features, dtype)
        self.running_var = np.ones(num_features, dtype)

    def forward(self, x, training=True):
        if x.ndim != 2 or x.shape[1] != self.num_features:
            raise ValueError(f"BatchNorm1d expects input of shape (N, {self.num_features}), "
                             f"got {x.shape}")
        if training:
            n = x.shape[0]
            if n < 2:
                raise ValueError("BatchNorm1d in training needs a batch of at least 2 samples "
                                 "(in fit, drop_last=True drops a last batch of one)")
            mean = x.mean(axis=0)
            var = x.var(axis=0)
            self.running_mean *= 1 - self.momentum
            self.running_mean += self.momentum * mean
            self.running_var *= 1 - self.momentum
            self.running_var += self.momentum * var * (n / (n - 1))
        else:
            mean, var = self.running_mean, self.running_var
        self.training = training
        self.inv_std = 1.0 / np.sqrt(var + self.eps)
        self.x_hat = (x - mean) * self.inv_std
        return self.weight.data * self.x_hat + self.bias.data

    def backward(self, dout):
        self.weight.grad += (dout * self.x_hat).sum(axis=0)
        self.bias.grad += dout.sum(axis=0)
        dx_hat = dout * self.weight.data
        if not self.training:
            return dx_hat * self.inv_std
        # the batch's mean and variance depend on x too: the standard compact formula
        n = dout.shape[0]
        return (self.inv_std / n) * (n * dx_hat - dx_hat.sum(axis=0)
                                     - self.x_hat * (dx_hat * self.x_hat).sum(axis=0))

    def parameters(self):
        return [self.weight, self.bias]

    def buffers(self):
        return [self.running_mean, self.running_var]

    def __repr__(self):
        return f"BatchNorm1d({self.num_features}, momentum={self.momentum}, eps={self.eps})"


def _weights(params):
    return [p for p in params if p.regularize]


def penalty(params, *, l1=0.0, l2=0.0):
    """l1 * sum|w| + l2 / 2 * sum w^2 over the weights (params with regularize=True).

    The 1/2 makes the L2 gradient l2 * w: exactly SGD's weight_decay=l2.
    """
    l1 = check_nonnegative("l1", l1)
    l2 = check_nonnegative("l2", l2)
    total = 0.0
    for p in _weights(params):
        if l1:
            total += l1 * float(np.abs(p.data).sum())
        if l2:
            total += 0.5 * l2 * float((p.data.astype(np.float64) ** 2).sum())
    return total


def add_penalty_grad(params, *, l1=0.0, l2=0.0):
    """Add the penalty's gradient, l1 sign(w) + l2 w, to each weight's .grad."""
    check_nonnegative("l1", l1)
    check_nonnegative("l2", l2)
    for p in _weights(params):
        if l1:
            p.grad += l1 * np.sign(p.data)
        if l2:
            p.grad += l2 * p.data
