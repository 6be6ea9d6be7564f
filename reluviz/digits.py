"""A real data set for the chapter "A real network": the handwritten digits scikit-learn ships, a ReLU network trained
on them, and the measurements the chapter makes on lines and planes through the images.

- `load_digits_split`: scikit-learn's 1,797 images of 8 × 8 pixels (they come with the package: nothing is
  downloaded), grey levels 0 to 16 divided by 16 (exactly, a power of two), split into training and test images by
  `reluviz.portable_random`, so the split is the same on every machine.
- `train_digits_network`: a He-initialised network trained by `reluviz.train` on the softmax cross-entropy, bit for
  bit the same on every machine.
- `image_pairs` and `image_triples`: test images drawn by the portable generator, two of one class or of different
  classes, three of three classes.
- `survey_lines`: the exact pieces on the segment between each pair, per unit of its length, and where the
  predicted class changes along it (`reluviz.slices`).
- `random_triangle_like` and `survey_planes`: the exact regions on the plane through three images, and on the plane
  through three random points that make a triangle of the same shape and size, placed as the data are spread.

Sums that decide a result (lengths, means, spreads) are taken with `math.fsum`, which rounds once and so gives the
same bits on every machine; numpy's sums may add in another order elsewhere.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .checks import check_integer, check_network
from .network import Network
from .portable_random import MAX_SEED, derived_seed, standard_normal, uniform
from .slices import DEFAULT_MARGIN, analyze_through, class_changes, plane_area_scale, plane_through
from .training import TrainingRun, train

Array = np.ndarray

IMAGES = 1797
"""How many images scikit-learn's digits hold."""
SIDE = 8
"""Each image is SIDE × SIDE pixels."""
PIXELS = SIDE * SIDE
GREY_LEVELS = 16
"""A pixel's value runs from 0 to 16; dividing by 16 puts it in [0, 1] exactly."""
CLASSES = 10
DEFAULT_TEST_IMAGES = 597
"""The images kept apart for testing: a third of them, which leaves 1,200 to train on."""
SPLIT_STREAM, PAIR_STREAM, TRIPLE_STREAM = 0, 1, 2
"""The portable generator's streams for the split, the pairs and the triples (the random planes use derived seeds)."""


@dataclass(frozen=True)
class Digits:
    """The images, split: pixels in [0, 1], one row per image, and each image's digit (0 to 9).

    Attributes
    ----------
    train_x, test_x : ndarray, shape (images, 64)
    train_y, test_y : ndarray of int, shape (images,)
    train_index, test_index : ndarray of int
        Where each image sits in scikit-learn's order.

    Examples
    --------
    >>> digits = load_digits_split()  # doctest: +SKIP
    >>> digits.train_x.shape, digits.test_x.shape  # doctest: +SKIP
    ((1200, 64), (597, 64))
    """

    train_x: Array
    train_y: Array
    test_x: Array
    test_y: Array
    train_index: Array
    test_index: Array

    @staticmethod
    def one_hot(labels: Array) -> Array:
        """Labels as one-hot rows, the targets of the softmax cross-entropy."""
        return np.eye(CLASSES)[np.asarray(labels, dtype=int)]


def _sklearn_digits() -> tuple[Array, Array]:
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        raise ImportError('the digits come with scikit-learn: pip install scikit-learn (or "reluviz[docs]")') from None
    data = load_digits()
    return np.asarray(data.data, dtype=float), np.asarray(data.target, dtype=int)


