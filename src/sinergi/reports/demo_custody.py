"""The custody part of the demo job: two synthetic packs, their genealogy and passports.

An NMC811 EV pack whose nickel comes from an IWIP HPAL MHP lot and a recycled nickel-sulfate
lot, refined under mass balance (ISO 22095) with a recycled-content claim the ledger covers,
whose cobalt comes from a virgin and a recycled cobalt-sulfate lot (physically blended) and
whose lithium from a virgin lithium hydroxide lot; and an LFP e-motorcycle swap pack (an LMT
battery: sealed, at most 25 kg) whose cathode is made from lithium carbonate, part of it
recovered from cathode scrap (pre-consumer). Every lot, site owner and quantity is
**synthetic** (labelled so); the facts with sources are the MHP nickel grade (about 39 % Ni,
the Ceria HPAL design case), and the element contents of the salts come from their formulas
(:mod:`sinergi.custody.content`). The chain goes into the demo database, and
``out/passport/`` receives each pack's passport for every audience (JSON), the public
passport page (HTML, en/id) with its QR code, the genealogy page, and the whole chain as an
EPCIS 2.0 document.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sinergi.custody import Characteristic, Event, EventKind, Lot, Portion
from sinergi.custody.accounts import Claim, CustodyModel, SiteModel
from sinergi.custody.content import ATOMIC_WEIGHTS, mass_fraction
from sinergi.custody.epcis import chain_document
from sinergi.passport import Address, Audience, PackFacts, Party
from sinergi.reports.custody import compose_passport, lot_page, passport_page, qr_svg
from sinergi.store import Store

__all__ = ["BASE_URL", "demo_chain", "demo_packs", "write_custody_demo"]

#: Where the demo's passports are published: the local service (sinergi serve).
BASE_URL = "http://localhost:8000/api/v1/passports"
#: Ni mass fraction of MHP, Ceria HPAL design case: 40 kt Ni in 103 kt MHP (ENFI 2018).
MHP_NI = 0.39
#: Ni mass fraction of NiSO4·6H2O (0.2233), from the formula's molar mass (a definition).
NISO4_NI = mass_fraction("NiSO4·6H2O", "Ni")
#: Nickel sulfate the EV line's precursor uses (synthetic quantity).
NS_EV_T = 100.0
#: Cobalt sulfate heptahydrate for NMC811's Ni:Co molar ratio of 8:1 over that nickel:
#: t Ni / M(Ni) / 8 x M(Co) = t Co, over Co's mass fraction of CoSO4·7H2O (stoichiometry).
COSO4_T = round(
    NS_EV_T
    * NISO4_NI
    / ATOMIC_WEIGHTS["Ni"]
    / 8
    * ATOMIC_WEIGHTS["Co"]
    / mass_fraction("CoSO4·7H2O", "Co"),
    3,
)
#: Share of that cobalt sulfate from a recycler (synthetic, post-consumer).
RECYCLED_COSO4_SHARE = 0.25
#: LFP cathode active material of the swap-pack line (synthetic quantity).
LFP_CAM_T = 30.0
#: Lithium carbonate and iron phosphate for LiFePO4 (Li2CO3 + 2 FePO4 -> 2 LiFePO4 + CO2 +
#: 1/2 O2 with a reductant; stoichiometry): half a mole of Li2CO3 and one of FePO4 per mole.
LI2CO3_T = round(LFP_CAM_T * mass_fraction("LiFePO4", "Li") / mass_fraction("Li2CO3", "Li"), 3)
FEPO4_T = round(LFP_CAM_T * mass_fraction("LiFePO4", "Fe") / mass_fraction("FePO4", "Fe"), 3)
#: Share of that lithium carbonate recovered from the plant's cathode scrap (synthetic,
#: pre-consumer).
RECYCLED_LI2CO3_SHARE = 0.08

_Step = tuple[Event, list[Lot]]


def _t(day: int, month: int = 1) -> str:
    return f"2026-{month:02d}-{day:02d}T08:00:00+09:00"  # WIT, Halmahera


def _lot(lot_id: str, commodity: str, qty: float, site: str, **kw: Any) -> Lot:
    return Lot(
        lot_id,
        commodity,
        qty,
        owner=f"synthetic-{site}",
        facility=site,
        period="2026-01",
        synthetic=True,
        **kw,
    )


def _commission(lot: Lot, day: int) -> _Step:
    return (
        Event(
            f"C-{lot.id}",
            EventKind.COMMISSION,
            _t(day),
            lot.facility,
            outputs=(Portion(lot.id, lot.quantity),),
        ),
        [lot],
    )


def _make(
    event_id: str, day: int, site: str, inputs: dict[str, float], outputs: list[Lot], losses: float
) -> _Step:
    return (
        Event(
            event_id,
            EventKind.TRANSFORMATION,
            _t(day),
            site,
            inputs=tuple(Portion(k, v) for k, v in inputs.items()),
            outputs=tuple(Portion(o.id, o.quantity) for o in outputs),
            losses_t=losses,
        ),
        outputs,
    )


def demo_chain() -> list[_Step]:
    """Return the demo's events with the lots they make (all synthetic)."""
    ni = {"ni_content": NISO4_NI}
    recycled = {Characteristic.RECYCLED_POST_CONSUMER.value: 1.0}
    scrap = {Characteristic.RECYCLED_PRE_CONSUMER.value: 1.0}
    recycled_co = COSO4_T * RECYCLED_COSO4_SHARE
    virgin_co = COSO4_T - recycled_co
    recycled_li = LI2CO3_T * RECYCLED_LI2CO3_SHARE
    virgin_li = LI2CO3_T - recycled_li
    return [
        _commission(_lot("ORE-WB-1", "laterite_ore_limonite", 4095.0, "weda-bay-mine"), 2),
        _make(
            "HPAL-1",
            4,
            "iwip-hpal",
            {"ORE-WB-1": 4095.0},
            [
                _lot(
                    "MHP-IWIP-1",
                    "mhp",
                    100.0,
                    "iwip-hpal",
                    attributes={"ni_content": MHP_NI, "route": "hpal"},
                )
            ],
            3995.0,
        ),
        _commission(
            _lot(
                "RNS-1",
                "nickel_sulfate",
                40.0,
                "recycler",
                attributes={**ni, Characteristic.RECYCLED_POST_CONSUMER.value: 1.0},
            ),
            5,
        ),
        _commission(_lot("ACID-1", "sulfuric_acid", 150.0, "refinery"), 5),
        _make(
            "REF-1",
            8,
            "refinery",
            {"MHP-IWIP-1": 100.0, "RNS-1": 40.0, "ACID-1": 150.0},
            [
                _lot("NS-EV-1", "nickel_sulfate", NS_EV_T, "refinery", attributes=ni),
                _lot("NS-OTHER-1", "nickel_sulfate", 214.6 - NS_EV_T, "refinery", attributes=ni),
            ],
            75.4,
        ),
        _commission(_lot("CHEM-1", "chemicals", 80.0, "pcam-plant"), 9),
        _commission(_lot("CS-1", "cobalt_sulfate", virgin_co, "pcam-plant"), 9),
        _commission(
            _lot("RCS-1", "cobalt_sulfate", recycled_co, "recycler", attributes=recycled), 9
        ),
        _make(
            "PCAM-1",
            12,
            "pcam-plant",
            {"NS-EV-1": NS_EV_T, "CS-1": virgin_co, "RCS-1": recycled_co, "CHEM-1": 80.0},
            [_lot("PCAM-1", "pcam_nmc", 70.0, "pcam-plant")],
            NS_EV_T + COSO4_T + 80.0 - 70.0,
        ),
        _commission(_lot("LIOH-1", "lithium_hydroxide", 20.0, "cam-plant"), 13),
        _make(
            "CAM-1",
            15,
            "cam-plant",
            {"PCAM-1": 70.0, "LIOH-1": 20.0},
            [_lot("CAM-1", "cam_nmc811", 60.0, "cam-plant")],
            30.0,
        ),
        _commission(_lot("ANODE-1", "chemicals", 140.0, "cell-plant"), 16),
        _make(
            "CELL-1",
            18,
            "cell-plant",
            {"CAM-1": 60.0, "ANODE-1": 140.0},
            [_lot("CELL-NMC-1", "cell_nmc811", 160.0, "cell-plant")],
            40.0,
        ),
        (
            Event(
                "PACK-1",
                EventKind.AGGREGATION,
                _t(20),
                "cell-plant",
                inputs=(Portion("CELL-NMC-1", 0.45),),
                outputs=(Portion("PACK-EV-1", 1.0),),
            ),
            [_lot("PACK-EV-1", "battery_pack_car", 1.0, "cell-plant", unit="item", mass_t=0.45)],
        ),
        (
            Event(
                "SHIP-1",
                EventKind.SHIPPING,
                _t(22),
                "cell-plant",
                inputs=(Portion("PACK-EV-1", 1.0),),
                from_owner="synthetic-cell-plant",
                to_owner="synthetic-ev-maker",
                to_facility="ev-plant",
            ),
            [],
        ),
        _commission(_lot("LI2CO3-1", "lithium_carbonate", virgin_li, "lfp-cathode-plant"), 3),
        _commission(
            _lot(
                "RLI2CO3-1", "lithium_carbonate", recycled_li, "lfp-cathode-plant", attributes=scrap
            ),
            3,
        ),
        _commission(_lot("FEPO4-1", "chemicals", FEPO4_T, "lfp-cathode-plant"), 3),
        _make(
            "CAM-2",
            5,
            "lfp-cathode-plant",
            {"LI2CO3-1": virgin_li, "RLI2CO3-1": recycled_li, "FEPO4-1": FEPO4_T},
            [_lot("CAM-LFP-1", "cam_lfp", LFP_CAM_T, "lfp-cathode-plant")],
            LI2CO3_T + FEPO4_T - LFP_CAM_T,
        ),
        _commission(_lot("ANODE-2", "chemicals", 70.0, "swap-cell-plant"), 6),
        _make(
            "CELL-2",
            14,
            "swap-cell-plant",
            {"CAM-LFP-1": LFP_CAM_T, "ANODE-2": 70.0},
            [_lot("CELL-LFP-1", "cell_lfp", 80.0, "swap-cell-plant")],
            20.0,
        ),
        (
            Event(
                "PACK-2",
                EventKind.AGGREGATION,
                _t(19),
                "swap-cell-plant",
                inputs=(Portion("CELL-LFP-1", 0.012),),
                outputs=(Portion("PACK-LMT-1", 1.0),),
            ),
            [
                _lot(
                    "PACK-LMT-1",
                    "battery_pack_motorcycle",
                    1.0,
                    "swap-cell-plant",
                    unit="item",
                    mass_t=0.012,
                )
            ],
        ),
    ]


