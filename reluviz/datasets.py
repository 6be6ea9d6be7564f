"""The data the explorers train on, drawn the same way, to the bit, in Python and in the browser.

- **Curves** (one input): the training chapter's targets on [−π, π] at evenly spaced points, computed with the
  portable `reluviz.portable_math.sin`, so the chapter's numbers are the same on every machine.
- **Labelled sets** (two inputs, labels 0 and 1): XOR, two circles, two moons, a spiral and a Gaussian mixture, each
  drawn from the portable generator (`reluviz.portable_random`) under a seed, with Gaussian noise of a chosen size.
  Point ``i`` takes its numbers from counters ``(i, column, attempt, stream)`` of the streams below, which no network
  draws from (a network's layer ``l`` uses streams ``4l`` to ``4l + 3``), so the data and the network may share a
  seed without sharing numbers.
- **Files**: a data set as JSON, ``{"x": [[...], ...], "y": [[...], ...]}``, one row per point (`write_data`,
  `read_data`); ``reluviz train --data FILE`` reads it, and the explorer writes it for the reader's own points.

``docs/explorer/reluviz-train.js`` repeats every function here operation for operation; its constants come from the
file the build generates (`reluviz.build.twin`).
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

from .checks import ArgumentTypeError, check_array, check_integer, check_interval, check_number, shown
from .portable_math import cos, sin
from .portable_random import MAX_SEED, standard_normal, uniform

Array = np.ndarray

CURVES = {"sin": "sin x", "abs": "|x|", "wiggly": "sin 3x + ½ sin 7x"}
"""The training chapter's curves, by name: smooth, with one corner, and with many wiggles."""
SINE_TERMS = {"sin": ((1.0, 1.0),), "wiggly": ((1.0, 3.0), (0.5, 7.0))}
"""The curves made of sines, as (amplitude, frequency) terms added left to right: a · sin(f · x) + …"""
CURVE_INTERVAL = (-math.pi, math.pi)
"""Where the curves are sampled."""
LABELLED_SETS = ("xor", "circles", "moons", "spiral", "mixture")
"""The two-input data sets with labels 0 and 1, in the order the explorer offers them."""
STREAM_POSITION, STREAM_NOISE, STREAM_CENTRE = 0xDA7A0000, 0xDA7A0001, 0xDA7A0002
"""The generator's streams for the data: uniform numbers that place a point (columns 0 and 1), normal numbers for
its noise (columns 0 and 1) and a mixture's scatter (columns 2 and 3), uniform numbers for a mixture's centres (row
= component)."""
REACH = 2.0
"""Every labelled set lies in [−REACH, REACH]² before its noise is added."""
CIRCLE_RADII = (REACH, 0.5 * REACH)
"""The radius of the circle of label 0 (outer) and of label 1 (inner)."""
MOON_SHIFT = (0.5, 0.25)
"""The moon of label 0 is (cos t, sin t) − MOON_SHIFT for t in [0, π); the moon of label 1 is its mirror through the
origin (as scikit-learn's two moons, centred)."""
MOON_SCALE = REACH / 1.5
"""Scales the moons (which span 3 across) to the reach."""
SPIRAL_ANGLE = 1.75 * 2.0 * math.pi
"""The angle a spiral arm turns through from its centre to its end (1.75 turns); the arm of label 1 is turned by π."""
MIXTURE_COMPONENTS = 6
"""The mixture's Gaussians; point i belongs to component i mod 6, whose label is the component's number mod 2."""
MIXTURE_CENTRE_REACH = 0.75 * REACH
"""The mixture's centres are uniform in [−MIXTURE_CENTRE_REACH, MIXTURE_CENTRE_REACH]²."""
MIXTURE_SPREAD = 0.3
"""The standard deviation of each of the mixture's Gaussians, before the noise."""
DEFAULT_NOISE = 0.2
"""The standard deviation of the noise added to each coordinate, unless told."""
MAX_POINTS = 100_000
"""The most points a generated set or a data file may hold."""
DATA_JSON_FIELDS = ("x", "y")
"""The fields of a data file, in the order `write_data` writes them."""


