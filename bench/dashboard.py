"""Dashboard benchmark: time to interactive and page weight of the national and a park page.

The synthetic nation (``synthesise(companies, parks, seed=1)``, as ``bench/api.py``) is loaded
into SQLite; ``sinergi serve`` runs on 127.0.0.1 in its own process; Playwright drives Debian's
Chromium (a fresh context per visit, so every visit is a first visit with a cold cache) and
reads the browser's navigation timing. Each page is visited ``--repeats`` times (median
reported) as the public and as the ministry (who also sees every park's assessment).

The server is started twice: the first server on the new database computes every park's
figures (nothing is kept yet) and keeps them; the measured server starts afterwards, as after
a restart. Last, one park is written and the national page visited again (only that park's
figures are computed again).

Peer, measured the same way in the same run: the JSON API call each page wraps
(``/api/v1/parks`` for the national page, ``/api/v1/parks/{id}/assessment`` for the park page),
so the ratio says what the page adds over the data it shows.

Target (issue 15): national and park page interactive in ≤ 1.5 s (median of 5).

Usage::

    python bench/dashboard.py [--companies 30000] [--parks 150] [--repeats 5]

Only loopback traffic, bounded in count.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api import _free_port, prepare, serve, wait_ready

CHROMIUM = "/usr/bin/chromium"
TARGET_S = 1.5

#: Navigation timing (ms from the start of navigation) and bytes over the wire, first visit.
TIMING_JS = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const resources = performance.getEntriesByType("resource");
  const bytes = nav.transferSize + resources.reduce((s, r) => s + r.transferSize, 0);
  return {interactive: nav.domInteractive, loaded: nav.loadEventEnd,
          bytes: bytes, requests: 1 + resources.length};
}"""


def visit(browser: Any, url: str, token: str | None, wait_ready_flag: bool) -> dict[str, float]:
    """Open ``url`` once in a fresh context; return its navigation timing and bytes."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    if token is not None:
        host = url.split("/")[2].split(":", maxsplit=1)[0]
        context.add_cookies(
            [{"name": "sinergi_session", "value": token, "domain": host, "path": "/"}]
        )
    page = context.new_page()
    page.set_default_timeout(600_000)  # a cold national page at full scale takes minutes
    start = time.perf_counter()
    page.goto(url, wait_until="load")
    if wait_ready_flag:
        page.wait_for_selector("body[data-ready]")
    drawn = time.perf_counter() - start
    timing = page.evaluate(TIMING_JS)
    context.close()
    return {**timing, "drawn": drawn * 1000}


def measure(
    browser: Any, url: str, token: str | None, repeats: int, ready: bool
) -> dict[str, float]:
    """Return the first visit (``cold_*``: the server has not answered this reader yet) and
    the median of ``repeats`` visits after it (the server remembers its reads until data
    changes; the browser's cache is empty at every visit)."""
    cold = visit(browser, url, token, ready)
    runs = [visit(browser, url, token, ready) for _ in range(repeats)]
    median = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    return median | {f"cold_{k}": v for k, v in cold.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--companies", type=int, default=30000)
    parser.add_argument("--parks", type=int, default=150)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="sinergi-bench-dashboard-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'nation.db'}"
        token, parks, timings = prepare(url, args.companies, args.parks)
        store_registry(url)
        print(
            f"nation: {args.companies} companies, {args.parks} parks; loaded in "
            f"{timings['synthesise_s'] + timings['save_s']:.0f} s"
        )
        park = parks[0]
        cases = [
            ("national page, public", "/", None, True),
            ("national page, ministry", "/", token, True),
            ("peer: GET /api/v1/parks", "/api/v1/parks", None, False),
            (f"park page ({park}), ministry", f"/parks/{park}", token, True),
            (
                f"peer: GET /api/v1/parks/{park}/assessment",
                f"/api/v1/parks/{park}/assessment",
                token,
                False,
            ),
        ]
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            with serving(url, tmp, "first") as base:
                visit(browser, base + "/login", None, False)  # imports and templates loaded
                # nothing kept yet: the first server ever computes every park's figures
                first = {
                    name: visit(browser, base + path, tok, True)
                    for name, path, tok, _ready in cases[:2]
                }
            with serving(url, tmp, "second") as base:
                visit(browser, base + "/login", None, False)
                # a restarted server: every park's figures are kept in the database
                results = {
                    name: measure(browser, base + path, tok, args.repeats, ready)
                    for name, path, tok, ready in cases
                }
                write_one_park(url, parks[1])
                written = {
                    name: visit(browser, base + path, tok, True)
                    for name, path, tok, _ready in cases[:2]
                }
            browser.close()
    report(results, args)
    print(
        "\nnational page, first visit of any server on a new database (nothing kept yet), "
        f"and first visit after a write to one park ({parks[1]}):"
    )
    for name in first:
        print(
            f"{name:52} new database {first[name]['interactive']:8.0f} ms   "
            f"after a write to one park {written[name]['interactive']:8.0f} ms"
        )


@contextmanager
def serving(url: str, tmp: str, name: str) -> Iterator[str]:
    """Run ``sinergi serve`` for the block; yield its base URL (a visit loads its imports)."""
    port = _free_port()
    process = serve(url, port, log=Path(tmp) / f"serve-{name}.log")
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base + "/api/v1")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def store_registry(url: str) -> None:
    """Store the demo's synthetic smelter registry (120 smelters), as ``sinergi demo`` does."""
    from sinergi.reports.demo_national import store_national_demo
    from sinergi.store import Store

    with Store(url) as store:
        store_national_demo(store)


def write_one_park(url: str, park: str) -> None:
    """Drop one of ``park``'s flows, as an import of that park would: one park's data changes."""
    from sinergi.model.audit import Actor
    from sinergi.store.audited import AuditedStore

    store = AuditedStore(url, actor=Actor("bench"))
    try:
        eco = store.load([park])
        eco.flows = eco.flows[1:]
        store.save(eco)
    finally:
        store.close()


def report(results: dict[str, dict[str, float]], args: argparse.Namespace) -> None:
    print(
        f"\nfirst visit after the server starts (cold), then median of {args.repeats} "
        "visits (fresh browser context each: empty browser cache)"
    )
    print(
        f"{'page':52} {'cold ms':>8} {'interactive ms':>14} {'load ms':>8} "
        f"{'drawn ms':>8} {'kB':>6} {'requests':>8}"
    )
    for name, r in results.items():
        print(
            f"{name:52} {r['cold_interactive']:8.0f} {r['interactive']:14.0f} "
            f"{r['loaded']:8.0f} {r['drawn']:8.0f} {r['bytes'] / 1024:6.0f} "
            f"{r['requests']:8.0f}"
        )
    names = list(results)
    for page, peer in ((names[0], names[2]), (names[1], names[2]), (names[3], names[4])):
        ratio = results[page]["interactive"] / max(results[peer]["interactive"], 1e-9)
        ok = results[page]["interactive"] / 1000 <= TARGET_S
        print(
            f"{page}: interactive {results[page]['interactive'] / 1000:.2f} s "
            f"(cold {results[page]['cold_interactive'] / 1000:.2f} s) = {ratio:.1f}x its "
            f"peer; target <= {TARGET_S} s {'met' if ok else 'NOT met'}"
        )


if __name__ == "__main__":
    main()
