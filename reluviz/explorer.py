"""The site's explorer, described once: its controls, their ranges and defaults, and links into it.

The explorer (``docs/explorer/``) draws `Network.random` networks in the reader's browser. Everything it shares
with the package is written here, or in the modules it names, and reaches the JavaScript through a file the build
generates (`reluviz.build.twin`): each control's name, label, range, default, address parameter and command-line
flag, so the page's controls, its address, the command it shows and ``reluviz network`` all follow one table.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from .activations import DEFAULT_LEAKY_SLOPE
from .datasets import CURVES, DEFAULT_NOISE, REACH
from .portable_random import MAX_SEED
from .sampling import QUORA_HI, QUORA_LO

EXPLORER_ACTIVATIONS = ("relu", "leaky_relu", "identity")
"""The activations the explorer offers: the piecewise-linear ones."""
EXPLORER_MAX_END = 1e9
"""How far out the explorer's interval and spread may reach (±), so that its axis labels stay readable."""


@dataclass(frozen=True)
class Control:
    """One setting of the explorer: a whole number (``low`` … ``high``), a choice, a switch or a number.

    ``flag`` is the ``reluviz network`` option that sets it; ``slider`` shows a whole number as a slider rather
    than a box to type in, and ``compact`` says the compact explorer on the first page shows it too.
    """

    name: str
    label: str
    kind: str  # "integer", "choice", "switch" or "number"
    default: Any
    flag: str
    low: float | None = None
    high: float | None = None
    choices: Mapping[str, str] | None = None
    slider: bool = False
    compact: bool = False
    only_for_init: str | None = None  # shown and used only with this initialisation

    def as_dict(self) -> dict[str, Any]:
        return {key: value for key, value in self.__dict__.items() if value is not None}


LINE_CONTROLS = (
    Control("width", "Hidden units per layer", "integer", 10, "--width", 1, 64, slider=True, compact=True),
    Control("layers", "Hidden layers", "integer", 1, "--depth", 1, 4, slider=True),
    Control("seed", "Seed", "integer", 0, "--seed", 0, MAX_SEED, compact=True),
    Control("init", "Initialisation", "choice", "spread", "--init",
            choices={"spread": "spread (the site's)", "standard": "standard normal", "he": "He"}),
    Control("activation", "Activation", "choice", "relu", "--activation",
            choices={"relu": "ReLU", "leaky_relu": f"leaky ReLU (slope {DEFAULT_LEAKY_SLOPE} left of 0)",
                     "identity": "identity (linear)"}),
    Control("biases", "Biases", "switch", True, "--no-biases"),
    Control("lo", "x from", "number", QUORA_LO, "--lo", -EXPLORER_MAX_END, EXPLORER_MAX_END),
    Control("hi", "x to", "number", QUORA_HI, "--hi", -EXPLORER_MAX_END, EXPLORER_MAX_END),
    Control("spread_lo", "Kinks from", "number", QUORA_LO, "--spread-lo", -EXPLORER_MAX_END, EXPLORER_MAX_END,
            only_for_init="spread"),
    Control("spread_hi", "Kinks to", "number", QUORA_HI, "--spread-hi", -EXPLORER_MAX_END, EXPLORER_MAX_END,
            only_for_init="spread"),
)
"""The 1-D explorer's controls, in the order the page shows them and the command line lists them."""
CONTROLS_BY_NAME = {control.name: control for control in LINE_CONTROLS}

