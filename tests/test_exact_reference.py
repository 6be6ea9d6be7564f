"""Checks of the exact reference itself: hand-worked cases, then agreement with the exact forward pass at many points.

The reference is what the fast code is judged by, so it is checked here against nothing but arithmetic: small
networks whose pieces can be worked out by hand, and brute force with `exact_forward` on random networks.
"""

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reluviz import Network

from .exact_reference import (
    ExactLine,
    ExactRegion,
    exact_forward,
    exact_line,
    exact_preactivations,
    exact_region_count,
    exact_regions,
)
from .strategies import networks

Q = Fraction
INF = math.inf


def _line(layers, activation="relu", lo=-INF, hi=INF, leaky_slope=0.01):
    return exact_line(Network(layers, activation, leaky_slope=leaky_slope), lo, hi)


# --- exact_line by hand -----------------------------------------------------------------------------------------


def test_one_relu_has_one_kink_where_its_input_crosses_zero():
    line = _line([([[1.0]], [-1.0]), ([[1.0]], [0.0])])
    assert line.boundaries == [1] and line.kinks == [1]
    assert line.slopes == [[0], [1]] and line.intercepts == [[0], [-1]]
    assert line.negative == [1, 0]
    assert line.patterns == [((False,),), ((True,),)]


def test_absolute_value_has_one_kink_at_zero():
    line = _line([([[1.0], [-1.0]], [0.0, 0.0]), ([[1.0, 1.0]], [0.0])])
    assert line.boundaries == line.kinks == [0]
    assert line.slopes == [[-1], [1]] and line.intercepts == [[0], [0]]
    assert line.negative == [1, 1]
    assert line.patterns == [((False, True),), ((True, False),)]


def test_units_with_the_same_root_make_one_boundary():
    line = _line([([[1.0], [2.0], [-3.0]], [-1.0, -2.0, 3.0]), ([[1.0, 1.0, 1.0]], [0.0])])
    assert line.boundaries == line.kinks == [1]
    assert line.slopes == [[-3], [3]]


def test_roots_that_are_equal_only_as_exact_rationals_still_make_one_boundary():
    # 0.2 is exactly twice the float 0.1, so x - 0.1 and 2x - 0.2 switch at the very same rational.
    line = _line([([[1.0], [2.0]], [-0.1, -0.2]), ([[1.0, 1.0]], [0.0])])
    assert line.boundaries == line.kinks == [Fraction(0.1)]
    assert line.boundaries[0] != Q(1, 10)


def test_a_unit_that_is_not_used_gives_a_boundary_that_is_not_a_kink():
    line = _line([([[1.0], [1.0]], [0.0, -1.0]), ([[1.0, 0.0]], [0.0])])
    assert line.boundaries == [0, 1]
    assert line.kinks == [0]
    assert line.slopes == [[0], [1], [1]]
    assert line.negative == [2, 1, 0]


def test_identity_activation_gives_boundaries_but_no_kinks():
    line = _line([([[1.0], [-2.0]], [0.0, 2.0]), ([[3.0, 1.0]], [1.0])], "identity")
    assert line.boundaries == [0, 1]
    assert line.kinks == []
    assert line.slopes == [[1], [1], [1]] and line.intercepts == [[3], [3], [3]]
    assert line.negative == [1, 0, 1]


def test_leaky_relu_keeps_its_exact_negative_slope():
    line = _line([([[1.0]], [0.0]), ([[1.0]], [0.0])], "leaky_relu", leaky_slope=0.01)
    assert line.kinks == [0]
    assert line.slopes == [[Fraction(0.01)], [1]]


def test_a_second_layer_root_at_a_first_layer_boundary_makes_no_new_boundary():
    # relu(relu(x) - 1) + relu(relu(x) - 2): the first layer switches at 0 and 1, the second at 1 (again) and 2.
    line = _line([([[1.0], [1.0]], [0.0, -1.0]), ([[1.0, 0.0], [1.0, 0.0]], [-1.0, -2.0]), ([[1.0, 1.0]], [0.0])])
    assert line.boundaries == [0, 1, 2]
    assert line.kinks == [1, 2]
    assert line.slopes == [[0], [0], [1], [2]] and line.intercepts == [[0], [0], [-1], [-3]]
    assert line.negative == [4, 3, 1, 0]
    assert line.patterns[2] == ((True, True), (True, False))


def test_a_unit_that_only_touches_zero_or_is_zero_makes_no_boundary():
    # The second layer's unit is -|x| (touches zero at the first layer's boundary), the third first-layer unit is 0.
    layers = [([[1.0], [-1.0], [0.0]], [0.0, 0.0, 0.0]), ([[-1.0, -1.0, 1.0]], [0.0]), ([[1.0]], [0.0])]
    line = _line(layers)
    assert line.boundaries == [0]
    assert line.kinks == []
    assert line.negative == [2, 2]
    assert [pattern[1] for pattern in line.patterns] == [(False,), (False,)]


