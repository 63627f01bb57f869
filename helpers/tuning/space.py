"""Search spaces, trials and studies: what every search method shares (notebook 12).

A `SearchSpace` maps the unit cube [0, 1)^d to configs (log dimensions uniform in log10,
integer dimensions rounded); a `Study` records the trials of one search in order.
"""

import math
from dataclasses import dataclass, field

import numpy as np

from ..validation import check_number

# ---------------------------------------------------------------------------- search space


@dataclass(frozen=True)
class Dim:
    """One hyperparameter's range: [low, high], uniform in log10 if log, rounded if integer."""

    low: float
    high: float
    log: bool = False
    integer: bool = False

    def __post_init__(self):
        check_number("low", self.low)
        check_number("high", self.high)
        if not self.low < self.high:
            raise ValueError(f"Dim needs low < high, got {self.low} and {self.high}")
        if self.log and self.low <= 0:
            raise ValueError(f"a log dimension needs low > 0, got {self.low}")

    def from_unit(self, u):
        """u in [0, 1] -> a value (array in, array out)."""
        u = np.asarray(u, dtype=float)
        if self.log:
            v = 10 ** (np.log10(self.low) + u * (np.log10(self.high) - np.log10(self.low)))
        else:
            v = self.low + u * (self.high - self.low)
        return np.clip(np.round(v), self.low, self.high) if self.integer else v

    def to_unit(self, v):
        """The inverse map: a value -> u in [0, 1]."""
        v = np.asarray(v, dtype=float)
        if self.log:
            return (np.log10(v) - np.log10(self.low)) / (np.log10(self.high) - np.log10(self.low))
        return (v - self.low) / (self.high - self.low)


class SearchSpace:
    """An ordered name -> Dim mapping, shared by every search method."""

    def __init__(self, **dims):
        if not dims:
            raise ValueError("SearchSpace needs at least one Dim, e.g. lr=Dim(1e-3, 1, log=True)")
        for name, d in dims.items():
            if not isinstance(d, Dim):
                raise ValueError(f"{name} must be a Dim, got {d!r}")
        self.dims = dict(dims)
        self.names = list(dims)

    def __len__(self):
        return len(self.dims)

    def from_unit(self, u):
        """A point of [0, 1]^d -> a config dict (ints for integer dims, floats otherwise)."""
        u = np.asarray(u, dtype=float).reshape(len(self))
        config = {}
        for (name, d), ui in zip(self.dims.items(), u):
            v = d.from_unit(min(max(ui, 0.0), 1.0))
            config[name] = int(v) if d.integer else float(v)
        return config

    def to_unit(self, config):
        """A config dict -> its point of [0, 1]^d (the inverse of from_unit, up to rounding)."""
        return np.array([float(d.to_unit(config[name])) for name, d in self.dims.items()])

    def __repr__(self):
        parts = [f"{n}=[{d.low:g}, {d.high:g}]" + " log" * d.log + " int" * d.integer
                 for n, d in self.dims.items()]
        return f"SearchSpace({', '.join(parts)})"


# ---------------------------------------------------------------------------- trials, studies


@dataclass
class Trial:
    """One evaluation: config, value (NaN when failed), budget (e.g. epochs), u (unit point).

    pruned: stopped early by a pruner, value = its last reported value; a pruned trial is
    neither a failure nor a candidate for the best (its value is from a shorter run).
    """

    config: dict
    value: float
    budget: float = 1.0
    u: np.ndarray = field(default=None, repr=False)
    pruned: bool = False

    @property
    def failed(self):
        return not math.isfinite(self.value)


class Study:
    """The trials of one search, in order. `evaluate` runs the objective and records it."""

    def __init__(self, space, method=""):
        self.space, self.method, self.trials = space, method, []

    def evaluate(self, objective, u, budget=None):
        """Run objective at the unit point u (with budget, if given); a NaN/inf is a failure."""
        u = np.clip(np.asarray(u, dtype=float), 0.0, 1.0)
        config = self.space.from_unit(u)
        value = objective(config) if budget is None else objective(config, budget)
        value = float(value) if value is not None else math.nan
        if not math.isfinite(value):
            value = math.nan  # inf and NaN alike: a diverged run
        self.trials.append(Trial(config, value, 1.0 if budget is None else float(budget), u))
        return value

    def record(self, config, value, *, budget=1.0, pruned=False):
        """Add a trial run elsewhere (e.g. by Optuna); a NaN/inf value is a failure."""
        value = float(value) if value is not None and math.isfinite(value) else math.nan
        self.trials.append(Trial(dict(config), value, float(budget), self.space.to_unit(config),
                                 bool(pruned)))

    def __len__(self):
        return len(self.trials)

    @property
    def values(self):
        return np.array([t.value for t in self.trials])

    @property
    def budgets(self):
        return np.array([t.budget for t in self.trials])

    @property
    def units(self):
        return np.array([t.u for t in self.trials])

    @property
    def n_failed(self):
        return sum(t.failed for t in self.trials)

    @property
    def n_pruned(self):
        return sum(t.pruned for t in self.trials)

    @property
    def best(self):
        """The trial with the lowest finite value, pruned ones aside (None if there is none)."""
        ok = [t for t in self.trials if not t.failed and not t.pruned]
        return min(ok, key=lambda t: t.value) if ok else None

    def best_so_far(self):
        """Running minimum of the values, failures and pruned trials counting as +inf."""
        pruned = np.array([t.pruned for t in self.trials], dtype=bool)
        return np.minimum.accumulate(np.where(np.isnan(self.values) | pruned, np.inf,
                                              self.values))

    def cost(self):
        """Cumulative budget spent after each trial (e.g. total epochs)."""
        return np.cumsum(self.budgets)

    def __repr__(self):
        b = self.best
        best = "none" if b is None else f"{b.value:.3g} at {b.config}"
        return f"Study({self.method}, {len(self)} trials, {self.n_failed} failed, best {best})"


def _ranked(values):
    """Values with failures replaced by +inf, so that they sort last."""
    values = np.asarray(values, dtype=float)
    return np.where(np.isnan(values), np.inf, values)
