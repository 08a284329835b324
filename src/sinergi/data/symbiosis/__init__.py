"""Symbiosis reference data: substitution rules, transport modes, KBLI sector profiles."""
