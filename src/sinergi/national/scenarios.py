"""Policy scenarios for the national nickel industry, year by year to 2030, 2045 or 2060.

A scenario is a data file a user edits (:class:`ScenarioSpec`): captive-coal retirements and
a phase-out schedule, co-firing, renewable supply shares, the route rule of PP 28/2025 (no new
smelters that make only NPI, ferronickel or matte), production growth per route, a carbon
price or emission cap, slag and FABA utilisation targets, and a buyer's intensity threshold.
Nothing is assumed that the file does not say: a scenario with no changes reproduces the
baseline accounts exactly, year after year, except for smelters and units the registry itself
dates to later years (their commissioning and start years).

Each year is a :class:`~sinergi.national.accounts.YearState` accounted by the same code as the
baseline, so the deterministic trajectory and the accounts agree to the last digit. With Monte
Carlo draws in the intensities, each year's totals are also computed per draw from the
smelters aggregated once per year (t Ni per route and per power-factor key), so 1,000 draws
cost a few matrix products per year, not 1,000 passes over the registry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Annotated, Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from sinergi.errors import NationalScenarioError
from sinergi.i18n import N_
from sinergi.i18n.messages import items, msg
from sinergi.national.accounts import (
    SmelterAccount,
    Totals,
    YearState,
    account_year,
    base_state,
    draw_count,
    draw_totals,
    percentiles,
)
from sinergi.national.energy import (
    CoalBurnt,
    EnergyPrices,
    RouteCost,
    coal_basis,
    route_costs,
    total_coal,
)
from sinergi.national.inputs import NationalFactors, PowerFactor, RouteIntensity
from sinergi.national.power import Supply, supply_mix
from sinergi.national.registry import (
    INTERMEDIATE_ROUTES,
    Fuel,
    Registry,
    Route,
    Smelter,
    Status,
)
from sinergi.national.utilisation import ALL_ROUTES, Utilisation, unknown_routes
from sinergi.reference import Provenance

__all__ = ["CHECKS", "PRICE_PATHS", "ScenarioSpec", "Trajectory", "YearResult", "run_scenario"]

#: A value that changes over the years: ``{year: value}``, linear between points, flat
#: before the first point (at zero) and after the last.
Path = dict[int, float]


#: The sentences of the scenario's own checks, by pydantic error type (with ``{slots}`` filled
#: from the error's context); file readers render them in the reader's language.
CHECKS: dict[str, str] = {
    "end_before_start": N_("end {end} is before start {start}; give end >= start"),
    "share_out_of_range": N_("{where}: {share} in {year} is not a share between 0 and 1"),
    "price_out_of_range": N_("{where}{price} in {year} is not a price; give a number of 0 or more"),
    "rate_out_of_range": N_(
        "{where}{price} in {year} is not an exchange rate; give a number above 0"
    ),
    "priced_elsewhere": N_("{key} has its own price setting, {setting}; remove it here"),
    "unknown_route": N_("{where}: {route} is not a route; use one of {routes}"),
}

#: The price paths of a scenario file: setting -> whether zero is allowed.
PRICE_PATHS = {
    "carbon_price_idr_per_t": True,
    "grid_tariff_idr_per_kwh": True,
    "coal_price_usd_per_t": True,
    "idr_per_usd": False,
}


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Retirement(_Spec):
    """A captive unit retired in a year, its electricity served by ``replacement``."""

    unit: str
    year: int = Field(ge=1990, le=2100)
    replacement: str = "solar"


class Phaseout(_Spec):
    """Every captive coal unit retired between two years, oldest first, evenly spaced."""

    start: int = Field(ge=1990, le=2100)
    end: int = Field(ge=1990, le=2100)
    replacement: str = "solar"

    @model_validator(mode="after")
    def _ordered(self) -> Phaseout:
        if self.end < self.start:
            raise PydanticCustomError(
                "end_before_start",
                CHECKS["end_before_start"],
                {"end": self.end, "start": self.start},
            )
        return self


class Cofiring(_Spec):
    """Biomass co-firing in coal units: the share of their fuel energy, and biomass's factor."""

    share: Path
    biomass_t_co2e_per_mwh: float = Field(ge=0)
    provenance: Provenance


