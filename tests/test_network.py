"""Networks: construction, validation, forward pass, Jacobian and the linear collapse."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reluviz import Network, collapse, get_activation

from .strategies import networks


def test_forward_matches_hand_computation():
    net = Network([([[1.0], [-2.0]], [0.5, 1.0]), ([[3.0, 4.0]], [-1.0])], "relu")
    x = np.array([-1.0, 0.0, 2.0])
    hidden = np.maximum(0, np.array([[1.0 * v + 0.5, -2.0 * v + 1.0] for v in x]))
    expected = hidden @ np.array([3.0, 4.0]) - 1.0
    np.testing.assert_allclose(net.forward(x)[:, 0], expected)


def test_leaky_relu_keeps_a_slope_left_of_zero():
    leaky = get_activation("leaky_relu", 0.1)
    np.testing.assert_allclose(leaky(np.array([-2.0, 3.0])), [-0.2, 3.0])


def test_relu_is_not_additive():
    relu = get_activation("relu")
    assert relu(np.array(-1.0)) + relu(np.array(1.0)) != relu(np.array(0.0))


def test_random_is_reproducible_and_seed_dependent():
    a = Network.random([1, 8, 8, 1], seed=3)
    b = Network.random([1, 8, 8, 1], seed=3)
    c = Network.random([1, 8, 8, 1], seed=4)
    assert all(np.array_equal(la.weight, lb.weight) for la, lb in zip(a.layers, b.layers))
    assert not np.array_equal(a.layers[0].weight, c.layers[0].weight)


def test_spread_init_puts_kinks_where_asked():
    net = Network.random([1, 500, 1], init="spread", seed=1, spread=(-100, 100))
    kinks = -net.layers[0].bias / net.layers[0].weight[:, 0]
    assert kinks.min() >= -100 and kinks.max() <= 100
    assert kinks.min() < -90 and kinks.max() > 90


def test_standard_init_crowds_kinks_near_zero():
    net = Network.random([1, 500, 1], init="standard", seed=1)
    kinks = -net.layers[0].bias / net.layers[0].weight[:, 0]
    assert np.median(np.abs(kinks)) < 3


@settings(max_examples=60, deadline=None)
@given(networks(), st.integers(0, 2**32 - 1))
def test_jacobian_matches_finite_differences(net, seed):
    x = np.random.default_rng(seed).uniform(-3, 3, (4, net.input_dim))
    h = 1e-6
    jac = net.jacobian(x)
    for i in range(net.input_dim):
        step = np.zeros(net.input_dim)
        step[i] = h
        fd = (net.forward(x + step) - net.forward(x - step)) / (2 * h)
        same_pattern = [
            all(np.array_equal(p, q) for p, q in zip(net.activation_pattern(x[k] + step), net.activation_pattern(x[k] - step)))
            for k in range(len(x))
        ]
        for k in np.flatnonzero(same_pattern):
            np.testing.assert_allclose(jac[k, :, i], fd[k], rtol=1e-5, atol=1e-6)


@settings(max_examples=60, deadline=None)
@given(networks(activation="identity"), st.integers(0, 2**32 - 1))
def test_linear_collapse_equals_forward_pass(net, seed):
    x = np.random.default_rng(seed).normal(size=(16, net.input_dim))
    single = collapse(net)
    np.testing.assert_allclose(single(x), net.forward(x), rtol=1e-9, atol=1e-9)


def test_collapse_refuses_relu():
    with pytest.raises(ValueError, match="activation 'identity'"):
        collapse(Network.random([1, 3, 1]))


@pytest.mark.parametrize(
    "call, parameter",
    [
        (lambda: Network.random([1, 0, 1]), "widths"),
        (lambda: Network.random([1, 2.5, 1]), "widths"),
        (lambda: Network.random([1]), "widths"),
        (lambda: Network.random([1, 3, 1], spread=(5, 5)), "spread"),
        (lambda: Network.random([1, 10**9, 1]), "at most 20,000,000"),
        (lambda: Network.random([1, *[10] * 10**6, 1]), "widths must list 2 to 1,001"),
        (lambda: Network.random([1, 3, 1], activation="sigmoidish"), "activation"),
        (lambda: Network.random([1, 3, 1], init="xavier"), "init"),
        (lambda: Network.random([1, 3, 1], seed=-1), "seed"),
        (lambda: Network.random([1, 3, 1], activation="leaky_relu", leaky_slope=2.0), "leaky_slope"),
        (lambda: Network([([[np.nan]], [0.0])]), "finite"),
        (lambda: Network([([[1.0]], [np.inf])]), "finite"),
        (lambda: Network([([[1.0, 2.0]], [0.0, 1.0])]), "bias"),
        (lambda: Network([([[1.0], [2.0]], [0.0, 0.0]), ([[1.0, 2.0, 3.0]], [0.0])]), "inputs"),
        (lambda: Network([]), "layers"),
        (lambda: Network.random([1, 3, 1]).forward(np.zeros((2, 2))), "x must"),
    ],
)
def test_bad_input_names_the_parameter(call, parameter):
    with pytest.raises(ValueError, match=parameter):
        call()
