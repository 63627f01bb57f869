"""Exercise checks answer every wrong type with a hint naming the type expected, never a
traceback; the machinery in helpers.exercises (check, close, report, kinds) does the type work."""

import numpy as np
import pytest

from helpers.exercises import (ARRAY, FUNCTION, NAMES, NO_ANSWER, NUMBER, WrongType, activations,
                               batch_size, check, close, depth, epochs, gpt3, initialization,
                               learning_rate, losses, network, optimizers, pair, regularization,
                               report, tuning, width)


def _hint(capsys):
    out = capsys.readouterr().out
    assert out.startswith("✗ Not yet: "), out
    return out


# ---- the reproducers of issue 14 --------------------------------------------------------------

@pytest.mark.parametrize("fn", [activations.check_1, activations.check_3, batch_size.check_1,
                                batch_size.check_2, batch_size.check_3, depth.check_1,
                                depth.check_3, epochs.check_1, epochs.check_4, gpt3.check_1,
                                gpt3.check_2, gpt3.check_3, gpt3.check_4,
                                initialization.check_1, learning_rate.check_1,
                                learning_rate.check_2, losses.check_1, network.check_3,
                                optimizers.check_1, tuning.check_2, tuning.check_3,
                                width.check_1, width.check_2])
@pytest.mark.parametrize("answer", [10**400, -10**400])
def test_a_number_too_large_for_a_float_gets_a_hint(fn, answer, capsys):
    assert not fn(answer)  # was OverflowError: int too large to convert to float
    assert "too large for a float" in _hint(capsys)


def test_an_array_for_a_count_gets_a_hint_not_an_ambiguous_truth_value(capsys):
    assert not network.check_1(np.zeros((7, 5)))  # was "truth value of an array is ambiguous"
    assert "answer_1 must be a number, not an array of shape (7, 5)" in _hint(capsys)
    assert not network.check_3(np.arange(3))
    assert "must be a number" in _hint(capsys)


def test_a_string_is_never_accepted_for_a_number(capsys):
    assert learning_rate.check_1(0.5)
    capsys.readouterr()
    assert not learning_rate.check_1("0.5")  # was accepted: close() parsed the text
    assert "not the text '0.5': remove the quotes" in _hint(capsys)
    assert not network.check_1(f"{2 * 16 + 16 + 16 * 16 + 16 + 16 * 3 + 3}")
    assert "remove the quotes" in _hint(capsys)


def test_an_initializer_in_the_torch_layout_gets_its_own_hint(capsys):
    def torch_layout(fan_in, fan_out, rng):
        return rng.normal(0, 5 / 3 / np.sqrt(fan_in), size=(fan_out, fan_in))

    assert not initialization.check_3(torch_layout)  # was a gufunc (matmul) shape error
    assert "PyTorch's layout" in _hint(capsys)


@pytest.mark.parametrize("init, words", [
    (lambda fan_in, fan_out, rng: 1.0, "returned shape ()"),
    (lambda fan_in, fan_out, rng: "weights", "returned the text 'weights'"),
    (lambda fan_in, fan_out, rng: 1 / 0, "raised ZeroDivisionError"),
    (lambda fan_in, fan_out, rng: np.full((100, 3), np.nan), "nan or inf"),
    (lambda fan_in, fan_out, rng: np.full((fan_in, fan_out), 1e200), "std"),
    (lambda fan_in, fan_out, rng: np.zeros((100, 3)), "does not run"),
])
def test_an_initializer_returning_something_else_gets_a_hint(init, words, capsys):
    assert not initialization.check_3(init)
    assert words in _hint(capsys)


def test_the_wrong_types_of_the_other_paths_get_their_hints(capsys):
    x, dout = network._example_batch()
    for answer, words in [({"a": 1}, "not a dict"), ("dW", "not the text 'dW'"),
                          ([[1, 2], [3]], "rows have different lengths"),
                          ([10**400, 1], "too large for a float"),
                          (np.full((3, 2), np.nan), "nan or inf"), (1 + 2j, "an array of numbers"),
                          (np.zeros((3, 2), bool), "booleans")]:
        assert not network.check_2(answer, x, dout)
        assert words in _hint(capsys)
    assert not activations.check_2(np.zeros(3), *activations._example_layers())
    assert "must be a pair (W, b) of arrays" in _hint(capsys)
    assert not regularization.check_3((6.5, 9))
    assert "whole epoch numbers" in _hint(capsys)
    assert not regularization.check_3("6, 9")
    assert "pair (best_epoch, stopped_epoch)" in _hint(capsys)
    assert not width.check_3(32.5, *width._example_sweep()) and "whole number" in _hint(capsys)
    assert not width.check_3(float("inf"), *width._example_sweep())
    assert "overflow" in _hint(capsys)  # was OverflowError: cannot convert float infinity
    assert not depth.check_2(lambda *a: "many") and "returned the text 'many'" in _hint(capsys)


