"""The training module and the training chapter: gradients, descent, exact pieces of trained networks, repeatability."""

from __future__ import annotations

import hashlib
import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reluviz import Network, analyze_line, datasets, portable_math
from reluviz.experiments import TRAINING_TARGETS
from reluviz.export import to_json
from reluviz.figures import get_spec
from reluviz.training import (
    BETA1,
    BETA2,
    EPSILON,
    LOSSES,
    ONE_MINUS_BETA1,
    ONE_MINUS_BETA2,
    TRAIN_JSON_FIELDS,
    TrainingDiverged,
    _sum_over_points,
    loss_and_gradients,
    train,
)

from .strategies import networks


@settings(max_examples=40, deadline=None)
@given(networks(), st.integers(0, 2**32 - 1))
def test_gradients_match_finite_differences(net, seed):
    rng = np.random.default_rng(seed)
    x, y = rng.uniform(-2, 2, (6, net.input_dim)), rng.normal(size=(6, net.output_dim))
    _, gradients = loss_and_gradients(net, x, y)
    h = 1e-6
    for index, layer in enumerate(net.layers):
        for name, exact in zip(("weight", "bias"), gradients[index]):
            values = getattr(layer, name)
            for position in np.ndindex(values.shape):
                def loss_with(delta, position=position, name=name, index=index):
                    changed = [(layer.weight.copy(), layer.bias.copy()) for layer in net.layers]
                    changed[index][0 if name == "weight" else 1][position] += delta
                    other = Network(changed, net.activation)
                    if any(not np.array_equal(a, b) for a, b in zip(other.activation_pattern(x), net.activation_pattern(x))):
                        return None  # a unit switched inside the difference: the loss has a kink there
                    return loss_and_gradients(other, x, y)[0]

                up, down = loss_with(h), loss_with(-h)
                if up is not None and down is not None:
                    assert exact[position] == pytest.approx((up - down) / (2 * h), rel=1e-4, abs=1e-6)


def test_training_lowers_the_loss_and_repeats_bit_for_bit():
    x = np.linspace(-np.pi, np.pi, 64)[:, None]
    net = Network.random([1, 16, 16, 1], init="he", seed=3)
    first, second = (train(net, x, np.sin(x), steps=300, keep=[100]) for _ in range(2))
    assert first.steps == [0, 100, 300]
    assert first.losses[-1] < 0.2 * first.losses[0]
    for a, b in zip(first.networks[-1].layers, second.networks[-1].layers):
        assert np.array_equal(a.weight, b.weight) and np.array_equal(a.bias, b.bias)
    assert np.array_equal(first.losses, second.losses)


def test_a_trained_network_s_exact_pieces_agree_with_a_dense_check():
    x = np.linspace(-np.pi, np.pi, 64)[:, None]
    trained = train(Network.random([1, 8, 8, 1], init="he", seed=4), x, np.abs(x), steps=400).networks[-1]
    pieces = analyze_line(trained, -np.inf, np.inf)
    dense = np.linspace(-10, 10, 200_001)
    np.testing.assert_allclose(pieces.evaluate(dense), trained.forward(dense), rtol=1e-9, atol=1e-9)
    slope = np.diff(trained.forward(dense)[:, 0]) / np.diff(dense)
    changes = dense[1:-1][np.abs(np.diff(slope)) > 1e-6 * max(1.0, np.abs(slope).max())]
    for kink in pieces.breakpoints[np.abs(pieces.breakpoints) < 9.99]:
        assert np.min(np.abs(changes - kink)) <= 2e-4, f"kink at {kink} not seen densely"


@pytest.mark.parametrize(
    "call, word",
    [
        (lambda net, x: train(net, x, x, steps=0), "steps"),
        (lambda net, x: train(net, x, x, steps=10, learning_rate=-1.0), "learning_rate"),
        (lambda net, x: train(net, x, x[:3], steps=10), "x and y"),
        (lambda net, x: train(net, x, x, steps=10, keep=[20]), "keep"),
    ],
)
def test_bad_training_input_names_the_parameter(call, word):
    with pytest.raises(ValueError, match=word):
        call(Network.random([1, 4, 1], seed=0), np.linspace(-1, 1, 8)[:, None])


def test_the_chapter_s_numbers_are_computed_the_same_way_twice():
    spec = get_spec("training-fit")
    first, second = (spec.compute(**spec.resolve({"steps": 120})) for _ in range(2))
    assert first.published == second.published and first.facts == second.facts
    table = get_spec("training-pieces").compute(seed=0, steps=60).facts["table"]
    assert table.count("\n") == 2 + 15 - 1 and "\\|x\\|" in table


