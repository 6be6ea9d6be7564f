"""Text the figures share: numbers as the prose quotes them (plain text, or TeX for matrices), and credits."""

from __future__ import annotations

import math

import numpy as np

QUORA_URL = "https://www.quora.com/Why-is-ReLU-non-linear/answer/Nathan-Yan-2"
QUORA_CREDIT = f"After an experiment by Nathan Yan ({QUORA_URL})."
SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _finite(value: float) -> float:
    """``value`` as a float; NaN or infinity never reaches the prose."""
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"a fact must be a finite number to be quoted; got {number}")
    return number


def number(value: float, digits: int = 3) -> str:
    """A float with ``digits`` significant digits, a real minus sign and a superscript exponent."""
    value = _finite(value)
    text = f"{float(value) + 0.0:.{digits}g}"  # + 0.0 turns -0.0 into 0.0
    mantissa, _, exponent = text.partition("e")
    mantissa = mantissa.replace("-", "−")
    if not exponent:
        return mantissa
    return f"{mantissa} × 10{str(int(exponent)).translate(SUPERSCRIPTS)}"


def tex_number(value: float, digits: int = 3) -> str:
    value = _finite(value)
    text = f"{float(value) + 0.0:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return text


def tex_matrix(matrix: np.ndarray, digits: int = 2) -> str:
    """A bracketed matrix; a 1-D array becomes a row."""
    rows = np.atleast_2d(matrix)
    body = r" \\ ".join(" & ".join(tex_number(v, digits) for v in row) for row in rows)
    return rf"\begin{{bmatrix}} {body} \end{{bmatrix}}"


def count_list(values: np.ndarray, digits: int = 3) -> str:
    """``a, b and c`` for a short list of numbers."""
    items = [number(v, digits) for v in values]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def agreement(difference: float) -> str:
    """How closely two computations agree, as the prose says it: "exactly", or "to within" the difference."""
    return "exactly" if difference == 0 else f"to within {number(difference, 2)}"
