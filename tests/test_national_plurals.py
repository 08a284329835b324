"""Counted nouns in the national and custody text: right in English for 1 and 2, natural in
Indonesian (one form, no plural inflection)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from i18n_checks import english_left_on
from national_fixtures import factors, intensities, registry
from sinergi.cli import app
from sinergi.cli.common import ExitCode
from sinergi.i18n import count_text
from sinergi.national.accounts import national_accounts
from sinergi.national.governance import governance
from sinergi.national.inputs import national_factors
from sinergi.national.reconcile import reconcile
from sinergi.national.registry import Production, Registry, Route
from sinergi.national.utilisation import Utilisation
from sinergi.reports.national import accounts_record
from sinergi.reports.national_routes import RouteInputs
from sinergi.reports.national_text import accounts_text, scenario_text

runner = CliRunner()


@pytest.mark.parametrize(
    ("lang", "count", "expected"),
    [
        ("en", 1, "1 smelter"),
        ("en", 2, "2 smelters"),
        ("en", 0, "0 smelters"),
        ("en", 12345, "12,345 smelters"),
        ("id", 1, "1 smelter"),
        ("id", 2, "2 smelter"),
        ("id", 12345, "12.345 smelter"),
    ],
)
def test_count_text_picks_the_languages_form(lang: str, count: int, expected: str) -> None:
    assert count_text(lang, "{count} smelter", "{count} smelters", count) == expected


def _record(reg: Registry, utilisation: Utilisation | None = None) -> dict[str, Any]:
    national = national_factors()
    accounts = national_accounts(reg, 2023, intensities(), factors(), national, utilisation)
    inputs = RouteInputs(intensities(), factors(), draws=0, factorisations=1, seed=1)
    return accounts_record(
        accounts,
        reconcile(accounts, reg),
        governance(accounts),
        inputs,
        national,
        registry_name="test",
    )


def _estimated(*routes: str) -> Registry:
    """The fixture registry where s2 (HPAL) and/or s5 (NPI) give only their 2023 capacity."""
    base = registry()
    production = [p for p in base.production if p.smelter != "s2"]
    if "hpal" in routes:
        production.append(Production("s2", 2023, capacity_output_t=3000.0))
    if "npi" in routes:
        production.append(Production("s5", 2023, capacity_ni_t=500.0))
    return Registry(base.smelters, base.units, tuple(production))


HPAL_90 = Utilisation(0.5, {Route.HPAL_MHP: 0.9})


def test_accounts_text_says_one_smelter_in_the_singular() -> None:
    text = accounts_text(_record(_estimated("hpal"), HPAL_90), "en")
    assert "1,080 t Ni (1 smelter at HPAL to MHP 90% utilisation, utilisation given" in text
    assert "missing (no footprint per t Ni for this route): 1 smelter\n" in text
    assert "1 smelters" not in text


def test_accounts_text_counts_two_and_more_in_the_plural() -> None:
    text = accounts_text(_record(_estimated("hpal", "npi"), HPAL_90), "en")
    assert (
        "(2 smelters at 50% utilisation, utilisation given by the user; by route: HPAL to MHP 90%)"
    ) in text
    assert "(2 of 5 smelters)" in text
    assert "(reported by 0 of 5 smelters)" in text
    assert "smelter)" not in text


def test_indonesian_accounts_text_has_one_form_and_no_english() -> None:
    for routes, words in (
        (("hpal",), "(1 smelter dengan utilisasi HPAL menjadi MHP 90%, utilisasi yang"),
        (("hpal", "npi"), "(2 smelter dengan utilisasi 50%, utilisasi yang diberikan pengguna; "
         "per rute proses: HPAL menjadi MHP 90%)"),
    ):  # fmt: skip
        text = accounts_text(_record(_estimated(*routes), HPAL_90), "id")
        assert words in text
        assert "smelters" not in text
        assert english_left_on(text) == []


def test_scenario_reuse_line_in_singular_and_plural() -> None:
    record = {
        "name": "x", "name_id": "x", "base_year": 2023, "to": 2023, "years": [],
        "reuse": {"footprint_factorisations": 1, "year_aggregations": 1,
                  "draws_per_aggregation": 2},
    }  # fmt: skip
    assert scenario_text(record, "en").endswith(
        "reuse: 1 footprint factorisation; 1 yearly aggregation, each serving 2 draws"
    )
    assert scenario_text(record, "id").endswith(
        "pemakaian ulang: 1 faktorisasi jejak karbon; 1 agregasi tahunan, masing-masing melayani "
        "2 pengambilan acak"
    )


@pytest.mark.parametrize(
    ("plants", "lang", "head"),
    [
        ("1", "en", "1 smelter, 1 power unit (r.xlsx)"),
        ("2", "en", "2 smelters, 2 power units (r.xlsx)"),
        ("1", "id", "1 smelter, 1 unit pembangkit (r.xlsx)"),
        ("2", "id", "2 smelter, 2 unit pembangkit (r.xlsx)"),
    ],
)
def test_smelter_list_heading_counts_in_the_languages_form(
    tmp_path: Path, plants: str, lang: str, head: str
) -> None:
    path = tmp_path / "r.xlsx"
    synth = ["smelters", "synth", "--plants", plants, "--units", plants, "--out", str(path)]
    assert runner.invoke(app, synth).exit_code == ExitCode.OK
    result = runner.invoke(app, ["smelters", "list", "--registry", str(path), "--lang", lang])
    assert result.exit_code == ExitCode.OK, result.output
    assert result.output.splitlines()[0] == head
