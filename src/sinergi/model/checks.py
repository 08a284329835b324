"""Consistency checks of the flow network: small named functions, run together by :func:`check`.

Each check returns :class:`Finding` objects naming the node or flow at fault and the fix.
:func:`check` collects them; with ``strict=True`` any finding raises
:class:`~sinergi.errors.ConsistencyError`, otherwise each becomes a
:class:`ConsistencyWarning` (or is only returned, with ``warn=False``).
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from sinergi.errors import ConsistencyError
from sinergi.i18n import N_, _, format_number
from sinergi.i18n.messages import Num, msg
from sinergi.i18n.messages import items as listed
from sinergi.model.flows import Flow
from sinergi.model.network import Ecosystem, record_park
from sinergi.model.nodes import LandUse


class ConsistencyWarning(UserWarning):
    """A consistency check found a problem and ``strict`` was off."""


#: What each check is called where findings are listed (English msgids of the catalogues).
CHECK_LABELS: dict[str, str] = {
    "missing_parent": N_("missing parent"),
    "unknown_commodity": N_("unknown commodity"),
    "missing_node": N_("flow to a missing node"),
    "negative_quantity": N_("negative quantity"),
    "duplicate_flow": N_("flow reported twice"),
    "outputs_without_inputs": N_("outputs without inputs"),
    "land_use": N_("land use"),
    "orphan_record": N_("record without its company or park"),
}

#: Value of a message placeholder: text, a number, or a function of the language.
Value = str | int | float | Callable[[str], str]


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found by a check: which check, what it is about, what is wrong.

    ``subject`` names the node, flow or record (ids, language-neutral); ``kind`` the sort of
    thing it is and ``text`` what is wrong, both English catalogue msgids filled with
    ``values``. :attr:`where` and :attr:`message` are the English renderings;
    :meth:`where_in` and :meth:`message_in` render another language.
    """

    check: str
    kind: str
    subject: str
    text: str
    values: tuple[tuple[str, Value], ...] = ()

    @property
    def where(self) -> str:
        """Return what the finding is about, in English (``flow a → b coal (2024)``)."""
        return self.where_in("en")

    @property
    def message(self) -> str:
        """Return what is wrong and how to fix it, in English."""
        return self.message_in("en")

    def where_in(self, lang: str) -> str:
        """Return what the finding is about in ``lang``."""
        kind = _(lang, self.kind) if self.kind else ""
        return f"{kind} {self.subject}".strip()

    def message_in(self, lang: str) -> str:
        """Return what is wrong and how to fix it in ``lang``."""
        filled = {k: v(lang) if callable(v) else v for k, v in self.values}
        return _(lang, self.text).format(**filled)

    def label_in(self, lang: str) -> str:
        """Return the name of the check in ``lang``."""
        return _(lang, CHECK_LABELS.get(self.check, self.check))

    def render(self, lang: str) -> str:
        """Return the whole finding in ``lang``: check id, what it is about, what is wrong."""
        return f"[{self.check}] {self.where_in(lang)}: {self.message_in(lang)}"

    def __str__(self) -> str:
        return self.render("en")


def _word(message: str, lang: str) -> str:
    """Return a catalogue word in ``lang`` (bound with ``partial`` as a message value)."""
    return _(lang, message)


def _flow(f: Flow, with_commodity: bool = True) -> str:
    commodity = f" {f.commodity}" if with_commodity else ""
    return f"{f.source} → {f.target}{commodity} ({f.period})"


def unknown_commodities(eco: Ecosystem) -> list[Finding]:
    """Flag flows whose commodity is not in the catalogue."""
    return [
        Finding(
            "unknown_commodity",
            N_("flow"),
            _flow(f, with_commodity=False),
            N_("commodity {commodity} is not in catalogue {version}; use a catalogue id"),
            (("commodity", repr(f.commodity)), ("version", eco.catalogue.version)),
        )
        for f in eco.flows
        if f.commodity not in eco.catalogue
    ]


_ENDS = {"source": N_("source node"), "target": N_("target node")}


def missing_flow_nodes(eco: Ecosystem) -> list[Finding]:
    """Flag flows from or to a node that does not exist."""
    out = []
    for f in eco.flows:
        for end, node_id in (("source", f.source), ("target", f.target)):
            if not eco.has_node(node_id):
                out.append(
                    Finding(
                        "missing_node",
                        N_("flow"),
                        _flow(f),
                        N_("{end} {node} does not exist; add it or fix the id"),
                        (("end", partial(_word, _ENDS[end])), ("node", repr(node_id))),
                    )
                )
    return out


def negative_quantities(eco: Ecosystem) -> list[Finding]:
    """Flag negative flow quantities: direction belongs in source → target, not the sign."""
    return [
        Finding(
            "negative_quantity",
            N_("flow"),
            _flow(f),
            N_("quantity {quantity} is negative; swap source and target instead"),
            (("quantity", partial(_number, f.quantity)),),
        )
        for f in eco.flows
        if f.quantity is not None and f.quantity < 0
    ]


def duplicate_flows(eco: Ecosystem) -> list[Finding]:
    """Flag two flows with the same period, source, target and commodity."""
    counts = Counter(f.key for f in eco.flows)
    return [
        Finding(
            "duplicate_flow",
            N_("flow"),
            f"{k.source} → {k.target} {k.commodity} ({k.period})",
            N_("reported {count} times; report each flow once per period (add the quantities)"),
            (("count", n),),
        )
        for k, n in counts.items()
        if n > 1
    ]


