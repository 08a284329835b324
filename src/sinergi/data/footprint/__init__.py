"""Footprint reference data: route inventories and characterisation factors (YAML)."""
