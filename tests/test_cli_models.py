"""``reluviz line`` and ``reluviz plane`` on networks read from files: the JSON equals the API's analysis, the three
formats give the same bytes, and every bad model or point is one line naming the parameter, with exit code 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from reluviz import Network
from reluviz.cli import main
from reluviz.cli_models import MAX_PLANE_UNITS
from reluviz.slices import analyze_through, class_changes, plane_through

NET = Network.random([3, 6, 5, 2], init="he", seed=4)
A, B, C = [-1.0, 2.0, 0.5], [1.0, -0.5, 2.0], [0.0, 1.0, -1.0]


def _text(point: list[float]) -> str:
    return ",".join(repr(value) for value in point)


@pytest.fixture
def models(tmp_path, monkeypatch):
    """The same network as .json, .npz and (when onnx is installed) .onnx, in the working folder."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "net.json").write_text(NET.to_json())
    np.savez(tmp_path / "net.npz", **{f"{kind}_{i}": getattr(layer, kind) for i, layer in enumerate(NET.layers)
                                      for kind in ("weight", "bias")})
    names = ["net.json", "net.npz"]
    try:
        from reluviz.model_io import network_to_onnx

        (tmp_path / "net.onnx").write_bytes(network_to_onnx(NET))
        names.append("net.onnx")
    except ImportError:
        pass
    np.save(tmp_path / "b.npy", np.array(B))
    return names


def _json(capsys, args: list[str]) -> dict:
    assert main(args) == 0
    return json.loads(capsys.readouterr().out)


def test_line_json_is_the_exact_analysis_and_the_same_for_every_format(models, capsys):
    outputs = [capsys.readouterr() and _json(capsys, ["line", name, "--from", _text(A), "--to", "b.npy", "--json"]) for name in models]
    assert all(output == outputs[0] for output in outputs)
    pieces = analyze_through(NET, A, B)
    changes = class_changes(pieces)
    assert outputs[0]["boundaries"] == pieces.boundaries.tolist()
    assert outputs[0]["segment"] == {"start": A, "end": B}
    assert outputs[0]["class_changes"]["places"] == changes.places.tolist()
    assert outputs[0]["class_changes"]["classes"] == changes.classes


def test_whole_line_and_a_negative_first_number_after_from(models, capsys):
    whole = _json(capsys, ["line", "net.json", "--from", _text(A), "--to", _text(B), "--whole-line", "--json"])
    assert whole["interval"] == [None, None]
    assert whole["boundaries"] == analyze_through(NET, A, B, whole_line=True).boundaries.tolist()
    assert main(["line", "net.json", "--from", _text(A), "--to", _text(B)]) == 0
    assert "pieces" in capsys.readouterr().out


def test_plane_json_is_the_exact_regions_with_the_decision_boundary(models, capsys):
    outputs = [_json(capsys, ["plane", name, "--json", "--", _text(A), "b.npy", _text(C)]) for name in models]
    assert all(output == outputs[0] for output in outputs)
    analysis = plane_through(NET, A, B, C)
    assert len(outputs[0]["regions"]) == len(analysis)
    assert outputs[0]["plane"] == {"a": A, "b": B, "c": C}
    assert all(set(segment) == {"ends", "outputs", "region"} for segment in outputs[0]["decision_boundary"])


@pytest.mark.parametrize(
    ("args", "word"),
    [
        (["line", "net.txt", "--from", "1,2,3", "--to", "0,0,0"], "MODEL"),
        (["line", "missing.json", "--from", "1,2,3", "--to", "0,0,0"], "MODEL"),
        (["line", "bad.json", "--from", "1,2,3", "--to", "0,0,0"], "layers[0].bias"),
        (["line", "bad.npz", "--from", "1,2,3", "--to", "0,0,0"], "bad.npz"),
        (["line", "net.json", "--from", "1,2", "--to", "0,0,0"], "--from"),
        (["line", "net.json", "--from", "1,2,x", "--to", "0,0,0"], "--from"),
        (["line", "net.json", "--from", "1,2,3", "--to", "1,2,nan"], "--to"),
        (["line", "net.json", "--from", "1,2,3", "--to", "long.npy"], "--to"),
        (["line", "net.json", "--from", "1,2,3", "--to", "text.npy"], "--to"),
        (["line", "net.json", "--from", "1,2,3", "--to", "1,2,3"], "--from"),
        (["line", "net.json", "--to", "1,2,3"], "--from"),
        (["plane", "net.json", "1,2,3", "2,4,6", "3,6,9"], "one line"),
        (["plane", "net.json", "1,2,3", "2,4,6"], "C"),
        (["plane", "net.json", "1,2,3", "2,4,6", "0,0"], "C"),
        (["plane", "net.json", "1,2,3", "2,4,6", "0,0,1", "--margin", "-1"], "--margin"),
        (["plane", "wide.json", "1", "2", "3"], "hidden units"),
    ],
)
def test_bad_input_is_one_line_naming_the_parameter_and_exit_2(models, args, word, tmp_path, capsys):
    (tmp_path / "bad.json").write_text('{"layers": [{"weight": [[1.0]]}], "activation": "relu"}')
    (tmp_path / "bad.npz").write_bytes(b"not an archive")
    (tmp_path / "text.npy").write_text("1,2,3")
    np.save(tmp_path / "long.npy", np.zeros(4))
    (tmp_path / "wide.json").write_text(Network.random([1, MAX_PLANE_UNITS + 1, 1], seed=0).to_json())
    capsys.readouterr()
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and word in lines[0], captured.err


def test_a_missing_onnx_package_is_one_line_too(models, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "onnx", None)  # import onnx now fails
    Path("net.onnx").touch()  # there even when the fixture could not write it
    assert main(["line", "net.onnx", "--from", "1,2,3", "--to", "0,0,0"]) == 2
    assert "pip install" in capsys.readouterr().err


def test_the_installed_command_has_no_traceback(models, tmp_path):
    result = subprocess.run([sys.executable, "-m", "reluviz", "plane", "net.json", "1,2", "0,0,0", "1,1,1"],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr and result.stderr.count("\n") == 1


def test_help_names_the_point_forms_and_the_json_fields(capsys):
    assert main(["line", "--help"]) == 0
    text = capsys.readouterr().out
    assert all(word in text for word in ("--from", "--to", "--whole-line", ".npy", "class_changes", ".onnx"))
    assert main(["plane", "--help"]) == 0
    assert "decision_boundary" in capsys.readouterr().out
