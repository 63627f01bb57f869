"""GPT-3's hyperparameters as data and formulas, and its recipe tried at toy scale (notebook 13).

Source: T. Brown et al. (2020), "Language Models are Few-Shot Learners", arXiv:2005.14165:
Table 2.1 (sizes, architectures, batch sizes, learning rates), Appendix B (the training
recipe) and Table D.1 (training compute). Everything at GPT-3 scale here is arithmetic on
those printed numbers; the toy part trains a character-level language model with `helpers`.

    MODELS                    the eight rows of Table 2.1, as printed
    param_count               parameters of a GPT-2/3 decoder from its shape
    train_flops, pf_days      C = 6 N D, and C in petaflop/s-days
    learning_rate             linear warmup, cosine to 10 % of the peak, then constant
    batch_size_tokens         the linear batch-size ramp from 32k tokens
    count_iterations          optimizer steps for a token budget, with or without the ramp
    training_memory           bytes for weights, gradients and Adam state
    chinchilla_optimal        compute-optimal N and D at ~20 tokens per parameter
    CharVocab, load_corpus    the toy corpus (helpers/data/grammar_corpus.txt) as indices
    Recipe, train_lm          the toy training loop with warmup, cosine, ramp and clipping
    generate                  text sampled from the toy model with a seeded rng
"""

import dataclasses
import math
from importlib import resources

import numpy as np

from .activations import Tanh
from .layers import Embedding, Flatten, Linear, Sequential
from .losses import CrossEntropyLoss, log_softmax
from .optimizers import AdamW, clip_grad_norm_, grad_norm
from .validation import check_int, check_number, check_rng

# ----------------------------------------------------------------------------------------------
# The paper's numbers
# ----------------------------------------------------------------------------------------------

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

    Per layer: two LayerNorms (2 d each), the attention projections W_qkv (d x 3a) and W_o
    (a x d) with biases, and the MLP d -> 4d -> d with biases; a = d_attn = n_heads * d_head,
    which equals d_model in a consistent table. Then token and position embeddings and a
    final LayerNorm. With a = d: 12 L d^2 + 13 L d + (V + n_ctx) d + 2 d.
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
    """Training compute C = 6 N D: 2 FLOPs per parameter per token forward, twice that backward."""
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


# ----------------------------------------------------------------------------------------------
# The toy corpus: sentences from a small documented grammar (helpers/data/README.md)
# ----------------------------------------------------------------------------------------------

_GRAMMAR = {
    "animate": {"cat": "it", "dog": "it", "fox": "it", "bird": "it", "girl": "she",
                "boy": "he", "king": "he", "baker": "he", "queen": "she"},
    "thing": ["ball", "hat", "cake", "boat", "book", "box", "lamp", "kite"],
    "adj": ["little", "old", "red", "happy", "quiet", "brave", "small", "green"],
    "trans": ["saw", "found", "liked", "took", "made", "lost", "painted", "wanted"],
    "intrans": ["slept", "sang", "ran", "smiled", "waited", "danced"],
    "prep": ["near", "under", "behind", "on", "by"],
    "place": ["river", "hill", "house", "garden", "market", "bridge"],
    "opener": ["then", "one day", "at night", "later", "in the morning"],
    "conj": ["and", "but", "so"],
}


def _grammar_sentence(rng):
    """One sentence (see the grammar in helpers/data/README.md) and its subject's pronoun."""
    g = _GRAMMAR
    pick = lambda xs: xs[rng.integers(len(xs))]  # noqa: E731 - a one-word helper

    def noun_phrase(nouns):
        det = pick(["the", "the", "a", "my"])
        rest = f"{pick(g['adj'])} " if rng.random() < 0.4 else ""
        rest += pick(nouns)
        if det == "a" and rest[0] in "aeiou":
            det = "an"
        return f"{det} {rest}"

    def verb_phrase():
        if rng.random() < 0.6:
            vp = f"{pick(g['trans'])} {noun_phrase(g['thing'])}"
        else:
            vp = pick(g["intrans"])
        if rng.random() < 0.4:
            vp += f" {pick(g['prep'])} the {pick(g['place'])}"
        return vp

    noun = pick(list(g["animate"]))
    subject = noun_phrase([noun])
    words = f"{subject} {verb_phrase()}"
    if rng.random() < 0.3:
        words = f"{pick(g['opener'])}, {words}"
    if rng.random() < 0.3:
        words += f", {pick(g['conj'])} {g['animate'][noun]} {verb_phrase()}"
    return words[0].upper() + words[1:] + ".", g["animate"][noun]


