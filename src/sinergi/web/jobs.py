"""Background jobs on Dask distributed: never inside a request, state kept in the database.

:class:`JobRunner` connects to the scheduler named by ``SINERGI_DASK_SCHEDULER`` or starts a
``LocalCluster`` (one worker, threads by default; ``SINERGI_DASK_PROCESSES=true`` for worker
processes). A job is a row in ``jobs`` (:mod:`sinergi.store.jobs`); the task that runs it,
:func:`run_job`, opens the database itself (so it runs the same on a remote worker), records
progress, checks for cancellation between steps, and stores the result or the error. At start
the runner marks jobs left queued or running by a stopped service as failed, so a restart loses
no finished result and never leaves a job "running" for ever.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from sinergi.errors import ImportRefused, InputError, JobError, SinergiError
from sinergi.i18n import N_, Language
from sinergi.i18n.messages import Msg, items, msg
from sinergi.intake import ImportProgress
from sinergi.model.audit import Actor
from sinergi.store import jobs as job_rows
from sinergi.store.audited import AuditedStore
from sinergi.store.jobs import ERROR_TEXT, JobStatus
from sinergi.web.settings import Settings

log = logging.getLogger("sinergi.web.jobs")


class Cancelled(Exception):
    """The job was asked to stop."""


Progress = Callable[[float, str], None]


def _symbiosis(store: AuditedStore, params: dict[str, Any], progress: Progress) -> Any:
    from sinergi.model.period import Period
    from sinergi.symbiosis.candidates import load_knowledge
    from sinergi.symbiosis.optimise import SolverSettings
    from sinergi.symbiosis.recommend import recommend

    park = params.get("park_id")
    progress(0.05, "loading the network")
    eco = store.load(None if park is None else [park])
    progress(0.3, "matching supplies and demands")
    knowledge = load_knowledge(catalogue=eco.catalogue)
    result = recommend(
        eco,
        Period.parse(params.get("period", "2024")),
        objective=params.get("objective", "net_benefit"),
        settings=SolverSettings(time_limit=float(params.get("time_limit", 60.0))),
        knowledge=knowledge,
    )
    progress(0.9, "storing proposals" if params.get("propose") else "done")
    if params.get("propose"):
        store.propose_exchanges(result.proposals)
    data: dict[str, Any] = result.to_dict()
    return data


def _monte_carlo(store: AuditedStore, params: dict[str, Any], progress: Progress) -> Any:
    from sinergi.footprint.route_uncertainty import route_monte_carlo
    from sinergi.web.api.footprints import footprint_model

    progress(0.1, "drawing")
    result = route_monte_carlo(
        footprint_model(),
        params["product"],
        iterations=int(params.get("iterations", 1000)),
        seed=int(params.get("seed", 1)),
        route=params.get("route"),
        scenario=params.get("scenario"),
    )
    # what was run travels with the result, so a page draws it under the right name
    return result | {k: params.get(k) for k in ("product", "route", "scenario")}


def _assess_parks(store: AuditedStore, params: dict[str, Any], progress: Progress) -> Any:
    from dataclasses import asdict

    from sinergi.assess.compare import compare
    from sinergi.assess.engine import assess
    from sinergi.assess.packs import load_profile
    from sinergi.model.period import Period
    from sinergi.web.packs import pack_for

    pack = pack_for(store, params.get("standard", "permenperin-26-2025"))
    profile = load_profile(pack, "id")
    when = Period.parse(params.get("period", "2024"))
    parks: list[str] = list(params["parks"])
    results = []
    for done, park_id in enumerate(parks):
        progress(done / max(1, len(parks)), f"assessing {park_id}")
        eco = store.load([park_id])
        if park_id in eco.parks:
            results.append(assess(eco, park_id, when, pack, profile=profile))
    return [asdict(r) for r in compare(results)]


class _ImportSteps(ImportProgress):
    """An import's rows and stages as the job's progress (which also notices a cancel)."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress

    def rows(self, read: int, expected: int | None) -> None:
        share = 0.6 * read / expected if expected else 0.3
        self._progress(0.05 + min(share, 0.6), f"{read} rows read")

    def stage(self, name: str) -> None:
        self._progress(0.65, name)