def evenly_spaced(lo: float, hi: float, points: int) -> Array:
    """``points`` numbers from ``lo`` to ``hi``: ``lo + i · step`` with ``step = (hi − lo) / (points − 1)``, the last
    exactly ``hi`` (the same numbers as ``np.linspace``, which computes them so too).

    Examples
    --------
    >>> evenly_spaced(0.0, 1.0, 5).tolist()
    [0.0, 0.25, 0.5, 0.75, 1.0]
    """
    low, high = check_interval(lo, hi)
    count = check_integer("points", points, 2, MAX_POINTS)
    step = (high - low) / (count - 1)
    values: Array = low + np.arange(count) * step
    values[-1] = high
    return values


def curve(name: str, x: object) -> Array:
    """The curve ``name`` (one of `CURVES`) at ``x``, with the portable sine: the same bits on every machine.

    Examples
    --------
    >>> curve("wiggly", [0.0, math.pi / 2]).tolist()
    [0.0, -1.5]
    """
    name = _check_name("name", name, tuple(CURVES))
    values = check_array("x", x)
    if name == "abs":
        return np.abs(values)
    (amplitude, frequency), *rest = SINE_TERMS[name]
    total: Array = amplitude * sin(frequency * values)
    for amplitude, frequency in rest:
        total = total + amplitude * sin(frequency * values)
    return total


def curve_data(name: str, points: int, interval: tuple[float, float] = CURVE_INTERVAL) -> tuple[Array, Array]:
    """``points`` evenly spaced samples (`evenly_spaced`) of the curve ``name`` on ``interval``.

    Parameters
    ----------
    name : str
        One of `CURVES`.
    points : int
        2 to `MAX_POINTS`.
    interval : (float, float)
        A finite interval lo < hi.

    Returns
    -------
    x, y : ndarray, shape (points, 1)

    Examples
    --------
    >>> x, y = curve_data("abs", 3)
    >>> x[:, 0].tolist() == [-math.pi, 0.0, math.pi], y[:, 0].tolist() == [math.pi, 0.0, math.pi]
    (True, True)
    """
    name = _check_name("name", name, tuple(CURVES))
    x = evenly_spaced(interval[0], interval[1], points)
    return x[:, None], curve(name, x)[:, None]


def _check_name(parameter: str, value: object, allowed: tuple[str, ...]) -> str:
    if not isinstance(value, str):
        raise ArgumentTypeError(f"{parameter} must be one of {', '.join(allowed)}; got {shown(value)}")
    if value not in allowed:
        raise ValueError(f"{parameter} must be one of {', '.join(allowed)}; got {value!r}")
    return value


def _rows(points: object, seed: object, noise: object) -> tuple[Array, int, float]:
    """The point indices, the seed and the noise, each checked."""
    count = check_integer("points", points, 1, MAX_POINTS)
    checked_seed = check_integer("seed", seed, 0, MAX_SEED)
    size = check_number("noise", noise, 0.0)
    return np.arange(count, dtype=np.uint32), checked_seed, size


def _uniform(seed: int, rows: Array, column: int, stream: int = STREAM_POSITION) -> Array:
    return uniform(seed, stream, rows, np.full_like(rows, column))


def _normal(seed: int, rows: Array, column: int) -> Array:
    return standard_normal(seed, STREAM_NOISE, rows, np.full_like(rows, column))


def _labelled(first: Array, second: Array, labels: Array, seed: int, rows: Array, noise: float) -> tuple[Array, Array]:
    """The points (first + noise · N, second + noise · N) with their labels, shaped (n, 2) and (n, 1)."""
    x = np.stack([first + noise * _normal(seed, rows, 0), second + noise * _normal(seed, rows, 1)], axis=1)
    return x + 0.0, labels.astype(np.float64)[:, None]  # + 0.0: no −0.0 in the data


def xor(points: int, seed: int = 0, noise: float = DEFAULT_NOISE) -> tuple[Array, Array]:
    """Points uniform in [−REACH, REACH]², label 1 where both coordinates have one sign (before the noise).

    Parameters
    ----------
    points : int
        1 to `MAX_POINTS`.
    seed : int
        0 to `reluviz.portable_random.MAX_SEED`.
    noise : float
        The standard deviation of the Gaussian noise added to each coordinate, ≥ 0.

    Returns
    -------
    x : ndarray, shape (points, 2)
    y : ndarray, shape (points, 1)
        0.0 or 1.0. The other labelled sets take and return the same.

    Examples
    --------
    >>> x, y = xor(4, seed=0, noise=0.0)
    >>> bool(np.all((x[:, 0] * x[:, 1] > 0) == (y[:, 0] == 1)))
    True
    """
    rows, seed, noise = _rows(points, seed, noise)
    a = REACH * (2.0 * _uniform(seed, rows, 0) - 1.0)
    b = REACH * (2.0 * _uniform(seed, rows, 1) - 1.0)
    return _labelled(a, b, (a * b > 0.0).astype(int), seed, rows, noise)


