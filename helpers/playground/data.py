"""The Playground's data: the learner's CSV (decode_csv, parse_csv), the checks every set of
points passes whether it comes from a file, a shared configuration or code
(points_from_rows, check_points), and the input features the network sees (make_features,
as the TensorFlow Playground's x1, x2, x1^2, ... sin x2)."""

import codecs
import csv
import math

import numpy as np

from .config import (_NUMBER_TEXT, FEATURES, MAX_NUMBER, MAX_POINTS, MAX_TEXT, MIN_POINTS, _kind,
                     _short)

MAX_LINE = 1000  # characters of one CSV line; a row of three numbers needs a few dozen
_COLUMNS = ("x1", "x2", "label")
_SIGNATURES = {b"PK\x03\x04": "a zip archive or an Excel workbook (.xlsx)",
               b"\xd0\xcf\x11\xe0": "an old Excel workbook (.xls)", b"%PDF": "a PDF",
               b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image"}


def _binary(what="it"):
    return ValueError(f"this is not a text file: {what} holds binary data. Save your table as "
                      "CSV text (File > Save as > CSV), rows of x1, x2, label")


def decode_csv(data):
    """The text of an uploaded file (bytes): UTF-8 (with or without a BOM), UTF-16 (with a BOM,
    or recognised by its zero bytes), else Windows-1252/Latin-1, which read any byte."""
    data = bytes(data)
    for magic, what in _SIGNATURES.items():
        if data.startswith(magic):
            raise _binary(f"it looks like {what}, which")
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    head = data[:4096]
    half = len(head) // 2
    if half and head[1::2].count(0) > 0.4 * half and not head[0::2].count(0):
        return data.decode("utf-16-le", errors="replace")  # ASCII text as UTF-16 without a BOM
    if half and head[0::2].count(0) > 0.4 * half and not head[1::2].count(0):
        return data.decode("utf-16-be", errors="replace")
    if b"\x00" in data:
        raise _binary()
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    return data.decode("latin-1")  # every byte is a character


def parse_csv(text):
    """The learner's data: rows of x1, x2, label (a header line is allowed; extra columns are
    ignored; the separator may be a comma, a semicolon or a tab, and with ; or tabs a decimal
    comma is read as a point). `text` is a str, or the bytes of a file (see decode_csv).

    Returns X (n, 2) float32 scaled into [-5, 5]^2 (where the built-in circle and spiral lie;
    the regression sets span [-6, 6]^2), y, and the problem:
    "classification" when the label takes two values (mapped to 0 and 1, in sorted order), else
    "regression" (the label scaled into [-1, 1]). A bad file raises ValueError naming the row,
    numbered as the file's lines (and a spreadsheet's rows): the header, if any, is row 1.
    """
    if isinstance(text, (bytes, bytearray, memoryview)):
        text = decode_csv(text)
    if not isinstance(text, str):
        raise ValueError(f"the CSV must be text (a str) or the bytes of a file, got {_kind(text)}")
    if len(text) > MAX_TEXT:
        raise ValueError(f"your file has {len(text):,} characters; the Playground reads at most "
                         f"{MAX_TEXT:,} ({MAX_POINTS:,} points)")
    if "\x00" in text:
        raise _binary()
    # rows numbered as an editor numbers lines, whatever the line ends (\n, \r\n, an old Mac's \r)
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    numbered = [(i, line) for i, line in enumerate(lines, 1) if line.strip(" \t,;\f\v")]
    if len(numbered) > MAX_POINTS + 1:  # before parsing them: a header and MAX_POINTS rows
        raise _too_many(len(numbered), "rows")
    for i, line in numbered:
        if len(line) > MAX_LINE:
            raise ValueError(f"row {i} of your file has {len(line):,} characters; a row of x1, "
                             f"x2, label has a few dozen (at most {MAX_LINE:,}): is this the "
                             "right file?")
    delimiter = _delimiter(" ".join(line for _, line in numbered[:5]))
    rows = [(i, line, _cells(line, delimiter, i)) for i, line in numbered]
    head = rows[0][2][:3] if rows else []
    if any(ch.isalpha() for ch in "".join(head)) and all(_number(c, delimiter) is None
                                                         for c in head):
        rows = rows[1:]  # a header: names, and no number among its first three cells
    if len(rows) > MAX_POINTS:
        raise _too_many(len(rows), "rows of data")
    if len(rows) < MIN_POINTS:
        raise ValueError(f"the CSV needs at least {MIN_POINTS} data rows of x1, x2, label; "
                         f"found {len(rows)}")
    data = np.empty((len(rows), 3))
    for k, (i, line, cells) in enumerate(rows):
        if len(cells) < 3:
            raise ValueError(f"row {i} of your file has {len(cells)} value"
                             f"{'s' * (len(cells) != 1)} ({_short(line)}); each row needs three: "
                             f"x1, x2, label{_separator_hint(line)}")
        for j in range(3):
            data[k, j] = _value(cells[j], j, i, delimiter)
    return points_from_rows(data, where=lambda k: f"row {rows[k][0]} of your file")


def _too_many(n, what):
    return ValueError(f"your file has {n:,} {what}; the Playground takes at most "
                      f"{MAX_POINTS:,} points (so that a tick of training stays under a second)")


def _delimiter(head):
    """The separator of a file, from its first lines: a tab, else a semicolon, else a comma."""
    return "\t" if "\t" in head else ";" if ";" in head else ","


def _separator_hint(line):
    if " " in line.strip() and not any(d in line for d in ",;\t"):
        return ", separated by commas (not spaces)"
    return " separated by commas (semicolons or tabs work too)"


def _cells(line, delimiter, i):
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error as exc:  # a stray quote, say
        raise ValueError(f"row {i} of your file cannot be read as CSV: {exc}") from None


def _number(cell, delimiter):
    s = cell.strip()
    if delimiter != ",":
        s = s.replace(",", ".")  # 1,5;2,0;1: a decimal comma
    try:
        return float(s)
    except ValueError:
        return None


def _value(cell, j, i, delimiter):
    value = _number(cell, delimiter)
    where = f"row {i} of your file, column {j + 1} ({_COLUMNS[j]})"
    if not cell.strip():
        raise ValueError(f"{where} is empty; each row needs three numbers x1, x2, label")
    if value is None:
        raise ValueError(f"{where}: {_short(cell.strip())} is not a number")
    if math.isnan(value) or cell.strip().lstrip("+-").lower() in ("inf", "infinity"):
        raise ValueError(f"{where}: {cell.strip()!r} is not a finite number")
    if abs(value) > MAX_NUMBER:
        raise ValueError(f"{where}: {_short(cell.strip())} is too large; values must lie within "
                         f"±{_NUMBER_TEXT}")
    return value


def points_from_rows(data, *, problem=None, where=lambda i: f"row {i + 1}"):
    """X (n, 2) float32 scaled into [-5, 5]^2, y, problem from rows (n, 3) of x1, x2, label.

    problem None (a file): two distinct labels make a classification (mapped to 0 and 1 in
    sorted order), more a regression. "classification": every label must be 0 or 1.
    Regression labels are scaled into [-1, 1]. where(i) names row i in a message.
    """
    data = np.asarray(data, dtype=np.float64)
    if data.ndim != 2 or data.shape[1] != 3:
        raise ValueError(f"the points must be rows of x1, x2, label, got shape {data.shape}")
    n = len(data)
    if n < MIN_POINTS:
        raise ValueError(f"at least {MIN_POINTS} points of x1, x2, label are needed; found {n}")
    if n > MAX_POINTS:
        raise ValueError(f"{n:,} points; the Playground takes at most {MAX_POINTS:,}")
    bad = ~(np.abs(data) <= MAX_NUMBER)  # also NaN and inf
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise ValueError(f"{where(i)}: {_COLUMNS[j]} {data[i, j]:g} must be a finite number "
                         f"within ±{_NUMBER_TEXT}")
    X = data[:, :2]
    lo, hi = X.min(axis=0), X.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    X = ((X - lo) / span * 10.0 - 5.0).astype(np.float32)
    lab = data[:, 2]
    values = np.unique(lab)
    if len(values) == 1:
        raise ValueError(f"the label column holds a single value ({values[0]:g}): nothing to "
                         "learn")
    if problem is None:  # a file: two values are two classes, in sorted order
        if len(values) == 2:
            return X, (lab == values[1]).astype(np.int64), "classification"
    elif problem == "classification":  # a configuration says so: the labels are 0 and 1
        wrong = ~np.isin(lab, (0.0, 1.0))
        if wrong.any():
            i = int(np.argmax(wrong))
            raise ValueError(f"{where(i)}: label {lab[i]:g}: labels must be 0 or 1")
        return X, (lab == 1).astype(np.int64), problem
    y = (lab - values[0]) / (values[-1] - values[0]) * 2.0 - 1.0
    return X, y.astype(np.float32), "regression"


def check_points(csv_data):
    """The learner's points given in code, checked: (X float32 (n, 2), y int64 0/1 for a
    classification or float32 for a regression). The problem follows y's dtype."""
    if not (isinstance(csv_data, (tuple, list)) and len(csv_data) == 2):
        raise ValueError(f"csv_data must be a pair (X, y) of points (n, 2) and labels (n,), "
                         f"got {_kind(csv_data)} {_short(csv_data)}")
    try:
        X, y = (np.asarray(a) for a in csv_data)
    except (TypeError, ValueError):  # ragged rows
        raise ValueError("csv_data must be a pair (X, y) of arrays: X (n, 2), y (n,)") from None
    if X.dtype.kind not in "fiu" or y.dtype.kind not in "fiub":
        raise ValueError(f"csv_data must hold numbers, got X of dtype {X.dtype} and y of dtype "
                         f"{y.dtype}")
    if X.ndim != 2 or X.shape[1] != 2 or y.shape != (len(X),):
        raise ValueError(f"csv_data: X must be (n, 2) and y (n,), got {X.shape} and {y.shape}")
    if not MIN_POINTS <= len(X) <= MAX_POINTS:
        raise ValueError(f"csv_data has {len(X):,} points; the Playground takes {MIN_POINTS} "
                         f"to {MAX_POINTS:,}")
    if not ((np.abs(X.astype(float)) <= MAX_NUMBER).all()
            and (np.abs(y.astype(float)) <= MAX_NUMBER).all()):
        raise ValueError(f"csv_data must hold finite numbers within ±{_NUMBER_TEXT}")
    if y.dtype.kind in "uib":
        if not np.isin(y, (0, 1)).all():
            bad = y[~np.isin(y, (0, 1))][0]
            raise ValueError(f"csv_data: label {bad}: labels of a classification must be 0 or 1 "
                             "(integer labels mean classes; give float labels for a regression)")
        return X.astype(np.float32), y.astype(np.int64)
    return X.astype(np.float32), y.astype(np.float32)


def make_features(X, names):
    """The network's input: one column per selected feature of the raw points X (n, 2)."""
    return np.column_stack([FEATURES[n](X) for n in names]).astype(np.float32)


def _csv_problem(csv_data):
    return "classification" if np.issubdtype(np.asarray(csv_data[1]).dtype, np.integer) \
        else "regression"
