"""The claims of the pages beyond the Quora experiment, each checked against the computation that makes it."""

import numpy as np
import pytest

from reluviz import analyze_line
from reluviz.experiments import (
    XOR_INPUTS,
    XOR_TARGETS,
    best_linear_fit,
    interpolating_network,
    interpolation_errors,
    log_log_slope,
    pieces_at_random_init,
    sawtooth_network,
    xor_network,
)


@pytest.mark.parametrize("depth", range(1, 9))
def test_sawtooth_has_exactly_two_to_the_depth_pieces(depth):
    pieces = analyze_line(sawtooth_network(depth), 0.0, 1.0)
    assert pieces.linear_pieces == 2**depth
    np.testing.assert_allclose(pieces.breakpoints, np.arange(1, 2**depth) / 2**depth, atol=1e-12)


def test_pieces_at_random_init_do_not_grow_like_two_to_the_depth():
    # Hanin & Rolnick: pieces per unit length are bounded by a constant times the number of neurons, whatever the
    # depth. Doubling per layer would make depth 8 give 128 times depth 1; we allow a factor of 2, which leaves room
    # for depth's constant-factor effects and for sampling noise with 40 networks per setting, and is 64 times below
    # exponential growth.
    result = pieces_at_random_init([32, 64], [1, 2, 4, 8], networks=40, interval=(-5.0, 5.0), seed=1)
    ratio = result.mean[:, -1] / result.mean[:, 0]
    assert np.all(ratio < 2.0), ratio
    assert np.all(result.mean[1] > result.mean[0]), "more neurons should give more pieces"


def test_pieces_at_random_init_refuses_uneven_splits():
    with pytest.raises(ValueError, match="divisible"):
        pieces_at_random_init([10], [3], networks=1, interval=(-1, 1), seed=0)


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
    # For a twice-differentiable target the error is O(h^2) = O(n^-2). Tolerance 0.1: the fitted slope over
    # n = 8 … 512 is -2.05 here; higher-order terms make small-n points slightly steeper.
    counts = [8, 16, 32, 64, 128, 256, 512]
    errors = interpolation_errors(np.sin, -np.pi, np.pi, counts, 20001)
    assert abs(log_log_slope(counts, errors) + 2.0) < 0.1


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
