"""Hypothesis strategies for random networks, shared by the property tests."""

import numpy as np
from hypothesis import strategies as st

from reluviz import Network


@st.composite
def networks(draw, activation=None, input_dim=1, max_depth=3, max_width=8, output_dim=None):
    """Networks with random widths and integer-seeded normal weights; sometimes with exact zero weights."""
    depth = draw(st.integers(1, max_depth))
    widths = [input_dim] + [draw(st.integers(1, max_width)) for _ in range(depth)]
    widths.append(output_dim or draw(st.integers(1, 2)))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    zero_fraction = draw(st.sampled_from([0.0, 0.0, 0.3]))
    layers = []
    for fan_in, fan_out in zip(widths[:-1], widths[1:]):
        weight = rng.normal(size=(fan_out, fan_in)) * (rng.random((fan_out, fan_in)) >= zero_fraction)
        layers.append((weight, rng.normal(size=fan_out)))
    name = activation or draw(st.sampled_from(["relu", "leaky_relu", "identity"]))
    return Network(layers, name, leaky_slope=0.2)
