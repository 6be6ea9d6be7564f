"""Figures: one module per chapter, a registry of stable ids, and deterministic export."""
