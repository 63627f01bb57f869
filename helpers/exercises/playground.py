"""Checks for the exercises of notebook 15 (the Playground). Each trains the learner's
setting headless with `helpers.playground.Trainer`, so the verdict is measured, not guessed."""

from ..playground import FEATURES, Trainer, config_from_json, validate_config
from . import DICT, NAMES, TEXT, check, report

SPIRAL_EPOCHS, SPIRAL_TARGET = 60, 0.1
CIRCLE_EPOCHS, CIRCLE_TARGET = 100, 0.1
XOR_EPOCHS, XOR_ACCURACY = 50, 0.95


def _config(answer):
    """A checked config from a dict, or (None, hint)."""
    keys = [k for k in answer if not isinstance(k, str)]
    if keys:
        return None, f"the keys are setting names such as \"dataset\" (str), not {keys[0]!r:.40}."
    try:
        return validate_config(answer), None
    except ValueError as exc:
        return None, f"that configuration is not valid: {exc}."


@check(DICT, missing="a dict of settings for the spiral")
def check_1(answer):
    """Exercise 1: a configuration that brings the spiral's test loss below 0.1 in 60 epochs."""
    cfg, hint = _config(answer)
    if cfg is None:
        return report(False, success="", hint=hint)
    if cfg["dataset"] != "spiral":
        return report(False, success="", hint='set "dataset": "spiral" (and keep the problem '
                      'classification).')
    t = Trainer(cfg).train(SPIRAL_EPOCHS)
    h = t.history
    if h.diverged:
        return report(False, success="", hint=f"the run diverged ({h.message.split(':')[0]}); "
                      "lower lr, or clip the gradient norm.")
    loss = h.final("val_loss")
    if loss < SPIRAL_TARGET:
        return report(True, success=f"test loss {loss:.3g} after {t.epoch} epochs on the spiral.",
                      hint="")
    if cfg["lr"] >= 1.0 and loss > 0.65:
        hint = (f"the loss is stuck near log 2 = 0.693 at lr {cfg['lr']:.3g}: the first large "
                "steps pushed the units into a flat region (dead ReLUs, saturated tanh); "
                "lower the learning rate.")
    elif not cfg["hidden"]:
        hint = "with no hidden layer the boundary is a straight line; add hidden layers."
    elif not {"sin_x1", "sin_x2"} & set(cfg["features"]) and cfg["optimizer"] == "sgd":
        hint = ("plain SGD on x1, x2 alone needs hundreds of epochs here: add the sin "
                "features, or switch to Adam with lr about 0.01.")
    elif h.final("loss") < SPIRAL_TARGET / 2:
        hint = "the train loss is low but the test loss is not: the net overfits; try fewer " \
               "neurons, L2, or more training data (Train %)."
    else:
        hint = "it learns, too slowly: try Adam with lr 0.01 and tanh, 3-4 layers of 8."
    return report(False, success="", hint=f"test loss {loss:.3g} after {t.epoch} epochs; {hint}")


@check(NAMES.named(f"a list of names from {list(FEATURES)}"),
       missing='a list of feature names such as ["x1", "x2"]')
def check_2(answer):
    """Exercise 2: the smallest set of features for which a net with no hidden layer
    separates the circle (test loss below 0.1 in 100 epochs)."""
    names = f"a list of names from {list(FEATURES)}, e.g. [\"x1\", \"x2\"]"
    wrong = [f for f in answer if not isinstance(f, str) or f not in FEATURES]
    if wrong:
        return report(False, success="", hint=f"{wrong[0]!r} is not a feature name; give {names}.")
    features = list(dict.fromkeys(answer))
    if not features:
        return report(False, success="", hint="pick at least one feature.")
    t = Trainer({"features": features, "hidden": []}).train(CIRCLE_EPOCHS)
    loss = t.history.final("val_loss")
    if loss >= CIRCLE_TARGET:
        hint = ("the boundary is x1² + x2² = r²: which features appear in that equation?"
                if set(features) != {"x1^2"} and set(features) != {"x2^2"} else
                "one square is half of the circle's equation x1² + x2² = r²: add the other.")
        return report(False, success="", hint=f"test loss {loss:.3g}; {hint}")
    if len(features) > 2:
        return report(False, success="", hint=f"this works (test loss {loss:.3g}), but some of "
                      "these features are not needed: two suffice.")
    return report(True, success=f"test loss {loss:.3g} with no hidden layer: in the features "
                  f"{', '.join(features)} the circle is linearly separable.", hint="")


@check(TEXT.named("the JSON text (a str) of app.export_config()"),
       missing="the JSON text of a configuration (Playground: Share > Export)")
def check_3(answer):
    """Exercise 3: a JSON configuration (to hand out) that learns xor from x1, x2 alone to a
    test accuracy of at least 95 % in 50 epochs."""
    try:
        cfg, _ = config_from_json(answer)
    except ValueError as exc:
        return report(False, success="", hint=f"the text does not load: {exc}.")
    if cfg["dataset"] != "xor":
        return report(False, success="", hint='the configuration must use "dataset": "xor".')
    if cfg["features"] != ["x1", "x2"]:
        return report(False, success="", hint='use only the features ["x1", "x2"]: the point is '
                      "that the hidden layer learns the product x1·x2 itself.")
    t = Trainer(cfg).train(XOR_EPOCHS)
    h = t.history
    if h.diverged:
        return report(False, success="", hint="the run diverged: lower the learning rate.")
    acc = h.final("val_accuracy")
    if acc >= XOR_ACCURACY:
        return report(True, success=f"test accuracy {100 * acc:.1f} % after {t.epoch} epochs: "
                      "a setting anyone can import.", hint="")
    hint = ("no hidden layer cannot do xor: add one with a few neurons." if not cfg["hidden"]
            else "close: try Adam with lr 0.03, or a second hidden layer.")
    return report(False, success="", hint=f"test accuracy {100 * acc:.1f} %; {hint}")
