"""A company's period data under review: versions, workflow moves, and approved data applied.

A submission holds the company's flows for one period as plain rows (quantities in each
commodity's canonical unit). Moves are checked by :func:`sinergi.model.submissions.check_move`
and written with optimistic concurrency: the caller names the ``row_version`` it saw, and a
second reviewer acting on the same version gets :class:`~sinergi.errors.StaleVersion`
(HTTP 409) while the first one's move stands. Approval writes the submission's flows into the
network (replacing the company's stored flows of that period), so assessments read them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, or_, select, update

from sinergi.errors import (
    InputError,
    LockedData,
    NotFound,
    PlantDataNotApproved,
    StaleVersion,
    SubmissionError,
    TransitionRefused,
)
from sinergi.i18n import N_
from sinergi.i18n.messages import Msg, msg
from sinergi.model.accounts import Role
from sinergi.model.audit import Actor, state_hash
from sinergi.model.flows import DataQuality
from sinergi.model.kinds import NodeKind
from sinergi.model.submissions import (
    APPROVED_STATES,
    EDITABLE,
    SubmissionStatus,
    check_move,
    status_name,
)
from sinergi.store import audit
from sinergi.store import schema as s
from sinergi.store import schema_platform as sp
from sinergi.store.reads import company_nodes, node_owners
from sinergi.store.rows import chunks

#: The fields of one submitted flow row.
FLOW_FIELDS = ("source", "target", "commodity", "quantity", "quality", "evidence")


@dataclass(frozen=True, slots=True)
class Submission:
    """One version of a company's data for a period, with where it stands."""

    id: int
    company_id: str
    park_id: str
    period: str
    version: int
    status: SubmissionStatus
    flows: tuple[Mapping[str, Any], ...]
    data_sha256: str
    reason: str | None
    supersedes: int | None
    row_version: int
    created_by: str
    created_at: datetime
    updated_at: datetime

    def state(self) -> dict[str, Any]:
        """Return what the ledger hashes: identity, status and the data's hash."""
        return {
            "id": self.id,
            "company_id": self.company_id,
            "period": self.period,
            "version": self.version,
            "status": str(self.status),
            "data_sha256": self.data_sha256,
            "row_version": self.row_version,
        }


@dataclass(frozen=True, slots=True)
class SubmissionEvent:
    """One workflow move of a submission."""

    at: datetime
    actor: str
    from_status: SubmissionStatus | None
    to_status: SubmissionStatus
    comment: str | None


@dataclass(frozen=True, slots=True)
class FlowProblem:
    """A submitted flow row that cannot be used, located by its 1-based row number."""

    row: int
    field: str
    code: str
    message_en: str
    message_id: str

    def __str__(self) -> str:
        return f"flows row {self.row}, field '{self.field}': {self.message_en} | {self.message_id}"


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _submission(row: Any) -> Submission:
    return Submission(
        int(row.id),
        row.company_id,
        row.park_id,
        row.period,
        int(row.version),
        SubmissionStatus(row.status),
        tuple(dict(f) for f in row.flows),
        row.data_sha256,
        row.reason,
        None if row.supersedes is None else int(row.supersedes),
        int(row.row_version),
        row.created_by,
        row.created_at,
        row.updated_at,
    )


def get(conn: Connection, submission_id: int) -> Submission:
    """Return one submission."""
    row = conn.execute(select(sp.submissions).where(sp.submissions.c.id == submission_id)).first()
    if row is None:
        raise NotFound(msg(N_("no submission {id}"), id=str(submission_id)))
    return _submission(row)


def find_one(conn: Connection, submission_id: int) -> Submission | None:
    """Return one submission, or ``None``."""
    row = conn.execute(select(sp.submissions).where(sp.submissions.c.id == submission_id)).first()
    return None if row is None else _submission(row)


def find(
    conn: Connection,
    *,
    park_ids: Collection[str] | None = None,
    company_ids: Collection[str] | None = None,
    period: str | None = None,
    status: SubmissionStatus | None = None,
) -> list[Submission]:
    """Return submissions in the given parks/companies (``None`` = any), newest id last."""
    c = sp.submissions.c
    query = select(sp.submissions).order_by(c.id)
    if park_ids is not None:
        query = query.where(c.park_id.in_(sorted(park_ids)))
    if company_ids is not None:
        query = query.where(c.company_id.in_(sorted(company_ids)))
    if period is not None:
        query = query.where(c.period == period)
    if status is not None:
        query = query.where(c.status == str(status))
    return [_submission(row) for row in conn.execute(query)]


