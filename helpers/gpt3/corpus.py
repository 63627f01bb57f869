"""The toy corpus of notebooks 13 and 14 and the examples cut from it.

Sentences from a small documented grammar (helpers/data/README.md), characters as ids,
windows for the MLP language model (Bengio et al. 2003) and sequences for a GPT.
"""

from importlib import resources

import numpy as np

from ..activations import Tanh
from ..layers import Embedding, Flatten, Linear, Sequential
from ..validation import check_int, check_rng


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


def make_sequences(ids, n_ctx):
    """Next-character examples for a sequence model (a GPT): the text cut into consecutive,
    non-overlapping pieces of n_ctx ids; X[i] = ids[i n_ctx : (i+1) n_ctx], Y[i] = the same
    piece shifted by one. X, Y: (len(ids) // n_ctx - ..., n_ctx) int64, every id used once."""
    n_ctx = check_int("n_ctx", n_ctx, low=1)
    ids = np.asarray(ids)
    n = (len(ids) - 1) // n_ctx
    if n < 1:
        raise ValueError(f"{len(ids)} ids are too few for one sequence of n_ctx = {n_ctx} (plus "
                         "the next id)")
    return ids[:n * n_ctx].reshape(n, n_ctx).copy(), ids[1:n * n_ctx + 1].reshape(n, n_ctx).copy()


def make_char_lm(vocab_size, *, context=12, embed_dim=16, hidden=192, seed=0):
    """Bengio-style (2003) character model: Embedding -> Flatten -> Linear -> Tanh -> Linear."""
    return Sequential(
        Embedding(vocab_size, embed_dim, seed=seed),
        Flatten(),
        Linear(context * embed_dim, hidden, init="xavier_uniform", seed=seed + 1),
        Tanh(),
        Linear(hidden, vocab_size, seed=seed + 2),
    )
