"""Exact means exact: the fast analysis equals the rational reference (tests/exact_reference.py) everywhere, the
hard cases that once went wrong included, and every slope it reports is within its stated bound."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reluviz import Network, analyze_line, analyze_segment

from .exact_reference import exact_forward, exact_line
from .strategies import networks

LARGEST = float(np.finfo(float).max)


def _agrees_with_the_reference(net: Network, lo: float, hi: float):
    """The analysis of ``net`` on [lo, hi], after checking it against the reference in every respect."""
    pieces = analyze_line(net, lo, hi)
    truth = exact_line(net, lo, hi)
    assert pieces.boundaries.tolist() == [float(b) for b in truth.boundaries], "boundaries, as nearest doubles"
    assert pieces.breakpoints.tolist() == [float(k) for k in truth.kinks], "kinks"
    assert pieces.negative.tolist() == truth.negative
    for k, pattern in enumerate(truth.patterns):
        assert [layer.tolist() for layer in pieces.pattern(k)] == [list(layer) for layer in pattern]
    slope_bounds, intercept_bounds = pieces.error_bounds()
    for k in range(len(truth.slopes)):
        for o, (slope, intercept) in enumerate(zip(truth.slopes[k], truth.intercepts[k])):
            assert abs(Fraction(float(pieces.slopes[k, o])) - slope) <= Fraction(float(slope_bounds[k, o]))
            assert abs(Fraction(float(pieces.intercepts[k, o])) - intercept) <= Fraction(float(intercept_bounds[k, o]))
    return pieces


def _ulps_after(x: float, steps: int) -> float:
    """The double ``steps`` doubles above ``x`` (below, for negative steps)."""
    for _ in range(abs(steps)):
        x = float(np.nextafter(x, math.inf if steps > 0 else -math.inf))
    return x


def _scaled(net: Network, factor: float) -> Network:
    return Network([(layer.weight * factor, layer.bias * factor) for layer in net.layers], net.activation)


def _two_units(contribution: float) -> Network:
    return Network([([[1.0], [1.0]], [-1.0, -2.0]), ([[1.0, contribution]], [0.0])])


def _close_kinks(count: int, ulps: int, at: float) -> Network:
    places = [at]
    for _ in range(count - 1):
        places.append(_ulps_after(places[-1], ulps))
    return Network([(np.ones((count, 1)), -np.array(places)), (np.ones((1, count)), [0.0])])


def _mixed_scales(width: int, seed: int) -> Network:
    rng = np.random.default_rng(seed)
    magnitude = lambda: 10.0 ** rng.uniform(-8, 8, width) * rng.choice([-1.0, 1.0], width)  # noqa: E731
    weight, kink, out = magnitude(), magnitude(), magnitude()
    return Network([(weight[:, None], -weight * kink), (out[None, :], [0.0])])


BASE = Network([([[1.0], [1.0]], [-1.0, -2.0]), ([[1.0, -0.5]], [0.3])])
# The cases an adversarial pass found wrong before the analysis was exact: (name, network, lo, hi, true kinks).
HARD_CASES = [
    ("10 kinks in ±100, interval ±(largest double)", Network.random([1, 10, 1], seed=0), -LARGEST, LARGEST, 10),
    ("the same, interval [0, largest double]", Network.random([1, 10, 1], seed=0), 0.0, LARGEST, 7),
    ("5 kinks 8 ulp apart at x = 1", _close_kinks(5, 8, 1.0), 0.0, 2.0, 5),
    ("5 kinks 1 ulp apart at x = 1", _close_kinks(5, 1, 1.0), 0.0, 2.0, 5),
    ("one kink 4 ulp inside hi", Network([([[1.0]], [-_ulps_after(100.0, -4)]), ([[1.0]], [0.0])]), 0.0, 100.0, 1),
    ("slope contributions 1 and 1e-10", _two_units(1e-10), -10.0, 10.0, 2),
    ("slope contributions 1 and 1e-12", _two_units(1e-12), -10.0, 10.0, 2),
    ("slope contributions 1 and 1e-15", _two_units(1e-15), -10.0, 10.0, 2),
    ("slope contributions 1 and 1e-150", _two_units(1e-150), -10.0, 10.0, 2),
    ("weights 1e-200, a tiny copy of a fine network", _scaled(BASE, 1e-200), -10.0, 10.0, 2),
    ("weights 1e150, slopes 1e300", _scaled(BASE, 1e150), -10.0, 10.0, 2),
    ("whole line: a kink at 1e12 and one with slope change 1e-12 near 0",
     Network([([[1.0], [1.0]], [-1e12, 0.5]), ([[1.0, 1e-12]], [0.0])]), -math.inf, math.inf, 2),
    ("leaky ReLU with slope 0.999999999, 10 units", Network.random([1, 10, 1], activation="leaky_relu", leaky_slope=0.999999999, seed=0),
     -100.0, 100.0, 10),
    ("width 2000, kinks and weights spanning 1e-8 … 1e8", _mixed_scales(2000, 0), -math.inf, math.inf, 2000),
    ("a second width-2000 network of mixed scales", _mixed_scales(2000, 1), -math.inf, math.inf, 2000),
]


@pytest.mark.parametrize("name, net, lo, hi, kinks", HARD_CASES, ids=[case[0] for case in HARD_CASES])
def test_every_case_that_once_went_wrong_is_now_exact(name, net, lo, hi, kinks):
    pieces = analyze_line(net, lo, hi)
    assert len(pieces.breakpoints) == kinks
    if net.hidden_units <= 50:
        _agrees_with_the_reference(net, lo, hi)


def test_slopes_beyond_the_largest_double_are_refused_in_one_line_but_the_count_stands():
    pieces = analyze_line(_scaled(BASE, 1e200), -10.0, 10.0)
    assert pieces.linear_pieces == 3
    with pytest.raises(ValueError, match=r"^the slope on piece \d+ is about 2\^\d+ in size, beyond the largest double"):
        _ = pieces.slopes


def test_a_boundary_beyond_the_largest_double_is_refused_when_asked_for():
    pieces = analyze_line(Network([([[1e-300]], [1e300]), ([[1.0]], [0.0])]), -math.inf, math.inf)
    assert len(pieces.is_kink) == 1 and pieces.linear_pieces == 2
    with pytest.raises(ValueError, match=r"^boundary 1 .* beyond the largest double"):
        _ = pieces.boundaries


def test_two_places_that_round_to_one_double_are_both_reported_and_marked():
    # Zeros at 1/3 (3x − 1) and at the double nearest to 1/3 (x − 0.333…): two places, one double.
    third = 1.0 / 3.0
    net = Network([([[3.0], [1.0]], [-1.0, -third]), ([[1.0, 1.0]], [0.0])])
    pieces = _agrees_with_the_reference(net, 0.0, 2.0)
    assert pieces.boundaries.tolist() == [third, third] and pieces.equal_as_doubles == [0]
    assert pieces.linear_pieces == 3 and pieces.to_dict()["equal_as_doubles"] == [0]


@settings(max_examples=120, deadline=None)
@given(networks(max_depth=3, max_width=6), st.sampled_from([(-6.0, 6.0), (-math.inf, math.inf), (0.0, math.inf), (-LARGEST, LARGEST)]))
def test_the_analysis_equals_the_rational_reference(net, interval):
    _agrees_with_the_reference(net, *interval)


@st.composite
def coincident_networks(draw):
    """Small integer weights: zeros that coincide exactly, units that cancel exactly, dead paths."""
    depth = draw(st.integers(1, 3))
    widths = [1] + [draw(st.integers(1, 4)) for _ in range(depth)] + [1]
    values = st.integers(-2, 2).map(float)
    layers = [([[draw(values) for _ in range(i)] for _ in range(o)], [draw(values) for _ in range(o)])
              for i, o in zip(widths[:-1], widths[1:])]
    activation = draw(st.sampled_from(["relu", "leaky_relu", "identity"]))
    return Network(layers, activation, leaky_slope=draw(st.sampled_from([0.5, 1 - 2.0**-52, 0.1])))


@settings(max_examples=150, deadline=None)
@given(coincident_networks(), st.sampled_from([(-3.0, 3.0), (-math.inf, math.inf), (0.0, 1.0)]))
def test_exact_coincidences_cancellations_and_dead_paths_are_decided_exactly(net, interval):
    _agrees_with_the_reference(net, *interval)


def _homogeneously_scaled(net: Network, k: int) -> Network:
    """Layer l's weights times 2ᵏ and its bias times 2^(k·l): every pre-activation of layer l is multiplied by
    2^(k·l) (ReLU commutes with a positive factor), so the function is scaled and its kinks stay where they are.
    (Scaling every bias by 2ᵏ alone keeps them only with one hidden layer.)"""
    return Network([(layer.weight * 2.0**k, layer.bias * 2.0 ** (k * (i + 1))) for i, layer in enumerate(net.layers)],
                   net.activation)


@settings(max_examples=40, deadline=None)
@given(networks(max_depth=3, max_width=5), st.integers(-1000, 1000))
def test_scaling_weights_and_biases_by_a_power_of_two_keeps_every_kink(net, k):
    k = k // len(net.layers)  # the deepest bias is scaled by 2^(k·layers): keep it a double
    scaled = _homogeneously_scaled(net, k)
    whole, again = analyze_line(net, -math.inf, math.inf), analyze_line(scaled, -math.inf, math.inf)
    assert again.linear_pieces == whole.linear_pieces
    np.testing.assert_array_equal(again.is_kink, whole.is_kink)
    np.testing.assert_array_equal(again.boundaries, whole.boundaries)


@settings(max_examples=40, deadline=None)
@given(networks(max_depth=1, max_width=6), st.integers(-1000, 1000))
def test_with_one_hidden_layer_one_factor_for_every_weight_and_bias_keeps_every_kink(net, k):
    whole, again = analyze_line(net, -math.inf, math.inf), analyze_line(_scaled(net, 2.0**k), -math.inf, math.inf)
    assert again.linear_pieces == whole.linear_pieces
    np.testing.assert_array_equal(again.boundaries, whole.boundaries)


@st.composite
def deep_mixed_networks(draw):
    depth = draw(st.integers(4, 8))
    width = draw(st.integers(2, 5))
    net = Network.random([1, *[width] * depth, 1], init="he", seed=draw(st.integers(0, 2**32)))
    exponents = [draw(st.integers(-40, 40)) for _ in net.layers]
    return Network([(layer.weight * 2.0**e, layer.bias * 2.0**e) for layer, e in zip(net.layers, exponents)])


@settings(max_examples=25, deadline=None)
@given(deep_mixed_networks())
def test_deep_networks_with_mixed_scales_equal_the_reference(net):
    _agrees_with_the_reference(net, -math.inf, math.inf)


@settings(max_examples=40, deadline=None)
@given(networks(input_dim=2, max_depth=2, max_width=5), st.lists(st.floats(-5, 5), min_size=4, max_size=4))
def test_a_segment_through_the_plane_equals_the_reference(net, ends):
    start, end = np.array(ends[:2]), np.array(ends[2:])
    if np.array_equal(start, end):
        return
    pieces = analyze_segment(net, start, end)
    truth = exact_line(net, 0.0, 1.0, origin=start.tolist(), direction=[Fraction(e) - Fraction(s) for s, e in zip(start, end)])
    assert pieces.boundaries.tolist() == [float(b) for b in truth.boundaries]
    assert pieces.breakpoints.tolist() == [float(k) for k in truth.kinks]


@settings(max_examples=40, deadline=None)
@given(networks(max_depth=3, max_width=5))
def test_between_kinks_the_exact_function_is_affine_and_at_each_kink_its_slope_changes(net):
    """Checked on the network itself, in rationals, at rational points between the reported places."""
    pieces = analyze_line(net, -8.0, 8.0)
    truth = exact_line(net, -8.0, 8.0)
    places = [Fraction(-8)] + truth.kinks + [Fraction(8)]
    assert [float(k) for k in truth.kinks] == pieces.breakpoints.tolist()
    slopes = []
    for left, right in zip(places[:-1], places[1:]):
        points = [left + (right - left) * Fraction(i, 4) for i in (1, 2, 3)]
        values = [exact_forward(net, [p]) for p in points]
        slope = [(b - a) / (points[1] - points[0]) for a, b in zip(values[0], values[1])]
        assert slope == [(c - b) / (points[2] - points[1]) for b, c in zip(values[1], values[2])]
        slopes.append(slope)
    assert all(a != b for a, b in zip(slopes[:-1], slopes[1:]))
