"""The nickel in a lot, by the lots it came from, and its genealogy-weighted carbon intensity.

The footprint engine gives route intensities (t CO2e per t of contained nickel) for the
facilities nickel passes through; this module only weighs them by the genealogy. A lot's
**nickel sources** are the nickel intermediates upstream of it (MHP, matte, NPI, ferronickel)
and the recycled lots it came from; the nickel each contributes is its attributed quantity ×
its nickel content (:func:`~sinergi.custody.content.element_content`: the stated
``ni_content``, else the formula of a nickel carrier), or unknown. The intensities are
plain data passed in (facility → t CO2e per t Ni, or ``None`` where the route is not
modelled), so this engine never imports the footprint engine; the composition happens in
:mod:`sinergi.reports.custody`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sinergi.custody.chain import Chain
from sinergi.custody.content import element_content
from sinergi.custody.lots import Characteristic

__all__ = [
    "NICKEL_INTERMEDIATES",
    "LotFootprint",
    "NickelSource",
    "lot_nickel_footprint",
]

#: Commodities at which the nickel's route is decided (the footprint engine's route products).
NICKEL_INTERMEDIATES = frozenset({"mhp", "nickel_matte", "nickel_pig_iron", "ferronickel"})


@dataclass(frozen=True, slots=True)
class NickelSource:
    """Nickel reaching a lot from one source lot."""

    lot: str
    commodity: str
    facility: str
    attributed: float
    nickel_t: float | None
    recycled: bool
    intensity: float | None = None


@dataclass(frozen=True)
class LotFootprint:
    """A lot's nickel and its genealogy-weighted intensity.

    ``intensity`` is t CO2e per t Ni over the nickel whose source has a modelled intensity
    (``covered_t``); ``nickel_t`` is all nickel with a known content. ``None`` when no source
    is covered.
    """

    lot: str
    sources: list[NickelSource]
    nickel_t: float
    covered_t: float
    intensity: float | None

    @property
    def covered_share(self) -> float | None:
        """Return the share of the lot's nickel the intensity covers."""
        return None if self.nickel_t <= 0 else self.covered_t / self.nickel_t


def _is_source(chain: Chain, lot_id: str) -> tuple[bool, bool]:
    lot = chain.lots[lot_id]
    recycled = (
        lot.share(Characteristic.RECYCLED_POST_CONSUMER) > 0
        or lot.share(Characteristic.RECYCLED_PRE_CONSUMER) > 0
    )
    origin = not chain.producer_inputs(lot_id)
    # a recycled origin lot is a nickel source only if it holds nickel (a recycled cobalt
    # sulfate lot is not)
    nickel = element_content(lot, "Ni") is not None
    return lot.commodity in NICKEL_INTERMEDIATES or (origin and recycled and nickel), recycled


def lot_nickel_footprint(
    chain: Chain, lot_id: str, intensities: Mapping[str, float | None]
) -> LotFootprint:
    """Return the nickel sources of a lot and their intensity weighted by contained nickel."""
    trace = chain.upstream(lot_id)
    sources = []
    for source_id, attributed in trace.quantities.items():
        is_source, recycled = _is_source(chain, source_id)
        if not is_source:
            continue
        lot = chain.lots[source_id]
        content = element_content(lot, "Ni")
        nickel = None if content is None else lot.mass_of(attributed)
        nickel = None if nickel is None or content is None else nickel * content
        sources.append(
            NickelSource(
                source_id,
                lot.commodity,
                lot.facility,
                attributed,
                nickel,
                recycled,
                intensities.get(lot.facility),
            )
        )
    known = [s for s in sources if s.nickel_t is not None]
    covered = [s for s in known if s.intensity is not None]
    nickel = sum(s.nickel_t or 0.0 for s in known)
    covered_t = sum(s.nickel_t or 0.0 for s in covered)
    weighted = sum((s.nickel_t or 0.0) * (s.intensity or 0.0) for s in covered)
    intensity = weighted / covered_t if covered_t > 0 else None
    return LotFootprint(lot_id, sources, nickel, covered_t, intensity)
