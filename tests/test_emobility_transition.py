"""Transition scenarios: component demand, suppliers' losses and gains, jobs, switching."""

from __future__ import annotations

import numpy as np
import pytest

from sinergi.emobility.bom import Powertrain, component_catalogue, switch_rules
from sinergi.emobility.scenarios import (
    TransitionData,
    shipped_transition_data,
    transition_scenario,
)
from sinergi.emobility.suppliers import (
    Supplier,
    SupplyShare,
    link_to_ecosystem,
    parts_makers,
    shares_by_component,
)
from sinergi.emobility.transition import run_transition
from sinergi.errors import TransitionError
from sinergi.model import Company, Ecosystem, Park, Period, Region, Workforce

CATALOGUE = component_catalogue()


def small_data(**changes: object) -> TransitionData:
    """Two years of sales (1,000 at home + 100 exported, then 2,000 + 100); 0 % → 50 %."""
    doc: dict[str, object] = {
        "version": 1,
        "sales": [
            {"year": 2030, "domestic": 1000, "exports": 100, "illustrative": True},
            {"year": 2031, "domestic": 2000, "exports": 100, "illustrative": True},
        ],
        "projection": {"growth_per_year": {"value": 0.1, "illustrative": True}},
        "scenarios": {
            "half": {
                "label_en": "half",
                "label_id": "separuh",
                "electric_share": [
                    {"year": 2030, "value": 0.0, "illustrative": True},
                    {"year": 2031, "value": 0.5, "illustrative": True},
                ],
            }
        },
    }
    doc.update(changes)
    return TransitionData.model_validate(doc)


def engine_maker(**changes: object) -> Supplier:
    fields: dict[str, object] = {
        "id": "engines",
        "name": "Engine Parts Co",
        "supplies": (SupplyShare("engine", 0.4),),
        "workers": 800,
        "kbli": ("30912",),
        "province": "id-jb",
        "park": "kiic",
    }
    fields.update(changes)
    return Supplier(**fields)  # type: ignore[arg-type]


def test_a_small_case_matches_the_hand_calculation() -> None:
    result = run_transition(
        transition_scenario(data=small_data()), 2032, suppliers=[engine_maker()]
    )
    assert result.years.tolist() == [2030, 2031, 2032]
    # 2032: sales grow 10 % after the last history year; the share holds at 0.5.
    assert result.vehicles.domestic.tolist() == pytest.approx([1000, 2000, 2200])
    assert result.vehicles.electric.tolist() == pytest.approx([0, 1000, 1100])
    assert result.vehicles.conventional.tolist() == pytest.approx([1100, 1100, 1210])
    impact = result.suppliers[0]
    # baseline engines = all vehicles (1,100; 2,100; 2,310) × 40 %; scenario: conventional.
    assert impact.baseline_sets.tolist() == pytest.approx([440, 840, 924])
    assert impact.lost_sets.tolist() == pytest.approx([0, 400, 440])
    assert impact.gained_sets.tolist() == pytest.approx([0, 0, 0])
    # jobs: 800 workers per 440 sets in the first year → 800/440 × lost
    assert impact.jobs_basis == "table"
    assert impact.jobs_at_risk.tolist() == pytest.approx([0, 800 / 440 * 400, 800 / 440 * 440])  # type: ignore[union-attr]
    assert impact.first_year_losing(result.years, 0.25) == 2031
    assert impact.first_year_losing(result.years, 0.5) is None


@pytest.mark.parametrize("name", ["none", "government-target", "fast"])
def test_component_demand_equals_vehicles_times_the_bill_in_every_year(name: str) -> None:
    result = run_transition(transition_scenario(name), 2045)
    electric, conventional = result.vehicles.electric, result.vehicles.conventional
    for j, component in enumerate(result.components):
        expected = electric * result.boms.quantity(component, electric=True)
        expected += conventional * result.boms.quantity(component, electric=False)
        np.testing.assert_allclose(result.demand[:, j], expected, rtol=1e-12)
    np.testing.assert_allclose(electric + conventional, result.vehicles.total, rtol=1e-12)
    wheels = result.components.index("wheels")
    np.testing.assert_allclose(result.demand[:, wheels], 2 * result.vehicles.total, rtol=1e-12)


