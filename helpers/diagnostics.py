"""Looking inside a network: per-layer activation statistics, gradient norms and dead units
(introduced in notebook 01)."""

import numpy as np

from .layers import Linear, Module, Sequential


def _is_activation(layer):
    from .activations import ACTIVATIONS
    return type(layer) in ACTIVATIONS.values()


def layer_outputs(model, X, *, training=False):
    """Run X through a Sequential and return every activation layer's output, in order."""
    if not isinstance(model, Sequential):
        raise ValueError("layer_outputs needs a Sequential model")
    outs = []
    for layer in model.layers:
        X = layer.forward(X, training=training)
        if _is_activation(layer):
            outs.append(X)
    return outs


def activation_stds(model, X):
    """Standard deviation of each hidden activation layer's output, shape (n_hidden,)."""
    return np.array([float(a.std(dtype=np.float64)) for a in layer_outputs(model, X)])


def linear_layers(model):
    """The Linear layers of a Sequential, in order."""
    return [layer for layer in model.layers if isinstance(layer, Linear)]


def weight_grad_norms(model, loss, X, y):
    """||dL/dW|| for each Linear layer after one forward/backward pass on (X, y).

    The gradients are left in .grad (zeroed first).
    """
    for p in model.parameters():
        p.zero_grad()
    loss.forward(model.forward(X, training=True), y)
    model.backward(loss.backward())
    return np.array([float(np.linalg.norm(layer.weight.grad)) for layer in linear_layers(model)])


def backprop_grad_norms(model, X, *, seed=0):
    """Norm of the gradient arriving at each activation layer's output when a random unit
    gradient is sent back from the top: how a signal shrinks or grows going down the stack.
    Returns an array ordered from the first hidden layer to the last."""
    if not isinstance(model, Sequential):
        raise ValueError("backprop_grad_norms needs a Sequential model")
    out = model.forward(X, training=True)
    d = np.random.default_rng(seed).standard_normal(out.shape).astype(out.dtype)
    d /= np.linalg.norm(d)
    norms = []
    for layer in reversed(model.layers):
        if _is_activation(layer):
            norms.append(float(np.linalg.norm(d)))
        d = layer.backward(d)
    return np.array(norms[::-1])


def dead_fraction(model, X):
    """Fraction of hidden units (over all activation layers) whose output is <= 0 for every
    sample in X ("never positive"). For ReLU these units pass no gradient: they are dead and
    cannot learn. A Leaky ReLU unit that is never positive still passes slope x gradient, so it
    counts here but is not dead (see nonlinearity.zero_gradient_fraction)."""
    outs = layer_outputs(model, X)
    if not outs:
        return 0.0
    dead = sum(int(np.all(a <= 0, axis=0).sum()) for a in outs)
    return dead / sum(a.shape[1] for a in outs)


__all__ = ["Module", "layer_outputs", "activation_stds", "linear_layers", "weight_grad_norms",
           "backprop_grad_norms", "dead_fraction"]
