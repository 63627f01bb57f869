"""GPT-3's printed numbers and the calculators built on them (notebook 13).

Brown et al. (2020), arXiv:2005.14165: Table 2.1 (sizes, architectures, batch sizes,
learning rates), Appendix B (the training recipe), Table D.1 (training compute); the
formulas for parameters, FLOPs, days, schedules, iterations and memory.
"""

import math

import numpy as np

from ..validation import check_int, check_number


#: Table 2.1 of Brown et al. (2020), every value as printed (batch size in tokens).
MODELS = (
    {"name": "GPT-3 Small", "n_params": 125e6, "n_layers": 12, "d_model": 768,
     "n_heads": 12, "d_head": 64, "batch_tokens": 0.5e6, "lr": 6.0e-4},
    {"name": "GPT-3 Medium", "n_params": 350e6, "n_layers": 24, "d_model": 1024,
     "n_heads": 16, "d_head": 64, "batch_tokens": 0.5e6, "lr": 3.0e-4},
    {"name": "GPT-3 Large", "n_params": 760e6, "n_layers": 24, "d_model": 1536,
     "n_heads": 16, "d_head": 96, "batch_tokens": 0.5e6, "lr": 2.5e-4},
    {"name": "GPT-3 XL", "n_params": 1.3e9, "n_layers": 24, "d_model": 2048,
     "n_heads": 24, "d_head": 128, "batch_tokens": 1e6, "lr": 2.0e-4},
    {"name": "GPT-3 2.7B", "n_params": 2.7e9, "n_layers": 32, "d_model": 2560,
     "n_heads": 32, "d_head": 80, "batch_tokens": 1e6, "lr": 1.6e-4},
    {"name": "GPT-3 6.7B", "n_params": 6.7e9, "n_layers": 32, "d_model": 4096,
     "n_heads": 32, "d_head": 128, "batch_tokens": 2e6, "lr": 1.2e-4},
    {"name": "GPT-3 13B", "n_params": 13.0e9, "n_layers": 40, "d_model": 5140,
     "n_heads": 40, "d_head": 128, "batch_tokens": 2e6, "lr": 1.0e-4},
    {"name": "GPT-3 175B", "n_params": 175.0e9, "n_layers": 96, "d_model": 12288,
     "n_heads": 96, "d_head": 128, "batch_tokens": 3.2e6, "lr": 0.6e-4},
)

#: Table D.1: total training compute (PF-days, FLOPs) and the parameters (millions) it used.
PAPER_COMPUTE = {
    "GPT-3 Small": {"pf_days": 2.60, "flops": 2.25e20, "params_m": 125},
    "GPT-3 Medium": {"pf_days": 7.42, "flops": 6.41e20, "params_m": 356},
    "GPT-3 Large": {"pf_days": 15.8, "flops": 1.37e21, "params_m": 760},
    "GPT-3 XL": {"pf_days": 27.5, "flops": 2.38e21, "params_m": 1320},
    "GPT-3 2.7B": {"pf_days": 55.2, "flops": 4.77e21, "params_m": 2650},
    "GPT-3 6.7B": {"pf_days": 139, "flops": 1.20e22, "params_m": 6660},
    "GPT-3 13B": {"pf_days": 268, "flops": 2.31e22, "params_m": 12850},
    "GPT-3 175B": {"pf_days": 3640, "flops": 3.14e23, "params_m": 174600},
}

# Appendix B (and section 2.1): the settings shared by every model
VOCAB_SIZE = 50257          # GPT-2's byte-level BPE vocabulary
N_CTX = 2048                # context window (tokens per sequence)
TRAIN_TOKENS = 300e9        # every model saw 300B tokens
WARMUP_TOKENS = 375e6       # linear lr warmup
DECAY_TOKENS = 260e9        # cosine decay ends here, then the lr stays at the floor
LR_FLOOR = 0.1              # ... 10 % of the peak
START_BATCH_TOKENS = 32_768  # "32k tokens": we read it as 16 sequences of 2048
RAMP_TOKENS_RANGE = (4e9, 12e9)  # "over the first 4-12 billion tokens, depending on model size"
ADAM = {"beta1": 0.9, "beta2": 0.95, "eps": 1e-8}
CLIP_NORM = 1.0
WEIGHT_DECAY = 0.1