def events(conn: Connection, submission_id: int) -> list[SubmissionEvent]:
    """Return the moves of one submission, oldest first."""
    e = sp.submission_events.c
    rows = conn.execute(
        select(sp.submission_events).where(e.submission_id == submission_id).order_by(e.id)
    )
    return [
        SubmissionEvent(
            r.at,
            r.actor,
            None if r.from_status is None else SubmissionStatus(r.from_status),
            SubmissionStatus(r.to_status),
            r.comment,
        )
        for r in rows
    ]


def park_of_company(conn: Connection, company_id: str) -> str | None:
    """Return the park of a stored company, or ``None`` when there is no such company."""
    n = s.nodes.c
    park = conn.execute(
        select(n.park_id).where((n.id == company_id) & (n.kind == str(NodeKind.COMPANIES)))
    ).scalar()
    return None if park is None else str(park)


def company_park(conn: Connection, company_id: str) -> str:
    """Return the park of a stored company."""
    park = park_of_company(conn, company_id)
    if park is None:
        raise NotFound(msg(N_("no company {id!r} in the database"), id=company_id))
    return str(park)


def _company_nodes(conn: Connection, company_id: str) -> set[str]:
    """Return the company and every facility and process below it."""
    n = s.nodes.c
    found, frontier = {company_id}, [company_id]
    while frontier:
        children = set(conn.execute(select(n.id).where(n.parent_id.in_(frontier))).scalars())
        frontier = sorted(children - found)
        found |= children
    return found


def check_flows(
    conn: Connection, company_id: str, rows: Sequence[Mapping[str, Any]]
) -> list[FlowProblem]:
    """Return every problem of submitted flow rows (each must touch the company's nodes)."""
    own = _company_nodes(conn, company_id)
    named = sorted({str(r[k]) for r in rows for k in ("source", "target")})
    known: set[str] = set()
    for part in chunks(named):
        known |= set(conn.execute(select(s.nodes.c.id).where(s.nodes.c.id.in_(part))).scalars())
    commodities = set(conn.execute(select(s.commodities.c.id)).scalars())
    problems: list[FlowProblem] = []
    seen: set[tuple[str, str, str]] = set()
    for number, r in enumerate(rows, start=1):
        for key in ("source", "target"):
            if r[key] not in known:
                problems.append(_unknown_node(number, key, str(r[key])))
        if r["commodity"] not in commodities:
            problems.append(
                FlowProblem(
                    number,
                    "commodity",
                    "unknown_commodity",
                    f"commodity {r['commodity']!r} is not in the catalogue",
                    f"komoditas {r['commodity']!r} tidak ada dalam katalog",
                )
            )
        if r["source"] not in own and r["target"] not in own:
            problems.append(
                FlowProblem(
                    number,
                    "source",
                    "not_own_flow",
                    f"neither end of this flow belongs to {company_id}",
                    f"kedua ujung aliran ini bukan milik {company_id}",
                )
            )
        key3 = (str(r["source"]), str(r["target"]), str(r["commodity"]))
        if key3 in seen:
            problems.append(
                FlowProblem(
                    number,
                    "commodity",
                    "duplicate_row",
                    "this source, target and commodity appear twice; add them up in one row",
                    "sumber, tujuan dan komoditas ini muncul dua kali; jumlahkan dalam satu baris",
                )
            )
        seen.add(key3)
    return problems


def _unknown_node(number: int, key: str, node: str) -> FlowProblem:
    return FlowProblem(
        number,
        key,
        "unknown_reference",
        f"{node!r} is not a node in the database",
        f"{node!r} bukan simpul dalam basis data",
    )


def _data_sha256(rows: Sequence[Mapping[str, Any]]) -> str:
    return state_hash([{k: r.get(k) for k in FLOW_FIELDS} for r in rows])


def _validated(conn: Connection, company_id: str, rows: Sequence[Mapping[str, Any]]) -> list[Any]:
    plain = [{k: r.get(k) for k in FLOW_FIELDS} for r in rows]
    for r in plain:
        r["quality"] = str(DataQuality(r.get("quality") or DataQuality.MEASURED))
    problems = check_flows(conn, company_id, plain)
    if problems:
        raise InputError(problems)
    return plain