# ---- index-order training: every loss's gradient, bit-for-bit repeats, divergence, agreement with BLAS ----------


def _labels_for(loss: str, rng: np.random.Generator, n: int, outputs: int) -> np.ndarray:
    if loss == "logistic":
        return rng.integers(0, 2, (n, 1)).astype(float)
    if loss == "softmax":
        return np.eye(outputs)[rng.integers(0, outputs, n)]
    return rng.normal(size=(n, outputs))


@pytest.mark.parametrize("loss", LOSSES)
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_every_loss_s_gradient_matches_finite_differences(loss, data):
    outputs = {"mse": None, "logistic": 1, "softmax": data.draw(st.integers(2, 4))}[loss]
    net = data.draw(networks(input_dim=data.draw(st.integers(1, 2)), output_dim=outputs, max_depth=2))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    x = rng.uniform(-2, 2, (7, net.input_dim))
    y = _labels_for(loss, rng, 7, net.output_dim)
    value, gradients = loss_and_gradients(net, x, y, loss=loss)
    h = 1e-6
    for index, layer in enumerate(net.layers):
        for part, exact in enumerate(gradients[index]):
            for position in np.ndindex(exact.shape):
                def moved(delta, part=part, position=position, index=index):
                    changed = [[layer.weight.copy(), layer.bias.copy()] for layer in net.layers]
                    changed[index][part][position] += delta
                    other = Network([tuple(pair) for pair in changed], net.activation)
                    if any(not np.array_equal(a, b) for a, b in zip(other.activation_pattern(x), net.activation_pattern(x))):
                        return None  # a unit switched inside the difference: the loss has a kink there
                    return loss_and_gradients(other, x, y, loss=loss)[0]

                up, down = moved(h), moved(-h)
                if up is not None and down is not None:
                    assert exact[position] == pytest.approx((up - down) / (2 * h), rel=1e-4, abs=1e-6), (loss, index, part, position)
    assert np.isfinite(value)


def test_the_cross_entropies_are_the_textbook_formulas():
    z, labels = np.array([[-40.0], [-1.0], [0.0], [2.5], [800.0]]), np.array([[0.0], [1.0], [1.0], [0.0], [1.0]])
    net = Network([([[1.0]], [0.0])], "identity")  # the output is the input: the loss of these z directly
    expected = np.mean(np.logaddexp(0.0, z) - z * labels)
    assert loss_and_gradients(net, z, labels, loss="logistic")[0] == pytest.approx(expected, rel=1e-14)
    scores = np.array([[1.0, 2.0, -3.0], [700.0, 0.0, 1.0]])
    onehot = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    net3 = Network([(np.eye(3), np.zeros(3))], "identity")
    logs = scores - scores.max(axis=1, keepdims=True) - np.log(np.exp(scores - scores.max(axis=1, keepdims=True)).sum(axis=1, keepdims=True))
    assert loss_and_gradients(net3, scores, onehot, loss="softmax")[0] == pytest.approx(-np.mean((onehot * logs).sum(axis=1)), rel=1e-14)


def _blas_train(net: Network, x: np.ndarray, y: np.ndarray, steps: int, learning_rate: float, loss: str) -> tuple[np.ndarray, list]:
    """Training as plain numpy writes it: @ (BLAS), .sum, np.mean, numpy's exp and log, Adam's corrections by **."""
    params = [[layer.weight.copy(), layer.bias.copy()] for layer in net.layers]
    moments = [[np.zeros_like(p) for p in pair] for pair in params]
    squares = [[np.zeros_like(p) for p in pair] for pair in params]
    losses = []
    for step in range(1, steps + 2):
        inputs, zs = [x], []
        for weight, bias in params[:-1]:
            zs.append(inputs[-1] @ weight.T + bias)
            inputs.append(net.activation(zs[-1]))
        out = inputs[-1] @ params[-1][0].T + params[-1][1]
        if loss == "mse":
            losses.append(np.mean((out - y) ** 2))
            signal = 2 * (out - y) / out.size
        else:
            losses.append(np.mean(np.logaddexp(0.0, out) - out * y))
            signal = (1 / (1 + np.exp(-out)) - y) / len(out)
        if step > steps:
            break
        for index in range(len(params) - 1, -1, -1):
            gradient = (signal.T @ inputs[index], signal.sum(axis=0))
            if index:
                signal = (signal @ params[index][0]) * net.activation.derivative(zs[index - 1])
            for part in (0, 1):
                moment, square = moments[index][part], squares[index][part]
                moment[...] = 0.9 * moment + 0.1 * gradient[part]
                square[...] = 0.999 * square + 0.001 * gradient[part] ** 2
                params[index][part] -= learning_rate * (moment / (1 - 0.9**step)) / (np.sqrt(square / (1 - 0.999**step)) + 1e-8)
    return np.array(losses), params


