"""Exact analysis along a line, checked against the forward pass and against brute-force sampling."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reluviz import Network, analyze_line, analyze_segment, measure_on_grid, sampled_kink_count

from .strategies import networks

LO, HI = -6.0, 6.0


def _one_sided_slopes(net, s, h):
    def f(v):
        return net.forward(np.array([v]))[0]

    left = (f(s - h) - f(s - 2 * h)) / h
    right = (f(s + 2 * h) - f(s + h)) / h
    return left, right


@settings(max_examples=80, deadline=None)
@given(networks(), st.integers(0, 2**32 - 1))
def test_pieces_reproduce_the_forward_pass(net, seed):
    pieces = analyze_line(net, LO, HI)
    s = np.concatenate([np.random.default_rng(seed).uniform(LO, HI, 500), pieces.edges])
    exact = net.forward(s)
    scale = max(1.0, np.abs(exact).max())
    np.testing.assert_allclose(pieces.evaluate(s), exact, rtol=0, atol=1e-9 * scale)


@settings(max_examples=80, deadline=None)
@given(networks())
def test_every_breakpoint_is_a_slope_change_of_the_exact_size(net):
    pieces = analyze_line(net, LO, HI)
    edges = pieces.edges
    scale = max(1.0, np.abs(pieces.slopes).max())
    for k, b in enumerate(pieces.boundaries):
        gap = min(edges[k + 1] - edges[k], edges[k + 2] - edges[k + 1])
        if gap < 1e-6:
            continue  # too close to a neighbour for finite differences to resolve
        left, right = _one_sided_slopes(net, b, min(1e-4, gap / 8))
        np.testing.assert_allclose(left, pieces.slopes[k], atol=1e-5 * scale)
        np.testing.assert_allclose(right, pieces.slopes[k + 1], atol=1e-5 * scale)
        if pieces.is_kink[k]:
            assert np.abs(right - left).max() > 0


@settings(max_examples=60, deadline=None)
@given(networks(output_dim=1))
def test_every_sampled_slope_change_lies_at_an_exact_boundary(net):
    pieces = analyze_line(net, LO, HI)
    samples = measure_on_grid(net, LO, HI, 0.01)
    for i in np.flatnonzero(samples.slope_changed):
        near = (pieces.boundaries >= samples.x[i - 1]) & (pieces.boundaries <= samples.x[i + 1])
        assert near.any(), f"grid saw a slope change at x={samples.x[i]} that the exact analysis did not"


@settings(max_examples=60, deadline=None)
@given(networks(output_dim=1))
def test_every_exact_kink_is_seen_by_a_fine_enough_grid(net):
    pieces = analyze_line(net, LO, HI)
    kinks = pieces.breakpoints
    jumps = np.abs(np.diff(pieces.slopes[:, 0]))[pieces.is_kink]
    samples = measure_on_grid(net, LO, HI, 0.001)
    marked = samples.x[samples.slope_changed]
    tolerance = 1e-6 * max(1.0, np.abs(samples.slope).max())
    for kink, jump in zip(kinks, jumps):
        if jump > 10 * tolerance:
            assert np.any(np.abs(marked - kink) <= 0.001 + 1e-9), f"kink at {kink} not seen on the grid"


@settings(max_examples=80, deadline=None)
@given(networks())
def test_negative_counts_and_patterns_match_the_forward_pass(net):
    pieces = analyze_line(net, LO, HI)
    middles = 0.5 * (pieces.edges[:-1] + pieces.edges[1:])
    np.testing.assert_array_equal(pieces.negative, net.negative_count(middles))
    for k in range(len(middles)):
        pattern = pieces.pattern(k)
        expected = net.activation_pattern(middles[k : k + 1])
        assert all(np.array_equal(p, e[0]) for p, e in zip(pattern, expected))


@settings(max_examples=50, deadline=None)
@given(networks(input_dim=2), st.integers(0, 2**32 - 1))
def test_segments_in_the_plane_reproduce_the_forward_pass(net, seed):
    rng = np.random.default_rng(seed)
    start, end = rng.uniform(-4, 4, 2), rng.uniform(-4, 4, 2)
    pieces = analyze_segment(net, start, end)
    s = np.linspace(0, 1, 301)
    exact = net.forward(start + s[:, None] * (end - start))
    np.testing.assert_allclose(pieces.evaluate(s), exact, rtol=0, atol=1e-9 * max(1.0, np.abs(exact).max()))
    np.testing.assert_array_equal(pieces.negative, net.negative_count(pieces.point(0.5 * (pieces.edges[:-1] + pieces.edges[1:]))))


def test_wide_layer_agrees_with_the_dense_path():
    net = Network.random([1, 300, 1], seed=5)
    pieces = analyze_line(net, -100, 100)
    x = np.linspace(-100, 100, 20001)
    np.testing.assert_allclose(pieces.evaluate(x), net.forward(x), rtol=1e-9, atol=1e-9)
    assert len(pieces.breakpoints) == 300


def test_coinciding_kinks_make_one_boundary():
    net = Network([([[1.0], [2.0], [-1.0]], [-1.0, -2.0, 1.0]), ([[1.0, 1.0, 1.0]], [0.0])])
    pieces = analyze_line(net, -3, 3)
    np.testing.assert_allclose(pieces.boundaries, [1.0])
    np.testing.assert_allclose(pieces.slopes[:, 0], [-1.0, 3.0])


def test_kink_on_the_interval_end_is_not_inside():
    net = Network([([[1.0]], [-2.0]), ([[1.0]], [0.0])])
    assert len(analyze_line(net, 2.0, 5.0).boundaries) == 0
    assert len(analyze_line(net, -1.0, 2.0).boundaries) == 0
    np.testing.assert_allclose(analyze_line(net, 2.0, 5.0).slopes[:, 0], [1.0])


def test_kink_exactly_on_a_grid_point_is_marked_once():
    net = Network([([[1.0]], [-0.5]), ([[1.0]], [0.0])])
    samples = measure_on_grid(net, -1, 1, 0.25)
    np.testing.assert_allclose(samples.x[samples.slope_changed], [0.5])


def test_zero_outgoing_weight_switches_without_a_kink():
    net = Network([([[1.0], [1.0]], [0.0, -1.0]), ([[1.0, 0.0]], [0.0])])
    pieces = analyze_line(net, -2, 2)
    np.testing.assert_allclose(pieces.boundaries, [0.0, 1.0])
    np.testing.assert_allclose(pieces.breakpoints, [0.0])
    assert pieces.linear_pieces == 2


def test_cancelling_units_switch_without_a_kink():
    net = Network([([[1.0], [1.0]], [-1.0, -1.0]), ([[2.0, -2.0]], [0.0])])
    pieces = analyze_line(net, -2, 2)
    assert len(pieces.boundaries) == 1 and len(pieces.breakpoints) == 0


def test_cancellation_two_layers_deep():
    # Layer 2 holds relu(x) twice; the output subtracts one from the other, so the kink at 0 disappears.
    net = Network([([[1.0]], [0.0]), ([[1.0], [1.0]], [0.0, 0.0]), ([[1.0, -1.0]], [0.0])])
    pieces = analyze_line(net, -1, 1)
    assert len(pieces.boundaries) == 1 and len(pieces.breakpoints) == 0


def test_zero_input_weight_never_switches():
    net = Network([([[0.0], [1.0]], [-1.0, 0.0]), ([[5.0, 1.0]], [0.0])])
    pieces = analyze_line(net, -1, 1)
    np.testing.assert_allclose(pieces.boundaries, [0.0])
    np.testing.assert_array_equal(pieces.negative, [2, 1])


def test_identity_network_is_one_piece_though_its_units_change_sign():
    net = Network.random([1, *[20] * 3, 1], activation="identity", seed=2)
    pieces = analyze_line(net, -100, 100)
    assert len(pieces.breakpoints) == 0 and pieces.linear_pieces == 1
    assert len(pieces.boundaries) >= 20  # every first-layer unit's input crosses zero inside ±100 (spread init)
    middles = 0.5 * (pieces.edges[:-1] + pieces.edges[1:])
    np.testing.assert_array_equal(pieces.negative, net.negative_count(middles))


def test_grid_misses_two_kinks_closer_than_its_step():
    net = Network([([[1.0], [1.0]], [-0.501, -0.504]), ([[1.0, 1.0]], [0.0])])
    samples = measure_on_grid(net, -1, 1, 0.01)
    assert sampled_kink_count(samples) == 1
    assert len(analyze_line(net, -1, 1).breakpoints) == 2


@pytest.mark.parametrize(
    "call, parameter",
    [
        (lambda: analyze_line(Network.random([1, 3, 1], activation="tanh"), -1, 1), "piecewise linear"),
        (lambda: analyze_line(Network.random([1, 3, 1]), 1, -1), "lo must be smaller"),
        (lambda: analyze_line(Network.random([1, 3, 1]), 0, np.nan), "NaN"),
        (lambda: analyze_line(Network.random([1, 3, 1]), np.inf, np.inf), "lo must be smaller"),
        (lambda: analyze_segment(Network.random([2, 3, 1]), [-1e308, 0], [1e308, 0]), "largest float"),
        (lambda: analyze_line(Network.random([2, 3, 1]), 0, 1), "scalar input"),
        (lambda: analyze_segment(Network.random([2, 3, 1]), [0, 0], [0, 0]), "different"),
        (lambda: analyze_segment(Network.random([2, 3, 1]), [0], [1, 1]), "start"),
    ],
)
def test_bad_input_names_the_parameter(call, parameter):
    with pytest.raises(ValueError, match=parameter):
        call()


@settings(max_examples=80, deadline=None)
@given(st.integers(-12, 12), st.integers(1, 40), st.integers(0, 2**32 - 1))
def test_every_distinct_kink_is_found_at_every_scale(exponent, units, seed):
    rng = np.random.default_rng(seed)
    scale = 10.0**exponent
    weights = rng.choice([-1.0, 1.0], units) * rng.uniform(0.5, 2.0, units)
    biases = -weights * scale * rng.uniform(0.0, 1.0, units)
    net = Network([(weights[:, None], biases), (rng.choice([-1.0, 1.0], (1, units)) * rng.uniform(0.5, 2.0, (1, units)), [0.0])])
    expected = np.unique(-biases / weights)  # what a kink's place is in floating point: one correctly rounded division
    for lo, hi in ((-2 * scale, 2 * scale), (-np.inf, np.inf), (-1e300, 1e300)):
        pieces = analyze_line(net, lo, hi)
        np.testing.assert_array_equal(pieces.boundaries, expected)
        assert pieces.linear_pieces == len(expected) + 1


@settings(max_examples=60, deadline=None)
@given(networks(output_dim=1), st.integers(0, 2**32 - 1))
def test_the_whole_line_holds_every_boundary_and_the_map_far_out(net, seed):
    whole = analyze_line(net, -np.inf, np.inf)
    window = analyze_line(net, -50.0, 50.0)
    inner = whole.boundaries[(whole.boundaries > -50.0) & (whole.boundaries < 50.0)]
    np.testing.assert_allclose(inner, window.boundaries, rtol=1e-9, atol=1e-9)
    s = np.random.default_rng(seed).choice([-1.0, 1.0], 40) * 10.0 ** np.linspace(-6, 100, 40)
    exact = net.forward(s)
    k = whole.piece_index(s)
    size = np.abs(whole.intercepts[k]) + np.abs(whole.slopes[k] * s[:, None]) + 1.0
    assert np.all(np.abs(whole.evaluate(s) - exact) <= 1e-9 * size)


@pytest.mark.parametrize("width", [1, 7, 64, 500])
def test_one_hidden_layer_has_exactly_n_plus_one_pieces_on_the_whole_line(width):
    for seed in range(5):
        pieces = analyze_line(Network.random([1, width, 1], init="he", seed=seed), -np.inf, np.inf)
        assert pieces.linear_pieces == width + 1
        assert pieces.to_dict()["interval"] == [None, None]


def test_too_many_pieces_is_refused_before_the_memory_fills(monkeypatch):
    from reluviz import pieces as module
    from reluviz.experiments import sawtooth_network

    monkeypatch.setattr(module, "MAX_PIECE_VALUES", 2_000)
    assert analyze_line(sawtooth_network(9), 0, 1).linear_pieces == 2**9
    with pytest.raises(ValueError, match="too many pieces"):
        analyze_line(sawtooth_network(12), 0, 1)
