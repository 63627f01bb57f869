"""fit: over-fitting a tiny set, determinism, divergence, counting, schedules, penalties,
early stopping."""

import math
from functools import partial

import numpy as np
import pytest

import helpers as hp


def tiny(n=20, seed=0):
    X, y = hp.make_moons(n, noise=0.1, seed=seed)
    return X, y


def train(seed=0, epochs=50, **kw):
    X, y = tiny()
    model = hp.make_mlp([2, 32, 32, 2], seed=seed)
    opt = hp.Adam(model.parameters(), lr=0.01)
    return model, hp.fit(model, hp.CrossEntropyLoss(), opt, X, y, epochs=epochs, batch_size=5,
                         seed=seed, **kw)


def test_overfits_twenty_samples():
    X, y = tiny()
    model, history = train(epochs=200)
    assert history.history["loss"][-1] < 0.01
    assert hp.evaluate(model, hp.CrossEntropyLoss(), X, y)["accuracy"] == 1.0


def test_same_seed_same_history():
    _, h1 = train(seed=3)
    _, h2 = train(seed=3)
    assert h1.step_loss == h2.step_loss and h1.history == h2.history
    _, h3 = train(seed=4)
    assert h3.step_loss != h1.step_loss


def test_history_contents():
    X, y = tiny()
    model = hp.make_mlp([2, 8, 2])
    h = hp.fit(model, hp.CrossEntropyLoss(), hp.SGD(model.parameters(), lr=0.1), X, y,
               epochs=3, batch_size=8, validation_data=(X, y))
    assert set(h.history) == {"loss", "accuracy", "val_loss", "val_accuracy", "lr"}
    assert h.epoch == [1, 2, 3] and all(len(v) == 3 for v in h.history.values())
    assert h.iterations == 3 * 3 == len(h.step_loss)  # ceil(20 / 8) = 3 updates per epoch
    regression = hp.make_mlp([2, 4, 1])
    Xr, yr = hp.make_reg_plane(30)
    h = hp.fit(regression, hp.MSELoss(), hp.SGD(regression.parameters(), lr=0.01), Xr, yr,
               epochs=2)
    assert set(h.history) == {"loss", "lr"}


def test_iterations_formula_and_drop_last():
    X, y = hp.make_moons(103)
    for drop_last, per_epoch in ((False, 11), (True, 10)):
        model = hp.make_mlp([2, 4, 2])
        h = hp.fit(model, hp.CrossEntropyLoss(), hp.SGD(model.parameters(), lr=0.1), X, y,
                   epochs=4, batch_size=10, drop_last=drop_last)
        assert h.iterations == 4 * per_epoch == 4 * hp.num_batches(103, 10, drop_last=drop_last)


def test_divergence_stops_cleanly(capsys):
    X, y = hp.make_reg_plane(50)
    model = hp.make_mlp([2, 16, 1])
    h = hp.fit(model, hp.MSELoss(), hp.SGD(model.parameters(), lr=50.0), X, y, epochs=100)
    assert h.diverged and len(h.epoch) < 100
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].startswith("Diverged at epoch")
    assert all(math.isfinite(v) for v in h.step_loss)


def test_lr_schedule_is_applied_per_update():
    X, y = tiny()
    model = hp.make_mlp([2, 4, 2])
    opt = hp.SGD(model.parameters(), lr=0.1)
    h = hp.fit(model, hp.CrossEntropyLoss(), opt, X, y, epochs=2, batch_size=5,
               lr_schedule=partial(hp.step_decay, step_size=4, gamma=0.5))
    assert h.step_lr == pytest.approx([0.1] * 4 + [0.05] * 4)
    assert h.history["lr"] == pytest.approx([0.1, 0.05])
    assert opt.lr == 0.1


def test_l2_penalty_equals_sgd_weight_decay():
    X, y = hp.make_reg_plane(40)
    results = []
    for l2, wd in ((0.1, 0.0), (0.0, 0.1)):
        model = hp.Sequential(hp.Linear(2, 3, bias=False, seed=1, dtype=np.float64), hp.Tanh(),
                              hp.Linear(3, 1, bias=False, seed=2, dtype=np.float64))
        hp.fit(model, hp.MSELoss(), hp.SGD(model.parameters(), lr=0.05, weight_decay=wd), X, y,
               epochs=3, batch_size=8, l2=l2)
        results.append([p.data.copy() for p in model.parameters()])
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, rtol=1e-12)


def test_penalty_value_and_weights_only():
    model = hp.make_mlp([2, 3, 1])
    for p in model.parameters():
        p.data[...] = 2.0
    n_weights = 2 * 3 + 3 * 1
    assert hp.penalty(model.parameters(), l1=0.5) == pytest.approx(0.5 * 2 * n_weights)
    assert hp.penalty(model.parameters(), l2=0.5) == pytest.approx(0.25 * 4 * n_weights)


