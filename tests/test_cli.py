"""The command line: valid JSON in the documented schema, and one-line errors with exit code 2."""

import json
import subprocess
import sys

import numpy as np
import pytest

from reluviz import Network, analyze_line, datasets
from reluviz.cli import main
from reluviz.explorer import PLANE_CONTROLS, TRAIN_PLANE_CONTROLS
from reluviz.export import to_json
from reluviz.figures import figure_ids
from reluviz.pieces import LINE_JSON_FIELDS
from reluviz.training import TRAIN_JSON_FIELDS, train

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


@pytest.mark.parametrize("args", [["--width", "3", "--seed", "1"], ["--width", "1", "--depth", "1", "--seed", "3", "--lo", "50", "--hi", "60"]])
def test_human_summary_counts_pieces_in_words_that_agree_with_the_count(capsys, args):
    assert main(["network", "--json", *args]) == 0
    analysis = json.loads(capsys.readouterr().out)
    assert main(["network", *args]) == 0
    text = capsys.readouterr().out
    kinks = len(analysis["breakpoints"])
    pieces = kinks + 1  # on an interval, each kink starts a new piece
    assert f"{kinks} kink{'' if kinks == 1 else 's'}, {pieces} linear piece{'' if pieces == 1 else 's'}\n" in text, text
    assert "hidden layer of" in text or "hidden layers of" in text


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


# ---- reluviz train -----------------------------------------------------------------------------------------------