PLANE_CONTROLS = (
    Control("width", "Hidden units per layer", "integer", 6, "--width", 1, 32, slider=True, compact=True),
    Control("layers", "Hidden layers", "integer", 1, "--depth", 1, 4, slider=True),
    Control("seed", "Seed", "integer", 0, "--seed", 0, MAX_SEED, compact=True),
    Control("init", "Initialisation", "choice", "standard", "--init",
            choices={"standard": "standard normal", "he": "He", "spread": "spread (kinks along x₁ in −100 … 100)"}),
    Control("activation", "Activation", "choice", "relu", "--activation",
            choices={"relu": "ReLU", "leaky_relu": f"leaky ReLU (slope {DEFAULT_LEAKY_SLOPE} left of 0)",
                     "identity": "identity (linear)"}),
    Control("biases", "Biases", "switch", True, "--no-biases"),
    Control("half", "Half-width of the square", "number", 3.0, "--half-width", 2.0**-20, EXPLORER_MAX_END),
    Control("x", "Centre, x₁", "number", 0.0, "--centre-x", -EXPLORER_MAX_END, EXPLORER_MAX_END),
    Control("y", "Centre, x₂", "number", 0.0, "--centre-y", -EXPLORER_MAX_END, EXPLORER_MAX_END),
)
"""The 2-D explorer's controls: a network with two inputs, and the square [x − half, x + half] × [y − half, y + half]."""
PLANE_REGION_LIMIT = 20_000
"""The most regions the 2-D explorer cuts and draws for one view; past it, the page says so and asks to zoom in."""


def plane_query(width: int, seed: int, layers: int = 1, init: str = "standard", activation: str = "relu",
                biases: bool = True, half: float = 3.0, centre: tuple[float, float] = (0.0, 0.0)) -> str | None:
    """The 2-D explorer's query string for ``Network.random([2, *[width] * layers, 1], …)`` on the square of
    half-width ``half`` around ``centre``, or None when the explorer cannot show it.

    Examples
    --------
    >>> plane_query(6, 0)
    'width=6&layers=1&seed=0&init=standard&activation=relu&biases=1&half=3.0&x=0.0&y=0.0'
    """
    values: dict[str, Any] = {"width": width, "layers": layers, "seed": seed, "init": init, "activation": activation,
                              "biases": biases, "half": half, "x": centre[0], "y": centre[1]}
    controls = {control.name: control for control in PLANE_CONTROLS}
    if not all(_allowed(controls[name], value) for name, value in values.items()):
        return None
    return urlencode({name: int(value) if isinstance(value, bool) else value for name, value in values.items()})


def explorer_query(
    width: int,
    seed: int,
    layers: int = 1,
    init: str = "spread",
    activation: str = "relu",
    biases: bool = True,
    interval: tuple[float, float] = (QUORA_LO, QUORA_HI),
    spread: tuple[float, float] = (QUORA_LO, QUORA_HI),
) -> str | None:
    """The explorer's query string for ``Network.random([1, *[width] * layers, 1], activation, init, seed, spread)``
    (its biases zeroed unless ``biases``) on ``interval``, or None when the explorer cannot show that network.

    Examples
    --------
    >>> explorer_query(10, 0)
    'width=10&layers=1&seed=0&init=spread&activation=relu&biases=1&lo=-100.0&hi=100.0&spread_lo=-100.0&spread_hi=100.0'
    >>> explorer_query(500, 0) is None
    True
    """
    values: dict[str, Any] = {"width": width, "layers": layers, "seed": seed, "init": init, "activation": activation,
                              "biases": biases, "lo": interval[0], "hi": interval[1], "spread_lo": spread[0],
                              "spread_hi": spread[1]}
    if not all(_allowed(CONTROLS_BY_NAME[name], value) for name, value in values.items()):
        return None
    return urlencode({name: int(value) if isinstance(value, bool) else value for name, value in values.items()})


def _allowed(control: Control, value: Any) -> bool:
    if control.kind == "choice":
        return value in (control.choices or {})
    if control.kind == "switch":
        return isinstance(value, bool)
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
        return False
    if control.kind == "integer" and value != int(value):
        return False
    return (control.low is None or value >= control.low) and (control.high is None or value <= control.high)