def test_l1_drives_weights_to_zero():
    X, y = hp.make_reg_plane(40, noise=0.2)
    X = np.hstack([X, np.random.default_rng(0).standard_normal((40, 8)).astype(np.float32)])
    zeros = []
    for l1 in (0.0, 0.1):
        model = hp.Sequential(hp.Linear(10, 1, seed=0))
        hp.fit(model, hp.MSELoss(), hp.SGD(model.parameters(), lr=0.01), X, y, epochs=100,
               l1=l1)
        # the 8 pure-noise inputs: L1 pins most of them at ~0 (|w| <= lr * l1), none without it
        zeros.append(int((np.abs(model[0].weight.data[2:]) < 1e-3).sum()))
    assert zeros[0] == 0 and zeros[1] >= 5


def test_clip_norm_runs():
    _, h = train(epochs=5, clip_norm=0.5)
    assert not h.diverged


def test_early_stopping_restores_best_weights():
    X, y = hp.make_circle(60, noise=0.3, seed=1)
    X_val, y_val = hp.make_circle(60, noise=0.3, seed=2)
    model = hp.make_mlp([2, 64, 64, 2], seed=0)
    es = hp.EarlyStopping(patience=3)
    h = hp.fit(model, hp.CrossEntropyLoss(), hp.Adam(model.parameters(), lr=0.02), X, y,
               epochs=300, batch_size=10, validation_data=(X_val, y_val), early_stopping=es)
    assert h.stopped_epoch is not None and h.stopped_epoch < 300
    assert h.stopped_epoch == h.best_epoch + 3
    assert len(h.epoch) == h.stopped_epoch
    best = min(h.history["val_loss"])
    assert h.history["val_loss"][h.best_epoch - 1] == best
    restored = hp.evaluate(model, hp.CrossEntropyLoss(), X_val, y_val)["loss"]
    assert restored == pytest.approx(best, rel=1e-5)


def test_batchnorm_and_dropout_model_trains():
    X, y = hp.make_spiral(200, seed=0)
    model = hp.make_mlp([2, 32, 32, 2], batchnorm=True, dropout=0.1, seed=0)
    assert any(isinstance(layer, hp.BatchNorm1d) for layer in model)
    h = hp.fit(model, hp.CrossEntropyLoss(), hp.Adam(model.parameters(), lr=0.01), X, y,
               epochs=30, validation_data=(X, y))
    assert h.history["val_loss"][-1] < h.history["val_loss"][0]


def test_float64_model():
    X, y = tiny()
    model = hp.make_mlp([2, 4, 2], dtype=np.float64)
    hp.fit(model, hp.CrossEntropyLoss(), hp.SGD(model.parameters(), lr=0.1), X, y, epochs=1)
    assert model[0].weight.data.dtype == np.float64
    assert hp.predict(model, X).dtype == np.float64


def test_float32_inputs_are_kept_float32():
    model, _ = train(epochs=1)
    assert model[0].weight.data.dtype == np.float32
    assert hp.predict(model, np.zeros((3, 2))).dtype == np.float32


def test_progress_bar_goes_to_stderr_only(capsys):
    X, y = tiny()
    model = hp.make_mlp([2, 4, 2])
    hp.fit(model, hp.CrossEntropyLoss(), hp.SGD(model.parameters(), lr=0.1), X, y, epochs=3,
           progress=True)
    captured = capsys.readouterr()
    assert captured.out == "" and "epoch 3/3" in captured.err
    hp.fit(model, hp.CrossEntropyLoss(), hp.SGD(model.parameters(), lr=0.1), X, y, epochs=3)
    assert capsys.readouterr().err == ""  # "auto": short runs show no bar


def test_divergence_can_be_silent(capsys):
    X, y = hp.make_reg_plane(50)
    model = hp.make_mlp([2, 16, 1])
    h = hp.fit(model, hp.MSELoss(), hp.SGD(model.parameters(), lr=50.0), X, y, epochs=5,
               verbose=False)
    assert h.diverged and h.message.startswith("Diverged") and capsys.readouterr().out == ""


def test_train_step_is_one_update_of_fit():
    X, y = tiny()
    a, b = hp.make_mlp([2, 4, 2], seed=1), hp.make_mlp([2, 4, 2], seed=1)
    value, out = hp.train_step(a, hp.CrossEntropyLoss(), hp.SGD(a.parameters(), lr=0.1), X, y,
                               l2=0.01, clip_norm=1.0)
    h = hp.fit(b, hp.CrossEntropyLoss(), hp.SGD(b.parameters(), lr=0.1), X, y, epochs=1,
               batch_size=len(X), shuffle=False, l2=0.01, clip_norm=1.0)
    assert out.shape == (20, 2) and value == h.step_loss[0]
    for p, q in zip(a.parameters(), b.parameters()):
        np.testing.assert_array_equal(p.data, q.data)


