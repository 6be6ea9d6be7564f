"""Never wrong in silence: every public function refuses a bad argument at its boundary, with one line naming it.

A wrong kind of value (None, a string, a complex number, a float where an integer is needed, a generator where a
list is needed, an object of another type) raises TypeError; the right kind with a wrong value (NaN, inf where it is
not allowed, a size of zero, a wrong shape) raises ValueError. Either way the message is one sentence, it names the
parameter before its "; got", it is raised by reluviz itself and no numpy warning comes first.
"""

from __future__ import annotations

import inspect
import math
import re
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reluviz
from reluviz import (
    Layer,
    Network,
    analyze_line,
    analyze_segment,
    collapse,
    get_activation,
    grid,
    loss_and_gradients,
    measure_on_grid,
    sampled_kink_count,
    train,
)
from reluviz import experiments as ex
from reluviz.checks import ArgumentTypeError
from reluviz.model_io import network_to_onnx
from reluviz.portable_random import MAX_SEED
from reluviz.training import MAX_STEPS

PACKAGE = Path(reluviz.__file__).resolve().parent

NET = Network.random([1, 3, 1], seed=0)
NET2 = Network.random([2, 3, 1], seed=0)
LEAKY = Network.random([1, 3, 1], activation="leaky_relu", seed=0)
IDENTITY = Network.random([1, 2, 1], activation="identity", seed=0)
NPZ = Path(tempfile.mkdtemp(prefix="reluviz-arguments-")) / "net.npz"  # a model file for Network.from_npz to read
np.savez(NPZ, **{f"{kind}_{i}": getattr(layer, kind) for i, layer in enumerate(NET.layers) for kind in ("weight", "bias")})
NOT_A_MODEL_SOURCE = st.sampled_from([None, 5, 2.5, [1, 2], 3j])  # not a text, path, document or bytes
LAYER = Layer(np.array([[2.0]]), np.array([1.0]))
MEASUREMENTS = measure_on_grid(NET, -1, 1, 0.5)
PIECES = analyze_line(NET, -1, 1)
X = np.linspace(-1, 1, 8)[:, None]


def generator(*items: object) -> st.SearchStrategy:
    """A fresh generator of ``items`` on every draw (a generator can be read only once)."""
    return st.builds(lambda: (item for item in items))


# ---- bad values, by what the parameter takes -------------------------------------------------------------------

OTHER_OBJECTS = st.sampled_from([None, object(), {"a": 1}, Ellipsis, b"1", type]) | st.text(max_size=4)
COMPLEX = st.complex_numbers(max_magnitude=1e6, allow_nan=False).map(lambda z: complex(z.real, z.imag or 1.0))

NOT_A_NUMBER = st.one_of(
    OTHER_OBJECTS, COMPLEX, st.booleans(), st.lists(st.floats(-5, 5), min_size=1, max_size=2),
    st.floats(-5, 5).map(lambda v: np.array([v])), generator(1.0), st.sampled_from([np.bool_(True), {1.0}]),
)
NOT_FINITE = st.sampled_from([math.nan, math.inf, -math.inf, np.float64("nan"), np.float32("inf")])
NOT_AN_INTEGER = st.one_of(NOT_A_NUMBER, st.floats(allow_nan=True), st.integers(-5, 5).map(np.float64))

NOT_AN_ARRAY = st.one_of(
    OTHER_OBJECTS,
    COMPLEX, st.lists(COMPLEX, min_size=1, max_size=3), st.booleans(), st.lists(st.booleans(), min_size=1, max_size=3),
    st.sampled_from([[[1.0], [1.0, 2.0]], [[None]], [["a"]], [1.0, None], [[1.0, "2"]], {1.0, 2.0}, np.array(["x"])]),
    generator(1.0, 2.0), generator([1.0]),
)

