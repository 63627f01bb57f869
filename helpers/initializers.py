"""Weight initializers, with the formulas of `torch.nn.init`.

Every initializer has the signature ``fn(fan_in, fan_out, rng) -> array (fan_in, fan_out)``;
extra knobs (std, gain, ...) are keyword-only, so ``functools.partial(normal, std=1.0)`` is
again an initializer. `get_initializer(name)` looks one up by name.
Introduced in notebook 01 (weight initialization).
"""

import math

import numpy as np

from .validation import check_choice, check_int, check_nonnegative, check_number, check_positive


def calculate_gain(nonlinearity, negative_slope=0.01):
    """The gain torch.nn.init recommends: the std factor that keeps the signal's scale.

    linear/sigmoid: 1, tanh: 5/3, relu: sqrt(2), leaky_relu: sqrt(2 / (1 + slope^2)).
    """
    check_choice("nonlinearity", nonlinearity, ("linear", "identity", "sigmoid", "tanh",
                                                "relu", "leaky_relu"))
    if nonlinearity == "tanh":
        return 5.0 / 3.0
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        return math.sqrt(2.0 / (1.0 + negative_slope**2))
    return 1.0


def _check_fans(fan_in, fan_out):
    check_int("fan_in", fan_in, low=1)
    check_int("fan_out", fan_out, low=1)


def zeros(fan_in, fan_out, rng=None):
    """W = 0. Every unit of a layer computes the same thing: the symmetry problem."""
    _check_fans(fan_in, fan_out)
    return np.zeros((fan_in, fan_out))


def constant(fan_in, fan_out, rng=None, *, value=0.1):
    """W = value everywhere (symmetric, like zeros)."""
    _check_fans(fan_in, fan_out)
    return np.full((fan_in, fan_out), check_number("value", value))


def normal(fan_in, fan_out, rng, *, std=0.01):
    """W ~ N(0, std^2), a fixed std whatever the layer's size."""
    _check_fans(fan_in, fan_out)
    return rng.normal(0.0, check_nonnegative("std", std), size=(fan_in, fan_out))


def uniform(fan_in, fan_out, rng, *, a=0.05):
    """W ~ U(-a, a)."""
    _check_fans(fan_in, fan_out)
    a = check_nonnegative("a", a)
    return rng.uniform(-a, a, size=(fan_in, fan_out))


def xavier_uniform(fan_in, fan_out, rng, *, gain=1.0):
    """Glorot & Bengio (2010): W ~ U(-a, a), a = gain * sqrt(6 / (fan_in + fan_out))."""
    _check_fans(fan_in, fan_out)
    a = check_positive("gain", gain) * math.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-a, a, size=(fan_in, fan_out))


def xavier_normal(fan_in, fan_out, rng, *, gain=1.0):
    """Glorot & Bengio (2010): W ~ N(0, std^2), std = gain * sqrt(2 / (fan_in + fan_out))."""
    _check_fans(fan_in, fan_out)
    std = check_positive("gain", gain) * math.sqrt(2.0 / (fan_in + fan_out))
    return rng.normal(0.0, std, size=(fan_in, fan_out))


SQRT2 = math.sqrt(2.0)  # the ReLU gain


def he_uniform(fan_in, fan_out, rng, *, gain=SQRT2):
    """He et al. (2015), torch's kaiming_uniform_ (fan_in mode): bound = gain * sqrt(3 / fan_in)."""
    _check_fans(fan_in, fan_out)
    bound = check_positive("gain", gain) * math.sqrt(3.0 / fan_in)
    return rng.uniform(-bound, bound, size=(fan_in, fan_out))


def he_normal(fan_in, fan_out, rng, *, gain=SQRT2):
    """He et al. (2015), torch's kaiming_normal_ (fan_in mode): std = gain / sqrt(fan_in)."""
    _check_fans(fan_in, fan_out)
    std = check_positive("gain", gain) / math.sqrt(fan_in)
    return rng.normal(0.0, std, size=(fan_in, fan_out))


def lecun_normal(fan_in, fan_out, rng):
    """LeCun et al. (1998): std = 1 / sqrt(fan_in) (torch: kaiming_normal_(nonlinearity="linear")).

    Keras' lecun_normal, he_normal and glorot_normal draw from a normal truncated at 2 std,
    rescaled so that the std is still the one above; here (and in torch) the normal is plain.
    """
    return he_normal(fan_in, fan_out, rng, gain=1.0)


INITIALIZERS = {
    "zeros": zeros,
    "constant": constant,
    "normal": normal,
    "uniform": uniform,
    "xavier_uniform": xavier_uniform,
    "xavier_normal": xavier_normal,
    "he_uniform": he_uniform,
    "he_normal": he_normal,
    "lecun_normal": lecun_normal,
}

# The standard choice per activation: He for the ReLU family, Glorot for the symmetric ones.
DEFAULT_INIT = {
    "relu": "he_normal",
    "leaky_relu": "he_normal",
    "elu": "he_normal",
    "gelu": "he_normal",
    "softplus": "he_normal",
    "tanh": "xavier_normal",
    "sigmoid": "xavier_normal",
    "identity": "xavier_normal",
}


def get_initializer(init):
    """Return the initializer for a name in INITIALIZERS, or `init` itself if it is callable."""
    if callable(init):
        return init
    return INITIALIZERS[check_choice("init", init, tuple(INITIALIZERS))]
