"""Links into the site's explorer, which draws `Network.random` networks in the reader's browser.

The explorer (``docs/explorer/``) reads its whole state from the page address; `explorer_query` writes that
address for a network the package drew, so a figure can link to the same network, live.
"""

from __future__ import annotations

import math
from urllib.parse import urlencode

from .sampling import QUORA_HI, QUORA_LO

MAX_WIDTH = 64
MAX_LAYERS = 4
ACTIVATIONS = ("relu", "leaky_relu", "identity")
"""What the explorer can show: up to 4 hidden layers of up to 64 units, these activations (leaky slope 0.01)."""


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
    if not (1 <= width <= MAX_WIDTH and 1 <= layers <= MAX_LAYERS and activation in ACTIVATIONS):
        return None
    if not all(math.isfinite(end) for end in (*interval, *spread)):
        return None
    return urlencode({
        "width": width, "layers": layers, "seed": seed, "init": init, "activation": activation,
        "biases": int(biases), "lo": interval[0], "hi": interval[1], "spread_lo": spread[0], "spread_hi": spread[1],
    })