NOT_A_NETWORK = st.one_of(OTHER_OBJECTS, st.integers(), st.sampled_from([LAYER, list(NET.layers), PIECES, MEASUREMENTS, NET.to_dict()]))
NOT_CALLABLE = st.one_of(OTHER_OBJECTS, st.integers(), st.floats(), st.just([np.sin]), st.just(np.zeros(3)))


def not_a_string(choices: tuple[str, ...]) -> st.SearchStrategy:
    return st.one_of(
        st.sampled_from([None, 5, 1.5, True, [choices[0]], (choices[0],), choices[0].encode(), object()]),
        st.text(max_size=8).filter(lambda text: text not in choices),
    )


def integers_outside(minimum: int, maximum: int | None = None) -> st.SearchStrategy:
    below = st.integers(max_value=minimum - 1) | st.integers(-(2**62), minimum - 1).map(np.int64) | st.just(-(10**5000))
    return below if maximum is None else below | st.integers(min_value=maximum + 1) | st.just(10**5000)


def bad_integer(minimum: int, maximum: int | None = None) -> st.SearchStrategy:
    return NOT_AN_INTEGER | integers_outside(minimum, maximum)


def bad_number(*out_of_range: float, finite: bool = True) -> st.SearchStrategy:
    values = NOT_A_NUMBER | st.just(math.nan) | st.sampled_from(out_of_range or [math.nan])
    return values | NOT_FINITE.filter(lambda v: not math.isinf(v)) if not finite else values | NOT_FINITE | st.just(10**400)


def with_one_bad(array: np.ndarray) -> st.SearchStrategy:
    """``array`` with NaN or ±inf at one place."""

    def spoil(place: int, value: float) -> np.ndarray:
        spoilt = np.array(array, dtype=float)
        spoilt.flat[place % spoilt.size] = value
        return spoilt

    return st.builds(spoil, st.integers(0, 1000), st.sampled_from([math.nan, math.inf, -math.inf]))


def bad_array(like: np.ndarray, *wrong_shapes: tuple[int, ...]) -> st.SearchStrategy:
    """Not an array of numbers, ``like`` with a NaN or inf, or arrays of the given wrong shapes."""
    shaped = [st.just(np.ones(shape)) for shape in wrong_shapes]
    return st.one_of(NOT_AN_ARRAY, with_one_bad(like), *shaped)


def bad_integer_list(minimum: int, generators_ok: bool = False, lengths: tuple[int, ...] = ()) -> st.SearchStrategy:
    """Not a list of integers ≥ minimum; with ``generators_ok`` a generator of good ones is fine, so is not drawn."""
    with_bad_item = st.builds(lambda item, place: [minimum + 1] * place + [item] + [minimum + 1], bad_integer(minimum), st.integers(0, 2))
    kinds = st.one_of(
        st.sampled_from([None, 5, 2.5, "1 2 1", b"121", object(), {"a": 1}, np.int64(3)]),
        with_bad_item,
        st.builds(lambda items: (item for item in items), with_bad_item),
        *[st.just([minimum + 1] * length) for length in lengths],
    )
    return kinds if generators_ok else kinds | generator(minimum + 1, minimum + 1, minimum + 1)


def bad_pair(finite: bool = True) -> st.SearchStrategy:
    """Not a pair (lo, hi) of numbers with lo < hi; infinities only if ``finite``."""
    not_numbers = st.builds(lambda good, bad, first: (bad, good) if first else (good, bad), st.floats(-1, 1), NOT_A_NUMBER, st.booleans())
    ends = [(math.nan, 1.0), (0.0, math.nan), (1.0, 0.0), (2.0, 2.0), (math.inf, math.inf), (-math.inf, -math.inf)]
    if finite:
        ends += [(-math.inf, 1.0), (0.0, math.inf)]
    return st.one_of(
        st.sampled_from([None, 5, 1.5, "ab", b"ab", object(), (0.0,), (), (0.0, 1.0, 2.0), np.zeros(3), {0.0, 1.0}]),
        generator(0.0, 1.0), not_numbers, st.sampled_from(ends),
    )


