"""A product's footprint with its functional unit, provenance and contributions.

:class:`FootprintResult` holds everything a report needs: the score in t CO2e for the
functional unit stated in the data ("t Ni contained in NPI"), the exchanges known to be missing
(so a total is a lower bound, never silently complete), the processes that add nothing because
their own exchanges are missing, the parameters used with their provenance, and the
breakdowns of :mod:`sinergi.footprint.contributions`. :meth:`FootprintResult.to_dict` gives
JSON in one language; reports render the object itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from sinergi.footprint.contributions import (
    NEGLIGIBLE,
    by_gas,
    by_process,
    by_scope,
    by_stage,
    pass_through,
    power_drawn,
    sankey,
)
from sinergi.footprint.inventory import Parameter
from sinergi.footprint.lca.system import LcaSystem
from sinergi.footprint.network import Network
from sinergi.footprint.schema import Text
from sinergi.footprint.shares import primary_share as one_tier_share
from sinergi.footprint.shares import share_resting_on
from sinergi.i18n import N_, format_number, gettext
from sinergi.reference import describe


@dataclass(frozen=True)
class FootprintResult:
    """The footprint of one functional unit of a product, with its provenance.

    Attributes
    ----------
    product, column, unit
        Product name asked for, its matrix column and the column's reference unit.
    functional_unit
        What one unit of the product is, from the data ("t Ni contained in NPI"): the one
        source of the wording every view uses.
    amount
        Functional-unit amount (in ``unit``).
    score
        t CO2e for ``amount`` of the product (GWP100 of ``method``).
    illustrative_share
        Share of ``score`` emitted by exchanges whose amount or factor is illustrative.
    illustrative_inputs
        Technosphere exchanges on the supply chain whose amount is illustrative.
    missing
        Exchanges known to exist but absent (no data), by process: ``score`` is a lower bound
        whenever this is not empty.
    pass_through
        Processes on the chain that add nothing because their own exchanges are missing: the
        total equals the footprint of what they take in (a data gap, not a result).
    parameters
        The parameters the chain reads, with their provenance.
    """

    product: str
    column: str
    unit: str
    functional_unit: Text
    amount: float
    score: float
    method: str
    route: str | None
    scenario: str | None
    illustrative_share: float
    illustrative_inputs: list[str]
    missing: dict[str, list[Text]]
    pass_through: list[str]
    allocations: dict[str, dict[str, Any]]
    by_process: dict[str, float]
    by_stage: dict[str, float]
    by_gas: dict[str, float]
    by_scope: dict[str, float]
    sankey: dict[str, list[dict[str, Any]]]
    parameters: dict[str, Parameter]
    solver: str
    process_names: dict[str, Text] = field(default_factory=dict)
    stage_names: dict[str, Text] = field(default_factory=dict)
    route_label: Text | None = None
    scenario_label: Text | None = None
    #: share of ``score`` that is primary data: the plant's own activity data with its
    #: immediate suppliers' direct emissions (:func:`~sinergi.footprint.shares.primary_share`);
    #: the rest, suppliers' supply chains included, is secondary
    primary_share: float = 0.0
    #: share of ``score`` the plant's values decide: everything carried through an exchange
    #: reading one (:func:`~sinergi.footprint.shares.share_resting_on`); not the primary share
    plant_decided_share: float = 0.0
    #: exchanges on the chain whose amount is the plant's own data ("process <- input: formula")
    plant_inputs: list[str] = field(default_factory=list)
    #: the same footprint on generic data alone (``None``: not computed, or no generic model)
    generic_score: float | None = None
    refs: tuple[str, ...] = ()
    monte_carlo: dict[str, Any] | None = field(default=None)

    def sources(self) -> list[str]:
        """Return the bibliography keys the result rests on (parameters, then scenario)."""
        keys = [k for p in self.parameters.values() if p.provenance for k in p.provenance.refs]
        return list(dict.fromkeys([*keys, *self.refs]))

    @property
    def complete(self) -> bool:
        """Return whether no exchange on the supply chain is known to be missing."""
        return not self.missing

    def amount_text(self, lang: str) -> str:
        """Return the functional unit with its amount, e.g. ``1 t Ni contained in NPI``."""
        return f"{format_number(self.amount, lang, _digits(self.amount))} {self.per(lang)}"

    def per(self, lang: str) -> str:
        """Return what the score is per: ``t Ni contained in NPI``, or ``2 t …`` for 2."""
        unit = self.functional_unit.in_(lang)
        if self.amount == 1.0:
            return unit
        return f"{format_number(self.amount, lang, _digits(self.amount))} {unit}"

    def score_unit(self, lang: str) -> str:
        """Return the unit of the score, e.g. ``t CO2e per t Ni contained in NPI``."""
        # "per …" alone is the catalogue message: a unit fragment such as "t CO2e per" would
        # read as English left on other areas' Indonesian pages (tests/i18n_checks.py)
        per = gettext(lang, "per {functional_unit}").format(functional_unit=self.per(lang))
        return f"t CO2e {per}"

    def process_name(self, process: str, lang: str) -> str:
        """Return a process's name in ``lang`` (its id when it has none)."""
        text = self.process_names.get(process)
        return text.in_(lang) if text is not None else process

    def stage_name(self, stage: str, lang: str) -> str:
        """Return a stage's name in ``lang`` (its key when it has none)."""
        text = self.stage_names.get(stage)
        return text.in_(lang) if text is not None else stage

    def pass_through_note(self, lang: str) -> str | None:
        """Return the note saying which processes add nothing for lack of data, if any."""
        if not self.pass_through:
            return None
        names = "; ".join(self.process_name(p, lang) for p in self.pass_through)
        return gettext(lang, PASS_THROUGH_NOTE).format(processes=names)

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """Return a JSON-ready dict, its texts in ``lang``."""
        return {
            "product": self.product,
            "column": self.column,
            "functional_unit": self.amount_text(lang),
            "score_t_co2e": self.score,
            "score_unit": self.score_unit(lang),
            "method": self.method,
            "route": self.route,
            "scenario": self.scenario,
            "complete": self.complete,
            "lower_bound": not self.complete,
            "illustrative_share": self.illustrative_share,
            "illustrative_inputs": self.illustrative_inputs,
            "missing": {p: [m.in_(lang) for m in items] for p, items in self.missing.items()},
            "adds_nothing_for_lack_of_data": self.pass_through,
            "note": self.pass_through_note(lang),
            "allocations": self.allocations,
            "contributions": {
                "by_process": self.by_process,
                "by_stage": self.by_stage,
                "by_gas": self.by_gas,
                "by_scope": self.by_scope,
            },
            "sankey": self.sankey,
            "parameters": {name: parameter_record(p, lang) for name, p in self.parameters.items()},
            "solver": self.solver,
            "monte_carlo": self.monte_carlo,
            "plant_data": {
                "primary_share": self.primary_share,
                "primary_share_means": gettext(lang, PRIMARY_SHARE_MEANS),
                "secondary_share": 1.0 - self.primary_share,
                "decided_by_plant_values_share": self.plant_decided_share,
                "decided_by_plant_values_means": gettext(lang, DECIDED_SHARE_MEANS),
                "exchanges": self.plant_inputs,
                "generic_score_t_co2e": self.generic_score,
                "difference_t_co2e": None
                if self.generic_score is None
                else self.score - self.generic_score,
            },
        }

    def illustrative_names(self) -> list[str]:
        """Return the names of the illustrative parameters this result reads."""
        return [name for name, p in self.parameters.items() if p.illustrative]


