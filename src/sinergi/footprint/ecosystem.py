"""Footprint columns from an ecosystem's processes and their reported flows.

Each process node with flows in the period becomes one foreground column: its reference
output is the total of its output flows of one product (or energy/material) commodity, and
every other flow is divided by it to give per-unit exchanges. Inputs from another process
point to that process's column; inputs from external nodes (suppliers, grids) point to the
route inventory's background processes through ``ecosystem.providers`` in ``routes.yaml``;
emissions to the environment become biosphere entries. Waste received from another tenant
comes burden-free (cut-off) and is recorded as such.

Unknown quantities (``None``) are never read as zero: they are listed as missing exchanges,
so the footprint is a lower bound. Errors name the process and the flow.

Examples
--------
>>> from sinergi.examples import tiny_park
>>> net = ecosystem_network(tiny_park(), "2024")
>>> len(net.labels) > 0
True
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import TYPE_CHECKING

from sinergi.errors import InvalidReferenceOutput, InventoryError, MissingFactor, UnitMismatch
from sinergi.footprint.inventory import Inventory, load_inventory
from sinergi.footprint.network import (
    POWER_STAGE,
    Column,
    Entry,
    Network,
    Settings,
    assemble,
    build_network,
    effective_parameters,
)
from sinergi.footprint.schema import Text
from sinergi.i18n import N_
from sinergi.model import Ecosystem, Flow, Period
from sinergi.model.commodities import Commodity, CommodityKind, default_catalogue

if TYPE_CHECKING:
    from sinergi.footprint.results import FootprintResult
    from sinergi.footprint.scenarios import FootprintModel

#: Commodity kinds that can be a process's reference output.
_REFERENCE_KINDS = {CommodityKind.PRODUCT, CommodityKind.ENERGY, CommodityKind.MATERIAL}

#: Stage of a foreground process by its smelter route (see ``SmelterRoute``).
_ROUTE_STAGE = {
    "rkef_npi": "smelting",
    "rkef_feni": "smelting",
    "hpal": "leaching",
    "matte_converter": "converting",
    "nickel_sulfate": "refining",
    "precursor": "precursor",
    "cathode": "cathode",
}

#: Background providers of inputs that come from outside the ecosystem, by commodity; grid
#: electricity is resolved from the grid node id (``grid.<region>`` -> ``power.grid.<region>``).
EXTERNAL_PROVIDERS = {
    "laterite_ore_saprolite": "ore.saprolite",
    "laterite_ore_limonite": "ore.limonite",
    "sulfuric_acid": "sulfuric_acid",
}

#: Emission commodities and their characterised flow; non-greenhouse gases are not counted
#: by GWP100 and are skipped (listed in the result's missing notes would be wrong: they are
#: outside the method, not missing).
EMISSION_FLOWS = {"co2": "co2", "n2o": "n2o"}
NOT_GHG = {"so2", "nox", "pm"}


def _reference(
    pid: str, outs: list[Flow], catalogue: Mapping[str, Commodity], chosen: str | None
) -> tuple[str, float]:
    candidates = sorted(
        {f.commodity for f in outs if catalogue[f.commodity].kind in _REFERENCE_KINDS}
    )
    if chosen is None:
        if len(candidates) != 1:
            raise InventoryError(
                f"process {pid!r} has {len(candidates)} candidate reference outputs "
                f"{candidates}; name one with reference={{{pid!r}: <commodity>}}"
            )
        chosen = candidates[0]
    amounts = [f.quantity for f in outs if f.commodity == chosen]
    if not amounts or all(q is None for q in amounts):
        raise InvalidReferenceOutput(
            f"process {pid!r}: reference output {chosen!r} is not reported or has an unknown "
            "quantity; report it so the process can be scaled"
        )
    total = float(sum(q for q in amounts if q is not None))
    if total <= 0:
        raise InvalidReferenceOutput(
            f"process {pid!r}: reference output {chosen!r} totals {total:g}; give a positive amount"
        )
    return chosen, total


def _external(flow: Flow, background: Network) -> str | None:
    if flow.source.startswith("grid."):
        column = "power." + flow.source
    else:
        column = EXTERNAL_PROVIDERS.get(flow.commodity, "")
    return column if column in background.columns else None


class _Foreground:
    """Collects foreground columns, entries and notes."""

    def __init__(self, eco: Ecosystem, period: Period, background: Network) -> None:
        self.eco = eco
        self.period = period
        self.background = background
        self.catalogue = {c: default_catalogue().get(c) for c in _commodities(eco, period)}
        self.columns: list[Column] = []
        self.entries: list[Entry] = []
        self.missing: dict[str, list[Text]] = defaultdict(list)
        self.reference: dict[str, tuple[str, float]] = {}

    def read(self, park: str | None, reference: Mapping[str, str] | None) -> None:
        """Make a column of every process of ``park`` with outputs in the period."""
        pids = [p for p in self.eco.processes if park is None or self.eco.park_of(p) == park]
        outs: dict[str, list[Flow]] = defaultdict(list)
        ins: dict[str, list[Flow]] = defaultdict(list)
        for f in self.eco.flows:
            if f.period == self.period:
                outs[f.source].append(f)
                ins[f.target].append(f)
        chosen = dict(reference or {})
        for pid in pids:
            if outs.get(pid):
                self.reference[pid] = _reference(pid, outs[pid], self.catalogue, chosen.get(pid))
                self._note_unknown_outputs(pid, outs[pid])
        for pid, (commodity, _) in self.reference.items():
            name = Text.same(self.eco.processes[pid].name)
            unit = self.catalogue[commodity].unit
            self.columns.append((pid, pid, self.stage(pid, commodity), unit, name))
            for f in ins.get(pid, []):
                self.add_input(pid, f)
            for f in outs[pid]:
                self.add_output(pid, f)

    def _note_unknown_outputs(self, pid: str, outs: list[Flow]) -> None:
        ref = self.reference[pid][0]
        if any(f.quantity is None for f in outs if f.commodity == ref):
            self.missing[pid].append(
                Text.translated(
                    N_(
                        "some outputs of {commodity} have no reported quantity; results "
                        "are per unit of the reported outputs only"
                    ),
                    commodity=self.name(ref),
                )
            )

    def functional_unit(self, pid: str) -> Text:
        """Return one unit of a process's reference output, e.g. ``t Nickel pig iron (NPI)``."""
        commodity = self.reference[pid][0]
        unit, name = self.catalogue[commodity].unit, self.name(commodity)
        return Text(en=f"{unit} {name.en}", id=f"{unit} {name.id}")

    def name(self, commodity: str) -> Text:
        """Return a commodity's name in both languages (its id when not catalogued)."""
        item = self.catalogue.get(commodity)
        return Text(en=item.name_en, id=item.name_id) if item else Text.same(commodity)

    def stage(self, pid: str, commodity: str) -> str:
        if self.catalogue[commodity].kind is CommodityKind.ENERGY:
            return POWER_STAGE
        return _ROUTE_STAGE.get(self.eco.processes[pid].route or "", "foreground")

    def add_input(self, pid: str, flow: Flow) -> None:
        where = f"process {pid!r} input {flow.commodity!r} from {flow.source!r}"
        if flow.quantity is None:
            self.missing[pid].append(
                Text.translated(
                    N_("input of {commodity} from {source}: quantity not reported"),
                    commodity=self.name(flow.commodity),
                    source=flow.source,
                )
            )
            return
        per_unit = flow.quantity / self.reference[pid][1]
        unit = self.catalogue[flow.commodity].unit
        if flow.source in self.reference:
            ref, _ = self.reference[flow.source]
            if ref != flow.commodity:
                if self.catalogue[flow.commodity].kind is CommodityKind.WASTE:
                    self.missing[pid].append(
                        Text.translated(
                            N_("waste {commodity} from {source} received burden-free (cut-off)"),
                            commodity=self.name(flow.commodity),
                            source=flow.source,
                        )
                    )
                    return
                ref_unit = self.catalogue[ref].unit
                error = UnitMismatch if ref_unit != unit else InventoryError
                raise error(
                    f"{where}: the provider's reference output is {ref!r} ({ref_unit}), not "
                    f"{flow.commodity!r} ({unit}); report the flow as its reference product"
                )
            provider = flow.source
        else:
            found = _external(flow, self.background)
            if found is None:
                self.missing[pid].append(
                    Text.translated(
                        N_("input of {commodity} from {source}: no background process models it"),
                        commodity=self.name(flow.commodity),
                        source=flow.source,
                    )
                )
                return
            provider = found
            ref_unit = self.background.column_unit[int(self.background.columns.index([found])[0])]
            if ref_unit != unit:
                raise UnitMismatch(
                    f"{where}: flow unit {unit!r} differs from {found!r}'s {ref_unit!r}"
                )
        self.entries.append(
            Entry(
                "technosphere", provider, pid, -per_unit, pid, f"flow {flow.quantity:g}", (), False
            )
        )

    def add_output(self, pid: str, flow: Flow) -> None:
        kind = self.catalogue[flow.commodity].kind
        if kind is not CommodityKind.EMISSION:
            return
        where = f"process {pid!r} emission {flow.commodity!r} to {flow.target!r}"
        if flow.commodity in NOT_GHG:
            return
        if flow.commodity not in EMISSION_FLOWS:
            raise MissingFactor(
                f"{where}: no GWP100 flow for commodity {flow.commodity!r}; map it in "
                "sinergi.footprint.ecosystem.EMISSION_FLOWS"
            )
        if flow.quantity is None:
            self.missing[pid].append(
                Text.translated(
                    N_("emission of {commodity} to {target}: quantity not reported"),
                    commodity=self.name(flow.commodity),
                    target=flow.target,
                )
            )
            return
        per_unit = flow.quantity / self.reference[pid][1]
        self.entries.append(
            Entry(
                "biosphere",
                EMISSION_FLOWS[flow.commodity],
                pid,
                per_unit,
                pid,
                f"flow {flow.quantity:g}",
                (),
                False,
            )
        )


