"""Sanity checks before training: each one a number that tells a working set-up from a broken
one (introduced in notebook 11; the list follows Karpathy's "A Recipe for Training Neural
Networks", 2019, and cs231n's "Neural Networks Part 3").

    expected_initial_loss   what the loss should be before training (ln C, ln 2, mean y^2)
    check_initial_loss      the untrained model's loss against it
    overfit_one_batch       can the model drive one small batch's loss to about zero?
    input_independent_baseline   does the model beat a copy trained on all-zero inputs?
    label_shuffle_check     on random labels, validation accuracy must stay at chance
    check_eval_mode         does evaluation mode give the same output twice?

The checks that train work on copies (the model you pass is never changed) and use Adam,
the optimizer least likely to hide a bug behind a badly tuned step.
"""

import copy
import math

import numpy as np

from .layers import Module
from .losses import CrossEntropyLoss, Loss
from .optimizers import Adam
from .training import _as_input, evaluate, fit, predict, train_step
from .validation import check_int, check_number, check_positive, check_rng


def _check_pieces(model, loss, X, y):
    if not isinstance(model, Module):
        raise ValueError(f"model must be a network such as hp.make_mlp([...]), got {model!r}")
    if not isinstance(loss, Loss):
        raise ValueError(f"loss must be a loss such as hp.CrossEntropyLoss(), got {loss!r}")
    X, y = _as_input(model, X), np.asarray(y)
    if len(X) == 0 or len(X) != len(y):
        raise ValueError(f"X and y must hold the same number of rows (at least 1), got "
                         f"{len(X)} and {len(y)}")
    return X, y


