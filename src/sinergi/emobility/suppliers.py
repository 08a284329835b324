"""Parts makers: the supplier table, its link to the ecosystem model, and who makes what where.

A supplier supplies shares of the national demand for one or more components. It may name a
company of the ecosystem model (``company_id``); its park, province, KBLI codes and workforce
are then read from the model where the table leaves them blank, so parks and provinces with
parts makers are visible. Independently, :func:`parts_makers` lists the companies of the model
whose KBLI codes fall in a component's classes: the parts makers the model already holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from sinergi.emobility.bom import ComponentCatalogue, kbli_matches
from sinergi.errors import TransitionError
from sinergi.model import Ecosystem

__all__ = [
    "EffectiveShare",
    "PartsMaker",
    "Supplier",
    "SupplyShare",
    "check_unique",
    "link_to_ecosystem",
    "parts_makers",
    "shares_by_component",
]

#: Tolerance on shares of one component adding to more than one.
SHARE_TOLERANCE = 1e-9


@dataclass(frozen=True, slots=True)
class SupplyShare:
    """A supplier's share of the national demand for one component (``None``: not known)."""

    component: str
    share: float | None = None


@dataclass(frozen=True, slots=True)
class Supplier:
    """A parts maker: who and where it is, how many work on these parts, what it supplies.

    ``workers`` are the people making the listed components (``workers_source`` says whether
    the table gave them or the ecosystem's whole-company headcount did, an upper bound).
    """

    id: str
    name: str
    supplies: tuple[SupplyShare, ...]
    company_id: str | None = None
    kbli: tuple[str, ...] = ()
    province: str | None = None
    park: str | None = None
    workers: int | None = None
    workers_source: str | None = None
    synthetic: bool = False

    @property
    def components(self) -> tuple[str, ...]:
        """Return the components this supplier makes."""
        return tuple(s.component for s in self.supplies)


@dataclass(frozen=True, slots=True)
class EffectiveShare:
    """The share used for a supplier and component, and whether it was assumed."""

    supplier: str
    component: str
    share: float
    assumed: bool


def shares_by_component(
    suppliers: Sequence[Supplier], catalogue: ComponentCatalogue
) -> list[EffectiveShare]:
    """Return every supplier's share of each component it makes.

    A share left blank is assumed: the part of the component's demand the given shares leave
    over is split equally among the suppliers without one (and the result says so).

    Raises
    ------
    TransitionError
        When a supplier names an unknown component or a component's shares add to more than 1.
    """
    by_component: dict[str, list[tuple[str, float | None]]] = {}
    for supplier in suppliers:
        for supply in supplier.supplies:
            catalogue.get(supply.component)
            by_component.setdefault(supply.component, []).append((supplier.id, supply.share))
    shares: list[EffectiveShare] = []
    for component, entries in by_component.items():
        given = sum(s for _, s in entries if s is not None)
        if given > 1 + SHARE_TOLERANCE:
            names = ", ".join(sid for sid, s in entries if s is not None)
            msg = f"the shares of {component!r} add to {given:g} (> 1): {names}"
            raise TransitionError(msg)
        blank = [sid for sid, s in entries if s is None]
        rest = max(1.0 - given, 0.0) / len(blank) if blank else 0.0
        for sid, share in entries:
            value = rest if share is None else share
            shares.append(EffectiveShare(sid, component, value, share is None))
    return shares


def link_to_ecosystem(
    suppliers: Iterable[Supplier], eco: Ecosystem
) -> tuple[tuple[Supplier, ...], list[str]]:
    """Fill suppliers' park, province, KBLI and workers from their companies in ``eco``.

    Values the table gives are kept; a table value that contradicts the model is kept and
    reported. Returns the linked suppliers and the notes (unknown companies, contradictions).
    """
    linked, notes = [], []
    for supplier in suppliers:
        if supplier.company_id is None:
            linked.append(supplier)
            continue
        company = eco.companies.get(supplier.company_id)
        if company is None:
            notes.append(
                f"supplier {supplier.id}: company {supplier.company_id!r} is not in the "
                "ecosystem model; its park and province are taken from the table"
            )
            linked.append(supplier)
            continue
        park = eco.parks.get(company.park_id)
        province = park.region_id if park is not None else None
        for field, given, model in (
            ("park", supplier.park, company.park_id),
            ("province", supplier.province, province),
        ):
            if given is not None and model is not None and given != model:
                notes.append(
                    f"supplier {supplier.id}: the table says {field} {given!r} but company "
                    f"{company.id} is in {model!r}; the table's value is kept"
                )
        workers, source = supplier.workers, supplier.workers_source
        if workers is None:
            workers = _headcount(eco, company.id)
            source = "ecosystem" if workers is not None else None
        linked.append(
            replace(
                supplier,
                park=supplier.park or company.park_id,
                province=supplier.province or province,
                kbli=supplier.kbli or company.kbli,
                workers=workers,
                workers_source=source,
                synthetic=supplier.synthetic or company.synthetic,
            )
        )
    return tuple(linked), notes


def _headcount(eco: Ecosystem, company_id: str) -> int | None:
    """Return the company's headcount in its latest reported period, if any."""
    records = sorted(
        (w for w in eco.workforce if w.company_id == company_id), key=lambda w: str(w.period)
    )
    for record in reversed(records):
        for a, b in ((record.female, record.male), (record.local, record.non_local)):
            if a is not None and b is not None:
                return a + b
    return None


@dataclass(frozen=True, slots=True)
class PartsMaker:
    """A company of the ecosystem whose KBLI codes fall in a component's classes.

    ``related`` is true when only a related class matched (e.g. a motor-vehicle parts maker,
    KBLI 2930, for a motorcycle part): a possible maker, not a known one.
    """

    company_id: str
    name: str
    park_id: str
    region_id: str | None
    kbli: tuple[str, ...]
    components: tuple[str, ...]
    related: bool
    synthetic: bool


def parts_makers(eco: Ecosystem, catalogue: ComponentCatalogue) -> list[PartsMaker]:
    """Return the companies of ``eco`` that make (or could make) catalogue components."""
    makers = []
    for company in sorted(eco.companies.values(), key=lambda c: c.id):
        direct = [c.id for c in catalogue.components if _matches(company.kbli, c.kbli)]
        related = [
            c.id
            for c in catalogue.components
            if c.id not in direct and _matches(company.kbli, c.related_kbli)
        ]
        if not direct and not related:
            continue
        park = eco.parks.get(company.park_id)
        makers.append(
            PartsMaker(
                company.id,
                company.name,
                company.park_id,
                park.region_id if park is not None else None,
                company.kbli,
                tuple(direct or related),
                not direct,
                company.synthetic,
            )
        )
    return makers


def _matches(codes: Iterable[str], classes: list[str]) -> bool:
    return any(kbli_matches(code, classes) for code in codes)


def check_unique(suppliers: Sequence[Supplier]) -> None:
    """Refuse two suppliers with one id.

    Raises
    ------
    TransitionError
        Naming the repeated ids.
    """
    ids = [s.id for s in suppliers]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        msg = f"supplier ids {dupes} appear more than once"
        raise TransitionError(msg)