@pytest.mark.parametrize(
    "widths, data, loss, steps",
    [
        ([1, 16, 1], lambda: datasets.curve_data("wiggly", 200), "mse", 100),
        ([1, 8, 8, 1], lambda: datasets.curve_data("abs", 64), "mse", 60),
        ([2, 16, 16, 1], lambda: datasets.xor(200, 0, 0.2), "logistic", 60),
        ([2, 6, 1], lambda: datasets.moons(100, 1, 0.1), "logistic", 100),
    ],
)
def test_index_order_training_agrees_with_plain_numpy_to_rounding(widths, data, loss, steps):
    net = Network.random(widths, init="he", seed=3)
    x, y = data()
    run = train(net, x, y, steps=steps, loss=loss)
    losses, params = _blas_train(net, x, y, steps, 0.01, loss)
    np.testing.assert_allclose(run.losses, losses, rtol=1e-12)
    for layer, (weight, bias) in zip(run.networks[-1].layers, params):
        np.testing.assert_allclose(layer.weight, weight, rtol=1e-12, atol=1e-12 * np.abs(weight).max())
        np.testing.assert_allclose(layer.bias, bias, rtol=1e-12, atol=1e-12 * np.abs(bias).max())
    assert not np.array_equal(run.losses, losses), "the index order is not BLAS's, so some bit should differ"


def test_numpy_s_cumsum_adds_in_index_order_as_the_training_relies_on():
    """np.sum adds pairwise and BLAS in blocks; cumsum's every partial sum is an output, so it adds one by one.
    With 1 and 2⁵³ the order shows: 2⁵³ + 1 rounds back to 2⁵³."""
    column = np.array([2.0**53] + [1.0] * 15)
    for units in (3, 40):  # few numbers per point (cumsum) and many (rows added in a loop)
        values = np.stack([column, column[::-1]], axis=1)[:, :, None] * np.ones((1, 1, units))
        sequential = np.array([[float(sum_in_order(values[:, j, k])) for k in range(units)] for j in range(2)])
        assert np.array_equal(_sum_over_points(values), sequential)
        assert sequential[0, 0] == 2.0**53 and sequential[1, 0] == 2.0**53 + 16
    assert np.sum(column) != 2.0**53, "np.sum would not do: it groups the ones first"


def sum_in_order(values: np.ndarray) -> float:
    total = values[0]
    for value in values[1:]:
        total = total + value
    return float(total)


def test_known_answers_repeat_on_any_machine():
    """SHA-256 of two runs' JSON, computed when this test was written: a machine, BLAS or numpy whose training
    differs in one bit fails here."""
    run = train(Network.random([1, 6, 6, 1], init="he", seed=0), *datasets.curve_data("wiggly", 32), steps=40)
    assert hashlib.sha256(to_json(run.to_dict()).encode()).hexdigest() == "1d2d07f889f585b0a787a4d1da6351f6e7aa0c18adea0f0363166f58302cbacf"
    run = train(Network.random([2, 5, 1], init="standard", seed=1), *datasets.xor(50, 2, 0.3), steps=40, learning_rate=0.05,
                loss="logistic")
    assert hashlib.sha256(to_json(run.to_dict()).encode()).hexdigest() == "e0b5149f1208798fe3203c06d952633ab81951e23535eff3cf127e5a88045f4c"


def test_adam_s_first_step_is_the_formula_with_running_products():
    net = Network([([[0.5]], [0.25])], "identity")
    x, y = np.array([[1.0], [2.0]]), np.array([[0.0], [1.0]])
    _, ((weight_gradient, _),) = loss_and_gradients(net, x, y)
    run = train(net, x, y, steps=2, learning_rate=0.1, keep=[1])
    g = float(weight_gradient[0, 0])
    moment, square = 0.1 * g, 0.001 * (g * g)
    expected = 0.5 - 0.1 * (moment / (1.0 - 0.9)) / (np.sqrt(square / (1.0 - 0.999)) + 1e-8)
    assert run.networks[1].layers[0].weight[0, 0] == expected
    assert (BETA1, ONE_MINUS_BETA1, BETA2, ONE_MINUS_BETA2, EPSILON) == (0.9, 0.1, 0.999, 0.001, 1e-8)
    assert 1 - BETA1 != ONE_MINUS_BETA1, "1 − 0.9 rounds: the complement is written as it is"