def load_digits_split(test_images: int = DEFAULT_TEST_IMAGES, seed: int = 0) -> Digits:
    """scikit-learn's handwritten digits, scaled to [0, 1] and split into training and test images.

    Image ``i`` gets the key ``uniform(seed, 0, i, 0)`` of `reluviz.portable_random`; the ``test_images`` with the
    smallest keys are the test set (in that order), the others the training set (in the same way). So the split
    depends on the seed alone, and is the same on every machine.

    Parameters
    ----------
    test_images : int
        How many images to test on, 1 to 1,796.
    seed : int
        The split's seed.

    Returns
    -------
    Digits

    Raises
    ------
    ImportError
        If scikit-learn is not installed.
    ValueError
        If ``test_images`` or ``seed`` is out of range.

    Examples
    --------
    >>> digits = load_digits_split(test_images=597, seed=0)  # doctest: +SKIP
    >>> len(set(digits.train_index) & set(digits.test_index))  # doctest: +SKIP
    0
    """
    test_images = check_integer("test_images", test_images, 1, IMAGES - 1)
    seed = check_integer("seed", seed, 0, MAX_SEED)
    pixels, labels = _sklearn_digits()
    x = pixels / GREY_LEVELS
    keys = uniform(seed, SPLIT_STREAM, np.arange(len(x)), np.zeros(len(x), dtype=int))
    order = np.argsort(keys, kind="stable")
    test, kept = order[:test_images], order[test_images:]
    return Digits(x[kept], labels[kept], x[test], labels[test], kept, test)


def train_digits_network(digits: Digits, hidden: Sequence[int], seed: int, steps: int, learning_rate: float,
                         keep: Sequence[int] = ()) -> TrainingRun:
    """A network ``[64, *hidden, 10]`` drawn He-initialised with ``seed`` and trained on the training images by
    full-batch Adam on the softmax cross-entropy (`reluviz.train`), keeping the networks after the steps ``keep``.

    Examples
    --------
    >>> run = train_digits_network(load_digits_split(), [16], seed=0, steps=20, learning_rate=0.01)  # doctest: +SKIP
    >>> run.losses[-1] < run.losses[0]  # doctest: +SKIP
    True
    """
    widths = [PIXELS, *hidden, CLASSES]
    network = Network.random(widths, init="he", seed=seed)
    return train(network, digits.train_x, Digits.one_hot(digits.train_y), steps, learning_rate, keep, loss="softmax")


def accuracy(network: Network, x: Array, labels: Array) -> float:
    """The share of images whose largest output is their digit."""
    return float(np.count_nonzero(network.forward(x).argmax(axis=1) == labels)) / len(labels)


def _draws(seed: int, stream: int, count: int, size: int) -> Array:
    """``count`` rows of ``size`` uniform numbers in [0, 1) from the portable generator (row r, column c)."""
    rows, columns = np.indices((count, size))
    return uniform(seed, stream, rows.ravel(), columns.ravel()).reshape(count, size)


def image_pairs(labels: Array, count: int, same: bool, seed: int) -> Array:
    """``count`` different pairs of images (indices into ``labels``), both of one class (``same``) or of two
    classes, drawn by the portable generator: candidate k is ``⌊u n⌋`` for two uniform numbers of row k, taken if it
    fits and was not taken before.

    Returns
    -------
    ndarray of int, shape (count, 2)

    Examples
    --------
    >>> image_pairs(np.array([0, 0, 1, 1, 2]), 3, same=False, seed=0).shape
    (3, 2)
    """
    labels = np.asarray(labels, dtype=int)
    kind = "of one class" if same else "of two classes"
    return _distinct_draws(labels, count, seed, PAIR_STREAM, 2, f"pairs {kind}",
                           lambda i, j: i != j and (labels[i] == labels[j]) == same)


def image_triples(labels: Array, count: int, seed: int) -> Array:
    """``count`` different triples of images of three different classes, drawn as `image_pairs` draws pairs.

    Returns
    -------
    ndarray of int, shape (count, 3)

    Examples
    --------
    >>> image_triples(np.array([0, 1, 2, 0, 1, 2]), 2, seed=0).shape
    (2, 3)
    """
    labels = np.asarray(labels, dtype=int)
    return _distinct_draws(labels, count, seed, TRIPLE_STREAM, 3, "triples of three classes",
                           lambda i, j, k: len({int(labels[i]), int(labels[j]), int(labels[k])}) == 3)


