"""Activation functions as layers (introduced in notebook 04).

Each computes f(x) forward and multiplies the upstream gradient by f'(x) backward, with
f'(x) written from the cached input or output, whichever is cheaper.
`get_activation(name)` makes one from a name in ACTIVATIONS.
"""

import math

import numpy as np

from .layers import Module
from .validation import check_choice, check_nonnegative, check_positive


class Identity(Module):
    """f(x) = x, f'(x) = 1 (a 'linear' activation)."""

    def forward(self, x, training=True):
        return x

    def backward(self, dout):
        return dout


class ReLU(Module):
    """f(x) = max(0, x), f'(x) = 1 if x > 0 else 0."""

    def forward(self, x, training=True):
        self.mask = x > 0
        return np.maximum(x, 0)

    def backward(self, dout):
        return dout * self.mask


class LeakyReLU(Module):
    """f(x) = x if x > 0 else negative_slope * x; never exactly flat, so units cannot die.

    negative_slope=0.01 as torch.nn.LeakyReLU (and Maas et al. 2013); Keras' LeakyReLU layer
    defaults to 0.3 and keras.activations.leaky_relu to 0.2.
    """

    def __init__(self, negative_slope=0.01):
        self.negative_slope = check_nonnegative("negative_slope", negative_slope)

    def forward(self, x, training=True):
        self.mask = x > 0
        return np.where(self.mask, x, x * self.negative_slope)

    def backward(self, dout):
        return np.where(self.mask, dout, dout * self.negative_slope)

    def __repr__(self):
        return f"LeakyReLU(negative_slope={self.negative_slope})"


class ELU(Module):
    """f(x) = x if x > 0 else alpha * (exp(x) - 1);  f'(x) = 1 or f(x) + alpha."""

    def __init__(self, alpha=1.0):
        self.alpha = check_positive("alpha", alpha)

    def forward(self, x, training=True):
        self.mask = x > 0
        self.out = np.where(self.mask, x, self.alpha * np.expm1(np.minimum(x, 0)))
        return self.out

    def backward(self, dout):
        return np.where(self.mask, dout, dout * (self.out + self.alpha))

    def __repr__(self):
        return f"ELU(alpha={self.alpha})"


_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_erf = np.vectorize(math.erf, otypes=[np.float64])


class GELU(Module):
    """f(x) = x * Phi(x), Phi the standard normal CDF (Hendrycks & Gimpel, 2016).

    approximate="tanh": Phi(x) ~ (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) / 2 (GPT-2's and
    BERT's form, and this class's default because it is fast);
    approximate="none": the exact erf form (slower: math.erf element by element). torch.nn.GELU
    and keras.activations.gelu default to the exact form; the two differ by less than 1e-3
    (notebook 04 measures it).
    """

    def __init__(self, approximate="tanh"):
        self.approximate = check_choice("approximate", approximate, ("tanh", "none"))

    def forward(self, x, training=True):
        self.x = x
        if self.approximate == "tanh":
            # t = tanh(sqrt(2/pi) (x + 0.044715 x^3)), in one buffer (x*x*x: x**3 is slow);
            # few temporaries: a GPT's (B, T, 4d) activations are large enough to page-fault
            t = np.multiply(x, 0.044715)
            t *= x
            t *= x
            t += x
            t *= _SQRT_2_OVER_PI
            self.t = np.tanh(t, out=t)
            out = np.add(t, 1.0)
            out *= np.multiply(x, 0.5)                              # 0.5 x (1 + t)
            return out
        self.cdf = (0.5 * (1.0 + _erf(x / math.sqrt(2.0)))).astype(x.dtype)
        return x * self.cdf

    def backward(self, dout):
        x = self.x
        if self.approximate == "tanh":
            t = self.t
            dt = np.multiply(t, t)
            np.subtract(1.0, dt, out=dt)
            dt *= _SQRT_2_OVER_PI
            u = np.multiply(x, 3 * 0.044715)
            u *= x
            u += 1.0
            dt *= u                             # dt = (1 - t^2) sqrt(2/pi) (1 + 3 0.044715 x^2)
            u = np.multiply(x, 0.5, out=u)
            u *= dt                                                 # 0.5 x dt
            grad = np.add(t, 1.0, out=dt)
            grad *= 0.5
            grad += u                                               # 0.5 (1 + t) + 0.5 x dt
            grad *= dout
            return grad
        pdf = np.exp(-0.5 * x**2) / math.sqrt(2.0 * math.pi)
        return dout * (self.cdf + x * pdf)

    def __repr__(self):
        return f"GELU(approximate={self.approximate!r})"


def sigmoid(x):
    """1 / (1 + exp(-x)), written with tanh so that no exp overflows."""
    return 0.5 * (1.0 + np.tanh(0.5 * x))


class Sigmoid(Module):
    """f(x) = 1 / (1 + exp(-x)),  f'(x) = f(x) (1 - f(x)) <= 1/4: gradients shrink."""

    def forward(self, x, training=True):
        self.out = sigmoid(x)
        return self.out

    def backward(self, dout):
        return dout * self.out * (1.0 - self.out)


class Tanh(Module):
    """f(x) = tanh(x),  f'(x) = 1 - f(x)^2 <= 1, zero-centred."""

    def forward(self, x, training=True):
        self.out = np.tanh(x)
        return self.out

    def backward(self, dout):
        return dout * (1.0 - self.out**2)


class Softplus(Module):
    """f(x) = log(1 + exp(x)), a smooth ReLU;  f'(x) = sigmoid(x)."""

    def forward(self, x, training=True):
        self.x = x
        return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))

    def backward(self, dout):
        return dout * sigmoid(self.x)


ACTIVATIONS = {
    "relu": ReLU,
    "leaky_relu": LeakyReLU,
    "elu": ELU,
    "gelu": GELU,
    "sigmoid": Sigmoid,
    "tanh": Tanh,
    "softplus": Softplus,
    "identity": Identity,
}


def get_activation(name):
    """A new activation layer for a name in ACTIVATIONS (default settings)."""
    return ACTIVATIONS[check_choice("activation", name, tuple(ACTIVATIONS))]()


def activation_name(layer):
    """The ACTIVATIONS name of an activation layer (for picking its default initializer)."""
    for name, cls in ACTIVATIONS.items():
        if type(layer) is cls:
            return name
    raise ValueError(f"activation must be one of {', '.join(ACTIVATIONS)}; got {layer!r}")
