"""The chain of custody in the database: atomic, idempotent appends and reading it back.

:meth:`CustodyRecords.append` adds events (and the lots they make) in one transaction: the
stored lots the new events touch are read (with what converting events already used of
each), every new event is checked against them in memory (:class:`~sinergi.custody.Chain`,
the same checks as on the whole chain), and only if all pass are the rows written, each
event with one audit-ledger entry (``custody.event``, the event's canonical hash as
``after_sha256``, the imported file's SHA-256 as evidence). An event already stored with the
same hash is skipped (so importing a file again changes nothing); one stored under the same id
with another hash is refused.

**Bounded reads.** No user path reads the whole chain except ``lots export``. A lot's
upstream history and its downstream events are found by recursive queries over
``custody_portions``; ``lots show`` reads the lot's own events; new claims, credit transfers
and custody models are checked by replaying only the mass-balance accounts they touch
(:func:`~sinergi.custody.accounts.replay` with ``accounts``), with every event of those
sites and the upstream history of their lots; book-and-claim claims and certificates by
reading only the claims of their pool.

**The credit journal.** Each append also writes, in the same transaction, what the lots it
makes pass on of each characteristic (``custody_shares``) and the credit every new event
books and the debit every new claim books (``custody_journal``), and books again the events
a new claim or model changes (downstream of the claimed lot, at the model's sites and
downstream of their lots). The balance of a site-period is then a sum over the journal
(:func:`~sinergi.custody.accounts.close_ledger`): no event is read or re-hashed. Figures and
refusals equal those of a replay of the whole chain (tested on both backends).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import CTE, Connection, func, insert, select
from sqlalchemy.exc import IntegrityError

from sinergi.custody import Chain, Event, Lot, Trace
from sinergi.custody.accounts import (
    DEFAULT_PERIOD_MONTHS,
    Accounting,
    Certificate,
    Claim,
    CustodyModel,
    SiteModel,
    Transfer,
    accounting_period,
    close_ledger,
    period_order,
    replay,
    retire_in_order,
)
from sinergi.custody.epcis import event_from_epcis, event_to_epcis, lot_record
from sinergi.custody.events import EventKind
from sinergi.custody.journal import Entry, LotShares, claim_debit, event_credits, lot_shares
from sinergi.custody.lots import CLAIMABLE, Characteristic
from sinergi.errors import CustodyError, UnknownLot
from sinergi.i18n import N_
from sinergi.i18n.messages import Msg, msg
from sinergi.model.audit import Actor
from sinergi.store import audit
from sinergi.store import schema_custody as sc
from sinergi.store.bulk import insert_rows
from sinergi.store.repository import Store

__all__ = ["AppendResult", "CustodyRecords"]

_BATCH = 5000
#: Ids per ``IN (...)`` list: below SQLite's oldest limit of 999 bound parameters.
_CHUNK = 900
_CONVERTING = [k.value for k in EventKind if k.converts]
#: Growth of the events table beyond its statistics' count that makes an append analyse it.
_ANALYZE_SHARE = 0.1


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
        """Return the whole stored chain, every event re-checked and its hash verified.

        Only ``lots export`` needs it; every other path reads the part of the chain it
        concerns.
        """
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

    def downstream(self, lot_id: str) -> tuple[Trace, Chain]:
        """Return a lot's downstream trace and the part of the chain it was computed on.

        A recursive query over ``custody_portions`` finds the converting events that used
        the lot and, in turn, its outputs; only those events are read (the other lots they
        take in are seeded from ``custody_lots``), so the cost follows the lot's descendants.
        """
        with self.store._transaction() as conn:
            if not _lots_exist(conn, [lot_id]):
                raise UnknownLot(_not_stored(lot_id))
            chain = _load(conn, _downstream_events(conn, [lot_id]), seed=[lot_id])
        return chain.downstream(lot_id), chain

    def lot_view(self, lot_id: str) -> tuple[Chain, list[Claim]]:
        """Return the part of the chain around one lot (its own events) and its claims.

        The events that made, used or moved the lot are read (found through the portions'
        index by lot), enough for who made it, how much is used and who holds it now.
        """
        with self.store._transaction() as conn:
            if not _lots_exist(conn, [lot_id]):
                raise UnknownLot(_not_stored(lot_id))
            table = sc.custody_portions
            seqs = {
                int(r.event_seq)
                for r in conn.execute(
                    select(table.c.event_seq).where(table.c.lot_id == lot_id).distinct()
                )
            }
            chain = _load(conn, seqs, seed=[lot_id])
            claims = _claims_on(conn, [lot_id])
        return chain, claims

    def history(self, lot_id: str) -> Accounting:
        """Return the accounting of a lot's history only: its upstream events and claims.

        For reading a lot, its genealogy, claims and passport: shares and claims of the
        lots upstream are exactly those of the whole chain (a lot's history is closed
        upstream), while the cost follows the lot's history.
        """
        with self.store._transaction() as conn:
            seqs = _upstream_events(conn, [lot_id])
            if not seqs:
                raise UnknownLot(_not_stored(lot_id))
            chain = _load(conn, seqs)
            claims = _claims_on(conn, chain.lots)
            models = {(m.site, m.product_group): m for m in _read_models(conn)}
            certificates = _read_certificates(conn)
        accounting = Accounting(chain, models, certificates=certificates)
        accounting.claims.update({(c.lot, c.characteristic): c for c in claims})
        return accounting

    def lots(self, lot_ids: list[str]) -> dict[str, Lot]:
        """Return the named lots as stored."""
        with self.store._transaction() as conn:
            return _read_lots(conn, lot_ids)

    def claims(self) -> list[Claim]:
        """Return the claims made on lots."""
        with self.store._transaction() as conn:
            return _read_claims(conn)

    def transfers(self) -> list[Transfer]:
        """Return the credit transfers between sites, in time order."""
        with self.store._transaction() as conn:
            return _read_transfers(conn)

    def accounting(self, period_months: int = DEFAULT_PERIOD_MONTHS) -> Accounting:
        """Return the custody accounting of the whole stored chain, replayed period by period.

        Reads everything: the tests' reference for :meth:`balance`, not a user path.
        """
        with self.store._transaction() as conn:
            chain = _read_chain(conn)
            claims = _read_claims(conn)
            certificates = _read_certificates(conn)
            transfers = _read_transfers(conn)
            models = {(m.site, m.product_group): m for m in _read_models(conn)}
        return replay(
            chain,
            models,
            claims,
            period_months=period_months,
            certificates=certificates,
            transfers=transfers,
        )

    def balance(
        self,
        site: str,
        period: str,
        period_months: int = DEFAULT_PERIOD_MONTHS,
        group: str | None = None,
        *,
        replay: bool = False,
    ) -> Accounting:
        """Return the accounting of one site's mass-balance accounts up to ``period``.

        With the default period length the accounts are closed from the credit journal
        (``custody_journal``: per account and month, the sum of what events credited and
        claims debited), the credit transfers in and out and the accounts that sent credits
        in (:func:`~sinergi.custody.accounts.close_ledger`): no event is read. With another
        period length, or if a close fails a check (only a replay names the claim refused),
        the accounts are replayed instead: the converting events of the site up to the end
        of the period (and the upstream history of their lots, for the shares they credit),
        the claims on the site's lots and the transfers. Either way the figures equal those of
        the whole chain's :meth:`accounting` for these accounts (the returned accounting
        holds no events when the journal answered).

        Closing balances are kept (``custody_closings``, per period length), so the next
        balance of these accounts starts after the last period kept; an append that can
        change an account forgets its site's closings.

        With ``replay`` the accounts are recomputed from the stored events alone, from the
        first period on: neither the journal nor a kept closing is read, and nothing is kept.
        An auditor's check that the journal tells what the events say (``custody balance
        --replay``), and the benchmark's journal-free peer.
        """
        if replay:
            return self._replayed_balance(site, period, period_months, group)
        with self.store._transaction() as conn:
            models = {(m.site, m.product_group): m for m in _read_models(conn)}
            start = _site_accounts(models, site, group)
            end = _period_end(period, period_months)
            accounts, transfers = _transfer_closure(conn, start, [], end)
            carried = _cached_closings(conn, accounts, period_months, period)
            after = None
            if carried:
                last = next(iter(carried))[3]
                after = _period_start(_next_period(last, period_months), period_months)
            accounting = None
            if period_months == DEFAULT_PERIOD_MONTHS:
                accounting = close_ledger(
                    accounts,
                    models,
                    _journal_sums(conn, accounts, end, after),
                    [t for t in transfers if after is None or t.time >= after],
                    period_months=period_months,
                    through=period,
                    carried=carried,
                )
            if accounting is None:
                accounting, accounts = _replay_accounts(
                    conn,
                    models,
                    accounts,
                    period_months=period_months,
                    before=end,
                    after=after,
                    through=period,
                    carried=carried,
                )
            _keep_closings(conn, accounting, accounts, period_months)
        return accounting

    def _replayed_balance(
        self, site: str, period: str, period_months: int, group: str | None
    ) -> Accounting:
        """Replay ``site``'s accounts from the stored events up to ``period`` (see balance)."""
        with self.store._transaction() as conn:
            models = {(m.site, m.product_group): m for m in _read_models(conn)}
            start = _site_accounts(models, site, group)
            accounting, _accounts = _replay_accounts(
                conn,
                models,
                start,
                period_months=period_months,
                before=_period_end(period, period_months),
                through=period,
            )
        return accounting

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
        transfers: Iterable[Transfer] = (),
        packs: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> AppendResult:
        """Check and add events, models, claims, transfers and pack facts in one transaction.

        New events are checked against the stored lots they touch. New claims, credit
        transfers and custody models are checked by replaying the mass-balance accounts they
        touch (and those downstream of a newly claimed lot or of the lots made at a site
        whose model changed, whose shares they change); a claim at a book-and-claim site and
        a new or changed certificate against every claim of its certificate pool. Either way
        a claim or transfer the ledger cannot cover refuses the whole append. The credit
        journal is written last (:func:`_journal_append`).
        """
        models, claims = list(models), list(claims)
        certificates, transfers = list(certificates), list(transfers)
        with self.store._transaction() as conn:
            incoming = list(events)
            stored = _stored_events(conn, [e.id for e, _ in incoming])
            added: list[tuple[Event, list[Lot]]] = []
            unchanged = 0
            fresh: list[tuple[Event, list[Lot]]] = []
            for event, made in incoming:
                if event.id in stored:
                    if stored[event.id] != event:
                        raise CustodyError(
                            msg(
                                N_(
                                    "event {id} is stored with another content; an event "
                                    "cannot change (record a correcting event instead)"
                                ),
                                id=event.id,
                            )
                        )
                    unchanged += 1
                    continue
                fresh.append((event, made))
            touched = {p.lot for e, m in fresh for p in (*e.inputs, *e.outputs)}
            touched |= {lot.id for _e, m in fresh for lot in m}
            touched |= set(packs or {})
            chain = Chain()
            chain.seed(_read_lots(conn, touched).values(), _used(conn, touched))
            for event, made in fresh:
                chain.record(event, new_lots=made)
                added.append((event, made))
            old_models = {(m.site, m.product_group): m for m in _read_models(conn)}
            new_models = [m for m in models if old_models.get((m.site, m.product_group)) != m]
            merged_models = old_models | {(m.site, m.product_group): m for m in new_models}
            old_certs = _read_certificates(conn)
            new_certs = [c for c in certificates if old_certs.get(c.id) != c]
            new_claims = _new_claims(conn, claims)
            new_transfers = _new_transfers(conn, transfers)
            stale = _check_changes(
                conn,
                chain,
                added,
                old_models,
                merged_models,
                new_claims,
                new_transfers,
                old_certs,
                new_certs,
            )
            _forget_closings(conn, stale)
            _write_claims(conn, new_claims)
            _write_certificates(conn, new_certs)
            _write_transfers(conn, new_transfers)
            start = int(conn.execute(select(func.max(sc.custody_events.c.seq))).scalar() or 0)
            self._write(conn, chain, added, start, evidence_sha256)
            if added:
                _analyze_if_grown(conn, start + len(added))
            _write_models(conn, new_models)
            _write_packs(conn, chain, packs or {})
            journaled = _journal_append(conn, start, added, merged_models, new_claims, new_models)
            if stale is not None:
                _forget_closings(conn, journaled)
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
            insert_rows(conn, sc.custody_events, events)
            insert_rows(conn, sc.custody_lots, lots)
            insert_rows(conn, sc.custody_portions, portions)
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


