"""Tasks for a student at the explorer: a question, the explorer's state for it, and the answer computed from it.

The Explore page lists them (the ``{{ tasks }}`` token), each with a link that opens its state and an answer shown
on request. Every answer is computed here, when the site is built, from the network the link opens (the explorer's
defaults with the task's settings), so that the page's answer is the explorer's to the last digit.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .experiments import without_biases
from .explorer import LINE_CONTROLS, explorer_query
from .figures._text import affine, count, exact, number, plural
from .network import Network
from .pieces import PiecewiseLinear, analyze_line


@dataclass(frozen=True)
class Task:
    """One task: ``settings`` change the explorer's defaults; ``answer`` writes what the student should find."""

    question: str
    settings: Mapping[str, Any]
    answer: Callable[[dict[str, Any], Network], str]

    def state(self) -> dict[str, Any]:
        return {control.name: control.default for control in LINE_CONTROLS} | dict(self.settings)

    def query(self) -> str:
        s = self.state()
        query = explorer_query(s["width"], s["seed"], s["layers"], s["init"], s["activation"], s["biases"],
                               (s["lo"], s["hi"]), (s["spread_lo"], s["spread_hi"]))
        if query is None:
            raise ValueError(f"task {self.question!r}: the explorer cannot show its settings {dict(self.settings)}")
        return query

    def network(self) -> Network:
        s = self.state()
        net = Network.random([1, *[s["width"]] * s["layers"], 1], activation=s["activation"], init=s["init"],
                             seed=s["seed"], spread=(s["spread_lo"], s["spread_hi"]))
        return net if s["biases"] else without_biases(net)

    def solved(self) -> str:
        return self.answer(self.state(), self.network())


def _window(state: dict[str, Any], net: Network) -> PiecewiseLinear:
    return analyze_line(net, state["lo"], state["hi"])


def _one_unit(state: dict[str, Any], net: Network) -> str:
    (kink,) = analyze_line(net, -math.inf, math.inf).breakpoints
    weight, bias = float(net.layers[0].weight[0, 0]), float(net.layers[0].bias[0])
    return (f"One kink, at x = {number(kink)}: the unit's input {affine(number(weight), number(bias))} is zero there "
            "(x = −a₁/A₁₁), and a single ReLU bends only where its input changes sign.")


def _no_biases(state: dict[str, Any], net: Network) -> str:
    kinks = _window(state, net).breakpoints
    places = {number(k) for k in kinks}
    return (f"{plural(len(kinks), 'kink')}, at x = {', '.join(sorted(places))}: without a bias a unit's input A x is "
            f"zero only at 0, so all {count(state['width'])} units switch there together, and the output is one "
            "straight piece on each side.")


def _identity(state: dict[str, Any], net: Network) -> str:
    window = _window(state, net)
    return (f"{plural(window.linear_pieces, 'linear piece')}: the units' inputs still change sign at "
            f"{plural(len(window.boundaries), 'place')}, but the identity passes negative inputs on unchanged, so "
            "nothing bends and the network is one affine function (the page Layers are matrices shows why).")


def _deeper(state: dict[str, Any], net: Network) -> str:
    whole = analyze_line(net, -math.inf, math.inf).linear_pieces
    bound = (state["width"] + 1) ** state["layers"]
    return (f"{plural(whole, 'linear piece')} on the whole line, where no network of this shape can have more than "
            f"({exact(state['width'])} + 1)^{exact(state['layers'])} = {count(bound)}: an upper bound, not a count to "
            "expect.")


def _zoomed(state: dict[str, Any], net: Network) -> str:
    window = _window(state, net)
    return (f"{plural(len(window.breakpoints), 'kink')} in [{exact(state['lo'])}, {exact(state['hi'])}], of "
            f"{count(len(analyze_line(net, -math.inf, math.inf).breakpoints))} on the whole line: away from its kinks "
            "the output is straight, however far you zoom in.")


def _he_count(state: dict[str, Any], net: Network) -> str:
    whole = analyze_line(net, -math.inf, math.inf).linear_pieces
    units = state["width"] * state["layers"]
    return (f"{plural(whole, 'linear piece')} on the whole line, against N + 1 = {count(units + 1)} for N = "
            f"{count(units)} hidden units, the count Kogan, Jananthan and Kepner (2025) expect for He-initialised ReLU "
            "networks with biases; a single network is one draw, so expect it near, not at, N + 1.")


LINE_TASKS = (
    Task("Set Hidden units per layer to 1. How many kinks does the network have, and where?", {"width": 1}, _one_unit),
    Task("Turn Biases off. Where are the kinks now?", {"biases": False}, _no_biases),
    Task("Choose the identity as the activation. How many linear pieces are there?", {"activation": "identity"}, _identity),
    Task("Give the network 2 hidden layers of 3 units, initialised He. How many pieces does it have on the whole line?",
         {"width": 3, "layers": 2, "init": "he"}, _deeper),
    Task("Zoom into x from −20 to 20. How many kinks lie there?", {"lo": -20.0, "hi": 20.0}, _zoomed),
    Task("Choose He initialisation and 2 hidden layers of 16 units. How many pieces on the whole line, against N + 1?",
         {"width": 16, "layers": 2, "init": "he"}, _he_count),
)
"""The 1-D explorer's tasks, in the order the Explore page lists them."""
