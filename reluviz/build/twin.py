"""What the explorer's JavaScript shares with the package, handed to it in one generated file.

``explorer/reluviz-shared.js`` defines ``ReluvizShared``: the portable generator's constants, the activations'
slopes, both explorers' controls and limits (`reluviz.explorer`) and the order of the JSON fields that
``reluviz network --json`` prints. The scripts in docs/explorer/ read every such number from it and define none
themselves (a test checks that), so changing one here changes the browser too.
"""

from __future__ import annotations

import json
from typing import Any

SHARED_FILE = "explorer/reluviz-shared.js"


def shared_values() -> dict[str, Any]:
    """Everything the browser shares with the package, by topic."""
    from .. import filtered
    from .. import portable_random as random
    from ..activations import DEFAULT_LEAKY_SLOPE
    from ..explorer import EXPLORER_ACTIVATIONS, EXPLORER_MAX_END, LINE_CONTROLS, PLANE_CONTROLS, PLANE_REGION_LIMIT
    from ..pieces import LINE_JSON_FIELDS
    from ..regions import PLANE_JSON_FIELDS, WHOLE_PLANE_REACH

    return {
        "random": {
            "multipliers": list(random.PHILOX_MULTIPLIERS),
            "keySteps": list(random.PHILOX_KEY_STEPS),
            "rounds": random.PHILOX_ROUNDS,
            "fractionShifts": list(random.FRACTION_SHIFTS),
            "ln2": random.LN2,
            "sqrt2": random.SQRT2,
            "logSeries": list(random.LOG_SERIES),
            "maxSeed": random.MAX_SEED,
            "streamsPerLayer": random.STREAMS_PER_LAYER,
            "kinds": {"weight": random.KIND_WEIGHT, "bias": random.KIND_BIAS, "kink": random.KIND_KINK},
        },
        "activations": {
            "leakySlope": DEFAULT_LEAKY_SLOPE,
            "negativeSlope": {"relu": 0.0, "leaky_relu": DEFAULT_LEAKY_SLOPE, "identity": 1.0},
            "explorer": list(EXPLORER_ACTIVATIONS),
        },
        "explorer": {
            "controls": [control.as_dict() for control in LINE_CONTROLS],
            "maxEnd": EXPLORER_MAX_END,
        },
        "plane": {"controls": [control.as_dict() for control in PLANE_CONTROLS], "regionLimit": PLANE_REGION_LIMIT,
                  "reach": WHOLE_PLANE_REACH, "spread": list(_default_spread())},
        "json": {"line": list(LINE_JSON_FIELDS), "plane": list(PLANE_JSON_FIELDS)},
        "filter": {"unitRoundoff": filtered.U, "tiny": filtered.TINY, "slack": filtered.SLACK, "rounded": filtered.ROUNDED,
                   "undecided": filtered.UNDECIDED, "gammaUnit": filtered.GAMMA_UNIT, "gammaSpare": filtered.GAMMA_SPARE},
    }


def _default_spread() -> tuple[float, float]:
    """Where `Network.random` spreads the first layer's kinks unless told: the 2-D explorer has no control for it."""
    import inspect

    from ..network import Network

    return inspect.signature(Network.random).parameters["spread"].default


def shared_script(values: dict[str, Any] | None = None) -> str:
    """The JavaScript file that defines ``ReluvizShared`` (frozen) from ``values`` (default: `shared_values`)."""
    data = json.dumps(shared_values() if values is None else values, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return (
        "/* Generated when the site is built, by reluviz/build/twin.py, from the package's own constants: edit those,\n"
        " * not this file. */\n"
        '"use strict";\n'
        "(function (root) {\n"
        "  const deepFreeze = (value) => { if (value && typeof value === \"object\") { Object.values(value).forEach(deepFreeze); Object.freeze(value); } return value; };\n"
        f"  root.ReluvizShared = deepFreeze({data});\n"
        "})(typeof globalThis !== \"undefined\" ? globalThis : this);\n"
    )
