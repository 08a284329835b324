"""Small custody chains for the tests: an HPAL → NiSO4 → pCAM chain with a recycled lot."""

from __future__ import annotations

from sinergi.custody import Chain, Event, EventKind, Lot, Portion


def t(day: int, month: int = 1) -> str:
    """Return an ISO time in 2026 (WITA, +08:00)."""
    return f"2026-{month:02d}-{day:02d}T08:00:00+08:00"


def nickel_chain() -> Chain:
    """Ore → MHP at an HPAL plant; MHP + recycled NiSO4 → NiSO4 at a refinery; → pCAM."""
    chain = Chain()
    chain.commission(
        Lot(
            "ORE-1",
            "laterite_ore_limonite",
            1000.0,
            owner="mine",
            facility="mine-a",
            attributes={"irma_share": 1.0},
        ),
        t(1),
    )
    chain.commission(
        Lot("ORE-2", "laterite_ore_limonite", 500.0, owner="mine", facility="mine-b"), t(1)
    )
    chain.record(
        Event(
            "HPAL-1",
            EventKind.TRANSFORMATION,
            t(3),
            "hpal",
            inputs=(Portion("ORE-1", 1000.0), Portion("ORE-2", 500.0)),
            outputs=(Portion("MHP-1", 60.0),),
            losses_t=1440.0,
        ),
        new_lots=[Lot("MHP-1", "mhp", 60.0, owner="hpal-co", facility="hpal")],
    )
    chain.commission(
        Lot(
            "RNS-1",
            "nickel_sulfate",
            20.0,
            owner="recycler",
            facility="recycler",
            attributes={"recycled_post_consumer_share": 1.0},
        ),
        t(4),
    )
    chain.record(
        Event(
            "REF-1",
            EventKind.TRANSFORMATION,
            t(5),
            "refinery",
            inputs=(Portion("MHP-1", 60.0), Portion("RNS-1", 20.0)),
            outputs=(Portion("NS-1", 50.0), Portion("NS-2", 30.0)),
            stated_yield=1.0,
        ),
        new_lots=[
            Lot("NS-1", "nickel_sulfate", 50.0, facility="refinery"),
            Lot("NS-2", "nickel_sulfate", 30.0, facility="refinery"),
        ],
    )
    chain.record(
        Event(
            "PCAM-1",
            EventKind.TRANSFORMATION,
            t(6),
            "pcam",
            inputs=(Portion("NS-1", 50.0),),
            outputs=(Portion("PC-1", 40.0),),
            losses_t=10.0,
        ),
        new_lots=[Lot("PC-1", "pcam_nmc", 40.0, facility="pcam")],
    )
    return chain
