"""The chain of custody in the database: atomic, idempotent appends and reading it back.

:func:`append` adds events (and the lots they make) in one transaction: the stored chain is
read, every new event is checked against it in memory (:class:`~sinergi.custody.Chain`), and
only if all pass are the rows written, each event with one audit-ledger entry
(``custody.event``, the event's canonical hash as ``after_sha256``, the imported file's
SHA-256 as evidence). An event already stored with the same hash is skipped (so importing a
file again changes nothing); one stored under the same id with another hash is refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, insert, select

from sinergi.custody import Chain, Event, Lot
from sinergi.custody.accounts import CustodyModel, SiteModel
from sinergi.custody.epcis import event_from_epcis, event_to_epcis, lot_record
from sinergi.errors import CustodyError
from sinergi.model.audit import Actor
from sinergi.store import audit
from sinergi.store import schema_custody as sc
from sinergi.store.repository import Store

__all__ = ["AppendResult", "CustodyRecords"]

_BATCH = 5000


@dataclass(frozen=True)
class AppendResult:
    """What an append did: events and lots added, events already stored (skipped)."""

    added: int
    lots: int
    unchanged: int


def _hex(event_id: str) -> str:
    return event_id.removeprefix("ni:///sha-256;").split("?")[0]


class CustodyRecords:
    """Custody lots, events, models and pack facts of one store."""

    def __init__(self, store: Store, actor: Actor | None = None) -> None:
        self.store = store
        self.actor = actor or getattr(store, "actor", None) or Actor("sinergi")

    # -- reading -------------------------------------------------------------------------
    def chain(self) -> Chain:
        """Return the stored chain, every event re-checked and its hash verified."""
        with self.store._transaction() as conn:
            return _read_chain(conn)

    def count(self) -> int:
        """Return how many events are stored."""
        with self.store._transaction() as conn:
            return int(
                conn.execute(select(func.count()).select_from(sc.custody_events)).scalar() or 0
            )

    def models(self) -> dict[tuple[str, str], SiteModel]:
        """Return the custody model of each (site, product group)."""
        with self.store._transaction() as conn:
            rows = conn.execute(select(sc.custody_models)).all()
        return {
            (r.site, r.product_group): SiteModel(
                r.site, r.product_group, CustodyModel(r.model), r.conversion_factor
            )
            for r in rows
        }

    def pack_facts(self, lot_id: str) -> dict[str, Any] | None:
        """Return the stored passport facts of a pack lot, if any."""
        with self.store._transaction() as conn:
            row = conn.execute(
                select(sc.custody_packs.c.facts).where(sc.custody_packs.c.lot_id == lot_id)
            ).first()
        return None if row is None else dict(row.facts)

    # -- writing -------------------------------------------------------------------------
    def append(
        self,
        events: Iterable[tuple[Event, list[Lot]]],
        *,
        evidence_sha256: str | None = None,
        models: Iterable[SiteModel] = (),
        packs: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> AppendResult:
        """Check and add events, custody models and pack facts in one transaction."""
        with self.store._transaction() as conn:
            chain = _read_chain(conn)
            stored = {e.id: e for e in chain.events}
            start = len(chain.events)
            added: list[tuple[Event, list[Lot]]] = []
            unchanged = 0
            for event, made in events:
                if event.id in stored:
                    if stored[event.id] != event:
                        raise CustodyError(
                            f"event {event.id} is stored with another content; an event "
                            "cannot change (record a correcting event instead)"
                        )
                    unchanged += 1
                    continue
                chain.record(event, new_lots=made)
                stored[event.id] = event
                added.append((event, made))
            self._write(conn, chain, added, start, evidence_sha256)
            _write_models(conn, models)
            _write_packs(conn, chain, packs or {})
        return AppendResult(len(added), sum(len(m) for _, m in added), unchanged)

    def _write(
        self,
        conn: Connection,
        chain: Chain,
        added: list[tuple[Event, list[Lot]]],
        start: int,
        evidence_sha256: str | None,
    ) -> None:
        units = {k: lot.unit for k, lot in chain.lots.items() if lot.unit != "t"}
        for batch_start in range(0, len(added), _BATCH):
            events: list[dict[str, Any]] = []
            lots: list[dict[str, Any]] = []
            portions: list[dict[str, Any]] = []
            for offset, (event, made) in enumerate(added[batch_start : batch_start + _BATCH]):
                seq = start + batch_start + offset + 1
                body = event_to_epcis(event, made, units)
                events.append(_event_row(seq, event, body))
                lots.extend({**_lot_row(lot), "made_by": event.id} for lot in made)
                portions.extend(_portion_rows(seq, event))
            conn.execute(insert(sc.custody_events), events)
            if lots:
                conn.execute(insert(sc.custody_lots), lots)
            if portions:
                conn.execute(insert(sc.custody_portions), portions)
            for row in events:
                audit.append(
                    conn,
                    self.actor,
                    "custody.event",
                    "custody_event",
                    row["id"],
                    after_sha256=row["event_hash"],
                    evidence_sha256=evidence_sha256,
                    detail={"kind": row["kind"], "facility": row["facility"]},
                )


def _event_row(seq: int, event: Event, body: dict[str, Any]) -> dict[str, Any]:
    return {
        "seq": seq,
        "id": event.id,
        "kind": event.kind.value,
        "time": event.time,
        "facility": event.facility,
        "event_hash": _hex(body["eventID"]),
        "body": body,
    }


def _lot_row(lot: Lot) -> dict[str, Any]:
    record = lot_record(lot)
    return {
        "id": lot.id,
        "commodity": lot.commodity,
        "quantity": lot.quantity,
        "unit": lot.unit,
        "owner": lot.owner,
        "facility": lot.facility,
        "period": lot.period,
        "attributes": record["attributes"],
        "evidence": record["evidence"],
        "mass_t": lot.mass_t,
        "synthetic": lot.synthetic,
    }


def _portion_rows(seq: int, event: Event) -> Iterator[dict[str, Any]]:
    for role, portions in (("in", event.inputs), ("out", event.outputs)):
        for portion in portions:
            yield {
                "event_seq": seq,
                "lot_id": portion.lot,
                "role": role,
                "quantity": portion.quantity,
            }


def _write_models(conn: Connection, models: Iterable[SiteModel]) -> None:
    table = sc.custody_models
    for model in models:
        key = (table.c.site == model.site) & (table.c.product_group == model.product_group)
        conn.execute(table.delete().where(key))
        conn.execute(
            insert(table),
            [
                {
                    "site": model.site,
                    "product_group": model.product_group,
                    "model": model.model.value,
                    "conversion_factor": model.conversion_factor,
                }
            ],
        )


def _write_packs(conn: Connection, chain: Chain, packs: Mapping[str, Mapping[str, Any]]) -> None:
    table = sc.custody_packs
    for lot_id, facts in packs.items():
        chain.lot(lot_id)  # the pack must be a lot of the chain
        conn.execute(table.delete().where(table.c.lot_id == lot_id))
        conn.execute(insert(table), [{"lot_id": lot_id, "facts": dict(facts)}])


def _read_chain(conn: Connection) -> Chain:
    chain = Chain()
    query = select(sc.custody_events.c.body).order_by(sc.custody_events.c.seq)
    for row in conn.execute(query):
        event, made = event_from_epcis(row.body)
        chain.record(event, new_lots=made)
    return chain