def test_no_electrification_leaves_every_conventional_supplier_unchanged() -> None:
    suppliers = [
        engine_maker(),
        Supplier("exhausts", "Exhaust Co", (SupplyShare("exhaust", None),)),
        Supplier("fuel", "Fuel Co", (SupplyShare("fuel_system", 0.2), SupplyShare("wiring"))),
    ]
    result = run_transition(transition_scenario("none"), 2045, suppliers=suppliers)
    np.testing.assert_array_equal(result.demand, result.baseline)
    for impact in result.suppliers:
        assert impact.lost_sets.max() == 0.0
        assert impact.gained_sets.max() == 0.0
        for part in impact.components:
            np.testing.assert_array_equal(part.scenario_units, part.baseline_units)
        if impact.jobs_at_risk is not None:
            assert impact.jobs_at_risk.max() == 0.0


def test_electric_parts_makers_gain_what_conventional_makers_lose() -> None:
    motors = Supplier("motors", "Motor Co", (SupplyShare("motor", 1.0),))
    result = run_transition(
        transition_scenario(data=small_data()), 2031, suppliers=[engine_maker(), motors]
    )
    motor = result.suppliers[1]
    assert motor.gained_sets.tolist() == pytest.approx([0, 1000])
    assert motor.lost_sets.tolist() == pytest.approx([0, 0])
    assert motor.switch_to == ()


def test_the_government_target_rises_gradually_without_a_2030_jump() -> None:
    result = run_transition(transition_scenario("government-target"), 2035)
    share = dict(zip(result.years.tolist(), result.vehicles.electric_share, strict=True))
    steps = np.diff([share[y] for y in range(2023, 2031)])
    assert share[2030] == pytest.approx(0.30)
    assert steps.max() - steps.min() == pytest.approx(0.0, abs=1e-12)  # a straight line
    assert share[2035] == pytest.approx(0.30)  # held after the target year
    assert result.years[0] == 2023


def test_blank_shares_split_what_the_given_shares_leave() -> None:
    suppliers = [
        engine_maker(),
        Supplier("b", "B", (SupplyShare("engine"),)),
        Supplier("c", "C", (SupplyShare("engine"),)),
    ]
    shares = {(s.supplier, s.assumed): s.share for s in shares_by_component(suppliers, CATALOGUE)}
    assert shares[("engines", False)] == pytest.approx(0.4)
    assert shares[("b", True)] == pytest.approx(0.3)
    assert shares[("c", True)] == pytest.approx(0.3)


def test_shares_of_one_component_above_one_are_refused() -> None:
    suppliers = [engine_maker(), Supplier("b", "B", (SupplyShare("engine", 0.7),))]
    with pytest.raises(TransitionError, match=r"'engine' add to 1\.1"):
        run_transition(transition_scenario("none"), 2030, suppliers=suppliers)


def test_an_unknown_component_names_the_known_ones() -> None:
    with pytest.raises(TransitionError, match="unknown component 'carburettor'; known: cells"):
        run_transition(
            transition_scenario("none"),
            2030,
            suppliers=[Supplier("x", "X", (SupplyShare("carburettor", 0.1),))],
        )


def test_jobs_use_the_scenario_coefficient_when_the_workforce_is_unknown() -> None:
    data = small_data(
        jobs_per_1000_units={"engine": {"value": 5.0, "illustrative": True, "note": "test"}}
    )
    result = run_transition(
        transition_scenario(data=data), 2031, suppliers=[engine_maker(workers=None)]
    )
    impact = result.suppliers[0]
    assert impact.jobs_basis == "coefficient"
    assert impact.jobs_at_risk.tolist() == pytest.approx([0, 400 * 5 / 1000])  # type: ignore[union-attr]


def test_jobs_at_risk_are_unknown_not_zero_without_a_coefficient() -> None:
    result = run_transition(
        transition_scenario(data=small_data()), 2031, suppliers=[engine_maker(workers=None)]
    )
    assert result.suppliers[0].jobs_at_risk is None
    assert result.suppliers[0].jobs_basis is None


def test_conventional_makers_are_told_which_electric_parts_they_could_make() -> None:
    result = run_transition(
        transition_scenario(data=small_data()), 2031, suppliers=[engine_maker()]
    )
    assert [r.to for r in result.suppliers[0].switch_to] == [["motor"]]
    assert switch_rules().illustrative


