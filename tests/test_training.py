"""The training module and the training chapter: gradients, descent, exact pieces of trained networks, repeatability."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reluviz import Network, analyze_line
from reluviz.figures import get_spec
from reluviz.training import loss_and_gradients, train

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
