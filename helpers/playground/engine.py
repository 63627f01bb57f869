"""The Playground's engine, no widgets: a configuration -> data, features, model, optimizer and
loss; `Trainer.train_epoch()` runs one pass of mini-batch updates. `mosaic` lays the maps of
`Trainer.neuron_maps` out as one image, for a static figure."""

import math
from functools import partial

import numpy as np

from .. import schedules
from ..data import make_dataset, train_val_split
from ..diagnostics import layer_outputs
from ..losses import LOSSES, softmax
from ..mlp import make_mlp
from ..optimizers import OPTIMIZERS
from ..regularization import EarlyStopping
from ..training import History, predict, train_step
from ..validation import check_int
from .config import BOX, CSV, LIVE_KEYS, OPTIMIZER_KEYS, validate_config
from .data import _csv_problem, check_points, make_features

def make_schedule(name, total_steps):
    """A multiplier of the base lr as a function of the update t (None for "constant").

    total_steps is the decay's length in updates. exponential, inverse_time, cosine and
    warmup_cosine (10 % warm-up) reach 1 % of the base lr there (the first two keep decaying,
    the cosines stay); step halves it every quarter (1/16 at the end); one_cycle is torch's
    OneCycleLR with its defaults (lr/25 up to lr at 30 %, then down to lr/250,000 by a
    cosine), the lr only: torch also cycles the momentum.
    """
    total = max(2, int(total_steps))
    if name == "constant":
        return None
    if name == "step":
        return partial(schedules.step_decay, step_size=max(1, total // 4), gamma=0.5)
    if name == "exponential":
        return partial(schedules.exponential_decay, gamma=0.01 ** (1.0 / total))
    if name == "inverse_time":
        return partial(schedules.inverse_time_decay, decay_rate=99.0 / total)
    if name == "cosine":
        return partial(schedules.cosine_decay, total_steps=total, floor=0.01)
    if name == "warmup_cosine":
        wu = max(1, total // 10)
        return partial(schedules.warmup, warmup_steps=wu,
                       after=partial(schedules.cosine_decay, total_steps=total - wu, floor=0.01))
    return partial(schedules.one_cycle, total_steps=total)


class Trainer:
    """Data, features, model and optimizer from a configuration; trained one epoch at a time.

    config: a dict (missing keys from DEFAULTS).  csv_data: (X, y) of the learner's points,
    used when config["dataset"] == "csv" (X (n, 2); y int 0/1 to classify, float to regress).
    After each epoch `history` (a History) holds "loss" and "val_loss" (train and test loss,
    evaluation mode), "accuracy"/"val_accuracy" when classifying, and "lr".

    The API a view drives: update(changes), reset(), train_epoch() / train(epochs),
    evaluate(), output_map(resolution), neuron_maps(resolution), history. A bad value raises
    ValueError and leaves the trainer as it was.
    """

    def __init__(self, config=None, *, csv_data=None):
        self.csv_data = None if csv_data is None else check_points(csv_data)
        self.config = validate_config({} if config is None else config)
        self.build()

    # --- building
    def build(self):
        """(Re)make everything from self.config: a fresh network at epoch 0."""
        cfg = self.config
        if cfg["dataset"] == CSV:
            if self.csv_data is None:
                raise ValueError("no CSV uploaded yet: upload x1, x2, label rows first")
            X, y = self.csv_data
            problem = _csv_problem(self.csv_data)
            if problem != cfg["problem"]:
                raise ValueError(f"the uploaded data is a {problem} problem; set problem to "
                                 f"{problem}")
        else:
            X, y = make_dataset(cfg["dataset"], cfg["n_samples"], noise=cfg["noise"],
                                seed=cfg["seed"])
        self.X_train, self.X_test, self.y_train, self.y_test = train_val_split(
            X, y, val_fraction=1.0 - cfg["train_ratio"], seed=cfg["seed"])
        if cfg["batchnorm"] and len(self.X_train) < 2:
            raise ValueError(f"batch norm needs at least 2 training points; Train "
                             f"{cfg['train_ratio']:.0%} of {len(X)} points leaves "
                             f"{len(self.X_train)}: raise Train % or turn batch norm off")
        self.F_train = make_features(self.X_train, cfg["features"])
        self.F_test = make_features(self.X_test, cfg["features"])
        self.classification = cfg["problem"] != "regression"
        self.multiclass = cfg["problem"] == "multiclass"  # 3-5 classes, softmax cross-entropy
        self.n_classes = int(y.max()) + 1 if self.multiclass else 2 * self.classification
        n_out = self.n_classes if self.multiclass else 2 if cfg["loss"] == "cross_entropy" else 1
        self.n_outputs = n_out
        init = None if cfg["init"] == "auto" else cfg["init"]
        self.model = make_mlp([len(cfg["features"]), *cfg["hidden"], n_out],
                              activation=cfg["activation"], init=init, dropout=cfg["dropout"],
                              batchnorm=cfg["batchnorm"], seed=cfg["seed"])
        self.loss = LOSSES[cfg["loss"]]()
        self.rng = np.random.default_rng(cfg["seed"])
        self.history = History()
        self.finished = False  # diverged or stopped early: Reset to train again
        self.early_stopping = None  # a new network starts a new watch (never the old best)
        self._make_optimizer(keep_state=False)
        self._apply_live()

    def _make_optimizer(self, *, keep_state):
        cfg, cls = self.config, OPTIMIZERS[self.config["optimizer"]]
        knobs = {"sgd": {"momentum": cfg["momentum"], "weight_decay": cfg["weight_decay"]},
                 "rmsprop": {"momentum": cfg["momentum"], "alpha": cfg["beta2"]},
                 "adagrad": {},
                 "adam": {"beta1": cfg["beta1"], "beta2": cfg["beta2"],
                          "weight_decay": cfg["weight_decay"]},
                 "adamw": {"beta1": cfg["beta1"], "beta2": cfg["beta2"],
                           "weight_decay": cfg["weight_decay"]}}[cfg["optimizer"]]
        old = getattr(self, "optimizer", None)
        self.optimizer = cls(self.model.parameters(), lr=cfg["lr"], **knobs)
        if keep_state and type(old) is cls:  # same rule, new knobs: keep momentum buffers
            self.optimizer.state, self.optimizer.t = old.state, old.t

    def _apply_live(self):
        cfg = self.config
        self.optimizer.lr = cfg["lr"]
        updates = -(-len(self.F_train) // cfg["batch_size"])
        self.schedule = make_schedule(cfg["schedule"], cfg["schedule_epochs"] * updates)
        self.l1 = cfg["reg_rate"] if cfg["regularization"] == "L1" else 0.0
        self.l2 = cfg["reg_rate"] if cfg["regularization"] == "L2" else 0.0
        if not cfg["early_stopping"]:
            self.early_stopping = None
        elif getattr(self, "early_stopping", None) is None \
                or self.early_stopping.patience != cfg["patience"]:
            self.early_stopping = EarlyStopping(cfg["patience"], monitor="val_loss")

    def update(self, changes):
        """Apply changed knobs: live ones act on the running network, others rebuild it.

        Returns True when the network was rebuilt (epoch back to 0). A change that cannot be
        applied raises ValueError and leaves the trainer exactly as it was.
        """
        if not isinstance(changes, dict):
            raise ValueError(f"changes must be a dict of settings, got {type(changes).__name__}")
        new = validate_config({**self.config, **changes})
        changed = {k for k in new if new[k] != self.config[k]}
        if not changed:
            return False
        before = dict(self.__dict__)  # build() replaces attributes, it never mutates them
        try:
            self.config = new
            if changed - LIVE_KEYS:
                self.build()
                return True
            if changed & OPTIMIZER_KEYS:
                self._make_optimizer(keep_state=True)
            self._apply_live()
            return False
        except Exception:
            self.__dict__.clear()
            self.__dict__.update(before)
            raise

    def reset(self):
        """A new network of the same configuration (same seed: the same start)."""
        self.build()

    # --- training
    @property
    def epoch(self):
        return len(self.history.epoch)

    def train_epoch(self):
        """One pass over the training set in shuffled mini-batches; returns False when the
        run cannot go on (it diverged or early stopping ended it)."""
        if self.finished:
            return False
        cfg, h = self.config, self.history
        params = self.model.parameters()
        n, bs = len(self.F_train), cfg["batch_size"]
        idx = self.rng.permutation(n)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for start in range(0, n, bs):
                b = idx[start:start + bs]
                if cfg["batchnorm"] and len(b) < 2:
                    continue  # batch statistics need two samples
                if self.schedule is not None:
                    self.optimizer.lr = cfg["lr"] * float(self.schedule(h.iterations))
                value, _ = train_step(self.model, self.loss, self.optimizer, self.F_train[b],
                                      self._target(self.y_train[b]), l1=self.l1, l2=self.l2,
                                      clip_norm=cfg["clip_norm"] or None, params=params)
                if not math.isfinite(value):
                    return self._diverged(value)
                h.iterations += 1
                h.step_loss.append(value)
                h.step_lr.append(self.optimizer.lr)
            logs = self.evaluate()
        if not (math.isfinite(logs["loss"]) and math.isfinite(logs["val_loss"])):
            return self._diverged(logs["loss"])
        h.log(self.epoch + 1, logs)
        es = self.early_stopping
        if es is not None and es.on_epoch_end(self.epoch, logs, self.model):
            es.restore(self.model)
            h.stopped_epoch, h.best_epoch = es.stopped_epoch, es.best_epoch
            h.message = (f"Early stopping at epoch {es.stopped_epoch}: the test loss has not "
                         f"improved for {es.patience} epochs. The best, {es.best:.3g} at epoch "
                         f"{es.best_epoch}, is restored.")
            self.finished = True
            return False
        return True

    def train(self, epochs, *, max_updates=None):
        """Up to `epochs` epochs (fewer if the run diverges or stops early); returns self.

        max_updates: stop after the epoch in which this many mini-batch updates were made
        (at least one epoch runs), so one call's work is bounded whatever the settings.
        """
        epochs = check_int("epochs", epochs, low=0)
        if max_updates is not None:
            max_updates = check_int("max_updates", max_updates, low=1)
        start = self.history.iterations
        for _ in range(epochs):
            if not self.train_epoch():
                break
            if max_updates is not None and self.history.iterations - start >= max_updates:
                break
        return self

    def _diverged(self, value):
        h = self.history
        h.diverged = True
        h.message = (f"Diverged at epoch {self.epoch + 1}, update {h.iterations + 1}: the loss "
                     f"is {value}. Lower the learning rate (now {self.config['lr']:.3g}), clip "
                     f"the gradient norm, or pick a gentler setting, then press Reset.")
        self.finished = True
        return False

    def _target(self, y):
        return y.astype(np.float32) if self.config["loss"] == "mse" and self.classification \
            else y

    def score(self, out):
        """One number per point: P(class 1) when classifying, the prediction when regressing,
        the predicted class (argmax of the outputs) with several classes."""
        loss = self.config["loss"]
        if self.multiclass:
            return np.argmax(out, axis=1).astype(np.float32)
        if loss == "cross_entropy":
            return softmax(out)[:, 1]
        if loss == "bce":
            return 0.5 * (1.0 + np.tanh(0.5 * out[:, 0]))
        if loss == "mse" and self.classification:
            return np.clip(out[:, 0], 0.0, 1.0)
        return out[:, 0]

    def evaluate(self):
        """Train and test loss (and accuracy when classifying) in evaluation mode, and the lr."""
        logs = {}
        for prefix, F, y in (("", self.F_train, self.y_train), ("val_", self.F_test, self.y_test)):
            out = predict(self.model, F)
            logs[f"{prefix}loss"] = self.loss.forward(out, self._target(y))
            if self.multiclass:
                logs[f"{prefix}accuracy"] = float(np.mean(np.argmax(out, axis=1) == y))
            elif self.classification:
                logs[f"{prefix}accuracy"] = float(np.mean((self.score(out) > 0.5) == (y == 1)))
        logs["lr"] = float(self.optimizer.lr)
        return logs

    # --- what the plots show
    def grid(self, resolution):
        """Raw points of a resolution x resolution grid over [-6, 6]^2 (row 0 at y = -6)."""
        resolution = check_int("resolution", resolution, low=2, high=1000)
        s = np.linspace(-BOX, BOX, resolution, dtype=np.float32)
        xx, yy = np.meshgrid(s, s)
        return np.column_stack([xx.ravel(), yy.ravel()])

    def output_map(self, resolution=60):
        """The network's score over the grid, shape (resolution, resolution)."""
        resolution = check_int("resolution", resolution, low=2, high=1000)
        with np.errstate(over="ignore", invalid="ignore"):
            G = make_features(self.grid(resolution), self.config["features"])
            return self.score(predict(self.model, G)).reshape(resolution, resolution)

    def class_map(self, resolution=60):
        """With several classes: the predicted class and its probability (softmax) over the
        grid, shape (2, resolution, resolution)."""
        resolution = check_int("resolution", resolution, low=2, high=1000)
        with np.errstate(over="ignore", invalid="ignore"):
            G = make_features(self.grid(resolution), self.config["features"])
            p = softmax(predict(self.model, G))
        return np.stack([np.argmax(p, axis=1), p.max(axis=1)]).reshape(2, resolution, resolution)

    def class_accuracy(self):
        """With several classes: the test accuracy of each class (None for a class with no
        test point)."""
        pred = np.argmax(predict(self.model, self.F_test), axis=1)
        return [float(np.mean(pred[self.y_test == c] == c)) if np.any(self.y_test == c)
                else None for c in range(self.n_classes)]

    def neuron_maps(self, resolution=20):
        """Columns of small maps: the input features, then each hidden layer's neurons
        (evaluation mode), each (resolution, resolution)."""
        resolution = check_int("resolution", resolution, low=2, high=1000)
        with np.errstate(over="ignore", invalid="ignore"):
            G = make_features(self.grid(resolution), self.config["features"])
            cols = [G] + layer_outputs(self.model, G)
        return [[c[:, j].reshape(resolution, resolution) for j in range(c.shape[1])]
                for c in cols]


def mosaic(columns, *, gap=3):
    """One image of the maps laid out as columns (NaN between tiles), for a static figure of
    `Trainer.neuron_maps` (the live view draws each tile in the browser, canvas.js, scaled the
    same way). Each tile is scaled by its largest |value|, so its sign pattern shows; a dead
    unit (all 0) stays blank."""
    r = columns[0][0].shape[0]
    rows = max(len(c) for c in columns)
    img = np.full((rows * (r + gap) - gap, len(columns) * (r + gap) - gap), np.nan)
    for j, col in enumerate(columns):
        for i, m in enumerate(col):
            peak = np.nanmax(np.abs(m)) if np.isfinite(m).any() else 0.0
            tile = m / peak if peak > 0 else np.zeros_like(m)
            img[i * (r + gap):i * (r + gap) + r, j * (r + gap):j * (r + gap) + r] = tile[::-1]
    return img
