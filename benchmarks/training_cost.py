"""What index-order training costs: the training chapter's runs timed with reluviz.training (every sum in index
order, the portable exp and log) and with the BLAS formulation it replaced, side by side in one run.

Run by hand: python benchmarks/training_cost.py [--all] [--steps N]
(prints a Markdown table; no assertion. Without --all, the five network shapes of the chapter on its wiggly target;
with --all, all fifteen runs of the training-pieces figure and the training-fit run.)
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Sequence

import numpy as np

from reluviz import Network
from reluviz.experiments import TRAINING_TARGETS
from reluviz.figures.training_fit import POINTS
from reluviz.figures.training_pieces import SHAPES
from reluviz.training import train

Array = np.ndarray


def blas_train(network: Network, x: Array, y: Array, steps: int, learning_rate: float = 0.01) -> Array:
    """reluviz.training.train as it was before index-order sums (commit 5de1e4c): ``@`` (BLAS), ``np.mean``,
    ``.sum`` and Adam's corrections by ``**``. Returns the losses."""
    shapes = [shape for layer in network.layers for shape in (layer.weight.shape, layer.bias.shape)]
    flat = np.concatenate([array.ravel() for layer in network.layers for array in (layer.weight, layer.bias)])
    views, start = [], 0
    for shape in shapes:
        size = int(np.prod(shape))
        views.append(flat[start : start + size].reshape(shape))
        start += size
    weights, biases = views[0::2], views[1::2]
    moment, square, losses = np.zeros_like(flat), np.zeros_like(flat), []
    for step in range(1, steps + 1):
        loss, gradients = _blas_loss_and_gradients(weights, biases, network, x, y)
        losses.append(loss)
        gradient = np.concatenate([g.ravel() for pair in gradients for g in pair])
        moment = 0.9 * moment + 0.1 * gradient
        square = 0.999 * square + 0.001 * gradient**2
        flat -= learning_rate * (moment / (1 - 0.9**step)) / (np.sqrt(square / (1 - 0.999**step)) + 1e-8)
    losses.append(_blas_loss_and_gradients(weights, biases, network, x, y)[0])
    return np.array(losses)


def _blas_loss_and_gradients(weights: Sequence[Array], biases: Sequence[Array], network: Network, x: Array, y: Array
                             ) -> tuple[float, list[tuple[Array, Array]]]:
    activation = network.activation
    inputs, preactivations = [x], []
    for weight, bias in zip(weights[:-1], biases[:-1]):
        preactivations.append(inputs[-1] @ weight.T + bias)
        inputs.append(activation(preactivations[-1]))
    error = inputs[-1] @ weights[-1].T + biases[-1] - y
    signal = 2.0 * error / error.size
    gradients: list[tuple[Array, Array]] = []
    for index in range(len(weights) - 1, -1, -1):
        gradients.append((signal.T @ inputs[index], signal.sum(axis=0)))
        if index:
            signal = (signal @ weights[index]) * activation.derivative(preactivations[index - 1])
    return float(np.mean(error**2)), gradients[::-1]


def seconds(run: Callable[[], object], repeats: int) -> tuple[float, object]:
    """The median time of ``repeats`` runs, and the last run's result."""
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="every run of the chapter, not only the wiggly target's")
    parser.add_argument("--steps", type=int, default=2000, help="steps per run (the chapter's: 2000)")
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    targets = list(TRAINING_TARGETS) if args.all else ["sin 3x + ½ sin 7x"]
    runs = [(target, [1, *hidden, 1]) for target in targets for hidden in SHAPES]
    if args.all:
        runs.append(("sin 3x + ½ sin 7x", [1, 32, 1]))  # training-fit's run
    x = np.linspace(-np.pi, np.pi, POINTS)[:, None]
    print(f"{args.steps:,} steps of full-batch Adam on {POINTS} points, numpy {np.__version__}\n")
    print("| target | widths | index order (s) | BLAS (s) | ratio | ms per step, index order | final loss: relative difference |")
    print("|---|---|---:|---:|---:|---:|---:|")
    totals = [0.0, 0.0]
    for target, widths in runs:
        y = TRAINING_TARGETS[target](x)
        net = Network.random(widths, init="he", seed=0)
        ordered, run = seconds(lambda: train(net, x, y, args.steps), args.repeats)
        blas, losses = seconds(lambda: blas_train(net, x, y, args.steps), args.repeats)
        final = float(run.losses[-1])  # type: ignore[attr-defined]
        difference = abs(final - float(losses[-1])) / abs(float(losses[-1]))  # type: ignore[index]
        totals = [totals[0] + ordered, totals[1] + blas]
        print(f"| {target} | {' × '.join(map(str, widths))} | {ordered:.2f} | {blas:.2f} | {ordered / blas:.1f} | "
              f"{1e3 * ordered / args.steps:.3f} | {difference:.1e} |")
    print(f"| all | | {totals[0]:.2f} | {totals[1]:.2f} | {totals[0] / totals[1]:.1f} | | |")


if __name__ == "__main__":
    main()
