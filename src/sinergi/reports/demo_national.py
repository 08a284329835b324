"""The national part of the demo job: ``out/national/``.

Writes a synthetic national registry (labelled synthetic; the input file a user would fill in),
the 2023 national accounts and the captive-coal phase-out scenario to 2060 with a Monte Carlo
band (JSON, and HTML in English and Bahasa Indonesia), and the scenario's comparison with the
baseline. The footprint engine's route intensities are composed once and shared by all.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sinergi.io.national.writer import write_registry
from sinergi.national.accounts import national_accounts
from sinergi.national.build import registry_rows
from sinergi.national.governance import governance
from sinergi.national.inputs import national_factors
from sinergi.national.reconcile import reconcile
from sinergi.national.scenarios import ScenarioSpec, run_scenario
from sinergi.national.synthetic import synthetic_registry
from sinergi.reports.national import accounts_record, compare_record, scenario_record
from sinergi.reports.national_pages import html_page
from sinergi.reports.national_routes import route_inputs
from sinergi.store import Store
from sinergi.store.national import RegistryImport, save_registry

#: Demo scale: enough smelters for every route, province and missing-data case, fast to run.
PLANTS, UNITS, DRAWS, SEED = 120, 80, 200, 20231
SCENARIOS = ("baseline", "captive-coal-phaseout")


def _scenario(name: str) -> ScenarioSpec:
    from importlib import resources

    import yaml

    text = resources.files("sinergi.data.national.scenarios").joinpath(f"{name}.yaml")
    return ScenarioSpec.model_validate(yaml.safe_load(text.read_text("utf-8")))


def _write(folder: Path, stem: str, record: dict[str, Any]) -> list[Path]:
    paths = [folder / f"{stem}.json"]
    paths[0].write_text(json.dumps(record, indent=2, ensure_ascii=False, default=str), "utf-8")
    for lang in ("en", "id"):
        path = folder / f"{stem}.{lang}.html"
        path.write_text(html_page(record, lang), "utf-8")
        paths.append(path)
    return paths


def store_national_demo(store: Store) -> RegistryImport:
    """Store the demo's synthetic registry, so the dashboard's map draws its smelters.

    The same rows as ``registry.synthetic.xlsx`` (every one labelled synthetic); storing them
    again changes nothing.
    """
    rows = registry_rows(synthetic_registry(PLANTS, UNITS, SEED))
    # the file's sheet is "captive_units"; the store keeps them as "units" (as read_registry)
    rows["units"] = rows.pop("captive_units")
    return save_registry(store, rows, file="registry.synthetic.xlsx")


def write_national_demo(folder: Path) -> dict[str, Any]:
    """Write the national demo files into ``folder``; return the headline numbers."""
    folder.mkdir(parents=True, exist_ok=True)
    registry = synthetic_registry(PLANTS, UNITS, SEED)
    write_registry(registry_rows(registry), folder / "registry.synthetic.xlsx")
    inputs = route_inputs(draws=DRAWS, seed=SEED)
    factors = national_factors()
    accounts = national_accounts(registry, 2023, inputs.intensities, inputs.factors, factors)
    record = accounts_record(
        accounts,
        reconcile(accounts, registry),
        governance(accounts),
        inputs,
        factors,
        registry_name="registry.synthetic.xlsx",
    )
    _write(folder, "accounts-2023", record)
    runs = {}
    for name in SCENARIOS:
        trajectory = run_scenario(
            _scenario(name), registry, inputs.intensities, inputs.factors, factors, to=2060
        )
        runs[name] = scenario_record(trajectory, inputs, factors, file=f"{name}.yaml")
        _write(folder, f"scenario-{name}", runs[name])
    _write(folder, "compare", compare_record(runs["baseline"], runs["captive-coal-phaseout"]))
    last = runs["captive-coal-phaseout"]["years"][-1]
    return {
        "folder": str(folder),
        "synthetic": True,
        "ni_t_2023": record["national"]["ni_t"],
        "co2e_t_2023": record["national"]["co2e_t"],
        "co2e_band_t_2023": record["national"]["co2e_band_t"],
        "phaseout_co2e_t_2060": last["co2e_t"],
        "draws": DRAWS,
    }