def test_divergence_stops_with_the_step_in_one_line():
    x, y = datasets.curve_data("sin", 16)
    with pytest.raises(TrainingDiverged) as raised:
        train(Network.random([1, 4, 1], init="he", seed=0), x, y, steps=10, learning_rate=1e300)
    assert str(raised.value) == "training diverged at step 1: the loss is no longer a finite number (try a smaller learning rate)"
    assert raised.value.step == 1 and isinstance(raised.value, ValueError)
    net = Network([([[1.0]], [0.0]), ([[1.0]], [0.5])], "relu")  # the loss stays finite while a bias runs off
    with pytest.raises(TrainingDiverged, match=r"^training diverged at step 2: a weight or bias is no longer a finite number"):
        train(net, np.array([[0.0]]), np.array([[0.0]]), steps=5, learning_rate=1.7e308, loss="logistic")
    huge = Network([([[1e300]], [0.0]), ([[1e300]], [0.0])], "relu")
    with pytest.raises(TrainingDiverged, match="at step 0: the loss"):
        train(huge, np.array([[1e10]]), np.array([[0.0]]), steps=3)


@pytest.mark.parametrize(
    "call, fragment",
    [
        (lambda net, x: train(net, x, x, steps=3, loss="hinge"), "loss must be one of mse, logistic, softmax; got 'hinge'"),
        (lambda net, x: train(net, x, x, steps=3, loss=None), "loss must be one of"),
        (lambda net, x: train(net, x, x, steps=3, loss="logistic"), "y must hold labels 0 or 1 for loss 'logistic'"),
        (lambda net, x: train(net, x, np.zeros_like(x), steps=3, loss="softmax"), "loss 'softmax' needs a network with two or more"),
        (lambda net, x: loss_and_gradients(Network.random([1, 2, 2], seed=0), x, np.ones((8, 2)), loss="softmax"),
         "y must hold one-hot rows"),
        (lambda net, x: loss_and_gradients(Network.random([1, 2, 2], seed=0), x, np.ones((8, 2)), loss="logistic"),
         "loss 'logistic' needs a network with one output"),
    ],
)
def test_a_loss_that_does_not_suit_the_data_is_refused_in_one_line(call, fragment):
    with pytest.raises(ValueError) as raised:
        call(Network.random([1, 4, 1], seed=0), np.linspace(-1, 1, 8)[:, None])
    assert fragment in str(raised.value) and "\n" not in str(raised.value)


def test_the_run_s_dictionary_has_the_cli_s_fields():
    x, y = datasets.curve_data("abs", 8)
    run = train(Network.random([1, 3, 1], init="he", seed=0), x, y, steps=4, learning_rate=0.02)
    document = run.to_dict()
    assert tuple(document) == TRAIN_JSON_FIELDS
    assert document["steps"] == 4 and len(document["losses"]) == 5 and document["learning_rate"] == 0.02 and document["loss"] == "mse"


# ---- the data sets ----------------------------------------------------------------------------------------------


def test_the_data_streams_are_no_network_s():
    from reluviz.network import MAX_LAYERS
    from reluviz.portable_random import SEED_STREAM, STREAMS_PER_LAYER

    streams = {datasets.STREAM_POSITION, datasets.STREAM_NOISE, datasets.STREAM_CENTRE}
    assert len(streams) == 3 and min(streams) >= STREAMS_PER_LAYER * (MAX_LAYERS + 1) and SEED_STREAM not in streams


def test_evenly_spaced_points_are_numpy_s_linspace_with_the_last_exactly_hi():
    for lo, hi, n in [(-np.pi, np.pi, 256), (-3.0, 2.5, 7), (0.1, 0.3, 2), (-1e9, 1e-9, 1000)]:
        values = datasets.evenly_spaced(lo, hi, n)
        assert np.array_equal(values, np.linspace(lo, hi, n)) and values[-1] == hi and values[0] == lo


def test_the_curves_are_the_chapter_s_with_the_portable_sine():
    x = datasets.evenly_spaced(-np.pi, np.pi, 1001)
    np.testing.assert_allclose(datasets.curve("sin", x), np.sin(x), rtol=0, atol=1e-15)
    np.testing.assert_allclose(datasets.curve("wiggly", x), np.sin(3 * x) + 0.5 * np.sin(7 * x), rtol=0, atol=1e-14)
    assert np.array_equal(datasets.curve("abs", x), np.abs(x))
    assert set(TRAINING_TARGETS) == set(datasets.CURVES.values())
    assert np.array_equal(TRAINING_TARGETS["sin x"](x), portable_math.sin(x))