def test_losses_add_up_by_park_province_and_kbli() -> None:
    other = engine_maker(id="other", supplies=(SupplyShare("exhaust", 0.5),), park=None)
    result = run_transition(
        transition_scenario(data=small_data()), 2031, suppliers=[engine_maker(), other]
    )
    by_park = result.by_group("park")
    assert by_park["kiic"].tolist() == pytest.approx([0, -400])
    assert by_park["unknown"].tolist() == pytest.approx([0, -500])
    assert result.by_group("province")["id-jb"].tolist() == pytest.approx([0, -900])
    assert result.by_group("kbli")["30912"].tolist() == pytest.approx([0, -900])


def test_a_bill_change_in_the_scenario_changes_demand() -> None:
    data = small_data(
        bom=[
            {
                "component": "pack_bms",
                "powertrain": "electric",
                "quantity": 2,
                "illustrative": True,
                "note": "two packs",
            }
        ]
    )
    result = run_transition(transition_scenario(data=data), 2031)
    packs = result.components.index("pack_bms")
    assert result.demand[:, packs].tolist() == pytest.approx([0, 2000])


def test_the_transition_cannot_start_before_the_sales_history() -> None:
    with pytest.raises(TransitionError, match="starts in 2030"):
        run_transition(transition_scenario(data=small_data()), 2031, start=2029)


def test_an_unknown_scenario_names_the_choices() -> None:
    with pytest.raises(TransitionError, match="choose one of none, government-target, fast"):
        transition_scenario("nope")


def test_shipped_sales_are_aisi_2022_and_2023() -> None:
    data = shipped_transition_data()
    assert [(s.year, s.domestic, s.exports) for s in data.sales] == [
        (2022, 5_221_470, 743_551),
        (2023, 6_236_992, 570_004),
    ]
    assert data.projection.growth_per_year.illustrative


def test_every_catalogue_component_has_kbli_classes_and_a_powertrain() -> None:
    powertrains = {c.powertrain for c in CATALOGUE.components}
    assert powertrains == set(Powertrain)
    wanted = {"cells", "pack_bms", "motor", "controller", "charger", "frame", "wheels"}
    wanted |= {"brakes", "lights", "wiring", "engine", "fuel_system", "exhaust", "transmission"}
    assert set(CATALOGUE.ids) == wanted


def _ecosystem() -> Ecosystem:
    eco = Ecosystem()
    eco.add(
        Region("id-jb", "West Java"),
        Park("kiic", "KIIC", "id-jb", synthetic=True),
        Company("kiic.moto", "kiic", "Moto Parts", ("30912",), synthetic=True),
        Company("kiic.auto", "kiic", "Auto Parts", ("29300",), synthetic=True),
        Company("kiic.food", "kiic", "Food", ("10790",), synthetic=True),
    )
    eco.workforce.append(Workforce("kiic.moto", Period.parse("2024"), female=100, male=300))
    return eco


def test_suppliers_take_park_province_kbli_and_workers_from_their_company() -> None:
    supplier = Supplier("s", "S", (SupplyShare("engine", 0.1),), company_id="kiic.moto")
    (linked,), notes = link_to_ecosystem([supplier], _ecosystem())
    assert (linked.park, linked.province, linked.kbli) == ("kiic", "id-jb", ("30912",))
    assert (linked.workers, linked.workers_source) == (400, "ecosystem")
    assert linked.synthetic is True
    assert notes == []


def test_a_supplier_contradicting_its_company_keeps_the_table_and_says_so() -> None:
    supplier = Supplier("s", "S", (), company_id="kiic.moto", park="mm2100")
    (linked,), notes = link_to_ecosystem([supplier], _ecosystem())
    assert linked.park == "mm2100"
    assert notes == [
        "supplier s: the table says park 'mm2100' but company kiic.moto is in 'kiic'; "
        "the table's value is kept"
    ]


def test_parts_makers_in_the_model_are_found_by_kbli_class() -> None:
    makers = {m.company_id: m for m in parts_makers(_ecosystem(), CATALOGUE)}
    assert set(makers) == {"kiic.moto", "kiic.auto"}
    assert makers["kiic.moto"].related is False
    assert "engine" in makers["kiic.moto"].components
    assert makers["kiic.auto"].related is True  # motor-vehicle parts: a possible maker
    assert makers["kiic.moto"].region_id == "id-jb"
