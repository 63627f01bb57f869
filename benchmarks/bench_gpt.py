"""One training step of a tiny GPT: helpers against the same model in PyTorch (CPU, float32).

A step is forward, cross-entropy, backward and AdamW (weight decay on the matrices only), on a
batch of token ids from the course's character vocabulary (34 symbols). Same sizes, dtype,
initialization scheme and optimizer in both; PyTorch's model is written as nanoGPT writes it
(F.scaled_dot_product_attention with is_causal=True, GELU tanh, tied output layer).
Timing as in bench_epoch.py: interleaved runs, each timed right after a warm-up run of its own,
median of the per-pair ratios helpers / torch (lower is better).

Then, for each size, where a helpers step goes: the matrix products of the step alone (the
same shapes: 6 per block forward, 12 per block backward, the tied output layer's 3 and the
embedding's one-hot product), the attention's softmax (forward and backward, without the
products around it), the LayerNorms, GELU, AdamW, and the rest (embeddings' lookups, the loss,
residual additions, reshapes and copies), each timed alone on the step's shapes, as a share
of a helpers step timed right next to it (so that a busy machine slows both alike).

Usage: python benchmarks/bench_gpt.py [--repeats 9] [--steps 5]   (needs torch, CPU build)
"""

import argparse
import importlib.util
import statistics
from pathlib import Path

import numpy as np

import helpers as hp

_spec = importlib.util.spec_from_file_location(
    "bench_epoch", Path(__file__).resolve().parent / "bench_epoch.py")
_bench_epoch = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_bench_epoch)
timed = _bench_epoch.timed

VOCAB = 34  # len(gpt3.CharVocab(gpt3.load_corpus())): the course's corpus
# (d_model, n_heads, n_layers, n_ctx, batch, target ratio helpers / torch)
CASES = [
    (64, 4, 2, 64, 16, 1.0),
    (128, 4, 4, 128, 16, 1.5),
]
LR, BETAS, WEIGHT_DECAY = 1e-3, (0.9, 0.95), 0.1


def make_batch(n_ctx, batch, seed=0):
    rng = np.random.default_rng(seed)
    return rng.integers(0, VOCAB, (batch, n_ctx)), rng.integers(0, VOCAB, (batch, n_ctx))


def helpers_steps(d, heads, layers, n_ctx, batch, steps):
    """`steps` training steps of helpers' GPT on one batch."""
    model = hp.GPT(VOCAB, n_ctx, layers, d, heads, seed=0)
    opt = hp.AdamW(model.optimizer_groups(WEIGHT_DECAY), lr=LR, beta1=BETAS[0], beta2=BETAS[1])
    loss = hp.CrossEntropyLoss()
    idx, targets = make_batch(n_ctx, batch)

    def run(seed):
        for _ in range(steps):
            loss.forward(model.forward(idx), targets)
            opt.zero_grad()
            model.backward(loss.backward())
            opt.step()
    return run


