"""The element content of lots and the recycled share of each regulated element in a lot.

Regulation (EU) 2023/1542, Article 8, asks for the share of **cobalt, lithium, nickel and
lead** in a battery's active materials that was recovered from manufacturing (pre-consumer)
or end-of-life (post-consumer) waste. sinergi follows each element as it follows nickel: to
the **last carriers** upstream of the lot, the lots of a refined compound sold for that
element (nickel sulfate, cobalt sulfate, lithium carbonate or hydroxide, a recovered metal)
or of black mass, the first such lot on every path up the genealogy: what the element was when
it last was a single commodity. A lot at the origin of the chain (no recorded inputs) that
states its content of the element (a CAM lot bought in with ``li_content``) brings it too.
Weighing there, not at the pack, keeps reagents, the anode and the other elements from
diluting a claim about one element. Each carrier counts with the element it brings along the
paths that reach the lot without passing another carrier, ``attributed mass × element
content``, and its recycled share is what its custody model allows it to pass on (a claim
under mass balance, the blended share under the physical models; passed in as a function so
this module does not depend on the accounts).

**Element content** of a lot is its stated attribute ``<symbol>_content`` (mass fraction,
``ni_content``, ``co_content``, ``li_content``, ``pb_content``: an assay, or the content of
a black mass or CAM lot), else the stoichiometric content of the carrier's formula (e.g. Li
in Li2CO3), computed here from standard atomic weights, never typed. A share is **not
determinable** (``None``, never 0) when no carrier of the element is upstream or a carrier's
content is unknown.

Lead is never found in the active materials of a lithium-ion pack, and no lead commodity is
in the catalogue, so no lead is traced: :func:`recycled_content` answers "not determinable"
for it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from sinergi.custody.chain import Chain
from sinergi.custody.lots import Characteristic, Lot

__all__ = [
    "ATOMIC_WEIGHTS",
    "CARRIERS",
    "MATERIALS",
    "ElementShare",
    "Undeterminable",
    "element_content",
    "mass_fraction",
    "recycled_content",
]

#: Standard atomic weights (g/mol), IUPAC CIAAW abridged values (a definition, not data):
#: the molar masses every stoichiometric content below is computed from.
ATOMIC_WEIGHTS: Mapping[str, float] = {
    "H": 1.008,
    "Li": 6.94,
    "C": 12.011,
    "O": 15.999,
    "P": 30.974,
    "S": 32.06,
    "Mn": 54.938,
    "Fe": 55.845,
    "Co": 58.933,
    "Ni": 58.693,
    "Pb": 207.2,
}

#: The regulated elements by symbol, named as the Battery Pass ``RecycledMaterial`` names them.
MATERIALS: Mapping[str, str] = {
    "Co": "Cobalt",
    "Li": "Lithium",
    "Ni": "Nickel",
    "Pb": "Lead",
}

#: The commodities that carry each element as one refined compound, with the formula their
#: tonnes are counted in (battery-grade nickel and cobalt sulfate are traded as hydrates; the
#: ``recovered_*`` commodities are tonnes of contained metal). Black mass (shredded electrode
#: material) ends the trace too, all of it recovered from waste; its content varies, so a lot
#: must state it (``ni_content``…) or the share is not determinable.
CARRIERS: Mapping[str, Mapping[str, str | None]] = {
    "Ni": {"nickel_sulfate": "NiSO4·6H2O", "recovered_nickel": "Ni", "black_mass": None},
    "Co": {"cobalt_sulfate": "CoSO4·7H2O", "recovered_cobalt": "Co", "black_mass": None},
    "Li": {
        "lithium_carbonate": "Li2CO3",
        "lithium_hydroxide": "LiOH·H2O",
        "recovered_lithium": "Li",
        "black_mass": None,
    },
    "Pb": {},
}

_PART = re.compile(r"^(\d*)((?:[A-Z][a-z]?\d*)+)$")
_ATOM = re.compile(r"([A-Z][a-z]?)(\d*)")


class Undeterminable(StrEnum):
    """Why an element's recycled share cannot be given."""

    NO_CARRIER = "no_carrier_upstream"
    CONTENT_UNKNOWN = "element_content_unknown"


@cache
def mass_fraction(formula: str, element: str) -> float:
    """Return the mass fraction of ``element`` in ``formula`` (``NiSO4·6H2O``, ``Li2CO3``).

    Hydrates are written with ``·`` and a leading count; no brackets. The formulas are the
    shipped carriers' (:data:`CARRIERS`), never a user's, so a formula this cannot read is a
    programming error (``ValueError``), not a refusal of the user's data.

    >>> round(mass_fraction("Li2CO3", "Li"), 4)
    0.1879
    """
    counts: dict[str, int] = {}
    for part in formula.split("·"):
        found = _PART.match(part)
        if found is None:
            raise ValueError(f"formula {formula!r}: cannot read {part!r}")
        times = int(found.group(1) or 1)
        for symbol, count in _ATOM.findall(found.group(2)):
            if symbol not in ATOMIC_WEIGHTS:
                raise ValueError(f"formula {formula!r}: no atomic weight for {symbol}")
            counts[symbol] = counts.get(symbol, 0) + times * int(count or 1)
    molar = sum(ATOMIC_WEIGHTS[s] * n for s, n in counts.items())
    return ATOMIC_WEIGHTS[element] * counts.get(element, 0) / molar


