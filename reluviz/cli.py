"""The ``reluviz`` command line: analyse or train a random network, or regenerate one of the site's figures.

Every failure is one line on stderr and exit code 2, a failed write to stdout or a closed pipe included; a traceback
would mean a bug in reluviz, not in the input.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Sequence
from typing import Any

from .activations import ACTIVATION_NAMES, DEFAULT_LEAKY_SLOPE
from .checks import check_finite, check_integer, check_interval, check_number
from .cli_models import POINT_OPTIONS, add_model_parsers, is_point_list, run_line, run_plane
from .datasets import CURVES, LABELLED, LABELLED_SETS, MAX_POINTS, curve_data, read_data
from .experiments import without_biases
from .explorer import (
    EXPLORER_ACTIVATIONS,
    LINE_CONTROLS,
    PLANE_CONTROLS,
    READER_POINTS,
    TRAIN_LINE_CONTROLS,
    TRAIN_NETWORK_CONTROLS,
    TRAIN_PLANE_CONTROLS,
    Control,
)
from .export import to_json
from .figures._text import plural
from .network import MAX_LAYERS, Network
from .pieces import analyze_line
from .portable_random import MAX_SEED
from .training import LOSSES, MAX_STEPS, train

CLI_RANGES = {"width": (1, 100_000), "layers": (1, MAX_LAYERS - 1)}
"""Wider ranges than the explorer's for ``reluviz network`` (it prints every unit and piece; the API takes more)."""
NUMBER_OPTIONS = tuple({control.flag for control in LINE_CONTROLS + PLANE_CONTROLS + TRAIN_LINE_CONTROLS + TRAIN_PLANE_CONTROLS
                         if control.kind == "number"}) + ("--leaky-slope",)
TRAIN_DEFAULT_STEPS = 100

SCHEMA_HELP = """\
With --json, one JSON object is printed:
  layers       list of {"weight": [[...]], "bias": [...]}, first layer first, weight shaped out x in
  activation   the activation's name
  interval     [lo, hi]
  breakpoints  sorted x where the output's slope changes (true kinks), decided exactly
  boundaries   sorted x where any hidden unit's input changes sign (a superset of breakpoints), each the double
               nearest to the exact place
  equal_as_doubles  the k where boundaries k and k + 1 are different places that round to the same double
  slopes       slope on each piece between consecutive boundaries, left to right
  intercepts   intercept on each piece (output = intercept + slope * x there)
  negative     number of hidden units with a negative input (pre-activation < 0) on each piece
"""


REGIONS_HELP = """\
With --json, one JSON object is printed:
  layers      list of {"weight": [[...]], "bias": [...]}, first layer first, weight shaped out x in
  activation  the activation's name
  square      [x1 from, x1 to, x2 from, x2 to]
  regions     every activation region in the square, in the order the cutting makes them: "pattern" (per hidden
              layer a string with 1 for each unit whose input is positive), "polygon" (its vertices counter-
              clockwise, each the double nearest to the exact vertex), "gradient" and "intercept" (the output is
              intercept + gradient . (x1, x2) there)
"""


TRAIN_HELP = """\
The defaults are the explorer's: the 1-D explorer's with one input, the 2-D explorer's with two.

With --json, one JSON object is printed:
  layers         the trained network: list of {"weight": [[...]], "bias": [...]}, first layer first, weight
                 shaped out x in (as reluviz network --json)
  activation     the activation's name
  loss           mse, logistic or softmax
  learning_rate  Adam's step size
  steps          the number of steps taken
  losses         the loss at steps 0, 1, ..., steps (step 0: the network as drawn)

A data file (--data FILE) holds one JSON object {"x": [[...], ...], "y": [[...], ...]}: a row of inputs and a row of
targets per point (labels 0 or 1 for logistic, one-hot rows for softmax). The explorer's Export writes one.
"""


