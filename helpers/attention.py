"""Causal multi-head self-attention, the layer that lets a position read the ones before it
(introduced in notebook 13; the rest of the transformer is in `transformer`).

For an input x of shape (B, T, d), with n_heads heads of width d_head = d / n_heads:

    [q | k | v] = x W_qkv + b_qkv                  W_qkv: (d, 3d), each of q, k, v (B, T, d)
    q, k, v -> (B, H, T, d_head)                   head h owns columns h*d_head ... (h+1)*d_head
    S = scale * q k^T + M                          (B, H, T, T), scale = 1/sqrt(d_head)
    M[t, s] = 0 if s <= t else -inf                (causal: position t sees only s <= t)
    P = softmax(S) over s                          each row sums to 1
    y = P v -> (B, T, d)  (heads side by side);    out = y W_o + b_o

Backward, from dy (the gradient of y):
    dP = dy v^T,   dv = P^T dy
    dS = P * (dP - sum_s(dP * P))                  (softmax's Jacobian; masked entries get 0)
    dq = scale * dS k,   dk = scale * dS^T q
All heads and all sequences go through one batched matmul each (numpy's @ broadcasts over
the leading (B, H) axes), and the softmax works in place on the (B, H, T, T) scores; the
scale multiplies q (B, H, T, d_head) rather than the scores, the smaller array.
"""

import functools
import math

import numpy as np

from .initializers import normal
from .layers import Linear, Module
from .validation import check_dtype, check_int, check_positive, check_rng

#: GPT-2's initial std for every weight (openai/gpt-2's src/model.py; nanoGPT's _init_weights)
GPT2_STD = 0.02


class CausalSelfAttention(Module):
    """Multi-head self-attention with a causal mask: (B, T, d_model) -> (B, T, d_model).

    .qkv: Linear(d_model, 3 d_model), output columns [q | k | v], each split into n_heads
    heads of d_head = d_model // n_heads contiguous columns.  .proj: Linear(d_model, d_model).
    scale: the factor on q k^T; None is 1/sqrt(d_head) (Vaswani et al. 2017); µP uses a
    multiple of 1/d_head (see transformer.GPT).  Weights N(0, init_std^2) and
    N(0, proj_std^2) (GPT-2's 0.02 unless given), biases 0.
    """

    def __init__(self, d_model, n_heads, *, scale=None, init_std=GPT2_STD, proj_std=GPT2_STD,
                 seed=0, dtype=np.float32):
        self.d_model = check_int("d_model", d_model, low=1)
        self.n_heads = check_int("n_heads", n_heads, low=1)
        if d_model % n_heads:
            raise ValueError(f"d_model ({d_model}) must be a multiple of n_heads ({n_heads})")
        self.d_head = d_model // n_heads
        # a Python float: numpy's float64 scalar would promote float32 activations to float64
        self.scale = 1.0 / math.sqrt(self.d_head) if scale is None else check_positive("scale",
                                                                                        scale)
        rng = check_rng(seed)
        self.qkv = Linear(d_model, 3 * d_model, init=_normal(init_std), seed=rng, dtype=dtype)
        self.proj = Linear(d_model, d_model, init=_normal(proj_std), seed=rng, dtype=dtype)
        self.dtype = check_dtype(dtype)
        self._masks, self._row_ones = {}, {}

    def _mask(self, T):
        """(T, T) additive mask: 0 on and below the diagonal, -inf above (built once per T)."""
        if T not in self._masks:
            self._masks[T] = np.triu(np.full((T, T), -np.inf, self.dtype), k=1)
        return self._masks[T]

    def _ones(self, T):
        """(1, ..., 1) of length T: P @ it sums each row of P."""
        if T not in self._row_ones:
            self._row_ones[T] = np.ones(T, self.dtype)
        return self._row_ones[T]

    def forward(self, x, training=True):
        if x.ndim != 3 or x.shape[-1] != self.d_model:
            raise ValueError(f"CausalSelfAttention({self.d_model}, {self.n_heads}) needs input "
                             f"(B, T, {self.d_model}), got shape {x.shape}")
        B, T, d = x.shape
        H, dh = self.n_heads, self.d_head
        qkv = self.qkv.forward(x)                                   # (B, T, 3d)
        # (B, T, 3, H, dh) -> (3, B, H, T, dh): q, k, v with the heads as a batch axis
        q, k, v = qkv.reshape(B, T, 3, H, dh).transpose(2, 0, 3, 1, 4)
        q = q * self.scale            # scale q (B, H, T, dh), cheaper than the scores (B, H, T, T)
        scores = q @ k.transpose(0, 1, 3, 2)                        # (B, H, T, T)
        scores += self._mask(T)
        # softmax over the last axis, in place: one (B, H, T, T) array for S, then P
        scores -= scores.max(axis=-1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= (scores @ self._ones(T))[..., None]  # row sums, as a (faster) product
        probs = scores
        y = probs @ v                                               # (B, H, T, dh)
        self.cache = (q, k, v, probs)
        return self.proj.forward(y.transpose(0, 2, 1, 3).reshape(B, T, d))

    def backward(self, dout):
        q, k, v, probs = self.cache
        B, H, T, dh = q.shape
        dy = self.proj.backward(dout).reshape(B, T, H, dh).transpose(0, 2, 1, 3)
        # d[q|k|v] laid out as the forward's qkv: (B, T, 3, H, dh), seen as (3, B, H, T, dh)
        dqkv = np.empty((B, T, 3, H, dh), dtype=dout.dtype)
        dq, dk, dv = dqkv.transpose(2, 0, 3, 1, 4)
        np.matmul(probs.transpose(0, 1, 3, 2), dy, out=dv)          # dv = P^T dy
        dscores = dy @ v.transpose(0, 1, 3, 2)                      # dP = dy v^T
        # softmax backward, in place: dS = P * (dP - sum_s dP * P)
        dscores -= np.einsum("bhts,bhts->bht", dscores, probs)[..., None]
        dscores *= probs
        np.matmul(dscores, k, out=dq)
        dq *= self.scale                                            # dq = scale dS k
        np.matmul(dscores.transpose(0, 1, 3, 2), q, out=dk)         # dk = dS^T (scale q)
        return self.qkv.backward(dqkv.reshape(B, T, 3 * H * dh))

    def parameters(self):
        return self.qkv.parameters() + self.proj.parameters()

    def __repr__(self):
        return f"CausalSelfAttention({self.d_model}, n_heads={self.n_heads})"


def _normal(std):
    """An initializer for Linear: W ~ N(0, std^2) (std 0 gives zeros)."""
    return functools.partial(normal, std=std)
