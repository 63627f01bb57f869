"""Runs gone wrong, on purpose, and the quiz that asks what went wrong (notebook 11).

    digits_data          the digits, standardized (training statistics), split 80/20
    BuggyDropout         dropout that ignores training=False (dropout left on at evaluation)
    SignFlippedCrossEntropy   a hand-written loss whose gradient has the wrong sign
    lr_spike             a schedule with a few updates at a much larger rate
    train_monitored      one SGD + momentum run of an MLP with a HealthMonitor attached
    SCENARIOS            a healthy run and runs broken by one hyperparameter each
    evidence             the numbers a diagnosis is read from
    DiagnosisQuiz        "What is wrong with this run?": pick a run, pick a diagnosis
    quiz_truths          which run is which (the answers: read them only to check yourself)
"""

import math
from functools import partial

import ipywidgets as W
import numpy as np
from matplotlib.figure import Figure

from . import widgets as hw
from .data import Standardizer, load_digits, train_val_split
from .initializers import normal
from .losses import CrossEntropyLoss
from .mlp import make_mlp
from .monitors import HealthMonitor, plot_health
from .optimizers import SGD
from .regularization import Dropout
from .training import fit
from .validation import check_choice, check_int


def digits_data(*, seed=0):
    """X_train, X_val, y_train, y_val: the 8x8 digits (64 inputs, 10 classes), 80/20 split,
    each pixel standardized with the training set's mean and std."""
    X, y = load_digits()
    X_train, X_val, y_train, y_val = train_val_split(X, y, val_fraction=0.2, seed=seed)
    scaler = Standardizer().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_val), y_train, y_val


class BuggyDropout(Dropout):
    """A Dropout whose forward forgets the training flag: it drops units in evaluation too.
    The bug of a hand-written layer, or of forgetting model.eval() in PyTorch."""

    def forward(self, x, training=True):
        return super().forward(x, training=True)


class SignFlippedCrossEntropy(CrossEntropyLoss):
    """Cross-entropy with a sign error in its hand-written gradient: onehot - softmax instead
    of softmax - onehot. The loss value is right, so nothing looks wrong until you train."""

    def backward(self):
        return -super().backward()


def lr_spike(t, *, at, steps, factor):
    """A multiplier of the learning rate: `factor` for the updates at, at+1, ..., at+steps-1,
    else 1 (a restart at the wrong rate, a schedule bug)."""
    return float(factor) if at <= t < at + steps else 1.0


def train_monitored(data, *, activation="relu", init=None, hidden=(64, 64, 64), lr=0.01,
                    momentum=0.9, dropout=0.0, buggy_dropout=False, lr_schedule=None,
                    epochs=5, batch_size=32, every=5, monitored=128, histogram_steps=(),
                    seed=0):
    """Train an MLP on `data` (as digits_data) with SGD + momentum and a HealthMonitor on the
    first `monitored` training examples. Returns (model, history, monitor).

    activation, init, hidden, dropout: as make_mlp.  buggy_dropout: replace its Dropout
    layers with BuggyDropout.  lr, momentum: SGD's.  lr_schedule, epochs, batch_size: fit's.
    every, histogram_steps: the monitor's; monitored: the size of its fixed batch.
    """
    X_train, X_val, y_train, y_val = data
    model = make_mlp([X_train.shape[1], *hidden, int(y_train.max()) + 1], activation=activation,
                     init=init, dropout=dropout, seed=seed)
    if buggy_dropout:
        model.layers = [BuggyDropout(layer.p, seed=seed + 1000 + i)
                        if isinstance(layer, Dropout) else layer
                        for i, layer in enumerate(model.layers)]
    monitor = HealthMonitor(X_train[:monitored], every=every, histogram_steps=histogram_steps)
    history = fit(model, CrossEntropyLoss(), SGD(model.parameters(), lr=lr, momentum=momentum),
                  X_train, y_train, epochs=epochs, batch_size=batch_size,
                  validation_data=(X_val, y_val), lr_schedule=lr_schedule, callbacks=[monitor],
                  seed=seed, progress=False, verbose=False)
    return model, history, monitor


