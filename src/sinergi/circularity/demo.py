"""The national battery forecast and recycling summary written by ``sinergi demo``."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sinergi.circularity.recycling import recycling
from sinergi.circularity.scenarios import forecast

DEMO_SCENARIO = "government-targets"
DEMO_TO = 2045
FILE_NAME = "battery-forecast.json"


def circularity_demo(
    out_dir: Path,
    avoided_t_co2e_per_t: Mapping[str, float] | None = None,
    avoided_basis: str | None = None,
) -> dict[str, Any]:
    """Write ``battery-forecast.json`` (forecast to 2045 and recycling) and return a summary.

    The summary holds the headline numbers of the last year and of 2030 with the count of
    illustrative inputs, so the caller can print it; the file holds everything, including the
    list of illustrative inputs. ``avoided_t_co2e_per_t`` (t CO2e per t of primary metal, e.g.
    from the footprint engine) turns recovered metal into avoided emissions; ``avoided_basis``
    says where the factors come from and is written next to the result.
    """
    national = forecast(DEMO_SCENARIO, to=DEMO_TO)
    end_of_life = recycling(national, route="hydro", avoided_t_co2e_per_t=avoided_t_co2e_per_t)
    record = {
        "forecast": national.to_dict(),
        "recycling": end_of_life.to_dict(),
        "emissions_avoided_basis": avoided_basis,
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / FILE_NAME
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    years = national.years.tolist()
    last, y2030 = len(years) - 1, years.index(2030)
    recovered = dict(zip(end_of_life.elements, end_of_life.recovered_t[last], strict=True))
    return {
        "file": str(path),
        "scenario": DEMO_SCENARIO,
        "packs_in_use_2030": float(national.packs.stock[y2030].sum()),
        "packs_in_use_last_year": float(national.packs.stock[last].sum()),
        "last_year": years[last],
        "retired_t_last_year": float(national.tonnes().outflow[last].sum()),
        "collected_t_last_year": float(end_of_life.collected_t[last]),
        "recovered_t_last_year": {k: round(float(v), 3) for k, v in recovered.items()},
        "route": "hydro",
        "illustrative_inputs": len(end_of_life.illustrative),
    }