def circles(points: int, seed: int = 0, noise: float = DEFAULT_NOISE) -> tuple[Array, Array]:
    """Two circles around the origin (`CIRCLE_RADII`): even points on the outer (label 0), odd on the inner (1),
    at uniform angles; arguments and results as for `xor`.

    Examples
    --------
    >>> x, y = circles(2, noise=0.0)
    >>> np.hypot(x[:, 0], x[:, 1]).round(12).tolist(), y[:, 0].tolist()
    ([2.0, 1.0], [0.0, 1.0])
    """
    rows, seed, noise = _rows(points, seed, noise)
    labels = (rows % 2).astype(int)
    angle = (2.0 * math.pi) * _uniform(seed, rows, 0)
    radius = np.where(labels == 1, CIRCLE_RADII[1], CIRCLE_RADII[0])
    return _labelled(radius * cos(angle), radius * sin(angle), labels, seed, rows, noise)


def moons(points: int, seed: int = 0, noise: float = DEFAULT_NOISE) -> tuple[Array, Array]:
    """Two interleaved half circles (`MOON_SHIFT`, `MOON_SCALE`): even points on the upper moon (label 0), odd on
    the lower (1); arguments and results as for `xor`.

    Examples
    --------
    >>> x, y = moons(4, noise=0.0)
    >>> bool(np.all(x[y[:, 0] == 0, 1] >= -MOON_SHIFT[1] * MOON_SCALE)), y[:, 0].tolist()
    (True, [0.0, 1.0, 0.0, 1.0])
    """
    rows, seed, noise = _rows(points, seed, noise)
    labels = (rows % 2).astype(int)
    t = math.pi * _uniform(seed, rows, 0)
    a, b = cos(t) - MOON_SHIFT[0], sin(t) - MOON_SHIFT[1]
    a, b = np.where(labels == 1, -a, a), np.where(labels == 1, -b, b)
    return _labelled(MOON_SCALE * a, MOON_SCALE * b, labels, seed, rows, noise)


def spiral(points: int, seed: int = 0, noise: float = DEFAULT_NOISE) -> tuple[Array, Array]:
    """Two spiral arms (`SPIRAL_ANGLE`), the second turned by π: even points on the first (label 0), odd on the
    second (1), at a uniform fraction of the way out; arguments and results as for `xor`.

    Examples
    --------
    >>> x, y = spiral(3, noise=0.0)
    >>> bool(np.all(np.hypot(x[:, 0], x[:, 1]) <= REACH)), y[:, 0].tolist()
    (True, [0.0, 1.0, 0.0])
    """
    rows, seed, noise = _rows(points, seed, noise)
    labels = (rows % 2).astype(int)
    fraction = _uniform(seed, rows, 0)
    radius = REACH * fraction
    angle = SPIRAL_ANGLE * fraction + labels * math.pi
    return _labelled(radius * cos(angle), radius * sin(angle), labels, seed, rows, noise)


def mixture(points: int, seed: int = 0, noise: float = DEFAULT_NOISE) -> tuple[Array, Array]:
    """`MIXTURE_COMPONENTS` Gaussians of standard deviation `MIXTURE_SPREAD` around uniform centres, point i from
    component i mod 6 and labelled by that component's number mod 2; arguments and results as for `xor`.

    Examples
    --------
    >>> x, y = mixture(12, seed=3)
    >>> x.shape, y[:6, 0].tolist()
    ((12, 2), [0.0, 1.0, 0.0, 1.0, 0.0, 1.0])
    """
    rows, seed, noise = _rows(points, seed, noise)
    component = rows % MIXTURE_COMPONENTS
    centres = [MIXTURE_CENTRE_REACH * (2.0 * _uniform(seed, component, axis, STREAM_CENTRE) - 1.0) for axis in (0, 1)]
    a = centres[0] + MIXTURE_SPREAD * _normal(seed, rows, 2)
    b = centres[1] + MIXTURE_SPREAD * _normal(seed, rows, 3)
    return _labelled(a, b, (component % 2).astype(int), seed, rows, noise)


