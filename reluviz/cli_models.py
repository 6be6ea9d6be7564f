"""``reluviz line`` and ``reluviz plane``: the exact pieces and regions of a network someone else trained, on a line
or a plane through points of its input space.

The model is a file: ``.json`` (the schema ``reluviz network --json`` prints), ``.npz`` (``weight_0, bias_0, …``) or
``.onnx`` (a multilayer perceptron, `reluviz.model_io`). A point is a comma list of numbers (``0.5,-1,2``) or a
``.npy`` file holding one vector. Sizes are checked before anything large is read or allocated: the model file's
length, a ``.npy`` file's shape from its header, and the hidden units the analysis would walk through. Every refusal
is a ``ValueError`` naming the parameter, which `reluviz.cli` prints as one line with exit code 2.
"""

from __future__ import annotations

import argparse
import math
import os
from typing import Any

import numpy as np

from .export import to_json
from .network import Network
from .slices import DEFAULT_MARGIN, analyze_through, class_changes, decision_cells, plane_through

MODEL_SUFFIXES = (".json", ".npz", ".onnx")
MAX_MODEL_BYTES = 256 * 2**20
"""The largest model file read: far above any multilayer perceptron whose pieces can be printed, and a bound on memory."""
MAX_POINT_BYTES = 64 * 2**20
"""The largest ``.npy`` point file read."""
MAX_LINE_UNITS = 20_000
"""Most hidden units for ``reluviz line``: each piece costs a pass over every weight."""
MAX_PLANE_UNITS = 512
"""Most hidden units for ``reluviz plane``: its work grows about with the cube of the units (96 take under a second)."""
POINT_OPTIONS = ("--from", "--to")
"""Options that take a point, so that ``--from -1,2`` is read as the point, not as an option."""

POINT_HELP = "a point: a comma list of numbers (0.5,-1,2) or a .npy file holding one vector"
LINE_HELP = """\
MODEL is a .json (as reluviz network --json prints), .npz (weight_0, bias_0, ...) or .onnx multilayer perceptron.
The line is from + s (to - from); s runs from 0 to 1, or over all the reals with --whole-line. A point whose first
number is negative can follow --from or --to as it is (--from -1,2).

With --json, one JSON object is printed: the fields of reluviz network --json, with the interval and every x in s, and
  segment        {"start": from, "end": to}
  class_changes  with more than one output, where the largest output changes: {"places": [s, ...], "before":
                 [output, ...], "after": [output, ...], "classes": the largest output on each stretch, in order}
"""
PLANE_HELP = """\
MODEL is as for reluviz line. The plane is A + u (B - A) + v (C - A), cut on the square [-margin, 1 + margin]^2 of
(u, v): A at (0, 0), B at (1, 0), C at (0, 1). If a point starts with a minus sign, put the options first and
-- before the points: reluviz plane MODEL --json -- -1,2 0,0 1,1

With --json, one JSON object is printed: the fields of reluviz regions --json, with the square and every vertex in
(u, v), and
  plane              {"a": A, "b": B, "c": C}
  decision_boundary  with more than one output, the straight segments where the two largest outputs are equal:
                     {"ends": [[u, v], [u, v]], "outputs": [i, j], "region": index into regions}
"""


