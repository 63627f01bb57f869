"""Checks for the exercises of notebook 13 (GPT-3 at scale)."""

import math
from functools import partial

from . import NUMBER, check, close, report

_PEAK_175B = 0.6e-4


@check(NUMBER, missing="the number of iterations (a number)")
def check_1(answer):
    """Optimizer steps for GPT-3 175B over 300B tokens at its full batch of 3.2M tokens."""
    expected = 300e9 / 3.2e6  # 93,750
    hint = "iterations = training tokens / batch size in tokens = 300e9 / 3.2e6."
    if close(answer, 300e9 / (3.2e6 / 2048)):
        hint = "3.2M is already in tokens: do not convert it to sequences first."
    elif close(answer, 300e9 / 3.2e9) or close(answer, 300e6 / 3.2e6):
        hint = "check the powers of ten: B is 1e9, M is 1e6."
    elif close(answer, 300e9 / 3.2e6 / 2048):
        hint = "the batch (3.2M) and the budget (300B) are both in tokens: no division by 2048."
    return report(close(answer, expected), success=f"{expected:,.0f} steps, with no batch ramp.",
                  hint=hint)


@check(NUMBER, missing="the parameter count (a number)")
def check_2(answer):
    """Parameters of GPT-3 Medium (24 layers, d_model 1024) from the architecture.

    The count is an exact integer, so the answer must match to 1e-6 (a few hundred
    parameters): leaving out the biases and LayerNorms (0.09 %) is a mistake, not rounding."""
    L, d, V, n_ctx = 24, 1024, 50257, 2048
    expected = 12 * L * d * d + 13 * L * d + (V + n_ctx) * d + 2 * d
    exact = partial(close, rtol=1e-6)
    hint = ("per layer 12 d^2 + 13 d (attention 4 d^2, MLP 8 d^2, biases and LayerNorms), "
            "then the embeddings (V + n_ctx) d and a final LayerNorm 2 d.")
    if exact(answer, expected - 13 * L * d - 2 * d):
        hint = ("you left out every bias and LayerNorm: add 13 d per layer (biases 9 d, two "
                "LayerNorms 4 d) and 2 d for the final LayerNorm.")
    elif exact(answer, expected - 13 * L * d):
        hint = ("add the biases and the two LayerNorms of each layer: 13 d per layer "
                "(9 d of biases, 2 x 2 d of LayerNorm gains and shifts).")
    elif exact(answer, expected - 2 * d):
        hint = "add the final LayerNorm after the last block: 2 d."
    elif exact(answer, expected - n_ctx * d):
        hint = "add the position embeddings: n_ctx d = 2048 d."
    elif close(answer, 12 * L * d * d, rtol=0.01):
        hint = "that is the blocks only: add the token and position embeddings, (V + n_ctx) d."
    elif close(answer, 4 * L * d * d + V * d, rtol=0.02):
        hint = "the MLP (d -> 4d -> d) holds 8 d^2 per layer, twice the attention's 4 d^2."
    elif close(answer, expected + V * d, rtol=0.005):
        hint = "GPT-3 ties the output layer to the token embedding: count V d only once."
    elif close(answer, expected, rtol=0.005):
        hint = ("close, but the count is an exact integer: compute it from the formula of "
                "section 1 rather than rounding.")
    return report(exact(answer, expected),
                  success=f"{expected / 1e6:.1f}M parameters (the table rounds it to 350M).",
                  hint=hint)


@check(NUMBER, missing="the number of parameters N (a number)")
def check_3(answer):
    """Chinchilla-optimal parameters for GPT-3's budget of 3.14e23 FLOPs at 20 tokens/param."""
    c = 3.14e23
    expected = math.sqrt(c / (6 * 20))
    hint = "C = 6 N D and D = 20 N give C = 120 N^2, so N = sqrt(C / 120)."
    if close(answer, 20 * expected, rtol=0.02):
        hint = "that is D, the tokens; the question asks for N = D / 20."
    elif close(answer, math.sqrt(c / 20), rtol=0.02):
        hint = "you forgot the 6 in C = 6 N D."
    elif close(answer, c / (6 * 300e9), rtol=0.02):
        hint = "that keeps GPT-3's 300B tokens; let D = 20 N instead."
    return report(close(answer, expected, rtol=0.02),
                  success=f"N = {expected / 1e9:.0f}B parameters trained on "
                          f"{20 * expected / 1e12:.2f}T tokens: a third of GPT-3's size, "
                          "three times its data.", hint=hint)


@check(NUMBER, missing="a learning rate (a number)")
def check_4(answer):
    """The learning rate of GPT-3 175B after 130B tokens (halfway through the cosine)."""
    warm, end, floor = 375e6, 260e9, 0.1
    progress = (130e9 - warm) / (end - warm)
    expected = _PEAK_175B * (floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * progress)))
    hint = "lr = peak (0.1 + 0.9 (1 + cos(pi p)) / 2), p = (130e9 - 375e6) / (260e9 - 375e6)."
    if close(answer, _PEAK_175B * 0.5 * (1 + math.cos(math.pi * progress)), rtol=0.02):
        hint = "the cosine ends at 10 % of the peak, not at 0: add the floor."
    elif close(answer, 6e-4 * expected / _PEAK_175B, rtol=0.02):
        hint = "175B's peak is 0.6e-4 (6e-5), not 6e-4 (that is GPT-3 Small's)."
    return report(close(answer, expected, rtol=0.01),
                  success=f"{expected:.3g}: just over half the peak, as the cosine's midpoint.",
                  hint=hint)