class _OneLineParser(argparse.ArgumentParser):
    """argparse prints the whole usage on an error; we print one line and exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


def _add_random_network_parser(commands: Any, name: str, controls: tuple[Control, ...], epilog: str, **texts: str) -> None:
    """A subcommand that draws a random network from the explorer's ``controls`` (one option each) and prints its
    analysis, as text or as the JSON that ``epilog`` describes."""
    command = commands.add_parser(name, epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter, **texts)
    for control in controls:
        command.add_argument(control.flag, **_option(control))
    command.add_argument(
        "--leaky-slope", type=float, default=DEFAULT_LEAKY_SLOPE, help=f"slope left of zero for leaky_relu (default {DEFAULT_LEAKY_SLOPE})"
    )
    command.add_argument("--json", action="store_true", help="print the JSON object described below")


def _build_parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(prog="reluviz", description="Why a ReLU network is non-linear, computed exactly.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_OneLineParser)

    _add_random_network_parser(
        commands, "network", LINE_CONTROLS, SCHEMA_HELP,
        help="draw a random scalar network and print its exact linear pieces",
        description="Draw a random network with one input and one output, and analyse it exactly on [lo, hi].",
    )
    _add_random_network_parser(
        commands, "regions", PLANE_CONTROLS, REGIONS_HELP,
        help="draw a random network with two inputs and print its exact linear regions in a square",
        description="Draw a random network with two inputs and one output, and cut the square [x − half, x + half] × "
        "[y − half, y + half] into its exact activation regions.",
    )
    _add_train_parser(commands)
    add_model_parsers(commands)

    figure = commands.add_parser(
        "figure",
        help="regenerate one of the site's figures, byte for byte",
        description="Render a figure by id; the file type follows the --out suffix (svg, png, pdf or json).",
    )
    figure.add_argument("figure_id", nargs="?", help="the figure's id, as in the gallery")
    figure.add_argument("--out", help="file to write (.svg, .png, .pdf or .json)")
    figure.add_argument("--seed", type=int, default=None, help="the figure's seed (same as --param seed=N)")
    figure.add_argument("--number", type=int, default=None, help="the figure's number on the site, for its metadata title")
    figure.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set one of the figure's parameters; VALUE is JSON (3, 0.5, \"he\"); may be repeated",
    )
    figure.add_argument("--list", action="store_true", help="list the figure ids and exit")
    return parser


def _add_train_parser(commands: Any) -> None:
    """``reluviz train``: the network's options as ``reluviz network`` has them, then the data's and the training's."""
    train = commands.add_parser(
        "train",
        help="draw a random network and train it on a data set, the same bits as the explorer",
        description="Draw a random network as reluviz network (one input) or reluviz regions (two inputs) draws it, "
        "and train it by full-batch Adam on a generated data set or on your own (--data FILE). Every sum is taken "
        "in index order and exp, log and sin are reluviz's own, so the run repeats bit for bit on any machine and in "
        "the explorer.",
        epilog=TRAIN_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    train.add_argument("--inputs", type=int, choices=(1, 2), default=None,
                       help="the network's inputs (default: those of the data set)")
    line = {control.name: control for control in LINE_CONTROLS}
    plane = {control.name: control for control in PLANE_CONTROLS}
    for name in TRAIN_NETWORK_CONTROLS:  # the 2-D explorer spreads kinks as the 1-D one does, without a control
        train.add_argument(line[name].flag, **_train_option(line[name], plane.get(name, line[name])))
    train.add_argument(
        "--leaky-slope", type=float, default=DEFAULT_LEAKY_SLOPE, help=f"slope left of zero for leaky_relu (default {DEFAULT_LEAKY_SLOPE})"
    )
    train_line = {control.name: control for control in TRAIN_LINE_CONTROLS}
    train_plane = {control.name: control for control in TRAIN_PLANE_CONTROLS}
    for name, control in {**train_line, **train_plane}.items():
        train.add_argument(control.flag, **_train_option(train_line.get(name), train_plane.get(name)))
    train.add_argument("--data", metavar="FILE", default=None, help="train on the data set in FILE (JSON, see below)")
    train.add_argument("--steps", type=int, default=TRAIN_DEFAULT_STEPS,
                       help=f"how many steps of Adam, 1 to {MAX_STEPS:,} (default {TRAIN_DEFAULT_STEPS})")
    train.add_argument("--json", action="store_true", help="print the JSON object described below")


def _train_option(one: Control | None, two: Control | None) -> dict[str, Any]:
    """A ``reluviz train`` option whose default depends on the inputs: ``one``'s with one input, ``two``'s with two
    (one of them is missing for an option of one explorer only)."""
    control = one or two
    assert control is not None
    if control.kind == "switch":
        return _option(control)
    defaults = [f"{c.default:g}" if isinstance(c.default, float) else str(c.default) for c in (one, two) if c is not None]
    if one is None or two is None:
        told = f"default {defaults[0]}; {'one' if one else 'two'}-input data sets only"
    elif defaults[0] != defaults[1]:
        told = f"default {defaults[0]} with one input, {defaults[1]} with two"
    else:
        told = f"default {defaults[0]}"
    label = "data set" if control.name == "dataset" else control.label.lower()
    return {**_option(control), "default": None, "help": f"{label}: {_train_allowed(control.name)} ({told})"}


def _train_allowed(name: str) -> str:
    """What a ``reluviz train`` option takes, in words."""
    return {
        "width": f"1 to {CLI_RANGES['width'][1]:,}", "layers": f"1 to {CLI_RANGES['layers'][1]:,}",
        "seed": f"0 to {MAX_SEED:,}", "data_seed": f"0 to {MAX_SEED:,}", "init": "spread, standard or he",
        "activation": ", ".join(EXPLORER_ACTIVATIONS), "spread_lo": "any finite number", "spread_hi": "any finite number",
        "dataset": f"{', '.join(CURVES)} (one input), {', '.join(LABELLED_SETS)} (two inputs), or {READER_POINTS} "
                   "with --data FILE",
        "points": f"2 to {MAX_POINTS:,}", "learning_rate": "a number > 0", "loss": ", ".join(LOSSES),
        "noise": "the standard deviation added to each coordinate, ≥ 0",
    }[name]


def _option(control: Control) -> dict[str, Any]:
    """The ``reluviz network`` option of one of the explorer's controls: its flag, default and range."""
    if control.kind == "switch":
        return {"dest": control.name, "action": "store_false", "help": f"{control.label.lower()} off (set to zero after drawing)"}
    low, high = CLI_RANGES.get(control.name, (control.low, control.high))  # the explorer's, unless wider here
    kind = {"integer": int, "number": float, "choice": str}[control.kind]
    described = f"{control.label.lower()}"
    if control.kind == "choice":
        values = ACTIVATION_NAMES if control.name == "activation" else tuple(control.choices or ())
        described += f", one of {', '.join(values)}"
    elif control.name in {"lo", "hi"}:
        described += ", -inf / inf allowed"
    elif control.kind == "number":
        described += ", any finite number"
    else:
        described += f", {low:,} to {high:,}"
    metavar = control.flag.removeprefix("--").upper().replace("-", "_")
    return {"dest": control.name, "type": kind, "default": control.default, "metavar": metavar,
            "help": f"{described} (default {control.default:g})" if kind is float else f"{described} (default {control.default})"}


def _run_network(args: argparse.Namespace) -> str:
    width = check_integer("--width", args.width, *CLI_RANGES["width"])
    depth = check_integer("--depth", args.layers, *CLI_RANGES["layers"])
    if math.isfinite(args.lo) and math.isfinite(args.hi):
        check_interval(args.lo, args.hi, ("--lo", "--hi"))
    spread = check_interval(args.spread_lo, args.spread_hi, ("--spread-lo", "--spread-hi"))
    seed = check_integer("--seed", args.seed, *CLI_RANGES.get("seed", (0, MAX_SEED)))
    net = Network.random(
        [1, *[width] * depth, 1], activation=args.activation, init=args.init, seed=seed, spread=spread,
        leaky_slope=args.leaky_slope,
    )
    if not args.biases:
        net = without_biases(net)
    pieces = analyze_line(net, args.lo, args.hi)
    if args.json:
        return to_json(pieces.to_dict())
    lines = [
        _described(net, depth, width, args.init, seed, args.biases),
        f"on [{args.lo:g}, {args.hi:g}]: {plural(len(pieces.boundaries), 'sign change')} of a unit's input, "
        f"{plural(len(pieces.breakpoints), 'kink')}, {plural(pieces.linear_pieces, 'linear piece')}",
        "each interval between neighbouring sign changes (two neighbours with one slope make one linear piece):",
    ]
    for left, right, slope, count in zip(pieces.edges[:-1], pieces.edges[1:], pieces.slopes[:, 0], pieces.negative):
        lines.append(f"  [{left:10.4f}, {right:10.4f}]  slope {slope:+.6g}  negative units {count}")
    return "\n".join(lines)


def _run_regions(args: argparse.Namespace) -> str:
    from .regions import analyze_plane

    width = check_integer("--width", args.width, 1, CLI_RANGES["width"][1])
    depth = check_integer("--depth", args.layers, *CLI_RANGES["layers"])
    seed = check_integer("--seed", args.seed, 0, MAX_SEED)
    half = check_finite("--half-width", args.half)
    if not half > 0:
        raise ValueError(f"--half-width must be a positive number; got {args.half}")
    centre_x, centre_y = check_finite("--centre-x", args.x), check_finite("--centre-y", args.y)
    net = Network.random([2, *[width] * depth, 1], activation=args.activation, init=args.init, seed=seed,
                         leaky_slope=args.leaky_slope)
    if not args.biases:
        net = without_biases(net)
    corners = (centre_x - half, centre_x + half, centre_y - half, centre_y + half)
    analysis = analyze_plane(net, corners)
    if args.json:
        return to_json(analysis.to_dict())
    return (_described(net, depth, width, args.init, seed, args.biases) + f"\non [{corners[0]:g}, {corners[1]:g}] × "
            f"[{corners[2]:g}, {corners[3]:g}]: {plural(len(analysis), 'activation region')} (a region is a set of inputs "
            "on which every unit keeps its sign)")


def _described(net: Network, depth: int, width: int, init: str, seed: int, biases: bool) -> str:
    """The first line of the text reports: the network drawn, in words."""
    return (f"{plural(depth, 'hidden layer')} of {plural(width, net.activation.name + ' unit')}, init {init}, seed {seed}"
            + ("" if biases else ", no biases"))


def _run_train(args: argparse.Namespace) -> str:
    x, y, source = _train_data(args)
    inputs = x.shape[1]
    table = _train_defaults(inputs)
    width = check_integer("--width", _given(args.width, table["width"]), *CLI_RANGES["width"])
    depth = check_integer("--depth", _given(args.layers, table["layers"]), *CLI_RANGES["layers"])
    seed = check_integer("--seed", _given(args.seed, table["seed"]), 0, MAX_SEED)
    activation = _given(args.activation, table["activation"])
    if activation not in EXPLORER_ACTIVATIONS:
        raise ValueError(f"--activation must be one of {', '.join(EXPLORER_ACTIVATIONS)} for training that repeats bit "
                         f"for bit; got {activation!r}")
    spread = check_interval(_given(args.spread_lo, table["spread_lo"]), _given(args.spread_hi, table["spread_hi"]),
                            ("--spread-lo", "--spread-hi"))
    init = _given(args.init, table["init"])
    net = Network.random([inputs, *[width] * depth, y.shape[1]], activation=activation, init=init, seed=seed,
                         spread=spread, leaky_slope=args.leaky_slope)
    if not args.biases:
        net = without_biases(net)
    learning_rate = check_number("--learning-rate", _given(args.learning_rate, table["learning_rate"]), 0.0,
                                 open_minimum=True, allowed="a positive finite number")
    steps = check_integer("--steps", args.steps, 1, MAX_STEPS)
    loss = _given(args.loss, table["loss"])
    if loss not in LOSSES:
        raise ValueError(f"--loss must be one of {', '.join(LOSSES)}; got {loss!r}")
    run = train(net, x, y, steps, learning_rate, loss=loss)
    if args.json:
        return to_json(run.to_dict())
    return (f"{depth} hidden layer(s) of {width} {net.activation.name} units, init {init}, seed {seed}"
            + ("" if args.biases else ", no biases") + f"\ntrained on {source} ({len(x):,} points) for {steps:,} steps "
            f"of Adam (learning rate {learning_rate:g}): {loss} loss from {run.losses[0]:.6g} to {run.losses[-1]:.6g}")


def _given(value: Any, default: Any) -> Any:
    return default if value is None else value


def _train_defaults(inputs: int) -> dict[str, Any]:
    """The defaults of ``reluviz train`` for a network with ``inputs`` inputs: the 1-D explorer's for one, the
    2-D explorer's for more (and the 1-D explorer's for what the 2-D one has no control for)."""
    tables = (LINE_CONTROLS, TRAIN_LINE_CONTROLS) if inputs == 1 else (LINE_CONTROLS, PLANE_CONTROLS, TRAIN_PLANE_CONTROLS)
    return {control.name: control.default for table in tables for control in table}


def _train_data(args: argparse.Namespace) -> tuple[Any, Any, str]:
    """The data set to train on, generated or read from --data, and how to name it; refused in one line if the
    options do not fit together."""
    if args.data is not None:
        if args.dataset not in (None, READER_POINTS):
            raise ValueError(f"--dataset must be left out (or be {READER_POINTS}) with --data FILE; got {args.dataset!r}")
        for flag, value in (("--points", args.points), ("--data-seed", args.data_seed), ("--noise", args.noise)):
            if value is not None:
                raise ValueError(f"{flag} describes a generated data set; leave it out with --data FILE")
        x, y = read_data(args.data)
        _check_inputs(args.inputs, x.shape[1], f"the data in {args.data}")
        return x, y, args.data
    name = args.dataset or _train_defaults(args.inputs or 1)["dataset"]
    if name == READER_POINTS:
        raise ValueError(f"--dataset {READER_POINTS} needs --data FILE, the file that holds your points")
    if name not in CURVES and name not in LABELLED:
        raise ValueError(f"--dataset must be one of {', '.join([*CURVES, *LABELLED_SETS, READER_POINTS])}; got {name!r}")
    inputs = 1 if name in CURVES else 2
    _check_inputs(args.inputs, inputs, f"--dataset {name}")
    table = _train_defaults(inputs)
    if inputs == 1:
        for flag, value in (("--data-seed", args.data_seed), ("--noise", args.noise)):
            if value is not None:
                raise ValueError(f"{flag} applies to the data sets with two inputs ({', '.join(LABELLED_SETS)}); "
                                 f"the curve {name} has none")
        points = check_integer("--points", _given(args.points, table["points"]), 2, MAX_POINTS)
        x, y = curve_data(name, points)
        return x, y, CURVES[name]
    points = check_integer("--points", _given(args.points, table["points"]), 2, MAX_POINTS)
    data_seed = check_integer("--data-seed", _given(args.data_seed, table["data_seed"]), 0, MAX_SEED)
    noise = check_number("--noise", _given(args.noise, table["noise"]), 0.0)
    x, y = LABELLED[name](points, data_seed, noise)
    return x, y, f"{name} (data seed {data_seed}, noise {noise:g})"


def _check_inputs(given: int | None, found: int, what: str) -> None:
    if given is not None and given != found:
        raise ValueError(f"--inputs must match {what}, which has {found} input(s); got --inputs {given}")


def _run_figure(args: argparse.Namespace) -> str:
    from . import export  # matplotlib is imported only when a figure is drawn
    from .figures import figure_ids

    if args.list:
        return "\n".join(figure_ids())
    if not args.figure_id:
        raise ValueError("figure_id is required (see 'reluviz figure --list')")
    if not args.out:
        raise ValueError("--out is required: a file name ending in .svg, .png, .pdf or .json")
    overrides = dict(_parse_param(text) for text in args.param)
    if args.seed is not None:
        overrides["seed"] = args.seed
    export.write_figure_file(args.figure_id, args.out, overrides, args.number)
    return f"wrote {args.out}"


def _parse_param(text: str) -> tuple[str, object]:
    name, equals, value = text.partition("=")
    if not equals or not name:
        raise ValueError(f"--param must look like NAME=VALUE; got {text!r}")
    try:
        return name, json.loads(value)
    except json.JSONDecodeError:
        raise ValueError(f"--param {name}: VALUE must be JSON (a number, true/false or a quoted string); got {value!r}") from None


def _joined_numbers(argv: Sequence[str]) -> list[str]:
    """``--lo -1e2`` as ``--lo=-1e2``: argparse would take a negative number in E notation, or -inf, for an option."""
    joined: list[str] = []
    for token in argv:
        if joined and ((joined[-1] in NUMBER_OPTIONS and _is_number(token)) or (joined[-1] in POINT_OPTIONS and is_point_list(token))):
            joined[-1] = f"{joined[-1]}={token}"
        else:
            joined.append(token)
    return joined


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: the process's arguments) and return the exit code."""
    try:
        args = _build_parser().parse_args(_joined_numbers(sys.argv[1:] if argv is None else argv))
    except SystemExit as done:  # argparse exits after --help (0) or a usage error (2, message already printed)
        return int(done.code or 0)
    try:
        run = {"network": _run_network, "regions": _run_regions, "train": _run_train, "figure": _run_figure,
               "line": run_line, "plane": run_plane}[args.command]
        output = run(args)
    except (ValueError, OSError, MemoryError, OverflowError) as error:
        return _failed(error)
    try:
        print(output, flush=True)
    except OSError as error:  # a closed pipe (reluviz network | head) or a full disk
        _silence_stdout()
        return _failed(error)
    return 0


def _failed(error: BaseException) -> int:
    message = str(error).splitlines()[0] if str(error) else type(error).__name__
    print(f"reluviz: error: {message}", file=sys.stderr)
    return 2


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that Python's final flush does not fail a second time with a traceback."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout has no file descriptor (as under pytest's capture)
        pass
    finally:
        os.close(devnull)