@pytest.mark.parametrize("name", datasets.LABELLED_SETS)
def test_each_labelled_set_is_shaped_labelled_and_drawn_from_its_seed(name):
    make = datasets.LABELLED[name]
    x, y = make(300, 5, 0.1)
    assert x.shape == (300, 2) and y.shape == (300, 1) and set(np.unique(y)) == {0.0, 1.0}
    assert 0.3 < y.mean() < 0.7
    assert np.abs(x).max() < datasets.REACH + 1.0
    again, labels = make(300, 5, 0.1)
    assert np.array_equal(again, x) and np.array_equal(labels, y)
    assert not np.array_equal(make(300, 6, 0.1)[0], x), "another seed, other points"
    fewer = make(50, 5, 0.1)
    assert np.array_equal(fewer[0], x[:50]), "point i does not depend on how many are drawn"
    clean, _ = make(300, 5, 0.0)
    assert 0.0 < np.abs(x - clean).std() < 0.2


def test_the_sets_have_their_shapes():
    x, y = datasets.circles(400, 0, 0.0)
    radii = np.hypot(x[:, 0], x[:, 1])
    np.testing.assert_allclose(radii, np.where(y[:, 0] == 1, datasets.CIRCLE_RADII[1], datasets.CIRCLE_RADII[0]), rtol=1e-14)
    x, y = datasets.xor(400, 0, 0.0)
    assert np.array_equal(y[:, 0] == 1, x[:, 0] * x[:, 1] > 0) and np.abs(x).max() <= datasets.REACH
    x, y = datasets.spiral(400, 0, 0.0)
    assert np.hypot(x[:, 0], x[:, 1]).max() <= datasets.REACH
    x, y = datasets.moons(400, 0, 0.0)
    assert np.abs(x).max() <= datasets.REACH * (1 + 1e-15)


def test_a_data_file_round_trips_and_malformed_files_are_refused_in_one_line(tmp_path):
    x, y = datasets.spiral(20, 1)
    path = tmp_path / "data.json"
    datasets.write_data(path, x, y)
    read_x, read_y = datasets.read_data(path)
    assert np.array_equal(read_x, x) and np.array_equal(read_y, y)
    assert path.read_text().startswith('{"x": [[') and json.loads(path.read_text())["y"][0] == [0.0]
    bad = {
        "not json": ("{x", "is not JSON"),
        "list": ("[1, 2]", 'must hold a JSON object with the fields "x" and "y"'),
        "extra": ('{"x": [[1]], "y": [[1]], "z": 1}', 'got "x", "y", "z"'),
        "ragged": ('{"x": [[1, 2], [1]], "y": [[1], [0]]}', "x must be"),
        "strings": ('{"x": [["a"]], "y": [[1]]}', "x must be"),
        "flat": ('{"x": [1, 2], "y": [[1], [0]]}', "x must be a list of 1 to 100,000 rows"),
        "empty": ('{"x": [], "y": []}', "x must be a list of 1 to"),
        "pairing": ('{"x": [[1], [2]], "y": [[1]]}', "y must have one row per point of x (2); got 1 rows"),
        "nan": ('{"x": [[NaN]], "y": [[1]]}', "x must hold finite numbers only"),
        "bools": ('{"x": [[true]], "y": [[1]]}', "x must be"),
    }
    for name, (text, fragment) in bad.items():
        path.write_text(text)
        with pytest.raises(ValueError) as raised:
            datasets.read_data(path)
        message = str(raised.value)
        assert fragment in message and "\n" not in message and str(path) in message, (name, message)


@pytest.mark.parametrize(
    "call, fragment",
    [
        (lambda: datasets.xor(0), "points must be an integer ≥ 1"),
        (lambda: datasets.circles(5, seed=-1), "seed must be an integer ≥ 0"),
        (lambda: datasets.moons(5, noise=-0.1), "noise must be a finite number ≥ 0"),
        (lambda: datasets.spiral(5, noise=math.inf), "noise must be"),
        (lambda: datasets.curve("cos", [0.0]), "name must be one of sin, abs, wiggly; got 'cos'"),
        (lambda: datasets.curve_data("sin", 1), "points must be an integer ≥ 2"),
        (lambda: datasets.evenly_spaced(1.0, 0.0, 4), "lo must be smaller than hi"),
    ],
)
def test_bad_data_arguments_are_refused_naming_the_parameter(call, fragment):
    with pytest.raises(ValueError) as raised:
        call()
    assert fragment in str(raised.value) and "\n" not in str(raised.value)
