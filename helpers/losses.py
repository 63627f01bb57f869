"""Loss functions (introduced in notebook 05).

    forward(pred, target) -> float      # the mean over the batch, as torch's reduction="mean"
    backward() -> dpred                  # d loss / d pred, same shape as pred
Classification losses take logits (raw scores), not probabilities: that is what lets them
use the stable log-sum-exp form.
"""

import numpy as np

from .activations import sigmoid
from .validation import check_positive


class Loss:
    """Base class; calling a loss calls `forward`."""

    #: True for losses whose targets are class labels (fit then reports accuracy)
    classification = False

    def __call__(self, pred, target):
        return self.forward(pred, target)

    def check_target(self, target, *, n_outputs=None, name="y"):
        """Raise ValueError if `target` (a numeric array) holds values this loss cannot take.
        Regression losses take any finite number; n_outputs: the model's output width."""

    def __repr__(self):
        return f"{type(self).__name__}()"


def _match(pred, target):
    """Target as an array of pred's shape (a (N,) target for an (N, 1) prediction is fine)."""
    target = np.asarray(target)
    if target.size != pred.size:
        raise ValueError(f"target has {target.size} values but pred has {pred.size} "
                         f"(pred shape {pred.shape}, target shape {target.shape})")
    return target.reshape(pred.shape).astype(pred.dtype, copy=False)


class MSELoss(Loss):
    """L = mean((pred - target)^2);  dL/dpred = 2 (pred - target) / N."""

    def forward(self, pred, target):
        self.diff = pred - _match(pred, target)
        return float(np.mean(self.diff**2))

    def backward(self):
        return (2.0 / self.diff.size) * self.diff


class L1Loss(Loss):
    """L = mean|pred - target| (MAE);  dL/dpred = sign(pred - target) / N."""

    def forward(self, pred, target):
        self.diff = pred - _match(pred, target)
        return float(np.mean(np.abs(self.diff)))

    def backward(self):
        return np.sign(self.diff) / self.diff.size


class HuberLoss(Loss):
    """Quadratic near zero, linear beyond delta (torch.nn.HuberLoss):

    l(d) = d^2 / 2 if |d| <= delta else delta (|d| - delta / 2);  l'(d) = clip(d, -delta, delta).
    """

    def __init__(self, delta=1.0):
        self.delta = check_positive("delta", delta)

    def forward(self, pred, target):
        self.diff = pred - _match(pred, target)
        a = np.abs(self.diff)
        quad = np.minimum(a, self.delta)
        # = d^2/2 inside, delta (|d| - delta/2) outside, written without a branch
        return float(np.mean(0.5 * quad**2 + self.delta * (a - quad)))

    def backward(self):
        return np.clip(self.diff, -self.delta, self.delta) / self.diff.size

    def __repr__(self):
        return f"HuberLoss(delta={self.delta})"


class BCEWithLogitsLoss(Loss):
    """Binary cross-entropy on a logit z, target y in {0, 1} (or a probability):

    L = mean(max(z, 0) - z y + log(1 + exp(-|z|)))  (= -y log s - (1 - y) log(1 - s), s = sigmoid z)
    dL/dz = (sigmoid(z) - y) / N.
    """

    classification = True

    def check_target(self, target, *, n_outputs=None, name="y"):
        """Labels 0 or 1, or probabilities in [0, 1] (soft labels)."""
        bad = (target < 0) | (target > 1)
        if bad.any():
            raise ValueError(f"{name} has label {target[bad].flat[0]:g}: {type(self).__name__} "
                             "needs labels 0 or 1 (or probabilities between 0 and 1)")

    def forward(self, pred, target):
        self.z = pred
        self.y = _match(pred, target)
        return float(np.mean(np.maximum(pred, 0) - pred * self.y + np.log1p(np.exp(-np.abs(pred)))))

    def backward(self):
        return (sigmoid(self.z) - self.y) / self.z.size


def log_softmax(logits):
    """log softmax over the last axis, stable: subtract the max before exp (log-sum-exp)."""
    shifted = logits - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def softmax(logits):
    """exp(z_i) / sum_j exp(z_j) over the last axis, computed stably."""
    return np.exp(log_softmax(logits))


class CrossEntropyLoss(Loss):
    """Categorical cross-entropy on logits (..., C) and integer labels (...):

    L = mean(-log softmax(z)[label]);  dL/dz = (softmax(z) - onehot(label)) / N.
    """

    classification = True

    def check_target(self, target, *, n_outputs=None, name="y"):
        """Integer class labels in [0, n_outputs) (one label per row, not one-hot rows)."""
        top = "C - 1" if n_outputs is None else n_outputs - 1
        if target.dtype.kind not in "iu":
            whole = target.dtype.kind == "b" or np.all(target == np.round(target))
            hint = f": {name}.argmax(axis=-1) turns one-hot rows into labels" \
                if target.ndim >= 2 and np.all((target == 0) | (target == 1)) else \
                f": {name}.astype(int)" if whole else ""
            raise ValueError(f"{name} holds {target.dtype} values; {type(self).__name__} needs "
                             f"integer class labels 0 … {top}{hint}")
        bad = (target < 0) if n_outputs is None else (target < 0) | (target >= n_outputs)
        if bad.any():
            raise ValueError(f"{name} has label {target[bad].flat[0]}: {type(self).__name__} "
                             f"needs labels 0 … {top}"
                             + (f" (the model has {n_outputs} outputs)" if n_outputs else ""))

    def forward(self, pred, target):
        labels = np.asarray(target)
        if not np.issubdtype(labels.dtype, np.integer):
            raise ValueError(f"CrossEntropyLoss target must hold integer class labels, got dtype "
                             f"{labels.dtype}")
        n_classes = pred.shape[-1]
        z = pred.reshape(-1, n_classes)
        labels = labels.reshape(-1)
        if labels.shape[0] != z.shape[0]:
            raise ValueError(f"target has {labels.shape[0]} labels but pred has {z.shape[0]} rows")
        if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
            raise ValueError(f"CrossEntropyLoss labels must be in [0, {n_classes - 1}]")
        self.shape = pred.shape
        self.labels = labels
        self.logp = log_softmax(z)
        return float(-self.logp[np.arange(labels.size), labels].mean())

    def backward(self):
        grad = np.exp(self.logp)
        grad[np.arange(self.labels.size), self.labels] -= 1.0
        return (grad / self.labels.size).reshape(self.shape)


LOSSES = {
    "mse": MSELoss,
    "mae": L1Loss,
    "huber": HuberLoss,
    "bce": BCEWithLogitsLoss,
    "cross_entropy": CrossEntropyLoss,
}