#: name -> (train_monitored settings, what is wrong, what fixes it)
SCENARIOS = {
    "healthy": ({}, "nothing is wrong (ReLU, He initialization, lr 0.01)", "none needed"),
    "lr too high": ({"lr": 0.1}, "a learning rate 10 times too large (0.1)",
                    "lower the learning rate (a range test, notebook 07)"),
    "lr too low": ({"lr": 0.001}, "a learning rate 10 times too small (0.001)",
                   "raise the learning rate"),
    "saturating init": ({"activation": "tanh", "init": partial(normal, std=1.0)},
                        "tanh with weights N(0, 1): pre-activations far beyond +-2",
                        "Glorot (Xavier) initialization for tanh"),
    "dead after a large step": ({"lr_schedule": partial(lr_spike, at=50, steps=3, factor=100)},
                                "three updates at 100 times the rate (updates 50-52)",
                                "find the spike (schedule, restart); clip gradients; Leaky ReLU"),
    "vanishing sigmoid": ({"activation": "sigmoid", "hidden": (64, 64, 64, 64)},
                          "four sigmoid layers: each passes at most 1/4 of the gradient back",
                          "ReLU with He initialization, or batch normalization"),
    "dropout at evaluation": ({"dropout": 0.3, "buggy_dropout": True},
                              "dropout left on at evaluation (BuggyDropout)",
                              "evaluate with training=False (model.eval() in PyTorch)"),
}


def run_scenario(name, data, *, seed=0, **overrides):
    """train_monitored with the settings of SCENARIOS[name] (overrides win)."""
    check_choice("name", name, tuple(SCENARIOS))
    return train_monitored(data, **{**SCENARIOS[name][0], "seed": seed, **overrides})


def evidence(monitor, history):
    """The numbers a diagnosis is read from (NaN where one does not apply):
    ratio_first / ratio_median: log10 update ratio at the first record / median over the
    run, averaged over layers; grad_first_last: the first layer's gradient norm over the
    last layer's (median over the run); saturated / dead: the largest fraction in any layer
    at any record; dead_layer, dead_step: where and when the dead fraction first passed 0.3;
    val_accuracy: at the end."""
    ratio = monitor["update_ratio"]
    grad = monitor["grad_norm"]
    dead = monitor["dead"]
    found = np.argwhere(np.nan_to_num(dead) > 0.3) if dead.size else np.empty((0, 2))
    with np.errstate(all="ignore"):
        return {
            "ratio_first": float(np.mean(ratio[0])) if len(ratio) else math.nan,
            "ratio_median": float(np.median(np.mean(ratio, axis=1))) if len(ratio) else math.nan,
            "grad_first_last": float(np.nanmedian(np.where(grad[:, -1] > 0, grad[:, 0]
                                                            / grad[:, -1], np.nan)))
            if len(grad) else math.nan,
            "saturated": _largest(monitor["saturated"]),
            "dead": _largest(dead),
            "dead_layer": int(found[0][1]) + 1 if len(found) else None,
            "dead_step": int(monitor.steps[found[0][0]]) if len(found) else None,
            "val_accuracy": float(history.final("val_accuracy")),
        }


def _largest(values):
    finite = values[np.isfinite(values)]
    return float(finite.max()) if finite.size else math.nan


# --- the quiz
def _health_png(history, monitor):
    """Loss per epoch and five monitors of one run, as PNG bytes."""
    fig = plot_health(monitor, history=history, fig=Figure(figsize=(12, 4.6), dpi=80),
                      columns=3)
    return hw.figure_png(fig)


DIAGNOSES = {
    "nothing is wrong":
        "update ratios near 1e-3 in every layer, no saturated or dead units, and a validation "
        "accuracy that climbs",
    "learning rate too high":
        "update ratios far above 1e-3 (10^-2 or more) from the very first updates",
    "learning rate too low":
        "update ratios below 1e-3 in every layer from the start, and a loss that falls slowly",
    "initialization saturates tanh":
        "a large saturated fraction (most |tanh| > 0.97) from update 0 on",
    "dead ReLUs after a large step":
        "healthy ratios, then one short spike, and right after it a dead fraction that jumps",
    "vanishing gradients":
        "the first layer's gradient norm far below the last layer's (10x or more), and a "
        "first-layer update ratio far below 1e-3",
}
#: the scenario behind each quiz answer ("dropout at evaluation" does not show in these plots)
QUIZ_RUNS = {"nothing is wrong": "healthy", "learning rate too high": "lr too high",
             "learning rate too low": "lr too low",
             "initialization saturates tanh": "saturating init",
             "dead ReLUs after a large step": "dead after a large step",
             "vanishing gradients": "vanishing sigmoid"}


def quiz_truths(seed):
    """{"Run A": diagnosis, ...}: the quiz's runs in the order a seed shuffles them."""
    order = np.random.default_rng(check_int("seed", seed, low=0)).permutation(len(QUIZ_RUNS))
    return {f"Run {chr(ord('A') + i)}": list(QUIZ_RUNS)[j] for i, j in enumerate(order)}


