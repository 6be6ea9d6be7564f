"""The command line: valid JSON in the documented schema, and one-line errors with exit code 2."""

import json
import subprocess
import sys

import numpy as np
import pytest

from reluviz import Network, analyze_line
from reluviz.cli import main
from reluviz.figures import figure_ids
from reluviz.pieces import LINE_JSON_FIELDS

SCHEMA_KEYS = set(LINE_JSON_FIELDS)


def test_network_json_has_the_schema_and_is_consistent(capsys):
    assert main(["network", "--width", "10", "--seed", "0", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == SCHEMA_KEYS
    assert data["interval"] == [-100.0, 100.0]
    assert len(data["layers"]) == 2 and np.shape(data["layers"][0]["weight"]) == (10, 1)
    assert len(data["slopes"]) == len(data["intercepts"]) == len(data["negative"]) == len(data["boundaries"]) + 1
    assert set(data["breakpoints"]) <= set(data["boundaries"])
    assert data["boundaries"] == sorted(data["boundaries"])
    rebuilt = Network([(layer["weight"], layer["bias"]) for layer in data["layers"]], data["activation"])
    assert analyze_line(rebuilt, -100, 100).breakpoints.tolist() == data["breakpoints"]


def test_network_options_are_honoured(capsys):
    main(["network", "--width", "5", "--depth", "3", "--activation", "leaky_relu", "--init", "he", "--lo", "-2", "--hi", "3", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert len(data["layers"]) == 4 and data["activation"] == "leaky_relu" and data["interval"] == [-2.0, 3.0]


def test_no_biases_and_the_spread_are_honoured_and_the_interval_does_not_move_the_network(capsys):
    def network(*options: str) -> dict:
        assert main(["network", "--width", "6", "--seed", "4", *options, "--json"]) == 0
        return json.loads(capsys.readouterr().out)

    default, zoomed = network(), network("--lo", "-1", "--hi", "2")
    assert zoomed["layers"] == default["layers"], "zooming the interval must not draw another network"
    unbiased = network("--no-biases")
    assert all(b == 0 for layer in unbiased["layers"] for b in layer["bias"])
    assert [layer["weight"] for layer in unbiased["layers"]] == [layer["weight"] for layer in default["layers"]]
    narrow = network("--spread-lo", "-4", "--spread-hi", "4")
    first = narrow["layers"][0]
    kinks = [-b / w[0] for w, b in zip(first["weight"], first["bias"])]
    assert all(-4 <= k <= 4 for k in kinks) and max(abs(k) for k in kinks) > 1


def test_human_summary_counts_pieces(capsys):
    assert main(["network", "--width", "3", "--seed", "1"]) == 0
    assert "linear pieces" in capsys.readouterr().out


@pytest.mark.parametrize(
    "args, word",
    [
        (["network", "--width", "0"], "width"),
        (["network", "--width", "ten"], "--width"),
        (["network", "--depth", "0"], "depth"),
        (["network", "--lo", "5", "--hi", "1"], "lo"),
        (["network", "--activation", "swish"], "activation"),
        (["network", "--activation", "tanh"], "activation"),
        (["network", "--init", "xavier"], "init"),
        (["network", "--seed", "-3"], "seed"),
        (["network", "--seed", str(2**53)], "--seed"),
        (["network", "--spread-lo", "3", "--spread-hi", "-3"], "--spread-lo"),
        (["network", "--spread-hi", "inf"], "--spread-hi"),
        (["network", "--bogus"], "unrecognized"),
        ([], "command"),
        (["figure", "no-such-figure", "--out", "x.svg"], "figure_id"),
        (["figure", "xor", "--out", "x.gif"], "out"),
        (["figure", "xor"], "--out"),
        (["figure", "xor", "--out", "x.svg", "--seed", "3"], "seed"),
        (["figure", "relu-network-1d", "--out", "x.svg", "--param", "width"], "NAME=VALUE"),
        (["figure", "relu-network-1d", "--out", "x.svg", "--param", "width=ten"], "JSON"),
        (["figure", "relu-network-1d", "--out", "x.svg", "--param", "width=0"], "width"),
        (["figure", "relu-network-1d", "--out", "x.svg", "--param", "width=2.5"], "width"),
        (["figure", "kinks-zoom", "--out", "x.svg", "--param", "kinks_shown=99"], "kinks_shown"),
        (["network", "--width", "1000000000"], "--width"),
        (["network", "--width", "10000000", "--json"], "--width"),
        (["network", "--depth", "1000000"], "--depth"),
        (["network", "--lo", "nan"], "lo"),
        (["network", "--lo", "inf"], "lo"),
        (["figure", "regions-2d", "--out", "x.svg", "--param", "pixels=100000"], "pixels"),
        (["figure", "sawtooth-depth", "--out", "x.svg", "--param", "max_depth=100"], "max_depth"),
        (["figure", "approximation", "--out", "x.json", "--param", "samples=1"], "samples"),
        (["figure", "pieces-vs-depth", "--out", "x.svg", "--param", "networks=100000000"], "networks"),
        (["figure", "activations-compare", "--out", "x.svg", "--param", "leaky_slope=NaN"], "leaky_slope"),
        (["figure", "xor", "--out", "/dev/full/x.svg"], "cannot write"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, word, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and word in lines[0]
    assert list(tmp_path.iterdir()) == [], "a failed command must write no file"


def test_the_installed_command_reports_errors_without_a_traceback(tmp_path):
    result = subprocess.run([sys.executable, "-m", "reluviz", "network", "--width", "0"], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip().count("\n") == 0 and "--width" in result.stderr and "Traceback" not in result.stderr


def test_help_documents_every_option_and_the_schema(capsys):
    assert main(["network", "--help"]) == 0
    text = capsys.readouterr().out
    options = ["--width", "--depth", "--seed", "--activation", "--init", "--lo", "--hi", "--spread-lo", "--spread-hi", "--no-biases", "--json"]
    for option in [*options, *SCHEMA_KEYS]:
        assert option in text


def test_figure_list_names_every_figure(capsys):
    assert main(["figure", "--list"]) == 0
    assert capsys.readouterr().out.split() == figure_ids()


@pytest.mark.parametrize("lo, hi, interval", [(["-1e2"], ["1e2"], [-100.0, 100.0]), (["-inf"], ["inf"], [None, None])])
def test_negative_numbers_and_infinities_work_as_separate_arguments(lo, hi, interval, capsys):
    assert main(["network", "--lo", *lo, "--hi", *hi, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["interval"] == interval and len(data["breakpoints"]) == 10


def test_a_closed_pipe_is_one_line_and_exit_2():
    run = subprocess.Popen([sys.executable, "-m", "reluviz", "network", "--width", "20000"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
    assert run.stdout is not None and run.stdout.read(100)
    run.stdout.close()
    stderr = run.communicate()[1].decode()
    assert run.returncode == 2 and stderr.count("\n") == 1 and "Broken pipe" in stderr and "Traceback" not in stderr


def test_a_full_disk_is_one_line_and_exit_2():
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "reluviz", "network", "--json"], stdout=full, stderr=subprocess.PIPE, text=True)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "No space left" in result.stderr


def test_a_failed_write_keeps_the_old_file(tmp_path, monkeypatch, capsys):
    out = tmp_path / "xor.json"
    out.write_text("the good file")

    def fail(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("reluviz.export.os.replace", fail)
    assert main(["figure", "xor", "--out", str(out)]) == 2
    assert out.read_text() == "the good file" and [p.name for p in tmp_path.iterdir()] == ["xor.json"]
    assert f"no space left on {tmp_path} to write xor.json" in capsys.readouterr().err


def test_running_out_of_memory_is_one_line(monkeypatch, capsys):
    def exhausted(*args):
        raise MemoryError()

    monkeypatch.setattr("reluviz.cli.analyze_line", exhausted)
    assert main(["network"]) == 2
    assert capsys.readouterr().err == "reluviz: error: MemoryError\n"
