"""A real network on a plane through three of its images: the exact regions and the exact decision boundary of the
handwritten digits network on the plane a + u (b − a) + v (c − a), before and after training, and the regions on
several such planes against planes through random triangles of the same shape and size.

On the plane the network is a piecewise-linear function of (u, v) (`reluviz.slices.plane_through`); on each region
every output is affine, so the predicted class is the largest of ten affine functions and the decision boundary is
made of straight segments where the top two are equal (`reluviz.slices.decision_cells`). The survey asks whether
the regions gather near the data: each plane through three test images of three classes is paired with a plane
through a random triangle congruent to it, placed as the data are spread (`reluviz.digits.random_triangle_like`),
so both squares have the same area. The sides of each triangle give the pieces per unit length on the same planes,
from which Hanin and Rolnick's bound takes its scale.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..digits import (
    CLASSES,
    DEFAULT_TEST_IMAGES,
    IMAGES,
    PIXELS,
    SIDE,
    column_means_and_spreads,
    image_triples,
    load_digits_split,
    survey_lines,
    survey_planes,
    train_digits_network,
)
from ..measures import mean_and_standard_error
from ..slices import DEFAULT_MARGIN, decision_cells, plane_through
from ..style import Palette
from ._draw import new_figure
from ._spec import PROCESS_BYTES, Cost, FigureData
from ._text import count, estimate, listing, number, parameter, percent, plural

TITLE = "A network trained on handwritten digits, exactly, on a plane through three images"
CAPTION = (
    "The plane through three test images, {triple}, of the {widths} digits network: u and v from {low} to {high}, "
    "the images at (0, 0), (1, 0) and (0, 1). Each polygon is a linear region, computed exactly; its colour is the "
    "predicted class, and the thick lines are the decision boundary, where the two largest outputs are equal. (a) at "
    "initialisation: {regions_start} regions. (b) after {steps} steps of training: {regions_end} regions. (c) the "
    "regions on {planes} such planes (dots) and on planes through random triangles of the same shape and size "
    "(crosses), before and after training; bars, the mean and its standard error."
)
ALT = (
    "Panels (a) and (b), a square cut into many small polygons, shaded by the predicted digit, with thick boundary "
    "lines between the shades and three small digit images at three corners of a triangle; the trained network's "
    "polygons are fewer and larger. Panel (c), dots and crosses of region counts in four columns, the dots above the "
    "crosses in both the untrained and the trained columns."
)
PARAMS: dict[str, Any] = {"seed": 0, "width": 32, "layers": 3, "steps": 100, "learning_rate": 0.01, "planes": 8}
SITE_PARAMS: tuple[str, ...] = ()  # trained with its own seed, as in digits-lines, so both figures show one network
LIMITS: dict[str, tuple[float, float]] = {"width": (1, 128), "layers": (1, 6), "steps": (1, 2000),
                                          "learning_rate": (1e-5, 1.0), "planes": (2, 64)}
TRAINING_SECONDS_PER_WEIGHT = 8e-9
"""As in digits-lines: seconds per weight, training image and step, measured with room."""
PLANE_SECONDS = 5e-7
"""Seconds of exact cutting per plane, times the cube of the hidden units: 96 units take 0.2 to 0.5 s a plane on this
machine (about 2.7 × 10⁻⁷ on average), doubled for room."""
THEIR_LAYERS, THEIR_WIDTH = 3, 32
"""The depth and width of the MNIST network for which Hanin and Rolnick (2019b) quote N²/2! (N = 96, 4,608)."""
CLASS_SHADES = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999", "#882255", "#44AA99"]
"""One shade per digit: the Okabe–Ito colours and two of Paul Tol's; the digit is also written in its largest cell."""