def add_model_parsers(commands: Any) -> None:
    """The ``line`` and ``plane`` subcommands, added to the `reluviz.cli` parser's subcommands."""
    line = commands.add_parser(
        "line",
        help="print the exact pieces of your own network on the segment (or line) between two inputs",
        description="Read a network from MODEL and analyse it exactly on the segment from --from to --to.",
        epilog=LINE_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    line.add_argument("model", metavar="MODEL", help="the network: a .json, .npz or .onnx file")
    line.add_argument("--from", dest="start", metavar="A", required=True, help=POINT_HELP)
    line.add_argument("--to", dest="end", metavar="B", required=True, help=POINT_HELP)
    line.add_argument("--whole-line", action="store_true", help="the whole line through A and B, not the segment")
    line.add_argument("--json", action="store_true", help="print the JSON object described below")

    plane = commands.add_parser(
        "plane",
        help="print the exact regions of your own network on the plane through three inputs",
        description="Read a network from MODEL and cut the plane through A, B and C into its exact regions.",
        epilog=PLANE_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    plane.add_argument("model", metavar="MODEL", help="the network: a .json, .npz or .onnx file")
    for name in ("A", "B", "C"):
        plane.add_argument(name.lower(), metavar=name, help=POINT_HELP)
    plane.add_argument("--margin", type=float, default=DEFAULT_MARGIN,
                       help=f"how far the square reaches beyond the triangle, in (u, v) (default {DEFAULT_MARGIN:g})")
    plane.add_argument("--json", action="store_true", help="print the JSON object described below")


def is_point_list(text: str) -> bool:
    """Whether ``text`` reads as a comma list of numbers (so that ``-1,2`` after ``--from`` is a point)."""
    try:
        [float(item) for item in text.split(",")]
    except ValueError:
        return False
    return True


def read_model(path: str) -> Network:
    """The network in the file ``path``, by its suffix; ``MODEL`` is named in every refusal."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix not in MODEL_SUFFIXES:
        raise ValueError(f"MODEL must be a file ending in {', '.join(MODEL_SUFFIXES)}; got {path!r}")
    size = _file_size("MODEL", path)
    if size > MAX_MODEL_BYTES:
        raise ValueError(f"MODEL must be at most {MAX_MODEL_BYTES // 2**20} MiB; {path!r} has {size / 2**20:,.0f} MiB")
    try:
        if suffix == ".json":
            return Network.from_json(path)
        if suffix == ".npz":
            return Network.from_npz(path)
        return Network.from_onnx(path)
    except (ImportError, TypeError) as error:  # onnx missing, or a document of the wrong kind: still one line
        raise ValueError(f"MODEL {path!r}: {error}") from None
    except ValueError as error:
        message = str(error)
        raise ValueError(message if path in message else f"MODEL {path!r}: {message}") from None


def _file_size(name: str, path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError as error:
        raise ValueError(f"{name} {path!r} cannot be read: {error.strerror or error}") from None


def read_point(name: str, text: str, size: int) -> np.ndarray:
    """The point given for parameter ``name``: a comma list, or a ``.npy`` file whose header says it holds ``size``
    numbers (the header is read before the data, so a huge file is refused unread)."""
    if text.lower().endswith(".npy"):
        return _npy_point(name, text, size)
    try:
        values = [float(item) for item in text.split(",")]
    except ValueError:
        raise ValueError(f"{name} must be {POINT_HELP}; got {text[:40]!r}") from None
    if len(values) != size:
        raise ValueError(f"{name} must hold {size:,} numbers, one per input of MODEL; got {len(values):,}")
    if not all(math.isfinite(value) for value in values):
        raise ValueError(f"{name} must hold finite numbers; got {text[:40]!r}")
    return np.array(values)


def _npy_point(name: str, path: str, size: int) -> np.ndarray:
    if _file_size(name, path) > MAX_POINT_BYTES:
        raise ValueError(f"{name} must be a .npy file of at most {MAX_POINT_BYTES // 2**20} MiB; got {path!r}")
    with open(path, "rb") as file:
        try:
            version = np.lib.format.read_magic(file)
            read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
            shape, _, dtype = read_header(file)
        except ValueError:
            raise ValueError(f"{name} {path!r} is not a .npy file") from None
    if dtype.kind not in "fiu" or math.prod(shape) != size or len(shape) > 2:
        raise ValueError(f"{name} {path!r} must hold {size:,} real numbers, one per input of MODEL; got shape {shape} {dtype}")
    point = np.load(path, allow_pickle=False).astype(float).reshape(-1)
    if not np.isfinite(point).all():
        raise ValueError(f"{name} {path!r} must hold finite numbers")
    return point


def _check_units(network: Network, most: int, command: str) -> None:
    if network.hidden_units > most:
        raise ValueError(f"MODEL has {network.hidden_units:,} hidden units; reluviz {command} analyses at most {most:,}")


def run_line(args: argparse.Namespace) -> str:
    """``reluviz line``: the pieces on the segment, or the whole line, as text or JSON."""
    network = read_model(args.model)
    _check_units(network, MAX_LINE_UNITS, "line")
    start = read_point("--from", args.start, network.input_dim)
    end = read_point("--to", args.end, network.input_dim)
    if np.array_equal(start, end):
        raise ValueError("--from and --to must be different points")
    pieces = analyze_through(network, start, end, whole_line=args.whole_line)
    changes = class_changes(pieces) if network.output_dim > 1 else None
    if args.json:
        document = pieces.to_dict()
        if changes is not None:
            document["class_changes"] = {"places": changes.places.tolist(), "before": changes.before.tolist(),
                                         "after": changes.after.tolist(), "classes": changes.classes}
        return to_json(document)
    where = "the whole line through --from and --to" if args.whole_line else "the segment from --from (s = 0) to --to (s = 1)"
    lines = [f"{network.widths} {network.activation.name} network from {args.model}",
             f"on {where}: {len(pieces.boundaries)} places where a hidden unit switches, {len(pieces.slopes)} pieces"]
    if changes is not None and not len(changes):
        lines.append(f"the largest output is output {changes.first} all along")
    elif changes is not None:
        lines.append(f"the largest output changes {len(changes)} time(s): "
                     + ", ".join(f"at s = {s:.6g} from {b} to {a}" for s, b, a in zip(changes.places, changes.before, changes.after)))
    return "\n".join(lines)


def run_plane(args: argparse.Namespace) -> str:
    """``reluviz plane``: the regions on the plane through three points, as text or JSON."""
    network = read_model(args.model)
    _check_units(network, MAX_PLANE_UNITS, "plane")
    a, b, c = (read_point(name, text, network.input_dim) for name, text in (("A", args.a), ("B", args.b), ("C", args.c)))
    if not (math.isfinite(args.margin) and args.margin >= 0):
        raise ValueError(f"--margin must be a finite number ≥ 0; got {args.margin}")
    analysis = plane_through(network, a, b, c, args.margin)
    segments = decision_cells(analysis)[1] if network.output_dim > 1 else None
    if args.json:
        document = analysis.to_dict()
        document["plane"] = {"a": a.tolist(), "b": b.tolist(), "c": c.tolist()}
        if segments is not None:
            document["decision_boundary"] = [{"ends": s.ends.tolist(), "outputs": list(s.labels), "region": s.region}
                                             for s in segments]
        return to_json(document)
    low, high = -args.margin, 1 + args.margin
    text = (f"{network.widths} {network.activation.name} network from {args.model}\n"
            f"on the plane A + u (B − A) + v (C − A), u and v from {low:g} to {high:g}: {len(analysis)} linear regions")
    if segments is not None:
        text += f"\nthe decision boundary: {len(segments)} straight segments in {len({s.region for s in segments})} regions"
    return text