#: Said under a result whose chain holds processes that add nothing for lack of data.
PASS_THROUGH_NOTE = N_(
    "These processes add no emissions because their own exchanges are missing, so the total "
    "equals the footprint of what they take in: {processes}."
)
#: What the primary-data share counts, said next to it.
PRIMARY_SHARE_MEANS = N_(
    "Primary data: the emissions of the plant's own reported amounts at the plant and at its "
    "immediate suppliers (their direct emissions); the suppliers' own supply chains are "
    "secondary data."
)
#: What the share decided by plant values counts, said next to it.
DECIDED_SHARE_MEANS = N_(
    "Decided by plant values: everything carried through an exchange whose amount the plant "
    "reported, generic upstream chains included; it shows how much the plant's values move "
    "the total, not how much of it is primary data."
)
#: Provenance of a value a scenario or the user set.
SET_BY_USER = N_("set by the scenario or by the user")


def parameter_record(parameter: Parameter, lang: str = "en") -> dict[str, Any]:
    """Return a parameter's value, range and provenance as JSON-ready data."""
    prov = parameter.provenance
    return {
        "value": parameter.value,
        "unit": parameter.unit.in_(lang),
        "low": parameter.low,
        "high": parameter.high,
        "illustrative": parameter.illustrative,
        "user": parameter.user,
        "plant_data": parameter.plant,
        "source": gettext(lang, SET_BY_USER) if prov is None else describe(prov, lang),
        "provenance": None if prov is None else prov.record(),
    }


