"""HealthMonitor: every recorded number checked against one computed by hand on a small
network; monitoring changes nothing in training and costs one forward pass every k updates."""

import math
import warnings

import numpy as np
import pytest

import helpers as hp
from helpers.debugging import BuggyDropout
from helpers.monitors import KEYS, HealthMonitor, plot_health, plot_histograms, plot_monitor

X = np.array([[0.5, -1.0, 2.0], [1.5, 0.3, -0.7], [-2.0, 1.0, 0.1], [0.2, 0.2, 0.2],
              [-0.4, -1.5, 1.0], [1.0, 2.0, -1.0]])
Y = np.array([0, 1, 1, 0, 1, 0])


def small_net(activation, seed=0):
    """3 -> 4 -> 2 in float64, weights large enough that some tanh units saturate."""
    rng = np.random.default_rng(seed)
    first = hp.Linear(3, 4, dtype=np.float64)
    first.weight.data[...] = rng.normal(0.0, 1.5, (3, 4))
    first.bias.data[...] = [0.1, -0.2, 0.0, 0.3]
    last = hp.Linear(4, 2, dtype=np.float64)
    last.weight.data[...] = rng.normal(0.0, 0.5, (4, 2))
    return hp.Sequential(first, activation, last)


def by_hand(net, lr, clip=None):
    """One full-batch SGD step of `net` on (X, Y), by hand: the monitor's numbers, and the
    weights after the step."""
    W1, b1 = net[0].weight.data.copy(), net[0].bias.data.copy()
    W2, b2 = net[2].weight.data.copy(), net[2].bias.data.copy()
    z1 = X @ W1 + b1
    a1 = np.tanh(z1) if isinstance(net[1], hp.Tanh) else np.maximum(z1, 0)
    z2 = a1 @ W2 + b2
    p = np.exp(z2 - z2.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    dz2 = (p - np.eye(2)[Y]) / len(X)
    dW2, db2 = a1.T @ dz2, dz2.sum(0)
    da1 = dz2 @ W2.T
    dz1 = da1 * (1 - a1**2) if isinstance(net[1], hp.Tanh) else da1 * (z1 > 0)
    dW1, db1 = X.T @ dz1, dz1.sum(0)
    total = math.sqrt(sum((g**2).sum() for g in (dW1, db1, dW2, db2)))
    scale = 1.0 if clip is None or total <= clip else clip / (total + 1e-6)
    record = {
        "grad_norm": [np.linalg.norm(dW1), np.linalg.norm(dW2)],
        "global_grad_norm": total,
        "update_ratio": [math.log10(lr * scale * np.linalg.norm(dW1) / np.linalg.norm(W1)),
                         math.log10(lr * scale * np.linalg.norm(dW2) / np.linalg.norm(W2))],
        "act_mean": [a1.mean()], "act_std": [a1.std()],
        "saturated": [np.mean(np.abs(a1) > 0.97)] if isinstance(net[1], hp.Tanh) else [np.nan],
        "dead": [np.mean(np.all(a1 <= 0, axis=0))] if isinstance(net[1], hp.ReLU) else [np.nan],
    }
    return record


def monitored_run(net, *, lr=0.1, epochs=2, clip=None, every=1, **kw):
    mon = HealthMonitor(X, every=every, **kw)
    hist = hp.fit(net, hp.CrossEntropyLoss(), hp.SGD(net.parameters(), lr=lr), X, Y,
                  epochs=epochs, batch_size=len(X), shuffle=False, clip_norm=clip,
                  callbacks=[mon], progress=False)
    return mon, hist


def assert_record(mon, step, expected):
    got = mon.at(step)
    for key in KEYS:
        assert np.allclose(got[key], expected[key], rtol=1e-9, atol=1e-12, equal_nan=True), key


@pytest.mark.parametrize("activation", [hp.Tanh(), hp.ReLU()], ids=["tanh", "relu"])
def test_records_match_a_computation_by_hand(activation):
    net = small_net(activation)
    twin = small_net(type(activation)())
    first = by_hand(twin, lr=0.1)
    hp.train_step(twin, hp.CrossEntropyLoss(), hp.SGD(twin.parameters(), lr=0.1), X, Y)
    second = by_hand(twin, lr=0.1)
    mon, _ = monitored_run(net, lr=0.1, epochs=2)
    assert list(mon.steps) == [0, 1]
    assert_record(mon, 0, first)
    assert_record(mon, 1, second)
    assert mon.linear_names == ["Linear 1", "Linear 2"]
    assert mon.activation_names == [f"{type(activation).__name__} 1"]
    assert mon["update_ratio"].shape == (2, 2) and mon["global_grad_norm"].shape == (2,)
    assert mon["act_std"].shape == mon["dead"].shape == (2, 1)


def test_the_hand_example_has_saturated_and_dead_units():
    """So the two checks above test something: some tanh units saturate, a ReLU unit dies."""
    tanh = by_hand(small_net(hp.Tanh()), lr=0.1)
    assert 0.1 < tanh["saturated"][0] < 0.9
    net = small_net(hp.ReLU())
    net[0].bias.data[1] = -100.0                     # unit 2 can never fire on these inputs
    mon, _ = monitored_run(net, epochs=1)
    assert mon["dead"][0, 0] == pytest.approx(0.25) == by_hand(net, lr=0.1)["dead"][0]


def test_the_norm_is_read_before_clipping_and_the_ratio_after():
    net = small_net(hp.Tanh())
    expected = by_hand(small_net(hp.Tanh()), lr=0.1, clip=0.05)
    assert expected["global_grad_norm"] > 0.05       # so the clip really acts
    mon, _ = monitored_run(net, lr=0.1, epochs=1, clip=0.05)
    assert_record(mon, 0, expected)


def test_momentum_and_every_k():
    """With momentum the update is not lr * grad: the ratio is measured on the real update."""
    net = small_net(hp.Tanh())
    before = net[0].weight.data.copy()
    mon = HealthMonitor(X, every=3)
    opt = hp.SGD(net.parameters(), lr=0.1, momentum=0.9)
    ratios = []

    class Watch(hp.callbacks.Callback):
        def on_train_batch_begin(self, step, logs=None):
            self.w = net[0].weight.data.copy()

        def on_train_batch_end(self, step, logs=None):
            ratios.append(np.linalg.norm(net[0].weight.data - self.w) / np.linalg.norm(self.w))

    hp.fit(net, hp.CrossEntropyLoss(), opt, X, Y, epochs=7, batch_size=len(X), shuffle=False,
           callbacks=[mon, Watch()], progress=False)
    assert list(mon.steps) == [0, 3, 6]
    assert np.allclose(mon["update_ratio"][:, 0], np.log10(np.array(ratios)[[0, 3, 6]]))
    assert not np.array_equal(before, net[0].weight.data)


def test_monitoring_changes_nothing_in_training():
    Xm, ym = hp.make_moons(64, noise=0.2, seed=0)
    runs = []
    for monitored in (False, True):
        model = hp.make_mlp([2, 16, 16, 2], dropout=0.2, batchnorm=True, seed=0)
        cbs = [HealthMonitor(Xm[:32], every=2, histogram_steps=(1,))] if monitored else []
        h = hp.fit(model, hp.CrossEntropyLoss(), hp.Adam(model.parameters(), lr=0.01), Xm, ym,
                   epochs=3, batch_size=16, validation_data=(Xm, ym), callbacks=cbs,
                   progress=False)
        runs.append((h.step_loss, h.history, [a.copy() for a in
                                              hp.callbacks._state(model)]))
    assert runs[0][0] == runs[1][0] and runs[0][1] == runs[1][1]
    assert all(np.array_equal(a, b) for a, b in zip(runs[0][2], runs[1][2]))


def test_the_monitor_runs_one_forward_pass_every_k_updates(monkeypatch):
    """The cost design: X goes through the network only at recorded updates (plus twice
    before training, the evaluation-mode check); nothing per update in between."""
    net = hp.make_mlp([3, 8, 2], seed=0)
    calls = []
    forward = net[0].forward

    def counting(x, training=True):
        calls.append(training)
        return forward(x, training=training)

    monkeypatch.setattr(net[0], "forward", counting)
    mon, hist = monitored_run(net, epochs=12, every=4)
    assert hist.iterations == 12
    assert calls.count(False) == 2 + 3               # check_eval_mode, then updates 0, 4, 8
    assert calls.count(True) == 12


def test_histograms_are_kept_whole_at_the_steps_asked_for():
    net = small_net(hp.Tanh())
    mon, _ = monitored_run(net, epochs=5, every=2, histogram_steps=[1, 4])
    assert sorted(mon.histograms) == [1, 4] and list(mon.steps) == [0, 2, 4]
    assert mon.histograms[1][0].shape == (len(X), 4)
    axes = plot_histograms(mon)
    assert len(axes) == 2 and len(axes[0].lines) == 1
    with pytest.raises(ValueError, match="no histogram at step 3"):
        plot_histograms(mon, steps=[3])


def test_a_diverging_run_is_recorded_until_it_fails():
    net = hp.make_mlp([3, 8, 8, 2], seed=0)
    mon = HealthMonitor(X, every=1)
    with warnings.catch_warnings():                  # a diverging run shows no warnings
        warnings.simplefilter("error")
        h = hp.fit(net, hp.CrossEntropyLoss(), hp.SGD(net.parameters(), lr=0.1), X, Y,
                   epochs=20, batch_size=3, lr_schedule=lambda t: 10.0 ** (3 * t),
                   callbacks=[mon], progress=False, verbose=False)
    assert h.diverged and h.iterations >= 5
    assert len(mon.steps) == h.iterations and all(len(mon[k]) == h.iterations for k in KEYS)


def test_eval_changes_finds_dropout_left_on():
    model = hp.make_mlp([3, 8, 8, 2], dropout=0.5, seed=0)
    mon, _ = monitored_run(model, epochs=1)
    assert mon.eval_changes is None
    model.layers[2] = BuggyDropout(0.5)
    mon, _ = monitored_run(model, epochs=1)
    assert mon.eval_changes == 2


def test_plots_draw_every_key():
    mon, hist = monitored_run(small_net(hp.Tanh()), epochs=4)
    for key in KEYS:
        ax = plot_monitor(mon, key)
        ax.figure.clf()
    fig = plot_health(mon, history=hist, columns=3)
    assert len(fig.axes) == 6
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert any("does not apply" in t for t in texts)         # dead units: ReLU only


@pytest.mark.parametrize("make, match", [
    (lambda: HealthMonitor(X, every=0), "every"),
    (lambda: HealthMonitor(X, every=2.5), "every"),
    (lambda: HealthMonitor(X, histogram_steps=5), "histogram_steps"),
    (lambda: HealthMonitor(X, histogram_steps=[-1]), "histogram_steps"),
    (lambda: HealthMonitor(X[:0]), "non-empty"),
    (lambda: HealthMonitor(3.0), "non-empty"),
])
def test_bad_settings_are_named(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_bad_use_is_named():
    class NotSequential(hp.Module):
        def forward(self, x, training=True):
            return x @ self.w.data

        def backward(self, dout):
            return None

        def parameters(self):
            return [self.w]

    model = NotSequential()
    model.w = hp.Param(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="Sequential"):
        hp.fit(model, hp.CrossEntropyLoss(), hp.SGD(model.parameters(), lr=0.1), X, Y,
               epochs=1, callbacks=[HealthMonitor(X)], progress=False)
    mon, _ = monitored_run(small_net(hp.Tanh()), epochs=2)
    with pytest.raises(ValueError, match="key must be one of"):
        mon["ratio"]
    with pytest.raises(ValueError, match="no record at step 7"):
        mon.at(7)
    with pytest.raises(ValueError, match="no records yet"):
        plot_health(HealthMonitor(X))
