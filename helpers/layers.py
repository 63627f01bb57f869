"""Layers: a forward/backward pair each, with a cache of what backward needs.

Every layer follows one contract (introduced in notebook 00):
    forward(x, training=True) -> out      # caches what backward needs
    backward(dout) -> dx                  # adds d loss / d param into each param's .grad
    parameters() -> list[Param]
Train/eval behaviour is the `training` argument of each call, never hidden state.
"""

import numpy as np

from .initializers import get_initializer
from .params import Param
from .validation import check_dtype, check_int, check_rng


class Module:
    """Base class: no parameters, no buffers; calling a layer calls `forward`."""

    def forward(self, x, training=True):
        raise NotImplementedError

    def backward(self, dout):
        raise NotImplementedError

    def parameters(self):
        return []

    def buffers(self):
        """Arrays that are state but not trained (BatchNorm's running statistics)."""
        return []

    def __call__(self, x, training=True):
        return self.forward(x, training=training)

    def __repr__(self):
        return f"{type(self).__name__}()"


class Linear(Module):
    """y = x @ W + b.   x: (..., in_features), W: (in_features, out_features), b: (out_features,).

    Gradients: dW = x^T dout, db = sum of dout over the batch, dx = dout W^T.
    init: a name in INITIALIZERS or a function fn(fan_in, fan_out, rng); the default,
    xavier_uniform, is Keras Dense's glorot_uniform and differs from torch.nn.Linear's
    U(+-1/sqrt(in_features)) (notebook 01). Biases start at 0 (Keras; torch draws them too).
    """

    def __init__(self, in_features, out_features, *, init="xavier_uniform", bias=True, seed=0,
                 dtype=np.float32):
        self.in_features = check_int("in_features", in_features, low=1)
        self.out_features = check_int("out_features", out_features, low=1)
        dtype = check_dtype(dtype)
        w = get_initializer(init)(in_features, out_features, check_rng(seed))
        self.weight = Param(np.asarray(w, dtype=dtype), name="weight")
        self.bias = None
        if bias:
            self.bias = Param(np.zeros(out_features, dtype), name="bias", regularize=False)

    def forward(self, x, training=True):
        if x.shape[-1] != self.in_features:
            raise ValueError(f"Linear({self.in_features}, {self.out_features}) got inputs with "
                             f"{x.shape[-1]} features (shape {x.shape})")
        self.x = x
        out = x @ self.weight.data
        if self.bias is not None:
            out += self.bias.data
        return out

    def backward(self, dout, input_grad=True):
        x2 = self.x.reshape(-1, self.in_features)
        d2 = dout.reshape(-1, self.out_features)
        self.weight.add_matmul_to_grad(x2.T, d2)
        if self.bias is not None:
            self.bias.add_to_grad(d2.sum(axis=0))
        # the data's own gradient is never used in training: skipping it saves a whole matmul
        return dout @ self.weight.data.T if input_grad else None

    def parameters(self):
        return [self.weight] if self.bias is None else [self.weight, self.bias]

    def __repr__(self):
        return f"Linear({self.in_features}, {self.out_features}, bias={self.bias is not None})"


class Embedding(Module):
    """out = W[idx].   idx: integer array of any shape, W: (num_embeddings, embedding_dim).

    W ~ N(0, 1) as in torch.nn.Embedding. Backward scatters dout into the rows it used:
    dW[k] = sum of dout over the positions where idx == k.
    """

    #: up to this many rows, backward computes the scatter as onehot(idx)^T @ dout: the same
    #: sums, and a matrix product is many times faster than np.add.at on a small table
    ONEHOT_ROWS = 1024

    def __init__(self, num_embeddings, embedding_dim, *, seed=0, dtype=np.float32):
        self.num_embeddings = check_int("num_embeddings", num_embeddings, low=1)
        self.embedding_dim = check_int("embedding_dim", embedding_dim, low=1)
        w = check_rng(seed).standard_normal((num_embeddings, embedding_dim))
        self.weight = Param(w.astype(check_dtype(dtype)), name="weight")

    def forward(self, x, training=True):
        idx = np.asarray(x)
        if not np.issubdtype(idx.dtype, np.integer):
            raise ValueError(f"Embedding input must hold integer indices, got dtype {idx.dtype}")
        if idx.size and (idx.min() < 0 or idx.max() >= self.num_embeddings):
            raise ValueError(f"Embedding indices must be in [0, {self.num_embeddings - 1}]")
        self.idx = idx
        return self.weight.data[idx]

    def backward(self, dout):
        # a row used several times in the batch gets the sum of its gradients
        idx = self.idx.reshape(-1)
        dout = dout.reshape(idx.size, self.embedding_dim)
        if self.num_embeddings <= self.ONEHOT_ROWS:
            onehot = idx[:, None] == np.arange(self.num_embeddings)   # (N, num_embeddings)
            self.weight.add_matmul_to_grad(onehot.T.astype(dout.dtype), dout)
        else:
            np.add.at(self.weight.grad, idx, dout)
        return None

    def parameters(self):
        return [self.weight]

    def __repr__(self):
        return f"Embedding({self.num_embeddings}, {self.embedding_dim})"


class Flatten(Module):
    """(N, d1, d2, ...) -> (N, d1*d2*...). Used after an Embedding of a context window."""

    def forward(self, x, training=True):
        self.shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, dout):
        return dout.reshape(self.shape)


class Sequential(Module):
    """Layers applied in order; backward runs them in reverse (the chain rule)."""

    def __init__(self, *layers):
        for i, layer in enumerate(layers):
            if not isinstance(layer, Module):
                raise ValueError(f"Sequential layer {i} must be a Module, "
                                 f"got {type(layer).__name__}")
        self.layers = list(layers)

    def forward(self, x, training=True):
        for layer in self.layers:
            x = layer.forward(x, training=training)
        return x

    def backward(self, dout, input_grad=True):
        """Run the layers' backward in reverse. input_grad=False skips d loss / d input at the
        first layer when it is a Linear (fit does this: nobody needs the data's gradient)."""
        for i in range(len(self.layers) - 1, -1, -1):
            layer = self.layers[i]
            if i == 0 and not input_grad and isinstance(layer, Linear):
                return layer.backward(dout, input_grad=False)
            dout = layer.backward(dout)
        return dout

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

    def buffers(self):
        return [b for layer in self.layers for b in layer.buffers()]

    def __getitem__(self, i):
        return self.layers[i]

    def __len__(self):
        return len(self.layers)

    def __iter__(self):
        return iter(self.layers)

    def __repr__(self):
        inner = "\n".join(f"  ({i}): {layer!r}" for i, layer in enumerate(self.layers))
        return f"Sequential(\n{inner}\n)"


def count_parameters(model):
    """Number of trainable scalars: sum of the sizes of model.parameters()."""
    return int(sum(p.data.size for p in model.parameters()))