def _distinct_draws(labels: Array, count: int, seed: int, stream: int, size: int, what: str,
                    accept: Callable[..., bool]) -> Array:
    """``count`` different sets of ``size`` image indices that ``accept`` takes, in the order the portable stream
    draws them (the same on every machine); refused in one line if ``labels`` cannot give that many."""
    count = check_integer("count", count, 1)
    n = len(labels)
    found: list[tuple[int, ...]] = []
    seen: set[tuple[int, ...]] = set()
    start = 0
    while len(found) < count:
        batch = 8 * count + 64
        if start > 1000 * (count + 8):
            raise ValueError(f"labels do not hold {count:,} different {what}")
        draws = np.floor(_draws(seed, stream, start + batch, size)[start:] * n).astype(int)
        start += batch
        for indices in draws.tolist():
            key = tuple(sorted(indices))
            if accept(*indices) and key not in seen:
                seen.add(key)
                found.append(tuple(indices))
                if len(found) == count:
                    break
    return np.array(found, dtype=int)


def _length(vector: Array) -> float:
    return math.sqrt(math.fsum((vector * vector).tolist()))


def column_means_and_spreads(x: Array) -> tuple[Array, Array]:
    """Each column's mean and standard deviation (over n), from `math.fsum` sums, the same bits everywhere."""
    x = np.asarray(x, dtype=float)
    means = np.array([math.fsum(column) / len(column) for column in x.T.tolist()])
    spreads = np.array([math.sqrt(math.fsum(((np.array(column) - mean) ** 2).tolist()) / len(column))
                        for column, mean in zip(x.T.tolist(), means)])
    return means, spreads


@dataclass(frozen=True)
class LineSurvey:
    """What `survey_lines` measured on each pair's segment.

    Attributes
    ----------
    pieces : ndarray of int
        Pieces on the segment (a piece ends wherever any hidden unit switches).
    lengths : ndarray of float
        The segment's length, the distance between the two images.
    changes : ndarray of int
        How many times the predicted class changes along the segment.
    """

    pieces: Array
    lengths: Array
    changes: Array

    @property
    def per_length(self) -> Array:
        """Pieces per unit of length."""
        result: Array = self.pieces / self.lengths
        return result


def survey_lines(network: Network, x: Array, pairs: Array) -> LineSurvey:
    """The exact pieces on the segment between the two images of each pair, its length, and how often the predicted
    class changes along it.

    Examples
    --------
    >>> net = Network.random([3, 4, 2], init="he", seed=0)
    >>> survey = survey_lines(net, np.eye(3), np.array([[0, 1], [1, 2]]))
    >>> survey.pieces.shape, bool(np.all(survey.pieces >= 1))
    ((2,), True)
    """
    network = check_network("network", network)
    pieces, lengths, changes = [], [], []
    for i, j in np.asarray(pairs, dtype=int).tolist():
        line = analyze_through(network, x[i], x[j])
        pieces.append(len(line.boundaries) + 1)
        lengths.append(_length(x[j] - x[i]))
        changes.append(len(class_changes(line)))
    return LineSurvey(np.array(pieces), np.array(lengths), np.array(changes))


def random_triangle_like(a: Array, b: Array, c: Array, means: Array, spreads: Array, seed: int) -> tuple[Array, Array, Array]:
    """Three random points that make a triangle of the same shape and size as ``a, b, c``: the first drawn as the
    data are spread (``means + spreads · z``, z standard normal), the other two along two random directions at right
    angles (Gram–Schmidt on two standard normal vectors), so that the sides from the first point have the lengths of
    ``b − a`` and ``c − a`` and the angle between them. All from the portable generator with ``seed``.

    Examples
    --------
    >>> a, b, c = np.zeros(4), np.array([1.0, 0, 0, 0]), np.array([0, 2.0, 0, 0])
    >>> p, q, r = random_triangle_like(a, b, c, np.zeros(4), np.ones(4), seed=1)
    >>> round(float(np.linalg.norm(q - p)), 9), round(float(np.linalg.norm(r - p)), 9), round(float((q - p) @ (r - p)), 9)
    (1.0, 2.0, 0.0)
    """
    size = len(a)
    z = standard_normal(seed, 0, np.repeat(np.arange(3), size), np.tile(np.arange(size), 3)).reshape(3, size)
    first, second = np.asarray(b, dtype=float) - a, np.asarray(c, dtype=float) - a
    one = z[1] / _length(z[1])
    two = z[2] - math.fsum((z[2] * one).tolist()) * one
    two = two / _length(two)
    side = _length(first)
    along = math.fsum((first * second).tolist()) / side
    across = math.sqrt(max(math.fsum((second * second).tolist()) - along * along, 0.0))
    origin = np.asarray(means, dtype=float) + np.asarray(spreads, dtype=float) * z[0]
    return origin, origin + side * one, origin + along * one + across * two


