"""Intake benchmark: rows per second importing 100,000 flows (CSV, XLSX), the time and
memory to synthesise and load 30,000 companies, the cost of rejecting bad files and of
re-importing an unchanged one, each against a named peer run in the same process tree:

* CSV import  vs  stdlib ``csv.reader`` + ``float()`` over the same file (parse-only floor);
* XLSX import vs  openpyxl read-only iteration over the same workbook (parse-only floor);
* store.save  vs  stdlib ``sqlite3`` ``executemany`` of the same flow tuples into one
  un-indexed table (write-only floor);
* ``sinergi import`` (the CLI, in its own process) of a 2 MB and a 20 MB CSV whose every row
  is bad  vs  ``csv.reader`` + ``float()`` over the same file (parse-only floor): wall time,
  peak memory and bytes printed;
* ``sinergi import`` of the 100,000-flow CSV a second time (unchanged, known from its hash)
  vs  ``hashlib.sha256`` of the same file (hash-only floor).

Each stage runs in a fresh child process so its peak RSS is its own. Ratios are sinergi time
÷ peer time (lower is better; > 1 means sinergi pays for validation, units, foreign keys).

Usage: ``python bench/intake.py [--companies 30000] [--parks 150] [--flows 100000]
[--only synth,import,bad,reimport]``
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import multiprocessing as mp
import os
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _rss_mb() -> float:
    """Return this process's peak resident memory in MB.

    Read from ``VmHWM`` (reset when a process execs), not ``ru_maxrss``, which Linux carries
    over from the parent at fork and exec: a child of a large parent would report at least the
    parent's size.
    """
    return _hwm_mb(Path("/proc/self/status").read_text())


def _hwm_mb(status: str) -> float:
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _child(fn: Callable[..., dict[str, Any]], args: tuple[Any, ...], queue: Any) -> None:
    queue.put(fn(*args))


def run_isolated(fn: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """Run ``fn(*args)`` in a fresh spawned process and return its result dict."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(fn, args, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def stage_synth(companies: int, parks: int, db: str, url: str | None = None) -> dict[str, Any]:
    from sinergi.demo import synthesise
    from sinergi.intake import initialise
    from sinergi.store import Store

    base = _rss_mb()
    t0 = time.perf_counter()
    eco = synthesise(companies=companies, parks=parks, seed=1)
    t1 = time.perf_counter()
    store = Store(url or f"sqlite:///{db}")
    initialise(store)
    t2 = time.perf_counter()
    store.save(eco)
    t3 = time.perf_counter()
    store.close()
    return {
        "companies": len(eco.companies),
        "flows": len(eco.flows),
        "synth_s": t1 - t0,
        "save_s": t3 - t2,
        "peak_rss_mb": _rss_mb(),
        "rss_growth_mb": _rss_mb() - base,
    }


def stage_sqlite_peer(companies: int, parks: int, db: str) -> dict[str, Any]:
    from sinergi.demo import synthesise

    eco = synthesise(companies=companies, parks=parks, seed=1)
    rows = [
        (str(f.period), f.source, f.target, f.commodity, f.quantity, str(f.quality), f.evidence)
        for f in eco.flows
    ]
    con = sqlite3.connect(db)
    con.execute(
        "CREATE TABLE flows (period TEXT, source TEXT, target TEXT, commodity TEXT,"
        " quantity REAL, quality TEXT, evidence TEXT)"
    )
    t0 = time.perf_counter()
    with con:
        con.executemany("INSERT INTO flows VALUES (?,?,?,?,?,?,?)", rows)
    t1 = time.perf_counter()
    con.close()
    return {"flows": len(rows), "save_s": t1 - t0}


def stage_import(path: str, db: str) -> dict[str, Any]:
    from sinergi.intake import import_file
    from sinergi.store import Store

    store = Store(f"sqlite:///{db}")
    t0 = time.perf_counter()
    outcome = import_file(store, Path(path))
    t1 = time.perf_counter()
    store.close()
    return {"seconds": t1 - t0, "status": str(outcome.result.status), "peak_rss_mb": _rss_mb()}


def stage_csv_peer(path: str) -> dict[str, Any]:
    t0 = time.perf_counter()
    n = 0
    with Path(path).open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        next(reader)
        for row in reader:
            float(row[4])
            n += 1
    return {"rows": n, "seconds": time.perf_counter() - t0}


