"""GPT-3's hyperparameters as data and formulas, and its recipe tried at toy scale (notebook 13).

Source: T. Brown et al. (2020), "Language Models are Few-Shot Learners", arXiv:2005.14165:
Table 2.1 (sizes, architectures, batch sizes, learning rates), Appendix B (the training
recipe) and Table D.1 (training compute). Everything at GPT-3 scale here is arithmetic on
those printed numbers; the toy part trains a character-level language model with `helpers`.
GPT-3's model is GPT-2's "including the modified initialization" (section 2.1), with one
difference: its layers alternate dense and locally banded sparse attention. The pattern has no
weights (param_count is the same for every layer), but it cuts the attention's FLOPs over the
context in the banded layers (see train_flops).

    MODELS                    the eight rows of Table 2.1, as printed
    param_count               parameters of a GPT-2/3 decoder from its shape
    train_flops, pf_days      C = 6 N D, and C in petaflop/s-days
    learning_rate             linear warmup, cosine to 10 % of the peak, then constant
    batch_size_tokens         the linear batch-size ramp from 32k tokens
    count_iterations          optimizer steps for a token budget, with or without the ramp
    training_memory           bytes for weights, gradients and Adam state
    chinchilla_optimal        compute-optimal N and D at ~20 tokens per parameter
    CharVocab, load_corpus    the toy corpus (helpers/data/grammar_corpus.txt) as indices
    make_windows, make_sequences   examples for the MLP (a window) and for a GPT (a sequence)
    Recipe, train_lm          the toy training loop with warmup, cosine, ramp and clipping
    generate                  text sampled from the toy model with a seeded rng
    compute_calculator, schedule_explorer, toy_trainer, learning_curve_png   the widgets

A subpackage, one module per responsibility: paper (the table and the calculators), corpus
(the toy text and its examples), recipe (Recipe, train_lm, generate) and view (the widgets);
every name is importable from helpers.gpt3 as before.
"""

from .corpus import (CORPUS_FILE, CharVocab, generate_corpus, load_corpus, make_char_lm,
                     make_sequences, make_windows)
from .paper import (ACCELERATORS, ADAM, CLIP_NORM, DECAY_TOKENS, LR_FLOOR, MODELS, N_CTX,
                    PAPER_COMPUTE, PF_DAY, PRECISIONS, RAMP_TOKENS_RANGE, START_BATCH_TOKENS,
                    TRAIN_TOKENS, VOCAB_SIZE, WARMUP_TOKENS, WEIGHT_DECAY, batch_size_tokens,
                    chinchilla_optimal, count_iterations, learning_rate, model, param_breakdown,
                    param_count, pf_days, ramp_iterations_approx, train_flops, training_days,
                    training_memory)
from .recipe import GPT3, PLAIN, Recipe, generate, train_lm
from .view import compute_calculator, learning_curve_png, schedule_explorer, toy_trainer

__all__ = ["ACCELERATORS", "ADAM", "CLIP_NORM", "CORPUS_FILE", "DECAY_TOKENS", "GPT3", "LR_FLOOR",
           "MODELS", "N_CTX", "PAPER_COMPUTE", "PF_DAY", "PLAIN", "PRECISIONS",
           "RAMP_TOKENS_RANGE", "START_BATCH_TOKENS", "TRAIN_TOKENS", "VOCAB_SIZE",
           "WARMUP_TOKENS", "WEIGHT_DECAY", "CharVocab", "Recipe", "batch_size_tokens",
           "chinchilla_optimal", "compute_calculator", "count_iterations", "generate",
           "generate_corpus", "learning_curve_png", "learning_rate", "load_corpus",
           "make_char_lm", "make_sequences", "make_windows", "model", "param_breakdown",
           "param_count", "pf_days", "ramp_iterations_approx", "schedule_explorer", "toy_trainer",
           "train_flops", "train_lm", "training_days", "training_memory"]
