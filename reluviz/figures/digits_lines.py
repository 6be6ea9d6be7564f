"""A real network on lines through its data: the ten outputs of a network trained on scikit-learn's handwritten
digits, exactly, along the segment between two test images, and the pieces per unit length over many pairs.

The network takes 64 pixels, but on the segment from image a to image b it is a piecewise-linear function of one
number s (`reluviz.slices.analyze_through`): a piece ends wherever any hidden unit switches. The predicted class
changes where the two largest outputs cross, computed on each piece from its slopes and intercepts
(`reluviz.slices.class_changes`). The featured pairs are the first ones drawn, not chosen; the survey follows the
same pairs through training, and compares how densely the boundaries lie near the images and near the class changes
on pairs of training images (what Humayun et al. 2024 call region migration).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..digits import (
    CLASSES,
    DEFAULT_TEST_IMAGES,
    GREY_LEVELS,
    IMAGES,
    PIXELS,
    SIDE,
    accuracy,
    density_near,
    image_pairs,
    load_digits_split,
    survey_lines,
    train_digits_network,
)
from ..measures import mean_and_standard_error
from ..slices import ClassChanges, analyze_through, class_changes
from ..style import Palette
from ._draw import new_figure
from ._spec import PROCESS_BYTES, Cost, FigureData
from ._text import count, estimate, listing, number, parameter, percent, plural

TITLE = "A network trained on handwritten digits, exactly, on lines between images"
CAPTION = (
    "A {widths} ReLU network on scikit-learn's handwritten digits, along the segment from one test image (s = 0) "
    "to another (s = 1). Thin lines: the ten outputs; thick: the largest, whose index is the predicted class; ticks "
    "at the bottom: where a hidden unit switches, which ends a piece; dashed: where the predicted class changes. (a) "
    "{different_pair} at initialisation: {different_start}. (b) the same pair after {steps} steps of training: "
    "{different_end}. (c) {same_pair} after training: {same_end}. (d) pieces per unit length over {pairs} pairs of "
    "each kind during training, mean and standard error; the band runs from the {percentiles} of the pairs of "
    "different classes."
)
ALT = (
    "Panels (a) to (c), ten straight-edged curves over an interval with small images of handwritten digits at its "
    "ends, a thick line along the highest curve, tick marks along the bottom and dashed vertical lines where the "
    "highest curve changes; the curves of the untrained network are flat and close together, those of the trained one "
    "spread apart. Panel (d), two lines of pieces per unit length against the training step, which dip and partly "
    "recover, with a shaded band around one of them."
)
PARAMS: dict[str, Any] = {"seed": 0, "width": 32, "layers": 3, "steps": 100, "learning_rate": 0.01, "pairs": 60,
                          "window": 0.05}
SITE_PARAMS: tuple[str, ...] = ()  # the network is trained with its own seed: the site's seed does not retrain it
LIMITS: dict[str, tuple[float, float]] = {"width": (1, 128), "layers": (1, 6), "steps": (1, 2000),
                                          "learning_rate": (1e-5, 1.0), "pairs": (2, 500), "window": (0.01, 0.25)}
PERCENTILES = (10, 90)
"""The band of panel (d): the pairs between these percentiles."""
CHECKPOINTS = (10, 30)
"""The steps besides the first and the last at which the survey counts the pieces again."""
TRAINING_SECONDS_PER_WEIGHT = 8e-9
"""Seconds per weight, training image and step of full-batch Adam: 64 → 3 × 32 → 10 trains 100 steps in 1.9 s on
this machine (3.5 × 10⁻⁹), doubled for room."""
LINE_SECONDS_PER_UNIT = 5e-5
"""Seconds of exact analysis per hidden unit, layer and segment between two images: 60 segments of that network take
0.4 s (2.3 × 10⁻⁵), doubled for room."""


def cost(seed: int, width: int, layers: int, steps: int, learning_rate: float, pairs: int, window: float) -> Cost:
    """Training grows with the weights and the steps; the survey with the pairs, the moments and the units."""
    widths = [PIXELS, *[width] * layers, CLASSES]
    weights = sum(a * b for a, b in zip(widths[:-1], widths[1:]))
    training = TRAINING_SECONDS_PER_WEIGHT * weights * (IMAGES - DEFAULT_TEST_IMAGES) * steps
    moments = len(CHECKPOINTS) + 2
    lines = LINE_SECONDS_PER_UNIT * width * layers * layers * pairs * (2 * moments + 2)
    memory = PROCESS_BYTES + 8.0 * (IMAGES - DEFAULT_TEST_IMAGES) * width * PIXELS * 4 + 8.0 * weights * (moments + 4)
    return Cost(seconds=training + lines + 2.0, bytes=memory, drivers=("width", "layers", "steps", "pairs"))


def compute(seed: int, width: int, layers: int, steps: int, learning_rate: float, pairs: int, window: float) -> FigureData:
    digits = load_digits_split(seed=seed)
    keep = [k for k in CHECKPOINTS if k < steps]
    run = train_digits_network(digits, [width] * layers, seed, steps, learning_rate, keep)
    start, end = run.networks[0], run.networks[-1]
    different = image_pairs(digits.test_y, pairs, False, seed)
    same = image_pairs(digits.test_y, pairs, True, seed)
    x, labels = digits.test_x, digits.test_y
    featured: dict[tuple[str, str], Any] = {}
    series: dict[str, Any] = {}
    published: dict[str, Any] = {"widths": [PIXELS, *[width] * layers, CLASSES], "learning_rate": learning_rate,
                                 "steps": steps, "losses": run.losses.tolist(), "test_images": digits.test_index.tolist(),
                                 "final_network": end.to_dict()}
    for kind, (i, j) in (("different", different[0]), ("same", same[0])):
        for moment, net in (("start", start), ("end", end)):
            segment = analyze_through(net, x[i], x[j])
            whole = analyze_through(net, x[i], x[j], whole_line=True)
            changes = class_changes(segment)
            s = np.unique(np.concatenate([segment.edges, changes.places]))  # the graph's corners: exact to draw
            featured[kind, moment] = (segment, whole, changes)
            series |= {f"{kind}_{moment}_s": s, f"{kind}_{moment}_outputs": segment.evaluate(s),
                       f"{kind}_{moment}_boundaries": segment.boundaries, f"{kind}_{moment}_changes": changes.places,
                       f"{kind}_{moment}_classes": np.array(changes.classes)}
            published[f"{kind}_{moment}"] = {"images": [int(digits.test_index[i]), int(digits.test_index[j])],
                                             "boundaries": segment.boundaries.tolist(),
                                             "whole_line_boundaries": whole.boundaries.tolist(),
                                             "class_changes": changes.places.tolist(), "classes": changes.classes}
        series |= {f"{kind}_images": np.array([x[i].reshape(SIDE, SIDE), x[j].reshape(SIDE, SIDE)]),
                   f"{kind}_labels": np.array([labels[i], labels[j]])}
    surveys = {(kind, step): survey_lines(net, x, chosen).per_length
               for step, net in zip(run.steps, run.networks) for kind, chosen in (("different", different), ("same", same))}
    train_pairs = image_pairs(digits.train_y, pairs, False, seed)
    near = {moment: density_near(net, digits.train_x, train_pairs, window) for moment, net in (("start", start), ("end", end))}
    means = {key: mean_and_standard_error(values) for key, values in surveys.items()}
    for kind in ("different", "same"):
        series[f"{kind}_means"] = np.array([means[kind, step][0] for step in run.steps])
        series[f"{kind}_errors"] = np.array([means[kind, step][1] for step in run.steps])
    series["steps"] = np.array(run.steps)
    series["band"] = np.array([np.percentile(surveys["different", step], PERCENTILES) for step in run.steps])
    published["survey"] = {kind: {str(step): surveys[kind, step].tolist() for step in run.steps} for kind in ("different", "same")}
    published["near"] = {moment: {"ends": value.ends.tolist(), "changes": value.changes.tolist()} for moment, value in near.items()}
    facts = _facts(digits, run, start, end, labels, different, same, featured, surveys, means, near, pairs, window)
    return FigureData(published, series, facts)


def _facts(digits: Any, run: Any, start: Any, end: Any, labels: Any, different: Any, same: Any, featured: dict,
           surveys: dict, means: dict, near: dict, pairs: int, window: float) -> dict[str, str]:
    widths = end.widths
    facts = {
        "images": count(IMAGES), "side": count(SIDE), "pixels": count(PIXELS), "levels": count(GREY_LEVELS),
        "classes": count(CLASSES), "train": count(len(digits.train_y)), "test": count(len(digits.test_y)),
        "widths": " → ".join(count(w) for w in widths), "layers": count(len(widths) - 2), "width": count(widths[1]),
        "neurons": count(end.hidden_units), "steps": count(run.steps[-1]),
        "learning_rate": parameter(run.learning_rate), "loss_start": number(run.losses[0]), "loss_end": number(run.losses[-1]),
        "accuracy_start": percent(accuracy(start, digits.test_x, digits.test_y)),
        "accuracy": percent(accuracy(end, digits.test_x, digits.test_y)),
        "train_accuracy": percent(accuracy(end, digits.train_x, digits.train_y)),
        "pairs": count(pairs), "moments": listing([count(step) for step in run.steps]),
        "percentiles": f"{count(PERCENTILES[0])}th to the {count(PERCENTILES[1])}th percentile",
    }
    for kind, (i, j) in (("different", different[0]), ("same", same[0])):
        a, b = int(labels[i]), int(labels[j])
        facts[f"{kind}_pair"] = f"two images of {_a(a)}" if a == b else f"an image of {_a(a)} and one of {_a(b)}"
        facts[f"{kind}_length"] = number(float(np.linalg.norm(digits.test_x[j] - digits.test_x[i])))
        for moment in ("start", "end"):
            segment, whole, changes = featured[kind, moment]
            inside = len(segment.boundaries)
            facts[f"{kind}_{moment}"] = f"{plural(inside + 1, 'piece')}, {_changes(changes)}"
            facts[f"{kind}_{moment}_pieces"] = plural(inside + 1, "piece")
            facts[f"{kind}_{moment}_whole"] = plural(len(whole.boundaries) + 1, "piece")
            facts[f"{kind}_{moment}_inside"] = percent(inside / len(whole.boundaries)) if len(whole.boundaries) else "0%"
            facts[f"{kind}_{moment}_changes"] = _changes(changes)
    last, first = run.steps[-1], run.steps[0]
    for kind in ("different", "same"):
        for moment, step in (("start", first), ("end", last)):
            mean, error = means[kind, step]
            facts[f"{kind}_density_{moment}"] = estimate(mean, error)
            low, high = np.percentile(surveys[kind, step], PERCENTILES)
            facts[f"{kind}_range_{moment}"] = f"{number(low)}–{number(high)}"
        change = means[kind, last][0] / means[kind, first][0] - 1
        facts[f"{kind}_change"] = ("+" if change > 0 else "") + percent(change)
        facts[f"{kind}_fall"] = percent(-change)
    facts["density_ratio"] = number(means["same", first][0] / means["different", first][0])
    facts["window"] = parameter(window)
    facts["window_percent"] = percent(window)
    for moment in ("start", "end"):
        facts[f"near_ends_{moment}"] = estimate(*mean_and_standard_error(near[moment].ends))
        facts[f"near_changes_{moment}"] = estimate(*mean_and_standard_error(near[moment].changes))
        facts[f"near_count_{moment}"] = plural(len(near[moment].changes), "change")
    facts["lowest_sentence"], facts["training_effect"] = _lowest_sentences(run.steps, means)
    gained = {kind: int(np.sum(surveys[kind, run.steps[-1]] > surveys[kind, run.steps[0]])) for kind in ("different", "same")}
    facts["gained_sentence"] = _gained_sentence(gained, pairs)
    facts["near_sentence"] = _near_sentence(near)
    return facts


def _lowest_sentences(steps: list[int], means: dict) -> tuple[str, str]:
    """Where the two means are lowest, and what training did to them, in words that hold for these numbers."""
    kinds = ("different", "same")
    lowest = {kind: min(steps, key=lambda step: means[kind, step][0]) for kind in kinds}
    first, last = steps[0], steps[-1]
    values = f"({estimate(*means['different', lowest['different']])} and {estimate(*means['same', lowest['same']])})"
    if lowest["different"] == lowest["same"]:
        where = f"Both means are lowest at step {count(lowest['different'])} {values}"
    else:
        where = f"The means are lowest at steps {count(lowest['different'])} and {count(lowest['same'])} {values}"
    fell = all(means[kind, last][0] < means[kind, first][0] for kind in kinds)
    came_back = all(lowest[kind] != last for kind in kinds)
    where += ", and then climb part of the way back." if fell and came_back else "."
    if not fell:
        return where, "So on average training adds pieces between the images here, for at least one kind of pair."
    effect = "So on average training does not add pieces between the images here: it removes some"
    if came_back and lowest["different"] == lowest["same"]:
        effect += f", most of them in the first {count(lowest['different'])} steps, and a few come back"
    return where, effect + "."


def _gained_sentence(gained: dict[str, int], pairs: int) -> str:
    """How many pairs went against the means: those with more pieces per unit length after training than before."""
    if not any(gained.values()):
        return "Every pair has fewer pieces per unit length after training than before."
    return (f"Not every pair loses pieces: {count(gained['different'])} of the {count(pairs)} pairs of two classes and "
            f"{count(gained['same'])} of the {count(pairs)} of one class have more per unit length after training.")


def _near_sentence(near: dict) -> str:
    """Whether the boundaries moved towards the class changes and away from the images: a change counts when the
    means differ by more than two standard errors of their difference."""
    def compared(region: str) -> str:
        (before, before_error), (after, after_error) = (mean_and_standard_error(getattr(near[moment], region))
                                                        for moment in ("start", "end"))
        if abs(after - before) <= 2 * math.hypot(before_error, after_error):
            return "stayed about as dense (within two standard errors)"
        return "became denser" if after > before else "became sparser"

    ratio = {moment: (mean_and_standard_error(near[moment].changes)[0] / mean_and_standard_error(near[moment].ends)[0])
             for moment in ("start", "end")}
    moved = "moved towards" if ratio["end"] > ratio["start"] else "not moved towards"
    return (f"So after our short training the boundaries have {moved} the decision boundary, relative to the images: "
            f"near the class changes they {compared('changes')}, and near the training images they {compared('ends')}.")


def _a(digit: int) -> str:
    """A digit with its article: "a 4", "an 8"."""
    return f"{'an' if digit == 8 else 'a'} {count(digit)}"


def _changes(changes: ClassChanges) -> str:
    """The class changes along a segment in words: where, and from which digit to which."""
    if not len(changes):
        return f"the predicted class is {count(changes.first)} all along"
    steps = [f"at s = {number(s)} from {count(b)} to {count(a)}" for s, b, a in zip(changes.places, changes.before, changes.after)]
    return f"the predicted class changes {'once' if len(steps) == 1 else plural(len(steps), 'time')}: {listing(steps)}"


def draw(data: FigureData, palette: Palette) -> Any:
    s = data.series
    fig, axes = new_figure(2, 2, height=5.0)
    panels = [(axes[0, 0], "different", "start", "two classes, initialised"), (axes[0, 1], "different", "end", "trained"),
              (axes[1, 0], "same", "end", "one class, trained")]
    for ax, kind, moment, title in panels:
        _draw_line(ax, s, kind, moment, palette)
        ax.set_title(title, fontsize=9)
    survey = axes[1, 1]
    steps = s["steps"]
    survey.fill_between(steps, s["band"][:, 0], s["band"][:, 1], color=palette.grid, alpha=0.6, linewidth=0)
    for kind, style, label in (("different", "-", "different classes"), ("same", "--", "same class")):
        survey.errorbar(steps, s[f"{kind}_means"], yerr=s[f"{kind}_errors"], color=palette.output if kind == "different" else palette.accent,
                        linestyle=style, marker="o", markersize=3, capsize=2, label=label)
    survey.set_xscale("symlog", linthresh=10)
    survey.set_xlabel("training step")
    survey.set_ylabel("pieces per unit length")
    survey.set_ylim(0, None)
    survey.legend(fontsize=7, loc="lower left")
    return fig


def _draw_line(ax: Any, s: dict, kind: str, moment: str, palette: Palette) -> None:
    """One segment: the ten outputs thin, the largest thick, the boundaries as ticks, the class changes dashed with
    the digits on either side, and the two images at the ends."""
    places, outputs = s[f"{kind}_{moment}_s"], s[f"{kind}_{moment}_outputs"]
    ax.plot(places, outputs, color=palette.muted, linewidth=0.6)
    ax.plot(places, outputs.max(axis=1), color=palette.output, linewidth=2.0)
    low, high = float(outputs.min()), float(outputs.max())
    room = high - low or 1.0
    bottom = low - 0.12 * room  # room below for the ticks
    top = bottom + (high - bottom) / 0.58  # and above for the images, which take the top two fifths
    ax.vlines(s[f"{kind}_{moment}_boundaries"], bottom, bottom + 0.07 * room, color=palette.text, linewidth=0.6)
    labels = s[f"{kind}_labels"]
    changes = s[f"{kind}_{moment}_changes"]
    for place in changes:
        ax.axvline(place, color=palette.negative, linestyle="--", linewidth=1.0)
    ends = [0.0, *changes, 1.0]
    envelope = outputs.max(axis=1)
    for left, right, predicted in zip(ends[:-1], ends[1:], s[f"{kind}_{moment}_classes"]):
        middle = 0.5 * (left + right)  # the predicted digit above the middle of its stretch
        ax.text(middle, float(np.interp(middle, places, envelope)) + 0.05 * room, count(int(predicted)),
                color=palette.output, fontsize=8, ha="center", va="bottom")
    ax.set_xlim(0, 1)
    ax.set_ylim(bottom, top)
    ax.set_xlabel("s (0: first image, 1: second)")
    ax.set_ylabel("outputs")
    for image, label, left in zip(s[f"{kind}_images"], labels, (0.0, 0.84)):
        inset = ax.inset_axes((left, 0.62, 0.16, 0.38))
        inset.imshow(image, cmap="gray_r" if palette.name == "light" else "gray", vmin=0, vmax=1, interpolation="none")
        inset.set_xticks([])
        inset.set_yticks([])
        inset.grid(False)
        inset.set_title(count(int(label)), fontsize=8, pad=1)