def stage_xlsx_peer(path: str) -> dict[str, Any]:
    import openpyxl

    t0 = time.perf_counter()
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    n = sum(1 for _ in wb["Flows"].iter_rows(min_row=2, values_only=True))
    wb.close()
    return {"rows": n, "seconds": time.perf_counter() - t0}


def write_inputs(db: str, n_flows: int, workdir: Path) -> tuple[Path, Path]:
    """Write the first ``n_flows`` stored flows as a CSV and an XLSX Flows sheet, re-dated to
    a new period so the import really replaces nothing and inserts everything."""
    import openpyxl

    from sinergi.io.columns import schema
    from sinergi.store import Store

    eco = Store(f"sqlite:///{db}").load()
    flows = eco.flows[:n_flows]
    header = [c.header for c in schema().table("flows").columns]
    rows = [
        [
            "2025",
            f.source,
            f.target,
            f.commodity,
            f.quantity,
            eco.catalogue.get(f.commodity).unit,
            str(f.quality),
            f.evidence,
        ]
        for f in flows
    ]
    csv_path = workdir / "flows.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    xlsx_path = workdir / "flows.xlsx"
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Flows")
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(xlsx_path)
    return csv_path, xlsx_path


PEERS = {"CSV": "csv.reader + float() parse", "XLSX": "openpyxl read-only iteration"}

#: Bad rows of the rejection workload: one problem each, four kinds in turn (seeded).
BAD_ROWS = (
    "2024,supplier,market,coal,12.{n}x,t",  # not a number
    "2024,supplier,market,coal,{i},furlong",  # unit not accepted
    "2024,supplier,nowhere-{i},coal,{i},t",  # unknown node
    "2024,supplier,market,unobtainium-{n},{i},t",  # unknown commodity
)


def write_bad_csv(path: Path, target_bytes: int, seed: int = 7) -> int:
    """Write a flows CSV of about ``target_bytes`` whose every row has a problem; return rows."""
    rng = random.Random(seed)
    header = "period,source,target,commodity,quantity,unit\n"
    size, rows = len(header), 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(header)
        while size < target_bytes:
            line = BAD_ROWS[rng.randrange(len(BAD_ROWS))].format(i=rows, n=rows % 50) + "\n"
            fh.write(line)
            size += len(line)
            rows += 1
    return rows


def stage_hash_peer(path: str) -> dict[str, Any]:
    t0 = time.perf_counter()
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return {"seconds": time.perf_counter() - t0}


def bench_bad_files(work: Path, db: Path) -> None:
    """Time and measure ``sinergi import`` on bad 2 MB and 20 MB files, against csv.reader."""
    for label, size in (("2 MB", 2_000_000), ("20 MB", 20_000_000)):
        path = work / f"bad-{size}.csv"
        rows = write_bad_csv(path, size)
        cli = run_cli_measured(["import", str(path), "--db", f"sqlite:///{db}"])
        raw = run_isolated(stage_csv_peer_tolerant, str(path))
        print(
            f"reject a {label} CSV of {rows:,} bad rows with the CLI: {cli['seconds']:.2f} s, "
            f"peak RSS {cli['peak_rss_mb']:.0f} MB, {cli['output_bytes']:,} bytes printed, "
            f"exit {cli['exit']}"
        )
        print(
            f"  peer csv.reader + float() over the same file: {raw['seconds']:.2f} s; "
            f"ratio sinergi/peer = {cli['seconds'] / raw['seconds']:.1f}x"
        )


_CLI = (
    "import atexit, os\n"
    "atexit.register(lambda: open(os.environ['SINERGI_BENCH_STATUS'], 'w')"
    ".write(open('/proc/self/status').read()))\n"
    "from sinergi.cli import main\n"
    "main()\n"
)


def run_cli_measured(args: list[str]) -> dict[str, Any]:
    """Run the CLI in its own process (output to files); return time, peak memory, output.

    The child writes its own ``/proc/self/status`` at exit, so its peak memory is its own.
    """
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile(suffix=".status") as status,
    ):
        env = {**os.environ, "SINERGI_BENCH_STATUS": status.name}
        t0 = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-c", _CLI, *args], stdout=out, stderr=err, env=env, check=False
        )
        seconds = time.perf_counter() - t0
        printed = out.tell() + err.tell()
        peak = _hwm_mb(Path(status.name).read_text())
    return {
        "seconds": seconds,
        "exit": proc.returncode,
        "output_bytes": printed,
        "peak_rss_mb": peak,
    }


