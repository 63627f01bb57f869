"""Hyperparameter transfer across width (µP) and scaling laws at toy scale (notebook 14).

    mlp            an MLP of a given width in standard parametrization or µP, with its
                   optimizer groups
    train_mlp      Adam on a classification set for a number of steps; the final training loss
    lr_sweep       that final loss for every (seed, width, learning rate)
    best_lr        the optimum of a loss-against-learning-rate curve (a parabola in log lr)
    coord_check    how far a few Adam steps move a GPT's logits, width by width
    gpt_curve      train a GPT and read its validation loss at chosen token counts
    power_law      fit y = a x^(-alpha): a straight line on log-log axes
    isoflop        equal-compute slices C = 6 N D through per-size learning curves; N_opt(C)
    gpt_trainer    the widget: a tiny GPT trained live, its loss curve and a sample

µP for an MLP, Adam (Yang et al. 2022, "Tensor Programs V", Table 3), with m = width /
base_width: input weights and biases as in standard parametrization; hidden weights (width x
width) Adam learning rate / m; output weights init std / sqrt(m) (variance 1/fan_in^2 instead
of 1/fan_in) and Adam learning rate / m. At m = 1 both parametrizations are the same network.
The GPT's µP is in `transformer.GPT`.
"""

import math

import numpy as np

from . import gpt3
from .layers import Linear
from .losses import CrossEntropyLoss
from .mlp import make_mlp
from .optimizers import Adam
from .transformer import GPT, PARAMETRIZATIONS
from .validation import check_choice, check_int, check_number, check_rng

# ---------------------------------------------------------------------------------- µP for an MLP


def mlp(n_inputs, width, n_outputs, *, depth=2, parametrization="sp", base_width=None, seed=0):
    """A ReLU MLP with `depth` hidden layers of `width` units (He init), and its parameter
    groups for an optimizer. parametrization "sp": one group, every parameter at the base lr;
    "mup": Table 3's scaling relative to base_width (see the module docstring).
    Returns (model, groups)."""
    width = check_int("width", width, low=1)
    depth = check_int("depth", depth, low=1)
    check_choice("parametrization", parametrization, PARAMETRIZATIONS)
    model = make_mlp([n_inputs] + [width] * depth + [n_outputs], activation="relu", seed=seed)
    if parametrization == "sp":
        if base_width is not None:
            raise ValueError('base_width is only used with parametrization="mup"')
        return model, model.parameters()
    if base_width is None:
        raise ValueError('parametrization="mup" needs base_width, the width the learning rate '
                         'was tuned at')
    m = width / check_int("base_width", base_width, low=1)
    linears = [layer for layer in model if isinstance(layer, Linear)]
    linears[-1].weight.data /= math.sqrt(m)  # output init variance 1/fan_in^2 (relative to base)
    scaled = [layer.weight for layer in linears[1:]]  # hidden and output weights: lr / m
    ids = {id(p) for p in scaled}
    return model, [{"params": scaled, "lr_scale": 1.0 / m},
                   {"params": [p for p in model.parameters() if id(p) not in ids]}]


def train_mlp(model, groups, X, y, *, lr, steps, batch_size=64, seed=0):
    """Adam (torch's defaults but lr) for `steps` steps on batches drawn with replacement;
    returns the final cross-entropy on all of (X, y), or inf if training diverged."""
    rng = check_rng(seed)
    steps = check_int("steps", steps, low=1)
    batch_size = check_int("batch_size", batch_size, low=1)
    opt = Adam(groups, lr=check_number("lr", lr, low=0, low_open=True))
    loss = CrossEntropyLoss()
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            rows = rng.integers(0, len(X), batch_size)
            if not math.isfinite(loss.forward(model.forward(X[rows]), y[rows])):
                return math.inf
            opt.zero_grad()
            model.backward(loss.backward())
            opt.step()
        final = loss.forward(model.forward(X, training=False), y)
    return final if math.isfinite(final) else math.inf


