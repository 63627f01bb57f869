"""`make_mlp`: a multilayer perceptron in one call (introduced in notebook 00)."""

import numpy as np

from .activations import ACTIVATIONS, activation_name, get_activation
from .initializers import DEFAULT_INIT, get_initializer
from .layers import Linear, Module, Sequential
from .regularization import BatchNorm1d, Dropout
from .validation import check_dtype, check_int, check_probability


def _make_activation(activation):
    if isinstance(activation, str):
        return get_activation(activation)
    if isinstance(activation, type) and issubclass(activation, Module):
        return activation()
    if callable(activation):  # e.g. lambda: LeakyReLU(0.1)
        layer = activation()
        if isinstance(layer, Module):
            return layer
    raise ValueError(f"activation must be a name in {', '.join(ACTIVATIONS)}, an activation "
                     f"class, or a function returning a layer; got {activation!r}")


def make_mlp(sizes, *, activation="relu", init=None, dropout=0.0, batchnorm=False, seed=0,
             dtype=np.float32):
    """Linear -> [BatchNorm1d] -> activation -> [Dropout] for each hidden layer, then Linear.

    sizes: [n_inputs, hidden_1, ..., hidden_k, n_outputs] (k >= 0 hidden layers).
    init: an initializer or its name; None picks the activation's standard one
    (He for the ReLU family, Glorot for tanh/sigmoid/identity). Layer i gets seed + i.
    """
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(f"sizes needs at least [n_inputs, n_outputs], got {sizes}")
    for i, s in enumerate(sizes):
        check_int(f"sizes[{i}]", s, low=1)
    dropout = check_probability("dropout", dropout)
    dtype = check_dtype(dtype)
    check_int("seed", seed, low=0)
    probe = _make_activation(activation)
    if init is None:
        init = DEFAULT_INIT[activation_name(probe)] if type(probe) in ACTIVATIONS.values() \
            else "he_normal"
    init = get_initializer(init)
    layers = []
    n_hidden = len(sizes) - 2
    for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(Linear(fan_in, fan_out, init=init, seed=seed + i, dtype=dtype))
        if i == n_hidden:
            break
        if batchnorm:
            layers.append(BatchNorm1d(fan_out, dtype=dtype))
        layers.append(_make_activation(activation))
        if dropout:
            layers.append(Dropout(dropout, seed=seed + 1000 + i))
    return Sequential(*layers)