def wrong_output(*shapes: tuple[int, ...]) -> st.SearchStrategy:
    """Functions whose values do not fit: None, strings, NaN, complex or the wrong shape."""
    return st.sampled_from(
        [lambda x: None, lambda x: "x", lambda x: np.full(np.shape(x), np.nan), lambda x: np.asarray(x) * 1j]
        + [lambda x, shape=shape: np.zeros(shape) for shape in shapes]
    )


# ---- the public functions, each with a call that works and the bad values for every parameter ------------------


@dataclass
class Entry:
    call: Callable[..., object]
    valid: dict[str, object]
    bad: dict[str, st.SearchStrategy] = field(default_factory=dict)


def network_x(shapes_wrong: tuple[tuple[int, ...], ...] = ((3, 2), (2, 2, 1), (1, 3))) -> st.SearchStrategy:
    return bad_array(X, *shapes_wrong)


LAYERS = [([[1.0], [-1.0]], [0.0, 0.5]), ([[1.0, 1.0]], [0.0])]
BAD_LAYERS = st.one_of(
    st.sampled_from([None, 5, "layers", object(), {"weight": 1}, [], [5], [None], ["ab"], [([[1.0]],)], [([[1.0]], [0.0], [0.0])],
                     [([1.0], [0.0])], [([[1.0]], [0.0, 1.0])], [([[1.0]], [[0.0]])], [([[]], [0.0])],
                     [([[1.0]], [0.0]), ([[1.0, 2.0]], [0.0])], [([["a"]], [0.0])], [([[1j]], [0.0])], [([[True]], [0.0])],
                     [([[1.0]], None)], [([[None]], [0.0])], [([[1.0], [2.0]], [[0.0, 0.0]])]]),
    generator(*LAYERS),
    st.builds(lambda w: [(w, [0.0])], bad_array(np.ones((1, 1)), (1,), (1, 1, 1), (0, 1))),
    st.builds(lambda b: [([[1.0]], b)], bad_array(np.ones(1), (2,), (1, 1), ())),
)
WIDTHS = bad_integer_list(1, lengths=(0, 1)) | st.just([1, 10**9, 1])
X_POINTS = bad_array(X, (8,), (8, 2), (0, 1), (8, 1, 1))
Y_TARGETS = bad_array(X, (8,), (7, 1), (8, 2), (8, 1, 1))
# A loss by a name train() does not know, or of the wrong kind; "logistic" and "softmax" are known but need other
# targets than the y above, so they are refused too.
BAD_LOSS = st.sampled_from([None, 1, "hinge", "MSE", b"mse", ["mse"], "logistic", "softmax"])

