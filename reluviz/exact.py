"""Exact arithmetic for the analysis: a network's weights and biases read as the rational numbers they are.

Every double is a dyadic rational m · 2^e, so sums and products of them are exact with integers. An `ExactVector`
holds numbers as integers over one power of two; `ExactLayer` applies a layer to one. `ExactWalk` follows the
analysis of `reluviz.pieces` piece by piece and computes, on demand and only where floating point cannot decide, the
exact affine map of every unit on a piece, the exact place where a unit's input is zero, and the double nearest to
it (`nearest_double`). The explorer's JavaScript repeats these with BigInt.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Protocol

import numpy as np

Array = np.ndarray


def _dyadic(x: float) -> tuple[int, int]:
    """``x`` as ``(m, e)`` with x = m · 2^e exactly."""
    numerator, denominator = float(x).as_integer_ratio()
    return numerator, 1 - denominator.bit_length()


@dataclass(frozen=True)
class ExactVector:
    """Numbers ``ints[i] · 2^exponent``, exactly."""

    ints: tuple[int, ...]
    exponent: int

    @classmethod
    def of(cls, values: Sequence[float]) -> ExactVector:
        pairs = [_dyadic(v) for v in values]
        low = min((e for m, e in pairs if m), default=0)
        return cls(tuple(m << (e - low) if m else 0 for m, e in pairs), low)

    def __getitem__(self, i: int) -> Fraction:
        return Fraction(self.ints[i]) * Fraction(2) ** self.exponent

    def __len__(self) -> int:
        return len(self.ints)

    def minus(self, other: ExactVector) -> ExactVector:
        low = min(self.exponent, other.exponent)
        return ExactVector(tuple((a << (self.exponent - low)) - (b << (other.exponent - low))
                                 for a, b in zip(self.ints, other.ints)), low)


class ExactLayer:
    """One affine layer's weights and biases as integers over one power of two each."""

    def __init__(self, weight: Array, bias: Array) -> None:
        flat = ExactVector.of(weight.ravel().tolist())
        columns = weight.shape[1]
        self.rows = [flat.ints[i : i + columns] for i in range(0, len(flat.ints), columns)]
        self.weight_exponent = flat.exponent
        self.bias = ExactVector.of(bias.tolist())

    def apply(self, x: ExactVector, with_bias: bool) -> ExactVector:
        """``weight @ x (+ bias)``, exactly."""
        exponent = self.weight_exponent + x.exponent
        sums = [sum(map(operator.mul, row, x.ints)) for row in self.rows]
        if not with_bias:
            return ExactVector(tuple(sums), exponent)
        low = min(exponent, self.bias.exponent)
        return ExactVector(tuple((s << (exponent - low)) + (b << (self.bias.exponent - low))
                                 for s, b in zip(sums, self.bias.ints)), low)


def activated(x: ExactVector, signs: Sequence[int], negative_slope: float) -> ExactVector:
    """The activation applied to pre-activations ``x`` whose signs (1, 0 or -1) on a piece are ``signs``: slope 1
    where positive, ``negative_slope`` elsewhere."""
    slope, slope_exponent = _dyadic(negative_slope)
    shift = min(slope_exponent, 0)
    ints = tuple(v << -shift if sign > 0 else (slope * v) << (slope_exponent - shift) for v, sign in zip(x.ints, signs))
    return ExactVector(ints, x.exponent + shift)


def nearest_double(value: Fraction, what: str) -> float:
    """The double nearest to ``value`` (ties to even), as IEEE 754 rounds.

    Raises
    ------
    ValueError
        If ``value`` is beyond the largest double; ``what`` names it in the message.
    """
    try:
        return value.numerator / value.denominator  # Python's int division is correctly rounded
    except OverflowError:
        size = abs(value.numerator).bit_length() - value.denominator.bit_length()
        raise ValueError(f"{what} is about 2^{size} in size, beyond the largest double (about 2^1024)") from None


class PieceSigns(Protocol):
    """The signs (-1, 0, 1) of a layer's units on each piece of the level that layer made."""

    def __call__(self, piece: int) -> list[int]: ...

    def ever_positive(self) -> bool: ...


