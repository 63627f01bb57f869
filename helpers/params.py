"""`Param`: an array the optimizer updates, with its gradient beside it (torch.nn.Parameter)."""

import numpy as np


class Param:
    """A trainable array.

    data: the values, any shape.  grad: d loss / d data, same shape, filled by `backward`.
    regularize: whether L1/L2 penalties apply (True for weights, False for biases and the
    scale/shift of a normalization layer, as is usual).
    """

    def __init__(self, data, *, name="", regularize=True):
        self.data = np.asarray(data)
        self.grad = np.zeros_like(self.data)
        self.name = name
        self.regularize = regularize

    @property
    def shape(self):
        return self.data.shape

    def zero_grad(self):
        self.grad[...] = 0

    def __repr__(self):
        return f"Param({self.name or 'unnamed'}, shape={self.data.shape}, dtype={self.data.dtype})"