def expected_initial_loss(loss, y, *, n_outputs):
    """The loss of a network whose outputs are all zero, which is about what a well
    initialized network outputs before training:

        CrossEntropyLoss, C outputs:  ln C          (every class gets probability 1/C)
        BCEWithLogitsLoss:            ln 2
        MSELoss:                      mean(y^2)     (1, the variance, for standardized targets)
        L1Loss / HuberLoss:           mean|y| / mean huber(y)
    y: the targets; n_outputs: the network's number of outputs.
    """
    if not isinstance(loss, Loss):
        raise ValueError(f"loss must be a loss such as hp.CrossEntropyLoss(), got {loss!r}")
    n_outputs = check_int("n_outputs", n_outputs, low=1)
    y = np.asarray(y)
    if y.size == 0:
        raise ValueError("y is empty")
    if isinstance(loss, CrossEntropyLoss):  # labels (N,) -> logits (N, C)
        zeros = np.zeros((*y.shape, n_outputs))
    elif y.size % n_outputs:
        raise ValueError(f"y holds {y.size} values, which do not fill rows of {n_outputs} "
                         "outputs")
    else:
        zeros = np.zeros((y.size // n_outputs, n_outputs))
    return float(loss.forward(zeros, y))


def check_initial_loss(model, loss, X, y):
    """The untrained model's loss on (X, y), in evaluation mode, against
    expected_initial_loss. Returns {"measured", "expected", "ratio"}: a ratio far above 1
    means the network starts out confidently wrong (inputs not standardized, weights too
    large, a last layer that should be scaled down)."""
    X, y = _check_pieces(model, loss, X, y)
    out = predict(model, X)
    measured = float(loss.forward(out, y))
    expected = expected_initial_loss(loss, y, n_outputs=out.shape[-1])
    return {"measured": measured, "expected": expected,
            "ratio": measured / expected if expected > 0 else math.inf}


def overfit_one_batch(model, loss, X, y, *, steps=200, lr=0.01, tol=0.01):
    """Train a copy of `model` on the one small batch (X, y) (say 8 to 32 examples),
    full-batch Adam(lr) for `steps` updates.

    A working model, loss and gradient drive the loss to about zero; if they cannot, the
    model, the loss or its gradient is broken (or the model is far too small).
    Returns {"losses" (one per update, training mode), "initial", "final" (after the last
    update, evaluation mode), "passed": final <= tol * initial, and for classifiers
    "accuracy" on the batch (passing also needs 1.0)}.
    """
    X, y = _check_pieces(model, loss, X, y)
    steps = check_int("steps", steps, low=1)
    lr = check_positive("lr", lr)
    tol = check_number("tol", tol, low=0, high=1, low_open=True)
    net = copy.deepcopy(model)
    opt = Adam(net.parameters(), lr=lr)
    losses = []
    with np.errstate(all="ignore"):
        for _ in range(steps):
            value, _ = train_step(net, loss, opt, X, y)
            losses.append(float(value))
            if not math.isfinite(value):
                break
        after = evaluate(net, loss, X, y)  # evaluation mode: dropout off
    final = float(after["loss"])
    result = {"losses": losses, "initial": losses[0], "final": final,
              "passed": bool(math.isfinite(final) and final <= tol * losses[0])}
    if loss.classification:
        result["accuracy"] = float(after["accuracy"])
        result["passed"] = result["passed"] and result["accuracy"] == 1.0
    return result


def _train_copy(model, loss, X, y, X_val, y_val, *, epochs, lr, batch_size, seed):
    net = copy.deepcopy(model)
    history = fit(net, loss, Adam(net.parameters(), lr=lr), X, y, epochs=epochs,
                  batch_size=batch_size, validation_data=(X_val, y_val), seed=seed,
                  progress=False, verbose=False)
    return history


def _validation(model, loss, validation_data):
    if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
        raise ValueError("validation_data must be a pair (X_val, y_val)")
    return _check_pieces(model, loss, *validation_data)


def input_independent_baseline(model, loss, X, y, *, validation_data, epochs=20, lr=1e-3,
                               batch_size=32, seed=0):
    """Train one copy of `model` on X and another on all-zero inputs (same labels, same
    settings), and compare their validation losses (the second is evaluated on zeros too).

    The zero-input copy can only learn the label frequencies; a model that learns from its
    inputs must do clearly better. No gain means the inputs carry nothing the model can use:
    labels not aligned with their inputs, inputs zeroed or scrambled on the way in.
    Returns {"real", "zeroed" (validation losses), "gain": zeroed - real}.
    """
    X, y = _check_pieces(model, loss, X, y)
    X_val, y_val = _validation(model, loss, validation_data)
    kw = dict(epochs=check_int("epochs", epochs, low=1), lr=check_positive("lr", lr),
              batch_size=check_int("batch_size", batch_size, low=1), seed=seed)
    real = _train_copy(model, loss, X, y, X_val, y_val, **kw)
    zeroed = _train_copy(model, loss, np.zeros_like(X), y, np.zeros_like(X_val), y_val, **kw)
    r, z = real.final("val_loss"), zeroed.final("val_loss")
    return {"real": float(r), "zeroed": float(z), "gain": float(z - r)}


def label_shuffle_check(model, loss, X, y, *, validation_data, epochs=50, lr=1e-3,
                        batch_size=32, seed=0):
    """Give every distinct input a random label (the labels permuted over the distinct inputs,
    in training and validation alike), train a copy of `model` on them and measure it on the
    validation data (classification).

    A big enough model may memorize random training labels (training accuracy rises), but
    nothing links a new input to a random label, so validation accuracy must stay at chance.
    Above chance, validation examples are training examples: an input that appears in both
    keeps its one random label, so memorizing it shows in validation (a split made after
    copying or augmenting, overlapping index ranges).
    Returns {"train_accuracy", "val_accuracy", "chance"}: chance is the share of the most
    frequent class among the random validation labels.
    """
    X, y = _check_pieces(model, loss, X, y)
    X_val, y_val = _validation(model, loss, validation_data)
    if not loss.classification:
        raise ValueError("label_shuffle_check needs a classification loss (accuracy)")
    both = np.concatenate([X, X_val]).reshape(len(X) + len(X_val), -1)
    _, first, inverse = np.unique(both, axis=0, return_index=True, return_inverse=True)
    labels = np.concatenate([y, y_val])[first]          # one label per distinct input ...
    random = check_rng(seed).permutation(labels)[inverse.reshape(-1)]   # ... shuffled among them
    y_r, y_val_r = random[:len(X)], random[len(X):]
    h = _train_copy(model, loss, X, y_r, X_val, y_val_r,
                    epochs=check_int("epochs", epochs, low=1), lr=check_positive("lr", lr),
                    batch_size=check_int("batch_size", batch_size, low=1), seed=seed)
    _, counts = np.unique(y_val_r, return_counts=True)
    return {"train_accuracy": float(h.final("accuracy")),
            "val_accuracy": float(h.final("val_accuracy")),
            "chance": float(counts.max() / counts.sum())}


def check_eval_mode(model, X):
    """Run X through `model` in evaluation mode twice: the outputs must be identical.
    Returns None when they are, else the index of the first layer of a Sequential whose
    output differed (a layer that ignores training=False: dropout left on at evaluation).
    For a model that is not Sequential, 0 stands for "the model"."""
    if not isinstance(model, Module):
        raise ValueError(f"model must be a network such as hp.make_mlp([...]), got {model!r}")
    X = _as_input(model, X)
    layers = getattr(model, "layers", [model])
    a = b = X
    with np.errstate(all="ignore"):
        for i, layer in enumerate(layers):
            a = layer.forward(a, training=False)
            b = layer.forward(b, training=False)
            if not np.array_equal(a, b, equal_nan=True):
                return i
    return None