def lr_sweep(X, y, *, widths, lrs, parametrization, base_width=None, seeds=(0, 1), steps=100,
             batch_size=64, depth=2):
    """Final training loss for every (seed, width, lr): an array of shape
    (len(seeds), len(widths), len(lrs)). The seed sets both the init and the batches."""
    out = np.empty((len(seeds), len(widths), len(lrs)))
    for i, seed in enumerate(seeds):
        for j, width in enumerate(widths):
            for k, lr in enumerate(lrs):
                model, groups = mlp(X.shape[1], width, int(y.max()) + 1, depth=depth,
                                    parametrization=parametrization, base_width=base_width,
                                    seed=seed)
                out[i, j, k] = train_mlp(model, groups, X, y, lr=lr, steps=steps,
                                         batch_size=batch_size, seed=seed)
    return out


def best_lr(lrs, losses):
    """The learning rate that minimises a sweep: the vertex of the parabola through the best
    point and its two neighbours, in log2(lr) (the best lr itself at either end of the grid).
    A diverged run (inf or NaN) counts as worse than any finite one."""
    lrs = np.asarray(lrs, dtype=np.float64)
    losses = np.asarray(losses, dtype=np.float64)
    if lrs.ndim != 1 or lrs.shape != losses.shape or len(lrs) < 3:
        raise ValueError("lrs and losses must be two 1-D arrays of the same length >= 3")
    if np.any(lrs <= 0) or np.any(np.diff(lrs) <= 0):
        raise ValueError("lrs must be positive and increasing")
    if not np.isfinite(losses).any():
        raise ValueError("every run in the sweep diverged: no best learning rate")
    finite = np.where(np.isfinite(losses), losses, np.inf)
    i = int(np.argmin(finite))
    if i in (0, len(lrs) - 1) or not np.isfinite(finite[i - 1:i + 2]).all():
        return float(lrs[i])
    x, z = np.log2(lrs[i - 1:i + 2]), finite[i - 1:i + 2]
    a, b, _ = np.polyfit(x, z, 2)
    return float(2.0 ** (-b / (2 * a))) if a > 0 else float(lrs[i])


# ---------------------------------------------------------------------------------- the GPT


def coord_check(widths, *, parametrization, base_d_model=None, lr=0.01, steps=3, vocab_size=16,
                n_ctx=8, n_layers=2, n_heads=4, batch=8, seed=0):
    """mup's "coordinate check": the mean |change| of a GPT's logits after `steps` Adam steps
    on one random batch, for each width. Under µP it stays about the same as width grows;
    under standard parametrization it grows (with Adam, roughly in proportion to width)."""
    rng = check_rng(seed)
    x, y = rng.integers(0, vocab_size, (2, batch, n_ctx))
    out = []
    for d in widths:
        model = GPT(vocab_size, n_ctx, n_layers, d, n_heads, parametrization=parametrization,
                    base_d_model=base_d_model, seed=seed)
        start = model.forward(x).copy()
        opt = Adam(model.optimizer_groups(0.0), lr=lr)
        loss = CrossEntropyLoss()
        for _ in range(check_int("steps", steps, low=1)):
            loss.forward(model.forward(x), y)
            opt.zero_grad()
            model.backward(loss.backward())
            opt.step()
        out.append(float(np.abs(model.forward(x) - start).mean()))
    return np.array(out)


#: constant learning rate after a short warmup, Adam's beta2 as GPT-3's, no decay: a learning
#: curve read at any point is (nearly) what a shorter run would have reached
CONSTANT = gpt3.Recipe("constant", beta2=gpt3.ADAM["beta2"], warmup_frac=0.02)


def gpt_curve(model, data, *, tokens, batch_size, lr, eval_tokens, recipe=CONSTANT, seed=0):
    """Train `model` (a GPT) on data = (X, Y, X_val, Y_val) for `tokens` tokens and return
    (eval_tokens, validation losses) read after the steps that reach each count."""
    X, Y, X_val, Y_val = data
    h = gpt3.train_lm(model, X, Y, total_tokens=tokens, batch_size=batch_size, peak_lr=lr,
                      recipe=recipe, X_val=X_val, y_val=Y_val, eval_tokens=eval_tokens,
                      seed=seed)
    return h["eval_tokens"], h["val_loss"]