#: The refinery applies mass balance to nickel sulfate; other sites are segregated.
MODELS = [SiteModel("refinery", "nickel_sulfate", CustodyModel.MASS_BALANCE, 1.0)]
#: 30 % post-consumer recycled content claimed on the EV line's nickel sulfate (30 t of the
#: 40 t of credits the recycled lot brought in).
CLAIMS = [Claim("NS-EV-1", Characteristic.RECYCLED_POST_CONSUMER, 0.3)]


def demo_packs() -> list[PackFacts]:
    """Return the two demo packs' passport facts (synthetic maker, nothing invented)."""
    address = Address(addressCountry="ID", postalCode="synthetic", streetAddress="synthetic")
    maker = Party(
        contactName="Synthetic pack maker (demo)",
        postalAddress=address,
        identifier="synthetic-cell-plant",
    )
    common = {"manufacturer": maker, "manufacturing_place": address, "illustrative": True}
    return [
        PackFacts(
            pack_id="PACK-EV-1",
            passport_id="urn:sinergi:demoevpack1",
            category="ev",
            chemistry_short="NMC811",
            chemistry_clear="lithium nickel manganese cobalt oxide (NMC811)",
            manufacturing_date="2026-01-20T08:00:00+09:00",
            mass_kg=450.0,
            **common,
        ),
        PackFacts(
            pack_id="PACK-LMT-1",
            passport_id="urn:sinergi:demoswappack1",
            category="lmt",
            chemistry_short="LFP",
            chemistry_clear="lithium iron phosphate (LFP)",
            manufacturing_date="2026-01-19T08:00:00+09:00",
            mass_kg=12.0,
            **common,
        ),
    ]