def _commodities(eco: Ecosystem, period: Period) -> set[str]:
    return {f.commodity for f in eco.flows if f.period == period}


def ecosystem_network(
    eco: Ecosystem,
    period: Period | str,
    *,
    park: str | None = None,
    reference: Mapping[str, str] | None = None,
    inventory: Inventory | None = None,
    settings: Settings | None = None,
) -> Network:
    """Build a network whose foreground columns are the ecosystem's processes.

    Parameters
    ----------
    eco, period
        The ecosystem and the period whose flows are used.
    park
        Only processes of this park (default: all parks).
    reference
        Reference output commodity by process id, where a process has several products.
    inventory, settings
        Background route inventory and its settings (shipped data, defaults).
    """
    return _foreground_network(
        eco, period, park=park, reference=reference, inventory=inventory, settings=settings
    )[0]


def _foreground_network(
    eco: Ecosystem,
    period: Period | str,
    *,
    park: str | None,
    reference: Mapping[str, str] | None,
    inventory: Inventory | None,
    settings: Settings | None,
) -> tuple[Network, _Foreground]:
    period = Period.parse(period) if isinstance(period, str) else period
    inventory = inventory or load_inventory()
    settings = settings or Settings()
    background = build_network(inventory, settings)
    fg = _Foreground(eco, period, background)
    fg.read(park, reference)
    columns = [
        (
            label,
            background.column_process[i],
            background.column_stage[i],
            background.column_unit[i],
            background.column_label[i],
        )
        for i, label in enumerate(background.labels)
    ]
    missing = dict(background.missing)
    missing.update({k: tuple(v) for k, v in fg.missing.items()})
    net = assemble(
        inventory,
        background.method,
        columns + fg.columns,
        [*background.entries, *fg.entries],
        allocations=background.allocations,
        missing=missing,
        parameters=effective_parameters(inventory, settings.values),
        production={
            label: -1.0
            for label, d in zip(background.labels, background.technosphere.diagonal(), strict=True)
            if d < 0
        },
        process_names={
            **background.process_names,
            **{pid: Text.same(eco.processes[pid].name) for pid in fg.reference},
        },
    )
    return net, fg


def process_footprints(
    model: FootprintModel,
    eco: Ecosystem,
    period: Period | str,
    *,
    park: str | None = None,
    reference: Mapping[str, str] | None = None,
) -> dict[str, FootprintResult]:
    """Return the footprint of one unit of each process's reference output, by process id.

    The processes of a park share one network and one factorisation; each result lists the
    exchanges its process reported as unknown.
    """
    from sinergi.footprint.results import footprint_result

    net, fg = _foreground_network(
        eco,
        period,
        park=park,
        reference=reference,
        inventory=model.inventory,
        settings=model.base,
    )
    system = model.system(net)
    foreground = [label for label in net.labels if label in eco.processes]
    return {
        pid: footprint_result(net, system, pid, pid, functional_unit=fg.functional_unit(pid))
        for pid in foreground
    }
