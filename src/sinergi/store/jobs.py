"""Background jobs in the database: what was asked, where it stands, and what it produced.

The service's job runner (:mod:`sinergi.web.jobs`) executes jobs on Dask; the state lives here
so that a restart loses no finished result and a job interrupted by a restart is reported as
failed rather than left running for ever.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, insert, select, update

from sinergi.errors import JobError, NotFound
from sinergi.i18n import N_
from sinergi.i18n.messages import msg
from sinergi.store import schema_platform as sp

#: Key of a failed job's result that holds its error in every language (``{"en": …, "id": …}``);
#: the ``error`` column keeps the English text for logs and older readers.
ERROR_TEXT = "error_text"


class JobStatus(StrEnum):
    """Where a job stands."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


#: Statuses a job never leaves.
FINAL: frozenset[JobStatus] = frozenset({JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED})


@dataclass(frozen=True, slots=True)
class Job:
    """One stored job."""

    id: str
    kind: str
    params: dict[str, Any]
    status: JobStatus
    progress: float
    message: str | None
    result: Any
    error: str | None
    user_id: int | None
    park_id: str | None
    cancel_requested: bool
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _job(row: Any) -> Job:
    return Job(
        row.id,
        row.kind,
        dict(row.params),
        JobStatus(row.status),
        float(row.progress),
        row.message,
        row.result,
        row.error,
        None if row.user_id is None else int(row.user_id),
        row.park_id,
        bool(row.cancel_requested),
        row.created_at,
        row.started_at,
        row.finished_at,
    )


def create(
    conn: Connection, kind: str, params: dict[str, Any], user_id: int | None, park_id: str | None
) -> Job:
    """Store a new queued job and return it."""
    job_id = uuid.uuid4().hex
    conn.execute(
        insert(sp.jobs),
        [
            {
                "id": job_id,
                "kind": kind,
                "params": params,
                "status": str(JobStatus.QUEUED),
                "progress": 0.0,
                "user_id": user_id,
                "park_id": park_id,
                "cancel_requested": False,
                "created_at": _utcnow(),
            }
        ],
    )
    return get(conn, job_id)


def find_one(conn: Connection, job_id: str) -> Job | None:
    """Return one job, or ``None``."""
    row = conn.execute(select(sp.jobs).where(sp.jobs.c.id == job_id)).first()
    return None if row is None else _job(row)


def get(conn: Connection, job_id: str) -> Job:
    """Return one job."""
    row = conn.execute(select(sp.jobs).where(sp.jobs.c.id == job_id)).first()
    if row is None:
        raise NotFound(msg(N_("no job {id!r}"), id=job_id))
    return _job(row)


def find(conn: Connection, user_id: int | None = None, limit: int = 100) -> list[Job]:
    """Return the newest jobs (of one user when given)."""
    query = select(sp.jobs).order_by(sp.jobs.c.created_at.desc()).limit(limit)
    if user_id is not None:
        query = query.where(sp.jobs.c.user_id == user_id)
    return [_job(row) for row in conn.execute(query)]


def start(conn: Connection, job_id: str) -> bool:
    """Mark a queued job running; return ``False`` if it was cancelled meanwhile."""
    c = sp.jobs.c
    done = conn.execute(
        update(sp.jobs)
        .where((c.id == job_id) & (c.status == str(JobStatus.QUEUED)) & ~c.cancel_requested)
        .values(status=str(JobStatus.RUNNING), started_at=_utcnow())
    )
    return done.rowcount == 1


def progress(conn: Connection, job_id: str, share: float, message: str | None) -> bool:
    """Record progress (0–1); return ``False`` when cancellation was asked for."""
    c = sp.jobs.c
    conn.execute(
        update(sp.jobs)
        .where((c.id == job_id) & (c.status == str(JobStatus.RUNNING)))
        .values(progress=max(0.0, min(1.0, share)), message=message)
    )
    return not bool(conn.execute(select(c.cancel_requested).where(c.id == job_id)).scalar())


def finish(
    conn: Connection,
    job_id: str,
    status: JobStatus,
    *,
    result: Any = None,
    error: str | None = None,
) -> None:
    """Store a job's final status with its result or error (a final job stays final)."""
    if status not in FINAL:
        raise JobError(msg(N_("{status} is not a final job status"), status=str(status)))
    c = sp.jobs.c
    conn.execute(
        update(sp.jobs)
        .where((c.id == job_id) & c.status.in_([str(JobStatus.QUEUED), str(JobStatus.RUNNING)]))
        .values(
            status=str(status),
            progress=1.0 if status is JobStatus.DONE else c.progress,
            result=result,
            error=error,
            finished_at=_utcnow(),
        )
    )


def request_cancel(conn: Connection, job_id: str) -> Job:
    """Ask a job to stop; a queued job is cancelled at once, a running one at its next step."""
    job = get(conn, job_id)
    if job.status in FINAL:
        return job
    c = sp.jobs.c
    conn.execute(update(sp.jobs).where(c.id == job_id).values(cancel_requested=True))
    if job.status is JobStatus.QUEUED:
        finish(conn, job_id, JobStatus.CANCELLED, error="cancelled before it started")
    return get(conn, job_id)


def interrupt_unfinished(conn: Connection) -> int:
    """Mark jobs left queued or running by a stopped service as failed; return how many."""
    c = sp.jobs.c
    done = conn.execute(
        update(sp.jobs)
        .where(c.status.in_([str(JobStatus.QUEUED), str(JobStatus.RUNNING)]))
        .values(
            status=str(JobStatus.FAILED),
            error="the service stopped before the job finished; start it again",
            finished_at=_utcnow(),
        )
    )
    return int(done.rowcount)
