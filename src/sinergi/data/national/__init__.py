"""Shipped national data: published totals, factors, sourced smelter facts."""
