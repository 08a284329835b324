"""Utilisation by route: on the command line, in scenario files, in the accounts and scenarios.

Every tonne is computed by hand from the fixture registry (tests/national_fixtures.py): s2 is
HPAL with a 0.4 Ni share, s5 an NPI smelter without production.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError
from typer.testing import CliRunner

from national_fixtures import factors, intensities, registry
from sinergi.cli import app
from sinergi.cli.common import ExitCode
from sinergi.errors import UsageError
from sinergi.io.national.readers import validation_issues
from sinergi.national.accounts import national_accounts
from sinergi.national.inputs import national_factors
from sinergi.national.registry import Production, Registry, Route, Smelter, Status
from sinergi.national.scenarios import CHECKS, ScenarioSpec, run_scenario
from sinergi.national.utilisation import Utilisation, parse_utilisation

runner = CliRunner()


def test_one_number_applies_to_every_route_and_a_route_value_overrides_it() -> None:
    given = parse_utilisation(["0.8", "hpal_mhp=0.9", "rkef_npi = 0,5"])
    assert given.every == 0.8
    assert given.of(Route.HPAL_MHP) == 0.9
    assert given.of(Route.RKEF_NPI) == 0.5
    assert given.of(Route.RKEF_FENI) == 0.8
    assert parse_utilisation(["hpal_mhp=0.9"]).of(Route.RKEF_FENI) is None
    assert parse_utilisation(["all=0.7"]).every == 0.7
    assert not parse_utilisation([]).given


@pytest.mark.parametrize(
    ("values", "english", "indonesian"),
    [
        (["rkef_npx=0.8"], "--utilisation rkef_npx=0.8: rkef_npx is not a route; use one of",
         "--utilisation rkef_npx=0.8: rkef_npx bukan rute proses; gunakan salah satu dari"),
        (["hpal_mhp=1.2"], "--utilisation hpal_mhp=1.2: 1.2 is not a utilisation",
         "--utilisation hpal_mhp=1.2: 1.2 bukan nilai utilisasi"),
        (["0"], "--utilisation 0: 0 is not a utilisation; give a number above 0 and at most 1",
         "--utilisation 0: 0 bukan nilai utilisasi; berikan angka di atas 0 dan paling besar 1"),
        (["much"], "--utilisation much: much is not a utilisation",
         "--utilisation much: much bukan nilai utilisasi"),
        (["0.5", "0.6"], "--utilisation 0.6: every route's utilisation was given twice",
         "--utilisation 0.6: utilisasi untuk semua rute proses diberikan dua kali"),
        (["pcam=0.5", "pcam=0.6"], "--utilisation pcam=0.6: route pcam was given twice",
         "--utilisation pcam=0.6: rute proses pcam diberikan dua kali"),
    ],
)  # fmt: skip
def test_bad_utilisation_is_refused_naming_the_value_in_both_languages(
    values: list[str], english: str, indonesian: str
) -> None:
    with pytest.raises(UsageError) as info:
        parse_utilisation(values)
    assert english in info.value.localised("en")
    assert indonesian in info.value.localised("id")


def _capacity_only() -> Registry:
    """s1 reports 1,000 t Ni; s2 (HPAL) gives 3,000 t of product capacity, s5 (NPI) 500 t Ni."""
    base = registry()
    production = (
        *base.production[:1],
        Production("s2", 2023, capacity_output_t=3000.0),
        Production("s5", 2023, capacity_ni_t=500.0),
    )
    return Registry(base.smelters, base.units, production)


def _accounts(utilisation: Utilisation | float | None):  # type: ignore[no-untyped-def]
    return national_accounts(
        _capacity_only(), 2023, intensities(), factors(), national_factors(), utilisation
    )


def test_each_estimated_smelter_uses_its_routes_utilisation() -> None:
    result = _accounts(Utilisation(0.5, {Route.HPAL_MHP: 0.9}))
    by_id = {a.smelter.id: a for a in result.smelters}
    assert by_id["s2"].ni_t == pytest.approx(3000.0 * 0.4 * 0.9)
    assert by_id["s5"].ni_t == pytest.approx(500.0 * 0.5)
    assert result.estimate is not None
    assert (result.estimate.basis, result.estimate.utilisation) == ("given", 0.5)
    assert result.estimate.by_route == {"hpal_mhp": 0.9}
    assert result.national.estimated_ni_t == pytest.approx(1080.0 + 250.0)


def test_routes_without_a_value_keep_the_default_estimate() -> None:
    # no smelter reports both production and capacity: the others are at full capacity
    result = _accounts(Utilisation(routes={Route.HPAL_MHP: 0.9, Route.PCAM: 0.3}))
    by_id = {a.smelter.id: a for a in result.smelters}
    assert by_id["s2"].ni_t == pytest.approx(1080.0)
    assert by_id["s5"].ni_t == pytest.approx(500.0)
    assert result.estimate is not None
    assert result.estimate.basis == "full"
    assert result.estimate.by_route == {"hpal_mhp": 0.9}  # no pCAM smelter was estimated


def test_a_plain_number_is_every_routes_utilisation_as_before() -> None:
    plain, wrapped = _accounts(0.5), _accounts(Utilisation(0.5))
    assert plain.national.ni_t == pytest.approx(wrapped.national.ni_t)
    assert plain.national.ni_t == pytest.approx(1000.0 + 3000.0 * 0.4 * 0.5 + 250.0)


def _with_new_smelters() -> Registry:
    base = registry()
    new = tuple(
        Smelter(f"{route.value}-new", "new", route, Status.PLANNED, "X",
                commissioning_year=2026, capacity_ni_t=1000.0)
        for route in (Route.RKEF_NPI, Route.HPAL_MHP, Route.RKEF_FENI)
    )  # fmt: skip
    return Registry(base.smelters + new, base.units, base.production)


def _new_ni(utilisation: object) -> dict[str, float]:
    spec = ScenarioSpec(name="x", base_year=2023, production={"utilisation": utilisation})
    trajectory = run_scenario(
        spec, _with_new_smelters(), intensities(), factors(), national_factors(), to=2027
    )
    year, before = trajectory.year(2027).by_route, trajectory.year(2025).by_route
    return {r: year[r].ni_t - before[r].ni_t for r in ("rkef_npi", "hpal_mhp", "rkef_feni")}


def test_scenario_utilisation_by_route_sets_each_new_smelters_output() -> None:
    by_route = _new_ni({"all": 0.5, "hpal_mhp": 0.25})
    assert by_route == pytest.approx({"rkef_npi": 500.0, "hpal_mhp": 250.0, "rkef_feni": 500.0})
    assert _new_ni(0.5) == pytest.approx({"rkef_npi": 500.0, "hpal_mhp": 500.0, "rkef_feni": 500.0})


def test_scenario_routes_without_a_value_use_the_base_years_observed_utilisation() -> None:
    # s1 reports no capacity in the fixture: nothing observed, so the others add nothing
    only_hpal = _new_ni({"hpal_mhp": 0.25})
    assert only_hpal == pytest.approx({"rkef_npi": 0.0, "hpal_mhp": 250.0, "rkef_feni": 0.0})


@pytest.mark.parametrize(
    ("utilisation", "field", "english", "indonesian"),
    [
        ({"blast_furnace": 0.5}, "production.utilisation",
         "production.utilisation: blast_furnace is not a route; use one of all, rkef_npi",
         "production.utilisation: blast_furnace bukan rute proses; gunakan salah satu dari all"),
        ({"hpal_mhp": 1.5}, "production.utilisation.hpal_mhp", "at most 1, not 1.5",
         "maksimal 1, bukan 1.5"),
        (0, "production.utilisation", "'production.utilisation': must be greater than 0, not 0",
         "'production.utilisation': harus lebih besar dari 0, bukan 0"),
        (1.5, "production.utilisation", "'production.utilisation': must be at most 1, not 1.5",
         "'production.utilisation': maksimal 1, bukan 1.5"),
    ],
)  # fmt: skip
def test_bad_scenario_utilisation_is_located_in_both_languages(
    tmp_path: Path, utilisation: object, field: str, english: str, indonesian: str
) -> None:
    document = {"name": "x", "base_year": 2023, "production": {"utilisation": utilisation}}
    with pytest.raises(ValidationError) as info:
        ScenarioSpec.model_validate(document)
    issues = validation_issues("s.yaml", info.value, CHECKS)
    assert [i.field for i in issues] == [field]
    assert english in issues[0].message_en
    assert indonesian in issues[0].message_id
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(document))
    for lang, words in (("en", english), ("id", indonesian)):
        result = runner.invoke(
            app,
            ["national", "scenario", str(path), "--to", "2024", "--lang", lang],
            terminal_width=400,
        )
        assert result.exit_code == ExitCode.INVALID
        assert words in " ".join(result.output.split())
