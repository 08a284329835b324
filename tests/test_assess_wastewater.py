"""ENV-WA-2 (industrial wastewater treated) is decided by reported wastewater flows (issue 12, §1).

A shared WWTP flag in the park-services record says a plant exists, not that tenants' wastewater
reaches it: the flows to the WWTP, to licensed handlers and to water bodies decide.
"""

from __future__ import annotations

import pytest

from sinergi.assess.engine import Status, assess
from sinergi.assess.indicators import compute
from sinergi.assess.packs import load_pack
from sinergi.examples import tiny_park
from sinergi.model import DataQuality, Ecosystem, Facility, Flow, ParkServices, Period, Process

P = Period(2024)
EIP = load_pack("eip-framework-2.0")
Q = DataQuality.MEASURED


def _park(shared_wwtp: bool | None, flows: list[tuple[str, str, str, float]]) -> Ecosystem:
    """Return the tiny park with a central WWTP process and the given wastewater flows."""
    eco = tiny_park()
    eco.add(
        Facility("demo-metal.utility", "demo-metal", "Utilities"),
        Process("wwtp", "demo-metal.utility", "Central WWTP", "wastewater_treatment"),
    )
    eco.park_services[0] = ParkServices("demo-park", P, shared_wwtp=shared_wwtp)
    eco.flows += [Flow(P, s, t, c, q, Q) for s, t, c, q in flows]
    return eco


def _wa2(eco: Ecosystem):
    return next(c for c in assess(eco, "demo-park", P, EIP).criteria if c.id == "ENV-WA-2")


def test_a_shared_wwtp_flag_does_not_make_untreated_discharge_treated():
    eco = _park(True, [("demo-bricks.press", "env.water", "wastewater_industrial", 800.0)])
    result = _wa2(eco)
    assert result.status is Status.NOT_MET
    assert result.evidence.render("en") == (
        "0.0 % of the reported quantity (0 of 800 m3) from 1 data row(s)"
    )


def test_wastewater_sent_to_the_wwtp_is_treated_and_counted_once():
    eco = _park(
        True,
        [
            ("demo-metal.furnace", "wwtp", "wastewater_industrial", 600.0),
            ("demo-bricks.press", "wwtp", "wastewater_industrial", 200.0),
            ("wwtp", "env.water", "wastewater_treated", 800.0),  # the plant's own discharge
        ],
    )
    share = compute(eco, "demo-park", P)["wastewater_treated_share"]
    assert share.value == 100.0
    assert share.detail["total"] == 800.0  # not 1,600: the discharge repeats the inflows
    assert _wa2(eco).status is Status.MET


def test_part_of_the_wastewater_treated_is_partly_met():
    eco = _park(
        None,
        [
            ("demo-metal.furnace", "wwtp", "wastewater_industrial", 600.0),
            ("demo-bricks.press", "env.water", "wastewater_industrial", 200.0),
        ],
    )
    result = _wa2(eco)
    assert result.status is Status.PARTLY_MET
    assert result.evidence.render("id") == (
        "75,0% dari jumlah yang dilaporkan (600 dari 800 m3) dari 2 baris data"
    )


def test_on_site_treatment_and_licensed_handlers_count_as_treated():
    eco = _park(
        False,
        [
            ("demo-metal.furnace", "env.water", "wastewater_treated", 500.0),
            ("demo-bricks.press", "b3_handler", "wastewater_industrial", 20.0),
        ],
    )
    assert _wa2(eco).status is Status.MET


def test_a_wwtp_discharge_counts_when_its_inflows_are_not_reported():
    eco = _park(True, [("wwtp", "env.water", "wastewater_treated", 900.0)])
    assert _wa2(eco).status is Status.MET


@pytest.mark.parametrize("flag", [True, False])
def test_the_flag_alone_leaves_the_requirement_not_assessed_and_says_why(flag):
    result = _wa2(_park(flag, []))
    assert result.status is Status.NOT_ASSESSED
    answer = "yes" if flag else "no"
    assert result.evidence.render("en") == (
        f"park services record 2024: shared wastewater treatment plant (WWTP): {answer}; that "
        "alone does not decide this requirement: the reported quantities do, and none are reported"
    )


def test_a_judgement_still_overrides_the_data():
    from sinergi.assess.engine import Judgement

    eco = _park(True, [("demo-bricks.press", "env.water", "wastewater_industrial", 800.0)])
    judged = {"ENV-WA-2": Judgement(Status.PARTLY_MET, "Connection works under way")}
    result = next(
        c
        for c in assess(eco, "demo-park", P, EIP, judgements=judged).criteria
        if c.id == "ENV-WA-2"
    )
    assert result.status is Status.PARTLY_MET
