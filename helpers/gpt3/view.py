"""The widgets of notebook 13: compute calculator, schedule explorer, toy trainer."""

import math

import numpy as np

from .corpus import make_char_lm
from .paper import (ACCELERATORS, MODELS, PAPER_COMPUTE, PRECISIONS, TRAIN_TOKENS,
                    batch_size_tokens, count_iterations, learning_rate, model, pf_days,
                    train_flops, training_days, training_memory)
from .recipe import GPT3, PLAIN, generate, train_lm


def compute_calculator():
    """Days and memory to train a chosen model on N accelerators at a chosen utilisation.

    N is the model's parameter count from Table D.1 (PAPER_COMPUTE), as in the compute table."""
    import ipywidgets as W

    from .. import widgets as hw

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

    from .. import widgets as hw

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


def learning_curve_png(history, title, *, ylim):
    """A train_lm history as a PNG: the loss per step and the validation loss, against tokens;
    the title ends with the final validation loss (and says if the run diverged)."""
    import matplotlib.pyplot as plt

    from .. import widgets as hw

    h = history
    final = h["val_loss"][-1] if len(h["val_loss"]) else math.nan
    with plt.ioff():
        fig, ax = plt.subplots(figsize=(6, 2.6))
        ax.plot(h["tokens"] / 1e3, h["loss"], alpha=0.4, label="train (per step)")
        ax.plot(h["eval_tokens"] / 1e3, h["val_loss"], "o-", label="validation")
        ax.set(xlabel="tokens seen (thousands)", ylabel="cross-entropy (nats)", ylim=ylim,
               title=f"{title}: final val {final:.3g}{' (diverged)' if h['diverged'] else ''}")
        ax.legend()
        fig.tight_layout()
        return hw.figure_png(fig)


def toy_trainer(data, vocab, *, context, total_tokens=40_000, batch_size=64):
    """Train the toy character model with a chosen recipe and peak lr; plot and sample.

    data: (X_train, y_train, X_val, y_val)."""
    import html

    import ipywidgets as W

    from .. import widgets as hw

    X, y, X_val, y_val = data
    ctl = {"recipe": hw.dropdown("recipe", ["GPT-3", "plain"]),
           "peak_lr": hw.log_slider("peak lr", value=1e-2, min_exp=-3.5, max_exp=-0.5)}
    image = W.Image(format="png", layout=W.Layout(max_width="640px"))
    text, status = W.HTML(), W.HTML()
    state = {"image": image}
    # (recipe, peak lr) -> (history, sample, picture) of the latest 32 settings (a few MB):
    # going back to a setting shows it again without retraining
    shown = {}

    def update(recipe, peak_lr):
        if (recipe, peak_lr) not in shown:
            rec = GPT3 if recipe == "GPT-3" else PLAIN
            net = make_char_lm(len(vocab), context=context)
            h = train_lm(net, X, y, total_tokens=total_tokens, batch_size=batch_size,
                         peak_lr=peak_lr, recipe=rec, X_val=X_val, y_val=y_val, n_evals=10)
            sample = generate(net, vocab, "The ", 120, context=context, seed=0)
            png = learning_curve_png(h, f"{recipe}, peak lr {peak_lr:.3g}", ylim=(0, 3.6))
            if len(shown) == 32:
                del shown[next(iter(shown))]  # the oldest
            shown[(recipe, peak_lr)] = h, sample, png
        h, sample, image.value = shown[(recipe, peak_lr)]
        state.update(history=h, sample=sample)
        text.value = f"<pre>{html.escape(sample)}</pre>"

    hw.live(update, ctl, status=status)
    return W.VBox([hw.controls(*ctl.values(), columns=2), image, text, status]), ctl, state
