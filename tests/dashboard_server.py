"""A real dashboard for browser tests: uvicorn on a free loopback port over a temporary world.

The world is :mod:`tests.service_world`'s (the demo parks; users ``ana`` ministry, ``pak.kiic``
park manager of kiic, ``tina`` tenant of kiic's first company, ``vera`` verifier, ``citra``
consultant; all with :data:`~tests.service_world.PASSWORD`) plus the symbiosis proposals for
kiic, so the park page has exchanges to decide, and twelve synthetic smelters for the map.
Jobs stay unstarted (no Dask cluster).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from service_world import ADMIN, PASSWORD, populate
from sinergi.model.period import Period
from sinergi.national.build import registry_rows
from sinergi.national.synthetic import synthetic_registry
from sinergi.store.audited import AuditedStore
from sinergi.store.national import save_registry
from sinergi.symbiosis.recommend import recommend
from sinergi.web.app import create_app
from sinergi.web.settings import Settings

#: Where Debian's Chromium lives (``make browser`` installs it).
CHROMIUM = "/usr/bin/chromium"


@dataclass(frozen=True)
class Dashboard:
    """A running dashboard: its base URL, store and the kiic companies."""

    base: str
    store: AuditedStore
    companies: dict[str, list[str]]
    password: str = PASSWORD


def free_port() -> int:
    """Return a loopback port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _world(url: str) -> tuple[AuditedStore, dict[str, list[str]]]:
    store = AuditedStore(url, actor=ADMIN)
    _tokens, companies = populate(store)
    rows = registry_rows(synthetic_registry(12, 6, seed=7))
    save_registry(store, {"smelters": rows["smelters"], "units": rows["captive_units"]}, file="r")
    eco = store.load(["kiic"])
    store.propose_exchanges(recommend(eco, Period.parse("2024")).proposals)
    return store, companies


@contextmanager
def running_dashboard(folder: Path) -> Iterator[Dashboard]:
    """Serve a fresh world from ``folder`` until the block ends."""
    url = f"sqlite:///{folder / 'dashboard.db'}"
    store, companies = _world(url)
    port = free_port()
    app = create_app(Settings(database_url=url), start_jobs=False)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, name="dashboard", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the dashboard server did not start within 30 s")
        time.sleep(0.05)
    try:
        yield Dashboard(f"http://127.0.0.1:{port}", store, companies)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        store.close()
