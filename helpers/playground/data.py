"""The Playground's data: the learner's CSV (parse_csv) and the input features the network
sees (make_features, as the TensorFlow Playground's x1, x2, x1^2, ... sin x2)."""

import csv
import io
import math

import numpy as np

from .config import FEATURES

def parse_csv(text):
    """The learner's data: rows of x1, x2, label (a header line is allowed; extra columns are
    ignored). Returns X (n, 2) float32 scaled into [-5, 5]^2 like the built-in sets, y, and the
    problem: "classification" when the label takes two values (mapped to 0 and 1, in sorted
    order), else "regression" (the label scaled into [-1, 1])."""
    rows = [r for r in csv.reader(io.StringIO(text.strip())) if r and any(c.strip() for c in r)]
    if rows and not _numeric(rows[0][:3]):
        rows = rows[1:]  # a header
    if len(rows) < 10:
        raise ValueError(f"the CSV needs at least 10 data rows of x1, x2, label; found {len(rows)}")
    data = []
    for i, r in enumerate(rows, 1):
        if len(r) < 3 or not _numeric(r[:3]):
            raise ValueError(f"row {i} is not three numbers x1, x2, label: {','.join(r)[:40]!r}")
        data.append([float(c) for c in r[:3]])
    data = np.asarray(data)
    X = data[:, :2]
    lo, hi = X.min(axis=0), X.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    X = ((X - lo) / span * 10.0 - 5.0).astype(np.float32)
    labels = np.unique(data[:, 2])
    if len(labels) == 1:
        raise ValueError("the label column holds a single value: nothing to learn")
    if len(labels) == 2:
        return X, (data[:, 2] == labels[1]).astype(np.int64), "classification"
    lab = data[:, 2]
    y = (lab - lab.min()) / (lab.max() - lab.min()) * 2.0 - 1.0
    return X, y.astype(np.float32), "regression"


def _numeric(cells):
    try:
        [float(c) for c in cells]
    except ValueError:
        return False
    return all(math.isfinite(float(c)) for c in cells)


def make_features(X, names):
    """The network's input: one column per selected feature of the raw points X (n, 2)."""
    return np.column_stack([FEATURES[n](X) for n in names]).astype(np.float32)


def _csv_problem(csv_data):
    return "classification" if np.issubdtype(np.asarray(csv_data[1]).dtype, np.integer) \
        else "regression"
