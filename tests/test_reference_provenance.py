from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from sinergi.errors import ReferenceDataError
from sinergi.reference import Basis, Provenance, Sourced, bibliography, cite, describe

DATA = Path(__file__).resolve().parent.parent / "src" / "sinergi"


def test_a_number_without_source_or_illustrative_flag_is_refused() -> None:
    with pytest.raises(ValidationError, match="illustrative"):
        Sourced(value=1.0)


def test_a_number_with_source_and_year_is_accepted() -> None:
    value = Sourced(value=0.619, unit="t CO2/MWh", source="JCM 2020", year="2017-2020")
    assert value.sourced
    assert value.record() == {
        "value": 0.619,
        "unit": "t CO2/MWh",
        "source": "JCM 2020",
        "year": "2017-2020",
    }


def test_legacy_status_letters_read_as_basis() -> None:
    assert Provenance(source="x", year=2020, status="D").basis is Basis.DERIVED
    assert Provenance(source="x", year=2020, status="W").basis is Basis.SECOND_HAND


def test_status_u_is_only_accepted_on_an_illustrative_value() -> None:
    with pytest.raises(ValidationError, match="status U"):
        Provenance(source="x", year=2020, status="U")
    assert Provenance(status="U", illustrative=True, note="not found").illustrative


def test_a_range_must_contain_its_value() -> None:
    with pytest.raises(ValidationError, match="does not contain"):
        Sourced(value=5, low=6, high=7, source="x", year=2020)


def test_describe_names_source_year_and_basis_in_both_languages() -> None:
    p = Provenance(source="Wei et al. 2020", year=2018, basis="derived")
    assert describe(p, "en") == "Wei et al. 2020 (2018, derived)"
    assert describe(p, "id") == "Wei et al. 2020 (2018, turunan)"


def test_bibliography_entries_have_authors_title_year_and_a_web_address() -> None:
    for key, ref in bibliography().items():
        assert ref.authors, key
        assert ref.title, key
        assert ref.year, key
        assert ref.url is None or ref.url.startswith("http"), key


def test_an_unknown_source_key_names_the_bibliography_files() -> None:
    with pytest.raises(ReferenceDataError, match=r"data/bibliography/\*\.yaml"):
        cite("no-such-source-1999")


def _refs(node: object) -> list[str]:
    if isinstance(node, dict):
        found = [str(k) for k in node.get("refs", []) or []] if "refs" in node else []
        return found + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def test_every_cited_key_in_the_shipped_data_is_in_the_bibliography() -> None:
    keys = set(bibliography())
    for path in sorted((DATA / "data").rglob("*.yaml")):
        if "bibliography" in path.parts:
            continue
        cited = set(_refs(yaml.safe_load(path.read_text("utf-8"))))
        assert cited <= keys, f"{path.name}: {sorted(cited - keys)}"