def outputs_without_inputs(eco: Ecosystem) -> list[Finding]:
    """Flag processes that produce outputs in a period but have no inputs in it."""
    outputs = {(f.source, f.period) for f in eco.flows if f.source in eco.processes}
    inputs = {(f.target, f.period) for f in eco.flows if f.target in eco.processes}
    return [
        Finding(
            "outputs_without_inputs",
            N_("process"),
            f"{pid} ({period})",
            N_("has outputs but no inputs; report its materials, energy and water inputs"),
        )
        for pid, period in sorted(outputs - inputs, key=lambda x: (x[0], str(x[1])))
    ]


_PARENTS = {
    "region": N_("region"),
    "park": N_("park"),
    "company": N_("company"),
    "facility": N_("facility"),
}


def missing_parents(eco: Ecosystem) -> list[Finding]:
    """Flag nodes whose parent (region, park, company, facility) does not exist."""
    out = []
    links: list[tuple[str, str, dict[str, object], str]] = []
    links += [(p.id, p.region_id, eco.regions, "region") for p in eco.parks.values()]  # type: ignore[misc]
    links += [(c.id, c.park_id, eco.parks, "park") for c in eco.companies.values()]  # type: ignore[misc]
    links += [(f.id, f.company_id, eco.companies, "company") for f in eco.facilities.values()]  # type: ignore[misc]
    links += [(p.id, p.facility_id, eco.facilities, "facility") for p in eco.processes.values()]  # type: ignore[misc]
    for node_id, parent, table, kind in links:
        if parent not in table:
            out.append(
                Finding(
                    "missing_parent",
                    "",
                    node_id,
                    N_("{kind} {parent} does not exist; add it"),
                    (("kind", partial(_word, _PARENTS[kind])), ("parent", repr(parent))),
                )
            )
    return out


def land_use_excess_ha(area_ha: float | None, land_use: Mapping[LandUse, float]) -> Decimal | None:
    """Return by how many hectares land use exceeds the park's area, or ``None`` if it does not.

    Areas are compared as the decimals they were entered as (the shortest text of each
    float), so 33.3 + 33.3 + 33.4 ha fills a 100 ha park exactly instead of exceeding it by a
    rounding error.

    >>> land_use_excess_ha(100.0, {LandUse.INDUSTRIAL_PLOTS: 130.0})
    Decimal('30.0')
    >>> land_use_excess_ha(100.0, {LandUse.INDUSTRIAL_PLOTS: 33.3, LandUse.OTHER: 66.7}) is None
    True
    """
    if area_ha is None or not land_use:
        return None
    total = sum((Decimal(repr(value)) for value in land_use.values()), Decimal(0))
    excess = total - Decimal(repr(area_ha))
    return excess if excess > 0 else None


def _number(value: float | None, lang: str, digits: int = 1) -> str:
    return format_number(value, lang, digits)


def land_use_over_area(eco: Ecosystem) -> list[Finding]:
    """Flag parks whose land-use categories add up to more than the park area (over 100 %)."""
    out = []
    for park in eco.parks.values():
        total = sum(park.land_use_ha.values())
        if any(v < 0 for v in park.land_use_ha.values()):
            out.append(Finding("land_use", N_("park"), park.id, N_("a land-use area is negative")))
        if park.area_ha is not None and land_use_excess_ha(park.area_ha, park.land_use_ha):
            share = 100.0 * total / park.area_ha if park.area_ha else float("inf")
            out.append(
                Finding(
                    "land_use",
                    N_("park"),
                    park.id,
                    N_(
                        "land-use categories add up to {total} ha = {share} % of the {area} ha "
                        "park; correct the areas"
                    ),
                    (
                        ("total", partial(_number, total)),
                        ("share", partial(_number, share)),
                        ("area", partial(_number, park.area_ha)),
                    ),
                )
            )
    return out


def orphan_records(eco: Ecosystem) -> list[Finding]:
    """Flag social/economic records whose company or park does not exist."""
    out = []
    for name, items in eco.records():
        for record in items:
            company_id = getattr(record, "company_id", None)
            if company_id is not None and company_id not in eco.companies:
                out.append(
                    Finding(
                        "orphan_record",
                        "",
                        name,
                        N_("company {id} does not exist"),
                        (("id", repr(company_id)),),
                    )
                )
            elif record_park(eco, record) not in eco.parks:
                park_id = getattr(record, "park_id", None)
                out.append(
                    Finding(
                        "orphan_record",
                        "",
                        name,
                        N_("park {id} does not exist"),
                        (("id", repr(park_id)),),
                    )
                )
    return out


CHECKS: tuple[Callable[[Ecosystem], list[Finding]], ...] = (
    missing_parents,
    unknown_commodities,
    missing_flow_nodes,
    negative_quantities,
    duplicate_flows,
    outputs_without_inputs,
    land_use_over_area,
    orphan_records,
)


def check(eco: Ecosystem, *, strict: bool = False, warn: bool = True) -> list[Finding]:
    """Run every consistency check and return the findings.

    Parameters
    ----------
    eco
        The model to check.
    strict
        Raise :class:`~sinergi.errors.ConsistencyError` listing every finding, if any.
    warn
        When not strict, also emit one :class:`ConsistencyWarning` per finding.
    """
    findings = [finding for run in CHECKS for finding in run(eco)]
    if strict and findings:
        raise ConsistencyError(
            msg(
                N_("{count} consistency problem(s):\n{findings}"),
                count=Num(len(findings)),
                findings=listed(findings, sep="\n"),
            )
        )
    if warn:
        for finding in findings:
            warnings.warn(str(finding), ConsistencyWarning, stacklevel=2)
    return findings