class Renewables(_Spec):
    """A renewable source's share of electricity, for all smelters or one province or park."""

    source: str
    share: Path
    province: str | None = None
    park: str | None = None


class Production(_Spec):
    """How production moves: growth per route and the utilisation of new capacity.

    ``utilisation`` is one number for every route, or a mapping by route value with ``all``
    for the routes not named; routes given none use the base year's observed utilisation.
    """

    growth: dict[Route, float] = Field(default_factory=dict)
    utilisation: dict[str, Annotated[float, Field(gt=0, le=1)]] = Field(default_factory=dict)

    @field_validator("utilisation", mode="before")
    @classmethod
    def _every_route(cls, value: Any) -> Any:
        """Read one number as every route's utilisation (``{all: number}``), checked here.

        Checked before it becomes a mapping, so that an error names ``production.utilisation``
        as the file writes it (pydantic's own error types, so the catalogues word them).
        """
        if not isinstance(value, int | float) or isinstance(value, bool):
            return value
        if not value > 0:  # also NaN
            raise PydanticCustomError("greater_than", "greater than {gt}", {"gt": 0})
        if value > 1:
            raise PydanticCustomError("less_than_equal", "at most {le}", {"le": 1})
        return {ALL_ROUTES: value}

    @field_validator("utilisation")
    @classmethod
    def _routes(cls, value: dict[str, float]) -> dict[str, float]:
        for key in unknown_routes(value):
            raise PydanticCustomError(
                "unknown_route",
                CHECKS["unknown_route"],
                {
                    "where": "production.utilisation",
                    "route": key,
                    "routes": ", ".join([ALL_ROUTES, *(r.value for r in Route)]),
                },
            )
        return value

    def utilisation_given(self) -> Utilisation:
        """Return the utilisation the scenario gives (every route and by route)."""
        return Utilisation.of_mapping(self.utilisation)


class Targets(_Spec):
    """Utilisation targets (shares of generation put to use) for slag and FABA."""

    slag: Path = Field(default_factory=dict)
    faba: Path = Field(default_factory=dict)


