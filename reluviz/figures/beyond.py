"""Figures past the seed (depth, regions, activations, approximation, XOR)."""

SPECS: list = []