def test_zero_preactivation_counts_as_off_but_not_negative():
    line = _line([([[0.0]], [0.0]), ([[1.0]], [5.0])])
    assert line.boundaries == [] and line.negative == [0] and line.patterns == [((False,),)]
    assert line.slopes == [[0]] and line.intercepts == [[5]]


def test_switches_at_the_ends_of_a_finite_interval_are_not_boundaries():
    line = _line([([[1.0], [1.0], [1.0]], [0.0, -1.0, -3.0]), ([[1.0, 1.0, 1.0]], [0.0])], lo=0.0, hi=Q(3))
    assert line.boundaries == line.kinks == [1]
    assert (line.lo, line.hi) == (0, 3)
    assert line.patterns == [((True, False, False),), ((True, True, False),)]


@pytest.mark.parametrize("scale", [2.0**-1000, 2.0**1000])
def test_scaling_by_a_power_of_two_keeps_the_boundaries_exactly(scale):
    # Scaling the first layer and every bias by c > 0 scales each pre-activation by c (relu is positively
    # homogeneous), so the boundaries stay put and the slopes scale by c. Floats would under- or overflow here.
    w1, b1 = [[1.0], [-1.0], [3.0]], [0.5, 0.25, -6.0]
    w2, b2 = [[1.0, 2.0, -1.0], [0.5, -1.0, 1.0]], [-0.5, 0.75]
    w3, b3 = [[1.0, -2.0]], [1.0]
    plain = _line([(w1, b1), (w2, b2), (w3, b3)])
    scaled_layers = [([[scale * w for w in row] for row in w1], [scale * b for b in b1])]
    scaled_layers += [(w2, [scale * b for b in b2]), (w3, [scale * b for b in b3])]
    scaled = _line(scaled_layers)
    assert plain.boundaries and scaled.boundaries == plain.boundaries
    assert len(scaled.kinks) == len(plain.kinks)
    assert scaled.patterns == plain.patterns
    assert scaled.slopes == [[Fraction(scale) * m for m in piece] for piece in plain.slopes]


def test_a_point_on_a_boundary_belongs_to_the_piece_on_its_right():
    line = _line([([[1.0]], [-1.0]), ([[1.0]], [0.0])], lo=-2.0, hi=2.0)
    assert [line.piece_of(s) for s in (-2.0, Q(1, 2), 1, Q(3, 2), 2)] == [0, 0, 1, 1, 1]
    assert line.value(1) == [0] and line.value(Q(7, 4)) == [Q(3, 4)]
    with pytest.raises(ValueError, match="outside"):
        line.piece_of(Q(201, 100))


def test_a_line_through_a_two_input_network():
    net = Network([([[1.0, 0.0], [0.0, 1.0]], [0.0, 0.0]), ([[1.0, 1.0]], [0.0])])
    line = exact_line(net, -INF, INF, origin=[-1.0, -2.0], direction=[1.0, 1.0])  # x = (s - 1, s - 2)
    assert line.boundaries == line.kinks == [1, 2]
    assert line.slopes == [[0], [1], [2]] and line.intercepts == [[0], [-1], [-3]]


def test_the_reference_refuses_what_it_cannot_analyse():
    relu = Network([([[1.0]], [0.0]), ([[1.0]], [0.0])])
    with pytest.raises(ValueError, match="piecewise-linear"):
        exact_line(Network([([[1.0]], [0.0]), ([[1.0]], [0.0])], "tanh"), -1.0, 1.0)
    with pytest.raises(ValueError, match="less than"):
        exact_line(relu, 1.0, 1.0)
    with pytest.raises(ValueError, match="hi must be"):
        exact_line(relu, 0.0, -INF)
    with pytest.raises(ValueError, match="coordinates"):
        exact_line(relu, 0.0, 1.0, origin=[0.0, 0.0], direction=[1.0, 0.0])
    with pytest.raises(ValueError, match="two-input"):
        exact_regions(relu, -1.0, 1.0)


def test_exact_forward_and_preactivations():
    net = Network([([[1.0], [-1.0]], [0.0, 0.5]), ([[2.0, 0.25]], [1.0])], "leaky_relu", leaky_slope=0.5)
    assert exact_preactivations(net, [Q(-1, 3)]) == [[Q(-1, 3), Q(5, 6)]]
    assert exact_forward(net, [Q(-1, 3)]) == [2 * Q(-1, 6) + Q(5, 24) + 1]


# --- exact_regions by hand --------------------------------------------------------------------------------------


