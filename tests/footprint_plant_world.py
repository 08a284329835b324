"""One synthetic HPAL plant (flows reported through the intake) for the plant-data tests.

Numbers are made up for the test and chosen so the hand calculation is easy to follow:
10,000 t MHP a year (3,880 t Ni at the generic 0.388 t Ni / t MHP), 42,680 MWh of bought
electricity (11 MWh / t Ni), 2,000 t of coal, 400,000 t of limonite, 40,000 t of limestone
(0.1 t / t ore) and 66,000 t of acid. The company also runs its own power station, whose
coal-fired electricity to the HPAL line is internal to the company.
"""

from __future__ import annotations

from sinergi.model import (
    Company,
    CompanySize,
    DataQuality,
    Ecosystem,
    Facility,
    Flow,
    Ownership,
    Park,
    Period,
    Process,
    Region,
)
from sinergi.model.externals import default_externals

COMPANY = "syn-hpal"
LINE = "syn-hpal.line"
POWER = "syn-hpal.power"
PERIOD = "2024"


def _row(source: str, target: str, commodity: str, quantity: float) -> dict[str, object]:
    return {"source": source, "target": target, "commodity": commodity, "quantity": quantity}


def hpal_rows(line: str = LINE) -> list[dict[str, object]]:
    """Return the plant's flows as submission rows (canonical units: t, MWh)."""
    return [
        _row("supplier", line, "laterite_ore_limonite", 400_000.0),
        _row("grid.sulselbar", line, "electricity", 38_800.0),
        _row("supplier", line, "electricity_coal", 3_880.0),
        _row("supplier", line, "coal", 2_000.0),
        _row("supplier", line, "limestone", 40_000.0),
        _row("supplier", line, "sulfuric_acid", 66_000.0),
        _row("supplier", line, "water_seawater", 5_000.0),
        _row(POWER, line, "electricity_coal", 9_999.0),
        _row(line, "market", "mhp", 10_000.0),
    ]


def hpal_ecosystem() -> Ecosystem:
    """Return a synthetic park with the HPAL company, its line and its power station."""
    eco = Ecosystem()
    eco.add(Region("syn-region", "Synthetic province"), *default_externals())
    eco.add(
        Park("syn-park", "Synthetic nickel park", region_id="syn-region", synthetic=True),
        Company(
            COMPANY, "syn-park", "Synthetic HPAL", ("24202",), CompanySize.LARGE,
            Ownership.FOREIGN, synthetic=True,
        ),
        Facility("syn-hpal.site", COMPANY, "HPAL site"),
        Process(LINE, "syn-hpal.site", "HPAL line"),
        Process(POWER, "syn-hpal.site", "Captive power station"),
    )  # fmt: skip
    p = Period.parse(PERIOD)
    q = DataQuality.SYNTHETIC
    eco.flows += [
        Flow(p, str(r["source"]), str(r["target"]), str(r["commodity"]), float(r["quantity"]), q)  # type: ignore[arg-type]
        for r in hpal_rows()
    ]  # fmt: skip
    return eco