def create(
    conn: Connection, actor: Actor, company_id: str, period: str, rows: Sequence[Mapping[str, Any]]
) -> Submission:
    """Open the first version of a company's data for ``period`` as a draft."""
    c = sp.submissions.c
    exists = conn.execute(
        select(c.id).where((c.company_id == company_id) & (c.period == period))
    ).first()
    if exists is not None:
        raise SubmissionError(
            msg(
                N_(
                    "{company} already has a submission for {period} (id {id}); edit it, "
                    "or file a correction if it is locked"
                ),
                company=company_id,
                period=period,
                id=str(exists.id),
            )
        )
    return _insert(conn, actor, company_id, period, 1, rows, reason=None, supersedes=None)


def _insert(
    conn: Connection,
    actor: Actor,
    company_id: str,
    period: str,
    version: int,
    rows: Sequence[Mapping[str, Any]],
    *,
    reason: str | None,
    supersedes: int | None,
) -> Submission:
    park_id = company_park(conn, company_id)
    plain = _validated(conn, company_id, rows)
    now = _utcnow()
    result = conn.execute(
        insert(sp.submissions).returning(sp.submissions.c.id),
        [
            {
                "company_id": company_id,
                "park_id": park_id,
                "period": period,
                "version": version,
                "status": str(SubmissionStatus.DRAFT),
                "flows": plain,
                "data_sha256": _data_sha256(plain),
                "reason": reason,
                "supersedes": supersedes,
                "row_version": 1,
                "created_by": actor.name,
                "created_at": now,
                "updated_at": now,
            }
        ],
    )
    new_id = int(result.scalar_one())
    _event(conn, new_id, actor, None, SubmissionStatus.DRAFT, reason)
    made = get(conn, new_id)
    action = "submission.create" if supersedes is None else "submission.correct"
    audit.append(
        conn,
        actor,
        action,
        "submission",
        str(new_id),
        after_sha256=state_hash(made.state()),
        detail={"company": company_id, "period": period, "version": version, "reason": reason},
    )
    return made


def _event(
    conn: Connection,
    submission_id: int,
    actor: Actor,
    before: SubmissionStatus | None,
    after: SubmissionStatus,
    comment: str | None,
) -> None:
    conn.execute(
        insert(sp.submission_events),
        [
            {
                "submission_id": submission_id,
                "at": _utcnow(),
                "actor": actor.name,
                "from_status": None if before is None else str(before),
                "to_status": str(after),
                "comment": comment,
            }
        ],
    )


def _expect(current: Submission, expected: int) -> None:
    """Raise StaleVersion when the caller decided on an older version than the stored one."""
    if current.row_version != expected:
        raise StaleVersion(
            msg(
                N_(
                    "submission {id} was changed by someone else (you saw version {seen}, "
                    "it is now {now}, {status}); reload it and decide again"
                ),
                id=str(current.id),
                seen=str(expected),
                now=str(current.row_version),
                status=status_name(current.status),
            )
        )


def _bump(conn: Connection, current: Submission, expected: int, **values: Any) -> Submission:
    """Update ``current`` if nobody else did since ``expected``; else raise StaleVersion."""
    c = sp.submissions.c
    done = conn.execute(
        update(sp.submissions)
        .where((c.id == current.id) & (c.row_version == expected))
        .values(row_version=expected + 1, updated_at=_utcnow(), **values)
    )
    if done.rowcount != 1:
        raise StaleVersion(
            msg(
                N_(
                    "submission {id} was changed by someone else (you saw version {seen}); "
                    "reload it and decide again"
                ),
                id=str(current.id),
                seen=str(expected),
            )
        )
    return get(conn, current.id)


def replace_data(
    conn: Connection,
    actor: Actor,
    submission_id: int,
    rows: Sequence[Mapping[str, Any]],
    expected_row_version: int,
) -> Submission:
    """Replace the flows of a draft or returned submission; the same flows again change nothing."""
    current = get(conn, submission_id)
    if current.status is SubmissionStatus.LOCKED:
        raise LockedData(
            msg(
                N_(
                    "submission {id} ({company}, {period}) is locked; file a correction with "
                    "a reason instead"
                ),
                id=str(current.id),
                company=current.company_id,
                period=current.period,
            )
        )
    if current.status not in EDITABLE:
        raise SubmissionError(
            msg(
                N_(
                    "submission {id} is {status}; only a draft or a returned submission can "
                    "be edited"
                ),
                id=str(current.id),
                status=status_name(current.status),
            )
        )
    _expect(current, expected_row_version)
    plain = _validated(conn, current.company_id, rows)
    if _data_sha256(plain) == current.data_sha256:
        # the same flows again (a form saved twice, a file uploaded twice) change nothing:
        # no new row version, no ledger entry
        return current
    after = _bump(conn, current, expected_row_version, flows=plain, data_sha256=_data_sha256(plain))
    audit.append(
        conn,
        actor,
        "submission.edit",
        "submission",
        str(current.id),
        before_sha256=state_hash(current.state()),
        after_sha256=state_hash(after.state()),
        detail={"flows": len(plain)},
    )
    return after


