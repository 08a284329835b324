"""Shipped national policy scenarios (editable YAML)."""
