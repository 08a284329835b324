"""Check modelled route totals against the published totals in ``routes.yaml``.

Each benchmark cites its sources from the bibliography. ``range`` checks that the total
lands in the published range; ``lower_bound`` checks that a total known to lack exchanges
(HPAL electricity and steam) stays at or below the published value; ``context`` only reports.
Every check also reports the share of the modelled total that rests on illustrative values and
the part that does not (``sourced_only``); ``needs_illustrative`` is true when a route lands in
its range only thanks to illustrative values (its sourced part alone would fall below it).

Examples
--------
>>> checks = {c.id: c for c in calibrate()}
>>> checks["rkef-npi-captive-coal"].status
'within'
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from sinergi.footprint.scenarios import FootprintModel
from sinergi.reference import cite

Status = Literal["within", "below", "above", "lower_bound_ok", "lower_bound_exceeded", "context"]


@dataclass(frozen=True, slots=True)
class CalibrationCheck:
    """One modelled total against one published total."""

    id: str
    product: str
    scenario: str | None
    modelled: float
    published: str
    status: Status
    illustrative_share: float | None
    complete: bool
    refs: tuple[str, ...]
    note: str
    year: int
    sourced_only: float | None = 0.0
    needs_illustrative: bool = False
    published_low: float = 0.0
    published_high: float = 0.0
    route: str | None = None
    stage: str | None = None
    unit: str = "t CO2e / t Ni"

    @property
    def passed(self) -> bool:
        """Return whether the check holds (context checks always do)."""
        return self.status in {"within", "lower_bound_ok", "context"}

    @property
    def sources(self) -> list[str]:
        """Return the full citations of the published totals (authors, year, title, URL)."""
        return [cite(key).full() for key in self.refs]

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {**asdict(self), "sources": self.sources, "passed": self.passed}


def calibrate(model: FootprintModel | None = None) -> list[CalibrationCheck]:
    """Run every benchmark of the inventory and return the checks."""
    model = model or FootprintModel()
    out = []
    for bench in model.inventory.doc.benchmarks:
        result = model.footprint(bench.product, route=bench.route, scenario=bench.scenario)
        total = result.score if bench.stage is None else result.by_stage.get(bench.stage, 0.0)
        status: Status
        if bench.check == "range":
            low, high = float(bench.low or 0.0), float(bench.high or 0.0)
            published = f"{low:g}-{high:g}"
            status = "below" if total < low else "above" if total > high else "within"
        elif bench.check == "lower_bound":
            published = f"{bench.value:g}"
            status = (
                "lower_bound_ok" if total <= float(bench.value or 0.0) else "lower_bound_exceeded"
            )
        else:
            published = f"{bench.value:g}"
            status = "context"
        # a stage's own sourced part is not split out of the product's: shown as unknown
        share = result.illustrative_share if bench.stage is None else None
        sourced = None if share is None else total * (1.0 - share)
        out.append(
            CalibrationCheck(
                bench.id,
                bench.product,
                bench.scenario,
                total,
                published,
                status,
                share,
                result.complete,
                bench.refs,
                bench.note,
                bench.year,
                sourced_only=sourced,
                published_low=float(bench.low if bench.low is not None else bench.value or 0.0),
                published_high=float(bench.high if bench.high is not None else bench.value or 0.0),
                needs_illustrative=(
                    status == "within"
                    and bench.low is not None
                    and sourced is not None
                    and sourced < bench.low
                ),
                route=bench.route,
                stage=bench.stage,
                unit=bench.unit,
            )
        )
    return out
