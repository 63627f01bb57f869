"""A decoder-only transformer (a GPT) built from the course's layers (notebooks 13 and 14).

    LayerNorm          y = (x - mean) / sqrt(var + eps) * weight + bias, over the last axis
    TransformerBlock   pre-LN: x + attn(ln_1(x)), then x + mlp(ln_2(x))
    GPT                token + position embeddings -> blocks -> ln_f -> logits = h wte^T

GPT-2's initialization as nanoGPT's `_init_weights` writes it: every Linear weight and both
embeddings N(0, 0.02^2), biases 0, LayerNorm weight 1 and bias 0, and the two projections that
write into the residual stream (attn.proj and the MLP's second Linear) N(0, (0.02 /
sqrt(2 n_layers))^2), because 2 n_layers of them add up along the stream. The 0.02 is from
GPT-2's released code (openai/gpt-2, src/model.py, which draws the position embedding at 0.01
instead); the 1/sqrt(N) for N residual layers is from its paper (Radford et al. 2019, §2.3).
GPT-3 uses "the same model and architecture as GPT-2 ... including the modified
initialization" (Brown et al. 2020, section 2.1), with dense and locally banded sparse
attention layers alternating; this GPT has only dense ones.

`parametrization="mup"` gives the Maximal Update Parametrization (µP) of Yang et al. (2022),
"Tensor Programs V", for Adam, in the form of its Table 8 (equivalent to Table 3 and the one
that allows a tied output layer; what the `mup` package implements). With m = d_model /
base_d_model (the width multiplier; at m = 1 µP and standard parametrization are the same model):
    hidden matrices (attn.qkv, attn.proj, mlp's two Linear weights): init std / sqrt(m),
        Adam learning rate / m (lr_scale 1/m in optimizer_groups) and, as mup's MuAdamW,
        weight decay * m so that the decoupled decay lr * weight_decay stays the same;
    the output layer: logits multiplied by 1/m (init and learning rate of the tied wte unchanged);
    attention scores: scale sqrt(base d_head) / d_head, a 1/d_head law instead of 1/sqrt(d_head)
        (the paper's Definition 4.1), equal to 1/sqrt(d_head) at the base width;
    embeddings, biases, LayerNorms (the "vector-like" parameters): unchanged.
Width here grows with n_heads fixed, so d_head grows with d_model.

The model is float32 by default (float64 for gradient checks) and every draw takes a seed.
"""

import math

import numpy as np

from .activations import GELU
from .attention import GPT2_STD, CausalSelfAttention, _normal
from .layers import Embedding, Linear, Module, Sequential
from .params import Param
from .validation import check_choice, check_dtype, check_int, check_number, check_rng


class LayerNorm(Module):
    """y = (x - mu) / sqrt(var + eps) * weight + bias, mu and var over the last axis (as
    torch.nn.LayerNorm: biased variance, eps inside the root). weight ones, bias zeros.

    Backward, with xhat = (x - mu) / sigma and g = dy * weight:
        dx = (g - mean(g) - xhat * mean(g * xhat)) / sigma
        dweight = sum(dy * xhat),  dbias = sum(dy)   (sums over every axis but the last)
    """

    def __init__(self, normalized_shape, *, eps=1e-5, dtype=np.float32):
        self.normalized_shape = check_int("normalized_shape", normalized_shape, low=1)
        self.eps = check_number("eps", eps, low=0, low_open=True)
        dtype = check_dtype(dtype)
        self.weight = Param(np.ones(normalized_shape, dtype), name="weight", regularize=False)
        self.bias = Param(np.zeros(normalized_shape, dtype), name="bias", regularize=False)

    def forward(self, x, training=True):
        if x.shape[-1] != self.normalized_shape:
            raise ValueError(f"LayerNorm({self.normalized_shape}) got inputs with {x.shape[-1]} "
                             f"features (shape {x.shape})")
        mean = self._mean_vector(x.dtype)
        xc = x - (x @ mean)[..., None]                    # x - mu
        var = (xc * xc) @ mean                            # mean of (x - mu)^2
        rstd = 1.0 / np.sqrt(var[..., None] + self.eps)
        xhat = xc
        xhat *= rstd                       # in place: xc is not needed again
        self.xhat, self.rstd = xhat, rstd
        out = xhat * self.weight.data
        out += self.bias.data
        return out

    def backward(self, dout):
        d = self.normalized_shape
        xhat = self.xhat
        dout2 = dout.reshape(-1, d)
        ones = np.ones(len(dout2), dout.dtype)            # sums over rows, as products
        self.weight.add_to_grad(ones @ (dout2 * xhat.reshape(-1, d)))
        self.bias.add_to_grad(ones @ dout2)
        mean = self._mean_vector(dout.dtype)
        g = dout * self.weight.data
        dx = g - (g @ mean)[..., None]
        dx -= xhat * ((g * xhat) @ mean)[..., None]
        dx *= self.rstd
        return dx

    def _mean_vector(self, dtype):
        """(1/d, ..., 1/d): x @ it is the mean over the last axis, a matrix-vector product that
        runs several times faster than np.mean on the short rows of a small model."""
        if getattr(self, "_mean", None) is None or self._mean.dtype != dtype:
            self._mean = np.full(self.normalized_shape, 1.0 / self.normalized_shape, dtype)
        return self._mean

    def parameters(self):
        return [self.weight, self.bias]

    def __repr__(self):
        return f"LayerNorm({self.normalized_shape}, eps={self.eps})"