class ExactWalk:
    """The analysis's pieces, level by level, with their exact maps computed only when asked for.

    Along a line ``origin + s · direction`` (or on a plane ``origin + u · d₁ + v · d₂``), level 0 is the whole
    interval (or square), with the first layer's pre-activations ``offset + s · rate`` (``offset + u · r₁ + v · r₂``).
    Each later level ``l`` splits every piece of level ``l − 1`` where a unit of layer ``l`` changes sign; its pieces
    carry the pre-activations of layer ``l + 1`` (the output, after the last hidden layer). A direction given as a
    pair ``(end, start)`` is their difference, taken exactly.
    """

    def __init__(self, weights: Sequence[Array], biases: Sequence[Array], negative_slope: float,
                 origin: Array, directions: Sequence[Array | tuple[Array, Array]]) -> None:
        self.weights, self.biases = weights, biases
        self.negative_slope = negative_slope
        self.origin, self.directions = origin, directions
        self.maps: list[dict[int, tuple[ExactVector, tuple[ExactVector, ...]]]] = [{}]
        self.parents: list[Array] = []
        self.signs: list[PieceSigns] = []
        self._layers: dict[int, ExactLayer] = {}

    def layer(self, index: int) -> ExactLayer:
        """Layer ``index`` read exactly, the first time it is needed (kept by the walk, not by a cache that would
        keep every walk alive)."""
        found = self._layers.get(index)
        if found is None:
            found = self._layers[index] = ExactLayer(self.weights[index], self.biases[index])
        return found

    def add_level(self, parents: Array, signs: PieceSigns) -> None:
        """A new level: each piece's parent (a piece of the level before), and the signs (-1, 0, 1) of the units
        of the layer that split it, for a piece."""
        self.parents.append(parents)
        self.signs.append(signs)
        self.maps.append({})

    def map(self, level: int, piece: int) -> tuple[ExactVector, tuple[ExactVector, ...]]:
        """The exact offset and rates of the next layer's pre-activations on ``piece`` of ``level``."""
        found = self.maps[level].get(piece)
        if found is None and level == 0:
            first = self.layer(0)
            found = (first.apply(ExactVector.of(self.origin.tolist()), True),
                     tuple(first.apply(_exactly(direction), False) for direction in self.directions))
        elif found is None:
            offset, rates = self.map(level - 1, int(self.parents[level - 1][piece]))
            signs = self.signs[level - 1](piece)
            layer = self.layer(level)
            found = (layer.apply(activated(offset, signs, self.negative_slope), True),
                     tuple(layer.apply(activated(rate, signs, self.negative_slope), False) for rate in rates))
        self.maps[level][piece] = found
        return found

    def root(self, level: int, piece: int, unit: int) -> Fraction:
        """Where unit ``unit``'s pre-activation on ``piece`` of ``level`` is zero along the line (its rate is not
        zero there)."""
        offset, (rate,) = self.map(level, piece)
        return -Fraction(offset.ints[unit] * 2 ** max(offset.exponent - rate.exponent, 0),
                         rate.ints[unit] * 2 ** max(rate.exponent - offset.exponent, 0))

    def sign(self, level: int, piece: int, unit: int, rate: bool) -> int:
        """The sign of unit ``unit``'s offset (or rate, along the line) on ``piece`` of ``level``."""
        offset, rates = self.map(level, piece)
        value = (rates[0] if rate else offset).ints[unit]
        return (value > 0) - (value < 0)

    def affine(self, level: int, piece: int, unit: int) -> tuple[Fraction, ...]:
        """Unit ``unit``'s exact offset and rates on ``piece`` of ``level``."""
        offset, rates = self.map(level, piece)
        return (offset[unit], *(rate[unit] for rate in rates))


def _exactly(direction: Array | tuple[Array, Array]) -> ExactVector:
    if isinstance(direction, tuple):
        return ExactVector.of(direction[0].tolist()).minus(ExactVector.of(direction[1].tolist()))
    return ExactVector.of(direction.tolist())
