"""Environmental indicators: energy, GHG, water, wastewater, solid waste, B3 handling, symbiosis.

Boundary conventions (docs/architecture.md): energy and water *use* is what the park's
members receive from outside the park; waste fate is read from the waste flow's target; a
relevant flow with an unknown quantity makes the result ``insufficient_data``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from sinergi.assess.indicator import (
    IndicatorResult,
    IndicatorStatus,
    commodity_name,
    data_gap,
    insufficient,
    kind_of,
    share_result,
    sum_by_commodity,
)
from sinergi.assess.messages import Msg, Num, msg
from sinergi.assess.view import ParkView
from sinergi.i18n import N_
from sinergi.model import CommodityKind, ExternalKind, Flow, WasteHazard
from sinergi.reference.factors import Factors
from sinergi.units import Dimension

#: Energy carriers that count as symbiosis when exchanged between companies.
_EXCHANGE_ENERGY = frozenset({"steam", "waste_heat"})


# -- energy and climate ------------------------------------------------------------------
def energy_use(view: ParkView, factors: Factors) -> IndicatorResult:
    """Energy carriers received from outside the park; total in MWh over energy-unit carriers."""
    flows = [f for f in view.inbound() if kind_of(view, f) is CommodityKind.ENERGY]
    none = msg(N_("no energy flowing into the park is reported (Flows sheet)"))
    if gap := data_gap(view, "energy_use", "MWh", flows, none):
        return gap
    cat = view.eco.catalogue
    by = sum_by_commodity(flows)
    mwh = {c: q for c, q in by.items() if cat.get(c).dimension is Dimension.ENERGY}
    fuels = {c: q for c, q in by.items() if c not in mwh}
    notes = tuple(
        msg(
            N_("{fuel}: {quantity} {unit} is not in the MWh total (no sourced calorific value)"),
            fuel=commodity_name(view, c),
            quantity=Num(q, 1),
            unit=cat.get(c).unit,
        )
        for c, q in sorted(fuels.items())
    )
    return IndicatorResult(
        "energy_use",
        sum(mwh.values()),
        "MWh",
        IndicatorStatus.OK,
        detail=by,
        rows=len(flows),
        notes=notes,
    )


def _electricity(view: ParkView, flows: Iterable[Flow]) -> list[Flow]:
    cat = view.eco.catalogue
    return [
        f
        for f in flows
        if f.commodity in cat
        and f.commodity.startswith("electricity")
        and cat.get(f.commodity).dimension is Dimension.ENERGY
    ]


def _flow_share(
    view: ParkView,
    ind: str,
    flows: list[Flow],
    part: Callable[[Flow], bool],
    names: tuple[Msg, Msg],
    notes: tuple[Msg, ...] = (),
) -> IndicatorResult:
    """Return the share of ``flows`` (by quantity) for which ``part`` holds, in percent.

    ``names`` are the messages when nothing is reported and when the total is zero; an
    all-zero total is insufficient data, not 0 %.
    """
    none_reported, zero = names
    if gap := data_gap(view, ind, "%", flows, none_reported):
        return gap
    quantities = [f.quantity or 0.0 for f in flows]
    selected = [f.quantity or 0.0 for f in flows if part(f)]
    if not any(quantities):
        return insufficient(ind, "%", zero)
    cat = view.eco.catalogue
    units = {cat.get(f.commodity).unit for f in flows if f.commodity in cat}
    return share_result(
        ind,
        selected,
        quantities,
        len(flows),
        notes=notes,
        quantity_unit=units.pop() if len(units) == 1 else None,
    )


def renewable_share(view: ParkView, factors: Factors) -> IndicatorResult:
    """Share of electricity received by members that is renewable (grid power counts as not)."""
    cat = view.eco.catalogue
    return _flow_share(
        view,
        "renewable_share",
        _electricity(view, view.received()),
        lambda f: bool(cat.get(f.commodity).renewable),
        (
            msg(N_("no electricity use is reported (Flows sheet)")),
            msg(N_("the electricity reported adds up to zero")),
        ),
        (
            msg(
                N_(
                    "grid electricity without a renewable-energy certificate counts as not "
                    "renewable"
                )
            ),
        ),
    )


def scope1_ghg(view: ParkView, factors: Factors) -> IndicatorResult:
    """Direct GHG emissions reported from members to air, in t CO2e (GWP-100)."""
    flows = [
        f
        for f in view.outbound()
        if f.commodity in factors.gwp100
        and f.target in view.eco.externals
        and view.eco.externals[f.target].kind is ExternalKind.AIR
    ]
    none = msg(N_("no CO2, CH4 or N2O emissions to air are reported (Flows sheet)"))
    if gap := data_gap(view, "scope1_ghg", "t CO2e", flows, none):
        return gap
    by_gas = sum_by_commodity(flows)
    co2e = {gas: q * factors.gwp100[gas] for gas, q in by_gas.items()}
    return IndicatorResult(
        "scope1_ghg",
        sum(co2e.values()),
        "t CO2e",
        IndicatorStatus.OK,
        detail=co2e,
        rows=len(flows),
        sources=(factors.gwp_basis,),
    )


def scope2_ghg(view: ParkView, factors: Factors) -> IndicatorResult:
    """Emissions of grid electricity bought by members, by grid-region factor, in t CO2e."""
    flows = [
        f
        for f in _electricity(view, view.inbound())
        if f.source in view.eco.externals and view.eco.externals[f.source].kind is ExternalKind.GRID
    ]
    none = msg(N_("no grid electricity purchases are reported (Flows sheet)"))
    if gap := data_gap(view, "scope2_ghg", "t CO2e", flows, none):
        return gap
    no_factor = sorted({f.source for f in flows if f.source not in factors.grid})
    if no_factor:
        return insufficient(
            "scope2_ghg",
            "t CO2e",
            msg(
                N_("sinergi has no sourced emission factor for the grid {grid}"),
                grid=", ".join(no_factor),
            ),
        )
    detail: dict[str, float] = defaultdict(float)
    for f in flows:
        detail[f.source] += (f.quantity or 0.0) * factors.grid[f.source].value
    sources = tuple(sorted({factors.grid[f.source].source for f in flows}))
    return IndicatorResult(
        "scope2_ghg",
        sum(detail.values()),
        "t CO2e",
        IndicatorStatus.OK,
        detail=dict(detail),
        rows=len(flows),
        sources=sources,
        notes=(msg(N_("JCM grid factors cover CO2 only and are conservative (set low)")),),
    )


def ghg_intensity(view: ParkView, factors: Factors) -> IndicatorResult:
    """Scope 1 + 2 emissions per tonne of products shipped out of the park."""
    s1, s2 = scope1_ghg(view, factors), scope2_ghg(view, factors)
    missing = s1.missing + s2.missing
    if s1.status is IndicatorStatus.INSUFFICIENT and s2.status is IndicatorStatus.INSUFFICIENT:
        return insufficient("ghg_intensity", "t CO2e/t product", *missing)
    cat = view.eco.catalogue
    products = [
        f
        for f in view.outbound()
        if kind_of(view, f) is CommodityKind.PRODUCT
        and cat.get(f.commodity).dimension is Dimension.MASS
    ]
    none = msg(N_("no products shipped out of the park are reported (Flows sheet)"))
    if gap := data_gap(view, "ghg_intensity", "t CO2e/t product", products, none):
        return gap
    tonnes = sum(f.quantity or 0.0 for f in products)
    emissions = (s1.value or 0.0) + (s2.value or 0.0)
    notes = tuple(msg(N_("partial: {reason}"), reason=m) for m in missing)
    return IndicatorResult(
        "ghg_intensity",
        emissions / tonnes,
        "t CO2e/t product",
        IndicatorStatus.OK,
        detail={"t_CO2e": emissions, "t_product": tonnes},
        rows=s1.rows + s2.rows + len(products),
        notes=notes,
        sources=s1.sources + s2.sources,
    )


# -- water and wastewater ----------------------------------------------------------------
def water_withdrawal(view: ParkView, factors: Factors) -> IndicatorResult:
    """Fresh and sea water received from outside the park, by source, in m3."""
    flows = [
        f
        for f in view.inbound()
        if kind_of(view, f) is CommodityKind.WATER and f.commodity != "water_recycled"
    ]
    none = msg(N_("no water intake is reported (Flows sheet)"))
    if gap := data_gap(view, "water_withdrawal", "m3", flows, none):
        return gap
    by = sum_by_commodity(flows)
    return IndicatorResult(
        "water_withdrawal", sum(by.values()), "m3", IndicatorStatus.OK, detail=by, rows=len(flows)
    )


def water_reuse_share(view: ParkView, factors: Factors) -> IndicatorResult:
    """Recycled water as a share of all water received by members."""
    return _flow_share(
        view,
        "water_reuse_share",
        [f for f in view.received() if kind_of(view, f) is CommodityKind.WATER],
        lambda f: f.commodity == "water_recycled",
        (
            msg(N_("no water use is reported (Flows sheet)")),
            msg(N_("the water use reported adds up to zero")),
        ),
    )


#: Wastewater commodities that tenants report (untreated, or treated on site to standard).
_WASTEWATER = frozenset({"wastewater_industrial", "wastewater_treated"})
#: The route that marks a process as a wastewater treatment plant (a park's central WWTP).
WWTP_ROUTE = "wastewater_treatment"


def _is_wwtp(view: ParkView, node: str) -> bool:
    process = view.eco.processes.get(node)
    return process is not None and process.route == WWTP_ROUTE


def _to_treatment(view: ParkView, flow: Flow) -> bool:
    """Return whether a wastewater flow is treated: on site, at a WWTP or by a licensed handler."""
    if flow.commodity == "wastewater_treated" or _is_wwtp(view, flow.target):
        return True
    external = view.eco.externals.get(flow.target)
    return external is not None and external.kind is ExternalKind.WASTE_HANDLER


def _wastewater_sent(view: ParkView) -> list[Flow]:
    """Return the industrial wastewater the park's members send away, each litre once.

    Tenants' flows count where they go (to a WWTP, theirs or the park's, a licensed handler, or
    straight to a water body); transfers between a company's other processes do not. A WWTP's
    own discharge counts only when no inflow to it is reported in the period, because otherwise
    it repeats the tenants' wastewater after treatment.
    """
    flows = [
        f
        for f in view.sent()
        if f.commodity in _WASTEWATER
        and (
            _is_wwtp(view, f.target)  # a tenant's own on-site plant counts too
            or view.company_of.get(f.source) != view.company_of.get(f.target)
        )
    ]
    fed = {f.target for f in flows if _is_wwtp(view, f.target)}
    return [f for f in flows if not (_is_wwtp(view, f.source) and f.source in fed)]


def wastewater_generated(view: ParkView, factors: Factors) -> IndicatorResult:
    """Industrial wastewater sent away by the park's members (treated or not), in m3."""
    flows = _wastewater_sent(view)
    none = msg(N_("no industrial wastewater is reported (Flows sheet)"))
    if gap := data_gap(view, "wastewater_generated", "m3", flows, none):
        return gap
    by = sum_by_commodity(flows)
    return IndicatorResult(
        "wastewater_generated",
        sum(by.values()),
        "m3",
        IndicatorStatus.OK,
        detail=by,
        rows=len(flows),
    )


