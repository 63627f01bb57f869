"""Tested settings of the Playground, each with the sentence that says why it works or fails,
and `check_preset`, which runs one headless to check its claim."""

from ..validation import check_choice
from .config import validate_config
from .engine import Trainer

#: name -> config overrides, the sentence that explains the outcome, the epochs the claim is
#: about and the claim itself (checked in tests/test_playground.py and in notebook 15)
PRESETS = {}


def _preset(name, config, why, *, epochs, good, test_loss=None, diverges=False):
    PRESETS[name] = {"config": validate_config(config), "why": why, "epochs": epochs,
                     "good": good, "test_loss": test_loss, "diverges": diverges}


_SIN = ["x1", "x2", "sin_x1", "sin_x2"]
# 400 points at Train 10 %: the 40 training points the sentences below speak of
_GAUSS_SMALL = {"dataset": "gauss", "noise": 0.5, "train_ratio": 0.1, "n_samples": 400,
                "hidden": [8] * 6, "activation": "relu", "optimizer": "adam", "lr": 0.01}
_PLANE = {"problem": "regression", "dataset": "reg-plane", "loss": "mse", "hidden": [4],
          "activation": "relu", "lr": 0.3}
# good: the test loss after `epochs` is below test_loss (the best epoch's, with early stopping)
_preset("good · circle: x₁², x₂² and no hidden layer",
        {"features": ["x1^2", "x2^2"], "hidden": []},
        "the circle's boundary x₁² + x₂² = r² is a straight line in the features x₁², x₂², so "
        "a model with no hidden layer (logistic regression) separates it.",
        epochs=100, good=True, test_loss=0.1)
_preset("good · xor: the single feature x₁x₂",
        {"dataset": "xor", "features": ["x1*x2"], "hidden": []},
        "xor's label is the sign of x₁x₂; given that product, one weight does what a hidden "
        "layer would otherwise have to learn.",
        epochs=50, good=True, test_loss=0.05)
_preset("good · spiral: Adam, 4×8 tanh, sin features",
        {"dataset": "spiral", "features": _SIN, "hidden": [8] * 4, "optimizer": "adam",
         "lr": 0.01},
        "sin x₁ and sin x₂ bring the periodic patterns the spiral's arms follow, and Adam's "
        "per-weight step sizes train a deep tanh net in a few dozen epochs.",
        epochs=50, good=True, test_loss=0.15)
_preset("good · 3-arm spiral, three classes: softmax, 2×8 tanh, sin features",
        {"problem": "multiclass", "dataset": "spiral-3", "loss": "cross_entropy",
         "features": _SIN, "hidden": [8] * 2, "optimizer": "adam", "lr": 0.01},
        "one output per class and a softmax turn the scores into three probabilities; the "
        "sine features follow the arms, as they do for the two-class spiral.",
        epochs=100, good=True, test_loss=0.4)
_preset("good · reg-gauss: a 3×8 tanh net with Adam",
        {"problem": "regression", "dataset": "reg-gauss", "loss": "mse", "hidden": [8] * 3,
         "optimizer": "adam", "lr": 0.01},
        "six bumps need a few dozen bends in the surface: 3 layers of 8 tanh units have enough, "
        "and Adam finds them quickly.",
        epochs=100, good=True, test_loss=0.03)
_preset("good · noisy gauss, little data: L2 keeps it honest",
        {**_GAUSS_SMALL, "regularization": "L2", "reg_rate": 0.03},
        "with 40 noisy training points a 6×8 net can memorise the noise; the L2 penalty keeps "
        "the weights small, so the boundary stays smooth and the test loss stays low.",
        epochs=150, good=True, test_loss=0.3)
_preset("good · noisy gauss, little data: early stopping",
        {**_GAUSS_SMALL, "early_stopping": True, "patience": 20},
        "the test loss falls, then rises as the net starts to fit the noise; early stopping "
        "ends the run 20 epochs after the best epoch and restores that epoch's weights.",
        epochs=150, good=True, test_loss=0.3)
_preset("good · lr 0.3 on reg-plane, clipped",
        {**_PLANE, "clip_norm": 1.0},
        "clipping the gradient's norm to 1 caps the length of every step, so the learning rate "
        "that diverges without it (next preset) now converges.",
        epochs=50, good=True, test_loss=0.01)
# bad: the test loss stays above test_loss, or the run diverges
_preset("bad · lr 0.3 on reg-plane: diverges",
        _PLANE,
        "on a squared loss the gradient grows with the error: a step that overshoots the "
        "minimum makes the error larger, the next step larger still, and the loss reaches "
        "infinity within an epoch.",
        epochs=50, good=False, diverges=True)
_preset("bad · spiral with no hidden layer",
        {"dataset": "spiral", "hidden": []},
        "with no hidden layer the boundary is one straight line; no line separates two "
        "interleaved spirals, so the loss stays near log 2 ≈ 0.69.",
        epochs=50, good=False, test_loss=0.6)
_preset("bad · zero initialization",
        {"hidden": [8, 8], "activation": "relu", "init": "zeros", "lr": 0.1},
        "with every weight 0 the hidden units all compute 0 and get the same (zero) gradient: "
        "the symmetry never breaks and the net stays a constant, loss log 2.",
        epochs=100, good=False, test_loss=0.65)
_preset("bad · six sigmoid layers with SGD",
        {"hidden": [8] * 6, "activation": "sigmoid"},
        "each sigmoid multiplies the backward signal by at most 1/4, so the first layers of six "
        "barely move (vanishing gradients) and the loss sits at log 2.",
        epochs=100, good=False, test_loss=0.65)
_preset("bad · noisy gauss, little data, 6×8 ReLU net: overfits",
        _GAUSS_SMALL,
        "40 noisy training points and ~350 weights: the train loss keeps falling while the "
        "test loss climbs far above its best, the signature of overfitting.",
        epochs=150, good=False, test_loss=0.5)


def check_preset(name):
    """Run a preset headless for its epochs; return (claim holds, measured number, trainer).

    The measured number is the best test loss for early stopping, else the final test loss
    (nan when the run diverged)."""
    p = PRESETS[check_choice("preset", name, tuple(PRESETS))]
    t = Trainer(p["config"]).train(p["epochs"])
    h = t.history
    if p["diverges"]:
        return h.diverged, h.final("val_loss"), t
    value = (min(h.history["val_loss"]) if p["config"]["early_stopping"]
             else h.final("val_loss"))
    ok = not h.diverged and (value < p["test_loss"] if p["good"] else value > p["test_loss"])
    return ok, value, t