def _not_stored(lot_id: str) -> Msg:
    return msg(N_("lot {lot} is not in the database"), lot=repr(lot_id))


def _analyze_if_grown(conn: Connection, stored: int) -> None:
    """On PostgreSQL, refresh the planner's statistics of the custody tables once they grew.

    The traces and an import's checks are recursive queries and joins over
    ``custody_portions`` and ``custody_events``, planned from the tables' statistics. After a
    bulk load without statistics PostgreSQL planned them as scans of the whole tables (19–20 s
    instead of under a millisecond at a million events; docs/benchmarks.md). Autovacuum
    analyses a table once about 10 % of it changed, but only at its next round (while the
    next import may already run) and not at all where it is switched off. So the append
    itself applies the same rule, in its transaction: when the events stored (``stored``)
    exceed by more than :data:`_ANALYZE_SHARE` the count the statistics know
    (``pg_class.reltuples``; none before the first analysis), the events, portions and lots
    tables are analysed. ``ANALYZE`` samples a bounded number of rows (well under a second
    each at a million events), and growth by a tenth at a time bounds how often it runs.
    SQLite plans these queries from the indexes alone.
    """
    if conn.dialect.name != "postgresql":
        return
    quote = conn.dialect.identifier_preparer.quote
    events = quote(sc.custody_events.name)
    known = conn.exec_driver_sql(
        f"SELECT reltuples FROM pg_class WHERE oid = to_regclass('{events}')"
    ).scalar()
    if stored <= (1 + _ANALYZE_SHARE) * max(float(known or 0), 0.0):
        return
    for table in (sc.custody_events, sc.custody_portions, sc.custody_lots):
        conn.exec_driver_sql(f"ANALYZE {quote(table.name)}")


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