def _numbers(e):
    """The evidence as one readable sentence."""
    parts = [f"mean update ratio 10^{e['ratio_first']:.1f} at update 0 and "
             f"10^{e['ratio_median']:.1f} over the run",
             f"first/last layer gradient {e['grad_first_last']:.2g}"]
    if not math.isnan(e["saturated"]):
        parts.append(f"up to {e['saturated']:.0%} saturated")
    if not math.isnan(e["dead"]):
        parts.append(f"up to {e['dead']:.0%} dead" + (
            f" (layer {e['dead_layer']} passed 30 % at update {e['dead_step']})"
            if e["dead_step"] is not None else ""))
    parts.append(f"validation accuracy {e['val_accuracy']:.2f}")
    return "; ".join(parts)


class DiagnosisQuiz:
    """"What is wrong with this run?": six prepared runs (one healthy, five broken by one
    hyperparameter each) in a shuffled order; the learner looks at a run's monitors, picks a
    diagnosis and presses Check, and is told whether it is right and why.

    All runs are trained once in the constructor (a few seconds); a change only redraws.
    show() returns the widget. answer(diagnosis) is what Check does, callable from code.
    """

    def __init__(self, data, *, seed=1, epochs=3):
        self.seed = check_int("seed", seed, low=0)
        self.epochs = check_int("epochs", epochs, low=1)
        self.truth = quiz_truths(self.seed)
        self.labels = list(self.truth)
        self.runs = {}
        for label, truth in self.truth.items():
            model, history, monitor = run_scenario(QUIZ_RUNS[truth], data, seed=self.seed,
                                                   epochs=self.epochs)
            self.runs[label] = (model, history, monitor, evidence(monitor, history))
        self.run = W.ToggleButtons(options=self.labels, value=self.labels[0], description="run",
                                   style={"button_width": "70px"})
        self.diagnosis = W.RadioButtons(options=list(DIAGNOSES), value=None,
                                        description="diagnosis",
                                        layout=W.Layout(width="max-content"))
        self.check = W.Button(description="Check", button_style="primary")
        self.feedback = W.HTML()
        self.status = W.HTML()
        # margin 0: the widgets margin of 2 px each side would push a 100 % image 4 px past its box
        self.image = W.Image(format="png",
                             layout=W.Layout(width="100%", max_width="960px", margin="0"))
        self.last = None  # (run, diagnosis, right) of the last check
        self._png = {}

    def draw(self, run):
        """Show one run's loss curves and monitors; clears the previous verdict."""
        check_choice("run", run, tuple(self.labels))
        model, history, monitor, _ = self.runs[run]
        if run not in self._png:  # each run is drawn once, then shown from the cache
            self._png[run] = _health_png(history, monitor)
        self.image.value = self._png[run]
        acts = {type(a).__name__ for a in model.layers} & {"ReLU", "Tanh", "Sigmoid"}
        n_hidden = len(monitor.activation_names)
        self.status.value = hw.message(
            f"{run}: {n_hidden} hidden layers of 64 {', '.join(sorted(acts))} units, SGD with "
            f"momentum 0.9, {self.epochs} epochs on the digits. What is wrong?")
        self.feedback.value = ""

    def answer(self, diagnosis):
        """Check `diagnosis` for the run on show; returns True when right (and shows why)."""
        run = self.run.value
        if diagnosis is None:
            self.feedback.value = hw.message("Pick a diagnosis first, then press Check.",
                                             kind="warning")
            self.last = (run, None, False)
            return False
        check_choice("diagnosis", diagnosis, tuple(DIAGNOSES))
        truth, e = self.truth[run], self.runs[run][3]
        right = diagnosis == truth
        _, why, fix = SCENARIOS[QUIZ_RUNS[truth]]
        if right:
            text = (f"✓ Right: {why}. The evidence: {_numbers(e)}. "
                    f"Fix: {fix}.")
        else:
            text = (f"✗ Not this one. \"{diagnosis}\" would show {DIAGNOSES[diagnosis]}. "
                    f"This run shows: {_numbers(e)}. Compare with what each diagnosis "
                    f"predicts and try again.")
        self.feedback.value = hw.message(text, kind="ok" if right else "error")
        self.last = (run, diagnosis, right)
        return right

    def show(self):
        """Wire the controls, draw the first run, and return the widget."""
        hw.live(lambda run: self.draw(run), {"run": self.run}, status=self.status)
        self.run.observe(lambda _change: setattr(self.diagnosis, "value", None), names="value")
        self.check.on_click(hw.safe(lambda _b: self.answer(self.diagnosis.value),
                                    status=self.feedback))
        return W.VBox([self.run, self.status, self.image,
                       W.HBox([self.diagnosis, self.check]), self.feedback])