def wastewater_treated_share(view: ParkView, factors: Factors) -> IndicatorResult:
    """Share of industrial wastewater that is treated: on site, at a WWTP or by a handler.

    Read from the reported flows, not from whether the park has a shared WWTP: a tenant that
    discharges untreated wastewater lowers the share even where a central plant exists.
    """
    return _flow_share(
        view,
        "wastewater_treated_share",
        _wastewater_sent(view),
        lambda f: _to_treatment(view, f),
        (
            msg(N_("no industrial wastewater is reported (Flows sheet)")),
            msg(N_("the industrial wastewater reported adds up to zero")),
        ),
    )


# -- solid waste -------------------------------------------------------------------------
_FATE = {
    ExternalKind.LANDFILL: "landfilled",
    ExternalKind.OPEN_DUMP: "open_dumped",
    ExternalKind.RECYCLER: "recycled",
    ExternalKind.RECOVERY: "recovered",
    ExternalKind.WASTE_HANDLER: "licensed_handler",
}


def _fate(view: ParkView, flow: Flow) -> str:
    if flow.target in view.eco.externals:
        return _FATE.get(view.eco.externals[flow.target].kind, "other")
    return "reused"  # to another company: reuse / symbiosis


def _waste_sent(view: ParkView) -> list[Flow]:
    cat = view.eco.catalogue
    return [
        f
        for f in view.sent()
        if kind_of(view, f) is CommodityKind.WASTE
        and cat.get(f.commodity).dimension is Dimension.MASS
        and view.company_of.get(f.source) != view.company_of.get(f.target)
    ]