TABLE: dict[str, Entry] = {
    "get_activation": Entry(get_activation, {"name": "leaky_relu", "leaky_slope": 0.1}, {
        "name": not_a_string(reluviz.ACTIVATION_NAMES),
        "leaky_slope": bad_number(-0.1, 1.0, 2.0, -1e300),
    }),
    "Layer": Entry(Layer, {"weight": np.ones((2, 1)), "bias": np.zeros(2)}, {
        "weight": bad_array(np.ones((2, 1)), (2,), (2, 1, 1), (0, 1), (2, 0)),
        "bias": bad_array(np.zeros(2), (2, 1), ()),
    }),
    "Layer.__call__": Entry(LAYER.__call__, {"h": X}, {"h": bad_array(X, (), (8, 2), (2, 2, 3))}),
    "Network": Entry(Network, {"layers": LAYERS, "activation": "leaky_relu", "leaky_slope": 0.1}, {
        "layers": BAD_LAYERS,
        "activation": not_a_string(reluviz.ACTIVATION_NAMES),
        "leaky_slope": bad_number(-0.5, 1.0, 3.0),
    }),
    "Network.random": Entry(Network.random, {"widths": [1, 3, 1], "activation": "leaky_relu", "init": "spread", "seed": 0,
                                             "spread": (-1.0, 1.0), "leaky_slope": 0.1}, {
        "widths": WIDTHS,
        "activation": not_a_string(reluviz.ACTIVATION_NAMES),
        "init": not_a_string(reluviz.INITS),
        "seed": bad_integer(0, MAX_SEED),
        "spread": bad_pair(),
        "leaky_slope": bad_number(-0.5, 1.0),
    }),
    "Network.from_json": Entry(Network.from_json, {"source": NET.to_json()}, {"source": NOT_A_MODEL_SOURCE}),
    "Network.from_npz": Entry(Network.from_npz, {"path": NPZ}, {"path": NOT_A_MODEL_SOURCE}),
    "Network.from_onnx": Entry(Network.from_onnx, {"source": network_to_onnx(NET)},
                               {"source": NOT_A_MODEL_SOURCE | st.binary(max_size=8).map(lambda b: b"\xff" + b)}),
    **{f"Network.{name}": Entry(getattr(NET, name), {"x": X}, {"x": network_x()})
       for name in ("forward", "preactivations", "activation_pattern", "negative_count", "jacobian")},
    "collapse": Entry(collapse, {"network": IDENTITY}, {"network": NOT_A_NETWORK | st.sampled_from([NET, LEAKY])}),
    "analyze_line": Entry(analyze_line, {"network": NET, "lo": -1.0, "hi": 1.0}, {
        "network": NOT_A_NETWORK | st.just(NET2),
        "lo": bad_number(1.0, 5.0, math.inf, finite=False),
        "hi": bad_number(-1.0, -5.0, -math.inf, finite=False),
    }),
    "analyze_segment": Entry(analyze_segment, {"network": NET2, "start": [-1.0, 0.0], "end": [1.0, 0.5]}, {
        "network": NOT_A_NETWORK,
        "start": bad_array(np.array([-1.0, 0.0]), (1,), (3,), (0,), ()) | st.just([1.0, 0.5]),
        "end": bad_array(np.array([1.0, 0.5]), (1,), (3,), (0,), ()) | st.just([-1.0, 0.0]),
    }),
    "grid": Entry(grid, {"lo": -1.0, "hi": 1.0, "step": 0.5}, {
        "lo": bad_number(1.0, 3.0), "hi": bad_number(-1.0, -3.0), "step": bad_number(0.0, -0.5, 0.3, 1e-12),
    }),
    "measure_on_grid": Entry(measure_on_grid, {"network": NET, "lo": -1.0, "hi": 1.0, "step": 0.5}, {
        "network": NOT_A_NETWORK | st.just(NET2),
        "lo": bad_number(1.0, 3.0), "hi": bad_number(-1.0, -3.0), "step": bad_number(0.0, -0.5, 0.3, 1e-12),
    }),
    "sampled_kink_count": Entry(sampled_kink_count, {"measurements": MEASUREMENTS}, {
        "measurements": NOT_A_NETWORK.filter(lambda v: v is not MEASUREMENTS) | st.just(NET)
        | st.just(ex.PieceCounts([], [], (0, 1), np.zeros(0), np.zeros(0), np.zeros(0)))
        | st.just(type(MEASUREMENTS)(*([np.zeros(0)] * 5))),
    }),
    "loss_and_gradients": Entry(loss_and_gradients, {"network": NET, "x": X, "y": X**2, "loss": "mse"}, {
        "network": NOT_A_NETWORK, "x": X_POINTS, "y": Y_TARGETS, "loss": BAD_LOSS,
    }),
    "train": Entry(train, {"network": NET, "x": X, "y": X**2, "steps": 3, "learning_rate": 0.01, "keep": (1,), "loss": "mse"}, {
        "network": NOT_A_NETWORK, "x": X_POINTS, "y": Y_TARGETS, "loss": BAD_LOSS,
        "steps": bad_integer(1, MAX_STEPS),
        "learning_rate": bad_number(0.0, -0.01),
        "keep": st.one_of(st.sampled_from([None, 5, 1.5, "12", b"1", object(), np.array(2)]),
                          st.lists(st.sampled_from([-1, 4, 2.5, None, "1", True, 1j, math.nan]), min_size=1, max_size=2)),
    }),
    "experiments.sawtooth_network": Entry(ex.sawtooth_network, {"depth": 2}, {"depth": bad_integer(1, reluviz.MAX_LAYERS - 1)}),
    "experiments.max_pieces_one_input": Entry(ex.max_pieces_one_input, {"widths": [3, 3]}, {
        "widths": bad_integer_list(1, generators_ok=True),
    }),
    "experiments.has_dead_layer": Entry(ex.has_dead_layer, {"pieces": PIECES}, {
        "pieces": NOT_A_NETWORK.filter(lambda v: v is not PIECES) | st.just(NET),
    }),
    "experiments.pieces_at_random_init": Entry(ex.pieces_at_random_init, {"totals": [4], "depths": [1, 2], "networks": 1,
                                                                          "window": (-1.0, 1.0), "seed": 0}, {
        "totals": bad_integer_list(1) | st.just([3]),
        "depths": bad_integer_list(1) | st.sampled_from([[3], [1, 8]]),
        "networks": bad_integer(1),
        "window": bad_pair(finite=False),
        "seed": bad_integer(0, MAX_SEED),
    }),
    "experiments.without_biases": Entry(ex.without_biases, {"network": NET, "activation": "identity"}, {
        "network": NOT_A_NETWORK, "activation": not_a_string(reluviz.ACTIVATION_NAMES).filter(lambda v: v is not None),
    }),
    "experiments.interpolating_network": Entry(ex.interpolating_network, {"target": np.sin, "knots": [0.0, 0.5, 1.0]}, {
        "target": NOT_CALLABLE | wrong_output((2,), (3, 1), ()),
        "knots": bad_array(np.array([0.0, 0.5, 1.0]), (1,), (0,), (2, 2), ()) | st.sampled_from([[1.0, 0.0], [0.0, 0.0, 1.0], [math.inf, math.inf], [-math.inf, math.inf], [0.0, math.nan]]),
    }),
    "experiments.interpolation_errors": Entry(ex.interpolation_errors, {"target": np.sin, "lo": -1.0, "hi": 1.0,
                                                                        "knot_counts": [2, 3], "samples": 5}, {
        "target": NOT_CALLABLE | wrong_output((4,), (5, 1), ()),
        "lo": bad_number(1.0, 2.0), "hi": bad_number(-1.0, -2.0),
        "knot_counts": bad_integer_list(2, generators_ok=True),
        "samples": bad_integer(1),
    }),
    "experiments.log_log_slope": Entry(ex.log_log_slope, {"x": [1.0, 2.0, 4.0], "y": [1.0, 0.5, 0.25]}, {
        "x": bad_array(np.array([1.0, 2.0, 4.0]), (2,), (3, 1), (0,)) | st.sampled_from([[1.0, -2.0, 4.0], [2.0, 2.0, 2.0], [0.0, 1.0, 2.0]]),
        "y": bad_array(np.array([1.0, 0.5, 0.25]), (2,), (3, 1), (0,)) | st.sampled_from([[1.0, 0.0, 1.0], [-1.0, 1.0, 1.0]]),
    }),
    "experiments.best_linear_fit": Entry(ex.best_linear_fit, {"inputs": ex.XOR_INPUTS, "targets": ex.XOR_TARGETS}, {
        "inputs": bad_array(ex.XOR_INPUTS, (4,), (0, 2), (4, 2, 1)),
        "targets": bad_array(ex.XOR_TARGETS, (3,), (4, 1), ()),
    }),
    "experiments.follow_training": Entry(ex.follow_training, {"widths": [1, 2, 1], "target": np.sin, "interval": (-1.0, 1.0),
                                                              "points": 4, "steps": 2, "every": 1, "seed": 0,
                                                              "learning_rate": 0.01}, {
        "widths": WIDTHS | st.just([2, 2, 1]),
        "target": NOT_CALLABLE | wrong_output((4,), (3, 1), (4, 2)),
        "interval": bad_pair(),
        "points": bad_integer(2),
        "steps": bad_integer(1, MAX_STEPS),
        "every": bad_integer(1),
        "seed": bad_integer(0, MAX_SEED),
        "learning_rate": bad_number(0.0, -1.0),
    }),
}