def _digits(amount: float) -> int:
    return 0 if float(amount).is_integer() else 3


def provenance(
    net: Network, supply: npt.NDArray[np.float64]
) -> tuple[list[str], dict[str, list[Text]], dict[str, Parameter]]:
    """Return illustrative inputs, missing exchanges and parameters used on the chain."""
    active = {net.labels[j] for j in np.flatnonzero(np.abs(supply) > NEGLIGIBLE)}
    used: set[str] = set()
    inputs: list[str] = []
    processes: set[str] = set()
    for e in net.entries:
        if e.column not in active:
            continue
        processes.add(e.process)
        used.update(e.parameters)
        if e.matrix == "technosphere" and e.illustrative:
            inputs.append(f"{e.process} <- {e.row}: {e.formula}")
    processes.update(net.column_process[int(net.columns.index([c])[0])] for c in active)
    missing = {p: list(net.missing[p]) for p in sorted(processes) if p in net.missing}
    params = {name: p for name, p in sorted(net.parameters.items()) if name in used}
    return sorted(set(inputs)), missing, params


def footprint_result(
    net: Network,
    system: LcaSystem,
    product: str,
    column: str,
    amount: float = 1.0,
    *,
    route: str | None = None,
    scenario: str | None = None,
    functional_unit: Text | None = None,
) -> FootprintResult:
    """Solve one product's footprint on a built network and its (shared) LCA system.

    ``functional_unit`` is the product's from the data; without one, the column's reference
    unit and label stand for it ("t Ni in NPI").
    """
    j = int(net.columns.index([column])[0])
    demand = net.demand(column, amount)
    solved = system.solve(demand)
    supply = solved.supply[:, 0]
    total = float(solved.scores[0])
    unit_scores = system.unit_scores()
    direct = np.asarray(system.biosphere.T @ system.factors) * supply
    drawn = power_drawn(net, supply, unit_scores)
    plant = {name for name, p in net.parameters.items() if p.plant}
    inputs, missing, params = provenance(net, supply)
    active = {net.labels[i] for i in np.flatnonzero(np.abs(supply) > NEGLIGIBLE)}
    unit = net.column_unit[j]
    label = net.column_label[j]
    return FootprintResult(
        product=product,
        column=column,
        unit=unit,
        functional_unit=functional_unit or Text(en=f"{unit} {label.en}", id=f"{unit} {label.id}"),
        amount=amount,
        score=total,
        method=net.method,
        route=route,
        scenario=scenario,
        illustrative_share=share_resting_on(
            net, supply, demand, total, lambda e: e.illustrative, factors=True
        ),
        primary_share=one_tier_share(net, supply, total, plant),
        plant_decided_share=share_resting_on(
            net, supply, demand, total, lambda e: bool(plant.intersection(e.parameters))
        )
        if plant
        else 0.0,
        plant_inputs=_plant_inputs(net, supply, plant),
        illustrative_inputs=inputs,
        missing=missing,
        pass_through=pass_through(net, supply, direct, drawn),
        allocations={
            k: {"method": a.method, "factors": a.factors, "basis": a.basis}
            for k, a in net.allocations.items()
            if active & set(a.factors)
        },
        by_process=by_process(net, direct),
        by_stage=by_stage(net, direct, supply, unit_scores, total),
        by_gas=by_gas(net, solved.inventory[:, 0]),
        by_scope=by_scope(net, j, direct, supply, unit_scores, total),
        sankey=sankey(net, supply, unit_scores),
        parameters=params,
        solver=system.solver,
        process_names=net.process_names,
        stage_names=net.stage_names,
    )


def _plant_inputs(net: Network, supply: npt.NDArray[np.float64], plant: set[str]) -> list[str]:
    """Return the chain's exchanges whose amount reads the plant's own values."""
    if not plant:
        return []
    active = {net.labels[j] for j in np.flatnonzero(np.abs(supply) > NEGLIGIBLE)}
    return sorted(
        {
            f"{e.process} <- {e.row}: {e.formula}"
            if e.matrix == "technosphere"
            else f"{e.process} -> {e.row}: {e.formula}"
            for e in net.entries
            if e.column in active and plant.intersection(e.parameters)
        }
    )
