"""Networks trained elsewhere, read from JSON, NumPy ``.npz`` or ONNX, and written back.

A researcher who trained a multilayer perceptron in PyTorch, Keras or NumPy can analyse it here exactly, because such
a network is the same object as a `Network`: affine layers ``weight @ x + bias`` with one activation between them.
Every reader refuses what is not that object, in one line that names the offending place (a JSON path, an array of the
archive, or an ONNX node and its operator), rather than analysing a different function from the one the model computes.

ONNX needs the optional ``onnx`` package (``pip install "reluviz[onnx]"``); it is imported only when a model is read or
written, so the rest of reluviz keeps numpy as its one numerical dependency.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np

from .activations import ACTIVATION_NAMES, DEFAULT_LEAKY_SLOPE
from .network import Layer, Network

if TYPE_CHECKING:
    from onnx import GraphProto, NodeProto, ValueInfoProto

Array = np.ndarray

ONNX_OPSET = 17
"""The opset `network_to_onnx` writes: every operator it uses (Gemm, Relu, LeakyRelu, Identity) is stable there."""
ONNX_IR_VERSION = 8
"""The IR version written with opset 17, so that runtimes older than the installed onnx package can load the file."""
ONNX_ACTIVATIONS = {"identity": "Identity", "relu": "Relu", "leaky_relu": "LeakyRelu"}
"""The activations that have an ONNX operator reluviz reads back, by reluviz name."""
ONNX_SUPPORTED = (
    "reluviz reads multilayer perceptrons (Gemm, MatMul + Add, Relu, LeakyRelu, Identity; Flatten at the input)"
)
NPZ_LAYOUT = "a reluviz .npz holds weight_0, bias_0, weight_1, bias_1, … and optionally activation and leaky_slope"
_NPZ_LAYER_ARRAY = re.compile(r"(weight|bias)_(0|[1-9][0-9]*)")
_OUTPUT_ACTIVATIONS = ("Sigmoid", "Tanh", "Softmax", "LogSoftmax")
"""Operators a classifier or regressor often ends with; named as such when they come after the last affine node."""


def network_from_json(source: str | os.PathLike[str] | Mapping[str, Any]) -> Network:
    """A network from the published JSON schema, as `network_to_json` and ``reluviz network --json`` write it.

    The schema is `Network.to_dict`'s: ``{"layers": [{"weight": [[...]], "bias": [...]}, ...], "activation":
    "relu"}``, first layer first, each weight shaped (out, in), plus ``"leaky_slope"`` when the activation is
    ``"leaky_relu"``. Other keys (the CLI's ``"interval"``, ``"breakpoints"`` and the rest) are ignored, so a document
    the CLI printed reads back as the network it analysed.

    Parameters
    ----------
    source : str, path or mapping
        JSON text (a string that starts with ``{`` or ``[``), a path to a UTF-8 JSON file, or an already parsed
        document.

    Returns
    -------
    Network

    Raises
    ------
    ValueError
        If the text is not JSON or the document does not follow the schema: the one-line message names the place,
        such as ``layers[1].weight``. Numbers must be JSON numbers (a string ``"NaN"`` is refused, not converted) and
        finite.
    TypeError
        If ``source`` is none of the kinds above.
    OSError
        If the file cannot be read.

    Examples
    --------
    >>> text = '''{"layers": [{"weight": [[1.0], [-1.0]], "bias": [0.0, 0.0]},
    ...                       {"weight": [[1.0, 1.0]], "bias": [0.0]}], "activation": "relu"}'''
    >>> network_from_json(text).forward([-2.0, 3.0])[:, 0].tolist()  # |x| as relu(x) + relu(-x)
    [2.0, 3.0]
    >>> network_from_json('{"layers": [{"weight": [[1.0]], "bias": ["0"]}], "activation": "relu"}')
    Traceback (most recent call last):
    ValueError: layers[0].bias must be a non-empty 1-D array of numbers; got the string '0' at [0]
    """
    document = _json_document(source)
    if not isinstance(document, Mapping):
        raise ValueError(f'the document must be a JSON object with "layers" and "activation"; got {_describe(document)}')
    if "layers" not in document:
        raise ValueError('layers is missing: the document must hold "layers", a list of {"weight": [[...]], "bias": [...]}')
    layers = document["layers"]
    if not isinstance(layers, list) or not layers:
        raise ValueError(f'layers must be a non-empty list of {{"weight": [[...]], "bias": [...]}}; got {_describe(layers)}')
    parsed = [_json_layer(index, layer) for index, layer in enumerate(layers)]
    if "activation" not in document:
        raise ValueError(f"activation is missing: the document must name one of {', '.join(ACTIVATION_NAMES)}")
    slope = document.get("leaky_slope", DEFAULT_LEAKY_SLOPE)
    if isinstance(slope, bool) or not isinstance(slope, (int, float)):
        raise ValueError(f"leaky_slope must be a number; got {_describe(slope)}")
    return Network(parsed, document["activation"], float(slope))


def network_to_json(network: Network) -> str:
    """The network in the published JSON schema, which `network_from_json` reads back bit for bit.

    The document is exactly `Network.to_dict`, plus ``"leaky_slope"`` for a ``"leaky_relu"`` network (the slope is
    part of the function, and the schema's activation name alone does not give it). Python writes each float as the
    shortest decimal that reads back as the same double, so no weight changes on the way.

    Parameters
    ----------
    network : Network

    Returns
    -------
    str
        One line of JSON; NaN and infinity cannot occur, since a `Network` holds finite numbers only.

    Raises
    ------
    ValueError
        If the network's activation is a custom `Activation` whose name is not in `reluviz.ACTIVATION_NAMES`, which
        no reader could look up again.
    TypeError
        If ``network`` is not a `Network`.

    Examples
    --------
    >>> network_to_json(Network([([[2.0]], [1.0])]))
    '{"layers": [{"weight": [[2.0]], "bias": [1.0]}], "activation": "relu"}'
    >>> network_to_json(Network([([[2.0]], [1.0])], "leaky_relu", leaky_slope=0.2))
    '{"layers": [{"weight": [[2.0]], "bias": [1.0]}], "activation": "leaky_relu", "leaky_slope": 0.2}'
    """
    _check_network(network)
    name = network.activation.name
    if name not in ACTIVATION_NAMES:
        raise ValueError(f"network.activation must be one of {', '.join(ACTIVATION_NAMES)} to be written as JSON; got {name!r}")
    document = network.to_dict()
    if name == "leaky_relu":
        document["leaky_slope"] = network.activation.negative_slope
    return json.dumps(document, allow_nan=False)


def network_from_npz(path: str | os.PathLike[str]) -> Network:
    """A network from a NumPy ``.npz`` archive of its weights, as ``np.savez`` writes it.

    The archive holds ``weight_0, bias_0, weight_1, bias_1, …``, first layer first, each weight shaped (out, in) as in
    PyTorch's ``nn.Linear`` (a Keras ``Dense`` kernel is (in, out): save its transpose). Optionally it holds a 0-d
    string array ``activation`` (default ``"relu"``) and a 0-d float ``leaky_slope``. Nothing else may be in it: an
    unexpected array is more likely a layer under a wrong name than something to skip. Weights may be float16,
    float32 or float64 and are widened to float64 exactly. The archive is loaded with ``allow_pickle=False``, so
    opening a file received from someone else never runs code.

    Parameters
    ----------
    path : str or path

    Returns
    -------
    Network

    Raises
    ------
    ValueError
        If the file is not a ``.npz`` archive, or an array is missing, unexpected, misshapen, of another dtype or not
        finite, or the activation is unknown: the one-line message names the array.
    TypeError
        If ``path`` is not a path.
    OSError
        If the file cannot be read.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder) / "net.npz"
    ...     np.savez(path, weight_0=[[2.0]], bias_0=[1.0], activation="identity")
    ...     network_from_npz(path).forward([3.0]).tolist()
    [[7.0]]
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a path to a .npz file; got {type(path).__name__}")
    try:
        archive = np.load(path, allow_pickle=False)
    except ValueError:
        raise ValueError(f"{os.fspath(path)} is not a NumPy .npz archive (pickled data is never loaded)") from None
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise ValueError(f"{os.fspath(path)} holds a single .npy array, not a .npz archive: {NPZ_LAYOUT}")
    with archive:
        names = set(archive.files)
        for name in sorted(names):
            if not (_NPZ_LAYER_ARRAY.fullmatch(name) or name in ("activation", "leaky_slope")):
                raise ValueError(f"array {name!r} is not expected: {NPZ_LAYOUT}")
        count = 1 + max((int(match[2]) for name in names if (match := _NPZ_LAYER_ARRAY.fullmatch(name))), default=0)
        layers: list[tuple[Array, Array]] = []
        for index in range(count):
            weight = _npz_floats(archive, f"weight_{index}", 2)
            bias = _npz_floats(archive, f"bias_{index}", 1)
            if bias.shape != (weight.shape[0],):
                raise ValueError(f"array 'bias_{index}' must have shape ({weight.shape[0]},) to match weight_{index}; got {bias.shape}")
            if layers and weight.shape[1] != layers[-1][0].shape[0]:
                raise ValueError(
                    f"array 'weight_{index}' takes {weight.shape[1]} inputs but weight_{index - 1} gives {layers[-1][0].shape[0]} outputs"
                )
            layers.append((weight, bias))
        activation = "relu"
        if "activation" in names:
            value = _npz_load(archive, "activation")
            if value.ndim != 0 or value.dtype.kind != "U":
                raise ValueError(f"array 'activation' must be a 0-d string array such as np.array('relu'); got shape {value.shape} {value.dtype}")
            activation = str(value)
        slope = DEFAULT_LEAKY_SLOPE
        if "leaky_slope" in names:
            value = _npz_load(archive, "leaky_slope")
            if value.ndim != 0 or value.dtype.kind != "f":
                raise ValueError(f"array 'leaky_slope' must be a 0-d float array such as np.array(0.2); got shape {value.shape} {value.dtype}")
            slope = float(value)
    return Network(layers, activation, slope)


def network_from_onnx(source: bytes | str | os.PathLike[str]) -> Network:
    """A network from an ONNX multilayer perceptron, as PyTorch's ``torch.onnx.export`` or Keras (tf2onnx) write it.

    The graph must be one chain: its single input, optionally a ``Flatten`` (axis 1), then affine nodes with
    activations between them. An affine node is a ``Gemm`` (transA=0, transB 0 or 1) or a ``MatMul`` by a constant
    weight on the right, followed by an ``Add`` of a constant bias in either operand order (a ``MatMul`` with no
    ``Add`` has no bias). The activations are ``Relu`` or ``LeakyRelu``; ``Identity`` nodes compute nothing and are
    passed over, so two affine nodes with no activation between them are joined by the identity. reluviz networks have
    one activation, so every hidden layer's must be the same, and the network ends with its last affine node.
    Weights and biases come from graph initializers or ``Constant`` nodes, in float32 or float64; float32 is widened to
    float64 exactly.

    Two things are not bit for bit what a runtime computes, and both are deliberate:

    - A ``Gemm``'s ``alpha`` and ``beta`` of 1.0 leave the weight and bias as they are. Any other value is multiplied
      into them in float64 (``alpha * B``, ``beta * C``), one rounding per number, where a runtime would scale the
      product in the model's own precision.
    - ONNX stores ``LeakyRelu``'s ``alpha`` as a float32, so PyTorch's ``negative_slope=0.01`` arrives as
      0.0099999998. The slope is read as the shortest decimal that rounds to that float32 (0.01), the value the
      model's author wrote.

    Parameters
    ----------
    source : bytes, str or path
        The serialised model, or a path to a ``.onnx`` file (external data beside it is loaded too).

    Returns
    -------
    Network

    Raises
    ------
    ValueError
        If the model cannot be parsed or is not such a chain, in one line that names the node and its operator: an
        unsupported operator, a sigmoid, tanh or softmax (or a ReLU) at the end, a residual connection or branch, two
        graph inputs, an input width that does not match the first weight, weights that are not float32 or float64,
        or hidden activations that differ.
    TypeError
        If ``source`` is neither bytes nor a path.
    ImportError
        If the optional ``onnx`` package is not installed.
    OSError
        If the file cannot be read.

    Examples
    --------
    >>> data = network_to_onnx(Network.random([2, 5, 3, 1], seed=1))  # doctest: +SKIP
    >>> network_from_onnx(data).widths  # doctest: +SKIP
    [2, 5, 3, 1]

    A `Network` itself is not a model file:

    >>> network_from_onnx(Network.random([2, 5, 3, 1], seed=1))
    Traceback (most recent call last):
    TypeError: source must be the bytes of an ONNX model or a path to a .onnx file; got Network
    """
    if not isinstance(source, (bytes, str, os.PathLike)):
        raise TypeError(f"source must be the bytes of an ONNX model or a path to a .onnx file; got {type(source).__name__}")
    onnx = _onnx()
    from google.protobuf.message import DecodeError  # onnx's own dependency, there whenever onnx is

    origin = "source" if isinstance(source, bytes) else os.fspath(source)
    try:
        model = onnx.load_model_from_string(source) if isinstance(source, bytes) else onnx.load(os.fspath(source))
    except DecodeError as error:
        raise ValueError(f"{origin} is not an ONNX model: {error}") from None
    return _ChainReader(onnx, model.graph).network()


def network_to_onnx(network: Network) -> bytes:
    """The network as an ONNX model, which `network_from_onnx` and any ONNX runtime read.

    Each layer is a ``Gemm`` with transB=1, so its weight is stored (out, in) as in the network; a ``Relu``,
    ``LeakyRelu`` or ``Identity`` node stands between layers. Tensors are float64, so no weight is rounded, and the
    graph's input ``"input"`` and output ``"output"`` are shaped (batch, features). The model uses opset 17 and IR
    version 8, which current runtimes read. A ``"leaky_relu"`` slope is stored as ONNX's float32 attribute, which
    `network_from_onnx` reads back as the shortest decimal that rounds to it.

    Parameters
    ----------
    network : Network
        A network with a piecewise-linear activation: identity, relu or leaky_relu.

    Returns
    -------
    bytes
        The serialised ``ModelProto``; write it to a ``.onnx`` file.

    Raises
    ------
    ValueError
        If the activation is tanh, softplus or a custom one: `network_from_onnx` reads the piecewise-linear ones only.
    TypeError
        If ``network`` is not a `Network`.
    ImportError
        If the optional ``onnx`` package is not installed.

    Examples
    --------
    >>> data = network_to_onnx(Network.random([1, 4, 1], activation="leaky_relu", leaky_slope=0.2))  # doctest: +SKIP
    >>> network_from_onnx(data).activation.negative_slope  # doctest: +SKIP
    0.2

    Smooth activations are not written:

    >>> network_to_onnx(Network.random([1, 4, 1], activation="tanh"))
    Traceback (most recent call last):
    ValueError: network.activation must be one of identity, relu, leaky_relu to be written as ONNX; got 'tanh'
    """
    _check_network(network)
    name = network.activation.name
    if name not in ONNX_ACTIVATIONS:
        raise ValueError(f"network.activation must be one of {', '.join(ONNX_ACTIVATIONS)} to be written as ONNX; got {name!r}")
    onnx = _onnx()
    helper, numpy_helper = onnx.helper, onnx.numpy_helper
    nodes, initializers = [], []
    current = "input"
    last = len(network.layers) - 1
    for index, layer in enumerate(network.layers):
        if index:
            attributes = {"alpha": network.activation.negative_slope} if name == "leaky_relu" else {}
            nodes.append(helper.make_node(ONNX_ACTIVATIONS[name], [current], [f"hidden_{index}"], name=f"activation_{index}", **attributes))
            current = f"hidden_{index}"
        weight, bias = f"layers.{index}.weight", f"layers.{index}.bias"
        initializers += [numpy_helper.from_array(layer.weight, weight), numpy_helper.from_array(layer.bias, bias)]
        output = "output" if index == last else f"affine_{index}"
        nodes.append(helper.make_node("Gemm", [current, weight, bias], [output], name=f"layers.{index}", transB=1))
        current = output
    double = onnx.TensorProto.DOUBLE
    graph = helper.make_graph(
        nodes,
        "reluviz",
        [helper.make_tensor_value_info("input", double, ["batch", network.input_dim])],
        [helper.make_tensor_value_info("output", double, ["batch", network.output_dim])],
        initializers,
    )
    model = helper.make_model(
        graph, producer_name="reluviz", opset_imports=[helper.make_opsetid("", ONNX_OPSET)], ir_version=ONNX_IR_VERSION
    )
    data: bytes = model.SerializeToString()
    return data


def _check_network(network: object) -> None:
    if not isinstance(network, Network):
        raise TypeError(f"network must be a reluviz Network; got {type(network).__name__}")


def _describe(value: object) -> str:
    """A JSON value in a few words, for an error message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"the string {_short(repr(value))}"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return f"a list of {len(value)}" if value else "an empty list"
    return _short(repr(value))


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def _json_document(source: object) -> object:
    """The parsed document: ``source`` itself, or the JSON text (given, or read from a file) parsed."""
    if isinstance(source, Mapping):
        return source
    if isinstance(source, str) and (not source.strip() or source.lstrip()[0] in "{["):
        text, origin = source, "the JSON text"
    elif isinstance(source, (str, os.PathLike)):
        text, origin = Path(source).read_text(encoding="utf-8"), os.fspath(source)
    else:
        raise TypeError(f"source must be JSON text, a parsed dict or a path to a JSON file; got {type(source).__name__}")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"{origin} is not valid JSON: {error}") from None


def _json_layer(index: int, layer: object) -> Layer:
    where = f"layers[{index}]"
    if not isinstance(layer, Mapping):
        raise ValueError(f'{where} must be an object {{"weight": [[...]], "bias": [...]}}; got {_describe(layer)}')
    for key in ("weight", "bias"):
        if key not in layer:
            raise ValueError(f"{where}.{key} is missing")
    return Layer(_json_numbers(f"{where}.weight", layer["weight"], 2), _json_numbers(f"{where}.bias", layer["bias"], 1))


def _json_numbers(where: str, value: object, ndim: int) -> Array:
    """A nested list of JSON numbers (a NumPy array is taken as its list) as a float64 array, checked item by item so
    that the message can say where a string, a ragged row or a non-finite number is."""
    expected = f"{where} must be a non-empty {ndim}-D array of numbers"
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if not isinstance(value, list) or not value:
        raise ValueError(f"{expected}; got {_describe(value)}")
    rows = value if ndim == 2 else [value]
    for i, row in enumerate(rows):
        if not isinstance(row, list) or not row:
            raise ValueError(f"{expected}; got {_describe(row)} at [{i}]")
        if len(row) != len(rows[0]):
            raise ValueError(f"{expected}; got rows of {len(rows[0])} and {len(row)} numbers at [0] and [{i}]")
        for j, item in enumerate(row):
            place = f"[{i}][{j}]" if ndim == 2 else f"[{j}]"
            if isinstance(item, bool) or not isinstance(item, (int, float)):
                raise ValueError(f"{expected}; got {_describe(item)} at {place}")
            try:
                finite = math.isfinite(item)
            except OverflowError:  # an integer beyond the largest float
                finite = False
            if not finite:
                raise ValueError(f"{where}{place} must be a finite number; got {_describe(item)}")
    return np.array(value, dtype=np.float64)


def _npz_load(archive: np.lib.npyio.NpzFile, name: str) -> Array:
    if name not in archive.files:
        raise ValueError(f"array {name!r} is missing: {NPZ_LAYOUT}")
    try:
        return archive[name]
    except ValueError:  # an object array, which only unpickling could load
        raise ValueError(f"array {name!r} holds Python objects, which are never unpickled; save numbers") from None


def _npz_floats(archive: np.lib.npyio.NpzFile, name: str, ndim: int) -> Array:
    array = _npz_load(archive, name)
    if array.dtype.kind != "f" or array.dtype.itemsize > 8 or array.ndim != ndim or 0 in array.shape:
        shape = " (out, in)" if ndim == 2 else ""
        raise ValueError(
            f"array {name!r} must be a non-empty {ndim}-D array{shape} of float16, float32 or float64; got shape {array.shape} {array.dtype}"
        )
    if not np.isfinite(array).all():
        place = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
        raise ValueError(f"array {name!r} must hold finite numbers only; got {array[place]} at {list(place)}")
    return array.astype(np.float64)


def _onnx() -> ModuleType:
    """The onnx package, imported only here: it is an optional dependency."""
    try:
        import onnx
        import onnx.numpy_helper
    except ImportError:
        raise ImportError('reading or writing ONNX needs the onnx package: pip install "reluviz[onnx]"') from None
    return onnx


@dataclass(frozen=True)
class _Activation:
    """An activation node between two affine nodes, as reluviz names it."""

    label: str
    name: str
    slope: float

    def describe(self) -> str:
        return f"{self.label} with alpha={self.slope:g}" if self.name == "leaky_relu" else self.label


class _ChainReader:
    """Walks an ONNX graph's nodes in order, keeping the one tensor that flows down the chain, and collects the affine
    layers and the activation between each two of them."""

    def __init__(self, onnx: ModuleType, graph: GraphProto) -> None:
        self.onnx = onnx
        self.graph = graph
        self.constants: dict[str, Array] = {tensor.name: onnx.numpy_helper.to_array(tensor) for tensor in graph.initializer}
        inputs = [value for value in graph.input if value.name not in self.constants]  # old exports list weights too
        if len(inputs) != 1:
            names = ", ".join(repr(value.name) for value in inputs)
            raise ValueError(f"the graph has {len(inputs)} inputs ({names}): reluviz reads a multilayer perceptron with one input")
        self.input: ValueInfoProto = inputs[0]
        self.input_dims = self._input_dims()
        self.current = self.input.name
        self.flattened = False
        self.layers: list[tuple[str, Array, Array]] = []  # (label, weight (out, in), bias (out,))
        self.awaiting_bias = False  # the chain's last node is a MatMul, which an Add may complete
        self.pending: _Activation | None = None  # the activation since the last affine node
        self.gaps: list[tuple[str, _Activation | None]] = []  # (the affine node after the gap, its activation)
        affine = [index for index, node in enumerate(graph.node) if node.op_type in ("Gemm", "MatMul")]
        self.last_affine = max(affine, default=-1)  # an activation after it is the model's output activation

    def network(self) -> Network:
        for index, node in enumerate(self.graph.node):
            self._read(node, index)
        if not self.layers:
            raise ValueError(f"the graph has no Gemm or MatMul node: {ONNX_SUPPORTED}")
        if self.pending is not None:
            raise ValueError(_at_end(self.pending.label))
        outputs = [value.name for value in self.graph.output]
        if len(outputs) != 1:
            names = ", ".join(repr(name) for name in outputs)
            raise ValueError(f"the graph has {len(outputs)} outputs ({names}): reluviz reads a network with one output")
        if outputs[0] != self.current:
            raise ValueError(f"graph output {outputs[0]!r} is not the last node's output {self.current!r}: reluviz reads a chain of layers")
        activation = self._activation()
        return Network([(weight, bias) for _, weight, bias in self.layers], activation.name, activation.slope)

    def _input_dims(self) -> list[int | None] | None:
        """The graph input's dimensions (None where symbolic), or None if its shape is not given."""
        name = self.input.name
        kind = self.input.type.WhichOneof("value")
        if kind != "tensor_type":
            raise ValueError(f"graph input {name!r} is a {kind}; reluviz reads a float32 or float64 tensor")
        tensor = self.input.type.tensor_type
        proto = self.onnx.TensorProto
        if tensor.elem_type not in (proto.FLOAT, proto.DOUBLE):
            raise ValueError(f"graph input {name!r} has element type {proto.DataType.Name(tensor.elem_type)}; reluviz reads FLOAT (float32) or DOUBLE (float64)")
        if not tensor.HasField("shape"):
            return None
        return [dim.dim_value if dim.HasField("dim_value") else None for dim in tensor.shape.dim]

    def _read(self, node: NodeProto, index: int) -> None:
        op = node.op_type if node.domain in ("", "ai.onnx") else f"{node.domain}.{node.op_type}"
        label = f"node {node.name!r} ({op})" if node.name else f"node #{index} ({op})"
        if op == "Constant":
            self.constants[node.output[0]] = self._constant_value(node, label)
            return
        if op == "Identity" and node.input[0] in self.constants:  # tf2onnx passes weights through Identity nodes
            self.constants[node.output[0]] = self.constants[node.input[0]]
            return
        if op not in ("Gemm", "MatMul", "Add", "Relu", "LeakyRelu", "Identity", "Flatten"):
            if op in _OUTPUT_ACTIVATIONS and index > self.last_affine:
                raise ValueError(_at_end(label))
            raise ValueError(f"{label} is not supported: {ONNX_SUPPORTED}")
        data = [name for name in node.input if name and name not in self.constants]
        if data != [self.current]:
            stray = next((name for name in data if name != self.current), None)
            if stray is None:
                raise ValueError(f"{label} must take the previous node's output {self.current!r} once: reluviz reads a chain of layers")
            raise ValueError(
                f"{label} takes {stray!r}, which is not the previous node's output {self.current!r}: reluviz reads a chain "
                "of layers (no residual connections, branches or computed weights)"
            )
        awaiting_bias, self.awaiting_bias = self.awaiting_bias, False
        if op in ("Gemm", "MatMul"):
            self._affine(node, label)
        elif op == "Add":
            if not awaiting_bias or len(node.input) != 2:
                raise ValueError(f"{label} is supported only right after a MatMul, as its bias: {ONNX_SUPPORTED}")
            _, weight, _ = self.layers[-1]
            bias_name = node.input[1] if node.input[0] == self.current else node.input[0]
            self.layers[-1] = (self.layers[-1][0], weight, self._bias(label, bias_name, weight.shape[0]))
        elif op in ("Relu", "LeakyRelu"):
            self._activation_node(node, label)
        elif op == "Flatten":
            if self.layers or self.pending is not None or self.flattened:
                raise ValueError(f"{label} is supported only at the input, before the first affine node: {ONNX_SUPPORTED}")
            axis = self._attributes(node).get("axis", 1)
            if axis != 1:
                raise ValueError(f"{label} has axis={axis}; reluviz reads Flatten with axis=1, which keeps the batch axis")
            self.flattened = True
        self.current = node.output[0]

    def _affine(self, node: NodeProto, label: str) -> None:
        if len(node.input) < 2 or node.input[0] != self.current:
            raise ValueError(f"{label} must take the previous node's output {self.current!r} as its first input and a constant weight as its second")
        attributes = self._attributes(node)
        if node.op_type == "Gemm":
            if attributes.get("transA", 0) != 0:
                raise ValueError(f"{label} has transA=1; reluviz reads Gemm with transA=0 (the batch along the first axis)")
            trans_b = attributes.get("transB", 0)
            matrix = self._weight(label, node.input[1])
            weight = matrix if trans_b else matrix.T
            alpha, beta = float(attributes.get("alpha", 1.0)), float(attributes.get("beta", 1.0))
            if alpha != 1.0:
                weight = alpha * weight
            has_bias = len(node.input) > 2 and node.input[2] != ""
            bias = self._bias(label, node.input[2], weight.shape[0]) if has_bias else np.zeros(weight.shape[0])
            if beta != 1.0:
                bias = beta * bias
        else:
            weight = self._weight(label, node.input[1]).T
            bias = np.zeros(weight.shape[0])
            self.awaiting_bias = True
        if self.layers:
            previous, before, _ = self.layers[-1]
            if weight.shape[1] != before.shape[0]:
                raise ValueError(f"{label} takes {weight.shape[1]} inputs but {previous} before it gives {before.shape[0]} outputs")
            self.gaps.append((label, self.pending))
        else:
            self._check_input_width(label, weight.shape[1])
        self.pending = None
        self.layers.append((label, weight, bias))

    def _activation_node(self, node: NodeProto, label: str) -> None:
        if not self.layers:
            raise ValueError(f"{label} comes before the first affine node: a reluviz network starts with an affine layer")
        if self.pending is not None:
            raise ValueError(f"{label} follows {self.pending.label}: reluviz networks have one activation between two affine layers")
        if node.op_type == "Relu":
            self.pending = _Activation(label, "relu", 0.0)
            return
        alpha = float(self._attributes(node).get("alpha", 0.01))
        slope = float(np.format_float_positional(np.float32(alpha), unique=True))  # the decimal the author wrote
        if not 0.0 <= slope < 1.0:
            raise ValueError(f"{label} has alpha={slope:g}; reluviz's leaky_relu needs a slope in [0, 1)")
        self.pending = _Activation(label, "leaky_relu", slope)

    def _activation(self) -> _Activation:
        """The one activation of the network: every gap between two affine nodes must hold the same."""
        if not self.gaps:
            return _Activation("", "identity", 1.0)  # a single affine layer: no activation is ever applied
        kinds = [(after, found or _Activation("", "identity", 1.0)) for after, found in self.gaps]
        first_after, first = kinds[0]
        for after, kind in kinds[1:]:
            if (kind.name, kind.slope) != (first.name, first.slope):
                raise ValueError(
                    f"{_gap(after, kind)} differs from {_gap(first_after, first)}: a reluviz network has one activation, "
                    "the same in every hidden layer"
                )
        return first

    def _check_input_width(self, label: str, width: int) -> None:
        dims, name = self.input_dims, self.input.name
        if dims is None:
            return
        if not self.flattened and len(dims) != 2:
            raise ValueError(f"graph input {name!r} has rank {len(dims)}; without a Flatten, reluviz reads inputs shaped (batch, features)")
        features = dims[1:]
        if all(dim is not None for dim in features):
            given = math.prod(dim for dim in features if dim is not None)
            if given != width:
                raise ValueError(f"graph input {name!r} has {given} features but {label} takes {width}")

    def _attributes(self, node: NodeProto) -> dict[str, Any]:
        return {attribute.name: self.onnx.helper.get_attribute_value(attribute) for attribute in node.attribute}

    def _constant_value(self, node: NodeProto, label: str) -> Array:
        attributes = self._attributes(node)
        if set(attributes) != {"value"}:
            raise ValueError(f"{label} must hold its tensor in the 'value' attribute; it has {', '.join(sorted(attributes))}")
        array: Array = self.onnx.numpy_helper.to_array(attributes["value"])
        return array

    def _float64(self, label: str, role: str, name: str) -> Array:
        if name not in self.constants:
            raise ValueError(f"{label} has no {role}")
        array = self.constants[name]
        if array.dtype not in (np.float32, np.float64):
            raise ValueError(f"{label} {role} {name!r} has dtype {array.dtype}; reluviz reads float32 or float64 weights")
        if not np.isfinite(array).all():
            raise ValueError(f"{label} {role} {name!r} holds NaN or inf")
        return array.astype(np.float64)  # exact for float32

    def _weight(self, label: str, name: str) -> Array:
        array = self._float64(label, "weight", name)
        if array.ndim != 2 or 0 in array.shape:
            raise ValueError(f"{label} weight {name!r} must be a non-empty 2-D tensor; got shape {array.shape}")
        return array

    def _bias(self, label: str, name: str, outputs: int) -> Array:
        """The bias as one number per output; a (1, out), (1,) or scalar tensor broadcasts as in the runtime."""
        array = self._float64(label, "bias", name)
        flat = array.reshape(-1) if array.ndim < 2 or (array.ndim == 2 and array.shape[0] == 1) else array
        if flat.ndim != 1 or flat.shape[0] not in (1, outputs):
            raise ValueError(f"{label} bias {name!r} must broadcast to one number per output, ({outputs},); got shape {array.shape}")
        return np.broadcast_to(flat, (outputs,)).copy()


def _at_end(label: str) -> str:
    return (
        f"{label} at the end of the graph is not supported: a reluviz network ends with an affine layer, so export the "
        "model without its output activation"
    )


def _gap(after: str, activation: _Activation) -> str:
    """Where a hidden activation comes from, for a message."""
    return activation.describe() if activation.label else f"no activation before {after} (the identity)"
