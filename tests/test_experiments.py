"""The claims of the pages beyond the Quora experiment, each checked against the computation that makes it."""

import re

import numpy as np
import pytest
from hypothesis import given, settings

from reluviz import Network, analyze_line
from reluviz.experiments import (
    XOR_INPUTS,
    XOR_TARGETS,
    best_linear_fit,
    interpolating_network,
    interpolation_errors,
    log_log_slope,
    max_pieces_one_input,
    pieces_at_random_init,
    sawtooth_network,
    xor_network,
)
from reluviz.portable_random import derived_seed

from .strategies import networks


@pytest.mark.parametrize("depth", range(1, 9))
def test_sawtooth_has_exactly_two_to_the_depth_pieces(depth):
    pieces = analyze_line(sawtooth_network(depth), 0.0, 1.0)
    assert pieces.linear_pieces == 2**depth
    np.testing.assert_allclose(pieces.breakpoints, np.arange(1, 2**depth) / 2**depth, atol=1e-12)


def test_random_networks_have_about_n_plus_one_pieces_on_the_whole_line():
    # Kogan, Jananthan and Kepner (2025): for wide one-input He-initialised networks with biases, the expected count
    # over the whole line is N + o(N) + 1. With 40 networks per setting, the standard error of a mean is about 4 % of
    # N + 1 for 8 units per layer, so 12 % leaves room for sampling while still failing for any other growth (at
    # depth 8, doubling per layer would be 128 times the one-layer count).
    result = pieces_at_random_init([32, 64], [1, 2, 4], networks=40, window=(-5.0, 5.0), seed=1)
    expected = np.array([[33], [65]])
    assert np.all(result.whole_line[:, 0, :] == expected), "one hidden layer has exactly N + 1 pieces"
    assert np.all(np.abs(result.whole_line.mean(axis=2) / expected - 1) < 0.12), result.whole_line.mean(axis=2)
    assert np.all(result.in_window <= result.whole_line)
    assert not result.dead_layer.any()
    for j, depth in enumerate(result.depths):
        for i, total in enumerate(result.totals):
            assert result.whole_line[i, j].max() <= max_pieces_one_input([total // depth] * depth)


def test_narrow_deep_networks_lose_pieces_to_dead_layers():
    result = pieces_at_random_init([16], [8], networks=40, window=(-5.0, 5.0), seed=2)
    assert result.dead_layer.mean() > 0.3
    assert np.all(result.whole_line[result.dead_layer] == 1), "a dead layer leaves one flat piece"


@settings(max_examples=80, deadline=None)
@given(networks(output_dim=1))
def test_no_network_has_more_pieces_than_the_upper_bound(net):
    pieces = analyze_line(net, -np.inf, np.inf)
    assert len(pieces.boundaries) + 1 <= max_pieces_one_input(net.widths[1:-1])


def test_narrow_layers_never_have_more_pieces_than_the_depth_page_proves():
    # Layers of one unit: at most 3 pieces from the second layer on. Two layers of two units: at most 7, not 9.
    # Both are proved on the depth page; here no random network, of any scale, beats them.
    for k in range(150):
        for hidden, most in (([1, 1, 1, 1], 3), ([1, 1], 3), ([2, 2], 7)):
            net = Network.random([1, *hidden, 1], init="standard", seed=derived_seed(11, k))
            assert analyze_line(net, -np.inf, np.inf).linear_pieces <= most, (hidden, k)
    from reluviz.figures.sawtooth_depth import two_by_two_network, width_one_network

    assert analyze_line(two_by_two_network(), -np.inf, np.inf).linear_pieces == 7
    assert analyze_line(width_one_network(4), -np.inf, np.inf).linear_pieces == 3
    assert max_pieces_one_input([2, 2]) == 9 and max_pieces_one_input([1] * 4) == 16


@pytest.mark.parametrize("depth", range(1, 9))
def test_the_tent_map_stays_under_the_upper_bound(depth):
    pieces = analyze_line(sawtooth_network(depth), -np.inf, np.inf)
    assert pieces.linear_pieces == 2**depth + (1 if depth == 1 else 2)  # [0, 1] folded, plus the two rays
    assert pieces.linear_pieces <= max_pieces_one_input([2] * depth) == 3**depth


def test_pieces_at_random_init_refuses_uneven_splits():
    with pytest.raises(ValueError, match="divisible"):
        pieces_at_random_init([10], [3], networks=1, window=(-1, 1), seed=0)


def test_interpolant_switches_at_the_knots_and_matches_the_target_there():
    knots = np.linspace(-np.pi, np.pi, 9)
    net = interpolating_network(np.sin, knots)
    pieces = analyze_line(net, knots[0], knots[-1])
    np.testing.assert_allclose(pieces.boundaries, knots[1:-1], atol=1e-12)
    assert set(np.round(pieces.breakpoints, 9)) <= set(np.round(knots[1:-1], 9))
    np.testing.assert_allclose(net.forward(knots)[:, 0], np.sin(knots), atol=1e-12)


def test_interpolant_of_a_curve_without_collinear_knots_kinks_at_every_inner_knot():
    knots = np.linspace(0.0, 2.0, 7)
    pieces = analyze_line(interpolating_network(np.exp, knots), 0.0, 2.0)
    np.testing.assert_allclose(pieces.breakpoints, knots[1:-1], atol=1e-12)


def test_interpolation_error_falls_with_order_two():
    # Between knots h apart the interpolant misses a twice-differentiable target by at most h² max|f''| / 8, and
    # n evenly spaced knots on [-π, π] are h = 2π/(n - 1) apart: against h the log-log slope is 2. The errors sit
    # just under the bound (96 % of it at n = 8, nearly all of it from n = 16 on), so the fitted slope is within
    # 0.02 of 2; fitted against n instead of h, the (n - 1) would make it -2.05.
    counts = np.array([8, 16, 32, 64, 128, 256, 512])
    spacing = 2 * np.pi / (counts - 1)
    errors = interpolation_errors(np.sin, -np.pi, np.pi, counts, 20001)
    assert np.all(errors <= spacing**2 / 8)
    assert abs(log_log_slope(spacing, errors) - 2.0) < 0.02
    assert abs(log_log_slope(counts - 1, errors) + 2.0) < 0.02


def test_xor_network_is_exact_and_the_best_linear_model_is_not():
    np.testing.assert_array_equal(xor_network().forward(XOR_INPUTS)[:, 0], XOR_TARGETS)
    _, bias, outputs = best_linear_fit(XOR_INPUTS, XOR_TARGETS)
    np.testing.assert_allclose(outputs, 0.5, atol=1e-12)
    assert bias == pytest.approx(0.5)


def test_bad_experiment_input_is_refused():
    with pytest.raises(ValueError, match="depth"):
        sawtooth_network(0)
    with pytest.raises(ValueError, match="knots"):
        interpolating_network(np.sin, [1.0, 0.0])


@pytest.mark.parametrize("name", ["relu", "leaky_relu", "tanh", "softplus"])
def test_every_named_activation_has_a_counterexample_to_additivity_that_really_fails(name):
    from reluviz import get_activation
    from reluviz.figures.activations_compare import _counterexample

    activation = get_activation(name, 0.1)
    text = _counterexample(activation)
    u, v = (float(t.replace("−", "-")) for t in re.findall(r"f\(([^)]+)\)", text)[:2])
    assert abs(float(activation(np.array(u + v))) - float(activation(np.array([u, v])).sum())) > 1e-3, text


def test_the_identity_has_no_counterexample():
    from reluviz import get_activation
    from reluviz.figures.activations_compare import _counterexample

    with pytest.raises(ValueError, match="identity"):
        _counterexample(get_activation("identity"))