@dataclass(frozen=True)
class PlaneSurvey:
    """Regions counted by `survey_planes` on each triple's plane and on its random twin (the same square of (u, v),
    so the same area), and that area in input space."""

    data: Array
    random: Array
    areas: Array


def survey_planes(network: Network, x: Array, triples: Array, means: Array, spreads: Array, seed: int,
                  margin: float = DEFAULT_MARGIN) -> PlaneSurvey:
    """The exact regions on the plane through each triple of images (`reluviz.slices.plane_through`), and on the
    plane through a random triangle of the same shape and size (`random_triangle_like`, with seed
    ``derived_seed(seed, k)`` for triple ``k``).

    Examples
    --------
    >>> net = Network.random([3, 4, 2], init="he", seed=0)
    >>> survey = survey_planes(net, np.eye(3), np.array([[0, 1, 2]]), np.zeros(3), np.ones(3), seed=0)
    >>> int(survey.data[0]) >= 1 and int(survey.random[0]) >= 1
    True
    """
    network = check_network("network", network)
    data, twins, areas = [], [], []
    side = (1 + 2 * margin) ** 2
    for k, (i, j, m) in enumerate(np.asarray(triples, dtype=int).tolist()):
        a, b, c = x[i], x[j], x[m]
        data.append(len(plane_through(network, a, b, c, margin)))
        twins.append(len(plane_through(network, *random_triangle_like(a, b, c, means, spreads, derived_seed(seed, k)), margin)))
        areas.append(side * plane_area_scale(a, b, c))
    return PlaneSurvey(np.array(data), np.array(twins), np.array(areas))


@dataclass(frozen=True)
class NearDensity:
    """What `density_near` measured: boundaries per unit length near the images and near the class changes.

    Attributes
    ----------
    ends : ndarray
        For each pair, the boundaries within ``window`` of either end (the two images), per unit length.
    changes : ndarray
        For each change of the predicted class, the boundaries within ``window`` of it (the window cut at the
        ends of the segment), per unit length.
    """

    ends: Array
    changes: Array


def density_near(network: Network, x: Array, pairs: Array, window: float) -> NearDensity:
    """How densely the boundaries lie near the images and near the decision boundary, along the segment of each pair:
    the boundaries within ``window`` (a share of the segment, below ½) of each end, and of each place where the
    predicted class changes, each divided by the length of its window in input space.

    Examples
    --------
    >>> net = Network.random([3, 8, 2], init="he", seed=0)
    >>> near = density_near(net, np.eye(3), np.array([[0, 1], [1, 2]]), 0.1)
    >>> near.ends.shape
    (2,)
    """
    network = check_network("network", network)
    if not 0 < window < 0.5:
        raise ValueError(f"window must be a share of the segment between 0 and ½; got {window!r}")
    ends, changes = [], []
    for i, j in np.asarray(pairs, dtype=int).tolist():
        line = analyze_through(network, x[i], x[j])
        length, places = _length(x[j] - x[i]), line.boundaries
        ends.append((np.count_nonzero(places < window) + np.count_nonzero(places > 1 - window)) / (2 * window * length))
        for s in class_changes(line).places.tolist():
            lo, hi = max(0.0, s - window), min(1.0, s + window)
            changes.append(np.count_nonzero((places > lo) & (places < hi)) / ((hi - lo) * length))
    return NearDensity(np.array(ends), np.array(changes))