class ScenarioSpec(_Spec):
    """A national policy scenario as read from its data file."""

    version: int = 1
    name: str
    name_id: str | None = None
    description: str | None = None
    base_year: int = Field(ge=2000, le=2100)
    ban_intermediate_only_from: int | None = None
    retirements: tuple[Retirement, ...] = ()
    coal_phaseout: Phaseout | None = None
    cofiring: Cofiring | None = None
    renewables: tuple[Renewables, ...] = ()
    production: Production = Field(default_factory=Production)
    carbon_price_idr_per_t: Path = Field(default_factory=dict)
    grid_tariff_idr_per_kwh: Path = Field(default_factory=dict)
    coal_price_usd_per_t: Path = Field(default_factory=dict)
    idr_per_usd: Path = Field(default_factory=dict)
    power_price_idr_per_kwh: dict[str, Path] = Field(default_factory=dict)
    emission_cap_t: Path = Field(default_factory=dict)
    utilisation_targets: Targets = Field(default_factory=Targets)
    buyer_threshold_t_per_t_ni: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _shares(self) -> ScenarioSpec:
        paths = [("cofiring.share", self.cofiring.share if self.cofiring else {})]
        paths += [(f"renewables[{i}].share", r.share) for i, r in enumerate(self.renewables)]
        paths += [("utilisation_targets.slag", self.utilisation_targets.slag)]
        paths += [("utilisation_targets.faba", self.utilisation_targets.faba)]
        for where, path in paths:
            for year, value in path.items():
                if not 0 <= value <= 1:
                    raise PydanticCustomError(
                        "share_out_of_range",
                        CHECKS["share_out_of_range"],
                        {"where": where, "share": value, "year": year},
                    )
        return self

    @field_validator(*PRICE_PATHS)
    @classmethod
    def _price_path(cls, path: Path, info: ValidationInfo) -> Path:
        _check_prices(path, zero_ok=PRICE_PATHS[str(info.field_name)])
        return path

    @field_validator("power_price_idr_per_kwh")
    @classmethod
    def _power_prices(cls, prices: dict[str, Path]) -> dict[str, Path]:
        for key, path in prices.items():
            if key == "coal" or key.startswith("grid."):
                setting = "coal_price_usd_per_t" if key == "coal" else "grid_tariff_idr_per_kwh"
                raise PydanticCustomError(
                    "priced_elsewhere", CHECKS["priced_elsewhere"], {"key": key, "setting": setting}
                )
            _check_prices(path, zero_ok=True, key=key)
        return prices

    def prices(self, year: int, national: NationalFactors) -> EnergyPrices:
        """Return the prices of ``year``: the file's paths, else the shipped defaults."""

        def price(path: Path, default: float) -> float:
            value = at(path, year, before=None)
            return default if value is None else value

        return EnergyPrices(
            carbon_idr_per_t=price(
                self.carbon_price_idr_per_t, national.carbon_price_idr_per_t.value
            ),
            grid_idr_per_kwh=price(
                self.grid_tariff_idr_per_kwh, national.grid_tariff_idr_per_kwh.value
            ),
            coal_usd_per_t=price(self.coal_price_usd_per_t, national.coal_price_usd_per_t.value),
            idr_per_usd=price(self.idr_per_usd, national.idr_per_usd.value),
            sources={
                key: value
                for key, path in sorted(self.power_price_idr_per_kwh.items())
                if (value := at(path, year, before=None)) is not None
            },
        )


def _check_prices(path: Path, *, zero_ok: bool, key: str = "") -> None:
    """Refuse a negative price (or a rate that is not above zero) of a price path."""
    for year, value in path.items():
        if value < 0 or (value == 0 and not zero_ok):
            kind = "price_out_of_range" if zero_ok else "rate_out_of_range"
            where = f"{key}: " if key else ""
            raise PydanticCustomError(
                kind, CHECKS[kind], {"where": where, "price": _number(value), "year": year}
            )


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def at(path: Path, year: int, before: float | None = 0.0) -> float | None:
    """Return a path's value in ``year``: ``None`` for an empty path, ``before`` before it starts.

    Shares (renewables, co-firing) are zero before their first point; targets, caps and prices
    do not apply before theirs (``before=None``).
    """
    if not path:
        return None
    years = sorted(path)
    if year < years[0]:
        return before
    return float(np.interp(year, years, [path[y] for y in years]))


@dataclass(frozen=True)
class YearResult:
    """One year of a scenario: totals, per-route figures, band and policy checks."""

    year: int
    totals: Totals
    by_route: dict[str, Totals]
    band: dict[str, float] | None
    route_band: dict[str, dict[str, float]]
    coal_mw: float
    carbon_price_idr_per_t: float
    cap_t: float | None
    slag_stockpile_t: float
    faba_stockpile_t: float
    #: prices of the year (the file's paths, else the defaults)
    prices: EnergyPrices | None = None
    #: coal burnt by captive coal units (``None`` without a captive-coal factor)
    coal: CoalBurnt | None = None
    #: coal burnt per route, and the energy and carbon cost per route
    route_coal: dict[str, CoalBurnt] = field(default_factory=dict)
    costs: dict[str, RouteCost] = field(default_factory=dict)
    #: co-firing's biomass share of the coal units' fuel energy this year
    cofiring_share: float = 0.0

    def route_intensity(self, route: str) -> float | None:
        """Return a route's t CO2e per t Ni this year, if its CO2e is known."""
        totals = self.by_route.get(route)
        return None if totals is None else totals.intensity

    def carbon_cost_idr_per_t_ni(self, route: str) -> float | None:
        """Return the carbon cost per t Ni of a route at this year's price."""
        intensity = self.route_intensity(route)
        return None if intensity is None else intensity * self.carbon_price_idr_per_t