def solid_waste_by_fate(view: ParkView, factors: Factors) -> IndicatorResult:
    """Solid waste sent by members, by fate (reused, recycled, recovered, landfilled, …), in t."""
    flows = _waste_sent(view)
    none = msg(N_("no solid waste is reported (Flows sheet)"))
    if gap := data_gap(view, "solid_waste_by_fate", "t", flows, none):
        return gap
    detail: dict[str, float] = defaultdict(float)
    for f in flows:
        detail[_fate(view, f)] += f.quantity or 0.0
    return IndicatorResult(
        "solid_waste_by_fate",
        sum(detail.values()),
        "t",
        IndicatorStatus.OK,
        detail=dict(detail),
        rows=len(flows),
    )


def waste_diversion_share(view: ParkView, factors: Factors) -> IndicatorResult:
    """Share of solid waste reused, recycled or recovered rather than landfilled or dumped."""
    flows = _waste_sent(view)
    return _flow_share(
        view,
        "waste_diversion_share",
        flows,
        lambda f: _fate(view, f) in {"reused", "recycled", "recovered"},
        (
            msg(N_("no solid waste is reported (Flows sheet)")),
            msg(N_("the solid waste reported adds up to zero")),
        ),
    )


def b3_licensed_share(view: ParkView, factors: Factors) -> IndicatorResult:
    """Share of hazardous (B3) waste sent to licensed handlers."""
    cat = view.eco.catalogue
    return _flow_share(
        view,
        "b3_licensed_share",
        [f for f in _waste_sent(view) if cat.get(f.commodity).hazard is WasteHazard.B3],
        lambda f: _fate(view, f) == "licensed_handler",
        (
            msg(N_("no hazardous (B3) waste is reported (Flows sheet)")),
            msg(N_("the hazardous (B3) waste reported adds up to zero")),
        ),
    )