def _train_json(capsys, *args: str) -> dict:
    assert main(["train", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_train_json_has_the_schema_and_is_the_package_s_run(capsys):
    data = _train_json(capsys, "--dataset", "wiggly", "--points", "40", "--init", "he", "--width", "5", "--steps", "12")
    assert tuple(data) == TRAIN_JSON_FIELDS
    assert data["loss"] == "mse" and data["learning_rate"] == 0.01 and data["steps"] == 12 and len(data["losses"]) == 13
    net = Network.random([1, 5, 1], init="he", seed=0)
    run = train(net, *datasets.curve_data("wiggly", 40), steps=12)
    assert data == json.loads(to_json(run.to_dict()))
    assert data["losses"][-1] < data["losses"][0]


def test_train_takes_two_inputs_from_the_data_set_and_the_plane_s_defaults(capsys):
    data = _train_json(capsys, "--dataset", "moons", "--steps", "3")
    plane = {control.name: control.default for control in PLANE_CONTROLS + TRAIN_PLANE_CONTROLS}
    assert data["loss"] == plane["loss"] == "logistic" and data["learning_rate"] == plane["learning_rate"]
    assert np.shape(data["layers"][0]["weight"]) == (plane["width"], 2)
    net = Network.random([2, plane["width"], 1], init=plane["init"], seed=0)
    x, y = datasets.moons(plane["points"], 0, plane["noise"])
    assert data == json.loads(to_json(train(net, x, y, 3, plane["learning_rate"], loss="logistic").to_dict()))


def test_train_reads_a_data_file_and_reproduces_an_exported_run(tmp_path, capsys):
    path = tmp_path / "mine.json"
    datasets.write_data(path, [[0.5, -1.0], [1.25, 0.0], [-2.0, 2.0]], [[1.0], [0.0], [1.0]])
    options = ["--data", str(path), "--width", "3", "--depth", "2", "--seed", "4", "--init", "he", "--no-biases",
               "--activation", "leaky_relu", "--learning-rate", "0.2", "--steps", "9"]
    first, second = _train_json(capsys, *options), _train_json(capsys, "--dataset", "own", *options)
    assert first == second and first["loss"] == "logistic" and np.shape(first["layers"][0]["weight"]) == (3, 2)
    rebuilt = Network([(layer["weight"], layer["bias"]) for layer in first["layers"]], first["activation"])
    assert rebuilt.widths == [2, 3, 3, 1]
    regression = tmp_path / "curve.json"
    datasets.write_data(regression, *datasets.curve_data("abs", 5))
    assert _train_json(capsys, "--data", str(regression), "--steps", "2")["loss"] == "mse"
    classes = tmp_path / "classes.json"  # three classes, as one-hot rows: a network with three outputs
    datasets.write_data(classes, [[0.0], [1.0], [2.0], [3.0]], [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]])
    three = _train_json(capsys, "--data", str(classes), "--loss", "softmax", "--init", "he", "--steps", "30")
    assert np.shape(three["layers"][-1]["weight"]) == (3, 10) and three["losses"][-1] < three["losses"][0]


def test_train_reports_divergence_with_its_step(capsys):
    assert main(["train", "--init", "he", "--learning-rate", "1e300", "--steps", "5"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == (
        "reluviz: error: training diverged at step 1: the loss is no longer a finite number (try a smaller learning rate)\n")


def test_train_summary_and_help(capsys):
    assert main(["train", "--steps", "2", "--init", "he"]) == 0
    assert "mse loss from" in capsys.readouterr().out
    assert main(["train", "--help"]) == 0
    text = capsys.readouterr().out
    for option in ["--inputs", "--width", "--depth", "--seed", "--init", "--activation", "--no-biases", "--dataset",
                   "--points", "--data-seed", "--noise", "--data", "--learning-rate", "--loss", "--steps", "--json",
                   *TRAIN_JSON_FIELDS]:
        assert option in text


@pytest.mark.parametrize(
    "args, word",
    [
        (["--dataset", "cosine"], "--dataset must be one of"),
        (["--dataset", "own"], "needs --data FILE"),
        (["--dataset", "sin", "--inputs", "2"], "--inputs must match --dataset sin"),
        (["--dataset", "xor", "--inputs", "1"], "--inputs must match --dataset xor"),
        (["--inputs", "3"], "--inputs"),
        (["--dataset", "sin", "--noise", "0.1"], "--noise applies to the data sets with two inputs"),
        (["--dataset", "abs", "--data-seed", "2"], "--data-seed applies"),
        (["--dataset", "xor", "--noise", "-1e-3"], "--noise must be a finite number ≥ 0"),
        (["--dataset", "xor", "--noise", "nan"], "--noise"),
        (["--dataset", "xor", "--data-seed", "-1"], "--data-seed"),
        (["--points", "1"], "--points must be an integer ≥ 2"),
        (["--points", "100001"], "--points must be an integer ≤ 100,000"),
        (["--learning-rate", "0"], "--learning-rate must be a positive finite number"),
        (["--learning-rate", "-1e-2"], "--learning-rate"),
        (["--learning-rate", "inf"], "--learning-rate"),
        (["--steps", "0"], "--steps must be an integer ≥ 1"),
        (["--steps", "100001"], "--steps"),
        (["--loss", "hinge"], "--loss must be one of mse, logistic, softmax"),
        (["--loss", "logistic"], "y must hold labels 0 or 1 for loss 'logistic'"),
        (["--dataset", "xor", "--loss", "softmax"], "loss 'softmax' needs a network with two or more outputs"),
        (["--activation", "tanh"], "--activation must be one of relu, leaky_relu, identity"),
        (["--width", "0"], "--width"),
        (["--depth", "0"], "--depth"),
        (["--seed", "-3"], "--seed"),
        (["--init", "xavier"], "init"),
        (["--spread-lo", "3", "--spread-hi", "-3"], "--spread-lo"),
        (["--data", "missing.json"], "missing.json"),
        (["--data", "bad.json"], "bad.json is not JSON"),
        (["--data", "bad.json", "--points", "3"], "--points describes a generated data set"),
        (["--data", "bad.json", "--dataset", "xor"], "--dataset must be left out"),
        (["--steps", "ten"], "--steps"),
    ],
)
def test_bad_train_input_is_one_line_and_exit_2(args, word, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.json").write_text("{x")
    assert main(["train", *args, "--json"]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert captured.out == "" and len(lines) == 1 and word in lines[0], lines
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json"], "a failed command must write no file"