@dataclass(frozen=True)
class Trajectory:
    """A scenario's years, with what the run reused."""

    spec: ScenarioSpec
    years: tuple[YearResult, ...]
    draws: int
    aggregations: int
    synthetic: bool

    def year(self, year: int) -> YearResult:
        """Return the result of ``year``."""
        return next(y for y in self.years if y.year == year)


def _check_sources(spec: ScenarioSpec, factors: Mapping[str, PowerFactor]) -> None:
    named = [
        (f"retirements[{i}].replacement", r.replacement) for i, r in enumerate(spec.retirements)
    ]
    if spec.coal_phaseout is not None:
        named.append(("coal_phaseout.replacement", spec.coal_phaseout.replacement))
    named += [(f"renewables[{i}].source", r.source) for i, r in enumerate(spec.renewables)]
    named += [(f"power_price_idr_per_kwh.{key}", key) for key in spec.power_price_idr_per_kwh]
    for where, key in named:
        if key not in factors:
            raise NationalScenarioError(
                msg(
                    N_(
                        "{where}: no emission factor for power source {source}; use one of "
                        "{choices}"
                    ),
                    where=where,
                    source=f"'{key}'",
                    choices=items(sorted(factors)),
                )
            )


def _check_units(spec: ScenarioSpec, registry: Registry) -> None:
    ids = {u.id for u in registry.units}
    for i, retirement in enumerate(spec.retirements):
        if retirement.unit not in ids:
            raise NationalScenarioError(
                msg(
                    N_(
                        "{where}: {unit} is not a power unit of the registry; "
                        "'sinergi smelters show <smelter>' lists a smelter's units"
                    ),
                    where=f"retirements[{i}].unit",
                    unit=f"'{retirement.unit}'",
                )
            )


def _replaced(spec: ScenarioSpec, registry: Registry, year: int) -> dict[str, str]:
    out = {r.unit: r.replacement for r in spec.retirements if r.year <= year}
    phase = spec.coal_phaseout
    if phase is not None:
        coal = sorted(
            (u for u in registry.units if u.fuel is Fuel.COAL),
            key=lambda u: (u.start_year or 0, u.id),
        )
        for k, unit in enumerate(coal):
            step = (phase.end - phase.start) * k / max(len(coal) - 1, 1)
            if phase.start + round(step) <= year:
                out.setdefault(unit.id, phase.replacement)
    return out


def _built(smelter: Smelter, spec: ScenarioSpec, year: int) -> bool:
    """Return whether a not-yet-operating smelter runs in ``year`` under the scenario."""
    start = smelter.commissioning_year
    if smelter.status is Status.RETIRED or start is None or start > year:
        return False
    ban = spec.ban_intermediate_only_from
    return not (ban is not None and smelter.route in INTERMEDIATE_ROUTES and start >= ban)


def _production(
    spec: ScenarioSpec, base: YearState, year: int, utilisation: float | Mapping[Route, float]
) -> dict[str, float]:
    years = year - spec.base_year
    ni = {}
    for smelter in base.registry.smelters:
        growth = (1.0 + spec.production.growth.get(smelter.route, 0.0)) ** years
        if smelter.id in base.ni_t:
            ni[smelter.id] = base.ni_t[smelter.id] * growth if years else base.ni_t[smelter.id]
        elif years > 0 and smelter.status is not Status.OPERATING and _built(smelter, spec, year):
            capacity = _capacity(base.registry, smelter, year)
            if capacity is not None:
                rate = (
                    utilisation
                    if isinstance(utilisation, float | int)
                    else utilisation[smelter.route]
                )
                ni[smelter.id] = capacity * rate * growth
    return ni