def generate_corpus(n_paragraphs=600, *, seed=0):
    """Text from the grammar: paragraphs of 2-6 sentences, one paragraph per line."""
    rng = check_rng(seed)
    lines = []
    for _ in range(check_int("n_paragraphs", n_paragraphs, low=1)):
        sentences = [_grammar_sentence(rng)[0] for _ in range(rng.integers(2, 7))]
        lines.append(" ".join(sentences))
    return "\n".join(lines) + "\n"


CORPUS_FILE = "data/grammar_corpus.txt"


def load_corpus():
    """The shipped toy corpus (generate_corpus(600, seed=0), stored in helpers/data)."""
    return resources.files("helpers").joinpath(CORPUS_FILE).read_text(encoding="utf-8")


class CharVocab:
    """Characters <-> integer ids (sorted characters of a text)."""

    def __init__(self, text):
        self.chars = sorted(set(text))
        self.index = {c: i for i, c in enumerate(self.chars)}

    def __len__(self):
        return len(self.chars)

    def encode(self, text):
        """The ids of the characters of `text` (a str of this vocabulary's characters)."""
        if not isinstance(text, str):
            raise ValueError(f"text must be a str, got {type(text).__name__}")
        unknown = sorted(set(text) - self.index.keys())
        if unknown:
            raise ValueError(f"character {unknown[0]!r} is not in the vocabulary; it has "
                             f"{len(self)}: {''.join(self.chars)!r}")
        return np.array([self.index[c] for c in text], dtype=np.int64)

    def decode(self, ids):
        """The text of a sequence of ids in [0, len(self))."""
        ids = np.asarray(ids) if not isinstance(ids, (str, bytes)) else np.asarray(None)
        if ids.ndim != 1 or ids.dtype.kind not in "iu" and ids.size:
            raise ValueError(f"ids must be a 1-D sequence of integer ids, got {ids!r:.60}")
        bad = ids[(ids < 0) | (ids >= len(self))] if ids.size else ids
        if bad.size:
            raise ValueError(f"id {bad[0]} is not in the vocabulary: ids go from 0 to "
                             f"{len(self) - 1}")
        return "".join(self.chars[i] for i in ids.tolist())


def make_windows(ids, context, *, pad_id):
    """Next-character examples: X[i] = the `context` ids before position i (left-padded with
    pad_id), y[i] = ids[i]. X: (len(ids), context) int64, y: (len(ids),) int64."""
    context = check_int("context", context, low=1)
    padded = np.concatenate([np.full(context, pad_id, dtype=np.int64), ids])
    X = np.lib.stride_tricks.sliding_window_view(padded[:-1], context)
    return np.ascontiguousarray(X), ids.copy()


def make_char_lm(vocab_size, *, context=12, embed_dim=16, hidden=192, seed=0):
    """Bengio-style (2003) character model: Embedding -> Flatten -> Linear -> Tanh -> Linear."""
    return Sequential(
        Embedding(vocab_size, embed_dim, seed=seed),
        Flatten(),
        Linear(context * embed_dim, hidden, init="xavier_uniform", seed=seed + 1),
        Tanh(),
        Linear(hidden, vocab_size, seed=seed + 2),
    )


# ----------------------------------------------------------------------------------------------
# The toy training loop (hp.fit has lr_schedule and clip_norm, but no batch-size ramp)
# ----------------------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Recipe:
    """The knobs of one training recipe, as fractions of the token budget where GPT-3 uses tokens.

    beta2, weight_decay: AdamW's.  warmup_frac: linear warmup over this fraction of the tokens.
    decay_frac: cosine down to `floor` x peak at this fraction (None: constant lr).
    ramp_frac, start_batch: the batch grows linearly from start_batch to the full batch over
    ramp_frac of the tokens (ramp_frac=0: fixed batch).  clip_norm: global norm (None: off).
    """

    name: str
    beta2: float = 0.999
    weight_decay: float = 0.0
    warmup_frac: float = 0.0
    decay_frac: float | None = None
    floor: float = LR_FLOOR
    ramp_frac: float = 0.0
    start_batch: int = 8
    clip_norm: float | None = None

    def __post_init__(self):
        check_number("beta2", self.beta2, low=0, high=1, high_open=True)
        check_number("weight_decay", self.weight_decay, low=0)
        check_number("warmup_frac", self.warmup_frac, low=0, high=1)
        if self.decay_frac is not None:
            check_number("decay_frac", self.decay_frac, low=0, high=1, low_open=True)
        check_number("floor", self.floor, low=0, high=1)
        check_number("ramp_frac", self.ramp_frac, low=0, high=1)
        check_int("start_batch", self.start_batch, low=1)
        if self.clip_norm is not None:
            check_number("clip_norm", self.clip_norm, low=0, low_open=True)