def stage_csv_peer_tolerant(path: str) -> dict[str, Any]:
    """csv.reader + float() over every row, counting the cells that are not numbers."""
    t0 = time.perf_counter()
    n = bad = 0
    with Path(path).open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        next(reader)
        for row in reader:
            try:
                float(row[4])
            except ValueError:
                bad += 1
            n += 1
    return {"rows": n, "bad": bad, "seconds": time.perf_counter() - t0}


def bench_reimport(path: Path, db: Path) -> None:
    """Import a CSV with the CLI, then again (unchanged), against hashing the file."""
    first = run_cli_measured(["import", str(path), "--db", f"sqlite:///{db}"])
    again = run_cli_measured(["import", str(path), "--db", f"sqlite:///{db}"])
    peer = run_isolated(stage_hash_peer, str(path))
    print(
        f"CLI import of the {path.stat().st_size / 1e6:.1f} MB flow CSV: {first['seconds']:.2f} s; "
        f"the same file again (unchanged): {again['seconds']:.2f} s, exit {again['exit']}"
    )
    print(
        f"  peer hashlib.sha256 of the file: {peer['seconds']:.3f} s; ratio "
        f"second import/peer = {again['seconds'] / peer['seconds']:.0f}x (the rest is starting "
        "Python, opening the database and checking its schema)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=30_000)
    parser.add_argument("--parks", type=int, default=150)
    parser.add_argument("--flows", type=int, default=100_000)
    parser.add_argument("--postgres", help="also time the save into this (empty) PostgreSQL URL")
    parser.add_argument(
        "--only", default="synth,import,bad,reimport", help="comma-separated stages to run"
    )
    args = parser.parse_args()
    stages = set(args.only.split(","))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        synth = run_isolated(stage_synth, args.companies, args.parks, str(work / "s.db"))
        if "synth" in stages:
            report_synth(synth, args, work)
        csv_path, xlsx_path = write_inputs(str(work / "s.db"), args.flows, work)
        if "import" in stages:
            bench_imports(work, csv_path, xlsx_path)
        if "bad" in stages:
            db = work / "bad.db"
            db.write_bytes((work / "s.db").read_bytes())
            bench_bad_files(work, db)
        if "reimport" in stages:
            db = work / "again.db"
            db.write_bytes((work / "s.db").read_bytes())
            bench_reimport(csv_path, db)


def report_synth(synth: dict[str, Any], args: argparse.Namespace, work: Path) -> None:
    peer = run_isolated(stage_sqlite_peer, args.companies, args.parks, str(work / "p.db"))
    print(
        f"synthesise {synth['companies']:,} companies / {synth['flows']:,} flows: "
        f"{synth['synth_s']:.2f} s; save to SQLite: {synth['save_s']:.2f} s "
        f"(peak RSS {synth['peak_rss_mb']:.0f} MB)"
    )
    print(
        f"  peer sqlite3.executemany of the same flows: {peer['save_s']:.2f} s; "
        f"ratio sinergi/peer = {synth['save_s'] / peer['save_s']:.1f}x"
    )
    if args.postgres:
        pg = run_isolated(stage_synth, args.companies, args.parks, "", args.postgres)
        print(
            f"  same save into PostgreSQL: {pg['save_s']:.2f} s; "
            f"ratio PostgreSQL/SQLite = {pg['save_s'] / synth['save_s']:.1f}x"
        )


def bench_imports(work: Path, csv_path: Path, xlsx_path: Path) -> None:
    for label, path, peer_fn in (
        ("CSV", csv_path, stage_csv_peer),
        ("XLSX", xlsx_path, stage_xlsx_peer),
    ):
        db = work / f"{label}.db"
        db.write_bytes((work / "s.db").read_bytes())
        imp = run_isolated(stage_import, str(path), str(db))
        raw = run_isolated(peer_fn, str(path))
        rate = raw["rows"] / imp["seconds"]
        print(
            f"import {raw['rows']:,}-flow {label}: {imp['seconds']:.2f} s = {rate:,.0f} rows/s "
            f"({imp['status']}, peak RSS {imp['peak_rss_mb']:.0f} MB)"
        )
        print(
            f"  peer {PEERS[label]}: {raw['seconds']:.2f} s; "
            f"ratio sinergi/peer = {imp['seconds'] / raw['seconds']:.1f}x"
        )


if __name__ == "__main__":
    main()