TRAIN_NETWORK_CONTROLS = ("width", "layers", "seed", "init", "activation", "biases", "spread_lo", "spread_hi")
"""The controls of ``reluviz network`` that ``reluviz train`` takes too, and the Train panels train from: the network,
not the interval."""
READER_POINTS = "own"
"""The Train panel's choice of data for the reader's own points (``reluviz train --data FILE``)."""
TRAIN_LINE_CONTROLS = (
    Control("dataset", "Target", "choice", "sin", "--dataset",
            choices={**CURVES, READER_POINTS: "your own points (click on the plot)"}),
    Control("points", "Points", "integer", 64, "--points", 2, 256, slider=True),
    Control("learning_rate", "Learning rate", "number", 0.01, "--learning-rate", 1e-6, 10.0),
    Control("loss", "Loss", "choice", "mse", "--loss", choices={"mse": "mean squared error"}),
)
"""The 1-D explorer's Train panel: the target (a curve of `reluviz.datasets.CURVES` sampled at evenly spaced points, or
the reader's points), the learning rate and the loss, each with its ``reluviz train`` flag. ``points`` counts the
samples of a curve; the reader's points come with ``--data FILE`` instead."""
TRAIN_PLANE_CONTROLS = (
    Control("dataset", "Data set", "choice", "xor", "--dataset",
            choices={"xor": "XOR", "circles": "two circles", "moons": "two moons", "spiral": "spiral",
                     "mixture": "Gaussian mixture", READER_POINTS: "your own points (click on the map)"}),
    Control("points", "Points", "integer", 200, "--points", 2, 500, slider=True),
    Control("data_seed", "Data seed", "integer", 0, "--data-seed", 0, MAX_SEED),
    Control("noise", "Noise", "number", DEFAULT_NOISE, "--noise", 0.0, REACH),
    Control("learning_rate", "Learning rate", "number", 0.03, "--learning-rate", 1e-6, 10.0),
    Control("loss", "Loss", "choice", "logistic", "--loss", choices={"logistic": "logistic cross-entropy"}),
)
"""The 2-D explorer's Train panel: a labelled set of `reluviz.datasets.LABELLED_SETS` drawn from its seed with noise
of standard deviation ``noise``, or the reader's points; the learning rate and the loss."""
TRAINING_WINDOW = (-3.5, 3.5)
"""The x interval the 1-D explorer shows a training chapter's run on: the curves' interval, ±π, and a margin."""


def training_query(width: int, layers: int, seed: int, target: str, points: int, steps: int,
                   learning_rate: float = 0.01) -> str | None:
    """The 1-D explorer's query string that trains, as `reluviz.experiments.follow_training` does, a He-initialised
    ReLU network of ``layers`` hidden layers of ``width`` units drawn from ``seed`` on ``points`` samples of the curve
    ``target`` (a value of `reluviz.datasets.CURVES`) and stops its Train panel at step ``steps``; None when the
    explorer cannot show it.

    Examples
    --------
    >>> training_query(8, 1, 0, "sin x", 64, 100)
    'width=8&layers=1&seed=0&init=he&activation=relu&biases=1&lo=-3.5&hi=3.5&dataset=sin&points=64&learning_rate=0.01&loss=mse&step=100'
    """
    network = explorer_query(width, seed, layers, init="he", interval=TRAINING_WINDOW)
    dataset = next(name for name, text in CURVES.items() if text == target)
    controls = {control.name: control for control in TRAIN_LINE_CONTROLS}
    training = {"dataset": dataset, "points": points, "learning_rate": learning_rate, "loss": "mse"}
    if network is None or not all(_allowed(controls[name], value) for name, value in training.items()):
        return None
    network = "&".join(part for part in network.split("&") if not part.startswith("spread_"))  # He ignores the spread
    return f"{network}&{urlencode(training)}&step={steps}"


MAX_READER_POINTS = 200
"""The most points a reader may click in (they travel in the page's address)."""
STEPS_PER_SECOND = (1, 5, 10, 25, 50, 100, 250)
"""The training speeds the explorers offer, in steps per second."""
DEFAULT_STEPS_PER_SECOND = 50
