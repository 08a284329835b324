"""The demo job's footprint section (reports.demo_footprint): files, equal parks explained."""

from __future__ import annotations

import json

from i18n_checks import english_left_on
from sinergi.reports.demo_footprint import PARK_PRODUCTS, footprint_demo


def test_footprint_demo_writes_json_and_both_pages(tmp_path):
    summary = footprint_demo(tmp_path)
    data = json.loads((tmp_path / "footprints.json").read_text("utf-8"))
    assert set(data["parks"]) == {"iwip", "imip"}
    npi = summary["t_co2e_per_t_ni"]["npi"]
    assert npi["captive-coal-to-solar"] < npi["baseline"]
    assert all(c["passed"] for c in data["calibration"])
    indonesian = (tmp_path / "footprints.id.html").read_text("utf-8")
    assert english_left_on(indonesian) == []
    assert (tmp_path / "footprints.en.html").exists()


def test_iwip_and_imip_equal_footprints_are_explained_not_repeated(tmp_path):
    # issue 12: "IWIP = IMIP" printed per park as if each had its own data
    summary = footprint_demo(tmp_path)
    data = json.loads((tmp_path / "footprints.json").read_text("utf-8"))
    assert "no park-specific route data" in data["same_data_note"]
    assert "no park-specific route data" in summary["same_data_note"]
    assert set(summary["t_co2e_per_t_ni"]) == {p for ps, _ in PARK_PRODUCTS.values() for p in ps}
    assert "route_footprints" in data
    for park in ("iwip", "imip"):
        assert data["parks"][park]["sources"], park
        assert "npi" not in data["parks"][park] or not isinstance(data["parks"][park]["npi"], dict)
    tenants = data["tenants"]
    assert all(row["synthetic"] for rows in tenants.values() for row in rows.values())