class TransformerBlock(Module):
    """One pre-LN GPT block: x <- x + attn(ln_1(x)); x <- x + mlp(ln_2(x)).   (B, T, d) -> same.

    .ln_1, .attn (CausalSelfAttention), .ln_2, .mlp = Sequential(Linear(d, 4d),
    GELU(approximate="tanh"), Linear(4d, d)). GPT-2 init: weights N(0, 0.02^2), the two
    residual projections (attn.proj, mlp[2]) N(0, (0.02 / sqrt(2 n_layers))^2), biases 0.
    init_scale multiplies every weight std (µP's 1/sqrt(m); 1 in standard parametrization);
    attn_scale is passed to the attention (None: 1/sqrt(d_head)).
    """

    def __init__(self, d_model, n_heads, *, n_layers, init_scale=1.0, attn_scale=None, seed=0,
                 dtype=np.float32):
        d = check_int("d_model", d_model, low=1)
        n_layers = check_int("n_layers", n_layers, low=1)
        std = GPT2_STD * check_number("init_scale", init_scale, low=0)
        resid_std = std / math.sqrt(2 * n_layers)
        rng = check_rng(seed)
        self.ln_1 = LayerNorm(d, dtype=dtype)
        self.attn = CausalSelfAttention(d, n_heads, scale=attn_scale, init_std=std,
                                        proj_std=resid_std, seed=rng, dtype=dtype)
        self.ln_2 = LayerNorm(d, dtype=dtype)
        self.mlp = Sequential(Linear(d, 4 * d, init=_normal(std), seed=rng, dtype=dtype),
                              GELU(approximate="tanh"),
                              Linear(4 * d, d, init=_normal(resid_std), seed=rng, dtype=dtype))

    def forward(self, x, training=True):
        x = x + self.attn.forward(self.ln_1.forward(x, training), training)
        return x + self.mlp.forward(self.ln_2.forward(x, training), training)

    def backward(self, dout):
        # the residual stream carries dout past each branch unchanged; each branch adds its own
        dx = dout + self.ln_2.backward(self.mlp.backward(dout))
        return dx + self.ln_1.backward(self.attn.backward(dx))

    def parameters(self):
        return (self.ln_1.parameters() + self.attn.parameters() + self.ln_2.parameters()
                + self.mlp.parameters())

    def matrices(self):
        """The hidden weight matrices (decayed by AdamW; µP's hidden learning rate)."""
        return [self.attn.qkv.weight, self.attn.proj.weight, self.mlp[0].weight,
                self.mlp[2].weight]

    def __repr__(self):
        return f"TransformerBlock({self.attn.d_model}, n_heads={self.attn.n_heads})"


PARAMETRIZATIONS = ("sp", "mup")