def _chunks(items: Iterable[Any], size: int = _CHUNK) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _read_chain(conn: Connection) -> Chain:
    chain = Chain()
    query = select(sc.custody_events.c.body).order_by(sc.custody_events.c.seq)
    for row in conn.execute(query):
        event, made = event_from_epcis(row.body)
        chain.record(event, new_lots=made)
    return chain


def _lot_from_row(r: Any) -> Lot:
    return Lot(
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


def _read_lots(conn: Connection, lot_ids: Iterable[str]) -> dict[str, Lot]:
    table = sc.custody_lots
    out: dict[str, Lot] = {}
    for chunk in _chunks(sorted(set(lot_ids))):
        for r in conn.execute(select(table).where(table.c.id.in_(chunk))):
            out[r.id] = _lot_from_row(r)
    return out


def _lots_exist(conn: Connection, lot_ids: list[str]) -> bool:
    table = sc.custody_lots
    found = conn.execute(select(func.count()).where(table.c.id.in_(lot_ids))).scalar()
    return int(found or 0) == len(set(lot_ids))


def _used(conn: Connection, lot_ids: Iterable[str]) -> dict[str, float]:
    """Return how much of each lot stored converting events have used (in its unit)."""
    portions, events = sc.custody_portions, sc.custody_events
    out: dict[str, float] = {}
    for chunk in _chunks(sorted(set(lot_ids))):
        query = (
            select(portions.c.lot_id, func.sum(portions.c.quantity).label("used"))
            .join(events, events.c.seq == portions.c.event_seq)
            .where(
                portions.c.lot_id.in_(chunk),
                portions.c.role == "in",
                events.c.kind.in_(_CONVERTING),
            )
            .group_by(portions.c.lot_id)
        )
        out.update({r.lot_id: float(r.used) for r in conn.execute(query)})
    return out


def _stored_events(conn: Connection, event_ids: Iterable[str]) -> dict[str, Event]:
    table = sc.custody_events
    out: dict[str, Event] = {}
    for chunk in _chunks(sorted(set(event_ids))):
        for r in conn.execute(select(table.c.id, table.c.body).where(table.c.id.in_(chunk))):
            out[r.id] = event_from_epcis(r.body)[0]
    return out


def _load(conn: Connection, seqs: Collection[int], seed: Iterable[str] = ()) -> Chain:
    """Return the chain of the stored events ``seqs`` (in recorded order).

    The lots they take in but do not make (and the ``seed`` lots) are seeded from
    ``custody_lots``; every event is re-checked against what is loaded and its hash verified.
    """
    table = sc.custody_events
    rows: list[tuple[int, Any]] = []
    for chunk in _chunks(sorted(seqs)):
        query = select(table.c.seq, table.c.body).where(table.c.seq.in_(chunk))
        rows.extend((int(r.seq), r.body) for r in conn.execute(query))
    rows.sort(key=lambda r: r[0])
    decoded = [event_from_epcis(body) for _seq, body in rows]
    made = {lot.id for _e, lots in decoded for lot in lots}
    outside = {p.lot for e, _m in decoded for p in e.inputs} | set(seed)
    chain = Chain()
    chain.seed(_read_lots(conn, outside - made).values())
    for event, lots in decoded:
        chain.record(event, new_lots=lots)
    return chain


def _event_tree(chunk: list[str], first: str, name: str) -> CTE:
    """Return the recursive query of the events linked to some lots, one way along the chain.

    Upstream (``first="out"``): the events that made the lots, then the events that made
    their inputs, and so on. Downstream (``first="in"``): the events that took the lots in,
    then those that took their outputs in. Both run through the same indexes.
    """
    portions = sc.custody_portions
    other = "in" if first == "out" else "out"
    seed = portions.alias("seed")
    step = portions.alias("step")
    link = portions.alias("link")
    start = (
        select(seed.c.event_seq.label("seq"))
        .where(seed.c.lot_id.in_(chunk), seed.c.role == first)
        .cte(name, recursive=True)
    )
    nxt = select(link.c.event_seq).where(
        step.c.event_seq == start.c.seq,
        step.c.role == other,
        link.c.lot_id == step.c.lot_id,
        link.c.role == first,
    )
    return start.union(nxt)


def _upstream_events(conn: Connection, lot_ids: Iterable[str]) -> set[int]:
    """Return the seq of every event upstream of some lots (recursive SQL, both backends)."""
    out: set[int] = set()
    for chunk in _chunks(sorted(set(lot_ids))):
        tree = _event_tree(chunk, "out", "up")
        out.update(int(r.seq) for r in conn.execute(select(tree.c.seq)))
    return out


def _downstream_events(conn: Connection, lot_ids: Iterable[str]) -> set[int]:
    """Return the seq of every converting event downstream of some lots (recursive SQL).

    From the events that take a lot in, to the events that take their outputs in, and so
    on; shipping and receiving take a lot in but make nothing, so they end a path and are
    dropped afterwards.
    """
    events = sc.custody_events
    out: set[int] = set()
    for chunk in _chunks(sorted(set(lot_ids))):
        tree = _event_tree(chunk, "in", "down")
        query = (
            select(tree.c.seq)
            .join(events, events.c.seq == tree.c.seq)
            .where(events.c.kind.in_(_CONVERTING))
        )
        out.update(int(r.seq) for r in conn.execute(query))
    return out


def _claims_on(conn: Connection, lot_ids: Iterable[str]) -> list[Claim]:
    table = sc.custody_claims
    out: list[Claim] = []
    for chunk in _chunks(sorted(set(lot_ids))):
        rows = conn.execute(select(table).where(table.c.lot_id.in_(chunk)))
        out.extend(Claim(r.lot_id, Characteristic(r.characteristic), r.share) for r in rows)
    return out


def _claims_at(
    conn: Connection,
    accounts: set[tuple[str, str]],
    before: str | None,
    after: str | None = None,
) -> list[Claim]:
    """Return the stored claims on lots whose site and product group is one of ``accounts``.

    A lot's site is its facility, else the facility of the event that made it (as
    :meth:`Accounting.site_of`); only lots made before ``before`` and from ``after`` on
    (``YYYY-MM``) if given.
    """
    claims, lots, events = sc.custody_claims, sc.custody_lots, sc.custody_events
    sites = sorted({site for site, _group in accounts})
    out: list[Claim] = []
    for chunk in _chunks(sites):
        query = (
            select(
                claims.c.lot_id,
                claims.c.characteristic,
                claims.c.share,
                lots.c.facility,
                lots.c.commodity,
                events.c.facility.label("made_at"),
                events.c.time,
            )
            .join(lots, lots.c.id == claims.c.lot_id)
            .join(events, events.c.id == lots.c.made_by)
            .where(
                (lots.c.facility.in_(chunk))
                | ((lots.c.facility == "") & events.c.facility.in_(chunk))
            )
        )
        for r in conn.execute(query):
            if (r.facility or r.made_at, r.commodity) not in accounts:
                continue
            if (before is not None and r.time >= before) or (after and r.time < after):
                continue
            out.append(Claim(r.lot_id, Characteristic(r.characteristic), r.share))
    return out


def _sites_of(conn: Connection, lot_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Return the (site, product group) of stored lots (see :func:`_claims_at`)."""
    lots, events = sc.custody_lots, sc.custody_events
    out: dict[str, tuple[str, str]] = {}
    for chunk in _chunks(sorted(set(lot_ids))):
        query = (
            select(lots.c.id, lots.c.facility, lots.c.commodity, events.c.facility.label("at"))
            .join(events, events.c.id == lots.c.made_by)
            .where(lots.c.id.in_(chunk))
        )
        out.update({r.id: (r.facility or r.at, r.commodity) for r in conn.execute(query)})
    return out


def _period_start(period: str, months: int) -> str:
    """Return the first month (``YYYY-MM``) of an accounting period."""
    year, index = (int(x) for x in period.split("-P"))
    return f"{year}-{(index - 1) * months + 1:02d}"


def _next_period(period: str, months: int) -> str:
    year, index = (int(x) for x in period.split("-P"))
    return f"{year}-P{index + 1}" if index < 12 // months else f"{year + 1}-P1"


def _period_order(period: str) -> tuple[int, int]:
    year, index = period.split("-P")
    return int(year), int(index)


_ClosingKey = tuple[str, str, Characteristic, str]


def _cached_closings(
    conn: Connection, accounts: set[tuple[str, str]], months: int, period: str
) -> dict[_ClosingKey, float]:
    """Return the kept closings of every account at the latest period before ``period``.

    Only a period at which every one of ``accounts`` (each characteristic) is kept counts;
    none kept gives an empty result (the replay then starts at the beginning).
    """
    table = sc.custody_closings
    by_period: dict[str, dict[_ClosingKey, float]] = {}
    sites = sorted({site for site, _group in accounts})
    for chunk in _chunks(sites):
        query = select(table).where(table.c.site.in_(chunk), table.c.months == months)
        for r in conn.execute(query):
            if (r.site, r.product_group) not in accounts:
                continue
            key = (r.site, r.product_group, Characteristic(r.characteristic), r.period)
            by_period.setdefault(r.period, {})[key] = r.balance
    need = len(accounts) * len(CLAIMABLE)
    usable = [
        p
        for p, rows in by_period.items()
        if len(rows) == need and _period_order(p) < _period_order(period)
    ]
    if not usable:
        return {}
    return by_period[max(usable, key=_period_order)]


def _keep_closings(
    conn: Connection, accounting: Accounting, accounts: set[tuple[str, str]], months: int
) -> None:
    """Keep the closing balances a replay of ``accounts`` computed (a cache; see balance)."""
    table = sc.custody_closings
    rows = [
        {
            "site": site,
            "product_group": group,
            "characteristic": characteristic.value,
            "months": months,
            "period": period,
            "balance": balance,
        }
        for (site, group, characteristic, period), balance in accounting._closing.items()
        if (site, group) in accounts
    ]
    if not rows:
        return
    try:
        with conn.begin_nested():
            for chunk in _chunks(sorted({r["site"] for r in rows})):
                conn.execute(
                    table.delete().where(table.c.site.in_(chunk), table.c.months == months)
                )
            conn.execute(insert(table), rows)
    except IntegrityError:  # another reader kept the same closings at the same moment
        pass


def _forget_closings(conn: Connection, sites: set[str] | None) -> None:
    """Drop the kept closings of ``sites`` (all when ``None``): their accounts may change."""
    table = sc.custody_closings
    if sites is None:
        conn.execute(table.delete())
        return
    for chunk in _chunks(sorted(sites)):
        conn.execute(table.delete().where(table.c.site.in_(chunk)))


def _period_end(period: str, months: int) -> str:
    """Return the month (``YYYY-MM``) after an accounting period, for comparing times."""
    year, index = (int(x) for x in period.split("-P"))
    month = index * months + 1
    return f"{year + 1}-01" if month > 12 else f"{year}-{month:02d}"


def _transfer_closure(
    conn: Connection, accounts: set[tuple[str, str]], extra: list[Transfer], before: str | None
) -> tuple[set[tuple[str, str]], list[Transfer]]:
    """Return ``accounts`` with every account that sent credits into them, and the transfers.

    A transfer is checked against its source's balance, so the source is replayed too.
    """
    accounts = set(accounts)
    found: dict[str, Transfer] = {}
    table = sc.custody_transfers
    while True:
        sites = sorted({site for site, _group in accounts})
        for chunk in _chunks(sites):
            query = select(table).where(table.c.from_site.in_(chunk) | table.c.to_site.in_(chunk))
            for r in conn.execute(query):
                found.setdefault(r.id, _transfer_from_row(r))
        for t in extra:
            found[t.id] = t
        touching = [
            t
            for t in found.values()
            if (before is None or t.time < before)
            and (
                (t.from_site, t.product_group) in accounts
                or (t.to_site, t.to_product_group) in accounts
            )
        ]
        sources = {
            (t.from_site, t.product_group)
            for t in touching
            if (t.to_site, t.to_product_group) in accounts
        }
        if sources <= accounts:
            return accounts, sorted(touching, key=lambda t: (t.time, t.id))
        accounts |= sources


def _site_accounts(
    models: Mapping[tuple[str, str], SiteModel], site: str, group: str | None
) -> set[tuple[str, str]]:
    """Return ``site``'s mass-balance accounts (of ``group``, or all its groups)."""
    return {
        key
        for key, m in models.items()
        if key[0] == site and m.model is CustodyModel.MASS_BALANCE and group in (None, key[1])
    }


def _replay_accounts(
    conn: Connection,
    models: Mapping[tuple[str, str], SiteModel],
    accounts: set[tuple[str, str]],
    *,
    period_months: int = DEFAULT_PERIOD_MONTHS,
    before: str | None = None,
    after: str | None = None,
    through: str | None = None,
    carried: Mapping[tuple[str, str, Characteristic, str], float] | None = None,
    base: Chain | None = None,
    added: list[tuple[Event, list[Lot]]] | None = None,
    new_claims: list[Claim] | None = None,
    new_transfers: list[Transfer] | None = None,
    new_certs: list[Certificate] | None = None,
    check_lots: Collection[str] = (),
) -> tuple[Accounting, set[tuple[str, str]]]:
    """Replay only ``accounts`` (and the accounts that sent them credits) from the database.

    Loads every converting event of their sites (before ``before``, ``YYYY-MM``, if given)
    with the upstream history of the lots involved, the claims on their lots (checked again)
    and on ``check_lots`` (checked), the other claims on loaded lots (given: they fix
    shares), the transfers touching them; then the ``added`` events (new, already checked
    against ``base``), ``new_claims`` and ``new_transfers`` on top. With ``carried``
    closing balances (of a period before ``after``), only what happens from ``after`` on is
    replayed. Returns the accounting and the accounts replayed.
    """
    accounts, transfers = _transfer_closure(conn, accounts, new_transfers or [], before)
    if after is not None:
        transfers = [t for t in transfers if t.time >= after]
    sites = sorted({site for site, _group in accounts})
    events = sc.custody_events
    seqs: set[int] = set()
    for chunk in _chunks(sites):
        query = select(events.c.seq).where(
            events.c.facility.in_(chunk), events.c.kind.in_(_CONVERTING)
        )
        if before is not None:
            query = query.where(events.c.time < before)
        if after is not None:
            query = query.where(events.c.time >= after)
        seqs.update(int(r.seq) for r in conn.execute(query))
    found = _claims_at(conn, accounts, before, after)
    checked = {(c.lot, c.characteristic): c for c in found}
    checked |= {(c.lot, c.characteristic): c for c in _claims_on(conn, check_lots)}
    portions = sc.custody_portions
    outputs: set[str] = set()
    for chunk in _chunks(sorted(seqs)):
        query = select(portions.c.lot_id).where(
            portions.c.event_seq.in_(chunk), portions.c.role == "out"
        )
        outputs.update(r.lot_id for r in conn.execute(query))
    fresh = {lot.id for _e, made in (added or []) for lot in made}
    wanted = outputs | {lot for lot, _c in checked} | set(check_lots)
    wanted |= {c.lot for c in new_claims or [] if c.lot not in fresh}
    if base is not None:  # the stored lots the new events take in
        wanted |= {p.lot for e, _m in added or [] for p in e.inputs if p.lot not in fresh}
    chain = _load(conn, _upstream_events(conn, wanted - fresh) | seqs)
    if added:
        outside = {p.lot for e, _m in added for p in e.inputs} - fresh - set(chain.lots)
        chain.seed(_read_lots(conn, outside).values())
        for event, made in added:
            chain.record(event, new_lots=made)
    for claim in new_claims or []:
        checked[(claim.lot, claim.characteristic)] = claim
    given = [c for c in _claims_on(conn, chain.lots) if (c.lot, c.characteristic) not in checked]
    accounting = replay(
        chain,
        models,
        list(checked.values()),
        given=given,
        transfers=transfers,
        accounts=accounts,
        period_months=period_months,
        through=through,
        carried=carried,
        certificates=_read_certificates(conn) | {c.id: c for c in new_certs or []},
    )
    return accounting, accounts


def _new_claims(conn: Connection, claims: list[Claim]) -> list[Claim]:
    """Return the claims that are not stored as they are (new ones or changed shares)."""
    old = {(c.lot, c.characteristic): c for c in _claims_on(conn, [c.lot for c in claims])}
    latest = {(c.lot, c.characteristic): c for c in claims}
    return [c for key, c in latest.items() if old.get(key) != c]


def _new_transfers(conn: Connection, transfers: list[Transfer]) -> list[Transfer]:
    """Return the transfers not stored yet; refuse one stored under its id as another."""
    table = sc.custody_transfers
    old: dict[str, Transfer] = {}
    for chunk in _chunks(sorted({t.id for t in transfers})):
        for r in conn.execute(select(table).where(table.c.id.in_(chunk))):
            old[r.id] = _transfer_from_row(r)
    out: dict[str, Transfer] = {}
    for transfer in transfers:
        stored = old.get(transfer.id)
        if stored is not None and stored != transfer:
            raise CustodyError(
                msg(
                    N_(
                        "transfer {id} is stored with another content; a transfer cannot "
                        "change (record a correcting transfer back instead)"
                    ),
                    id=transfer.id,
                )
            )
        if stored is None:
            if transfer.id in out and out[transfer.id] != transfer:
                raise CustodyError(
                    msg(N_("transfer {id} is given twice with other content"), id=transfer.id)
                )
            out[transfer.id] = transfer
    return list(out.values())


def _check_changes(
    conn: Connection,
    base: Chain,
    added: list[tuple[Event, list[Lot]]],
    old_models: Mapping[tuple[str, str], SiteModel],
    models: Mapping[tuple[str, str], SiteModel],
    new_claims: list[Claim],
    new_transfers: list[Transfer],
    old_certs: Mapping[str, Certificate],
    new_certs: list[Certificate],
) -> set[str] | None:
    """Check what an append changes besides events; return the sites whose closings are stale.

    Certificate pools first (book-and-claim claims, certificates, models to or from book and
    claim), then the mass-balance accounts that new claims, transfers or models touch.
    ``None`` (every closing stale) when a custody model changed.
    """
    changed = {key: old_models.get(key) for key, m in models.items() if old_models.get(key) != m}
    _check_certificates(conn, base, models, new_claims, old_certs, new_certs, changed)
    stale = {e.facility for e, _m in added if e.kind.converts}
    if new_claims or new_transfers or changed:
        stale |= _check_accounts(
            conn, base, added, models, new_claims, new_transfers, new_certs, changed
        )
    return None if changed else stale


def _check_accounts(
    conn: Connection,
    base: Chain,
    added: list[tuple[Event, list[Lot]]],
    models: Mapping[tuple[str, str], SiteModel],
    new_claims: list[Claim],
    new_transfers: list[Transfer],
    new_certs: list[Certificate],
    changed: Mapping[tuple[str, str], SiteModel | None],
) -> set[str]:
    """Check new claims, transfers and models by replaying only the accounts they can change.

    A claim debits its lot's account and fixes the lot's share, which the events downstream
    of the lot credit from (or blend): so the accounts of the claimed lots, of every event
    downstream of them (new events included) and of both ends of each transfer are replayed,
    and every claim on a lot downstream is checked again. A book-and-claim claim is checked
    against its certificates by :func:`_check_certificates` (every claim of its pool, in
    the replay's order); here only what its share changes downstream. A ``changed`` model
    (with the model it replaces, if any) changes what its site credits and what the lots made
    there pass on: the events at its sites and downstream of their lots count as downstream
    of a claim, and the claims on those lots are checked again under the new models (an
    account that kept a mass balance before is replayed too, so a transfer it took part in is
    refused if it no longer keeps one). Returns the sites replayed (whose cached closings
    are stale).
    """
    fresh = {lot.id for _e, made in added for lot in made}
    claimed = {c.lot for c in new_claims}
    stored_claimed = claimed - fresh
    sites = _sites_of(conn, stored_claimed)
    for lot_id in claimed & fresh:
        lot = base.lot(lot_id)
        producer = base.producer(lot_id)
        sites[lot_id] = (lot.facility or (producer.facility if producer else ""), lot.commodity)
    for claim in new_claims:
        if claim.lot not in sites:
            raise UnknownLot(
                msg(N_("claim on lot {lot}: the lot is not in the chain"), lot=claim.lot)
            )
    roots = set(stored_claimed)
    seqs: set[int] = set()
    held: set[str] = set()
    if changed:
        last = int(conn.execute(select(func.max(sc.custody_events.c.seq))).scalar() or 0)
        seqs, held = _made_at(conn, {site for site, _group in changed}, last)
        roots |= held
    seqs |= _downstream_events(conn, roots) if roots else set()
    down = _load(conn, seqs) if seqs else Chain()
    keys = set(sites.values()) | set(changed)
    for part in (down, base):
        for event in part.events:
            if not event.kind.converts:
                continue
            for portion in event.outputs:
                lot = part.lot(portion.lot)
                keys.add((lot.facility or event.facility, lot.commodity))
                keys.add((event.facility, lot.commodity))
    accounts = {key for key in keys if _is_mass_balance(models, key)}
    accounts |= {
        key
        for key, old in changed.items()
        if old is not None and old.model is CustodyModel.MASS_BALANCE
    }
    for transfer in new_transfers:
        accounts |= {
            (transfer.from_site, transfer.product_group),
            (transfer.to_site, transfer.to_product_group),
        }
    check = [lot for lot in down.lots if down.producer(lot) is not None] + sorted(held)
    _accounting, replayed = _replay_accounts(
        conn,
        models,
        accounts,
        base=base,
        added=added,
        new_claims=new_claims,
        new_transfers=new_transfers,
        new_certs=new_certs,
        check_lots=check,
    )
    return {site for site, _group in replayed}


def _is_mass_balance(models: Mapping[tuple[str, str], SiteModel], key: tuple[str, str]) -> bool:
    model = models.get(key)
    return model is not None and model.model is CustodyModel.MASS_BALANCE


def _transfer_from_row(r: Any) -> Transfer:
    return Transfer(
        r.id,
        Characteristic(r.characteristic),
        r.product_group,
        r.from_site,
        r.to_site,
        r.quantity,
        r.time,
        r.to_product_group,
    )


def _read_transfers(conn: Connection) -> list[Transfer]:
    table = sc.custody_transfers
    rows = conn.execute(select(table).order_by(table.c.time, table.c.id)).all()
    return [_transfer_from_row(r) for r in rows]


def _write_transfers(conn: Connection, transfers: list[Transfer]) -> None:
    if not transfers:
        return
    conn.execute(
        insert(sc.custody_transfers),
        [
            {
                "id": t.id,
                "characteristic": t.characteristic.value,
                "product_group": t.product_group,
                "to_product_group": t.to_product_group,
                "from_site": t.from_site,
                "to_site": t.to_site,
                "quantity": t.quantity,
                "time": t.time,
            }
            for t in transfers
        ],
    )


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


# -- the credit journal ------------------------------------------------------------------
# Every credit an event books and every debit a claim books (DEFAULT_PERIOD_MONTHS), written
# in the transaction that stores its cause, so a balance sums rows instead of replaying.


def _journal_append(
    conn: Connection,
    start: int,
    added: list[tuple[Event, list[Lot]]],
    models: Mapping[tuple[str, str], SiteModel],
    new_claims: list[Claim],
    new_models: list[SiteModel],
) -> set[str]:
    """Write the journal rows an append causes; return the sites whose rows changed.

    New events book their credits from what their inputs pass on. A new claim debits its
    account and changes what its lot passes on, so every event downstream of the lot books
    again. A changed model books again the events and claims of its sites and everything
    downstream of the lots made there. ``start`` is the last event stored before the append.
    """
    if not new_claims and not new_models:
        return _journal(conn, added, models)
    roots = {c.lot for c in new_claims}
    debit_lots = set(roots)
    seqs: set[int] = set()
    if new_models:
        changed = {(m.site, m.product_group) for m in new_models}
        made_at, lots_at = _made_at(conn, {site for site, _group in changed}, start)
        seqs |= made_at
        roots |= lots_at
        debit_lots |= {c.lot for c in _claims_at(conn, changed, None)}
    if roots:
        seqs |= _downstream_events(conn, roots)
    stored = _decode(conn, {s for s in seqs if s <= start})
    sites = _journal(conn, [*stored, *added], models, replace=stored, query_claims=True)
    return sites | _journal_debits(conn, debit_lots, models)


def _journal(
    conn: Connection,
    events: list[tuple[Event, list[Lot]]],
    models: Mapping[tuple[str, str], SiteModel],
    *,
    replace: list[tuple[Event, list[Lot]]] | None = None,
    query_claims: bool = False,
) -> set[str]:
    """Write what the lots ``events`` make pass on and the credits the events book.

    ``events`` in recorded order; the lots they take in but do not make are read from
    ``custody_shares`` (with their claims). ``replace`` are stored events among them whose
    rows are written again; ``query_claims`` reads the claims on the lots made (none can be
    stored on lots new in this append unless the append brings claims).
    """
    made = {lot.id: lot for _e, lots in events for lot in lots}
    outside = {p.lot for e, _m in events if e.kind.converts for p in e.inputs} - made.keys()
    shares, lots = _stored_shares(conn, outside)
    lots.update(made)
    claimed = _claimed(conn, made) if query_claims else {}
    share_rows: list[dict[str, Any]] = []
    credit_rows: list[dict[str, Any]] = []
    for event, out in events:
        for lot in out:
            model = models.get((lot.facility or event.facility, lot.commodity))
            passed = lot_shares(
                lot, event, model, shares, lots, claimed.get(lot.id, {}), DEFAULT_PERIOD_MONTHS
            )
            shares[lot.id] = passed
            share_rows.extend(_share_rows(lot.id, passed))
        credit_rows.extend(
            _entry_row("credit", event.id, entry)
            for entry in event_credits(event, models, shares, lots, DEFAULT_PERIOD_MONTHS)
        )
    if replace:
        table, journal = sc.custody_shares, sc.custody_journal
        for chunk in _chunks(sorted({lot.id for _e, m in replace for lot in m})):
            conn.execute(table.delete().where(table.c.lot_id.in_(chunk)))
        for chunk in _chunks(sorted({e.id for e, _m in replace})):
            conn.execute(
                journal.delete().where(journal.c.kind == "credit", journal.c.cause.in_(chunk))
            )
    for batch in _chunks(share_rows, _BATCH):
        conn.execute(insert(sc.custody_shares), batch)
    for batch in _chunks(credit_rows, _BATCH):
        conn.execute(insert(sc.custody_journal), batch)
    return {e.facility for e, _m in events if e.kind.converts}


def _journal_debits(
    conn: Connection, lot_ids: Collection[str], models: Mapping[tuple[str, str], SiteModel]
) -> set[str]:
    """Write again the debits of every claim on ``lot_ids``; return the lots' sites."""
    if not lot_ids:
        return set()
    journal = sc.custody_journal
    context = _context(conn, lot_ids)
    for chunk in _chunks(sorted(set(lot_ids))):
        conn.execute(journal.delete().where(journal.c.kind == "debit", journal.c.cause.in_(chunk)))
    rows = []
    for claim in _claims_on(conn, context):
        lot, time, made_at = context[claim.lot]
        entry = claim_debit(
            lot, lot.facility or made_at, time, claim.characteristic, claim.share, models
        )
        if entry is not None:
            rows.append(_entry_row("debit", claim.lot, entry))
    for batch in _chunks(rows, _BATCH):
        conn.execute(insert(journal), batch)
    return {lot.facility or made_at for lot, _t, made_at in context.values()}


def _entry_row(kind: str, cause: str, entry: Entry) -> dict[str, Any]:
    return {
        "kind": kind,
        "cause": cause,
        "product_group": entry.product_group,
        "characteristic": entry.characteristic.value,
        "site": entry.site,
        "month": entry.month,
        "quantity": entry.quantity,
    }


def derive_journal(conn: Connection) -> None:
    """Write the journal and shares of everything stored (migration ``0011``), from scratch.

    One pass over the events in recorded order (their bodies read in batches), then the
    debits of every claim; the same rows appends since would have written.
    """
    conn.execute(sc.custody_journal.delete())
    conn.execute(sc.custody_shares.delete())
    models = {(m.site, m.product_group): m for m in _read_models(conn)}
    events = sc.custody_events
    seqs = [int(r.seq) for r in conn.execute(select(events.c.seq).order_by(events.c.seq))]
    for batch in _chunks(seqs, _BATCH):
        _journal(conn, _decode(conn, batch), models, query_claims=True)
    _journal_debits(conn, {c.lot for c in _read_claims(conn)}, models)


def _decode(conn: Connection, seqs: Collection[int]) -> list[tuple[Event, list[Lot]]]:
    """Return the stored events ``seqs`` and the lots they make, in recorded order."""
    table = sc.custody_events
    rows: list[tuple[int, Any]] = []
    for chunk in _chunks(sorted(seqs)):
        query = select(table.c.seq, table.c.body).where(table.c.seq.in_(chunk))
        rows.extend((int(r.seq), r.body) for r in conn.execute(query))
    rows.sort(key=lambda r: r[0])
    return [event_from_epcis(body) for _seq, body in rows]


def _made_at(conn: Connection, sites: set[str], start: int) -> tuple[set[int], set[str]]:
    """Return the stored converting events at ``sites`` and those making lots held there.

    With the lots they make: what a change of those sites' custody models can change.
    """
    events, lots, portions = sc.custody_events, sc.custody_lots, sc.custody_portions
    seqs: set[int] = set()
    for chunk in _chunks(sorted(sites)):
        at = select(events.c.seq).where(
            events.c.facility.in_(chunk), events.c.kind.in_(_CONVERTING), events.c.seq <= start
        )
        held = (
            select(events.c.seq)
            .join(lots, lots.c.made_by == events.c.id)
            .where(lots.c.facility.in_(chunk), events.c.seq <= start)
        )
        seqs.update(int(r.seq) for query in (at, held) for r in conn.execute(query))
    made: set[str] = set()
    for chunk in _chunks(sorted(seqs)):
        query = select(portions.c.lot_id).where(
            portions.c.event_seq.in_(chunk), portions.c.role == "out"
        )
        made.update(r.lot_id for r in conn.execute(query))
    return seqs, made


def _context(conn: Connection, lot_ids: Iterable[str]) -> dict[str, tuple[Lot, str, str]]:
    """Return stored lots with the time and site of the event that made each."""
    lots, events = sc.custody_lots, sc.custody_events
    out: dict[str, tuple[Lot, str, str]] = {}
    for chunk in _chunks(sorted(set(lot_ids))):
        query = (
            select(lots, events.c.time.label("made_time"), events.c.facility.label("made_at"))
            .join(events, events.c.id == lots.c.made_by)
            .where(lots.c.id.in_(chunk))
        )
        for r in conn.execute(query):
            out[r.id] = (_lot_from_row(r), r.made_time, r.made_at)
    return out


def _claimed(conn: Connection, lot_ids: Iterable[str]) -> dict[str, dict[Characteristic, float]]:
    out: dict[str, dict[Characteristic, float]] = {}
    for claim in _claims_on(conn, lot_ids):
        out.setdefault(claim.lot, {})[claim.characteristic] = claim.share
    return out


def _stored_shares(
    conn: Connection, lot_ids: Collection[str]
) -> tuple[dict[str, LotShares], dict[str, Lot]]:
    """Return what stored lots pass on (their shares and claims) and the lots themselves."""
    if not lot_ids:
        return {}, {}
    context = _context(conn, lot_ids)
    claimed = _claimed(conn, context)
    base: dict[str, dict[Characteristic, float]] = {}
    opened: dict[str, dict[Characteristic, float]] = {}
    table = sc.custody_shares
    for chunk in _chunks(sorted(context)):
        for r in conn.execute(select(table).where(table.c.lot_id.in_(chunk))):
            characteristic = Characteristic(r.characteristic)
            if r.base:
                base.setdefault(r.lot_id, {})[characteristic] = r.base
            if r.open:
                opened.setdefault(r.lot_id, {})[characteristic] = r.open
    shares = {
        k: LotShares(
            accounting_period(time), base.get(k, {}), opened.get(k, {}), claimed.get(k, {})
        )
        for k, (_lot, time, _at) in context.items()
    }
    return shares, {k: lot for k, (lot, _t, _a) in context.items()}


def _journal_sums(
    conn: Connection, accounts: set[tuple[str, str]], before: str, after: str | None
) -> dict[_ClosingKey, tuple[float, float]]:
    """Return the credits and debits of each account and period, summed from the journal.

    Months from ``after`` (``YYYY-MM``, if given) to before ``before``, in periods of
    :data:`DEFAULT_PERIOD_MONTHS`.
    """
    journal = sc.custody_journal
    totals: dict[_ClosingKey, list[float]] = {}
    for chunk in _chunks(sorted({site for site, _group in accounts})):
        query = (
            select(
                journal.c.site,
                journal.c.product_group,
                journal.c.characteristic,
                journal.c.month,
                journal.c.kind,
                func.sum(journal.c.quantity).label("total"),
            )
            .where(journal.c.site.in_(chunk), journal.c.month < before)
            .group_by(  # the order of ix_custody_journal_totals: no sort, no table row read
                journal.c.site,
                journal.c.product_group,
                journal.c.characteristic,
                journal.c.month,
                journal.c.kind,
            )
        )
        if after is not None:
            query = query.where(journal.c.month >= after)
        for r in conn.execute(query):
            if (r.site, r.product_group) not in accounts:
                continue
            period = accounting_period(f"{r.month}-01", DEFAULT_PERIOD_MONTHS)
            key = (r.site, r.product_group, Characteristic(r.characteristic), period)
            sums = totals.setdefault(key, [0.0, 0.0])
            sums[0 if r.kind == "credit" else 1] += float(r.total)
    return {key: (credit, debit) for key, (credit, debit) in totals.items()}


def _check_certificates(
    conn: Connection,
    base: Chain,
    models: Mapping[tuple[str, str], SiteModel],
    new_claims: list[Claim],
    old_certs: Mapping[str, Certificate],
    new_certs: list[Certificate],
    changed: Mapping[tuple[str, str], SiteModel | None],
) -> None:
    """Check the book-and-claim pools that new claims, certificates or models touch.

    A pool is one characteristic and product group: every claim on a lot of that group made
    at a book-and-claim site retires from its certificates, in the order a replay checks
    them (by the lot's accounting period, then by where the event that made it stands in
    the chain, then by lot: :func:`~sinergi.custody.accounts.claim_order`). Only those claims
    and the certificates are read, not the chain. A site-group ``changed`` to or from book
    and claim (with the model it replaces) touches every pool of its group.
    """
    pools = {(c.characteristic, c.product_group) for c in new_certs}
    pools |= {
        (characteristic, group)
        for (site, group), old in changed.items()
        if CustodyModel.BOOK_AND_CLAIM in (old.model if old else None, models[(site, group)].model)
        for characteristic in CLAIMABLE
    }
    pools |= {
        (old_certs[c.id].characteristic, old_certs[c.id].product_group)
        for c in new_certs
        if c.id in old_certs
    }
    info = _context(conn, [c.lot for c in new_claims if base.producer(c.lot) is None])
    for claim in new_claims:
        producer = base.producer(claim.lot)
        if producer is not None:
            info[claim.lot] = (base.lot(claim.lot), producer.time, producer.facility)
    held: dict[str, tuple[str, str]] = {
        k: (lot.facility or at, lot.commodity) for k, (lot, _t, at) in info.items()
    }
    for claim in new_claims:
        model = models.get(held.get(claim.lot, ("", "")))
        if model is not None and model.model is CustodyModel.BOOK_AND_CLAIM:
            pools.add((claim.characteristic, held[claim.lot][1]))
    certs = dict(old_certs) | {c.id: c for c in new_certs}
    # where each claimed lot's producer stands (the new events follow the stored ones)
    last = int(conn.execute(select(func.max(sc.custody_events.c.seq))).scalar() or 0)
    seqs = {
        c.lot: last + 1 + base.position(c.lot)
        for c in new_claims
        if base.producer(c.lot) is not None
    }
    for characteristic, group in sorted(pools):
        accounts = {
            key
            for key, m in models.items()
            if key[1] == group and m.model is CustodyModel.BOOK_AND_CLAIM
        }
        new = {
            c.lot: c
            for c in new_claims
            if c.characteristic is characteristic and held.get(c.lot) in accounts
        }
        stored = [
            new.pop(c.lot, c)
            for c in _claims_at(conn, accounts, None)
            if c.characteristic is characteristic
        ]
        claims = [*stored, *new.values()]
        info |= _context(conn, [c.lot for c in claims if c.lot not in info])
        seqs |= _made_seqs(conn, [c.lot for c in claims if c.lot not in seqs])
        ordered = sorted(
            claims,
            key=lambda c: (
                period_order(accounting_period(info[c.lot][1])),
                seqs[c.lot],
                c.lot,
                c.characteristic.value,
            ),
        )
        usable = [
            c
            for c in certs.values()
            if c.characteristic is characteristic and c.product_group == group
        ]
        retire_in_order([(c, _claimed_mass(info[c.lot][0], c)) for c in ordered], usable, group)


def _made_seqs(conn: Connection, lot_ids: Iterable[str]) -> dict[str, int]:
    """Return the recorded position (``seq``) of the event that made each stored lot."""
    lots, events = sc.custody_lots, sc.custody_events
    out: dict[str, int] = {}
    for chunk in _chunks(sorted(set(lot_ids))):
        query = (
            select(lots.c.id, events.c.seq)
            .join(events, events.c.id == lots.c.made_by)
            .where(lots.c.id.in_(chunk))
        )
        out.update({r.id: int(r.seq) for r in conn.execute(query)})
    return out


def _claimed_mass(lot: Lot, claim: Claim) -> float:
    """Return the t a claim states (0 for a lot without a mass: the replay refuses it)."""
    return (lot.mass_of(lot.quantity) or 0.0) * claim.share


def _share_rows(lot_id: str, passed: LotShares) -> Iterator[dict[str, Any]]:
    for characteristic in CLAIMABLE:
        base = passed.base.get(characteristic, 0.0)
        opened = passed.open.get(characteristic, 0.0)
        if base or opened:
            yield {
                "lot_id": lot_id,
                "characteristic": characteristic.value,
                "base": base,
                "open": opened,
            }
