"""`Param`: an array the optimizer updates, with its gradient beside it (torch.nn.Parameter)."""

import numpy as np


class Param:
    """A trainable array.

    data: the values, any shape.  grad: d loss / d data, same shape; `backward` adds into it.
    regularize: whether L1/L2 penalties apply (True for weights, False for biases and the
    scale/shift of a normalization layer, as is usual).

    zero_grad() zeroes .grad lazily, as PyTorch's zero_grad(set_to_none=True) does in spirit:
    it only notes that the gradient is zero, so the next backward can write its result
    straight into the array instead of zeroing it, then adding (two passes over memory saved).
    Reading .grad in between gives zeros, as it should; an array fetched from .grad before
    zero_grad keeps its old values, so fetch .grad again after it.
    """

    def __init__(self, data, *, name="", regularize=True):
        self.data = np.asarray(data)
        self._grad = np.zeros_like(self.data)
        self._grad_is_zero = False  # True: _grad holds stale values that stand for zeros
        self.name = name
        self.regularize = regularize

    @property
    def grad(self):
        if self._grad_is_zero:
            self._grad[...] = 0
            self._grad_is_zero = False
        return self._grad

    @grad.setter
    def grad(self, value):
        value = np.asarray(value) if value is not None else None
        if value is None or value.shape not in ((), self._grad.shape):
            raise ValueError(f"grad must be a number or an array of shape {self._grad.shape}, "
                             f"got {None if value is None else value.shape}; to clear it, "
                             "call zero_grad()")
        self._grad[...] = value
        self._grad_is_zero = False

    @property
    def shape(self):
        return self.data.shape

    def zero_grad(self):
        self._grad_is_zero = True

    def add_to_grad(self, value):
        """grad += value, written in place when the gradient was just zeroed."""
        if self._grad_is_zero:
            self._grad[...] = value
            self._grad_is_zero = False  # only once the write has succeeded
        else:
            self._grad += value

    def add_matmul_to_grad(self, a, b):
        """grad += a @ b, with the product written straight into .grad after a zero_grad."""
        if self._grad_is_zero:
            np.matmul(a, b, out=self._grad)
            self._grad_is_zero = False  # only once the write has succeeded
        else:
            self._grad += a @ b

    def __repr__(self):
        return f"Param({self.name or 'unnamed'}, shape={self.data.shape}, dtype={self.data.dtype})"
