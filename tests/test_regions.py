"""Exact 2-D region counts: the formula for lines in general position, and against pixel sampling."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reluviz import Network
from reluviz.regions import (
    activation_regions,
    arrangement_half_width,
    lines_in_general_position_regions,
    pixel_region_count,
    region_upper_bound,
    whole_plane_regions,
)

from .strategies import networks


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 9), st.integers(0, 2**32 - 1))
def test_one_layer_region_count_is_the_arrangement_formula(units, seed):
    net = Network.random([2, units, 1], init="standard", seed=seed)
    half = arrangement_half_width(net)
    assert len(activation_regions(net, -half, half)) == lines_in_general_position_regions(units)


@settings(max_examples=25, deadline=None)
@given(networks(input_dim=2, activation="relu", max_depth=2, max_width=5))
def test_pixel_count_never_exceeds_the_exact_count_and_every_pixel_lies_in_a_region(net):
    regions = activation_regions(net, -3.0, 3.0)
    pixel_count, _ = pixel_region_count(net, -3.0, 3.0, 60)
    assert pixel_count <= len(regions)
    patterns = {r.pattern for r in regions}
    assert len(patterns) == len(regions), "two regions with one pattern: a region was cut in two"
    total_area = sum(0.5 * abs(np.dot(p[:, 0], np.roll(p[:, 1], -1)) - np.dot(p[:, 1], np.roll(p[:, 0], -1))) for p in (r.polygon for r in regions))
    assert total_area == pytest.approx(36.0, rel=1e-9)


@settings(max_examples=25, deadline=None)
@given(networks(input_dim=2, activation="relu", max_depth=2, max_width=5), st.integers(0, 2**32 - 1))
def test_each_region_has_the_pattern_of_the_points_inside_it(net, seed):
    regions = activation_regions(net, -3.0, 3.0)
    rng = np.random.default_rng(seed)
    for region in regions[:20]:
        weights = rng.dirichlet(np.ones(len(region.polygon)))
        inside = weights @ region.polygon
        observed = tuple(tuple(bool(v) for v in layer[0]) for layer in net.activation_pattern(inside[None, :]))
        assert observed == region.pattern


def test_regions_refuse_bad_input():
    with pytest.raises(ValueError, match="two inputs"):
        activation_regions(Network.random([1, 3, 1]), -1, 1)
    with pytest.raises(ValueError, match="activation"):
        activation_regions(Network.random([2, 3, 1], activation="tanh"), -1, 1)
    with pytest.raises(ValueError, match="lo"):
        activation_regions(Network([([[1.0, 1.0]], [0.0]), ([[1.0]], [0.0])]), 1, -1)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 8), st.integers(0, 2**32 - 1))
def test_the_whole_plane_holds_exactly_the_arrangement_s_regions_for_one_layer(units, seed):
    net = Network.random([2, units, 1], init="standard", seed=seed)
    regions, _ = whole_plane_regions(net)
    assert len(regions) == lines_in_general_position_regions(units)


@settings(max_examples=15, deadline=None)
@given(networks(input_dim=2, activation="relu", max_depth=2, max_width=5))
def test_the_whole_plane_holds_at_least_the_regions_of_any_square(net):
    regions, half = whole_plane_regions(net)
    assert len(regions) >= len(activation_regions(net, -3.0, 3.0))
    assert len(activation_regions(net, -2 * half, 2 * half)) == len(regions), "doubling the square finds no more"


def test_the_region_figure_compares_both_networks_on_one_square():
    from reluviz.figures import get_spec

    spec = get_spec("regions-2d")
    data = spec.compute(**spec.resolve())
    assert data.published["shallow"]["square"] == data.published["deep"]["square"]
    assert data.published["shallow"]["whole_plane_regions"] == lines_in_general_position_regions(6)
    assert data.published["deep"]["whole_plane_regions"] >= data.published["deep"]["exact_regions"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=3), st.sampled_from(["relu", "leaky_relu", "identity"]),
       st.integers(0, 2**32 - 1), st.booleans())
def test_no_network_has_more_regions_than_the_bound_for_its_shape(widths, activation, seed, biases):
    from reluviz.experiments import without_biases

    net = Network.random([2, *widths, 1], activation=activation, init="standard", seed=seed)
    net = net if biases else without_biases(net)
    try:
        count = len(whole_plane_regions(net)[0])
    except ValueError:  # boundaries beyond the reach of the count: nothing to compare
        return
    assert count <= region_upper_bound(widths, activation)


def test_the_bounds_reach_the_one_layer_count_and_small_shapes_as_they_should():
    """One layer: n lines in general position (which random networks reach, as the first test shows); two layers
    of one unit: the plane is cut once, and the next unit cuts only one side's image, a line (1 + 1 + 1 = 3)."""
    assert [region_upper_bound([n]) for n in (1, 2, 6)] == [2, 4, 22]
    assert region_upper_bound([1, 1]) == 3 and region_upper_bound([1, 1], "leaky_relu") == 4
    assert region_upper_bound([2, 2]) == 11 < region_upper_bound([2, 2], "leaky_relu") == 16
    with pytest.raises(ValueError, match="widths must be"):
        region_upper_bound([0])
