"""A real network on lines and planes through its data: the digits split and training repeat bit for bit, the exact
pieces and class changes agree with dense sampling, and the plane's decision cells name the class the network
predicts."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reluviz import Network
from reluviz.digits import (
    CLASSES,
    IMAGES,
    PIXELS,
    accuracy,
    column_means_and_spreads,
    density_near,
    image_pairs,
    image_triples,
    load_digits_split,
    random_triangle_like,
    survey_lines,
    survey_planes,
    train_digits_network,
)
from reluviz.slices import analyze_through, class_changes, decision_cells, plane_area_scale, plane_through

from .strategies import networks

pytest.importorskip("sklearn")  # the digits come with scikit-learn, in the docs extra


@pytest.fixture(scope="module")
def digits():
    return load_digits_split()


def test_the_split_is_disjoint_complete_and_scaled_exactly(digits):
    assert digits.train_x.shape == (IMAGES - 597, PIXELS) and digits.test_x.shape == (597, PIXELS)
    assert sorted([*digits.train_index.tolist(), *digits.test_index.tolist()]) == list(range(IMAGES))
    assert digits.train_x.min() == 0 and digits.train_x.max() == 1
    assert np.array_equal(digits.train_x * 16, np.round(digits.train_x * 16))  # grey levels / 16, exactly
    again = load_digits_split()
    assert np.array_equal(again.test_index, digits.test_index) and np.array_equal(again.test_x, digits.test_x)
    assert not np.array_equal(load_digits_split(seed=1).test_index, digits.test_index)


@pytest.mark.parametrize(("name", "value"), [("test_images", 0), ("test_images", IMAGES), ("seed", -1)])
def test_a_bad_split_is_refused_by_name(name, value):
    with pytest.raises(ValueError, match=name):
        load_digits_split(**{name: value})


def test_training_on_the_digits_repeats_bit_for_bit_and_learns(digits):
    first = train_digits_network(digits, [16], seed=3, steps=30, learning_rate=0.01)
    second = train_digits_network(digits, [16], seed=3, steps=30, learning_rate=0.01)
    assert np.array_equal(first.losses, second.losses)
    assert all(np.array_equal(a.weight, b.weight) for a, b in zip(first.networks[-1].layers, second.networks[-1].layers))
    assert first.losses[-1] < first.losses[0]
    assert accuracy(first.networks[-1], digits.test_x, digits.test_y) > 0.8


def test_pairs_and_triples_are_of_the_classes_asked_for_and_distinct(digits):
    labels = digits.test_y
    for same in (True, False):
        pairs = image_pairs(labels, 40, same, seed=0)
        assert all((labels[i] == labels[j]) == same and i != j for i, j in pairs)
        assert len({tuple(sorted(p)) for p in pairs.tolist()}) == 40
        assert np.array_equal(pairs, image_pairs(labels, 40, same, seed=0))
    triples = image_triples(labels, 10, seed=0)
    assert all(len(set(labels[t].tolist())) == 3 for t in triples)
    with pytest.raises(ValueError, match="pairs of one class"):
        image_pairs(np.arange(5), 2, same=True, seed=0)


@settings(max_examples=40, deadline=None)
@given(net=networks(input_dim=4, max_depth=3, max_width=6, output_dim=3), seed=st.integers(0, 2**16))
def test_exact_pieces_and_class_changes_agree_with_dense_sampling(net, seed):
    rng = np.random.default_rng(seed)
    start, end = rng.normal(size=4), rng.normal(size=4)
    pieces = analyze_through(net, start, end)
    s = np.linspace(0.0, 1.0, 2001)
    points = start + s[:, None] * (end - start)
    outputs = net.forward(points)
    np.testing.assert_allclose(pieces.evaluate(s), outputs, rtol=1e-9, atol=1e-9)
    changes = class_changes(pieces)
    predicted = changes.class_at(s)
    sorted_outputs = np.sort(outputs, axis=1)
    clear = sorted_outputs[:, -1] - sorted_outputs[:, -2] > 1e-9  # where the two largest are not tied
    assert np.array_equal(predicted[clear], outputs.argmax(axis=1)[clear])
    assert np.all(np.diff(changes.places) >= 0) and np.all(changes.before != changes.after)
    whole = analyze_through(net, start, end, whole_line=True)
    assert set(pieces.boundaries.tolist()) <= set(whole.boundaries.tolist())


@settings(max_examples=20, deadline=None)
@given(net=networks(input_dim=3, max_depth=2, max_width=5, output_dim=3), seed=st.integers(0, 2**16))
def test_decision_cells_name_the_largest_output_where_they_lie(net, seed):
    rng = np.random.default_rng(seed)
    a, b, c = rng.normal(size=(3, 3))
    analysis = plane_through(net, a, b, c)
    cells, segments = decision_cells(analysis)
    assert sum(abs(_area(cell.polygon)) for cell in cells) == pytest.approx(1.5**2, rel=1e-9)
    uv = rng.uniform(-0.25, 1.25, size=(300, 2))
    outputs = net.forward(a + uv[:, :1] * (b - a) + uv[:, 1:] * (c - a))
    top = np.sort(outputs, axis=1)
    for point, output, ordered in zip(uv, outputs, top):
        if ordered[-1] - ordered[-2] < 1e-7:
            continue
        holding = [cell.label for cell in cells if _inside(cell.polygon, point)]
        assert holding and all(label == output.argmax() for label in holding)
    for segment in segments:
        middle = segment.ends.mean(axis=0)
        values = net.forward(a + middle[0] * (b - a) + middle[1] * (c - a))[0]
        i, j = segment.labels
        assert values[i] == pytest.approx(values[j], abs=1e-7) and values[i] >= values.max() - 1e-7


def test_the_random_triangle_is_congruent_to_the_data_triangle(digits):
    means, spreads = column_means_and_spreads(digits.train_x)
    np.testing.assert_allclose(means, digits.train_x.mean(axis=0), rtol=1e-12)
    a, b, c = digits.test_x[:3]
    p, q, r = random_triangle_like(a, b, c, means, spreads, seed=4)
    for (one, two), (three, four) in (((a, b), (p, q)), ((a, c), (p, r)), ((b, c), (q, r))):
        assert np.linalg.norm(two - one) == pytest.approx(np.linalg.norm(four - three), rel=1e-12)
    assert plane_area_scale(a, b, c) == pytest.approx(plane_area_scale(p, q, r), rel=1e-9)


def test_the_surveys_count_what_the_single_analyses_count(digits):
    net = Network.random([PIXELS, 8, 8, CLASSES], init="he", seed=0)
    x = digits.test_x
    pairs = image_pairs(digits.test_y, 4, same=False, seed=0)
    lines = survey_lines(net, x, pairs)
    for (i, j), pieces, changes in zip(pairs, lines.pieces, lines.changes):
        line = analyze_through(net, x[i], x[j])
        assert pieces == len(line.boundaries) + 1 and changes == len(class_changes(line))
    near = density_near(net, x, pairs, 0.1)
    assert near.ends.shape == (4,) and np.all(near.ends >= 0)
    means, spreads = column_means_and_spreads(digits.train_x)
    triples = image_triples(digits.test_y, 2, seed=0)
    planes = survey_planes(net, x, triples, means, spreads, seed=0)
    assert planes.data[0] == len(plane_through(net, *x[triples[0]]))
    assert np.all(planes.random >= 1) and np.all(planes.areas > 0)
    with pytest.raises(ValueError, match="window"):
        density_near(net, x, pairs, 0.5)


def _area(polygon: np.ndarray) -> float:
    u, v = polygon[:, 0], polygon[:, 1]
    return 0.5 * float(np.dot(u, np.roll(v, -1)) - np.dot(v, np.roll(u, -1)))


def _inside(polygon: np.ndarray, point: np.ndarray) -> bool:
    edges = np.roll(polygon, -1, axis=0) - polygon
    offsets = point - polygon
    return bool(np.all(edges[:, 0] * offsets[:, 1] - edges[:, 1] * offsets[:, 0] >= -1e-12))


@pytest.mark.parametrize(("means", "where", "effect"), [
    ({("different", 0): 8, ("different", 30): 5, ("different", 100): 6, ("same", 0): 7, ("same", 30): 4, ("same", 100): 5},
     "Both means are lowest at step 30", "most of them in the first 30 steps, and a few come back."),
    ({("different", 0): 8, ("different", 30): 5, ("different", 100): 6, ("same", 0): 7, ("same", 30): 5, ("same", 100): 4},
     "The means are lowest at steps 30 and 100", "it removes some."),
    ({("different", 0): 5, ("different", 30): 6, ("different", 100): 7, ("same", 0): 7, ("same", 30): 5, ("same", 100): 4},
     "The means are lowest at steps 0 and 100", "training adds pieces between the images here, for at least one kind"),
])
def test_the_sentences_about_the_means_say_what_these_numbers_show(means, where, effect):
    from reluviz.figures.digits_lines import _lowest_sentences

    lowest, training = _lowest_sentences([0, 30, 100], {key: (value, 0.1) for key, value in means.items()})
    assert lowest.startswith(where) and effect in training, (lowest, training)
    assert lowest.endswith("climb part of the way back.") == ("a few come back" in training)
