"""The demo's shipped data files: provenance rules, package data, agreement with the catalogue."""

from __future__ import annotations

from importlib import resources

import pytest
from pydantic import ValidationError

from sinergi.demo import load_intensities, load_parks, load_sectors
from sinergi.demo.reference import FlowRow, Intensity
from sinergi.model import default_catalogue
from sinergi.model.externals import default_externals


@pytest.mark.parametrize("name", ["parks.yaml", "intensities.yaml", "sectors.yaml"])
def test_data_files_ship_as_package_data(name):
    assert resources.files("sinergi.demo").joinpath(name).is_file()


def test_every_intensity_has_source_and_year_or_is_illustrative():
    doc = load_intensities()
    for key, item in {**doc.intensities, **doc.demo}.items():
        assert item.illustrative or (item.source and item.year), key
        if "U" in item.status:
            assert item.illustrative, key


def test_demo_sizing_choices_are_all_illustrative():
    assert all(item.illustrative for item in load_intensities().demo.values())


def test_a_not_found_value_must_be_illustrative():
    with pytest.raises(ValidationError, match="illustrative"):
        Intensity(value=1.0, unit="t", status="U", source="x", year=2024)


def test_a_value_without_source_must_be_illustrative():
    with pytest.raises(ValidationError, match="source and year"):
        Intensity(value=1.0, unit="t", status="S")


def test_a_value_outside_its_published_range_is_refused():
    with pytest.raises(ValidationError, match="above high"):
        Intensity(value=9.0, unit="t", status="D", source="x", year=2022, low=6.0, high=8.0)


def test_captive_coal_factor_agrees_with_its_derivation():
    v = load_intensities()
    derived = (v.value("coal.co2_per_tj") * 3.6 / v.value("coal_power.net_efficiency")) / 1000
    assert derived == pytest.approx(v.value("coal_power.co2_per_mwh"), rel=0.01)


def test_block_mix_adds_up_to_one():
    v = load_intensities()
    total = sum(v.value(f"bricks.{m}_share") for m in ("slag", "fly_ash", "cement"))
    assert total == pytest.approx(1.0)


def test_sector_archetypes_are_illustrative_and_use_catalogue_commodities():
    doc = load_sectors()
    catalogue = default_catalogue()
    assert doc.illustrative is True
    for sector in doc.sectors:
        assert sector.product in catalogue
        assert all(row.commodity in catalogue for row in sector.flows)
        pairs = [(row.partner, row.commodity) for row in sector.flows]
        assert len(pairs) == len(set(pairs)), sector.id  # no duplicate flows per tenant
        assert 7 <= len(sector.flows) <= 11, sector.id


def test_flow_rows_need_exactly_one_direction():
    with pytest.raises(ValidationError, match="exactly one"):
        FlowRow.model_validate({"commodity": "coal", "per_t": 1.0})
    with pytest.raises(ValidationError, match="exactly one"):
        FlowRow.model_validate(
            {"commodity": "coal", "per_t": 1.0, "from": "supplier", "to": "market"}
        )


def test_park_sources_resolve_to_urls_and_grids_exist():
    doc = load_parks()
    externals = {e.id for e in default_externals()}
    for park in doc.parks:
        urls = doc.source_urls(park)
        assert urls
        assert all(u.startswith("http") for u in urls)
        if park.grid is not None:
            assert park.grid in externals
    for region in doc.regions:
        assert region.grid is None or region.grid in externals


def test_foreign_share_is_derived_from_sourced_tenant_counts():
    parks = {p.id: p for p in load_parks().parks}
    assert parks["batamindo"].foreign_share == pytest.approx(54 / 74)
    assert parks["kim"].foreign_share == pytest.approx(32 / 335)
    assert parks["kiic"].foreign_share is None
