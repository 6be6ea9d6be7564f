"""Reading networks trained elsewhere: JSON, NumPy .npz and ONNX round trips, PyTorch-shaped ONNX graphs, and every
refusal in one line that names its place."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings

from reluviz import Activation, Network, analyze_line
from reluviz.model_io import (
    network_from_json,
    network_from_npz,
    network_from_onnx,
    network_to_json,
    network_to_onnx,
)

from .strategies import networks

NETWORKS = {
    "relu": lambda: Network.random([2, 5, 3, 1], seed=1),
    "leaky": lambda: Network.random([1, 4, 1], activation="leaky_relu", leaky_slope=0.2, seed=2),
    "identity": lambda: Network.random([3, 2, 2], activation="identity", init="he", seed=3),
}
SUPPORTED = "reluviz reads multilayer perceptrons (Gemm, MatMul + Add, Relu, LeakyRelu, Identity; Flatten at the input)"


def assert_same(read: Network, original: Network) -> None:
    assert read.widths == original.widths
    assert all(np.array_equal(a.weight, b.weight) and np.array_equal(a.bias, b.bias) for a, b in zip(read.layers, original.layers))
    assert read.activation.name == original.activation.name
    assert read.activation.negative_slope == original.activation.negative_slope


def refused(call, error=ValueError) -> str:
    """The message of the error ``call`` raises, checked to be one line."""
    with pytest.raises(error) as raised:
        call()
    message = str(raised.value)
    assert "\n" not in message and message
    return message


# JSON


@pytest.mark.parametrize("name", NETWORKS)
def test_json_round_trip_is_bit_identical(name, tmp_path):
    net = NETWORKS[name]()
    text = network_to_json(net)
    (tmp_path / "net.json").write_text(text, encoding="utf-8")
    for source in (text, json.loads(text), tmp_path / "net.json", str(tmp_path / "net.json")):
        assert_same(network_from_json(source), net)


def test_json_is_the_published_schema_plus_the_leaky_slope():
    net = NETWORKS["relu"]()
    assert json.loads(network_to_json(net)) == net.to_dict()
    leaky = NETWORKS["leaky"]()
    assert json.loads(network_to_json(leaky)) == {**leaky.to_dict(), "leaky_slope": 0.2}


def test_json_takes_numpy_arrays_in_a_parsed_document():
    net = network_from_json({"layers": [{"weight": np.eye(2), "bias": np.zeros(2)}], "activation": "identity"})
    assert np.array_equal(net.layers[0].weight, np.eye(2))


def test_json_reads_the_document_the_cli_prints():
    net = Network.random([1, 6, 1], seed=4)
    document = analyze_line(net, -5.0, 5.0).to_dict()
    assert {"interval", "breakpoints", "slopes"} <= set(document)
    assert_same(network_from_json(json.dumps(document)), net)


LAYER = {"weight": [[1.0], [2.0]], "bias": [0.0, 1.0]}
BAD_JSON = {
    "not an object": ("[1, 2]", 'the document must be a JSON object with "layers" and "activation"; got a list of 2'),
    "not JSON": ('{"layers": [', "the JSON text is not valid JSON: Expecting value"),
    "no layers": ('{"activation": "relu"}', 'layers is missing: the document must hold "layers"'),
    "empty layers": ({"layers": [], "activation": "relu"}, "layers must be a non-empty list of"),
    "layers an object": ({"layers": {"weight": [[1.0]]}, "activation": "relu"}, "layers must be a non-empty list of {\"weight\": [[...]], \"bias\": [...]}; got an object"),
    "bias null": ('{"layers": [{"weight": [[1.0]], "bias": null}], "activation": "relu"}', "layers[0].bias must be a non-empty 1-D array of numbers; got null"),
    "layer not an object": ({"layers": [[1.0]], "activation": "relu"}, "layers[0] must be an object"),
    "no bias": ({"layers": [{"weight": [[1.0]]}], "activation": "relu"}, "layers[0].bias is missing"),
    "1-D weight": (
        {"layers": [{"weight": [1.0, 2.0], "bias": [0.0]}], "activation": "relu"},
        "layers[0].weight must be a non-empty 2-D array of numbers; got 1.0 at [0]",
    ),
    "empty weight": (
        {"layers": [{"weight": [], "bias": [0.0]}], "activation": "relu"},
        "layers[0].weight must be a non-empty 2-D array of numbers; got an empty list",
    ),
    "ragged weight": (
        {"layers": [LAYER, {"weight": [[1.0, 2.0], [3.0]], "bias": [0.0, 0.0]}], "activation": "relu"},
        "layers[1].weight must be a non-empty 2-D array of numbers; got rows of 2 and 1 numbers at [0] and [1]",
    ),
    "NaN as a string": (
        '{"layers": [{"weight": [[1.0, "NaN"]], "bias": [0.0]}], "activation": "relu"}',
        "layers[0].weight must be a non-empty 2-D array of numbers; got the string 'NaN' at [0][1]",
    ),
    "NaN literal": ('{"layers": [{"weight": [[NaN]], "bias": [0.0]}], "activation": "relu"}', "layers[0].weight[0][0] must be a finite number; got nan"),
    "huge integer": (
        '{"layers": [{"weight": [[1]], "bias": [1' + "0" * 400 + ']}], "activation": "relu"}',
        "layers[0].bias[0] must be a finite number; got 1000",
    ),
    "boolean": ({"layers": [{"weight": [[True]], "bias": [0.0]}], "activation": "relu"}, "got true at [0][0]"),
    "bias not a list": (
        {"layers": [{"weight": [[1.0]], "bias": 0.0}], "activation": "relu"},
        "layers[0].bias must be a non-empty 1-D array of numbers; got 0.0",
    ),
    "bias too short": (
        {"layers": [{"weight": [[1.0], [2.0]], "bias": [0.0]}], "activation": "relu"},
        "layers[0].bias must have shape (2,) to match its weight; got (1,)",
    ),
    "widths do not chain": (
        {"layers": [LAYER, {"weight": [[1.0, 2.0, 3.0]], "bias": [0.0]}], "activation": "relu"},
        "layers[1].weight takes 3 inputs but layers[0] gives 2 outputs",
    ),
    "no activation": ({"layers": [LAYER]}, "activation is missing: the document must name one of identity, relu"),
    "unknown activation": (
        {"layers": [LAYER], "activation": "gelu"},
        "activation must be one of identity, relu, leaky_relu, tanh, softplus; got 'gelu'",
    ),
    "slope as a string": ({"layers": [LAYER], "activation": "leaky_relu", "leaky_slope": "0.2"}, "leaky_slope must be a number; got the string '0.2'"),
    "slope out of range": ({"layers": [LAYER], "activation": "leaky_relu", "leaky_slope": 1.5}, "leaky_slope must be a finite number in [0, 1), got 1.5"),
}


@pytest.mark.parametrize("case", BAD_JSON)
def test_a_bad_json_document_is_refused_in_one_line_naming_the_place(case):
    source, fragment = BAD_JSON[case]
    assert fragment in refused(lambda: network_from_json(source))


def test_json_refuses_a_wrong_kind_of_argument_or_activation():
    assert "source must be JSON text, a parsed dict or a path" in refused(lambda: network_from_json(42), TypeError)
    assert "network must be a reluviz Network; got str" in refused(lambda: network_to_json("{}"), TypeError)
    custom = Activation("cube", lambda z: z**3, lambda z: 3 * z**2, None)
    message = refused(lambda: network_to_json(Network([([[1.0]], [0.0])], custom)))
    assert "network.activation must be one of identity, relu, leaky_relu, tanh, softplus to be written as JSON; got 'cube'" in message


# NumPy .npz


def save_npz(path: Path, net: Network, **extra: object) -> Path:
    arrays: dict[str, object] = {}
    for index, layer in enumerate(net.layers):
        arrays[f"weight_{index}"], arrays[f"bias_{index}"] = layer.weight, layer.bias
    arrays.update(activation=np.array(net.activation.name), leaky_slope=np.array(net.activation.negative_slope))
    arrays.update(extra)
    np.savez(path, **{name: value for name, value in arrays.items() if value is not None})
    return path


@pytest.mark.parametrize("name", NETWORKS)
def test_npz_round_trip_is_bit_identical(name, tmp_path):
    net = NETWORKS[name]()
    assert_same(network_from_npz(save_npz(tmp_path / "net.npz", net)), net)
    assert_same(network_from_npz(str(tmp_path / "net.npz")), net)


def test_npz_defaults_to_relu_and_widens_float32_exactly(tmp_path):
    weight = np.array([[0.1], [-0.3]], dtype=np.float32)
    np.savez(tmp_path / "net.npz", weight_0=weight, bias_0=np.float32([0.5, 0.7]), weight_1=np.float32([[1.0, 2.0]]), bias_1=np.float32([0.0]))
    net = network_from_npz(tmp_path / "net.npz")
    assert net.activation.name == "relu"
    assert net.layers[0].weight.dtype == np.float64 and np.array_equal(net.layers[0].weight, weight.astype(np.float64))


def bad_npz(path: Path, **change: object) -> Path:
    return save_npz(path, NETWORKS["relu"](), **change)


BAD_NPZ = {
    "missing bias": ({"bias_1": None}, "array 'bias_1' is missing: a reluviz .npz holds weight_0, bias_0"),
    "missing layer": ({"weight_4": np.ones((1, 1)), "bias_4": np.ones(1)}, "array 'weight_3' is missing"),
    "extra array": ({"weights_0": np.ones((1, 1))}, "array 'weights_0' is not expected: a reluviz .npz holds"),
    "misshapen weight": ({"weight_1": np.ones(5)}, "array 'weight_1' must be a non-empty 2-D array (out, in) of float16, float32 or float64; got shape (5,) float64"),
    "integer weight": ({"weight_0": np.ones((5, 2), dtype=np.int64)}, "array 'weight_0' must be a non-empty 2-D array (out, in) of float16, float32 or float64; got shape (5, 2) int64"),
    "empty bias": ({"bias_2": np.ones(0)}, "array 'bias_2' must be a non-empty 1-D array of float16"),
    "bias too long": ({"bias_0": np.ones(6)}, "array 'bias_0' must have shape (5,) to match weight_0; got (6,)"),
    "widths do not chain": ({"weight_1": np.ones((3, 4)), "bias_1": np.ones(3)}, "array 'weight_1' takes 4 inputs but weight_0 gives 5 outputs"),
    "NaN": ({"weight_0": np.array([[1.0, np.nan]] * 5)}, "array 'weight_0' must hold finite numbers only; got nan at [0, 1]"),
    "activation not a string": ({"activation": np.array(["relu"])}, "array 'activation' must be a 0-d string array such as np.array('relu'); got shape (1,) <U4"),
    "unknown activation": ({"activation": np.array("gelu")}, "activation must be one of identity, relu, leaky_relu, tanh, softplus; got 'gelu'"),
    "slope not a float": ({"activation": np.array("leaky_relu"), "leaky_slope": np.array("0.1")}, "array 'leaky_slope' must be a 0-d float array"),
    "slope out of range": ({"activation": np.array("leaky_relu"), "leaky_slope": np.array(1.5)}, "leaky_slope must be a finite number in [0, 1), got 1.5"),
    "object array": ({"bias_0": np.array([1.0, "x", None, 2, 3], dtype=object)}, "array 'bias_0' holds Python objects, which are never unpickled"),
}


@pytest.mark.parametrize("case", BAD_NPZ)
def test_a_bad_npz_is_refused_in_one_line_naming_the_array(case, tmp_path):
    change, fragment = BAD_NPZ[case]
    path = bad_npz(tmp_path / "net.npz", **change)
    assert fragment in refused(lambda: network_from_npz(path))


def test_npz_refuses_other_files_and_arguments(tmp_path):
    (tmp_path / "junk.npz").write_bytes(b"not an archive")
    assert f"{tmp_path / 'junk.npz'} is not a NumPy .npz archive" in refused(lambda: network_from_npz(tmp_path / "junk.npz"))
    np.save(tmp_path / "one.npy", np.ones(3))
    assert "holds a single .npy array, not a .npz archive" in refused(lambda: network_from_npz(tmp_path / "one.npy"))
    only_bias = tmp_path / "bias.npz"
    np.savez(only_bias, bias_0=np.ones(1))
    assert "array 'weight_0' is missing" in refused(lambda: network_from_npz(only_bias))
    assert "path must be a path to a .npz file; got int" in refused(lambda: network_from_npz(3), TypeError)


# ONNX


@pytest.fixture
def onnx():
    return pytest.importorskip("onnx")


def build(onnx, nodes, weights, input_shape=("N", 2), input_type=None, inputs=None, outputs=("y",), weights_as_inputs=False) -> bytes:
    """A model as the exporters write it: one float32 input named x, weights as initializers."""
    helper = onnx.helper
    x = helper.make_tensor_value_info("x", input_type or onnx.TensorProto.FLOAT, input_shape and list(input_shape))
    initializers = [onnx.numpy_helper.from_array(np.asarray(value), name) for name, value in weights.items()]
    declared = inputs or [x]
    if weights_as_inputs:  # how exports before IR version 4 list their weights
        declared = declared + [helper.make_tensor_value_info(t.name, t.data_type, list(t.dims)) for t in initializers]
    graph = helper.make_graph(
        nodes, "test", declared, [helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None) for name in outputs], initializers
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]).SerializeToString()


RNG = np.random.default_rng(0)
W1, B1 = RNG.normal(size=(5, 2)).astype(np.float32), RNG.normal(size=5).astype(np.float32)
W2, B2 = RNG.normal(size=(1, 5)).astype(np.float32), RNG.normal(size=1).astype(np.float32)
X = RNG.normal(size=(7, 2))


def by_hand(x, activation=lambda z: np.maximum(z, 0.0)):
    """The two-layer network W1, B1, W2, B2 computed in float64 from the float32 weights."""
    hidden = activation(x @ W1.astype(float).T + B1.astype(float))
    return hidden @ W2.astype(float).T + B2.astype(float)


def torch_gemm_nodes(onnx, activation="Relu", **attributes):
    make = onnx.helper.make_node
    return [
        make("Gemm", ["x", "W1", "B1"], ["z1"], name="fc1", transB=1),
        make(activation, ["z1"], ["h1"], name="act1", **attributes),
        make("Gemm", ["h1", "W2", "B2"], ["y"], name="fc2", transB=1),
    ]


TORCH_WEIGHTS = {"W1": W1, "B1": B1, "W2": W2, "B2": B2}


def test_onnx_gemm_with_float32_weights_as_pytorch_exports(onnx):
    net = network_from_onnx(build(onnx, torch_gemm_nodes(onnx), TORCH_WEIGHTS))
    assert net.widths == [2, 5, 1] and net.activation.name == "relu"
    assert net.layers[0].weight.dtype == np.float64 and np.array_equal(net.layers[0].weight, W1.astype(np.float64))
    np.testing.assert_allclose(net.forward(X), by_hand(X), rtol=1e-12)


def test_onnx_initializers_listed_as_graph_inputs_are_weights(onnx):
    net = network_from_onnx(build(onnx, torch_gemm_nodes(onnx), TORCH_WEIGHTS, weights_as_inputs=True))
    np.testing.assert_allclose(net.forward(X), by_hand(X), rtol=1e-12)


@pytest.mark.parametrize("bias_first", [True, False])
def test_onnx_matmul_and_add_in_either_order(onnx, bias_first):
    make = onnx.helper.make_node
    nodes = []
    for index, source in ((1, "x"), (2, "h1")):
        operands = [f"B{index}", f"m{index}"] if bias_first else [f"m{index}", f"B{index}"]
        nodes += [make("MatMul", [source, f"W{index}t"], [f"m{index}"], name=f"mm{index}"),
                  make("Add", operands, ["z1" if index == 1 else "y"], name=f"add{index}")]
        if index == 1:
            nodes.append(make("Relu", ["z1"], ["h1"], name="act1"))
    weights = {"W1t": W1.T.copy(), "B1": B1, "W2t": W2.T.copy(), "B2": B2}
    net = network_from_onnx(build(onnx, nodes, weights))
    assert np.array_equal(net.layers[1].weight, W2.astype(np.float64))
    np.testing.assert_allclose(net.forward(X), by_hand(X), rtol=1e-12)


def test_onnx_flatten_at_the_input(onnx):
    make = onnx.helper.make_node
    weight = RNG.normal(size=(3, 4)).astype(np.float32)
    nodes = [make("Flatten", ["x"], ["flat"], name="flatten", axis=1),
             make("Gemm", ["flat", "W", "B"], ["z"], name="fc1", transB=1),
             make("Relu", ["z"], ["h"], name="act1"),
             make("Gemm", ["h", "V", "C"], ["y"], name="fc2", transB=1)]
    weights = {"W": weight, "B": np.zeros(3, np.float32), "V": np.ones((1, 3), np.float32), "C": np.float32([0.5])}
    net = network_from_onnx(build(onnx, nodes, weights, input_shape=("N", 1, 2, 2)))
    images = RNG.normal(size=(6, 1, 2, 2))
    flat = images.reshape(6, 4)
    np.testing.assert_allclose(net.forward(flat)[:, 0], np.maximum(flat @ weight.astype(float).T, 0).sum(axis=1) + 0.5, rtol=1e-12)


def test_onnx_matmul_without_add_has_no_bias(onnx):
    net = network_from_onnx(build(onnx, [onnx.helper.make_node("MatMul", ["x", "W1t"], ["y"], name="mm")], {"W1t": W1.T.copy()}))
    assert np.array_equal(net.layers[0].weight, W1.astype(np.float64)) and np.array_equal(net.layers[0].bias, np.zeros(5))


def test_onnx_gemm_alpha_beta_and_untransposed_weight_are_multiplied_in_float64(onnx):
    make = onnx.helper.make_node
    nodes = [make("Gemm", ["x", "W1t", "B1row"], ["y"], name="fc", transB=0, alpha=2.5, beta=0.5)]
    net = network_from_onnx(build(onnx, nodes, {"W1t": W1.T.copy(), "B1row": B1[None, :]}))
    assert np.array_equal(net.layers[0].weight, 2.5 * W1.astype(np.float64))
    assert np.array_equal(net.layers[0].bias, 0.5 * B1.astype(np.float64))
    assert net.activation.name == "identity"  # one affine node: no activation is ever applied


def test_onnx_constant_nodes_identity_nodes_and_leaky_relu(onnx):
    make = onnx.helper.make_node
    tensor = onnx.numpy_helper.from_array
    nodes = [make("Constant", [], ["W1"], name="w1", value=tensor(W1, "W1")),
             make("Identity", ["W1"], ["W1read"], name="read_w1"),  # as tf2onnx passes weights through
             make("Identity", ["x"], ["x1"], name="input_copy"),
             make("Gemm", ["x1", "W1read", "B1"], ["z1"], name="fc1", transB=1),
             make("LeakyRelu", ["z1"], ["h1"], name="act1", alpha=0.01),
             make("Gemm", ["h1", "W2", "B2"], ["z2"], name="fc2", transB=1),
             make("Identity", ["z2"], ["y"], name="output_copy")]
    net = network_from_onnx(build(onnx, nodes, {"B1": B1, "W2": W2, "B2": B2}, input_shape=None))
    assert net.activation.name == "leaky_relu" and net.activation.negative_slope == 0.01  # not float32's 0.0099999998
    np.testing.assert_allclose(net.forward(X), by_hand(X, lambda z: np.where(z > 0, z, 0.01 * z)), rtol=1e-12)


@pytest.mark.parametrize("between", ["Identity", None])
def test_onnx_no_activation_between_affine_nodes_is_the_identity(onnx, between):
    make = onnx.helper.make_node
    nodes = torch_gemm_nodes(onnx, "Identity")
    if between is None:
        nodes = [nodes[0], make("Gemm", ["z1", "W2", "B2"], ["y"], name="fc2", transB=1)]
    net = network_from_onnx(build(onnx, nodes, TORCH_WEIGHTS))
    assert net.activation.name == "identity"
    np.testing.assert_allclose(net.forward(X), by_hand(X, lambda z: z), rtol=1e-12)


@pytest.mark.parametrize("name", NETWORKS)
def test_onnx_round_trip_is_bit_identical_and_runs_as_the_network(onnx, name, tmp_path):
    from onnx.reference import ReferenceEvaluator

    net = NETWORKS[name]()
    data = network_to_onnx(net)
    model = onnx.load_model_from_string(data)
    onnx.checker.check_model(model, full_check=True)
    assert [node.op_type for node in model.graph.node][:2] == ["Gemm", {"relu": "Relu", "leaky": "LeakyRelu", "identity": "Identity"}[name]]
    (tmp_path / "net.onnx").write_bytes(data)
    assert_same(network_from_onnx(data), net)
    assert_same(network_from_onnx(tmp_path / "net.onnx"), net)
    x = np.random.default_rng(5).normal(size=(9, net.input_dim))
    (outputs,) = ReferenceEvaluator(model).run(None, {"input": x})
    np.testing.assert_allclose(outputs, net.forward(x), rtol=1e-6, atol=1e-9)


def gemm(onnx, inputs, output, name, **attributes):
    return onnx.helper.make_node("Gemm", inputs, [output], name=name, transB=1, **attributes)


def refusals(onnx):
    """(model bytes, message fragment) for every refused shape of graph."""
    make = onnx.helper.make_node
    fc1, fc2 = gemm(onnx, ["x", "W1", "B1"], "z1", "fc1"), gemm(onnx, ["h1", "W2", "B2"], "y", "fc2")
    relu = make("Relu", ["z1"], ["h1"], name="act1")
    ok = TORCH_WEIGHTS
    second = onnx.helper.make_tensor_value_info("x2", onnx.TensorProto.FLOAT, ["N", 2])
    first = onnx.helper.make_tensor_value_info("x", onnx.TensorProto.FLOAT, ["N", 2])
    three = {**ok, "W3": np.ones((1, 1), np.float32), "B3": np.ones(1, np.float32)}
    return {
        "conv": (build(onnx, [make("Conv", ["x", "W1"], ["y"], name="conv1")], ok),
                 f"node 'conv1' (Conv) is not supported: {SUPPORTED}"),
        "unnamed node": (build(onnx, [make("MaxPool", ["x"], ["y"], kernel_shape=[2])], ok), "node #0 (MaxPool) is not supported"),
        "other domain": (build(onnx, [make("FusedGemm", ["x", "W1", "B1"], ["y"], name="f", domain="com.microsoft")], ok),
                         "node 'f' (com.microsoft.FusedGemm) is not supported"),
        "tanh inside": (build(onnx, torch_gemm_nodes(onnx, "Tanh"), ok), f"node 'act1' (Tanh) is not supported: {SUPPORTED}"),
        **{f"{op} at the end": (build(onnx, [gemm(onnx, ["x", "W1", "B1"], "z1", "fc1"), make(op, ["z1"], ["y"], name="out")], ok),
                                f"node 'out' ({op}) at the end of the graph is not supported: a reluviz network ends with an affine layer")
           for op in ("Sigmoid", "Tanh", "Softmax")},
        "relu at the end": (build(onnx, [fc1, make("Relu", ["z1"], ["y"], name="act_out")], ok),
                            "node 'act_out' (Relu) at the end of the graph is not supported"),
        "residual": (build(onnx, [fc1, relu, gemm(onnx, ["h1", "W3", "B3"], "z2", "fc2"), make("Add", ["z2", "h1"], ["y"], name="skip")],
                           {**ok, "W3": np.ones((5, 5), np.float32), "B3": np.ones(5, np.float32)}),
                     "node 'skip' (Add) takes 'h1', which is not the previous node's output 'z2': reluviz reads a chain of layers"),
        "branch": (build(onnx, [fc1, gemm(onnx, ["x", "W1", "B1"], "y", "fc_b")], ok),
                   "node 'fc_b' (Gemm) takes 'x', which is not the previous node's output 'z1'"),
        "two inputs": (build(onnx, [fc1, relu, fc2], ok, inputs=[first, second]),
                       "the graph has 2 inputs ('x', 'x2'): reluviz reads a multilayer perceptron with one input"),
        "input width": (build(onnx, [fc1, relu, fc2], ok, input_shape=("N", 3)), "graph input 'x' has 3 features but node 'fc1' (Gemm) takes 2"),
        "input rank": (build(onnx, [fc1, relu, fc2], ok, input_shape=("N", 1, 2)), "graph input 'x' has rank 3; without a Flatten"),
        "float16 weight": (build(onnx, [fc1, relu, fc2], {**ok, "W1": W1.astype(np.float16)}),
                           "node 'fc1' (Gemm) weight 'W1' has dtype float16; reluviz reads float32 or float64 weights"),
        "int bias": (build(onnx, [fc1, relu, fc2], {**ok, "B2": np.ones(1, np.int64)}), "node 'fc2' (Gemm) bias 'B2' has dtype int64"),
        "int input": (build(onnx, [fc1, relu, fc2], ok, input_type=onnx.TensorProto.INT64),
                      "graph input 'x' has element type INT64; reluviz reads FLOAT (float32) or DOUBLE (float64)"),
        "NaN weight": (build(onnx, [fc1, relu, fc2], {**ok, "W2": np.full((1, 5), np.nan, np.float32)}), "node 'fc2' (Gemm) weight 'W2' holds NaN or inf"),
        "transA": (build(onnx, [make("Gemm", ["x", "W1", "B1"], ["y"], name="fc1", transA=1)], ok), "node 'fc1' (Gemm) has transA=1"),
        "weight on the left": (build(onnx, [make("MatMul", ["W1", "x"], ["y"], name="mm")], ok),
                               "node 'mm' (MatMul) must take the previous node's output 'x' as its first input"),
        "matmul with one input": (build(onnx, [make("MatMul", ["x"], ["y"], name="mm")], ok),
                                  "node 'mm' (MatMul) must take the previous node's output 'x' as its first input"),
        "gemm without weight": (build(onnx, [make("Gemm", ["x", "", "B1"], ["y"], name="fc1")], ok), "node 'fc1' (Gemm) has no weight"),
        "output used twice": (build(onnx, [make("MatMul", ["x", "W1t"], ["m"], name="mm"), make("Add", ["m", "m"], ["y"], name="add")], {"W1t": W1.T.copy()}),
                              "node 'add' (Add) must take the previous node's output 'm' once: reluviz reads a chain of layers"),
        "sequence input": (build(onnx, [fc1], ok, inputs=[onnx.helper.make_tensor_sequence_value_info("x", onnx.TensorProto.FLOAT, None)]),
                           "graph input 'x' is a sequence_type; reluviz reads a float32 or float64 tensor"),
        "1-D weight": (build(onnx, [fc1, relu, fc2], {**ok, "W2": np.ones(5, np.float32)}),
                       "node 'fc2' (Gemm) weight 'W2' must be a non-empty 2-D tensor; got shape (5,)"),
        "bias shape": (build(onnx, [fc1, relu, fc2], {**ok, "B1": np.ones((2, 5), np.float32)}),
                       "node 'fc1' (Gemm) bias 'B1' must broadcast to one number per output, (5,); got shape (2, 5)"),
        "layers do not chain": (build(onnx, [fc1, relu, fc2], {**ok, "W2": np.ones((1, 4), np.float32)}),
                                "node 'fc2' (Gemm) takes 4 inputs but node 'fc1' (Gemm) before it gives 5 outputs"),
        "mixed activations": (build(onnx, [fc1, relu, gemm(onnx, ["h1", "W3", "B3"], "z2", "fc2"), make("LeakyRelu", ["z2"], ["h2"], name="act2", alpha=0.1),
                                           gemm(onnx, ["h2", "W4", "B4"], "y", "fc3")],
                                    {**ok, "W3": np.ones((2, 5), np.float32), "B3": np.ones(2, np.float32), "W4": np.ones((1, 2), np.float32), "B4": np.ones(1, np.float32)}),
                              "node 'act2' (LeakyRelu) with alpha=0.1 differs from node 'act1' (Relu): a reluviz network has one activation"),
        "identity and relu": (build(onnx, [fc1, relu, gemm(onnx, ["h1", "W2", "B2"], "z2", "fc2"), gemm(onnx, ["z2", "W3", "B3"], "y", "fc3")], three),
                              "no activation before node 'fc3' (Gemm) (the identity) differs from node 'act1' (Relu)"),
        "two activations": (build(onnx, [fc1, relu, make("Relu", ["h1"], ["h1b"], name="act1b"), gemm(onnx, ["h1b", "W2", "B2"], "y", "fc2")], ok),
                            "node 'act1b' (Relu) follows node 'act1' (Relu): reluviz networks have one activation between two affine layers"),
        "activation first": (build(onnx, [make("Relu", ["x"], ["r"], name="act0"), gemm(onnx, ["r", "W1", "B1"], "y", "fc1")], ok),
                             "node 'act0' (Relu) comes before the first affine node"),
        "leaky slope": (build(onnx, torch_gemm_nodes(onnx, "LeakyRelu", alpha=1.5), ok), "node 'act1' (LeakyRelu) has alpha=1.5; reluviz's leaky_relu needs a slope in [0, 1)"),
        "add after gemm": (build(onnx, [gemm(onnx, ["x", "W1", "B1"], "z1", "fc1"), make("Add", ["z1", "B1"], ["y"], name="add")], ok),
                           "node 'add' (Add) is supported only right after a MatMul, as its bias"),
        "flatten later": (build(onnx, [fc1, make("Flatten", ["z1"], ["h1"], name="flat"), fc2], ok),
                          "node 'flat' (Flatten) is supported only at the input, before the first affine node"),
        "flatten axis": (build(onnx, [make("Flatten", ["x"], ["f"], name="flat", axis=0), gemm(onnx, ["f", "W1", "B1"], "y", "fc1")], ok),
                         "node 'flat' (Flatten) has axis=0; reluviz reads Flatten with axis=1"),
        "constant attribute": (build(onnx, [make("Constant", [], ["W1"], name="w1", value_float=1.0), fc1, relu, fc2], {"B1": B1, "W2": W2, "B2": B2}),
                               "node 'w1' (Constant) must hold its tensor in the 'value' attribute; it has value_float"),
        "no affine node": (build(onnx, [make("Identity", ["x"], ["y"], name="copy")], ok), f"the graph has no Gemm or MatMul node: {SUPPORTED}"),
        "two outputs": (build(onnx, [fc1, relu, fc2], ok, outputs=("y", "z1")), "the graph has 2 outputs ('y', 'z1')"),
        "output not last": (build(onnx, [fc1, relu, fc2], ok, outputs=("h1",)), "graph output 'h1' is not the last node's output 'y'"),
        "not a model": (b"\xff\xff not protobuf", "source is not an ONNX model"),
    }


def test_every_onnx_refusal_is_one_line_naming_the_node(onnx):
    cases = refusals(onnx)
    for case, (data, fragment) in cases.items():
        message = refused(lambda: network_from_onnx(data))
        assert fragment in message, (case, message)


def test_onnx_refuses_wrong_arguments_and_smooth_activations(onnx):
    assert "source must be the bytes of an ONNX model or a path to a .onnx file; got int" in refused(lambda: network_from_onnx(3), TypeError)
    assert "network must be a reluviz Network; got bytes" in refused(lambda: network_to_onnx(b""), TypeError)
    for name in ("tanh", "softplus"):
        message = refused(lambda: network_to_onnx(Network.random([1, 3, 1], activation=name)))
        assert f"network.activation must be one of identity, relu, leaky_relu to be written as ONNX; got {name!r}" in message


def test_onnx_missing_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "onnx", None)  # import onnx now raises ImportError, as when it is not installed
    for call in (lambda: network_from_onnx(b""), lambda: network_to_onnx(NETWORKS["relu"]())):
        assert 'pip install "reluviz[onnx]"' in refused(call, ImportError)


# The Network methods, as property tests: any network the strategies draw comes back bit for bit


def _same_pieces(first, second) -> bool:
    return all(np.array_equal(getattr(first, name), getattr(second, name))
               for name in ("boundaries", "breakpoints", "slopes", "intercepts", "negative"))


@settings(max_examples=40, deadline=None)
@given(net=networks(input_dim=3, max_depth=3, max_width=6))
def test_network_json_methods_round_trip_bit_for_bit(net):
    assert_same(Network.from_json(net.to_json()), net)
    assert_same(Network.from_json(json.loads(net.to_json())), net)


@settings(max_examples=25, deadline=None)
@given(net=networks(input_dim=2, max_depth=3, max_width=6))
def test_network_from_npz_round_trips_bit_for_bit(net, tmp_path_factory):
    path = tmp_path_factory.mktemp("npz") / "net.npz"
    arrays = {f"{kind}_{i}": getattr(layer, kind) for i, layer in enumerate(net.layers) for kind in ("weight", "bias")}
    np.savez(path, **arrays, activation=np.array(net.activation.name), leaky_slope=np.array(net.activation.negative_slope))
    assert_same(Network.from_npz(path), net)


@settings(max_examples=25, deadline=None)
@given(net=networks(input_dim=4, max_depth=3, max_width=6))
def test_onnx_from_the_json_gives_the_same_pieces_bit_for_bit(net):
    """The issue's round trip: a network read from reluviz's JSON, exported to ONNX with the helper API and read back,
    has the same weights and the same exact pieces on a line through its inputs."""
    pytest.importorskip("onnx")
    from reluviz.slices import analyze_through

    original = Network.from_json(net.to_json())
    read = Network.from_onnx(network_to_onnx(original))
    assert_same(read, original)
    start, end = np.linspace(-2.0, 1.0, 4), np.linspace(1.5, -0.5, 4)
    assert _same_pieces(analyze_through(read, start, end, whole_line=True), analyze_through(original, start, end, whole_line=True))


def test_network_from_methods_refuse_bad_files_by_name(tmp_path):
    (tmp_path / "bad.json").write_text('{"layers": [{"weight": [[1.0]]}], "activation": "relu"}')
    assert refused(lambda: Network.from_json(tmp_path / "bad.json")) == "layers[0].bias is missing"
    (tmp_path / "bad.npz").write_bytes(b"not a zip")
    assert "is not a NumPy .npz archive" in refused(lambda: Network.from_npz(tmp_path / "bad.npz"))
    assert refused(lambda: Network.from_onnx(3), TypeError).startswith("source must be the bytes of an ONNX model")