LABELLED: dict[str, Callable[..., tuple[Array, Array]]] = {
    "xor": xor, "circles": circles, "moons": moons, "spiral": spiral, "mixture": mixture,
}
"""Each labelled set's function, by name (`LABELLED_SETS`)."""


def data_json(x: object, y: object) -> str:
    """A data set as the JSON text `write_data` writes (fields in `DATA_JSON_FIELDS` order; no −0.0).

    Examples
    --------
    >>> data_json([[0.5], [-0.0]], [[1.0], [2.0]])
    '{"x": [[0.5], [0.0]], "y": [[1.0], [2.0]]}'
    """
    inputs, targets = _checked_data(x, y, "x", "y")
    document = {"x": (inputs + 0.0).tolist(), "y": (targets + 0.0).tolist()}
    return json.dumps(document, allow_nan=False)


def write_data(path: str | os.PathLike[str], x: object, y: object) -> None:
    """Write the data set ``(x, y)`` to ``path`` as JSON: ``{"x": [[...], ...], "y": [[...], ...]}``, one row per
    point, x shaped (n, inputs) and y (n, outputs).

    Parameters
    ----------
    path : str or path-like
    x, y : array_like
        Finite real numbers, one row each per point.

    Returns
    -------
    None

    Raises
    ------
    TypeError, ValueError
        If x or y is not a table of finite real numbers, or they do not pair up row by row.
    OSError
        If the file cannot be written.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     write_data(Path(folder) / "points.json", [[1.0, 2.0]], [[1.0]])
    ...     read_data(Path(folder) / "points.json")[0].tolist()
    [[1.0, 2.0]]
    """
    text = data_json(x, y)
    Path(path).write_text(text + "\n", encoding="utf-8")


def read_data(path: str | os.PathLike[str]) -> tuple[Array, Array]:
    """The data set in the JSON file ``path`` (as `write_data` writes it), refused in one line if it is malformed.

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    x : ndarray, shape (n, inputs)
    y : ndarray, shape (n, outputs)

    Raises
    ------
    ValueError
        If the file is not JSON, not an object with exactly the fields "x" and "y", or they are not tables of finite
        numbers with one row per point (1 to `MAX_POINTS` rows); the message names the file and the field.
    OSError
        If the file cannot be read.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = (Path(folder) / "bad.json").write_text('{"x": [[1.0]]}')
    ...     read_data(Path(folder) / "bad.json")
    Traceback (most recent call last):
    ValueError: ...bad.json must hold a JSON object with the fields "x" and "y" and no others; got "x"
    """
    name = os.fspath(path)
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise ValueError(f"{name} is not UTF-8 text: {error.reason} at byte {error.start}") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"{name} is not JSON: {error.msg} (line {error.lineno}, column {error.colno})") from None
    if not isinstance(document, dict) or set(document) != set(DATA_JSON_FIELDS):
        fields = ", ".join(f'"{key}"' for key in document) if isinstance(document, dict) else f"a JSON {type(document).__name__}"
        raise ValueError(f'{name} must hold a JSON object with the fields "x" and "y" and no others; got {fields or "no field"}')
    return _checked_data(document["x"], document["y"], f"{name}: x", f"{name}: y")


def _checked_data(x: object, y: object, x_name: str, y_name: str) -> tuple[Array, Array]:
    """x and y as float tables (n, inputs) and (n, outputs) with 1 to MAX_POINTS rows, or a one-line error."""
    tables = []
    for name, value in ((x_name, x), (y_name, y)):
        table = check_array(name, value, allowed="a list of rows of numbers, one row per point")
        if table.ndim != 2 or table.shape[1] == 0 or not 1 <= len(table) <= MAX_POINTS:
            raise ValueError(f"{name} must be a list of 1 to {MAX_POINTS:,} rows of numbers, one row per point, all rows "
                             f"of one length; got shape {table.shape}")
        tables.append(table)
    if len(tables[0]) != len(tables[1]):
        raise ValueError(f"{y_name} must have one row per point of x ({len(tables[0])}); got {len(tables[1])} rows")
    return tables[0], tables[1]
