"""The national page's map: provinces from the shared base map, smelters placed on them."""

from __future__ import annotations

import re

import pytest

from sinergi.reports.national_charts import province_rings, smelter_map

ROUTES = {"rkef_npi": "RKEF to nickel pig iron", "hpal_mhp": "HPAL to MHP"}
#: Poso (Central Sulawesi) and Soasio (North Maluku), well inside their provinces
POSO = {"longitude": 120.75, "latitude": -1.39, "route": "rkef_npi", "ni_t": 100.0}
SOASIO = {"longitude": 127.6, "latitude": 0.68, "route": "hpal_mhp", "ni_t": 25.0}


def _map(lang: str = "en") -> str:
    return smelter_map([POSO, SOASIO], route_names=ROUTES, x_label="lon", y_label="lat", lang=lang)


def _province(svg: str, name: str) -> list[list[tuple[float, float]]]:
    """Return the rings of the province titled ``name`` as drawn (pixels)."""
    match = re.search(rf'<path d="([^"]+)"><title>{re.escape(name)}</title></path>', svg)
    assert match, f"no province '{name}' drawn"
    rings = []
    for ring in match.group(1).split("M")[1:]:
        points = ring.rstrip("Z").split("L")
        rings.append([(float(p.split(",")[0]), float(p.split(",")[1])) for p in points])
    return rings


def _inside(x: float, y: float, ring: list[tuple[float, float]]) -> bool:
    """Even-odd ray casting, independent of the code under test."""
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _circles(svg: str) -> list[tuple[float, float]]:
    """Return the centres of the circles: the smelters in order, then the legend."""
    return [
        (float(x), float(y))
        for x, y in re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="[\d.]+" fill', svg)
    ]


def test_shared_base_map_holds_indonesias_provinces() -> None:
    names = {name for name, _ in province_rings()}
    assert {"Sulawesi Tengah", "Maluku Utara", "Jawa Barat", "Papua"} <= names
    assert len(names) >= 33


@pytest.mark.parametrize(
    ("point", "province", "elsewhere"),
    [(POSO, "Sulawesi Tengah", "Maluku Utara"), (SOASIO, "Maluku Utara", "Sulawesi Tengah")],
)
def test_smelter_dot_lies_inside_its_province_as_drawn(
    point: dict[str, object], province: str, elsewhere: str
) -> None:
    svg = _map()
    dots = _circles(svg)
    x, y = dots[[POSO, SOASIO].index(point)]
    assert any(_inside(x, y, ring) for ring in _province(svg, province))
    assert not any(_inside(x, y, ring) for ring in _province(svg, elsewhere))


def test_map_keeps_degrees_square_and_requests_nothing() -> None:
    svg = _map()
    (x1, y1), (x2, y2) = _circles(svg)[:2]  # the dots; the legend follows
    # 6.85 degrees east and 2.07 degrees north between the two dots, drawn at one scale
    assert (x2 - x1) / 6.85 == pytest.approx((y1 - y2) / 2.07, rel=0.02)
    assert re.findall(r"(?:href|src)=", svg) == []
    assert svg.count("http") == 1  # the SVG namespace only


def test_map_is_empty_without_coordinates() -> None:
    assert (
        smelter_map(
            [{"route": "rkef_npi", "ni_t": 1.0}],
            route_names=ROUTES,
            x_label="",
            y_label="",
            lang="en",
        )
        == ""
    )


def test_a_long_legend_entry_is_cut_to_fit_and_kept_whole_as_its_title() -> None:
    from sinergi.reports.national_charts import LEGEND_CHARS, band_chart

    name = "B: Penghentian PLTU captive 2030-2050 dengan PP 28/2025"
    svg = band_chart(
        [2023, 2024], {name: [1.0, 2.0], "A": [1.0, 1.5]}, {}, y_label="Mt", x_label="x", lang="id"
    )
    shown = name[: LEGEND_CHARS - 1].rstrip() + "…"
    assert len(shown) == LEGEND_CHARS < len(name)
    assert f"<title>{name}</title>{shown}</text>" in svg
    assert "<title>A</title>A</text>" in svg  # a short name is shown whole
