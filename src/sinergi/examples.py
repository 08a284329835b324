"""Tiny, fully synthetic models for tests, docs and first steps.

Every company here is synthetic; the numbers are round illustrative values, not data.

    >>> from sinergi.examples import tiny_park
    >>> eco = tiny_park()
    >>> sorted(eco.parks)
    ['demo-park']
    >>> len(eco.flows)
    9
"""

from __future__ import annotations

from sinergi.model import (
    Company,
    CompanySize,
    DataQuality,
    Ecosystem,
    Facility,
    Flow,
    LandUse,
    Ownership,
    Park,
    ParkServices,
    Period,
    Process,
    Region,
    Safety,
    Workforce,
)
from sinergi.model.externals import default_externals


def tiny_park(period: str = "2024") -> Ecosystem:
    """Return one synthetic park with a metal works and a brick maker that uses its slag."""
    eco = Ecosystem()
    eco.add(Region("demo-region", "Demo province"), *default_externals())
    eco.add(
        Park(
            "demo-park",
            "Demo Eco Park",
            region_id="demo-region",
            area_ha=100.0,
            land_use_ha={
                LandUse.INDUSTRIAL_PLOTS: 68.0,
                LandUse.GREEN_OPEN_SPACE: 12.0,
                LandUse.ROADS_AND_DRAINS: 9.0,
            },
            synthetic=True,
        ),
        Company(
            "demo-metal",
            "demo-park",
            "Demo Metal Works",
            ("24103",),
            CompanySize.LARGE,
            Ownership.DOMESTIC,
            synthetic=True,
        ),
        Company(
            "demo-bricks",
            "demo-park",
            "Demo Bricks",
            ("23952",),
            CompanySize.SMALL,
            Ownership.DOMESTIC,
            synthetic=True,
        ),
        Facility("demo-metal.plant", "demo-metal", "Furnace plant"),
        Facility("demo-bricks.yard", "demo-bricks", "Brick yard"),
        Process("demo-metal.furnace", "demo-metal.plant", "Electric furnace"),
        Process("demo-bricks.press", "demo-bricks.yard", "Brick press"),
    )
    p = Period.parse(period)
    q = DataQuality.SYNTHETIC
    eco.flows += [
        Flow(p, "supplier", "demo-metal.furnace", "laterite_ore_saprolite", 1000.0, q),
        Flow(p, "grid.jamali", "demo-metal.furnace", "electricity", 500.0, q),
        Flow(p, "demo-metal.furnace", "market", "ferronickel", 80.0, q),
        Flow(p, "demo-metal.furnace", "demo-bricks.press", "nickel_slag", 300.0, q),
        Flow(p, "demo-metal.furnace", "landfill", "nickel_slag", 200.0, q),
        Flow(p, "demo-metal.furnace", "env.air", "co2", 400.0, q),
        Flow(p, "supplier", "demo-bricks.press", "cement", 30.0, q),
        Flow(p, "demo-bricks.press", "market", "slag_bricks", 320.0, q),
        Flow(p, "supplier", "demo-bricks.press", "water_municipal", None, q),
    ]
    eco.workforce += [
        Workforce("demo-metal", p, female=40, male=260, local=210, non_local=90),
        Workforce("demo-bricks", p, female=12, male=18, local=30, non_local=0),
    ]
    eco.safety.append(Safety("demo-metal", p, lost_time_injuries=2, hours_worked=600_000.0))
    eco.park_services.append(
        ParkServices("demo-park", p, management_entity=True, shared_wwtp=False)
    )
    return eco


def tiny_symbiosis(period: str = "2024") -> Ecosystem:
    """Return two synthetic parks about 25 km apart with slag, ash and heat to place.

    A smelter park (a smelter, a captive power plant and a block maker) and a cement park (a
    cement plant, and a road contractor that reports no flows, so its demands are inferred
    from its KBLI profile). Coordinates are invented points in Central Sulawesi, inside
    Indonesia's bounding box; every number is a round illustrative value.

        >>> eco = tiny_symbiosis()
        >>> sorted(eco.parks), len(eco.companies), len(eco.flows)
        (['demo-cement-park', 'demo-smelter-park'], 5, 11)
    """
    eco = Ecosystem()
    eco.add(Region("demo-region", "Demo province"), *default_externals())
    eco.add(
        Park(
            "demo-smelter-park",
            "Demo Smelter Park",
            region_id="demo-region",
            latitude=-2.80,
            longitude=122.10,
            area_ha=400.0,
            synthetic=True,
        ),
        Park(
            "demo-cement-park",
            "Demo Cement Park",
            region_id="demo-region",
            latitude=-2.90,
            longitude=122.30,
            area_ha=100.0,
            synthetic=True,
        ),
    )
    tenants = (
        ("demo-smelter", "demo-smelter-park", "Demo Smelter", "24101"),
        ("demo-power", "demo-smelter-park", "Demo Captive Power", "35101"),
        ("demo-blocks", "demo-smelter-park", "Demo Block Maker", "23953"),
        ("demo-cement", "demo-cement-park", "Demo Cement", "23941"),
        ("demo-roads", "demo-cement-park", "Demo Road Contractor", "42101"),
    )
    for company_id, park_id, name, kbli in tenants:
        eco.add(
            Company(company_id, park_id, name, (kbli,), synthetic=True),
            Facility(f"{company_id}.site", company_id, f"{name} site"),
            Process(f"{company_id}.main", f"{company_id}.site", f"{name} process"),
        )
    p = Period.parse(period)
    q = DataQuality.SYNTHETIC
    eco.flows += [
        Flow(p, "supplier", "demo-smelter.main", "laterite_ore_saprolite", 13000.0, q),
        Flow(p, "demo-smelter.main", "market", "nickel_pig_iron", 1000.0, q),
        Flow(p, "demo-smelter.main", "landfill", "nickel_slag", 7000.0, q),
        Flow(p, "demo-smelter.main", "env.air", "waste_heat", 5000.0, q),
        Flow(p, "supplier", "demo-power.main", "coal", 2000.0, q),
        Flow(p, "demo-power.main", "landfill", "fly_ash", 160.0, q),
        Flow(p, "demo-power.main", "landfill", "bottom_ash", 40.0, q),
        Flow(p, "supplier", "demo-blocks.main", "cement", 100.0, q),
        Flow(p, "supplier", "demo-blocks.main", "aggregate", 900.0, q),
        Flow(p, "supplier", "demo-cement.main", "cement_raw_materials", 20000.0, q),
        Flow(p, "supplier", "demo-cement.main", "coal", 3000.0, q),
    ]
    return eco