#: Adam with its default beta2, a constant lr, a fixed batch, no clipping, no weight decay.
PLAIN = Recipe("plain")
#: GPT-3's recipe with its fractions of the 300B-token budget: cosine ends at 260/300, the ramp
#: at 12/300. Warmup is stretched from 375M/300B = 0.125 % (under one step here) to 2 %, and
#: the ramp starts at 8 examples, 1/8 of notebook 13's batch of 64 (32k/3.2M = 1 % of 64 would
#: be under one example).
GPT3 = Recipe("GPT-3", beta2=ADAM["beta2"], weight_decay=WEIGHT_DECAY, warmup_frac=0.02,
              decay_frac=DECAY_TOKENS / TRAIN_TOKENS, floor=LR_FLOOR,
              ramp_frac=RAMP_TOKENS_RANGE[1] / TRAIN_TOKENS, start_batch=8, clip_norm=CLIP_NORM)


def train_lm(model, X, y, *, total_tokens, batch_size, peak_lr, recipe, X_val, y_val,
             n_evals=20, seed=0):
    """Train a next-token model with `recipe` on (X, y) for `total_tokens` examples.

    Each step: batch b = the recipe's ramp at the tokens seen so far (full batch_size without a
    ramp), lr = the recipe's schedule at the tokens seen after this step, forward, loss,
    backward, (clip), AdamW step. Batches are drawn without replacement, reshuffled per epoch.
    Returns a dict of arrays: per step "tokens", "loss", "lr", "batch", "grad_norm"; per
    evaluation "eval_tokens", "val_loss"; and "steps", "diverged".
    """
    if not isinstance(recipe, Recipe):
        raise ValueError(f"recipe must be a Recipe such as gpt3.GPT3 or gpt3.PLAIN, got {recipe!r}")
    total_tokens = check_int("total_tokens", total_tokens, low=1)
    batch_size = check_int("batch_size", batch_size, low=1)
    check_number("peak_lr", peak_lr, low=0, low_open=True)
    n_evals = check_int("n_evals", n_evals, low=1)
    rng = check_rng(seed)
    loss_fn = CrossEntropyLoss()
    params = model.parameters()
    opt = AdamW(params, lr=peak_lr, beta1=ADAM["beta1"], beta2=recipe.beta2, eps=ADAM["eps"],
                weight_decay=recipe.weight_decay)
    warmup = recipe.warmup_frac * total_tokens
    decay = None if recipe.decay_frac is None else recipe.decay_frac * total_tokens
    ramp = recipe.ramp_frac * total_tokens
    eval_at = set(np.linspace(0, total_tokens, n_evals + 1).astype(int)[1:].tolist())
    log = {k: [] for k in ("tokens", "loss", "lr", "batch", "grad_norm", "eval_tokens",
                           "val_loss")}
    order, cursor, seen, diverged = rng.permutation(len(X)), 0, 0, False
    next_eval = sorted(eval_at)
    with np.errstate(over="ignore", invalid="ignore"):
        while seen < total_tokens:
            b = round(batch_size_tokens(seen, batch_size, ramp, start_tokens=recipe.start_batch))
            b = max(1, min(b, total_tokens - seen))
            if cursor + b > len(order):
                order, cursor = rng.permutation(len(X)), 0
            idx = order[cursor:cursor + b]
            cursor += b
            lr = peak_lr
            if decay is not None:
                lr = learning_rate(seen + b, peak_lr, warmup_tokens=warmup,
                                   decay_tokens=max(decay, warmup + 1), floor=recipe.floor)
            elif warmup > 0:
                lr = peak_lr * min((seen + b) / warmup, 1.0)
            opt.lr = lr
            value = loss_fn.forward(model.forward(X[idx]), y[idx])
            if not math.isfinite(value):
                diverged = True
                break
            opt.zero_grad()
            model.backward(loss_fn.backward())
            if recipe.clip_norm is not None:
                norm = clip_grad_norm_(params, recipe.clip_norm)
            else:
                norm = grad_norm(params)
            opt.step()
            seen += b
            for k, v in (("tokens", seen), ("loss", value), ("lr", lr), ("batch", b),
                         ("grad_norm", norm)):
                log[k].append(v)
            while next_eval and seen >= next_eval[0]:
                next_eval.pop(0)
                log["eval_tokens"].append(seen)
                log["val_loss"].append(loss_fn.forward(model.forward(X_val, training=False),
                                                       y_val))
    out = {k: np.asarray(v, dtype=np.float64) for k, v in log.items()}
    out["steps"] = len(log["loss"])
    out["diverged"] = diverged or not all(math.isfinite(v) for v in log["val_loss"])
    return out