EXEMPT = {
    "Activation": "a record of two functions; get_activation makes one and checks what it is given",
    "GridMeasurements": "the record measure_on_grid returns",
    "TrainingRun": "the record train returns",
    "Activation.__call__": "applied inside Network between layers; x is checked where it enters the Network",
    "PiecewiseLinear": "the record analyze_line and analyze_segment return",
    **{f"PiecewiseLinear.{name}": "the analysis in reluviz.pieces is outside this change"
       for name in ("piece_index", "evaluate", "point", "pattern")},
}


def _takes_arguments(function: Callable[..., object]) -> bool:
    parameters = inspect.signature(function).parameters
    return any(name not in ("self", "cls") for name in parameters)


def public_callables() -> set[str]:
    """Every public function, class and method of the package that takes an argument."""
    found = set()
    for name in reluviz.__all__:
        member = getattr(reluviz, name)
        if inspect.isclass(member):
            if _takes_arguments(member):
                found.add(name)
            for attribute, value in vars(member).items():
                function = value.__func__ if isinstance(value, (classmethod, staticmethod)) else value
                if (not attribute.startswith("_") or attribute == "__call__") and inspect.isfunction(function) and _takes_arguments(function):
                    found.add(f"{name}.{attribute}")
        elif callable(member) and _takes_arguments(member):
            found.add(name)
    for name, member in vars(ex).items():
        if inspect.isfunction(member) and member.__module__ == ex.__name__ and not name.startswith("_") and _takes_arguments(member):
            found.add(f"experiments.{name}")
    return found