def torch_model(d, heads, layers, n_ctx, vocab=VOCAB):
    """The same GPT in torch.nn, nanoGPT style, with GPT-2's initialization (the tests copy
    helpers' weights into it and compare the two models to float64 precision)."""
    import torch
    from torch import nn
    from torch.nn import functional as F

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.ln_1, self.qkv, self.proj = nn.LayerNorm(d), nn.Linear(d, 3 * d), nn.Linear(d, d)
            self.ln_2, self.fc, self.fc2 = nn.LayerNorm(d), nn.Linear(d, 4 * d), nn.Linear(4 * d, d)

        def forward(self, x):
            B, T, _ = x.shape
            q, k, v = (t.view(B, T, heads, d // heads).transpose(1, 2)
                       for t in self.qkv(self.ln_1(x)).split(d, dim=2))
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
            x = x + self.proj(y.transpose(1, 2).reshape(B, T, d))
            return x + self.fc2(F.gelu(self.fc(self.ln_2(x)), approximate="tanh"))

    class GPT(nn.Module):
        def __init__(self):
            super().__init__()
            self.wte, self.wpe = nn.Embedding(vocab, d), nn.Embedding(n_ctx, d)
            self.blocks = nn.ModuleList(Block() for _ in range(layers))
            self.ln_f = nn.LayerNorm(d)
            for name, p in self.named_parameters():
                if name.endswith("bias"):
                    nn.init.zeros_(p)
                elif p.dim() == 2:
                    std = 0.02 / (2 * layers) ** 0.5 if name.endswith(("proj.weight",
                                                                       "fc2.weight")) else 0.02
                    nn.init.normal_(p, std=std)

        def forward(self, idx):
            h = self.wte(idx) + self.wpe(torch.arange(idx.shape[1]))
            for block in self.blocks:
                h = block(h)
            return self.ln_f(h) @ self.wte.weight.T

    return GPT()


def torch_steps(d, heads, layers, n_ctx, batch, steps):
    import torch
    from torch.nn import functional as F
    torch.manual_seed(0)
    model = torch_model(d, heads, layers, n_ctx)
    matrices = [p for n, p in model.named_parameters() if p.dim() == 2 and not n.startswith("w")]
    others = [p for n, p in model.named_parameters() if p.dim() < 2 or n.startswith("w")]
    opt = torch.optim.AdamW([{"params": matrices, "weight_decay": WEIGHT_DECAY},
                             {"params": others, "weight_decay": 0.0}], lr=LR, betas=BETAS)
    idx, targets = (torch.from_numpy(a) for a in make_batch(n_ctx, batch))

    def run(seed):
        for _ in range(steps):
            logits = model(idx)
            loss = F.cross_entropy(logits.view(-1, VOCAB), targets.view(-1))
            opt.zero_grad()
            loss.backward()
            opt.step()
    return run


def matmul_steps(d, heads, layers, n_ctx, batch, steps):
    """The matrix products of `steps` helpers steps, on arrays of the same shapes."""
    rng = np.random.default_rng(0)
    f32 = np.float32

    def r(*shape):
        return rng.standard_normal(shape, dtype=f32)

    N, dh = batch * n_ctx, d // heads
    x, x4, W3, W, W4a, W4b = r(N, d), r(N, 4 * d), r(d, 3 * d), r(d, d), r(d, 4 * d), r(4 * d, d)
    q, P, emb = r(batch, heads, n_ctx, dh), r(batch, heads, n_ctx, n_ctx), r(VOCAB, d)
    onehot, dlogits = r(N, VOCAB), r(N, VOCAB)

    def run(seed):
        for _ in range(steps):
            for _ in range(layers):
                # forward: qkv, q k^T, P v, proj, fc, fc2
                x @ W3, q @ q.transpose(0, 1, 3, 2), P @ q, x @ W, x @ W4a, x4 @ W4b
                # backward: dW and dx of the four Linears; dv, dP, dq, dk
                x.T @ (x @ W3), (x @ W3) @ W3.T, x.T @ x, x @ W.T
                x.T @ x4, x4 @ W4a.T, x4.T @ x, x @ W4b.T
                P.transpose(0, 1, 3, 2) @ q, q @ q.transpose(0, 1, 3, 2), P @ q, P @ q
            x @ emb.T, dlogits.T @ x, dlogits @ emb, onehot.T @ x  # tied head, one-hot scatter
    return run


def component_steps(d, heads, layers, n_ctx, batch, steps):
    """Each non-product part of `steps` helpers steps, alone, on the step's shapes."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch, n_ctx, d), dtype=np.float32)
    x4 = rng.standard_normal((batch, n_ctx, 4 * d), dtype=np.float32)
    scores = rng.standard_normal((batch, heads, n_ctx, n_ctx), dtype=np.float32)
    mask = np.triu(np.full((n_ctx, n_ctx), -np.inf, np.float32), k=1)
    ln, gelu = hp.LayerNorm(d), hp.GELU(approximate="tanh")
    model = hp.GPT(VOCAB, n_ctx, layers, d, heads, seed=0)
    opt = hp.AdamW(model.optimizer_groups(WEIGHT_DECAY), lr=LR, beta1=BETAS[0], beta2=BETAS[1])
    loss = hp.CrossEntropyLoss()
    logits = rng.standard_normal((batch, n_ctx, VOCAB), dtype=np.float32)
    targets = rng.integers(0, VOCAB, (batch, n_ctx))

    def softmax():
        s = scores * np.float32(0.125)  # the attention's own steps, as in CausalSelfAttention
        s += mask
        s -= s.max(axis=-1, keepdims=True)
        np.exp(s, out=s)
        s /= s.sum(axis=-1, keepdims=True)
        ds = scores - np.einsum("bhts,bhts->bht", scores, s)[..., None]
        ds *= s
        ds *= np.float32(0.125)

    parts = {
        "softmax": (softmax, layers),
        "LayerNorm": (lambda: ln.backward(ln.forward(x)), 2 * layers + 1),
        "GELU": (lambda: gelu.backward(gelu.forward(x4)), layers),
        "AdamW": (opt.step, 1),
        "loss": (lambda: (loss.forward(logits, targets), loss.backward()), 1),
    }
    return {name: (lambda seed, fn=fn, k=k: [fn() for _ in range(k * steps)])
            for name, (fn, k) in parts.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--steps", type=int, default=5, help="training steps per timed run")
    args = parser.parse_args()
    import torch
    print(f"numpy {np.__version__}, torch {torch.__version__} ({torch.get_num_threads()} threads)")
    print(f"{'GPT (d, heads, layers, ctx, batch)':>36} {'helpers ms':>10} {'torch ms':>9} "
          f"{'ratio':>6} {'target':>6}")
    missed, breakdowns = [], []
    for *size, target in CASES:
        ours, theirs = helpers_steps(*size, args.steps), torch_steps(*size, args.steps)
        ours(0), theirs(0)  # warm up
        t_ours, t_theirs, ratios = [], [], []
        for r in range(args.repeats):
            a, b = timed(ours, r + 1), timed(theirs, r + 1)
            t_ours.append(a / args.steps)
            t_theirs.append(b / args.steps)
            ratios.append(a / b)
        ratio = statistics.median(ratios)
        step = statistics.median(t_ours)
        theirs_ms = 1e3 * statistics.median(t_theirs)
        print(f"{str(tuple(size)):>36} {1e3 * step:>10.1f} {theirs_ms:>9.1f} {ratio:>6.2f} "
              f"{'<= ' + str(target):>6}")
        if ratio > target:
            missed.append(f"ratio {ratio:.2f} > {target} on {tuple(size)}")
        parts = {"matrix products": matmul_steps(*size, args.steps)}
        parts.update(component_steps(*size, args.steps))
        # each part against a helpers step timed next to it: a share that survives a busy machine
        shares = {name: statistics.median(timed(fn, r) / timed(ours, r)
                                          for r in range(args.repeats))
                  for name, fn in parts.items()}
        shares["the rest"] = 1 - sum(shares.values())
        breakdowns.append((size, shares))
    for size, shares in breakdowns:
        print(f"where a helpers step goes, {tuple(size)}: "
              + ", ".join(f"{name} {share:.0%}" for name, share in shares.items()))
    print("all targets met" if not missed else "targets missed: " + "; ".join(missed))


if __name__ == "__main__":
    main()