def cost(seed: int, width: int, layers: int, steps: int, learning_rate: float, planes: int) -> Cost:
    """Training as in digits-lines; each plane's cutting grows about with the cube of the hidden units."""
    widths = [PIXELS, *[width] * layers, CLASSES]
    weights = sum(a * b for a, b in zip(widths[:-1], widths[1:]))
    training = TRAINING_SECONDS_PER_WEIGHT * weights * (IMAGES - DEFAULT_TEST_IMAGES) * steps
    cutting = PLANE_SECONDS * float(width * layers) ** 3 * (4 * planes + 2)
    memory = PROCESS_BYTES + 8.0 * (IMAGES - DEFAULT_TEST_IMAGES) * width * PIXELS * 4 + 2e3 * float(width * layers) ** 2
    return Cost(seconds=training + cutting + 2.0, bytes=memory, drivers=("width", "layers", "steps", "planes"))


def compute(seed: int, width: int, layers: int, steps: int, learning_rate: float, planes: int) -> FigureData:
    digits = load_digits_split(seed=seed)
    run = train_digits_network(digits, [width] * layers, seed, steps, learning_rate)
    start, end = run.networks[0], run.networks[-1]
    x, labels = digits.test_x, digits.test_y
    triples = image_triples(labels, planes, seed)
    means, spreads = column_means_and_spreads(digits.train_x)
    series: dict[str, Any] = {}
    published: dict[str, Any] = {"widths": end.widths, "steps": steps, "learning_rate": learning_rate,
                                 "square": [-DEFAULT_MARGIN, 1 + DEFAULT_MARGIN] * 2, "final_network": end.to_dict()}
    featured = {}
    a, b, c = (x[k] for k in triples[0])
    for moment, net in (("start", start), ("end", end)):
        analysis = plane_through(net, a, b, c)
        cells, segments = decision_cells(analysis)
        featured[moment] = (analysis, cells, segments)
        series |= {f"{moment}_regions": np.array(analysis.approximate_polygons(), dtype=object),
                   f"{moment}_cells": np.array([cell.polygon for cell in cells], dtype=object),
                   f"{moment}_cell_labels": np.array([cell.label for cell in cells]),
                   f"{moment}_segments": np.array([segment.ends for segment in segments]).reshape(-1, 2, 2)}
        published[f"featured_{moment}"] = {"regions": len(analysis), "decision_segments": [s.ends.tolist() for s in segments]}
    series["images"] = np.array([x[k].reshape(SIDE, SIDE) for k in triples[0]])
    series["labels"] = labels[triples[0]]
    sides = np.concatenate([triples[:, [0, 1]], triples[:, [1, 2]], triples[:, [0, 2]]])  # every side of every triangle
    surveys = {moment: survey_planes(net, x, triples, means, spreads, seed) for moment, net in (("start", start), ("end", end))}
    lines = {moment: survey_lines(net, x, sides).per_length for moment, net in (("start", start), ("end", end))}
    for moment, survey in surveys.items():
        series[f"{moment}_data"], series[f"{moment}_random"] = survey.data, survey.random
        published[f"survey_{moment}"] = {"triples": digits.test_index[triples].tolist(), "data_regions": survey.data.tolist(),
                                         "random_regions": survey.random.tolist(), "areas": survey.areas.tolist(),
                                         "pieces_per_length_on_sides": lines[moment].tolist()}
    facts = _facts(digits, run, triples, labels, featured, surveys, lines, planes)
    return FigureData(published, series, facts)