def element_content(lot: Lot, element: str) -> float | None:
    """Return the mass fraction of ``element`` in a lot, or ``None`` when it is not known.

    The stated attribute ``<symbol>_content`` wins (an assay); else a carrier commodity's
    formula gives it; else it is unknown.
    """
    stated = lot.attributes.get(f"{element.lower()}_content")
    if isinstance(stated, int | float) and not isinstance(stated, bool) and 0 <= stated <= 1:
        return float(stated)
    formula = CARRIERS.get(element, {}).get(lot.commodity)
    return mass_fraction(formula, element) if formula is not None else None


@dataclass(frozen=True)
class ElementShare:
    """The recycled share of one element in a lot, and the carriers it rests on.

    ``pre`` and ``post`` are fractions (0-1) of the element's mass, or ``None`` with
    ``reason`` when they cannot be determined; ``element_t`` is the element the carriers
    bring (t); ``unknown`` names the carriers whose content is not known.
    """

    element: str
    pre: float | None
    post: float | None
    element_t: float | None
    carriers: tuple[str, ...] = ()
    reason: Undeterminable | None = None
    unknown: tuple[str, ...] = ()

    @property
    def material(self) -> str:
        """Return the element as the Battery Pass names it (``Nickel``)."""
        return MATERIALS[self.element]

    @property
    def total(self) -> float | None:
        """Return the pre- plus post-consumer share (what Article 8 counts)."""
        return None if self.pre is None or self.post is None else self.pre + self.post


def _stops(lot: Lot, element: str) -> bool:
    """Return whether the trace of ``element`` ends at this lot (a carrier of it)."""
    return lot.commodity in CARRIERS.get(element, {})


def _is_source(chain: Chain, lot: Lot, element: str) -> bool:
    """Return whether a lot brings ``element``: a carrier, or an origin stating its content."""
    if _stops(lot, element):
        return True
    stated = lot.attributes.get(f"{element.lower()}_content")
    has = isinstance(stated, int | float) and not isinstance(stated, bool) and stated > 0
    return has and not chain.producer_inputs(lot.id)


def _last_carriers(chain: Chain, lot_id: str, element: str) -> dict[str, float]:
    """Return the lots that bring ``element`` to a lot, with the mass of each it holds (t).

    The genealogy is followed upstream and stops at the first carrier of the element on
    every path, so the attributed quantity of a carrier counts only the paths that reach the
    lot without passing another carrier (a refined lot hides the lots it was refined from).
    """
    start = chain.lot(lot_id)
    if _is_source(chain, start, element):
        mass = start.mass_of(start.quantity)
        return {lot_id: mass} if mass else {}
    trace = chain.upstream(lot_id)
    free = {lot_id: trace.quantities[lot_id]}
    # edges come in topological order: every path into a lot is counted before it is left
    for edge in trace.edges:
        reaching = free.get(edge.target, 0.0)
        if reaching <= 0 or (edge.target != lot_id and _stops(chain.lots[edge.target], element)):
            continue
        passed = edge.quantity * reaching / trace.quantities[edge.target]
        free[edge.source] = free.get(edge.source, 0.0) + passed
    out: dict[str, float] = {}
    for source_id, amount in free.items():
        lot = chain.lots[source_id]
        if source_id == lot_id or not _is_source(chain, lot, element):
            continue
        mass = lot.mass_of(amount)
        if mass is not None and mass > 0:
            out[source_id] = mass
    return out


def recycled_content(
    chain: Chain,
    lot_id: str,
    element: str,
    share: Callable[[str, Characteristic], float],
) -> ElementShare:
    """Return the pre- and post-consumer recycled share of ``element`` in a lot.

    Parameters
    ----------
    chain
        The lots and events (the lot's history is enough).
    lot_id
        The lot (a pack, a cell, a CAM lot…).
    element
        ``Ni``, ``Co``, ``Li`` or ``Pb``.
    share
        A lot's share with a characteristic as its custody model allows it to be passed on
        (:meth:`sinergi.custody.accounts.Accounting.share`).

    Raises
    ------
    ValueError
        For an element other than those of :data:`MATERIALS` (the passport asks for those).
    UnknownLot
        If the chain does not hold ``lot_id``.
    """
    if element not in MATERIALS:
        raise ValueError(f"element {element!r}: choose one of {', '.join(MATERIALS)}")
    chain.lot(lot_id)
    carriers = _last_carriers(chain, lot_id, element)
    if not carriers:
        return ElementShare(element, None, None, None, reason=Undeterminable.NO_CARRIER)
    contents = {k: element_content(chain.lots[k], element) for k in carriers}
    unknown = tuple(sorted(k for k, c in contents.items() if c is None))
    if unknown:
        return ElementShare(
            element,
            None,
            None,
            None,
            tuple(sorted(carriers)),
            Undeterminable.CONTENT_UNKNOWN,
            unknown,
        )
    metal = {k: carriers[k] * (contents[k] or 0.0) for k in carriers}
    total = sum(metal.values())
    if total <= 0:
        return ElementShare(
            element, None, None, None, tuple(sorted(carriers)), Undeterminable.NO_CARRIER
        )

    def weighted(characteristic: Characteristic) -> float:
        return sum(m * share(k, characteristic) for k, m in metal.items()) / total

    return ElementShare(
        element,
        weighted(Characteristic.RECYCLED_PRE_CONSUMER),
        weighted(Characteristic.RECYCLED_POST_CONSUMER),
        total,
        tuple(sorted(carriers)),
    )
