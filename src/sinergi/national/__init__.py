"""Smelter governance and the national nickel view: registry, accounts, scenarios, indicators.

A pure engine: :mod:`.registry` (smelters, captive power units, production), :mod:`.power`
(who supplies each smelter's electricity), :mod:`.accounts` (national accounts of a year),
:mod:`.reconcile` (against published national totals), :mod:`.scenarios` (policy scenarios to
2030/2045/2060 with a Monte Carlo band), :mod:`.governance` (indicators per smelter) and
:mod:`.synthetic` (a seeded synthetic national set). Route footprints come in as plain data
(:class:`~sinergi.national.inputs.RouteIntensity`) from the footprint engine, composed by the
CLI and report layers; this package imports no other engine.
"""

from __future__ import annotations