def scenario_utilisation(spec: ScenarioSpec, base: YearState) -> dict[Route, float]:
    """Return the utilisation of new capacity by route: the scenario's, else the base year's.

    A route the scenario names uses its value, the others the scenario's value for every
    route, else the base year's observed utilisation (0 when nothing is known).
    """
    given = spec.production.utilisation_given()
    observed = base_utilisation(base) or 0.0
    return {route: given.of(route) or observed for route in Route}


def _capacity(registry: Registry, smelter: Smelter, year: int) -> float | None:
    """Return the smelter's t Ni capacity in ``year``: its record by year, else its own column."""
    recorded = registry.capacity_ni(smelter.id, year)
    return recorded if recorded is not None else smelter.capacity_ni_t


def base_utilisation(base: YearState) -> float | None:
    """Return the base year's utilisation: t Ni produced / t Ni capacity of reporting smelters."""
    made = cap = 0.0
    estimated = set(base.estimate.smelters) if base.estimate is not None else set()
    for smelter in base.registry.smelters:
        capacity = _capacity(base.registry, smelter, base.year)
        if smelter.id in base.ni_t and smelter.id not in estimated and capacity:
            made += base.ni_t[smelter.id]
            cap += capacity
    return made / cap if cap > 0 else None


def _with_renewables(
    supply: dict[str, list[Supply]], spec: ScenarioSpec, registry: Registry, year: int
) -> dict[str, list[Supply]]:
    out = dict(supply)
    for rule in spec.renewables:
        share = at(rule.share, year) or 0.0
        if share <= 0:
            continue
        for smelter in registry.smelters:
            if smelter.id not in out:
                continue
            if rule.province and smelter.province != rule.province:
                continue
            if rule.park and smelter.park != rule.park:
                continue
            scaled = [replace(p, share=p.share * (1 - share)) for p in out[smelter.id]]
            out[smelter.id] = [*scaled, Supply(f"renewable:{rule.source}", rule.source, share)]
    return out


def _year_factors(
    spec: ScenarioSpec, factors: Mapping[str, PowerFactor], year: int
) -> dict[str, PowerFactor]:
    out = dict(factors)
    if spec.cofiring is None or "coal" not in factors:
        return out
    share = at(spec.cofiring.share, year) or 0.0
    coal = factors["coal"]
    bio = spec.cofiring.biomass_t_co2e_per_mwh
    draws = None if coal.draws is None else (1 - share) * coal.draws + share * bio
    out["coal"] = replace(coal, value=(1 - share) * coal.value + share * bio, draws=draws)
    return out


def scenario_state(
    spec: ScenarioSpec,
    base: YearState,
    year: int,
    intensities: Mapping[str, RouteIntensity],
    utilisation: float | Mapping[Route, float],
) -> YearState:
    """Return the state of ``year`` under the scenario.

    ``utilisation`` of new capacity: one for every route, or by route
    (:func:`scenario_utilisation`).
    """
    registry = base.registry
    ni = _production(spec, base, year, utilisation)
    demand = {
        s.id: ni[s.id] * intensities[s.route.value].electricity_mwh
        for s in registry.smelters
        if s.id in ni and s.route.value in intensities
    }
    supply = supply_mix(registry, year, demand, replaced=_replaced(spec, registry, year))
    slag = at(spec.utilisation_targets.slag, year, before=None)
    faba = at(spec.utilisation_targets.faba, year, before=None)
    return YearState(
        year=year,
        registry=registry,
        ni_t=ni,
        product_t=base.product_t if year == spec.base_year else dict.fromkeys(ni),
        supply=_with_renewables(supply, spec, registry, year),
        residue_utilised=base.residue_utilised if slag is None else dict.fromkeys(ni, slag),
        faba_utilised=base.faba_utilised if faba is None else dict.fromkeys(ni, faba),
        unreported=base.unreported,
    )


