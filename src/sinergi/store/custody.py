"""The chain of custody in the database: atomic, idempotent appends and reading it back.

:func:`append` adds events (and the lots they make) in one transaction: the stored chain is
read, every new event is checked against it in memory (:class:`~sinergi.custody.Chain`), and
only if all pass are the rows written, each event with one audit-ledger entry
(``custody.event``, the event's canonical hash as ``after_sha256``, the imported file's
SHA-256 as evidence). An event already stored with the same hash is skipped (so importing a
file again changes nothing); one stored under the same id with another hash is refused.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, insert, select

from sinergi.custody import Chain, Event, Lot, Trace
from sinergi.custody.accounts import (
    DEFAULT_PERIOD_MONTHS,
    Accounting,
    Certificate,
    Claim,
    CustodyModel,
    SiteModel,
    replay,
)
from sinergi.custody.epcis import event_from_epcis, event_to_epcis, lot_record
from sinergi.custody.lots import Characteristic
from sinergi.errors import CustodyError, UnknownLot
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
            return {(m.site, m.product_group): m for m in _read_models(conn)}

    def upstream(self, lot_id: str) -> Trace:
        """Return a lot's upstream trace reading only the events upstream of it.

        A recursive query over ``custody_portions`` finds the events that made the lot and,
        in turn, its inputs; only those events are read back and replayed, so the cost
        follows the size of the lot's history, not of the whole chain.
        """
        return self.history(lot_id).chain.upstream(lot_id)

    def history(self, lot_id: str) -> Accounting:
        """Return the accounting of a lot's history only: its upstream events and claims.

        For reading a lot, its genealogy, claims and passport: shares and claims of the
        lots upstream are exactly those of the whole chain (a lot's history is closed
        upstream), while the cost follows the lot's history. Checking new claims against the
        ledger still needs the whole chain (:meth:`accounting`).
        """
        with self.store._transaction() as conn:
            seqs = _upstream_events(conn, lot_id)
            if not seqs:
                raise UnknownLot(f"lot {lot_id!r} is not in the database")
            query = (
                select(sc.custody_events.c.body)
                .where(sc.custody_events.c.seq.in_(seqs))
                .order_by(sc.custody_events.c.seq)
            )
            chain = Chain()
            for row in conn.execute(query):
                event, made = event_from_epcis(row.body)
                chain.record(event, new_lots=made)
            claims = [c for c in _read_claims(conn) if c.lot in chain.lots]
            models = {(m.site, m.product_group): m for m in _read_models(conn)}
            certificates = _read_certificates(conn)
        accounting = Accounting(chain, models, certificates=certificates)
        accounting.claims.update({(c.lot, c.characteristic): c for c in claims})
        return accounting

    def lots(self, lot_ids: list[str]) -> dict[str, Lot]:
        """Return the named lots as stored."""
        table = sc.custody_lots
        with self.store._transaction() as conn:
            rows = conn.execute(select(table).where(table.c.id.in_(lot_ids))).all()
        return {
            r.id: Lot(
                r.id,
                r.commodity,
                r.quantity,
                unit=r.unit,
                owner=r.owner,
                facility=r.facility,
                period=r.period,
                attributes=dict(r.attributes),
                evidence=tuple(r.evidence),
                mass_t=r.mass_t,
                synthetic=r.synthetic,
            )
            for r in rows
        }

    def claims(self) -> list[Claim]:
        """Return the claims made on lots."""
        with self.store._transaction() as conn:
            return _read_claims(conn)

    def accounting(self, period_months: int = DEFAULT_PERIOD_MONTHS) -> Accounting:
        """Return the custody accounting of the stored chain, replayed period by period."""
        with self.store._transaction() as conn:
            chain = _read_chain(conn)
            claims = _read_claims(conn)
            certificates = _read_certificates(conn)
        return replay(
            chain, self.models(), claims, period_months=period_months, certificates=certificates
        )

    def pack_by_passport(self, passport_id: str) -> dict[str, Any] | None:
        """Return the passport facts whose passport identifier is ``passport_id``, if any."""
        with self.store._transaction() as conn:
            rows = conn.execute(select(sc.custody_packs.c.facts)).all()
        for row in rows:
            if dict(row.facts).get("passport_id") == passport_id:
                return dict(row.facts)
        return None

    def pack_facts(self, lot_id: str) -> dict[str, Any] | None:
        """Return the stored passport facts of a pack lot, if any."""
        with self.store._transaction() as conn:
            row = conn.execute(
                select(sc.custody_packs.c.facts).where(sc.custody_packs.c.lot_id == lot_id)
            ).first()
        return None if row is None else dict(row.facts)

    def packs_at(self, sites: Collection[str]) -> list[dict[str, Any]]:
        """Return the passport facts of the packs made at, or owned by, one of ``sites``.

        A company's packs are those whose lot names one of its nodes as facility or owner,
        ordered by pack id.
        """
        if not sites:
            return []
        lots, packs = sc.custody_lots.c, sc.custody_packs.c
        wanted = sorted(sites)
        query = (
            select(packs.lot_id, packs.facts)
            .join(sc.custody_lots, lots.id == packs.lot_id)
            .where(lots.facility.in_(wanted) | lots.owner.in_(wanted))
            .order_by(packs.lot_id)
        )
        with self.store._transaction() as conn:
            return [dict(row.facts) for row in conn.execute(query)]

    # -- writing -------------------------------------------------------------------------
    def append(
        self,
        events: Iterable[tuple[Event, list[Lot]]],
        *,
        evidence_sha256: str | None = None,
        models: Iterable[SiteModel] = (),
        claims: Iterable[Claim] = (),
        certificates: Iterable[Certificate] = (),
        packs: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> AppendResult:
        """Check and add events, models, claims and pack facts in one transaction.

        With models or claims given, the whole chain's accounting is replayed
        (:func:`~sinergi.custody.accounts.replay`) before anything is written, so a claim the
        ledger cannot cover refuses the whole append.
        """
        models, claims, certificates = list(models), list(claims), list(certificates)
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
            if models or claims or certificates:
                stored_models = {(m.site, m.product_group): m for m in _read_models(conn)}
                stored_models |= {(m.site, m.product_group): m for m in models}
                old = {(c.lot, c.characteristic): c for c in _read_claims(conn)}
                new = [c for c in claims if old.get((c.lot, c.characteristic)) != c]
                merged = old | {(c.lot, c.characteristic): c for c in new}
                certs = _read_certificates(conn) | {c.id: c for c in certificates}
                replay(chain, stored_models, list(merged.values()), certificates=certs)
                _write_claims(conn, new)
                _write_certificates(conn, certificates)
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
            audit.append_many(
                conn,
                self.actor,
                [
                    (
                        "custody.event",
                        "custody_event",
                        row["id"],
                        row["event_hash"],
                        evidence_sha256,
                        {"kind": row["kind"], "facility": row["facility"]},
                    )
                    for row in events
                ],
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


def _upstream_events(conn: Connection, lot_id: str) -> list[int]:
    """Return the seq of every event upstream of a lot (recursive SQL, both backends)."""
    portions = sc.custody_portions
    made = portions.alias("made")
    used = portions.alias("used")
    maker = portions.alias("maker")
    start = (
        select(made.c.event_seq.label("seq"))
        .where(made.c.lot_id == lot_id, made.c.role == "out")
        .cte("up", recursive=True)
    )
    step = select(maker.c.event_seq).where(
        used.c.event_seq == start.c.seq,
        used.c.role == "in",
        maker.c.lot_id == used.c.lot_id,
        maker.c.role == "out",
    )
    tree = start.union(step)
    return [int(r.seq) for r in conn.execute(select(tree.c.seq))]


def _read_models(conn: Connection) -> list[SiteModel]:
    rows = conn.execute(select(sc.custody_models)).all()
    return [
        SiteModel(r.site, r.product_group, CustodyModel(r.model), r.conversion_factor) for r in rows
    ]


def _read_certificates(conn: Connection) -> dict[str, Certificate]:
    rows = conn.execute(select(sc.custody_certificates)).all()
    return {
        r.id: Certificate(
            r.id, Characteristic(r.characteristic), r.product_group, r.quantity, r.issuer
        )
        for r in rows
    }


def _write_certificates(conn: Connection, certificates: list[Certificate]) -> None:
    table = sc.custody_certificates
    for cert in certificates:
        conn.execute(table.delete().where(table.c.id == cert.id))
        conn.execute(
            insert(table),
            [
                {
                    "id": cert.id,
                    "characteristic": cert.characteristic.value,
                    "product_group": cert.product_group,
                    "quantity": cert.quantity,
                    "issuer": cert.issuer,
                }
            ],
        )


def _read_claims(conn: Connection) -> list[Claim]:
    rows = conn.execute(select(sc.custody_claims)).all()
    return [Claim(r.lot_id, Characteristic(r.characteristic), r.share) for r in rows]


def _write_claims(conn: Connection, claims: list[Claim]) -> None:
    table = sc.custody_claims
    for claim in claims:
        key = (table.c.lot_id == claim.lot) & (table.c.characteristic == claim.characteristic.value)
        conn.execute(table.delete().where(key))
        conn.execute(
            insert(table),
            [
                {
                    "lot_id": claim.lot,
                    "characteristic": claim.characteristic.value,
                    "share": claim.share,
                }
            ],
        )
