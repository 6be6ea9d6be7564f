"""Limits that bound the work: a figure's parameters, together, never ask for more time or memory than allowed."""

from __future__ import annotations

import itertools

import pytest

from reluviz.figures import figure_ids, get_spec
from reluviz.figures._spec import MAX_FIGURE_BYTES, MAX_FIGURE_SECONDS

COSTLY = ["approximation", "pieces-vs-depth", "regions-2d", "sawtooth-depth"]


def test_the_product_of_parameters_is_refused_where_each_alone_is_allowed():
    """The adversarial reader's case: both inside their limits, together 74 s and 4 GB."""
    spec = get_spec("regions-2d")
    spec.resolve({"units": 24, "pixels": 300})
    spec.resolve({"units": 6, "pixels": 1500})
    with pytest.raises(ValueError, match=r"figure 'regions-2d' with units=24, pixels=2000 would take about .* lower units or pixels"):
        spec.resolve({"units": 24, "pixels": 2000})


@pytest.mark.parametrize("figure_id", figure_ids())
def test_every_figure_at_its_defaults_is_within_the_budget(figure_id):
    spec = get_spec(figure_id)
    params = spec.resolve()
    if spec.cost is not None:
        cost = spec.cost(**params)
        assert cost.seconds <= MAX_FIGURE_SECONDS and cost.bytes <= MAX_FIGURE_BYTES


@pytest.mark.parametrize("figure_id", COSTLY)
def test_at_every_corner_of_its_limits_a_costly_figure_is_refused_or_within_the_budget(figure_id):
    """Every combination of each numeric parameter's default, lowest and highest allowed value."""
    spec = get_spec(figure_id)
    assert spec.cost is not None, f"{figure_id} has a product of parameters but no cost estimate"
    numeric = [name for name, value in spec.params.items() if isinstance(value, (int, float)) and name in spec.limits]
    refused = 0
    for corner in itertools.product(*([spec.params[n], *spec.limits[n]] for n in numeric)):
        overrides = {name: type(spec.params[name])(value) for name, value in zip(numeric, corner)}
        try:
            params = spec.resolve(overrides)
        except ValueError as error:
            assert "would take about" in str(error) or "must be between" in str(error), str(error)
            refused += 1
            continue
        cost = spec.cost(**params)
        assert cost.seconds <= MAX_FIGURE_SECONDS and cost.bytes <= MAX_FIGURE_BYTES
    assert refused, f"{figure_id}: no corner of its limits is refused, so its limits alone bound the work; drop the estimate"


def test_a_costlier_value_never_costs_less():
    spec = get_spec("sawtooth-depth")
    assert spec.cost is not None
    costs = [spec.cost(max_depth=depth, seed=0, search=search) for depth, search in [(4, 10), (8, 10), (8, 100), (16, 100)]]
    assert all(a.seconds < b.seconds and a.bytes < b.bytes for a, b in zip(costs, costs[1:]))
