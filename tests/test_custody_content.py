"""Recycled content per element (Ni, Co, Li, Pb) from the custody ledger, checked by hand."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import jsonschema
import pytest

from schemas import load_schema, relaxed
from sinergi.custody import Chain, Characteristic, Event, EventKind, Lot, Portion
from sinergi.custody.accounts import Accounting, Claim, CustodyModel, SiteModel, replay
from sinergi.custody.content import Undeterminable, element_content, mass_fraction
from sinergi.custody.content import recycled_content as content_of
from sinergi.passport import Audience, PackFacts
from sinergi.passport.recycled import active_elements, against_minimum
from sinergi.reports.custody import passport_record

POST = Characteristic.RECYCLED_POST_CONSUMER.value
PRE = Characteristic.RECYCLED_PRE_CONSUMER.value
T0 = "2026-01-0{}T08:00:00+07:00"


def _lot(lot_id: str, commodity: str, qty: float, **kw: Any) -> Lot:
    return Lot(lot_id, commodity, qty, facility=kw.pop("site", "plant"), synthetic=True, **kw)


def _make(
    chain: Chain, event_id: str, day: int, inputs: dict[str, float], out: Lot, losses: float
) -> None:
    chain.record(
        Event(
            event_id,
            EventKind.TRANSFORMATION,
            T0.format(day),
            out.facility,
            inputs=tuple(Portion(k, v) for k, v in inputs.items()),
            outputs=(Portion(out.id, out.quantity),),
            losses_t=losses,
        ),
        new_lots=[out],
    )


def _origins(chain: Chain, lots: Iterable[Lot]) -> None:
    for lot in lots:
        chain.commission(lot, T0.format(1))


def small_chain() -> Chain:
    """A synthetic NMC chain: 40 t NiSO4 (10 recycled), Co from metal and sulfate, Li2CO3."""
    chain = Chain()
    _origins(
        chain,
        [
            _lot("NS-V", "nickel_sulfate", 30.0),
            _lot("NS-R", "nickel_sulfate", 10.0, attributes={POST: 1.0}),
            _lot("CO-M", "recovered_cobalt", 1.0, attributes={POST: 1.0}),
            _lot("CS-V", "cobalt_sulfate", 9.5),
            _lot("LC-V", "lithium_carbonate", 4.0),
            _lot("LC-S", "lithium_carbonate", 1.0, attributes={PRE: 1.0}),
            _lot("REAG", "chemicals", 20.0),
            _lot("ANODE", "chemicals", 30.0),
        ],
    )
    pcam_in = {"NS-V": 30.0, "NS-R": 10.0, "CO-M": 1.0, "CS-V": 9.5, "REAG": 20.0}
    _make(chain, "P", 2, pcam_in, _lot("PCAM", "pcam_nmc", 40.0), 30.5)
    cam_in = {"PCAM": 40.0, "LC-V": 4.0, "LC-S": 1.0}
    _make(chain, "C", 3, cam_in, _lot("CAM", "cam_nmc811", 40.0), 5.0)
    _make(chain, "L", 4, {"CAM": 40.0, "ANODE": 30.0}, _lot("CELL", "cell_nmc811", 60.0), 10.0)
    chain.record(
        Event(
            "A",
            EventKind.AGGREGATION,
            T0.format(5),
            "plant",
            inputs=(Portion("CELL", 0.5),),
            outputs=(Portion("PACK", 1.0),),
        ),
        new_lots=[_lot("PACK", "battery_pack_car", 1.0, unit="item", mass_t=0.5)],
    )
    return chain


def _accounting(
    chain: Chain, models: Iterable[SiteModel] = (), claims: list[Claim] | None = None
) -> Accounting:
    return replay(chain, {(m.site, m.product_group): m for m in models}, claims or [])


def test_stoichiometric_contents_follow_from_atomic_weights_by_hand() -> None:
    # molar masses written out by hand from IUPAC's abridged standard atomic weights
    li2co3 = 2 * 6.94 + 12.011 + 3 * 15.999
    coso4_7h2o = 58.933 + 32.06 + 11 * 15.999 + 14 * 1.008
    niso4_6h2o = 58.693 + 32.06 + 10 * 15.999 + 12 * 1.008
    assert mass_fraction("Li2CO3", "Li") == pytest.approx(2 * 6.94 / li2co3)
    assert mass_fraction("CoSO4·7H2O", "Co") == pytest.approx(58.933 / coso4_7h2o)
    assert mass_fraction("NiSO4·6H2O", "Ni") == pytest.approx(0.2233, abs=5e-5)
    assert mass_fraction("NiSO4·6H2O", "Ni") == pytest.approx(58.693 / niso4_6h2o)
    assert mass_fraction("LiOH·H2O", "Li") == pytest.approx(6.94 / (6.94 + 2 * 15.999 + 3 * 1.008))


def test_a_formula_or_element_outside_the_shipped_tables_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="cannot read 'ni'"):
        mass_fraction("NiSO4·ni", "Ni")
    with pytest.raises(ValueError, match="no atomic weight for Xx"):
        mass_fraction("XxSO4", "Ni")
    with pytest.raises(ValueError, match="choose one of"):
        content_of(small_chain(), "CO-M", "Fe", lambda _lot, _c: 0.0)


def test_a_stated_content_wins_over_the_formula_and_other_lots_have_none() -> None:
    assay = _lot("NS-A", "nickel_sulfate", 1.0, attributes={"ni_content": 0.21})
    assert element_content(assay, "Ni") == pytest.approx(0.21)
    assert element_content(_lot("X", "chemicals", 1.0), "Li") is None
    assert element_content(_lot("BM", "black_mass", 1.0), "Co") is None


def test_each_element_share_of_the_small_chain_equals_the_hand_calculation() -> None:
    chain = small_chain()
    accounting = _accounting(chain)  # every site segregated: shares pass on physically
    nickel = content_of(chain, "PACK", "Ni", accounting.share)
    cobalt = content_of(chain, "PACK", "Co", accounting.share)
    lithium = content_of(chain, "PACK", "Li", accounting.share)
    # nickel: both sulfate lots have one formula, so 10 of 40 t
    assert (nickel.pre, nickel.post) == pytest.approx((0.0, 10 / 40))
    # cobalt: 1 t of recovered metal against 9.5 t CoSO4·7H2O at 58.933 / 281.094 Co
    virgin_co = 9.5 * 58.933 / (58.933 + 32.06 + 11 * 15.999 + 14 * 1.008)
    assert cobalt.post == pytest.approx(1.0 / (1.0 + virgin_co))
    assert cobalt.pre == 0.0
    # lithium: 1 of 5 t Li2CO3 from manufacturing scrap
    assert (lithium.pre, lithium.post) == pytest.approx((1 / 5, 0.0))
    assert lithium.total == pytest.approx(0.2)
    # the pack holds 0.5/60 of the cell, which holds all of the CAM: its share of the Ni
    ni_t = 40 * mass_fraction("NiSO4·6H2O", "Ni") * 0.5 / 60
    assert nickel.element_t == pytest.approx(ni_t)
    assert nickel.carriers == ("NS-R", "NS-V")


def test_lead_and_untraced_elements_are_not_determinable_never_zero() -> None:
    chain = small_chain()
    accounting = _accounting(chain)
    lead = content_of(chain, "PACK", "Pb", accounting.share)
    assert (lead.pre, lead.post, lead.reason) == (None, None, Undeterminable.NO_CARRIER)
    assert lead.total is None


def test_black_mass_without_a_stated_content_makes_the_share_not_determinable() -> None:
    chain = Chain()
    _origins(
        chain,
        [
            _lot("BM", "black_mass", 10.0, attributes={POST: 1.0}),
            _lot("CS-V", "cobalt_sulfate", 10.0),
        ],
    )
    _make(chain, "P", 2, {"BM": 10.0, "CS-V": 10.0}, _lot("PCAM", "pcam_nmc", 12.0), 8.0)
    accounting = _accounting(chain)
    unknown = content_of(chain, "PCAM", "Co", accounting.share)
    assert unknown.reason is Undeterminable.CONTENT_UNKNOWN
    assert unknown.unknown == ("BM",)
    assert unknown.post is None

    stated = Chain()
    _origins(
        stated,
        [
            _lot("BM", "black_mass", 10.0, attributes={POST: 1.0, "co_content": 0.1}),
            _lot("CS-V", "cobalt_sulfate", 10.0),
        ],
    )
    _make(stated, "P", 2, {"BM": 10.0, "CS-V": 10.0}, _lot("PCAM", "pcam_nmc", 12.0), 8.0)
    share = content_of(stated, "PCAM", "Co", _accounting(stated).share)
    virgin = 10.0 * mass_fraction("CoSO4·7H2O", "Co")
    assert share.post == pytest.approx(1.0 / (1.0 + virgin))


def test_a_refined_lot_hides_the_lots_it_was_refined_from() -> None:
    # mass balance at the refinery: the recycled sulfate credits the account and only the
    # claim on the refined lot reaches the pack; the recycled input is not counted again
    chain = Chain()
    _origins(
        chain,
        [
            _lot("MHP", "mhp", 60.0, site="ref", attributes={"ni_content": 0.39}),
            _lot("RNS", "nickel_sulfate", 20.0, site="ref", attributes={POST: 1.0}),
        ],
    )
    _make(
        chain,
        "R",
        2,
        {"MHP": 60.0, "RNS": 20.0},
        _lot("NS", "nickel_sulfate", 70.0, site="ref"),
        10.0,
    )
    _make(chain, "P", 3, {"NS": 70.0}, _lot("PCAM", "pcam_nmc", 30.0), 40.0)
    models = [SiteModel("ref", "nickel_sulfate", CustodyModel.MASS_BALANCE)]
    unclaimed = _accounting(chain, models)
    share = content_of(chain, "PCAM", "Ni", unclaimed.share)
    assert share.carriers == ("NS",)
    assert share.post == 0.0  # mass balance: an output carries only what is claimed
    claimed = _accounting(chain, models, [Claim("NS", Characteristic.RECYCLED_POST_CONSUMER, 0.2)])
    assert content_of(chain, "PCAM", "Ni", claimed.share).post == pytest.approx(0.2)


def test_chemistries_name_the_elements_of_their_active_materials() -> None:
    assert active_elements("NMC811") == ("Co", "Li", "Ni")
    assert active_elements("nca") == ("Co", "Li", "Ni")
    assert active_elements("LFP") == ("Li",)
    assert active_elements("LNMO") == ("Li", "Ni")
    assert active_elements("Pb-acid") == ("Pb",)
    assert active_elements("sodium-ion?") == ("Co", "Li", "Ni", "Pb")


def test_shares_are_set_against_the_first_minimum() -> None:
    minimums = {2031: {"Co": 0.16, "Li": 0.06, "Ni": 0.06}, 2036: {"Co": 0.26}}
    shares = {
        "Ni": {"material": "Nickel", "pre": 0.0, "post": 0.06},
        "Co": {"material": "Cobalt", "pre": 0.05, "post": 0.1},
        "Li": {"material": "Lithium", "pre": None, "post": None, "reason": "no_carrier_upstream"},
        "Pb": {"material": "Lead", "pre": 0.0, "post": 0.9},
    }
    rows = {r["recycledMaterial"]: r for r in against_minimum(shares, minimums, {"refs": []})}
    assert list(rows) == ["Cobalt", "Lithium", "Nickel", "Lead"]
    assert rows["Nickel"]["status"] == "meets"  # 6 % against 6 %
    assert rows["Cobalt"]["recycledShare"] == pytest.approx(15.0)
    assert rows["Cobalt"]["status"] == "below"
    assert rows["Cobalt"]["minimums"] == [
        {"from": 2031, "share": 16.0},
        {"from": 2036, "share": 26.0},
    ]
    assert rows["Lithium"]["status"] == "not_determinable"
    assert rows["Lithium"]["recycledShare"] is None
    assert rows["Lead"]["status"] == "no_minimum"


def _passport(chain: Chain, chemistry: str) -> dict[str, Any]:
    facts = PackFacts(
        pack_id="PACK",
        passport_id="urn:sinergi:testpack",
        category="ev",
        chemistry_short=chemistry,
        chemistry_clear=chemistry,
    )
    return passport_record(
        _accounting(chain), facts, Audience.public, carbon=None, nickel=None, url="x"
    )


def test_the_passport_lists_determinable_shares_and_says_which_are_not() -> None:
    record = _passport(small_chain(), "NMC811")
    entries = {e["recycledMaterial"]: e for e in record["Circularity"]["recycledContent"]}
    assert set(entries) == {"Cobalt", "Lithium", "Nickel"}
    assert entries["Lithium"]["preConsumerShare"] == pytest.approx(20.0)
    assert entries["Nickel"]["postConsumerShare"] == pytest.approx(25.0)
    schema = relaxed(load_schema("batterypass-1.2/Circularity-schema.json"))
    jsonschema.Draft4Validator(schema).validate(record["Circularity"])

    # a pack of unknown chemistry: lead cannot be traced, so it is listed as not determinable
    # beside the others and left out of the data model's list (never written as 0 %)
    unknown = _passport(small_chain(), "XYZ")
    rows = {r["recycledMaterial"]: r for r in unknown["sinergi"]["recycledContentVsEuMinimum"]}
    assert rows["Lead"]["status"] == "not_determinable"
    assert rows["Lead"]["reason"] == "no_carrier_upstream"
    assert "Lead" not in {e["recycledMaterial"] for e in unknown["Circularity"]["recycledContent"]}
    assert rows["Nickel"]["minimums"][0] == {"from": 2031, "share": 6.0}
    assert rows["Nickel"]["source"]["url"] == "https://eur-lex.europa.eu/eli/reg/2023/1542/oj"


def test_the_demo_packs_show_cobalt_and_lithium_shares_from_their_lots() -> None:
    from sinergi.reports.demo_custody import (
        CLAIMS,
        MODELS,
        RECYCLED_COSO4_SHARE,
        demo_chain,
        demo_packs,
    )

    chain = Chain()
    for event, lots in demo_chain():
        chain.record(event, new_lots=lots)
    accounting = _accounting(chain, MODELS, list(CLAIMS))
    ev, lmt = demo_packs()
    rows = {
        pack.pack_id: {
            r["recycledMaterial"]: r
            for r in passport_record(
                accounting, pack, Audience.public, carbon=None, nickel=None, url="x"
            )["sinergi"]["recycledContentVsEuMinimum"]
        }
        for pack in (ev, lmt)
    }
    assert set(rows["PACK-EV-1"]) == {"Cobalt", "Lithium", "Nickel"}
    assert rows["PACK-EV-1"]["Nickel"]["postConsumerShare"] == pytest.approx(30.0)
    assert rows["PACK-EV-1"]["Cobalt"]["postConsumerShare"] == pytest.approx(
        100 * RECYCLED_COSO4_SHARE, abs=0.01
    )
    assert rows["PACK-EV-1"]["Lithium"]["status"] == "below"
    assert set(rows["PACK-LMT-1"]) == {"Lithium"}
    # 8 % of the lithium carbonate came from cathode scrap
    lc = {k: chain.lots[k].quantity for k in ("LI2CO3-1", "RLI2CO3-1")}
    expected = 100 * lc["RLI2CO3-1"] / (lc["LI2CO3-1"] + lc["RLI2CO3-1"])
    assert rows["PACK-LMT-1"]["Lithium"]["preConsumerShare"] == pytest.approx(expected)
    assert expected == pytest.approx(8.0)
    assert rows["PACK-LMT-1"]["Lithium"]["status"] == "meets"


def test_the_public_reads_the_shares_but_not_the_lots_they_rest_on() -> None:
    facts = PackFacts(
        pack_id="PACK",
        passport_id="urn:sinergi:testpack",
        category="ev",
        chemistry_short="NMC811",
        chemistry_clear="NMC811",
    )
    accounting = _accounting(small_chain())

    def rows(audience: Audience) -> dict[str, Any]:
        record = passport_record(accounting, facts, audience, carbon=None, nickel=None, url="x")
        return {r["recycledMaterial"]: r for r in record["sinergi"]["recycledContentVsEuMinimum"]}

    assert "carrierLots" not in rows(Audience.public)["Cobalt"]
    assert rows(Audience.authority)["Cobalt"]["carrierLots"] == ["CO-M", "CS-V"]
    assert rows(Audience.legitimate)["Lithium"]["carrierLots"] == ["LC-S", "LC-V"]


@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_passport_page_says_not_determinable_in_the_readers_language(lang: str) -> None:
    from i18n_checks import english_left_on
    from sinergi.reports.custody import passport_page

    record = _passport(small_chain(), "XYZ")  # unknown chemistry: lead is not traced
    page = passport_page(record, lang, "<svg/>")
    flat = " ".join(page.split())
    if lang == "id":
        assert "tidak dapat ditentukan" in flat
        assert "Timbal" in flat
        assert "memenuhi batas minimum mulai 2031" in flat  # nickel: 25 % against 6 %
        assert english_left_on(page) == []
    else:
        assert "not determinable" in flat
        assert "meets the minimum from 2031" in flat
    assert "CO-M" not in page  # the public page names no lot
    assert "https://eur-lex.europa.eu/eli/reg/2023/1542/oj" in page
