"""Versioned reference data shipped with sinergi (read with importlib.resources)."""