PF_DAY = 1e15 * 86400       # one petaflop/s sustained for a day, in FLOPs

#: peak dense 16-bit tensor throughput from the vendors' data sheets (FLOP/s)
ACCELERATORS = {
    "V100 (fp16, 125 TFLOP/s)": 125e12,
    "A100 (bf16, 312 TFLOP/s)": 312e12,
    "H100 SXM (bf16, 989 TFLOP/s)": 989e12,
}

#: bytes per parameter for (weights, gradients, optimizer state incl. any fp32 master copy)
PRECISIONS = {
    "fp32": (4, 4, 8),
    "mixed bf16 + fp32 master": (2, 2, 12),
    "pure bf16": (2, 2, 4),
}


def model(name):
    """The row of MODELS called `name` (e.g. "GPT-3 175B")."""
    for row in MODELS:
        if row["name"] == name:
            return row
    raise ValueError(f"no model {name!r}; choose one of {[m['name'] for m in MODELS]}")


def param_breakdown(n_layers, d_model, vocab_size=VOCAB_SIZE, n_ctx=N_CTX, *, d_attn=None):
    """Parameters of a GPT-2/GPT-3 decoder, by part (the output layer shares the token embedding).

    Every layer has the same parameters: GPT-3's alternating dense and locally banded sparse
    attention layers (Brown et al. 2020, section 2.1) differ in which positions attend, which
    has no weights. Per layer: two LayerNorms (2 d each), the attention projections W_qkv
    (d x 3a) and W_o (a x d) with biases, and the MLP d -> 4d -> d with biases;
    a = d_attn = n_heads * d_head, which equals d_model in a consistent table. Then token and
    position embeddings and a final LayerNorm. With a = d: 12 L d^2 + 13 L d + (V + n_ctx) d + 2 d.
    """
    L = check_int("n_layers", n_layers, low=1)
    d = check_int("d_model", d_model, low=1)
    a = d if d_attn is None else check_int("d_attn", d_attn, low=1)
    return {
        "embeddings": check_int("vocab_size", vocab_size, low=1) * d
        + check_int("n_ctx", n_ctx, low=1) * d,
        "attention": L * (d * 3 * a + 3 * a + a * d + d),
        "mlp": L * (d * 4 * d + 4 * d + 4 * d * d + d),
        "layer_norms": L * 2 * (2 * d) + 2 * d,
    }


def param_count(n_layers, d_model, vocab_size=VOCAB_SIZE, n_ctx=N_CTX, *, d_attn=None):
    """Total parameters of a GPT-2/GPT-3 decoder (see param_breakdown)."""
    return int(sum(param_breakdown(n_layers, d_model, vocab_size, n_ctx, d_attn=d_attn).values()))


def _finite(what, value):
    """`value` if it is finite, else a ValueError: the inputs make it overflow a float."""
    if not np.all(np.isfinite(value)):
        raise ValueError(f"{what} is too large for a float (the inputs overflow it)")
    return value


def _tokens(tokens_seen):
    """tokens_seen as a float64 array of finite numbers >= 0, else a ValueError."""
    try:
        t = np.asarray(tokens_seen)
        if t.dtype.kind not in "iuf":
            raise TypeError
        t = t.astype(np.float64)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"tokens_seen must be a number of tokens or an array of them, got "
                         f"{tokens_seen!r:.60}") from None
    if not np.all(np.isfinite(t) & (t >= 0)):
        bad = t[~(np.isfinite(t) & (t >= 0))].flat[0]
        raise ValueError(f"tokens_seen must be finite numbers >= 0, got {bad}")
    return t


def _batch(name, value, n_ctx):
    """A batch size in tokens: at least one sequence of n_ctx tokens. A smaller number is most
    likely a count of sequences (GPT-3's table gives tokens; 32k tokens = 16 sequences)."""
    value = check_number(name, value, low=0, low_open=True)
    if value < n_ctx:
        raise ValueError(f"{name}={value:g} is less than one sequence of n_ctx={n_ctx} tokens: "
                         f"if it counts sequences, give tokens instead ({value:g} x {n_ctx} = "
                         f"{value * n_ctx:,.0f})")
    return value


