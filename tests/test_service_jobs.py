"""Background jobs on Dask: results, progress, cancel, restarts, worker processes."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service_world import World, make_world
from sinergi.store import jobs as job_rows
from sinergi.store.jobs import JobStatus
from sinergi.web.app import create_app
from sinergi.web.settings import Settings


def _wait(w: World, client: TestClient, user: str, job_id: str, seconds: float = 120) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = client.get(f"/api/v1/jobs/{job_id}", headers=w.auth(user)).json()
        if job["status"] in {"done", "failed", "cancelled"}:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish: {job}")


def test_a_job_runs_on_dask_and_its_result_survives_a_restart(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'j.db'}"
    w, client = make_world(url, start_jobs=True)
    with client:
        started = client.post(
            "/api/v1/jobs",
            headers=w.auth("citra"),
            json={"kind": "assess_parks", "parks": ["kiic"]},
        )
        assert started.status_code == 202
        assert started.json()["status"] == "queued"
        job = _wait(w, client, "citra", started.json()["id"])
    assert job["status"] == "done", job
    assert job["progress"] == 1.0
    assert [row["park_id"] for row in job["result"]] == ["kiic"]
    restarted = TestClient(create_app(Settings(database_url=url), start_jobs=False))
    with restarted:
        again = restarted.get(f"/api/v1/jobs/{job['id']}", headers=w.auth("citra")).json()
    assert again["status"] == "done"
    assert again["result"] == job["result"]
    w.store.close()


def test_a_queued_job_is_cancelled_at_once(tmp_path: Path) -> None:
    w, client = make_world(f"sqlite:///{tmp_path / 'c.db'}")  # no cluster: jobs stay queued
    with client:
        job = client.post(
            "/api/v1/jobs", headers=w.auth("ana"), json={"kind": "symbiosis", "park_id": "kiic"}
        ).json()
        cancelled = client.post(f"/api/v1/jobs/{job['id']}/cancel", headers=w.auth("ana")).json()
    assert cancelled["status"] == "cancelled"
    w.store.close()


def test_a_job_left_running_by_a_stop_is_marked_failed_at_start(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    w, _client = make_world(url)
    with w.store.transaction() as conn:
        job = job_rows.create(conn, "symbiosis", {}, None, "kiic")
        job_rows.start(conn, job.id)
    with TestClient(create_app(Settings(database_url=url), start_jobs=True)):
        pass
    with w.store.reading() as conn:
        after = job_rows.get(conn, job.id)
    assert after.status is JobStatus.FAILED
    assert "stopped" in (after.error or "")
    w.store.close()


@pytest.mark.slow
def test_a_job_runs_on_worker_processes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    w, _ = make_world(url)
    settings = Settings(database_url=url, dask_processes=True)
    client = TestClient(create_app(settings, start_jobs=True))
    with client:
        started = client.post(
            "/api/v1/jobs",
            headers=w.auth("tina"),
            json={"kind": "monte_carlo", "product": "niso4", "iterations": 50, "seed": 3},
        ).json()
        job = _wait(w, client, "tina", started["id"])
    assert job["status"] == "done", job
    assert job["result"]["iterations"] == 50
    w.store.close()


def test_the_local_cluster_listens_on_a_random_loopback_port_only(tmp_path: Path) -> None:
    """Another Dask on the machine (port 8787) must not stop the service's jobs."""
    from sinergi.store.audited import AuditedStore
    from sinergi.web.jobs import JobRunner

    store = AuditedStore(f"sqlite:///{tmp_path / 'p.db'}")
    runner = JobRunner(Settings(database_url=store.url), store)
    try:
        runner._ensure_client()
        server = runner._cluster.scheduler.http_server
        bound = [sock.getsockname() for sock in server._sockets.values()]
        assert bound
        assert all(host == "127.0.0.1" and port != 8787 for host, port in bound)
    finally:
        runner.close()
        store.close()