def power_law(x, y):
    """Least-squares fit of log y = log a - alpha log x; returns (a, alpha), y ~ a x^-alpha."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if x.shape != y.shape or x.ndim != 1 or len(x) < 2:
        raise ValueError("x and y must be two 1-D arrays of the same length >= 2")
    if np.any(x <= 0) or np.any(y <= 0) or not np.isfinite(np.r_[x, y]).all():
        raise ValueError("a power law is fitted to positive, finite x and y")
    slope, intercept = np.polyfit(np.log(x), np.log(y), 1)
    return float(np.exp(intercept)), float(-slope)


def isoflop(curves, budgets):
    """Equal-compute slices through learning curves, with C = 6 N D.

    curves: {N: (tokens, losses)}, each an increasing token grid. For each budget C and each
    N whose curve reaches D = C / (6 N), the loss at D (interpolated linearly in log D).
    Returns a list of dicts per budget: "C", "N" and "D" (arrays), "loss", and "N_opt": the
    vertex of the parabola through the best point and its neighbours in log N (None when the
    best size is the smallest or largest available: the optimum is not bracketed)."""
    out = []
    for C in budgets:
        C = check_number("budget", C, low=0, low_open=True)
        rows = []
        for N in sorted(curves):
            tok, loss = (np.asarray(a, dtype=np.float64) for a in curves[N])
            D = C / (6.0 * N)
            if tok[0] <= D <= tok[-1]:
                rows.append((N, D, float(np.interp(np.log(D), np.log(tok), loss))))
        Ns, Ds, Ls = (np.array(col) for col in zip(*rows)) if rows else ([], [], [])
        n_opt = None
        if len(rows) >= 3:
            i = int(np.argmin(Ls))
            if 0 < i < len(rows) - 1:
                a, b, _ = np.polyfit(np.log(Ns[i - 1:i + 2]), Ls[i - 1:i + 2], 2)
                n_opt = float(np.exp(-b / (2 * a))) if a > 0 else float(Ns[i])
        out.append({"C": C, "N": np.asarray(Ns), "D": np.asarray(Ds), "loss": np.asarray(Ls),
                    "N_opt": n_opt})
    return out


# ---------------------------------------------------------------------------------- the widget


def gpt_trainer(data, vocab, *, n_ctx, tokens=65_536, batch_size=32):
    """Train a tiny GPT live: width, depth, heads, peak lr, parametrization and recipe; the
    loss curve and 150 generated characters. data = (X, Y, X_val, Y_val), sequences of n_ctx.
    Returns (ui, controls, state): state holds the last history, sample and settings."""
    import html

    import ipywidgets as W

    from . import widgets as hw

    recipes = {"GPT-3": gpt3.GPT3, "constant lr": CONSTANT, "plain Adam": gpt3.PLAIN}
    ctl = {"d_model": hw.dropdown("width d_model", [8, 16, 32, 48], value=16),
           "n_layers": hw.int_slider("depth (blocks)", value=1, min=1, max=3),
           "n_heads": hw.dropdown("heads", [1, 2, 4], value=2),
           "lr": hw.log_slider("peak lr", value=0.03, min_exp=-3.5, max_exp=-0.5),
           "parametrization": hw.dropdown("parametrization", ["sp", "mup"], value="mup"),
           "recipe": hw.dropdown("recipe", list(recipes), value="constant lr")}
    image = W.Image(format="png", layout=W.Layout(max_width="640px"))
    text, status = W.HTML(), W.HTML()
    state = {"image": image}
    X, Y, X_val, Y_val = data

    def update(d_model, n_layers, n_heads, lr, parametrization, recipe):
        base = 16 if parametrization == "mup" else None
        if d_model % n_heads or (base and base % n_heads):
            raise ValueError(f"{n_heads} heads do not divide the width {d_model}")
        model = GPT(len(vocab), n_ctx, n_layers, d_model, n_heads,
                    parametrization=parametrization, base_d_model=base, seed=0)
        h = gpt3.train_lm(model, X, Y, total_tokens=tokens, batch_size=batch_size, peak_lr=lr,
                          recipe=recipes[recipe], X_val=X_val, y_val=Y_val, n_evals=8)
        sample = gpt3.generate(model, vocab, "The ", 150, context=n_ctx, seed=0) \
            if not h["diverged"] else "(diverged: no sample)"
        state.update(history=h, sample=sample, n_params=sum(p.data.size
                                                            for p in model.parameters()))
        image.value = gpt3.learning_curve_png(
            h, f"d={d_model}, {n_layers} block(s), {parametrization}, lr {lr:.3g}", ylim=(0, 4))
        text.value = f"<pre>{html.escape(sample)}</pre>"

    hw.live(update, ctl, status=status)
    return W.VBox([hw.controls(*ctl.values(), columns=3), image, text, status]), ctl, state
