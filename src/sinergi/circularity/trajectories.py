"""Fleet paths between sourced anchors: how a stock moves from one counted year to a target.

No source states the path of Indonesia's EV fleet between its last count (2024) and the 2030
targets, or after them, so the path is a rule, stated here, in ``data/circularity/
scenarios.yaml`` and in ``docs/circularity.md``, and flagged in every forecast:

``monotone-cubic``
    A monotone cubic Hermite curve through every anchor. Its slope at an interior anchor is
    the Fritsch-Butland weighted harmonic mean of the neighbouring average annual changes
    (scipy's ``PchipInterpolator``; zero where the fleet turns), and at the first and last
    anchors the average annual change of the first and last interval. The curve passes
    through every anchor, never overshoots between two (each slope lies between 0 and 3 times
    the neighbouring average change, the Fritsch-Carlson condition), and its yearly change has
    no jump at an anchor, so a stock-driven model gives packs placed on the market without a
    cliff.
``linear`` and ``geometric``
    Straight lines, or constant growth rates, between anchors; the yearly change jumps at
    every anchor.

After the last anchor the fleet is either ``held`` (only replacements enter: a bound, with a
cliff in packs placed on the market) or ``extended`` with the average annual change of the
last interval (constant net additions). Before the first anchor it is zero.

>>> import numpy as np
>>> path = fleet_path([2020, 2030], [100.0, 1100.0], np.arange(2019, 2033), "monotone-cubic",
...                   "extend")
>>> path[[0, 1, 11, 13]].tolist()
[0.0, 100.0, 1100.0, 1300.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy.interpolate import CubicHermiteSpline, PchipInterpolator

from sinergi.circularity.lifetimes import FloatArray
from sinergi.errors import ScenarioError

Interpolation = Literal["monotone-cubic", "linear", "geometric"]
AfterLastAnchor = Literal["extend", "hold"]


def fleet_path(
    anchor_years: Sequence[int],
    anchor_values: Sequence[float],
    years: NDArray[np.int64],
    interpolation: Interpolation,
    after_last_anchor: AfterLastAnchor,
) -> FloatArray:
    """Return the fleet in each of ``years`` from its anchors and the stated rules.

    Raises
    ------
    ScenarioError
        Two anchors share a year, or an anchor is not positive (a geometric path and a
        monotone curve both need positive fleets).
    """
    known = np.asarray(anchor_years, dtype=np.float64)
    values = np.asarray(anchor_values, dtype=np.float64)
    if np.unique(known).size != known.size:
        raise ScenarioError(f"two fleet anchors share a year: {sorted(anchor_years)}")
    if (values <= 0).any():
        raise ScenarioError(f"fleet anchors must be > 0; got {values.tolist()}")
    order = np.argsort(known)
    known, values = known[order], values[order]
    inside = np.clip(years, known[0], known[-1]).astype(np.float64)
    path = _between(known, values, inside, interpolation)
    last_slope = (values[-1] - values[-2]) / (known[-1] - known[-2]) if known.size > 1 else 0.0
    after = years > known[-1]
    if after_last_anchor == "extend":
        path[after] = values[-1] + last_slope * (years[after] - known[-1])
    else:
        path[after] = values[-1]
    path[years < known[0]] = 0.0
    return path


def _between(
    known: FloatArray, values: FloatArray, years: FloatArray, rule: Interpolation
) -> FloatArray:
    """Return the path at ``years`` (all within the anchors) under ``rule``."""
    if known.size == 1:
        return np.full(years.shape, values[0])
    if rule == "geometric":
        return np.exp(np.interp(years, known, np.log(values)))
    if rule == "linear":
        return np.asarray(np.interp(years, known, values), dtype=np.float64)
    secants = np.diff(values) / np.diff(known)
    slopes = PchipInterpolator(known, values).derivative()(known)
    slopes[0], slopes[-1] = secants[0], secants[-1]
    result: FloatArray = CubicHermiteSpline(known, values, slopes)(years)
    return result
