"""What the explorer's JavaScript shares with the package, handed to it in one generated file.

``explorer/reluviz-shared.js`` defines ``ReluvizShared``: the portable generator's constants, the activations'
slopes, both explorers' controls and limits (`reluviz.explorer`) and the order of the JSON fields that
``reluviz network --json`` prints; the portable exp, log1p, sin and cos (`reluviz.portable_math`, under "math");
Adam's constants, the data sets' constants and streams, the Train panels' controls and the fields of
``reluviz train --json`` (under "training"). The scripts in docs/explorer/ read every such number from it and define
none themselves (a test checks that), so changing one here changes the browser too.
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
        "math": _math_values(),
        "training": _training_values(),
    }


def _math_values() -> dict[str, Any]:
    """reluviz.portable_math's reductions and series, for exp, log1p, sin and cos in the browser."""
    from .. import portable_math as pm

    return {"log2e": pm.LOG2E, "ln2Hi": pm.LN2_HI, "ln2Lo": pm.LN2_LO, "expMax": pm.EXP_MAX, "expZeroBelow": pm.EXP_ZERO_BELOW,
            "expSeries": list(pm.EXP_SERIES), "log1pSeries": list(pm.LOG1P_SERIES), "twoOverPi": pm.TWO_OVER_PI,
            "pio2Parts": list(pm.PIO2_PARTS), "trigMax": pm.TRIG_MAX, "sinSeries": list(pm.SIN_SERIES),
            "cosSeries": list(pm.COS_SERIES)}


def _training_values() -> dict[str, Any]:
    """reluviz.training's Adam and messages, reluviz.datasets' data and the Train panels' controls (reluviz.explorer)."""
    import math

    from .. import datasets as data
    from .. import explorer
    from .. import training as tr

    return {
        "adam": {"beta1": tr.BETA1, "oneMinusBeta1": tr.ONE_MINUS_BETA1, "beta2": tr.BETA2, "oneMinusBeta2": tr.ONE_MINUS_BETA2,
                 "epsilon": tr.EPSILON},
        "losses": list(tr.LOSSES), "maxSteps": tr.MAX_STEPS, "diverged": tr.DIVERGED, "divergedReasons": dict(tr.DIVERGED_REASONS),
        "json": list(tr.TRAIN_JSON_FIELDS), "dataJson": list(data.DATA_JSON_FIELDS),
        "lineControls": [control.as_dict() for control in explorer.TRAIN_LINE_CONTROLS],
        "planeControls": [control.as_dict() for control in explorer.TRAIN_PLANE_CONTROLS],
        "networkControls": list(explorer.TRAIN_NETWORK_CONTROLS),
        "readerPoints": explorer.READER_POINTS, "maxReaderPoints": explorer.MAX_READER_POINTS,
        "stepsPerSecond": list(explorer.STEPS_PER_SECOND), "defaultStepsPerSecond": explorer.DEFAULT_STEPS_PER_SECOND,
        "data": {
            "curves": list(data.CURVES), "sineTerms": {name: [list(term) for term in terms] for name, terms in data.SINE_TERMS.items()},
            "curveInterval": list(data.CURVE_INTERVAL), "labelled": list(data.LABELLED_SETS),
            "streams": {"position": data.STREAM_POSITION, "noise": data.STREAM_NOISE, "centre": data.STREAM_CENTRE},
            "reach": data.REACH, "circleRadii": list(data.CIRCLE_RADII), "moonShift": list(data.MOON_SHIFT),
            "moonScale": data.MOON_SCALE, "spiralAngle": data.SPIRAL_ANGLE, "mixtureComponents": data.MIXTURE_COMPONENTS,
            "mixtureCentreReach": data.MIXTURE_CENTRE_REACH, "mixtureSpread": data.MIXTURE_SPREAD, "pi": math.pi,
            "twoPi": 2.0 * math.pi,
        },
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