def _import(store: AuditedStore, params: dict[str, Any], progress: Progress) -> Any:
    """Import an uploaded file as ``sinergi import`` does, for a user who may import it."""
    import tempfile
    from pathlib import Path

    from sinergi.intake import apply_parsed, parks_touched, read_for_import
    from sinergi.store import accounts, uploads
    from sinergi.web.policy import Action, Decision, decide

    try:
        with store.reading() as conn:
            upload = uploads.get(conn, params["upload_id"])
            principal = accounts.user_by_id(conn, int(params["user_id"])).principal()
        steps = _ImportSteps(progress)
        with tempfile.TemporaryDirectory(prefix="sinergi-job-upload-") as tmp:
            path = Path(tmp) / upload.name
            path.write_bytes(upload.content)
            parsed = read_for_import(
                store, [path], table=upload.table, max_bytes=len(upload.content), progress=steps
            )
        parks = parks_touched(store, parsed)
        refused = [p for p in parks if decide(principal, Action.IMPORT, p) is not Decision.ALLOWED]
        if refused:
            raise ImportRefused(
                msg(
                    N_(
                        "{file} changes park(s) {parks}, where {user} may not import; nothing "
                        "was written"
                    ),
                    file=upload.name,
                    parks=items(refused),
                    user=principal.username,
                )
            )
        # no progress rows while the import's own transaction writes (SQLite has one writer)
        progress(0.7, "writing")
        result = apply_parsed(store, parsed, source_name=upload.name)
    finally:
        with store.transaction() as conn:
            uploads.drop(conn, params["upload_id"])
    return {
        "status": str(result.status),
        "import_id": result.import_id,
        "parks": parks,
        "diff_summary": result.diff.summary(),
        "diff": result.diff.lines()[:500],
    }


#: What each job kind runs: ``(store, params, progress) -> JSON-ready result``.
KINDS: dict[str, Callable[[AuditedStore, dict[str, Any], Progress], Any]] = {
    "symbiosis": _symbiosis,
    "monte_carlo": _monte_carlo,
    "assess_parks": _assess_parks,
    "import": _import,
}


def run_job(database_url: str, job_id: str, actor: Actor) -> str:
    """Run one stored job to its end and return its final status (the Dask task)."""
    store = AuditedStore(database_url, actor=actor)
    try:
        with store.transaction() as conn:
            if not job_rows.start(conn, job_id):
                return str(job_rows.get(conn, job_id).status)
            job = job_rows.get(conn, job_id)

        def progress(share: float, message: str) -> None:
            with store.transaction() as conn:
                if not job_rows.progress(conn, job_id, share, message):
                    raise Cancelled

        try:
            result = KINDS[job.kind](store, job.params, progress)
            progress(1.0, "done")
        except Cancelled:
            said = msg(N_("cancelled while running"))
            _finish(store, job_id, JobStatus.CANCELLED, **_failure(said))
            return str(JobStatus.CANCELLED)
        except InputError as exc:  # a rejected file: its located problems are the result
            issues = [_issue(i) for i in exc.issues]
            _finish(store, job_id, JobStatus.FAILED, **_failure(exc, issues=issues))
            return str(JobStatus.FAILED)
        except SinergiError as exc:
            _finish(store, job_id, JobStatus.FAILED, **_failure(exc))
            return str(JobStatus.FAILED)
        except Exception as exc:
            log.exception("job %s failed", job_id)
            said = msg(N_("internal error: {kind}"), kind=type(exc).__name__)
            _finish(store, job_id, JobStatus.FAILED, **_failure(said))
            return str(JobStatus.FAILED)
        _finish(store, job_id, JobStatus.DONE, result=_json(result))
        return str(JobStatus.DONE)
    finally:
        store.close()


