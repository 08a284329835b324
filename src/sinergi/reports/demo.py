"""The main job: load the demonstration ecosystem, re-read it, assess it, write the outputs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from sinergi.assess.compare import trend
from sinergi.assess.engine import assess
from sinergi.assess.gaps import gaps
from sinergi.assess.packs import available_packs, load_pack, load_profile
from sinergi.intake import initialise
from sinergi.io import write_file, write_template
from sinergi.model import Ecosystem
from sinergi.model.checks import check
from sinergi.model.summary import periods
from sinergi.reports.assessment import assessment_dict, assessment_html, assessment_pdf
from sinergi.reports.declaration import declaration_html, self_declaration
from sinergi.reports.demo_custody import write_custody_demo
from sinergi.reports.demo_engines import engine_table, write_engine_demos
from sinergi.reports.demo_national import store_national_demo
from sinergi.reports.index import write_index
from sinergi.reports.park import fmt, headline, park_report
from sinergi.reports.summary import summary_markdown
from sinergi.store import Store

#: Short column labels for the terminal table.
SHORT = {
    "electricity": "grid MWh",
    "electricity_coal": "coal MWh",
    "co2": "CO2 t",
    "nickel_slag": "slag t",
    "fly_ash": "fly ash t",
}


def run_demo(store: Store, out: Path, *, seed: int, console: Console | None) -> dict[str, Any]:
    """Load the demonstration ecosystem, re-read it, and write the summary files to ``out``."""
    from sinergi.demo import demo_ecosystem
    from sinergi.examples import tiny_park

    initialise(store)
    eco = demo_ecosystem(seed=seed)
    # One fully synthetic park with land use and park-services data, so that the reports
    # also show scored criteria and gaps; the real parks' land use is not published.
    eco.merge(tiny_park())
    # ... and a synthetic 2023 for it (same flows, no park-services record yet), so that the
    # reports also draw a trend across periods.
    earlier = tiny_park("2023")
    eco.flows += earlier.flows
    eco.workforce += earlier.workforce
    eco.safety += earlier.safety
    findings = check(eco, warn=False)
    store.save(eco)
    stored = store.load(list(eco.parks))
    identical = _same_content(eco, stored)
    reports = [park_report(stored, pid) for pid in sorted(stored.parks)]
    assessments = write_assessments(stored, out / "assessments")
    engines = write_engine_demos(stored, out)
    engines["custody"] = write_custody_demo(store, out / "passport")
    store_national_demo(store)
    summary: dict[str, Any] = {
        "database": store.url,
        "seed": seed,
        "round_trip_identical": identical,
        "consistency_findings": [str(f) for f in findings],
        "counts": stored.counts(),
        "parks": reports,
        "note": "Park facts carry their sources; every tenant company and every flow of the "
        "demo is synthetic (illustrative magnitudes).",
        "assessments": assessments,
        **engines,
    }
    (out / "summary.json").write_text(
        json.dumps(summary, indent=2, ensure_ascii=False, default=str), "utf-8"
    )
    (out / "summary.md").write_text(summary_markdown(summary), "utf-8")
    write_file(stored, out / "demo-ecosystem.yaml")
    write_file(stored, out / "demo-ecosystem.xlsx")
    write_template(out / "sinergi-template.xlsx")
    write_index(out)
    if console is not None:
        console.print(_rich_table(reports))
        console.print(_assessment_table(summary["assessments"]))
        console.print(engine_table(engines))
        console.print(
            f"stored in {store.url}; re-read identical: {identical}; consistency findings: "
            f"{len(findings)}\nwrote {out}/index.html (start here), summary.md, summary.json, "
            "demo-ecosystem.yaml, demo-ecosystem.xlsx, sinergi-template.xlsx, assessments/, "
            "footprints/, symbiosis/, battery/, emobility/, national/, passport/\n"
            "[dim]Park facts are sourced; all tenants and flows are synthetic; the "
            "standards are only partly encoded (see each report).[/]"
        )
    return summary


def _same_content(a: Ecosystem, b: Ecosystem) -> bool:
    def key(eco: Ecosystem) -> tuple[object, ...]:
        flows = sorted(eco.flows, key=lambda f: (str(f.period), f.source, f.target, f.commodity))
        return (
            eco.parks,
            eco.companies,
            eco.facilities,
            eco.processes,
            flows,
            *(sorted(map(repr, items)) for _, items in eco.records()),
        )

    return key(a) == key(b)


def _rich_table(reports: list[dict[str, Any]]) -> Table:
    table = Table(title="sinergi demo: parks and headline flows, latest period")
    for heading in ("park", "area ha", "tenants", *SHORT.values()):
        table.add_column(heading, justify="left" if heading == "park" else "right")
    for r in reports:
        heads = headline(r)
        table.add_row(
            r["id"], fmt(r["area_ha"]), str(r["tenants"]), *(fmt(heads[c]) for c in SHORT)
        )
    return table


def _assessment_table(lines: list[dict[str, Any]]) -> Table:
    table = Table(title="assessments (details in out/assessments/*.html)")
    for heading in ("park", "standard", "period", "criteria assessed", "complete"):
        table.add_column(heading)
    for a in lines:
        table.add_row(
            a["park"],
            a["pack"],
            a["period"],
            f"{a['coverage']:.0%}",
            "yes" if a["complete"] else "no",
        )
    return table


def write_assessments(eco: Ecosystem, folder: Path) -> list[dict[str, Any]]:
    """Assess every park against every shipped pack for its latest period.

    Writes JSON and bilingual HTML reports; returns one summary line per report.
    """
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for pack_id in available_packs():
        pack = load_pack(pack_id)
        profile = load_profile(pack)
        for park_id in sorted(eco.parks):
            latest = periods(eco.subset([park_id]))
            if not latest:
                continue
            result = assess(eco, park_id, latest[-1], pack, profile=profile)
            history = trend(eco, park_id, pack, latest[-1], profile=profile, current=result)
            found = gaps(result, pack, eco)
            pages = {
                lang: assessment_dict(result, pack, found, eco, history, lang=lang)
                for lang in ("en", "id")
            }
            data = pages["en"]
            stem = folder / f"{park_id}.{pack_id}"
            Path(f"{stem}.json").write_text(
                json.dumps(data, indent=2, ensure_ascii=False, default=str), "utf-8"
            )
            for lang, page in pages.items():
                Path(f"{stem}.{lang}.html").write_text(assessment_html(page), "utf-8")
            Path(f"{stem}.id.pdf").write_bytes(assessment_pdf(assessment_html(pages["id"])))
            if pack_id == "permenperin-26-2025":
                draft = self_declaration(eco, result, pack)
                Path(f"{folder / park_id}.pernyataan-mandiri.draft.html").write_text(
                    declaration_html(draft), "utf-8"
                )
            lines.append(
                {
                    "park": park_id,
                    "pack": pack_id,
                    "period": data["period"],
                    "coverage": data["coverage"],
                    "complete": data["complete"],
                    "verdict": data["verdict"],
                }
            )
    return lines
