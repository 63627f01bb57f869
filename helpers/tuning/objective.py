"""The course's tuning problem: a small MLP on the 8x8 digits, scored on a validation split."""

import math

from ..data import load_digits
from ..losses import CrossEntropyLoss
from ..mlp import make_mlp
from ..optimizers import SGD
from ..training import evaluate, fit
from ..validation import check_int, check_rng
from .space import Dim, SearchSpace

class DigitsObjective:
    """Validation error of a one-hidden-layer MLP on a subsample of the 8x8 digits.

    Hyperparameters (config keys): lr (SGD with momentum 0.9), width, l2, dropout.
    Train / validation / test are disjoint; the test split is never used by the search.
    A diverged run (NaN loss) returns NaN: the search records a failure and goes on.
    Calls cost about 10-30 ms, so a search of tens of trials takes a second or so.
    """

    def __init__(self, *, n_train=200, n_val=300, epochs=9, batch_size=50, seed=0):
        X, y = load_digits()
        # at least one image in each of train, validation and test
        n_train = check_int("n_train", n_train, low=1, high=len(X) - 2)
        n_val = check_int("n_val", n_val, low=1, high=len(X) - n_train - 1)
        epochs = check_int("epochs", epochs, low=1)
        batch_size = check_int("batch_size", batch_size, low=1)
        idx = check_rng(seed).permutation(len(X))
        tr, va = idx[:n_train], idx[n_train:n_train + n_val]
        te = idx[n_train + n_val:]
        self.X, self.y = X[tr], y[tr]
        self.X_val, self.y_val = X[va], y[va]
        self.X_test, self.y_test = X[te], y[te]
        self.epochs, self.batch_size, self.seed = epochs, batch_size, seed
        self.calls = 0

    def train(self, config, epochs=None):
        """Train a fresh model with config; return (model, History)."""
        epochs = self.epochs if epochs is None else int(epochs)
        model = make_mlp([64, int(config.get("width", 32)), 10],
                         dropout=float(config.get("dropout", 0.0)), seed=self.seed)
        opt = SGD(model.parameters(), lr=float(config["lr"]), momentum=0.9)
        history = fit(model, CrossEntropyLoss(), opt, self.X, self.y, epochs=epochs,
                      batch_size=self.batch_size, l2=float(config.get("l2", 0.0)),
                      seed=self.seed, progress=False, verbose=False)
        return model, history

    def _error(self, config, epochs, X, y):
        model, history = self.train(config, epochs)
        if history.diverged:
            return math.nan
        err = 1.0 - evaluate(model, CrossEntropyLoss(), X, y)["accuracy"]
        return err if math.isfinite(err) else math.nan

    def __call__(self, config, epochs=None):
        """Validation error (in [0, 1]) after `epochs` of training; NaN if the run diverged."""
        self.calls += 1
        return self._error(config, epochs, self.X_val, self.y_val)

    def test_error(self, config, epochs=None):
        """Error on the held-out test split: call once, for the final chosen config only."""
        return self._error(config, epochs, self.X_test, self.y_test)


DIGITS_SPACE = SearchSpace(lr=Dim(1e-3, 10.0, log=True),
                           width=Dim(4, 48, log=True, integer=True),
                           l2=Dim(1e-6, 1e-1, log=True),
                           dropout=Dim(0.0, 0.6))