def _issue(item: object) -> dict[str, Any]:
    from sinergi.web.problems import problem_issue

    return problem_issue(item).model_dump(exclude_none=True)


def _json(value: Any) -> Any:
    import json

    return json.loads(
        json.dumps(value, default=str, allow_nan=False) if value is not None else "null"
    )


def _failure(why: SinergiError | Msg, **result: Any) -> dict[str, Any]:
    """Return a failed job's error (English) and, in its result, the error in every language.

    The job runs before anyone reads it, in no reader's language; the API shows the stored
    wording of the reader's language (``error_text``), so an Indonesian page reads Indonesian.
    """
    render = why.localised if isinstance(why, SinergiError) else why.render
    texts = {lang.value: render(lang.value) for lang in Language}
    return {"error": texts["en"], "result": {**result, ERROR_TEXT: texts}}


def _finish(store: AuditedStore, job_id: str, status: JobStatus, **values: Any) -> None:
    with store.transaction() as conn:
        job_rows.finish(conn, job_id, status, **values)


class JobRunner:
    """Submit jobs to a Dask cluster and keep their futures until they finish."""

    def __init__(self, settings: Settings, store: AuditedStore) -> None:
        self._settings = settings
        self._store = store
        self._client: Any = None
        self._cluster: Any = None
        self._futures: dict[str, Any] = {}
        self._lock = threading.Lock()

    def start(self) -> None:
        """Mark interrupted jobs failed and connect to (or start) the cluster."""
        with self._store.transaction() as conn:
            stale = job_rows.interrupt_unfinished(conn)
        if stale:
            log.warning("%d job(s) were interrupted by the last stop and are marked failed", stale)

    def _ensure_client(self) -> Any:
        with self._lock:
            if self._client is not None:
                return self._client
            try:
                from dask.distributed import Client, LocalCluster
            except ImportError as exc:  # pragma: no cover - dask is a main dependency
                raise JobError("dask[distributed] is not installed") from exc
            try:
                self._client = self._connect(Client, LocalCluster)
            except (OSError, RuntimeError, TimeoutError) as exc:
                raise JobError(
                    msg(
                        N_(
                            "the job cluster cannot be reached or started ({reason}); check "
                            "SINERGI_DASK_SCHEDULER, or leave it empty for a local cluster"
                        ),
                        reason=str(exc),
                    )
                ) from exc
            return self._client

    def _connect(self, client_type: Any, cluster_type: Any) -> Any:
        address = self._settings.dask_scheduler
        if address:
            return client_type(address, timeout="10s")
        processes = self._settings.dask_processes
        # worker processes talk TCP on the loopback; threads share the process (inproc)
        where = {"host": "127.0.0.1"} if processes else {}
        self._cluster = cluster_type(
            n_workers=self._settings.dask_workers,
            threads_per_worker=2,
            processes=processes,
            # A random loopback port: None still binds the scheduler's HTTP server to :8787 on
            # every interface, which collides with any other Dask on the machine.
            dashboard_address="127.0.0.1:0",
            **where,
        )
        return client_type(self._cluster)

    def submit(self, job_id: str, actor: Actor) -> None:
        """Run a stored job on the cluster."""
        client = self._ensure_client()
        future = client.submit(
            run_job, self._store._url, job_id, actor, key=f"sinergi-job-{job_id}", pure=False
        )
        with self._lock:
            self._futures[job_id] = future
        future.add_done_callback(lambda _f: self._forget(job_id))

    def _forget(self, job_id: str) -> None:
        with self._lock:
            self._futures.pop(job_id, None)

    def cancel(self, job_id: str) -> None:
        """Cancel a job's task if it has not started (a running job stops at its next step)."""
        with self._lock:
            future = self._futures.get(job_id)
        if future is not None and future.status == "pending":
            future.cancel()

    def close(self) -> None:
        """Close the client and the local cluster."""
        with self._lock:
            client, cluster = self._client, self._cluster
            self._client = self._cluster = None
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