def refused(entry: Entry, arguments: dict[str, object]) -> BaseException:
    """The TypeError or ValueError that the call raises, with no warning before it."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises((TypeError, ValueError)) as raised:
            entry.call(**arguments)
    return raised.value


def assert_names(error: BaseException, parameter: str) -> None:
    message = str(error)
    assert message and "\n" not in message, repr(message)
    subject = message.split("; got")[0].split(";")[0]
    assert re.search(rf"(?<![\w.]){re.escape(parameter)}(?!\w)", subject), f"{parameter!r} not named in {message!r}"
    tb = error.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    origin = Path(tb.tb_frame.f_code.co_filename).resolve() if tb else None
    assert origin is not None and PACKAGE in origin.parents, f"raised outside reluviz, in {origin}: {message!r}"


def test_every_public_function_and_method_is_in_the_table():
    assert public_callables() == set(TABLE) | set(EXEMPT)


def test_every_parameter_of_every_function_in_the_table_gets_bad_values():
    for name, entry in TABLE.items():
        parameters = inspect.signature(entry.call).parameters
        assert set(entry.bad) == set(entry.valid) == set(parameters), name


@pytest.mark.parametrize("name", sorted(TABLE))
def test_the_table_s_good_calls_work_without_a_warning(name):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        TABLE[name].call(**TABLE[name].valid)


@settings(max_examples=1500, deadline=None)
@given(st.data())
def test_any_bad_argument_is_refused_in_one_line_that_names_it(data):
    name = data.draw(st.sampled_from(sorted(TABLE)), label="function")
    entry = TABLE[name]
    parameter = data.draw(st.sampled_from(sorted(entry.bad)), label="parameter")
    value = data.draw(entry.bad[parameter], label="value")
    assert_names(refused(entry, {**entry.valid, parameter: value}), parameter)


# ---- the cases of the issue, one by one -----------------------------------------------------------------------


def _random(**changed: object) -> object:
    return Network.random(**{"widths": [1, 3, 1], **changed})


ISSUE_CASES = [
    (lambda: _random(widths=None), TypeError, "widths must be a list of layer sizes"),
    (lambda: _random(widths=5), TypeError, "widths must be a list of layer sizes"),
    (lambda: _random(widths=(w for w in [1, 3, 1])), TypeError, "widths must be a list"),
    (lambda: _random(spread=None), TypeError, "spread must be a pair of numbers"),
    (lambda: _random(spread=5), TypeError, "spread must be a pair of numbers"),
    (lambda: _random(spread=(0,)), ValueError, "spread must be a pair of numbers (lo, hi); got 1 item"),
    (lambda: _random(activation="leaky_relu", leaky_slope="x"), TypeError, "leaky_slope must be a finite number in [0, 1); got 'x'"),
    (lambda: _random(activation="leaky_relu", leaky_slope=None), TypeError, "leaky_slope must be"),
    (lambda: _random(leaky_slope=None), TypeError, "leaky_slope must be"),
    (lambda: _random(widths=[1, 2.0, 1]), TypeError, "widths[1] must be an integer; got 2.0"),
    (lambda: _random(seed=2.0), TypeError, "seed must be an integer; got 2.0"),
    (lambda: Network(None), TypeError, "layers must be a list or tuple"),
    (lambda: Network(layer for layer in NET.layers), TypeError, "layers must be a list or tuple"),
    (lambda: Network([5]), TypeError, "layers[0] must be a Layer or a (weight, bias) pair; got 5"),
    (lambda: analyze_line(None, -1, 1), TypeError, "network must be a reluviz Network; got None"),
    (lambda: analyze_line("x", -1, 1), TypeError, "network must be a reluviz Network; got 'x'"),
    (lambda: analyze_line(list(NET.layers), -1, 1), TypeError, "network must be a reluviz Network"),
    (lambda: analyze_line(NET, lo=None, hi=1), TypeError, "lo must be a number, not NaN (±inf allowed); got None"),
    (lambda: analyze_line(NET, 1j, 1), TypeError, "lo must be"),
    (lambda: analyze_line(NET, -1, 1 + 2j), TypeError, "hi must be"),
    (lambda: analyze_line(NET, np.array([0.0]), 1), TypeError, "lo must be a number"),
    (lambda: analyze_line(NET, 0, np.array([1.0])), TypeError, "hi must be a number"),
    (lambda: grid(step=None), TypeError, "step must be a positive finite number; got None"),
    (lambda: get_activation("leaky_relu", "x"), TypeError, "leaky_slope must be"),
    (lambda: get_activation("leaky_relu", None), TypeError, "leaky_slope must be"),
    (lambda: get_activation("leaky_relu", []), TypeError, "leaky_slope must be"),
    (lambda: ex.pieces_at_random_init([4], [0], 1, (-1, 1), 0), ValueError, "depths[0] must be an integer ≥ 1; got 0"),
    (lambda: ex.pieces_at_random_init([4], [2.0], 1, (-1, 1), 0), TypeError, "depths[0] must be an integer; got 2.0"),
    (lambda: train(NET, X, X, steps=5, keep=5), TypeError, "keep must be a collection of step numbers"),
    (lambda: train(NET, X, X, steps=5, keep=None), TypeError, "keep must be"),
    (lambda: train(None, X, X, steps=5), TypeError, "network must be a reluviz Network; got None"),
    (lambda: loss_and_gradients(None, X, X), TypeError, "network must be a reluviz Network; got None"),
    (lambda: ex.follow_training([1, 2, 1], np.sin, (-1, 1), 4, None, 1, 0), TypeError, "steps must be an integer; got None"),
    (lambda: ex.follow_training([1, 2, 1], None, (-1, 1), 4, 2, 1, 0), TypeError, "target must be a function; got None"),
    (lambda: ex.follow_training([1, 2, 1], np.sin, (-1, 1), 4, 2, 0, 0), ValueError, "every must be an integer ≥ 1; got 0"),
    (lambda: ex.sawtooth_network(2.0), TypeError, "depth must be an integer; got 2.0"),
    (lambda: loss_and_gradients(NET, np.zeros((0, 1)), np.zeros((0, 1))), ValueError, "x must hold at least one point"),
    (lambda: loss_and_gradients(NET, X, X[:, 0]), ValueError, "y must be shaped (8, 1)"),
    (lambda: train(NET, X, X[:, 0], steps=5), ValueError, "y must be shaped (8, 1)"),
    (lambda: train(NET, np.full((8, 1), np.nan), X, steps=5), ValueError, "x must hold finite numbers only"),
    (lambda: train(NET, X, np.where(X > 0, np.inf, X), steps=5), ValueError, "y must hold finite numbers only"),
]


@pytest.mark.parametrize("index", range(len(ISSUE_CASES)))
def test_the_issue_s_cases_are_refused_as_it_asks(index):
    call, kind, fragment = ISSUE_CASES[index]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(kind) as raised:
            call()
    message = str(raised.value)
    assert fragment in message and "\n" not in message, message


def test_a_wrong_kind_is_a_type_error_that_callers_catching_value_error_still_catch():
    with pytest.raises(TypeError) as raised:
        Network.random([1, 3, 1], seed="1")
    assert isinstance(raised.value, ArgumentTypeError) and isinstance(raised.value, ValueError)


def test_a_layer_whose_bias_does_not_fit_is_refused_when_it_is_used():
    misfit = Layer(np.ones((2, 1)), np.zeros(3))  # model_io builds its Layers so, and lets Network name the place
    with pytest.raises(ValueError, match=re.escape("bias must have shape (2,) to match the weight; got (3,)")):
        misfit(X)
    with pytest.raises(ValueError, match=re.escape("layers[0].bias must have shape (2,) to match its weight; got (3,)")):
        Network([misfit])


def test_the_old_messages_the_other_modules_match_are_kept():
    with pytest.raises(ValueError, match=re.escape("leaky_slope must be a finite number in [0, 1), got 1.5")):
        Network(LAYERS, "leaky_relu", 1.5)
    with pytest.raises(ValueError, match=re.escape("activation must be one of identity, relu, leaky_relu, tanh, softplus; got 'gelu'")):
        Network(LAYERS, "gelu")
    with pytest.raises(ValueError, match="x and y"):
        train(NET, X, X[:3], steps=2)


def test_the_checks_take_what_they_took_before():
    """Arrays of ints, float32, lists, numpy scalars and a one-point 1-D batch still work as they did."""
    assert Network.random(np.array([1, 3, 1]), seed=np.int64(0)).widths == [1, 3, 1]
    assert Network([Layer([[2.0]], [1.0])]).forward(np.float32(1.0)).tolist() == [[3.0]]
    assert Layer([[2.0]], [1.0])(np.array([[3]])).tolist() == [[7.0]]
    assert LAYER(np.array([3.0])).tolist() == [7.0]
    assert NET.forward(np.zeros((0, 1))).shape == (0, 1)
    assert analyze_line(NET, np.float32(-1), 1).lo == -1.0
    assert analyze_line(NET, -math.inf, math.inf).linear_pieces >= 1
    assert ex.max_pieces_one_input(n for n in [2, 2]) == 9
    exact = np.linspace(-1, 1, 9)[:, None]  # quarters: the same numbers in float32
    run = train(NET, exact.astype(np.float32), (exact**2).tolist(), steps=3, keep=(k for k in [1, 2]))
    reference = train(NET, exact, exact**2, steps=3, keep=[1, 2])
    assert run.steps == reference.steps == [0, 1, 2, 3]
    assert run.losses.tobytes() == reference.losses.tobytes()