def test_train_step_leaves_parameters_alone_on_a_nan_loss():
    model = hp.make_mlp([2, 3, 1])
    before = [p.data.copy() for p in model.parameters()]
    X = np.array([[np.nan, 0.0]], np.float32)
    value, _ = hp.train_step(model, hp.MSELoss(), hp.SGD(model.parameters(), lr=0.1), X,
                             np.zeros(1))
    assert math.isnan(value)
    for p, b in zip(model.parameters(), before):
        np.testing.assert_array_equal(p.data, b)


def test_grad_norm():
    a, b = hp.Param(np.zeros(1)), hp.Param(np.zeros(1))
    a.grad[:], b.grad[:] = 3.0, 4.0
    assert hp.grad_norm([a, b]) == pytest.approx(5.0)


def test_clip_norm_bounds_the_update():
    # plain SGD with lr 1 moves the parameters by exactly the clipped gradient
    X, y = hp.make_circle(64, seed=0)
    model = hp.make_mlp([2, 8, 2], seed=0)
    before = [p.data.copy() for p in model.parameters()]
    opt = hp.SGD(model.parameters(), lr=1.0)
    hp.train_step(model, hp.CrossEntropyLoss(), opt, X, y, clip_norm=1e-3)
    moved = np.sqrt(sum(np.sum((p.data - b) ** 2) for p, b in zip(model.parameters(), before)))
    assert moved == pytest.approx(1e-3, rel=1e-4)


@pytest.mark.parametrize("kwargs, match", [
    (dict(lr_schedule=lambda t: -1.0), "lr_schedule returned"),
    (dict(lr_schedule=lambda t: float("nan")), "lr_schedule returned"),
    (dict(validation_data="not a pair"), "validation_data must be a pair"),
    (dict(l2=-1.0), "l2"),
])
def test_fit_rejects_bad_settings(kwargs, match):
    X, y = hp.make_circle(20, seed=0)
    model = hp.make_mlp([2, 4, 2], seed=0)
    with pytest.raises(ValueError, match=match):
        hp.fit(model, hp.CrossEntropyLoss(), hp.SGD(model.parameters(), lr=0.1), X, y, epochs=1,
               progress=False, **kwargs)


def test_fit_rejects_mismatched_pieces():
    X, y = hp.make_circle(20, seed=0)
    model = hp.make_mlp([2, 4, 2], seed=0)
    loss, opt = hp.CrossEntropyLoss(), hp.SGD(model.parameters(), lr=0.1)
    other = hp.SGD(hp.make_mlp([2, 4, 2], seed=1).parameters(), lr=0.1)
    with pytest.raises(ValueError, match="not this model's"):
        hp.fit(model, loss, other, X, y, epochs=1)
    with pytest.raises(ValueError, match="optimizer must be"):
        hp.fit(model, loss, "adam", X, y, epochs=1)
    with pytest.raises(ValueError, match="loss must be"):
        hp.fit(model, "mse", opt, X, y, epochs=1)
    with pytest.raises(ValueError, match="X_val has 20 rows but y_val has 17"):
        hp.fit(model, loss, opt, X, y, epochs=1, validation_data=(X, y[:-3]))
    with pytest.raises(ValueError, match=r"X has 3 features .* first layer takes 2"):
        hp.fit(model, loss, opt, np.hstack([X, X[:, :1]]), y, epochs=1)
    with pytest.raises(ValueError, match=r"Linear\(2, 4\) got inputs with 3 features"):
        model.forward(np.hstack([X, X[:, :1]]))  # the layer itself says so too
    with pytest.raises(ValueError, match="l2"):
        hp.regularization.add_penalty_grad(model.parameters(), l2=-1.0)


def test_early_stopping_on_a_validation_metric_needs_validation_data():
    X, y = hp.make_circle(20, seed=0)
    model = hp.make_mlp([2, 4, 2], seed=0)
    with pytest.raises(ValueError, match="pass validation_data"):
        hp.fit(model, hp.CrossEntropyLoss(), hp.SGD(model.parameters(), lr=0.1), X, y, epochs=3,
               early_stopping=hp.EarlyStopping(patience=1))


def test_plot_history_names_an_unknown_metric():
    X, y = hp.make_circle(20, seed=0)
    model = hp.make_mlp([2, 4, 2], seed=0)
    h = hp.fit(model, hp.CrossEntropyLoss(), hp.SGD(model.parameters(), lr=0.1), X, y, epochs=2)
    hp.plot_history(h)  # val_loss was not recorded: left out, no error
    with pytest.raises(ValueError, match="metric"):
        hp.plot_history(h, metrics=("los",))