def move(
    conn: Connection,
    actor: Actor,
    role: Role,
    submission_id: int,
    to: SubmissionStatus,
    comment: str | None,
    expected_row_version: int,
) -> Submission:
    """Move a submission along the workflow; approval writes its flows into the network."""
    current = get(conn, submission_id)
    _expect(current, expected_row_version)
    try:
        check_move(current.status, to, role, comment)
    except TransitionRefused as exc:  # name the submission, as every other refusal does
        why = exc.args[0]
        raise TransitionRefused(
            msg(N_("submission {id}: {reason}"), id=str(current.id), reason=why)
            if isinstance(why, Msg)
            else f"submission {current.id}: {why}"
        ) from None
    after = _bump(conn, current, expected_row_version, status=str(to))
    _event(conn, current.id, actor, current.status, to, comment)
    applied = _apply_flows(conn, after) if to is SubmissionStatus.APPROVED else None
    audit.append(
        conn,
        actor,
        f"submission.{to}",
        "submission",
        str(current.id),
        before_sha256=state_hash(current.state()),
        after_sha256=state_hash(after.state()),
        detail={"from": str(current.status), "comment": comment, "flows_applied": applied},
    )
    return after


def correct(conn: Connection, actor: Actor, submission_id: int, reason: str) -> Submission:
    """Open a new version (a draft) of a locked submission, keeping the locked one readable."""
    current = get(conn, submission_id)
    if current.status is not SubmissionStatus.LOCKED:
        raise SubmissionError(
            msg(
                N_(
                    "submission {id} is {status}; only locked data is corrected by a new "
                    "version (edit or return the submission instead)"
                ),
                id=str(current.id),
                status=status_name(current.status),
            )
        )
    if not reason.strip():
        raise SubmissionError(
            msg(N_("a correction needs a reason (what was wrong in the locked data)"))
        )
    c = sp.submissions.c
    newest = conn.execute(
        select(func.max(c.version)).where(
            (c.company_id == current.company_id) & (c.period == current.period)
        )
    ).scalar_one()
    if int(newest) != current.version:
        raise StaleVersion(
            msg(
                N_("submission {id} already has a newer version; correct the newest one"),
                id=str(current.id),
            )
        )
    return _insert(
        conn,
        actor,
        current.company_id,
        current.period,
        current.version + 1,
        current.flows,
        reason=reason.strip(),
        supersedes=current.id,
    )


def _apply_flows(conn: Connection, sub: Submission) -> int:
    """Replace the company's stored flows of the period with the submission's; return count."""
    own = sorted(_company_nodes(conn, sub.company_id))
    f = s.flows.c
    touching = or_(f.source.in_(own), f.target.in_(own))
    conn.execute(delete(s.flows).where(and_(f.period == sub.period, touching)))
    parks = _node_parks(conn, {str(r["source"]) for r in sub.flows})
    rows = [
        {
            "park_id": parks.get(str(r["source"])) or sub.park_id,
            "period": sub.period,
            "source": r["source"],
            "target": r["target"],
            "commodity": r["commodity"],
            "quantity": r["quantity"],
            "quality": r["quality"],
            "evidence": r.get("evidence") or f"submission {sub.id} v{sub.version}",
            "import_id": None,
        }
        for r in sub.flows
    ]
    if rows:
        conn.execute(insert(s.flows), rows)
    return len(rows)


def _node_parks(conn: Connection, ids: Iterable[str]) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    n = s.nodes.c
    for part in chunks(sorted(ids)):
        found.update(
            {r.id: r.park_id for r in conn.execute(select(n.id, n.park_id).where(n.id.in_(part)))}
        )
    return found


def locked_in(conn: Connection, park_ids: Collection[str], periods: Collection[str]) -> list[str]:
    """Return ``company period`` pairs with locked data among the parks and periods."""
    c = sp.submissions.c
    rows = conn.execute(
        select(c.company_id, c.period)
        .where(c.park_id.in_(sorted(park_ids)) & c.period.in_(sorted(periods)))
        .where(c.status == str(SubmissionStatus.LOCKED))
    )
    return [f"{r.company_id} {r.period}" for r in rows]


