"""GPT-3's training recipe at toy scale: the Recipe, its training loop and sampling
(notebooks 13 and 14).
"""

import dataclasses
import math

import numpy as np

from ..losses import CrossEntropyLoss, log_softmax
from ..optimizers import AdamW, clip_grad_norm_, grad_norm
from ..validation import check_int, check_number, check_rng
from .paper import (ADAM, CLIP_NORM, DECAY_TOKENS, LR_FLOOR, RAMP_TOKENS_RANGE, TRAIN_TOKENS,
                    WEIGHT_DECAY, batch_size_tokens, learning_rate)


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
             n_evals=20, eval_tokens=None, seed=0):
    """Train a next-token model with `recipe` on (X, y) for `total_tokens` tokens.

    An example is a window and its next id (y: (N,), the MLP of notebook 13: one token per
    example) or a sequence and its shifted copy (y: (N, T), a GPT: T tokens per example).
    batch_size and the recipe's start_batch count examples; budgets and ramps count tokens.
    Each step: batch b = the recipe's ramp at the tokens seen so far (full batch_size without a
    ramp), lr = the recipe's schedule at the tokens seen after this step, forward, loss,
    backward, (clip), AdamW step. Batches are drawn without replacement, reshuffled per epoch.
    A model with an `optimizer_groups(weight_decay)` method (GPT) chooses its own parameter
    groups (decay on the matrices only, µP's learning-rate scales); any other model's
    parameters all get the recipe's weight decay.
    The validation loss is taken n_evals times, evenly spaced, or after the steps that first
    reach each count in eval_tokens (a learning curve on a log scale, say).
    Returns a dict of arrays: per step "tokens", "loss", "lr", "batch" (examples), "grad_norm";
    per evaluation "eval_tokens", "val_loss"; and "steps", "diverged".
    """
    if not isinstance(recipe, Recipe):
        raise ValueError(f"recipe must be a Recipe such as gpt3.GPT3 or gpt3.PLAIN, got {recipe!r}")
    total_tokens = check_int("total_tokens", total_tokens, low=1)
    batch_size = check_int("batch_size", batch_size, low=1)
    check_number("peak_lr", peak_lr, low=0, low_open=True)
    n_evals = check_int("n_evals", n_evals, low=1)
    rng = check_rng(seed)
    loss_fn = CrossEntropyLoss()
    groups = model.optimizer_groups(recipe.weight_decay) if hasattr(model, "optimizer_groups") \
        else model.parameters()
    opt = AdamW(groups, lr=peak_lr, beta1=ADAM["beta1"], beta2=recipe.beta2, eps=ADAM["eps"],
                weight_decay=recipe.weight_decay)
    params = opt.params
    per_example = int(np.prod(np.shape(y)[1:]))  # tokens each example predicts: 1, or T
    batches, tokens, lrs = _schedule(recipe, total_tokens, batch_size, per_example, peak_lr)
    if eval_tokens is None:
        eval_at = set(np.linspace(0, total_tokens, n_evals + 1).astype(int)[1:].tolist())
    else:
        eval_at = {math.ceil(check_number("eval_tokens", float(t), low=1, high=total_tokens))
                   for t in np.asarray(eval_tokens, dtype=np.float64).ravel()}
    log = {k: [] for k in ("tokens", "loss", "lr", "batch", "grad_norm", "eval_tokens",
                           "val_loss")}
    order, cursor, diverged = rng.permutation(len(X)), 0, False
    next_eval = sorted(eval_at)
    with np.errstate(over="ignore", invalid="ignore"):
        for b, seen, lr in zip(batches, tokens, lrs):
            if cursor + b > len(order):
                order, cursor = rng.permutation(len(X)), 0
            idx = order[cursor:cursor + b]
            cursor += b
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


def _schedule(recipe, total_tokens, batch_size, per_example, peak_lr):
    """The batch (examples), the tokens seen after it and the lr of every step of train_lm.

    They depend on token counts only, never on the model, so they are computed before training
    (the learning rates in one vectorised call instead of one call per step)."""
    warmup = recipe.warmup_frac * total_tokens
    ramp = recipe.ramp_frac * total_tokens
    batches, tokens, seen = [], [], 0
    while seen < total_tokens:
        b = batch_size  # the full batch, once the ramp is over (or without one)
        if seen < ramp:
            b = round(batch_size_tokens(seen, batch_size * per_example, ramp,
                                        start_tokens=recipe.start_batch * per_example)
                      / per_example)
        b = max(1, min(b, math.ceil((total_tokens - seen) / per_example)))
        seen += b * per_example
        batches.append(b)
        tokens.append(seen)
    after = np.array(tokens)  # the lr of a step is the schedule's at the tokens seen after it
    if recipe.decay_frac is not None:
        lrs = learning_rate(after, peak_lr, warmup_tokens=warmup,
                            decay_tokens=max(recipe.decay_frac * total_tokens, warmup + 1),
                            floor=recipe.floor)
    elif warmup > 0:
        lrs = peak_lr * np.minimum(after / warmup, 1.0)
    else:
        lrs = np.full(len(after), peak_lr)
    return batches, tokens, lrs.tolist()


def generate(model, vocab, prompt, n_chars, *, context, temperature=1.0, seed=0):
    """Sample n_chars characters after `prompt`, one at a time (left-padded with newlines).

    The model sees the last `context` ids; a sequence model (a GPT, context = its n_ctx)
    predicts every position, and the last one is the next character."""
    rng = check_rng(seed)
    temperature = check_number("temperature", temperature, low=0, low_open=True)
    pad = vocab.index["\n"]
    ids = [pad] * context + list(vocab.encode(prompt))
    for _ in range(check_int("n_chars", n_chars, low=0)):
        logits = model.forward(np.array([ids[-context:]]), training=False)[0]
        if logits.ndim == 2:  # (context, vocab): a sequence model's prediction at every position
            logits = logits[-1]
        p = np.exp(log_softmax(logits.astype(np.float64) / temperature))
        ids.append(int(rng.choice(len(p), p=p / p.sum())))
    return vocab.decode(ids[context:])