def generate(model, vocab, prompt, n_chars, *, context, temperature=1.0, seed=0):
    """Sample n_chars characters after `prompt`, one at a time (left-padded with newlines)."""
    rng = check_rng(seed)
    temperature = check_number("temperature", temperature, low=0, low_open=True)
    pad = vocab.index["\n"]
    ids = [pad] * context + list(vocab.encode(prompt))
    for _ in range(check_int("n_chars", n_chars, low=0)):
        logits = model.forward(np.array([ids[-context:]]), training=False)[0]
        p = np.exp(log_softmax(logits.astype(np.float64) / temperature))
        ids.append(int(rng.choice(len(p), p=p / p.sum())))
    return vocab.decode(ids[context:])


# ----------------------------------------------------------------------------------------------
# Widgets of notebook 13 (each returns the UI, its controls and a dict holding the last numbers
# it showed). Figures are drawn off-screen into a W.Image (hp.widgets.figure_png), so a cell that
# drives a widget from code has no output of its own.
# ----------------------------------------------------------------------------------------------

def compute_calculator():
    """Days and memory to train a chosen model on N accelerators at a chosen utilisation.

    N is the model's parameter count from Table D.1 (PAPER_COMPUTE), as in the compute table."""
    import ipywidgets as W

    from . import widgets as hw

    names = [m["name"] for m in MODELS]
    ctl = {
        "name": hw.dropdown("model", names, value="GPT-3 175B"),
        "accelerator": hw.dropdown("accelerator", list(ACCELERATORS),
                                   value="A100 (bf16, 312 TFLOP/s)"),
        "n": hw.int_slider("accelerators", value=1024, min=8, max=16384, step=8),
        "utilization": hw.float_slider("utilisation (MFU)", value=0.4, min=0.05, max=0.8,
                                       step=0.05),
        "tokens_b": hw.float_slider("tokens (B)", value=300.0, min=10.0, max=4000.0, step=10.0,
                                    readout_format=".0f"),
        "precision": hw.dropdown("precision", list(PRECISIONS)),
    }
    out = W.HTML()
    state = {}

    def update(name, accelerator, n, utilization, tokens_b, precision):
        n_params = PAPER_COMPUTE[model(name)["name"]]["params_m"] * 1e6
        flops = train_flops(n_params, tokens_b * 1e9)
        days = training_days(flops, n, ACCELERATORS[accelerator], utilization)
        mem = sum(training_memory(n_params, precision).values())
        state.update(n_params=n_params, flops=flops, pf_days=pf_days(flops), days=days,
                     memory_gb=mem / 1e9, min_80gb=math.ceil(mem / 80e9))
        out.value = (f"<b>{name}</b>: C = 6·N·D = {flops:.3g} FLOPs = {pf_days(flops):,.0f} "
                     f"PF-days → <b>{days:,.1f} days</b> on {n:,} × {accelerator.split(' (')[0]} "
                     f"at {utilization:.0%}.<br>Weights + gradients + Adam state ({precision}): "
                     f"{mem / 1e9:,.0f} GB, at least {math.ceil(mem / 80e9):,} accelerators of "
                     f"80 GB before a single activation is stored.")

    status = W.HTML()
    hw.live(update, ctl, status=status)
    return W.VBox([hw.controls(*ctl.values(), columns=3), out, status]), ctl, state