def symbiosis_exchanges(view: ParkView, factors: Factors) -> IndicatorResult:
    """Count exchanges of waste, heat, steam or water between two companies.

    The tonnage of mass-unit exchanges is in ``detail['t']``.
    """
    exchanges: dict[tuple[str, str, str], float | None] = {}
    for f in view.sent():
        src, dst = view.company_of.get(f.source), _company(view, f.target)
        if src is None or dst is None or src == dst:
            continue
        k = kind_of(view, f)
        if k in {CommodityKind.WASTE, CommodityKind.WATER, CommodityKind.WASTEWATER} or (
            f.commodity in _EXCHANGE_ENERGY
        ):
            key = (src, dst, f.commodity)
            previous = exchanges.get(key, 0.0)
            exchanges[key] = (
                None if previous is None or f.quantity is None else (previous + f.quantity)
            )
    cat = view.eco.catalogue
    tonnes = sum(
        q or 0.0 for (_, _, c), q in exchanges.items() if cat.get(c).dimension is Dimension.MASS
    )
    unquantified = sum(q is None for q in exchanges.values())
    notes = (
        (
            msg(
                N_("{count} exchange(s) without a quantity (counted, not in the tonnage)"),
                count=Num(unquantified),
            ),
        )
        if unquantified
        else ()
    )
    return IndicatorResult(
        "symbiosis_exchanges",
        float(len(exchanges)),
        "exchanges",
        IndicatorStatus.OK,
        detail={"t": tonnes},
        rows=len(exchanges),
        notes=notes,
    )


def _company(view: ParkView, node: str) -> str | None:
    """Return the company of a node in this park or in any other park."""
    if node in view.company_of:
        return view.company_of[node]
    eco = view.eco
    if node in eco.processes:
        node = eco.processes[node].facility_id
    if node in eco.facilities:
        node = eco.facilities[node].company_id
    return node if node in eco.companies else None