def _lines_in_general_position(n):
    """Hidden units for the lines x2 = k x1 + k^2, k = 1..n: no two parallel, and lines j, k meet only at
    (-(j + k), -jk), which tells j and k apart, so no three meet; every meeting point is within 40 of the origin."""
    weight = [[float(k), -1.0] for k in range(1, n + 1)]
    bias = [float(k * k) for k in range(1, n + 1)]
    return Network([(weight, bias), ([[1.0] * n], [0.0])])


@pytest.mark.parametrize("n", range(1, 7))
def test_lines_in_general_position_make_the_textbook_number_of_regions(n):
    assert exact_region_count(_lines_in_general_position(n), -100.0, 100.0) == 1 + n + n * (n - 1) // 2


def test_three_lines_through_one_point_make_six_regions():
    net = Network([([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], [0.0, 0.0, 0.0]), ([[1.0, 1.0, 1.0]], [0.0])])
    regions = exact_regions(net, -1.0, 1.0)
    assert len(regions) == 6
    assert len({region.pattern for region in regions}) == 6
    assert ((False, False, False),) in {region.pattern for region in regions}


def test_one_line_halves_the_square_into_exact_polygons():
    net = Network([([[1.0, 0.0]], [0.0]), ([[1.0]], [0.0])])
    regions = exact_regions(net, -1.0, 1.0)
    assert {region.pattern: region.vertices for region in regions} == {
        ((False,),): [(-1, -1), (0, -1), (0, 1), (-1, 1)],
        ((True,),): [(0, -1), (1, -1), (1, 1), (0, 1)],
    }
    assert [region.area for region in regions] == [2, 2]


def test_a_second_layer_bends_its_line_where_the_first_layer_switches():
    # relu(relu(x1) + relu(x2) - 1): the quadrants, then the second unit's line is cut in the three quadrants it
    # enters (x1 + x2 = 1, x1 = 1, x2 = 1); in the third quadrant it is -1 and cuts nothing.
    net = Network([([[1.0, 0.0], [0.0, 1.0]], [0.0, 0.0]), ([[1.0, 1.0]], [-1.0]), ([[1.0]], [0.0])])
    assert exact_region_count(net, -2.0, 2.0) == 7


def test_a_line_that_misses_the_square_cuts_nothing():
    net = Network([([[1.0, 1.0]], [-10.0]), ([[1.0]], [0.0])])
    assert [region.pattern for region in exact_regions(net, -1.0, Q(1))] == [((False,),)]


# --- agreement with brute force ---------------------------------------------------------------------------------


@st.composite
def integer_networks(draw, input_dim=1):
    """Networks with weights and biases in {-2, …, 2}: many units switch at the same place, or are zero outright."""
    depth = draw(st.integers(1, 3))
    widths = [input_dim] + [draw(st.integers(1, 5)) for _ in range(depth)] + [draw(st.integers(1, 2))]
    small = st.integers(-2, 2).map(float)
    layers = []
    for fan_in, fan_out in zip(widths[:-1], widths[1:]):
        weight = draw(st.lists(st.lists(small, min_size=fan_in, max_size=fan_in), min_size=fan_out, max_size=fan_out))
        layers.append((weight, draw(st.lists(small, min_size=fan_out, max_size=fan_out))))
    return Network(layers, draw(st.sampled_from(["relu", "leaky_relu", "identity"])), leaky_slope=0.25)


any_network = st.one_of(networks(max_depth=3, max_width=5), integer_networks())
intervals = st.sampled_from([(-INF, INF), (-INF, 0.5), (Q(-1, 3), INF), (-3.0, 3.0), (Q(1, 7), Q(2, 7))])


def _two_points_inside(line: ExactLine, k: int) -> tuple[Fraction, Fraction]:
    """Two distinct rational points strictly inside piece k."""
    ends = [line.lo, *line.boundaries, line.hi]
    left, right = ends[k], ends[k + 1]
    if left == -INF and right == INF:
        return Q(-1, 3), Q(5, 2)
    if left == -INF:
        return right - 3, right - Q(1, 5)
    if right == INF:
        return left + Q(1, 5), left + 3
    return left + (right - left) / 7, left + 5 * (right - left) / 7