def write_custody_demo(store: Store, folder: Path) -> dict[str, Any]:
    """Load the demo chain into ``store`` and write the passports and pages to ``folder``."""
    from sinergi.store.custody import CustodyRecords

    records = CustodyRecords(store, getattr(store, "actor", None))
    packs = demo_packs()
    result = records.append(
        demo_chain(),
        models=MODELS,
        claims=CLAIMS,
        packs={p.pack_id: p.model_dump(mode="json") for p in packs},
    )
    accounting = records.accounting()
    folder.mkdir(parents=True, exist_ok=True)
    lines: dict[str, Any] = {}
    for facts in packs:
        stem = folder / facts.pack_id.lower()
        for audience in Audience:
            record, nickel = compose_passport(accounting, facts, audience, "en", BASE_URL)
            path = stem.with_name(f"{stem.name}.{audience.value}.json")
            path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", "utf-8")
        qr = qr_svg(record["sinergi"]["publicUrl"])
        stem.with_name(f"{stem.name}.qr.svg").write_text(qr, "utf-8")
        for lang in ("en", "id"):
            public, nickel = compose_passport(accounting, facts, Audience.public, lang, BASE_URL)
            stem.with_name(f"{stem.name}.{lang}.html").write_text(
                passport_page(public, lang, qr), "utf-8"
            )
            stem.with_name(f"{stem.name}.genealogy.{lang}.html").write_text(
                lot_page(accounting, facts.pack_id, lang, nickel), "utf-8"
            )
        lines[facts.pack_id] = {
            "passport": record["passportId"],
            "missing_mandatory": len(record["sinergi"]["missingMandatory"]),
            "recycled_nickel_post_consumer": _recycled(record),
            "recycled_content_pct": {
                row["recycledMaterial"]: row["recycledShare"]
                for row in record["sinergi"]["recycledContentVsEuMinimum"]
            },
            "nickel_t_co2e_per_t_ni": nickel.intensity,
            "nickel_covered_share": nickel.covered_share,
        }
    created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    (folder / "custody-chain.epcis.json").write_text(
        json.dumps(chain_document(accounting.chain, created), indent=1, ensure_ascii=False),
        "utf-8",
    )
    return {"events_added": result.added, "folder": str(folder), "packs": lines, "synthetic": True}


def _recycled(record: dict[str, Any]) -> float | None:
    for entry in record.get("Circularity", {}).get("recycledContent", []):
        if entry["recycledMaterial"] == "Nickel":
            return float(entry["postConsumerShare"])
    return None