def train_flops(n_params, n_tokens):
    """Training compute C = 6 N D: 2 FLOPs per parameter per token forward, twice that backward.

    Left out: the attention over the context, 2 L n_ctx d FLOPs per token forward (Kaplan et
    al. 2020, Table 1) if every layer attends over the whole context, as in GPT-2. GPT-3's
    locally banded sparse layers (every other layer) attend to a band only, so for GPT-3 that
    term lies between half of 2 L n_ctx d and all of it (the band's width is not published)."""
    n = check_number("n_params", n_params, low=0)
    return _finite("6 N D", 6.0 * n * check_number("n_tokens", n_tokens, low=0))


def pf_days(flops):
    """FLOPs in petaflop/s-days (the paper's unit): flops / (1e15 * 86400)."""
    return check_number("flops", flops, low=0) / PF_DAY


def training_days(flops, n_accelerators, peak_flops, utilization):
    """Wall-clock days = C / (n * peak * utilization) / 86400."""
    flops = check_number("flops", flops, low=0)
    n = check_number("n_accelerators", n_accelerators, low=1)
    peak = check_number("peak_flops", peak_flops, low=0, low_open=True)
    u = check_number("utilization", utilization, low=0, high=1, low_open=True)
    rate = n * peak * u
    if rate == 0:  # each factor is > 0, but their product can underflow
        raise ValueError(f"n_accelerators x peak_flops x utilization = {n:g} x {peak:g} x {u:g} "
                         "is too small for a float: give peak_flops in FLOP/s (e.g. 312e12)")
    return _finite("the training time", flops / rate / 86400.0)


def learning_rate(tokens_seen, peak_lr, *, warmup_tokens=WARMUP_TOKENS,
                  decay_tokens=DECAY_TOKENS, floor=LR_FLOOR):
    """GPT-3's learning rate after `tokens_seen` tokens (a number or an array).

    Linear warmup from 0 to peak_lr over warmup_tokens, then a cosine from peak_lr down to
    floor * peak_lr, reached at decay_tokens; constant after that. (The paper says "cosine
    decay ... over 260 billion tokens"; we start the cosine where warmup ends, as nanoGPT does:
    starting it at 0 instead changes the lr by less than 0.2 %.)
    """
    peak_lr = check_number("peak_lr", peak_lr, low=0)
    warmup_tokens = check_number("warmup_tokens", warmup_tokens, low=0)
    decay_tokens = check_number("decay_tokens", decay_tokens, low=warmup_tokens, low_open=True)
    floor = check_number("floor", floor, low=0, high=1)
    t = _tokens(tokens_seen)
    with np.errstate(over="ignore"):  # t / a tiny warmup overflows where np.where discards it
        warm = t / warmup_tokens if warmup_tokens > 0 else np.ones_like(t)
        progress = np.clip((t - warmup_tokens) / (decay_tokens - warmup_tokens), 0.0, 1.0)
    cosine = floor + (1 - floor) * 0.5 * (1 + np.cos(np.pi * progress))
    lr = peak_lr * np.where(t < warmup_tokens, warm, cosine)
    return float(lr) if np.ndim(tokens_seen) == 0 else lr


def batch_size_tokens(tokens_seen, full_batch_tokens, ramp_tokens, *,
                      start_tokens=START_BATCH_TOKENS):
    """Batch size (tokens) after `tokens_seen` tokens: linear from start_tokens to
    full_batch_tokens over the first ramp_tokens, then full. ramp_tokens=0: no ramp."""
    full = check_number("full_batch_tokens", full_batch_tokens, low=0, low_open=True)
    ramp = check_number("ramp_tokens", ramp_tokens, low=0)
    start = check_number("start_tokens", start_tokens, low=0, low_open=True)
    t = _tokens(tokens_seen)
    with np.errstate(over="ignore"):  # t / a tiny ramp overflows to inf, which clip makes 1
        frac = np.clip(t / ramp, 0.0, 1.0) if ramp > 0 else np.ones_like(t)
    b = np.minimum(start, full) + (full - np.minimum(start, full)) * frac
    return float(b) if np.ndim(tokens_seen) == 0 else b