def schedule_explorer():
    """The learning rate and the batch size against tokens seen, for a chosen model and ramp."""
    import ipywidgets as W
    import matplotlib.pyplot as plt

    from . import widgets as hw

    names = [m["name"] for m in MODELS]
    ctl = {"name": hw.dropdown("model", names, value="GPT-3 175B"),
           "ramp_b": hw.float_slider("batch ramp (B tokens)", value=12.0, min=0.0, max=12.0,
                                     step=1.0, readout_format=".0f")}
    image, text, status = W.Image(format="png", layout=W.Layout(max_width="900px")), W.HTML(), \
        W.HTML()
    state = {"image": image}

    def update(name, ramp_b):
        row = model(name)
        t = np.concatenate([np.linspace(0, 20e9, 401), np.linspace(20.5e9, TRAIN_TOKENS, 400)])
        lr = learning_rate(t, row["lr"])
        batch = batch_size_tokens(t, row["batch_tokens"], ramp_b * 1e9)
        steps = count_iterations(TRAIN_TOKENS, row["batch_tokens"], ramp_b * 1e9)
        plain = count_iterations(TRAIN_TOKENS, row["batch_tokens"])
        state.update(steps=steps, steps_no_ramp=plain, lr=lr, batch=batch, tokens=t)
        with plt.ioff():
            fig, (a1, a2) = plt.subplots(1, 2, figsize=(9, 3))
            a1.plot(t / 1e9, lr)
            a1.set(xlabel="tokens seen (B)", ylabel="learning rate", title=f"{name}: lr")
            head = t <= 20e9
            a2.plot(t[head] / 1e9, batch[head] / 1e6, color="C1")
            a2.set(xlabel="tokens seen (B), first 20B", ylabel="batch (M tokens)",
                   title="batch size", ylim=(0, None))
            fig.tight_layout()
            image.value = hw.figure_png(fig)
        text.value = (f"{steps:,} optimizer steps with the ramp, {plain:,} without: the ramp adds "
                      f"{steps - plain:,} steps ({(steps - plain) / plain:.1%}).")

    hw.live(update, ctl, status=status)
    return W.VBox([hw.controls(*ctl.values(), columns=2), text, image, status]), ctl, state


def toy_trainer(data, vocab, *, context, total_tokens=40_000, batch_size=64):
    """Train the toy character model with a chosen recipe and peak lr; plot and sample.

    data: (X_train, y_train, X_val, y_val)."""
    import html

    import ipywidgets as W
    import matplotlib.pyplot as plt

    from . import widgets as hw

    X, y, X_val, y_val = data
    ctl = {"recipe": hw.dropdown("recipe", ["GPT-3", "plain"]),
           "peak_lr": hw.log_slider("peak lr", value=1e-2, min_exp=-3.5, max_exp=-0.5)}
    image = W.Image(format="png", layout=W.Layout(max_width="640px"))
    text, status = W.HTML(), W.HTML()
    state = {"image": image}

    def update(recipe, peak_lr):
        rec = GPT3 if recipe == "GPT-3" else PLAIN
        net = make_char_lm(len(vocab), context=context)
        h = train_lm(net, X, y, total_tokens=total_tokens, batch_size=batch_size,
                     peak_lr=peak_lr, recipe=rec, X_val=X_val, y_val=y_val, n_evals=10)
        sample = generate(net, vocab, "The ", 120, context=context, seed=0)
        state.update(history=h, sample=sample)
        with plt.ioff():
            fig, ax = plt.subplots(figsize=(6, 2.6))
            ax.plot(h["tokens"] / 1e3, h["loss"], alpha=0.4, label="train (per step)")
            ax.plot(h["eval_tokens"] / 1e3, h["val_loss"], "o-", label="validation")
            ax.set(xlabel="tokens seen (thousands)", ylabel="cross-entropy (nats)", ylim=(0, 3.6),
                   title=f"{recipe}, peak lr {peak_lr:.3g}: final val "
                         f"{h['val_loss'][-1] if len(h['val_loss']) else math.nan:.3g}"
                         f"{' (diverged)' if h['diverged'] else ''}")
            ax.legend()
            fig.tight_layout()
            image.value = hw.figure_png(fig)
        text.value = f"<pre>{html.escape(sample)}</pre>"

    hw.live(update, ctl, status=status)
    return W.VBox([hw.controls(*ctl.values(), columns=2), image, text, status]), ctl, state
