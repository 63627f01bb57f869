"""The course's tuning problem: a small MLP on the 8x8 digits, scored on a validation split."""

import math

from ..data import load_digits
from ..losses import CrossEntropyLoss
from ..mlp import make_mlp
from ..optimizers import SGD
from ..training import evaluate, fit
from ..validation import check_int, check_positive, check_rng
from .space import Dim, SearchSpace

class DigitsObjective:
    """Validation error of a one-hidden-layer MLP on a subsample of the 8x8 digits.

    Hyperparameters (config keys): lr, width, l2, dropout, and the SGD momentum, given as
    momentum (default 0.9) or as one_minus_momentum (1 - beta, the key to search on a log
    scale). Train / validation / test are disjoint; the test split is never used by a search.
    A diverged run (NaN loss) returns NaN: the search records a failure and goes on.
    max_loss: if given, a run whose last-epoch training loss is above it (e.g. ln 10, the loss
    of guessing uniformly among 10 digits) also counts as diverged and returns NaN.
    Calls cost about 10-30 ms, so a search of tens of trials takes a second or so.
    """

    def __init__(self, *, n_train=200, n_val=300, epochs=9, batch_size=50, max_loss=None,
                 seed=0):
        X, y = load_digits()
        # at least one image in each of train, validation and test
        n_train = check_int("n_train", n_train, low=1, high=len(X) - 2)
        n_val = check_int("n_val", n_val, low=1, high=len(X) - n_train - 1)
        epochs = check_int("epochs", epochs, low=1)
        batch_size = check_int("batch_size", batch_size, low=1)
        if max_loss is not None:
            max_loss = check_positive("max_loss", max_loss)
        idx = check_rng(seed).permutation(len(X))
        tr, va = idx[:n_train], idx[n_train:n_train + n_val]
        te = idx[n_train + n_val:]
        self.X, self.y = X[tr], y[tr]
        self.X_val, self.y_val = X[va], y[va]
        self.X_test, self.y_test = X[te], y[te]
        self.epochs, self.batch_size, self.max_loss, self.seed = epochs, batch_size, max_loss, seed
        self.calls = 0

    def _build(self, config):
        """A fresh model (initialised by seed) and its SGD optimizer for config."""
        model = make_mlp([64, int(config.get("width", 32)), 10],
                         dropout=float(config.get("dropout", 0.0)), seed=self.seed)
        momentum = (1.0 - float(config["one_minus_momentum"]) if "one_minus_momentum" in config
                    else float(config.get("momentum", 0.9)))
        return model, SGD(model.parameters(), lr=float(config["lr"]), momentum=momentum)

    def _fit(self, model, opt, config, epochs, rng):
        return fit(model, CrossEntropyLoss(), opt, self.X, self.y, epochs=epochs,
                   batch_size=self.batch_size, l2=float(config.get("l2", 0.0)), seed=rng,
                   progress=False, verbose=False)

    def _diverged(self, history):
        return history.diverged or (self.max_loss is not None
                                    and not history.final("loss") <= self.max_loss)

    def train(self, config, epochs=None):
        """Train a fresh model with config; return (model, History)."""
        epochs = self.epochs if epochs is None else int(epochs)
        model, opt = self._build(config)
        return model, self._fit(model, opt, config, epochs, self.seed)

    def _error(self, model, X, y):
        err = 1.0 - float(evaluate(model, CrossEntropyLoss(), X, y)["accuracy"])
        return err if math.isfinite(err) else math.nan

    def __call__(self, config, epochs=None):
        """Validation error (in [0, 1]) after `epochs` of training; NaN if the run diverged."""
        self.calls += 1
        model, history = self.train(config, epochs)
        return math.nan if self._diverged(history) else self._error(model, self.X_val, self.y_val)

    def curve(self, config, epochs=None):
        """Yield (epoch, validation error) after each epoch, for a pruner that may stop the run.

        The same training as __call__ (same initialisation, same shuffles: one generator goes
        through the epochs), so the last value equals objective(config, epochs). A diverged
        epoch yields NaN and ends the curve.
        """
        epochs = self.epochs if epochs is None else int(epochs)
        self.calls += 1
        model, opt = self._build(config)
        rng = check_rng(self.seed)
        for epoch in range(1, epochs + 1):
            history = self._fit(model, opt, config, 1, rng)
            if self._diverged(history):
                yield epoch, math.nan
                return
            yield epoch, self._error(model, self.X_val, self.y_val)

    def test_error(self, config, epochs=None):
        """Error on the held-out test split: call once, for the final chosen config only."""
        model, history = self.train(config, epochs)
        return math.nan if self._diverged(history) else self._error(model, self.X_test,
                                                                    self.y_test)


DIGITS_SPACE = SearchSpace(lr=Dim(1e-3, 10.0, log=True),
                           width=Dim(4, 48, log=True, integer=True),
                           l2=Dim(1e-6, 1e-1, log=True),
                           dropout=Dim(0.0, 0.6))
