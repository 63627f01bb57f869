"""The Playground's picture, drawn in the browser: an anywidget whose JavaScript (canvas.js,
beside this file, no build step) draws the network diagram, the output map, the points and the
loss curves on canvases from float32 buffers the kernel sends.

Training is paced by the page, not by a timer: when the page has drawn a frame it asks for the
next one (requestAnimationFrame, then a {"type": "frame"} message); the kernel trains as many
epochs as fit in `budget` seconds (at least one) and answers with one frame. At most two
requests are in flight (the kernel finds the next one waiting instead of idling for a round
trip), so nothing queues beyond one frame; pausing stops asking at once, and a request that
reaches a paused kernel is answered {"type": "idle"}.

A frame is a message {"type": "frame", ...meta} with these buffers (all float32, row-major):
    output   the output map, (res, res), row 0 at x2 = -6 (Trainer.output_map); for several
             classes, the predicted class, then the confidence: (2, res, res)
    neurons  every tile of the diagram, (n_tiles, nres, nres): the input features, then each
             hidden layer's neurons (Trainer.neuron_maps, in order)
    weights  each Linear layer's weight (fan_in, fan_out) then its bias (fan_out,), in order
    loss     train losses then test losses since epoch meta["loss_from"]
    points   (only in a full frame) x1, x2, label of the training then the test points
"""

import time
from pathlib import Path

import anywidget
import numpy as np
import traitlets

from ..diagnostics import linear_layers

_HERE = Path(__file__).parent


def frame(trainer, *, resolution=60, neuron_resolution=20, loss_from=0, full=False,
          discretize=False):
    """(meta, buffers) of one frame of `trainer`: what the page draws. Pure: tests compare
    the buffers with what the trainer computes."""
    t, h = trainer, trainer.history
    cfg = t.config
    meta = {"type": "frame", "epoch": t.epoch, "iterations": h.iterations, "full": bool(full),
            "problem": cfg["problem"], "classes": t.n_classes if t.classification else 0,
            "sizes": [len(cfg["features"]), *cfg["hidden"], t.n_outputs],
            "features": list(cfg["features"]), "res": resolution, "nres": neuron_resolution,
            "diverged": bool(h.diverged), "finished": bool(t.finished)}
    if h.diverged:  # the maps are NaN: keep the last picture, send only the counter
        meta.update(loss_from=len(h.epoch), n_loss=0)
        out = np.zeros(0, np.float32)
        neurons = np.zeros(0, np.float32)
    else:
        out = t.class_map(resolution) if t.multiclass else t.output_map(resolution)
        if discretize:
            out = _discretize(t, out)
        neurons = np.concatenate([m.ravel() for col in t.neuron_maps(neuron_resolution)
                                  for m in col])
    weights = np.concatenate([np.concatenate([lin.weight.data.ravel(), lin.bias.data.ravel()])
                              for lin in linear_layers(t.model)])
    loss_from = min(max(0, int(loss_from)), len(h.epoch))
    train = np.asarray(h.history.get("loss", [])[loss_from:], np.float32)
    test = np.asarray(h.history.get("val_loss", [])[loss_from:], np.float32)
    meta.update(loss_from=loss_from, n_loss=len(train))
    if h.epoch:
        meta.update(train_loss=float(h.final("loss")), test_loss=float(h.final("val_loss")),
                    lr=float(t.optimizer.lr))
        if t.classification:
            meta["test_accuracy"] = float(h.final("val_accuracy"))
            if t.multiclass:
                meta["class_accuracy"] = t.class_accuracy()
    buffers = [out, neurons, weights, np.concatenate([train, test])]
    if full:
        pts = [np.column_stack([X, np.asarray(y, np.float32)]).ravel()
               for X, y in ((t.X_train, t.y_train), (t.X_test, t.y_test))]
        meta.update(n_train=len(t.X_train), n_test=len(t.X_test))
        buffers.append(np.concatenate(pts))
    return meta, [np.ascontiguousarray(b, dtype=np.float32) for b in buffers]