class GPT(Module):
    """A decoder-only transformer language model:  (B, T) token ids -> (B, T, vocab_size) logits.

    h = wte[idx] + wpe[0..T-1];  h = block(h) for each of .blocks;  h = ln_f(h);
    logits = output_mult * h @ wte^T   (the output layer is tied to the token embedding, so
    wte gets both gradients; output_mult is 1 in standard parametrization, 1/m in µP).

    parametrization: "sp" (standard, GPT-2's init) or "mup" with base_d_model, the width the
    hyperparameters were tuned at (see the module docstring for what scales with width).
    Parameters: wte (vocab_size, d), wpe (n_ctx, d), per block 12 d^2 + 13 d, ln_f 2 d.
    """

    def __init__(self, vocab_size, n_ctx, n_layers, d_model, n_heads, *, parametrization="sp",
                 base_d_model=None, seed=0, dtype=np.float32):
        self.vocab_size = check_int("vocab_size", vocab_size, low=1)
        self.n_ctx = check_int("n_ctx", n_ctx, low=1)
        self.n_layers = check_int("n_layers", n_layers, low=1)
        self.d_model = check_int("d_model", d_model, low=1)
        self.n_heads = check_int("n_heads", n_heads, low=1)
        if d_model % n_heads:
            raise ValueError(f"d_model ({d_model}) must be a multiple of n_heads ({n_heads})")
        self.parametrization = check_choice("parametrization", parametrization, PARAMETRIZATIONS)
        if parametrization == "mup":
            if base_d_model is None:
                raise ValueError('parametrization="mup" needs base_d_model, the width the '
                                 'hyperparameters were tuned at')
            base = check_int("base_d_model", base_d_model, low=n_heads)
            if base % n_heads:
                raise ValueError(f"base_d_model ({base}) must be a multiple of n_heads "
                                 f"({n_heads})")
            self.base_d_model = base
        elif base_d_model is not None:
            raise ValueError('base_d_model is only used with parametrization="mup"')
        else:
            self.base_d_model = d_model
        m = self.width_mult = d_model / self.base_d_model
        d_head, base_d_head = d_model // n_heads, self.base_d_model // n_heads
        self.output_mult = 1.0 / m
        attn_scale = math.sqrt(base_d_head) / d_head if parametrization == "mup" else None
        self.dtype = check_dtype(dtype)
        rng = check_rng(seed)
        self.wte = Embedding(vocab_size, d_model, seed=rng, dtype=dtype)
        self.wpe = Embedding(n_ctx, d_model, seed=rng, dtype=dtype)
        for emb in (self.wte, self.wpe):  # torch's N(0, 1) scaled to GPT-2's N(0, 0.02^2)
            emb.weight.data *= GPT2_STD
            emb.weight.regularize = False
        self.blocks = [TransformerBlock(d_model, n_heads, n_layers=n_layers,
                                        init_scale=1.0 / math.sqrt(m), attn_scale=attn_scale,
                                        seed=rng, dtype=dtype) for _ in range(n_layers)]
        self.ln_f = LayerNorm(d_model, dtype=dtype)

    def forward(self, idx, training=True):
        idx = np.asarray(idx)
        if idx.ndim != 2 or not 1 <= idx.shape[1] <= self.n_ctx:
            raise ValueError(f"GPT input must be (B, T) token ids with 1 <= T <= n_ctx = "
                             f"{self.n_ctx}, got shape {idx.shape}")
        T = idx.shape[1]
        h = self.wte.forward(idx) + self.wpe.forward(np.arange(T))
        for block in self.blocks:
            h = block.forward(h, training)
        h = self.ln_f.forward(h, training)
        self.h = h
        logits = h @ self.wte.weight.data.T
        if self.output_mult != 1.0:
            logits *= self.output_mult
        return logits

    def backward(self, dlogits):
        """Adds every parameter's gradient; returns None (token ids have no gradient)."""
        B, T, V = dlogits.shape
        d = self.d_model
        if self.output_mult != 1.0:
            dlogits = dlogits * self.output_mult
        # the tied weight's first gradient, from the output layer: dwte += dlogits^T h
        self.wte.weight.add_matmul_to_grad(dlogits.reshape(-1, V).T, self.h.reshape(-1, d))
        dh = self.ln_f.backward(dlogits @ self.wte.weight.data)
        for block in reversed(self.blocks):
            dh = block.backward(dh)
        self.wpe.backward(dh.sum(axis=0))     # every sequence used positions 0..T-1
        self.wte.backward(dh)                 # its second gradient, from the input side
        return None

    def parameters(self):
        params = self.wte.parameters() + self.wpe.parameters()
        for block in self.blocks:
            params += block.parameters()
        return params + self.ln_f.parameters()

    def optimizer_groups(self, weight_decay=0.0):
        """Parameter groups for AdamW (helpers.optimizers): weight decay on the hidden weight
        matrices only, none on embeddings, biases and LayerNorms (as minGPT's
        configure_optimizers; nanoGPT also decays the embeddings). Under µP the matrices get
        lr_scale 1/m and weight_decay * m (see the module docstring)."""
        weight_decay = check_number("weight_decay", weight_decay, low=0)
        matrices = [w for block in self.blocks for w in block.matrices()]
        ids = {id(w) for w in matrices}
        others = [p for p in self.parameters() if id(p) not in ids]
        m = self.width_mult
        return [{"params": matrices, "weight_decay": weight_decay * m, "lr_scale": 1.0 / m},
                {"params": others, "weight_decay": 0.0}]

    def __repr__(self):
        mup = f", parametrization='mup', base_d_model={self.base_d_model}" \
            if self.parametrization == "mup" else ""
        return (f"GPT(vocab_size={self.vocab_size}, n_ctx={self.n_ctx}, n_layers={self.n_layers},"
                f" d_model={self.d_model}, n_heads={self.n_heads}{mup})")