def data_states(conn: Connection, park_id: str, period: str) -> dict[str, SubmissionStatus]:
    """Return the status of the newest version of each company's submission for the period."""
    c = sp.submissions.c
    rows = conn.execute(
        select(c.company_id, c.version, c.status)
        .where((c.park_id == park_id) & (c.period == period))
        .order_by(c.company_id, c.version)
    )
    return {r.company_id: SubmissionStatus(r.status) for r in rows}


def approved_companies(conn: Connection, park_id: str, period: str) -> frozenset[str]:
    """Return the companies of a park with approved or locked data for the period."""
    c = sp.submissions.c
    rows = conn.execute(
        select(c.company_id)
        .where((c.park_id == park_id) & (c.period == period))
        .where(c.status.in_([str(x) for x in APPROVED_STATES]))
        .distinct()
    )
    return frozenset(rows.scalars())


@dataclass(frozen=True, slots=True)
class PlantData:
    """A plant's flows for one period and where they stand in the review.

    ``submission`` is the version read (``None`` for flows imported without a submission);
    ``status`` its status, or ``None`` for imported flows.
    """

    node_id: str
    company_id: str
    park_id: str | None
    period: str
    nodes: frozenset[str]
    rows: tuple[Mapping[str, Any], ...]
    submission: Submission | None
    status: SubmissionStatus | None

    @property
    def approved(self) -> bool:
        """Return whether the data read is approved or locked."""
        return self.status in APPROVED_STATES


def plant_data(
    conn: Connection, node_id: str, period: str, *, include_unapproved: bool = False
) -> PlantData:
    """Return the flows of a plant (a company, facility or process and all below it).

    The newest approved or locked version of the owning company's submission for the period
    is read. With ``include_unapproved`` the newest version whatever its status is read, and a
    company with no submission at all gives its stored (imported) flows of the period.

    Raises
    ------
    NotFound
        When the node is not stored or belongs to no company.
    PlantDataNotApproved
        When no approved or locked data exists and unapproved data was not asked for.
    """
    n = s.nodes.c
    row = conn.execute(select(n.id, n.park_id).where(n.id == node_id)).first()
    company = node_owners(conn, [node_id]).get(node_id) if row is not None else None
    if row is None or company is None:
        raise NotFound(
            msg(
                N_(
                    "no company, facility or process {id!r} in the database; see "
                    "'sinergi parks list' and the park's export"
                ),
                id=node_id,
            )
        )
    below = frozenset(company_nodes(conn, [node_id]))
    versions = find(conn, company_ids=[company], period=period)
    newest_approved = [v for v in versions if v.status in APPROVED_STATES]
    chosen: Submission | None = None
    if include_unapproved and versions:
        chosen = max(versions, key=lambda v: v.version)
    elif newest_approved:
        chosen = max(newest_approved, key=lambda v: v.version)
    if chosen is not None:
        rows = tuple(r for r in chosen.flows if r["source"] in below or r["target"] in below)
        return PlantData(node_id, company, row.park_id, period, below, rows, chosen, chosen.status)
    if versions:
        newest = max(versions, key=lambda v: v.version)
        raise PlantDataNotApproved(
            msg(
                N_(
                    "{company} has no approved or locked data for {period} (newest: "
                    "submission {id} v{version}, {status}); ask the park manager to approve "
                    "it, or ask for unapproved data (--unapproved) to use it as it stands"
                ),
                company=company,
                period=period,
                id=str(newest.id),
                version=str(newest.version),
                status=status_name(newest.status),
            )
        )
    if not include_unapproved:
        raise PlantDataNotApproved(
            msg(
                N_(
                    "{company} has no submission for {period}, only imported flows (if any), "
                    "which are not reviewed; submit and approve them, or ask for unapproved "
                    "data (--unapproved) to use the imported flows"
                ),
                company=company,
                period=period,
            )
        )
    f = s.flows.c
    found: dict[int, dict[str, Any]] = {}
    for part in chunks(sorted(below)):
        query = select(f.id, f.source, f.target, f.commodity, f.quantity).where(
            (f.period == period) & (f.source.in_(part) | f.target.in_(part))
        )
        found.update({int(r.id): dict(r._mapping) for r in conn.execute(query)})
    rows = tuple(found[k] for k in sorted(found))
    return PlantData(node_id, company, row.park_id, period, below, rows, None, None)