def _check_line(net: Network, line: ExactLine, origin, direction, extra_points) -> None:
    def point(s):
        return [o + s * d for o, d in zip(origin, direction)]

    assert line.boundaries == sorted(set(line.boundaries))
    assert all(line.lo < b < line.hi for b in line.boundaries)
    pieces = len(line.boundaries) + 1
    assert len(line.slopes) == len(line.intercepts) == len(line.negative) == len(line.patterns) == pieces
    assert line.kinks == [b for k, b in enumerate(line.boundaries) if line.slopes[k] != line.slopes[k + 1]]
    # Each boundary is a place where some unit changes sign, so the patterns on its two sides differ.
    assert all(before != after for before, after in zip(line.patterns, line.patterns[1:]))

    points = [*line.boundaries, *extra_points]
    points += [s for b in line.boundaries for s in (b - Q(1, 1000), b + Q(1, 1000)) if line.lo <= s <= line.hi]
    for k in range(pieces):
        a, b = _two_points_inside(line, k)
        assert line.piece_of(a) == line.piece_of(b) == k
        points += [a, b]
        fa, fb = exact_forward(net, point(a)), exact_forward(net, point(b))
        assert [(vb - va) / (b - a) for va, vb in zip(fa, fb)] == line.slopes[k]
        for s in (a, b):
            zs = exact_preactivations(net, point(s))
            assert tuple(tuple(v > 0 for v in z) for z in zs) == line.patterns[k]
            assert sum(v < 0 for z in zs for v in z) == line.negative[k]
    for s in points:
        assert line.value(s) == exact_forward(net, point(s))
    # The pieces meet: the affine maps on either side of a boundary agree at it.
    for k, b in enumerate(line.boundaries):
        assert [c + m * b for c, m in zip(line.intercepts[k], line.slopes[k])] == line.value(b)


@settings(max_examples=200, deadline=None)
@given(any_network, intervals, st.lists(st.fractions(-20, 20, max_denominator=50), max_size=10))
def test_exact_line_agrees_with_the_exact_forward_pass(net, interval, extra):
    lo, hi = interval
    line = exact_line(net, lo, hi)
    _check_line(net, line, [Q(0)], [Q(1)], [s for s in extra if lo <= s <= hi])


@settings(max_examples=60, deadline=None)
@given(
    st.one_of(networks(input_dim=2, max_depth=2, max_width=5), integer_networks(input_dim=2)),
    st.lists(st.fractions(-3, 3, max_denominator=10), min_size=2, max_size=2),
    st.lists(st.fractions(-2, 2, max_denominator=10), min_size=2, max_size=2).filter(any),
)
def test_exact_line_agrees_along_a_line_through_a_two_input_network(net, origin, direction):
    line = exact_line(net, -INF, INF, origin=origin, direction=direction)
    _check_line(net, line, origin, direction, [Q(-100), Q(100)])


@settings(max_examples=60, deadline=None)
@given(st.one_of(networks(max_depth=1, max_width=5), integer_networks().filter(lambda n: len(n.layers) == 2)))
def test_one_hidden_layer_switches_exactly_where_some_unit_crosses_zero(net):
    roots = {-Fraction(float(b)) / Fraction(float(w)) for (w,), b in zip(net.layers[0].weight, net.layers[0].bias) if w}
    assert exact_line(net, -INF, INF).boundaries == sorted(roots)


def _cross(o, p, q) -> Fraction:
    return (p[0] - o[0]) * (q[1] - o[1]) - (p[1] - o[1]) * (q[0] - o[0])


def _edges(region: ExactRegion):
    n = len(region.vertices)
    return [(region.vertices[i], region.vertices[(i + 1) % n]) for i in range(n)]


@settings(max_examples=100, deadline=None)
@given(
    st.one_of(networks(input_dim=2, max_depth=2, max_width=4), integer_networks(input_dim=2)),
    st.lists(st.tuples(st.fractions(-2, 2, max_denominator=30), st.fractions(-2, 2, max_denominator=30)), max_size=30),
)
def test_exact_regions_tile_the_square_and_carry_the_pattern_of_their_points(net, points):
    lo, hi = Q(-2), Q(2)
    regions = exact_regions(net, lo, hi)
    assert sum(region.area for region in regions) == (hi - lo) ** 2
    assert len({region.pattern for region in regions}) == len(regions)
    for region in regions:
        vertices = region.vertices
        assert len(vertices) >= 3 and len(set(vertices)) == len(vertices)
        assert all(lo <= c <= hi for vertex in vertices for c in vertex)
        # Strictly convex and counter-clockwise: every corner turns left.
        n = len(vertices)
        assert all(_cross(vertices[i - 1], vertices[i], vertices[(i + 1) % n]) > 0 for i in range(n))
    for x in points + [(Q(0), Q(0)), (lo, hi)]:
        holding = [r for r in regions if all(_cross(p, q, x) >= 0 for p, q in _edges(r))]
        assert holding, f"{x} is in no region"
        inside = [r for r in holding if all(_cross(p, q, x) > 0 for p, q in _edges(r))]
        if inside:
            pattern = tuple(tuple(v > 0 for v in z) for z in exact_preactivations(net, x))
            assert [r.pattern for r in inside] == [pattern]
