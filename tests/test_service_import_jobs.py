"""Large imports as background jobs: the same checks, transaction and answer as a direct import."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient

from service_world import World, make_world
from sinergi.io import write_file
from sinergi.model.audit import Actor
from sinergi.store import jobs as job_rows
from sinergi.store import schema_platform as sp
from sinergi.web.jobs import run_job


def _changed_kiic(w: World, folder: Path) -> tuple[bytes, float]:
    eco = w.store.load(["kiic"])
    flow = next(f for f in eco.flows if f.quantity)
    assert flow.quantity is not None
    flow.quantity = flow.quantity * 2 + 1
    path = folder / "kiic.yaml"
    write_file(eco, path, park_ids=["kiic"])
    return path.read_bytes(), flow.quantity


def _send(w: World, client: TestClient, user: str, name: str, content: bytes) -> httpx.Response:
    files = {"file": (name, content, "application/yaml")}
    return client.post("/api/v1/imports/jobs", headers=w.auth(user), files=files)


def _run_here(w: World, job_id: str, user: str) -> dict[str, Any]:
    """Run the job as a Dask worker would (same function), then read it back."""
    run_job(w.store._url, job_id, Actor(user, None))
    with w.store.reading() as conn:
        job = job_rows.get(conn, job_id)
        waiting = conn.execute(sp.uploads.select()).all()
    assert waiting == [], "the job deletes its upload when it ends"
    return {"status": str(job.status), "result": job.result, "error": job.error}


def _quantities(w: World) -> list[float | None]:
    return sorted((f.quantity or 0.0) for f in w.store.load(["kiic"]).flows)


def test_a_background_import_runs_on_dask_and_changes_the_data(tmp_path: Path) -> None:
    w, client = make_world(f"sqlite:///{tmp_path / 'j.db'}", start_jobs=True)
    content, quantity = _changed_kiic(w, tmp_path)
    with client:
        started = _send(w, client, "pak.kiic", "kiic.yaml", content)
        assert started.status_code == 202, started.text
        job_id = started.json()["id"]
        deadline = time.monotonic() + 120
        while (job := client.get(f"/api/v1/jobs/{job_id}", headers=w.auth("pak.kiic")).json())[
            "status"
        ] not in {"done", "failed"}:
            assert time.monotonic() < deadline, job
            time.sleep(0.2)
    assert job["status"] == "done", job
    assert job["result"]["status"] == "superseded"  # stored data was replaced
    assert job["result"]["parks"] == ["kiic"]
    assert quantity in _quantities(w)
    w.store.close()


def test_the_same_file_again_changes_nothing(tmp_path: Path) -> None:
    w, client = make_world(f"sqlite:///{tmp_path / 'u.db'}")
    content, _ = _changed_kiic(w, tmp_path)
    with client:
        first = _send(w, client, "pak.kiic", "kiic.yaml", content).json()
        assert _run_here(w, first["id"], "pak.kiic")["status"] == "done"
        before = _quantities(w)
        again = _send(w, client, "pak.kiic", "kiic.yaml", content).json()
        job = _run_here(w, again["id"], "pak.kiic")
    assert job["result"]["status"] == "unchanged"
    assert _quantities(w) == before
    w.store.close()


def test_a_bad_file_fails_with_every_problem_located_and_writes_nothing(tmp_path: Path) -> None:
    w, client = make_world(f"sqlite:///{tmp_path / 'b.db'}")
    content, _ = _changed_kiic(w, tmp_path)
    bad = content.replace(b"quantity: ", b"quantity: lots", 1)
    assert bad != content
    before = _quantities(w)
    with client:
        job = _run_here(w, _send(w, client, "pak.kiic", "kiic.yaml", bad).json()["id"], "pak.kiic")
    assert job["status"] == "failed"
    issues = job["result"]["issues"]
    assert issues
    assert all(i["message_en"] and i["message_id"] for i in issues)
    assert any(
        i.get("field") == "quantity" and "kiic.yaml" in (i.get("file") or "") for i in issues
    )
    assert _quantities(w) == before
    w.store.close()


def test_a_file_for_a_park_the_user_may_not_import_into_is_refused(tmp_path: Path) -> None:
    w, client = make_world(f"sqlite:///{tmp_path / 'r.db'}")
    content, _ = _changed_kiic(w, tmp_path)
    before = _quantities(w)
    with client:
        job = _run_here(w, _send(w, client, "pak.mm", "kiic.yaml", content).json()["id"], "pak.mm")
        refused = _send(w, client, "citra", "kiic.yaml", content)
    assert job["status"] == "failed"
    assert "kiic" in job["error"]
    assert "nothing was written" in job["error"]
    assert _quantities(w) == before
    assert refused.status_code == 403  # a consultant imports nowhere
    w.store.close()