def run_scenario(
    spec: ScenarioSpec,
    registry: Registry,
    intensities: Mapping[str, RouteIntensity],
    factors: Mapping[str, PowerFactor],
    national: NationalFactors,
    *,
    to: int,
) -> Trajectory:
    """Run ``spec`` from its base year to ``to`` and return the trajectory.

    Raises
    ------
    NationalScenarioError
        When ``to`` is before the base year, or the scenario names units the registry lacks.
    """
    if to < spec.base_year:
        raise NationalScenarioError(
            msg(
                N_("--to {to} is before the scenario's base year {base}; give a later year"),
                to=str(to),
                base=str(spec.base_year),
            )
        )
    _check_units(spec, registry)
    _check_sources(spec, factors)
    base = base_state(registry, spec.base_year, intensities)
    utilisation = scenario_utilisation(spec, base)
    draws = draw_count(intensities)
    years: list[YearResult] = []
    for year in range(spec.base_year, to + 1):
        state = scenario_state(spec, base, year, intensities, utilisation)
        previous = years[-1] if years else None
        years.append(_year(spec, state, intensities, factors, national, draws, previous))
    return Trajectory(spec, tuple(years), draws, len(years), registry.synthetic)


def _year(
    spec: ScenarioSpec,
    state: YearState,
    intensities: Mapping[str, RouteIntensity],
    factors: Mapping[str, PowerFactor],
    national: NationalFactors,
    draws: int,
    previous: YearResult | None,
) -> YearResult:
    """Account one year of the scenario; stockpiles carry on from ``previous``."""
    year = state.year
    year_factors = _year_factors(spec, factors, year)
    accounts, totals = account_year(state, intensities, year_factors, national)
    band, route_band = None, {}
    if draws:
        samples = draw_totals(accounts, intensities, year_factors, draws)
        band = percentiles(samples.pop("national"))
        route_band = {route: percentiles(values) for route, values in samples.items()}
    by_route: dict[str, Totals] = {}
    for account in accounts:
        by_route.setdefault(account.smelter.route.value, Totals()).add(account)
    prices = spec.prices(year, national)
    cofiring = (at(spec.cofiring.share, year) or 0.0) if spec.cofiring else 0.0
    basis = coal_basis(factors["coal"].value, national) if "coal" in factors else None
    by_accounts: dict[str, list[SmelterAccount]] = {}
    for account in accounts:
        by_accounts.setdefault(account.smelter.route.value, []).append(account)
    slag = totals.residue_t - totals.residue_utilised_t - totals.residue_fate_unknown_t
    return YearResult(
        year=year,
        totals=totals,
        by_route=dict(sorted(by_route.items())),
        band=band,
        route_band=route_band,
        coal_mw=_coal_mw(state),
        carbon_price_idr_per_t=prices.carbon_idr_per_t,
        cap_t=at(spec.emission_cap_t, year, before=None),
        slag_stockpile_t=(previous.slag_stockpile_t if previous else 0.0) + slag,
        faba_stockpile_t=(previous.faba_stockpile_t if previous else 0.0)
        + totals.faba_t
        - totals.faba_utilised_t,
        prices=prices,
        coal=None if basis is None else total_coal(accounts, basis, cofiring),
        route_coal={}
        if basis is None
        else {
            r: burnt
            for r, a in sorted(by_accounts.items())
            if (burnt := total_coal(a, basis, cofiring)) is not None
        },
        costs={} if basis is None else route_costs(accounts, prices, basis, cofiring),
        cofiring_share=cofiring,
    )


def _coal_mw(state: YearState) -> float:
    """Return the MW of coal units still burning coal (not replaced) that run this year."""
    burning = {p.unit for parts in state.supply.values() for p in parts if p.factor == "coal"}
    return sum(u.capacity_mw for u in state.registry.units if u.id in burning)