def test_a_learners_function_returning_the_wrong_type_is_not_accepted(capsys):
    right = learning_rate.check_3(lambda t: 0.5 ** (t // 100))
    assert right
    capsys.readouterr()
    assert not learning_rate.check_3(lambda t: str(0.5 ** (t // 100)))  # float() parsed it
    assert "at t = 0 it returned the text '1.0'" in _hint(capsys)
    assert not tuning.check_1(lambda u, lo, hi: str(10 ** (np.log10(lo) + u * np.log10(hi / lo))))
    assert "must return a number" in _hint(capsys)
    assert not losses.check_2(lambda z: "3.4")
    assert "returned the text '3.4'" in _hint(capsys)
    assert not optimizers.check_3(lambda *args: None)
    assert "must return the three arrays" in _hint(capsys)
    assert not optimizers.check_3(lambda theta, g, m, v, *rest: (np.tile(theta, (3, 1)), m, v))
    assert "keep theta's shape" in _hint(capsys)


def test_right_answers_of_every_kind_still_pass():
    assert network.check_1(2 * 16 + 16 + 16 * 16 + 16 + 16 * 3 + 3)
    assert network.check_1(np.int64(371)) and network.check_1(np.array(371.0))
    x, dout = network._example_batch()
    assert network.check_2(x.T @ dout, x, dout) and network.check_2((x.T @ dout).tolist(), x, dout)
    W1, b1, W2, b2 = activations._example_layers()
    assert activations.check_2((W1 @ W2, b1 @ W2 + b2), W1, b1, W2, b2)
    assert activations.check_2([W1 @ W2, b1 @ W2 + b2], W1, b1, W2, b2)
    assert regularization.check_3((6, 9)) and regularization.check_3(np.array([6, 9]))
    assert regularization.check_3((6.0, 9.0))
    assert epochs.check_3(6, *epochs._example_curve())


# ---- the machinery ----------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["0.5", True, np.True_, [0.5], np.array([0.5]), 1 + 0j,
                                   float("nan"), float("inf"), 10**400, None, {"x": 0.5}, b"0.5"])
def test_close_is_false_for_anything_but_a_finite_real_number(value):
    assert not close(value, 0.5)
    assert not close(value, 1.0)


@pytest.mark.parametrize("value", [0.5, np.float32(0.5), np.float64(0.5), np.array(0.5), 1 / 2])
def test_close_accepts_real_numbers_of_any_type(value):
    assert close(value, 0.5)


def test_report_never_raises_on_an_ok_without_a_single_truth_value(capsys):
    assert not report(np.array([True, True]), success="yes", hint="no")
    assert capsys.readouterr().out == "✗ Not yet: no\n"

    class Broken:
        def __bool__(self):
            raise RuntimeError("no truth")

    assert not report(Broken(), success="yes", hint="no")
    assert report(np.bool_(True), success="yes", hint="no")


def test_the_check_decorator_reminds_converts_hints_and_catches(capsys):
    seen = []

    @check(NUMBER, missing="a number of apples")
    def check_7(answer):
        seen.append(answer)
        if answer == 3:
            raise KeyError("boom")
        return report(answer == 2, success="two", hint="count again")

    assert check_7(None) is NO_ANSWER and check_7(...) is NO_ANSWER
    assert "replace None with a number of apples" in capsys.readouterr().out
    assert check_7(np.int32(2)) and seen[-1] == 2.0 and type(seen[-1]) is float
    assert capsys.readouterr().out == "✓ two\n"
    assert not check_7("2") and "answer_7 must be a number, not the text '2'" in _hint(capsys)
    verdict = check_7(3)  # the body's own bug: a sentence for the learner, .error for the tests
    assert not verdict and isinstance(verdict.error, KeyError)
    assert "this check could not use answer_7 (KeyError" in _hint(capsys)
    assert check_7.expects is NUMBER and check_7.example_args is None
    assert check_7.__name__ == "check_7" and check_7.__doc__ is None


def test_kinds_accept_their_type_and_name_the_rest():
    assert NUMBER.accepts(3) and not NUMBER.accepts("3") and not NUMBER.accepts(False)
    assert ARRAY.accepts([[1, 2], [3, 4]]) and ARRAY.accepts(3.0) and not ARRAY.accepts("ab")
    assert not ARRAY.accepts([[1, 2], [3]]) and not ARRAY.accepts([None, 1])
    assert FUNCTION.accepts(len) and not FUNCTION.accepts(3)
    assert NAMES.accepts(("x1",)) and not NAMES.accepts("x1") and not NAMES.accepts(["x1", 2])
    two = pair(NUMBER)
    assert two.noun == "a pair (two items, each a number)"
    assert two.convert([1, np.int8(2)]) == (1.0, 2.0)
    for bad in ([1], (1, 2, 3), "12", {1: 2}, np.zeros(()), (1, "2")):
        with pytest.raises(WrongType):
            two.convert(bad)
    named = FUNCTION.named("a function f(t)")
    assert named.noun == "a function f(t)" and named.convert is FUNCTION.convert