def _discretize(t, out):
    if t.multiclass:  # full confidence: flat class colours
        out = out.copy()
        out[1] = 1.0
        return out
    return (out > 0.5).astype(np.float32) if t.classification else np.round(out * 4) / 4


class Canvas(anywidget.AnyWidget):
    """The drawn part of the Playground. The Playground sets `app` (it trains and answers);
    `running` is the play/pause state, shared with the page."""

    # the files' text, not their paths: anywidget would watch a path for changes, and its
    # watcher holds every widget ever made (thirty Playgrounds would stay in memory)
    _esm = (_HERE / "canvas.js").read_text(encoding="utf-8")
    _css = (_HERE / "canvas.css").read_text(encoding="utf-8")
    running = traitlets.Bool(False).tag(sync=True)
    show_test = traitlets.Bool(True).tag(sync=True)
    # the setting as a URL hash ("#lr=0.03&..."), which the page puts in its address (the app)
    url_hash = traitlets.Unicode("").tag(sync=True)
    frames = traitlets.Int(0)  # frames sent, for tests and the benchmark

    def __init__(self, app, *, budget=0.012, **kwargs):
        super().__init__(**kwargs)
        self.app = app
        self.budget = budget  # seconds of training per frame (at least one epoch)
        self.last = None  # (meta, buffers) of the last frame sent
        self.shown = {}  # what the page holds after the frames sent so far (as canvas.js keeps)
        self._sent_epochs = 0
        self.on_msg(self._on_msg)

    def send_frame(self, *, full=False, trained=0):
        """Send the trainer's present state (full: also the points; the loss from epoch 0)."""
        app, t = self.app, self.app.trainer
        since = 0 if full or t.epoch < self._sent_epochs else self._sent_epochs
        meta, buffers = frame(t, resolution=app.res, neuron_resolution=app.nres,
                              loss_from=since, full=full, discretize=app.discretize.value)
        meta["trained"] = trained
        self._sent_epochs = t.epoch
        self.last = meta, buffers
        self._mirror(meta, buffers)
        self.frames += 1
        self.send(meta, [b.tobytes() for b in buffers])

    def _mirror(self, meta, buffers):
        """Keep what the page keeps: the last maps and weights, the losses so far, the points."""
        s, n = self.shown, meta["n_loss"]
        if buffers[0].size:
            s["output"], s["neurons"] = buffers[0], buffers[1]
        s["weights"] = buffers[2]
        for key, new in (("train_loss", buffers[3][:n]), ("test_loss", buffers[3][n:])):
            s[key] = np.concatenate([s.get(key, new[:0])[:meta["loss_from"]], new])
        if meta["full"]:
            s["points"] = buffers[4].reshape(-1, 3)
        s["meta"] = meta

    def _on_msg(self, _widget, content, _buffers):
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "frame":
            self.app._safely(self._advance)
        elif kind == "hello":  # a page (re)opened: it has nothing yet; the app sends its link
            self.app._safely(self.app.open_link, content.get("hash") or "", content.get("base"))
            self.send_frame(full=True)
        elif kind == "set_weight":
            self.app._safely(self.app.set_weight, content.get("layer"), content.get("i"),
                             content.get("j"), content.get("value"))
        elif kind == "hidden":
            self.app._safely(self.app.set_hidden, content.get("hidden"))

    def _advance(self):
        """Answer the page's request: train for about `budget` seconds, then one frame."""
        if not self.running:  # paused here first: tell the page, which stops asking
            self.send({"type": "idle"})
            return
        n = self.app.train_for(self.budget)
        self.send_frame(trained=n)


def train_for(trainer, budget):
    """Train as many whole epochs as fit in `budget` seconds (at least one): another epoch
    runs only if, at the mean time per epoch so far, it ends within the budget. Returns how
    many ran (fewer when the run diverges or stops early)."""
    start, n = time.perf_counter(), 0
    while True:
        ok = trainer.train_epoch()
        n += ok
        spent = time.perf_counter() - start
        if not ok or spent + spent / n > budget:
            return n