def _facts(digits: Any, run: Any, triples: Any, labels: Any, featured: dict, surveys: dict, lines: dict,
           planes: int) -> dict[str, str]:
    end = run.networks[-1]
    neurons = end.hidden_units
    facts = {
        "triple": listing([_a(int(labels[k])) for k in triples[0]]),
        "widths": " → ".join(count(w) for w in end.widths),
        "low": parameter(-DEFAULT_MARGIN), "high": parameter(1 + DEFAULT_MARGIN),
        "steps": count(run.steps[-1]), "planes": count(planes), "sides": count(3 * planes),
        "neurons": count(neurons), "their_layers": count(THEIR_LAYERS), "their_width": count(THEIR_WIDTH),
        "their_bound": count((THEIR_LAYERS * THEIR_WIDTH) ** 2 // 2),  # N²/2! for N = 96
        "shape": "as here" if end.widths[1:-1] == [THEIR_WIDTH] * THEIR_LAYERS else "unlike here",
    }
    for moment, net in zip(("start", "end"), (run.networks[0], end)):
        analysis, cells, segments = featured[moment]
        # the images sit at (0, 0), (1, 0) and (0, 1), where the plane is the image itself
        right = int(np.count_nonzero(net.forward(digits.test_x[triples[0]]).argmax(axis=1) == labels[triples[0]]))
        facts[f"own_{moment}"] = ("each image lies in the area of its own digit" if right == 3 else
                                  f"{plural(right, 'image')} of the three {'lies' if right == 1 else 'lie'} in the area of its own digit")
        crossed = len({segment.region for segment in segments})
        facts[f"regions_{moment}"] = count(len(analysis))
        facts[f"crossed_{moment}"] = count(crossed)
        facts[f"crossed_share_{moment}"] = percent(crossed / len(analysis))
        facts[f"winners_{moment}"] = listing([count(label) for label in sorted({cell.label for cell in cells})])
        survey = surveys[moment]
        facts[f"data_{moment}"] = estimate(*mean_and_standard_error(survey.data))
        facts[f"random_{moment}"] = estimate(*mean_and_standard_error(survey.random))
        facts[f"excess_{moment}"] = estimate(*mean_and_standard_error(survey.data - survey.random))  # paired
        facts[f"ratio_{moment}"] = number(float(np.mean(survey.data)) / float(np.mean(survey.random)))
        facts[f"above_{moment}"] = count(int(np.count_nonzero(survey.data > survey.random)))
        density = survey.data / survey.areas
        facts[f"density_{moment}"] = estimate(*mean_and_standard_error(density))
        line = mean_and_standard_error(lines[moment])
        facts[f"line_{moment}"] = estimate(*line)
        form = line[0] ** 2 / 2
        facts[f"form_{moment}"] = number(form)
        facts[f"form_ratio_{moment}"] = number(mean_and_standard_error(density)[0] / form)
    facts["area"] = number(float(np.mean(surveys["start"].areas)))
    facts["fall_data"] = percent(1 - np.mean(surveys["end"].data) / np.mean(surveys["start"].data))
    facts["fall_random"] = percent(1 - np.mean(surveys["end"].random) / np.mean(surveys["start"].random))
    return facts


def _a(digit: int) -> str:
    """A digit with its article: "a 4", "an 8"."""
    return f"{'an' if digit == 8 else 'a'} {count(digit)}"


def draw(data: FigureData, palette: Palette) -> Any:
    from matplotlib.patches import PathPatch

    s = data.series
    fig, axes = new_figure(1, 3, height=3.8)  # tall enough that the square panels fill their width
    low, high = -DEFAULT_MARGIN, 1 + DEFAULT_MARGIN
    for ax, moment, title in ((axes[0, 0], "start", "initialised"), (axes[0, 1], "end", "trained")):
        labels = s[f"{moment}_cell_labels"]
        for label, area in _class_areas(list(s[f"{moment}_cells"]), labels).items():
            ax.add_patch(PathPatch(area, facecolor=CLASS_SHADES[label], edgecolor="none", alpha=0.45))
        # each edge once, as dark as an inner edge was when every region drew its own outline (two strokes at 0.6)
        ax.add_patch(PathPatch(_outlines(list(s[f"{moment}_regions"])), fill=False, edgecolor=palette.text,
                               linewidth=0.2, alpha=0.84, joinstyle="round"))
        ax.add_patch(PathPatch(_polylines(*_ends_and_edges(s[f"{moment}_segments"])), fill=False, edgecolor=palette.text,
                               linewidth=1.6, joinstyle="round"))
        _label_classes(ax, s[f"{moment}_cells"], labels, palette)
        for image, (u, v) in zip(s["images"], ((0.0, 0.0), (1.0, 0.0), (0.0, 1.0))):
            ax.imshow(image, cmap="gray_r" if palette.name == "light" else "gray", vmin=0, vmax=1, interpolation="none",
                      extent=(u - 0.11, u + 0.11, v - 0.11, v + 0.11), zorder=5)
        ax.set_xlim(low, high)
        ax.set_ylim(low, high)
        ax.set_aspect("equal")
        ax.set_xticks([0.0, 0.5, 1.0])  # where the images are; a phone's larger panels would get eight ticks a side
        ax.set_yticks([0.0, 0.5, 1.0])
        ax.set_title(title, fontsize=9)
        ax.set_xlabel("u")
        ax.grid(False)
    axes[0, 0].set_ylabel("v")
    survey = axes[0, 2]
    for position, moment in ((0.0, "start"), (1.0, "end")):
        for offset, kind, marker in ((-0.15, "data", "o"), (0.15, "random", "x")):
            values = s[f"{moment}_{kind}"]
            mean = float(np.mean(values))
            error = float(np.std(values, ddof=1) / math.sqrt(len(values))) if len(values) > 1 else 0.0
            survey.plot(np.full(len(values), position + offset), values, linestyle="none", marker=marker, markersize=4,
                        color=palette.output if kind == "data" else palette.accent, label=None if position else
                        ("three test images" if kind == "data" else "random triangle"))
            survey.errorbar([position + offset + 0.09], [mean], yerr=[error], color=palette.text, marker="_", markersize=8, capsize=2)
    survey.set_xticks([0.0, 1.0], ["initialised", "trained"])
    survey.set_xlim(-0.5, 1.5)
    most = max(float(np.max(s[f"{moment}_{kind}"])) for moment in ("start", "end") for kind in ("data", "random"))
    survey.set_ylim(0, 1.4 * most)  # room for the legend above the dots
    survey.set_ylabel("regions on the square")
    survey.legend(fontsize=7, loc="upper center")
    return fig


def _label_classes(ax: Any, cells: Any, labels: Any, palette: Palette) -> None:
    """Write each digit once, in the middle of its largest cell, so that the shade is not the only cue."""
    largest: dict[int, tuple[float, Any]] = {}
    for polygon, label in zip(cells, labels):
        area = abs(_signed_area(polygon))
        if area > largest.get(int(label), (0.0, None))[0]:
            largest[int(label)] = (area, polygon.mean(axis=0))
    for label, (_, centre) in largest.items():
        ax.text(centre[0], centre[1], count(label), color=palette.text, fontsize=8, ha="center", va="center", zorder=6)


def _ends_and_edges(segments: np.ndarray) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """The ends of ``segments`` (shaped n × 2 × 2), each point once, and each segment as the numbers of its ends."""
    corners, numbers = _corners(segments.reshape(-1, 2))
    return corners, sorted({(min(a, b), max(a, b)) for a, b in numbers.reshape(-1, 2).tolist() if a != b})


def _corners(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each of ``points`` once, and the number of each: the exact cut gives neighbouring polygons the same corners
    to within rounding, so equal numbers find the edges they share."""
    _, first, numbers = np.unique(np.round(points, 9), axis=0, return_index=True, return_inverse=True)
    return points[first], numbers.ravel()


def _rings(polygons: list[np.ndarray]) -> tuple[np.ndarray, list[list[int]]]:
    """The polygons' corners, each once, and each polygon as the numbers of its corners, counter-clockwise."""
    corners, numbers = _corners(np.concatenate(polygons))
    rings = np.split(numbers, np.cumsum([len(polygon) for polygon in polygons])[:-1])
    return corners, [(ring if _signed_area(polygon) > 0 else ring[::-1]).tolist()
                     for polygon, ring in zip(polygons, rings)]


def _signed_area(polygon: np.ndarray) -> float:
    u, v = polygon[:, 0], polygon[:, 1]
    return 0.5 * float(np.dot(u, np.roll(v, -1)) - np.dot(v, np.roll(u, -1)))


def _edges(ring: list[int]) -> list[tuple[int, int]]:
    return [(a, b) for a, b in zip(ring, ring[1:] + ring[:1]) if a != b]


def _class_areas(cells: list[np.ndarray], labels: np.ndarray) -> dict[int, Any]:
    """Each class's cells as one path around their union: an edge two of its cells share runs both ways and is
    dropped, so only the decision boundary and the square's sides are left: a few kilobytes, where the cells drawn
    one by one took a raster image of 30 to 50."""
    from matplotlib.path import Path

    corners, rings = _rings(cells)
    areas = {}
    for label in sorted({int(k) for k in labels}):
        edges = {edge for ring, k in zip(rings, labels) if k == label for edge in _edges(ring)}
        leaving: dict[int, list[int]] = {}
        for a, b in sorted(edge for edge in edges if edge[::-1] not in edges):
            leaving.setdefault(a, []).append(b)
        loops = []
        for start in sorted(leaving):  # each loop ends where it began: every corner is left as often as it is reached
            while leaving[start]:
                loop, corner = [start], leaving[start].pop()
                while corner != start and leaving.get(corner):  # a corner rounded apart only leaves a sliver open
                    loop.append(corner)
                    corner = leaving[corner].pop()
                loops.append(_without_straight_corners(corners[loop + [start]]))
        areas[label] = Path.make_compound_path(*(Path(loop, closed=True) for loop in loops))
    return areas


def _outlines(regions: list[np.ndarray]) -> Any:
    """Every edge of the regions once: drawn region by region, every inner edge was drawn twice and every corner
    written four times (250 kilobytes of SVG)."""
    corners, rings = _rings(regions)
    return _polylines(corners, sorted({(min(edge), max(edge)) for ring in rings for edge in _edges(ring)}))


def _polylines(corners: np.ndarray, edges: list[tuple[int, int]]) -> Any:
    """The ``edges`` between ``corners`` as lines that go on at each corner along the straightest edge not yet
    drawn, so that a cut across the square stays one line, in one path: each line written as its own path took
    a hundred bytes."""
    from matplotlib.path import Path

    meeting: dict[int, list[int]] = {}
    for index, (a, b) in enumerate(edges):
        meeting.setdefault(a, []).append(index)
        meeting.setdefault(b, []).append(index)
    drawn = [False] * len(edges)

    def onward(previous: int, corner: int) -> list[int]:
        """The corners that follow ``corner``, reached from ``previous``, as far as undrawn edges lead."""
        after = []
        while ahead := [index for index in meeting[corner] if not drawn[index]]:
            ends = [sum(edges[index]) - corner for index in ahead]
            heading = corners[corner] - corners[previous]
            steps = corners[ends] - corners[corner]
            choice = int(np.argmax(steps @ heading / np.linalg.norm(steps, axis=1)))
            drawn[ahead[choice]] = True
            previous, corner = corner, ends[choice]
            after.append(corner)
        return after

    lines = []
    for index, (a, b) in enumerate(edges):
        if not drawn[index]:
            drawn[index] = True
            lines.append(_without_straight_corners(corners[onward(b, a)[::-1] + [a, b] + onward(a, b)]))
    path = Path.make_compound_path(*(Path(line) for line in lines))
    path.should_simplify = False  # matplotlib's would move the bends by up to half a point
    return path


def _without_straight_corners(line: np.ndarray) -> np.ndarray:
    """``line`` without the corners where it goes straight on: a cut of the first layer is one straight line
    across the square, and every cut that crosses it puts a corner on it."""
    before, chord = line[1:-1] - line[:-2], line[2:] - line[:-2]
    bent = np.abs(before[:, 0] * chord[:, 1] - before[:, 1] * chord[:, 0]) > 1e-9 * np.linalg.norm(chord, axis=1)
    return line[np.concatenate([[True], bent, [True]])]
