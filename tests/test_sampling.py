"""The Quora experiment's grid: exact point counts, the four series, and the guards on the grid."""

import numpy as np
import pytest

from reluviz import MAX_GRID_POINTS, Network, analyze_line, grid, measure_on_grid, sampled_kink_count


def test_seed_grid_has_exactly_20001_points_without_drift():
    x = grid(-100, 100, 0.01)
    assert len(x) == 20001
    assert x[0] == -100 and x[-1] == 100
    np.testing.assert_allclose(np.diff(x), 0.01, rtol=1e-9)


def test_series_match_the_network():
    net = Network.random([1, 10, 1], seed=0)
    samples = measure_on_grid(net)
    np.testing.assert_allclose(samples.output, net.forward(samples.x)[:, 0])
    np.testing.assert_array_equal(samples.negative, net.negative_count(samples.x))
    assert len(samples.slope) == len(samples.x) - 1


def test_linear_network_never_changes_slope_but_counts_the_same_negative_units():
    linear = measure_on_grid(Network.random([1, 10, 1], activation="identity", seed=0))
    relu = measure_on_grid(Network.random([1, 10, 1], activation="relu", seed=0))
    assert not linear.slope_changed.any()
    np.testing.assert_array_equal(linear.negative, relu.negative)  # the first layer's inputs are the same
    assert linear.negative.min() < linear.negative.max()


def test_slope_change_marks_sit_next_to_a_kink():
    net = Network([([[1.0]], [-0.505]), ([[1.0]], [0.0])])
    samples = measure_on_grid(net, -1, 1, 0.01)
    np.testing.assert_allclose(samples.x[samples.slope_changed], [0.5, 0.51])


@pytest.mark.parametrize(
    "lo, hi, step, parameter",
    [
        (1, 0, 0.1, "lo must be smaller"),
        (0, 1, 0, "step"),
        (0, 1, -0.1, "step"),
        (0, 1, 0.3, "whole number"),
        (0, 1e9, 1e-3, "at most"),
        (np.nan, 1, 0.1, "finite"),
    ],
)
def test_bad_grids_are_refused(lo, hi, step, parameter):
    with pytest.raises(ValueError, match=parameter):
        grid(lo, hi, step)


def test_cap_is_documented_in_the_error():
    with pytest.raises(ValueError, match=f"{MAX_GRID_POINTS:,}"):
        grid(0, 1, 1e-8)


def test_only_scalar_networks_are_sampled():
    with pytest.raises(ValueError, match="one input and one output"):
        measure_on_grid(Network.random([2, 3, 1]))


def test_sampled_kink_count_matches_exact_count_when_kinks_are_far_apart():
    net = Network.random([1, 10, 1], seed=0)
    assert sampled_kink_count(measure_on_grid(net)) == len(analyze_line(net, -100, 100).breakpoints)


def test_a_grid_too_large_for_the_network_is_refused_before_it_is_evaluated():
    with pytest.raises(ValueError, match="20,000,000 values"):
        measure_on_grid(Network.random([1, 3000, 1]), -100, 100, 0.001)