def _ramp_steps(limit, start, full, ramp):
    """(k, s_k): the fewest ramp steps whose tokens s_k reach `limit`, in closed form.

    Step k takes the batch start + slope * s_{k-1} (slope = (full - start) / ramp), so
    s_k = start + (1 + slope) s_{k-1}, i.e. s_k = start ((1 + slope)^k - 1) / slope."""
    if limit <= 0:
        return 0, 0.0
    if limit <= start:
        return 1, start
    if full == start:
        k = math.ceil(limit / start)
        return k, k * start
    slope = (full - start) / ramp
    log_growth = math.log1p(slope)

    def tokens_after(k):
        try:
            return start * k if k <= 1 else start * math.expm1(k * log_growth) / slope
        except OverflowError:  # beyond any float: certainly past the limit
            return math.inf

    # solve s_k >= limit for k, then step once or twice where rounding put k off by one
    k = max(1, math.ceil(math.log1p((full - start) / start * (limit / ramp)) / log_growth))
    for _ in range(2):
        if k > 1 and tokens_after(k - 1) >= limit:
            k -= 1
    for _ in range(2):
        if tokens_after(k) < limit:
            k += 1
    return k, tokens_after(k)


def count_iterations(n_tokens, full_batch_tokens, ramp_tokens=0.0, *,
                     start_tokens=START_BATCH_TOKENS, n_ctx=N_CTX):
    """Optimizer steps to see n_tokens: n_tokens / batch without a ramp (the course's
    iterations = examples / batch size, in tokens); during a ramp the batch grows with the
    tokens seen (batch_size_tokens), counted in closed form (see _ramp_steps).
    Batches are in tokens, at least one sequence of n_ctx tokens each."""
    n_tokens = check_number("n_tokens", n_tokens, low=0)
    full = _batch("full_batch_tokens", full_batch_tokens, n_ctx)
    ramp = check_number("ramp_tokens", ramp_tokens, low=0)
    start = min(_batch("start_tokens", start_tokens, n_ctx), full)
    steps, seen = _ramp_steps(min(ramp, n_tokens), start, full, ramp)
    return steps + math.ceil(max(n_tokens - seen, 0.0) / full)


def ramp_iterations_approx(full_batch_tokens, ramp_tokens, *, start_tokens=START_BATCH_TOKENS,
                           n_ctx=N_CTX):
    """Steps spent in the ramp, from the continuous model db/ds = (B - b0)/R:
    integral of ds / b(s) over [0, R] = R / (B - b0) * ln(B / b0), which is R / B when b0 = B.
    As in batch_size_tokens, a start above the full batch is the full batch."""
    B = _batch("full_batch_tokens", full_batch_tokens, n_ctx)
    R = check_number("ramp_tokens", ramp_tokens, low=0)
    b0 = min(_batch("start_tokens", start_tokens, n_ctx), B)
    x = (B - b0) / b0  # ln(B / b0) / (B - b0) = log1p(x) / (x b0), -> 1 / b0 as x -> 0
    return _finite("the ramp's steps", R / b0 if x == 0 else R * math.log1p(x) / (x * b0))


def training_memory(n_params, precision="mixed bf16 + fp32 master"):
    """Bytes for weights, gradients and Adam state (activations not included), by part."""
    n_params = check_number("n_params", n_params, low=0)
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {list(PRECISIONS)}, got {precision!r}")
    w, g, o = PRECISIONS[precision]
    return {part: _finite(f"the bytes of the {part}", b * n_params)
            for part, b in (("weights", w), ("gradients", g), ("optimizer", o))}


def chinchilla_optimal(flops, tokens_per_param=20.0):
    """Compute-optimal (N, D) for a budget C = 6 N D with D = r N (Hoffmann et al. 2022):
    N = sqrt(C / (6 r)), D = r N."""
    r = check_number("tokens_per_param", tokens_per_param, low=0, low_open=True)
    n = math.sqrt(_finite("C / (6 r)", check_number("flops", flops, low=0) / (6.0 * r)))
    return n, _finite("D = r N", r * n)
