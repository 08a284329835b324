"""Custody from the command line: import with located errors, trace, balance, passports."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from i18n_checks import english_left_on
from schemas import BATTERY_PASS, load_schema, relaxed
from sinergi.cli import app
from sinergi.cli.common import ExitCode
from sinergi.reports.demo_custody import CLAIMS, MODELS, demo_chain, demo_packs
from sinergi.store import Store
from sinergi.store.custody import CustodyRecords

runner = CliRunner()

LOTS = """lot_id,commodity,quantity,unit,owner,facility,period,made_by,attributes
ORE-A,laterite_ore_limonite,1000,t,mine,mine-a,2026-01,,irma_share=1
MHP-A,mhp,40000,kg,hpal,hpal-a,2026-01,HPAL-A,ni_content=0.39; route=hpal
"""
EVENTS = """event_id,kind,time,facility,inputs,outputs,losses_t
HPAL-A,transformation,2026-01-05T08:00:00+08:00,hpal-a,ORE-A=1000,MHP-A=40,960
"""


def _db(tmp_path: Path) -> list[str]:
    return ["--db", f"sqlite:///{tmp_path}/c.db"]


def _demo_db(tmp_path: Path) -> list[str]:
    store = Store(f"sqlite:///{tmp_path}/c.db")
    store.migrate()
    CustodyRecords(store).append(
        demo_chain(),
        models=MODELS,
        claims=CLAIMS,
        packs={p.pack_id: p.model_dump(mode="json") for p in demo_packs()},
    )
    store.close()
    return _db(tmp_path)


def test_csv_lots_and_events_import_once_and_then_change_nothing(tmp_path: Path) -> None:
    (tmp_path / "lots.csv").write_text(LOTS, "utf-8")
    (tmp_path / "events.csv").write_text(EVENTS, "utf-8")
    files = [str(tmp_path / "lots.csv"), str(tmp_path / "events.csv")]
    first = runner.invoke(app, ["lots", "import", *files, *_db(tmp_path)])
    assert first.exit_code == ExitCode.OK, first.output
    assert "2 events added (2 lots), 0 already stored" in first.output
    again = runner.invoke(app, ["lots", "import", *files, *_db(tmp_path)])
    assert "0 events added (0 lots), 2 already stored" in again.output
    shown = runner.invoke(app, ["lots", "show", "MHP-A", "--json", *_db(tmp_path)])
    record = json.loads(shown.output)
    assert record["quantity"] == pytest.approx(40.0)  # 40,000 kg read as t
    assert record["madeBy"] == "HPAL-A"


def test_every_bad_cell_is_listed_with_its_place_and_nothing_is_written(tmp_path: Path) -> None:
    bad = LOTS.replace("1000,t", "lots,t").replace("mhp,40000,kg", "unobtainium,40000,oz")
    (tmp_path / "lots.csv").write_text(bad, "utf-8")
    (tmp_path / "events.csv").write_text(EVENTS.replace("transformation", "smelt"), "utf-8")
    result = runner.invoke(
        app,
        [
            "lots",
            "import",
            str(tmp_path / "lots.csv"),
            str(tmp_path / "events.csv"),
            *_db(tmp_path),
        ],
    )
    assert result.exit_code == ExitCode.INVALID
    text = " ".join(result.output.split())
    assert "lots.csv, row 2, column 'quantity'" in text
    assert "lots.csv, row 3, column 'commodity'" in text
    assert "lots.csv, row 3, column 'unit'" in text
    assert "events.csv, row 2, column 'kind'" in text
    assert "bukan angka" in text  # and in Indonesian
    store = Store(f"sqlite:///{tmp_path}/c.db")
    store.migrate()
    assert CustodyRecords(store).count() == 0


def test_a_transformation_that_does_not_balance_is_refused_at_its_row(tmp_path: Path) -> None:
    (tmp_path / "lots.csv").write_text(LOTS, "utf-8")
    (tmp_path / "events.csv").write_text(EVENTS.replace(",960", ",900"), "utf-8")
    result = runner.invoke(
        app,
        [
            "lots",
            "import",
            str(tmp_path / "lots.csv"),
            str(tmp_path / "events.csv"),
            *_db(tmp_path),
        ],
    )
    assert result.exit_code == ExitCode.INVALID
    text = " ".join(result.output.split())
    assert "events.csv, row 2" in text
    assert "does not balance: inputs 1000 t" in text


def test_an_epcis_export_imports_into_an_empty_database_unchanged(tmp_path: Path) -> None:
    db = _demo_db(tmp_path)
    out = tmp_path / "chain.json"
    assert runner.invoke(app, ["lots", "export", "--out", str(out), *db]).exit_code == 0
    other = ["--db", f"sqlite:///{tmp_path}/other.db"]
    result = runner.invoke(app, ["lots", "import", str(out), *other])
    assert result.exit_code == ExitCode.OK, result.output
    assert f"{len(demo_chain())} events added" in result.output
    first = runner.invoke(app, ["lots", "trace", "PACK-EV-1", "--format", "json", *db])
    second = runner.invoke(app, ["lots", "trace", "PACK-EV-1", "--format", "json", *other])
    assert json.loads(first.output) == json.loads(second.output)


def test_the_refinery_balance_shows_credits_and_the_covered_claim(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "custody",
            "balance",
            "--site",
            "refinery",
            "--period",
            "2026-01",
            "--json",
            *_demo_db(tmp_path),
        ],
    )
    assert result.exit_code == ExitCode.OK, result.output
    (row,) = json.loads(result.output)["accounts"]
    assert row["characteristic"] == "recycled_post_consumer_share"
    assert (row["credits_t"], row["debits_t"], row["balance_t"]) == pytest.approx(
        (40.0, 30.0, 10.0)
    )


def test_a_replayed_balance_shows_the_journal_figures_and_says_it_read_the_events(
    tmp_path: Path,
) -> None:
    db = _demo_db(tmp_path)
    asked = ["custody", "balance", "--site", "refinery", "--period", "2026-01", *db]
    journal = runner.invoke(app, [*asked, "--json"])
    replayed = runner.invoke(app, [*asked, "--json", "--replay"])
    assert replayed.exit_code == ExitCode.OK, replayed.output
    record = json.loads(replayed.output)
    assert record.pop("recomputed_from_events") > 0
    assert record == json.loads(journal.output)
    english = runner.invoke(app, [*asked, "--replay"]).output
    assert "stored events, not from the credit journal" in " ".join(english.split())
    indonesian = " ".join(runner.invoke(app, [*asked, "--replay", "--lang", "id"]).output.split())
    assert "kejadian tersimpan, bukan dari jurnal kredit" in indonesian
    assert "saldo 10,000" in indonesian


def test_a_claim_beyond_the_credits_is_refused_with_the_shortfall(tmp_path: Path) -> None:
    db = _demo_db(tmp_path)
    (tmp_path / "claims.csv").write_text(
        "lot_id,characteristic,share\nNS-OTHER-1,recycled_post_consumer,0.2\n", "utf-8"
    )
    result = runner.invoke(app, ["lots", "import", str(tmp_path / "claims.csv"), *db])
    assert result.exit_code == ExitCode.INVALID
    assert "a shortfall of 12.92 t" in " ".join(result.output.split())


def test_passport_views_differ_by_audience_and_the_public_one_hides_genealogy(
    tmp_path: Path,
) -> None:
    db = _demo_db(tmp_path)
    views = {}
    for audience in ("public", "legitimate", "authority"):
        result = runner.invoke(app, ["passport", "PACK-EV-1", "--audience", audience, *db])
        assert result.exit_code == ExitCode.OK, result.output
        views[audience] = json.loads(result.output)
    public = views["public"]
    # NMC811: cobalt (a quarter of its sulfate recycled), lithium (none), nickel (claimed)
    assert public["Circularity"]["recycledContent"] == [
        {"recycledMaterial": "Cobalt", "preConsumerShare": 0.0, "postConsumerShare": 25.0},
        {"recycledMaterial": "Lithium", "preConsumerShare": 0.0, "postConsumerShare": 0.0},
        {"recycledMaterial": "Nickel", "preConsumerShare": 0.0, "postConsumerShare": 30.0},
    ]
    assert "batteryStatus" not in public["GeneralProductInformation"]
    assert "nickelGenealogy" not in public["sinergi"]
    assert views["legitimate"]["GeneralProductInformation"]["batteryStatus"] == "Original"
    genealogy = views["authority"]["sinergi"]["nickelGenealogy"]
    assert genealogy["intensityTCo2ePerTNi"] > 0
    assert genealogy["coveredShare"] == pytest.approx(39 / (39 + 40 * 0.2233), rel=1e-3)


@pytest.mark.parametrize("lang", ["en", "id"])
def test_pages_are_in_one_language(lang: str, tmp_path: Path) -> None:
    db = _demo_db(tmp_path)
    trace = runner.invoke(
        app, ["lots", "trace", "PACK-EV-1", "--format", "html", "--lang", lang, *db]
    )
    passport = runner.invoke(
        app, ["passport", "PACK-LMT-1", "--format", "html", "--lang", lang, *db]
    )
    assert trace.exit_code == passport.exit_code == ExitCode.OK
    assert "<svg" in trace.output
    assert "NS-EV-1" in trace.output
    assert "<svg" in passport.output  # the QR code
    if lang == "id":
        assert english_left_on(trace.output) == []
        assert english_left_on(passport.output) == []
        assert "Lacak balak" in trace.output


def test_a_synthetic_chain_loads_and_traces(tmp_path: Path) -> None:
    result = runner.invoke(app, ["custody", "synth", "--lots", "64", "--json", *_db(tmp_path)])
    assert result.exit_code == ExitCode.OK, result.output
    assert json.loads(result.output)["events"] > 64
    trace = runner.invoke(app, ["lots", "trace", "K1-0-0", "--format", "json", *_db(tmp_path)])
    lots = {row["lot"] for row in json.loads(trace.output)["lots"]}
    assert {"M1", "M0", "O1-0"} <= lots  # half of M0 is refined with round 1


def test_the_demo_passports_have_the_shape_of_the_battery_pass_schemas(tmp_path: Path) -> None:
    db = _demo_db(tmp_path)
    for pack in ("PACK-EV-1", "PACK-LMT-1"):
        result = runner.invoke(app, ["passport", pack, "--audience", "authority", *db])
        record = json.loads(result.output)
        for aspect, file in BATTERY_PASS.items():
            schema = relaxed(load_schema(f"batterypass-1.2/{file}"))
            errors = list(jsonschema.Draft4Validator(schema).iter_errors(record.get(aspect, {})))
            assert errors == [], (pack, aspect, errors[:1])


def test_a_workbook_from_the_template_imports(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "custody.xlsx"
    assert runner.invoke(app, ["lots", "template", "--out", str(out)]).exit_code == 0
    book = load_workbook(out)
    book["lots"].append(["ORE-X", "laterite_ore_limonite", 10, "t", "m", "mine-x", "2026-03"])
    book["events"].append(
        [
            "SHIP-X",
            "shipping",
            "2026-03-02T00:00:00+08:00",
            "mine-x",
            "ORE-X=10",
            None,
            None,
            None,
            "m",
            "smelter",
            "smelter-site",
        ]
    )
    book.save(out)
    result = runner.invoke(app, ["lots", "import", str(out), *_db(tmp_path)])
    assert result.exit_code == ExitCode.OK, result.output
    shown = json.loads(
        runner.invoke(app, ["lots", "show", "ORE-X", "--json", *_db(tmp_path)]).output
    )
    assert shown["holder"] == {"owner": "smelter", "facility": "smelter-site"}


def test_book_and_claim_certificates_cover_a_claim_once(tmp_path: Path) -> None:
    db = _demo_db(tmp_path)
    (tmp_path / "models.csv").write_text(
        "site,product_group,model\npcam-plant,pcam_nmc,book_and_claim\n", "utf-8"
    )
    (tmp_path / "certificates.csv").write_text(
        "certificate_id,characteristic,product_group,quantity_t,issuer\n"
        "LC-1,low_carbon,pcam_nmc,30,synthetic registry\n",
        "utf-8",
    )
    claims = tmp_path / "claims.csv"
    claims.write_text("lot_id,characteristic,share\nPCAM-1,low_carbon,0.5\n", "utf-8")
    files = [str(tmp_path / "models.csv"), str(tmp_path / "certificates.csv"), str(claims)]
    refused = runner.invoke(app, ["lots", "import", *files, *db])
    assert refused.exit_code == ExitCode.INVALID
    assert "cover 30 t, a shortfall of 5 t" in " ".join(refused.output.split())
    claims.write_text("lot_id,characteristic,share\nPCAM-1,low_carbon,0.4\n", "utf-8")
    accepted = runner.invoke(app, ["lots", "import", *files, *db])
    assert accepted.exit_code == ExitCode.OK, accepted.output
    shown = json.loads(runner.invoke(app, ["lots", "show", "PCAM-1", "--json", *db]).output)
    assert shown["claims"] == {"low_carbon_share": 0.4}


def _two_refineries(tmp_path: Path) -> list[str]:
    from custody_cases import nickel_chain
    from sinergi.custody.accounts import CustodyModel, SiteModel

    chain = nickel_chain()
    store = Store(f"sqlite:///{tmp_path}/c.db")
    store.migrate()
    CustodyRecords(store).append(
        [(e, [chain.lots[p.lot] for p in e.outputs]) for e in chain.events],
        models=[
            SiteModel(site, "nickel_sulfate", CustodyModel.MASS_BALANCE)
            for site in ("refinery", "refinery-b")
        ],
    )
    store.close()
    return _db(tmp_path)


def test_a_credit_transfer_moves_credits_and_is_refused_with_its_place(tmp_path: Path) -> None:
    db = _two_refineries(tmp_path)
    header = "transfer_id,characteristic,product_group,from_site,to_site,quantity_t,time"
    bad_group = tmp_path / "transfers.csv"
    bad_group.write_text(
        f"{header},to_product_group\n"
        "T1,recycled_post_consumer,nickel_sulfate,refinery,refinery-b,5,"
        "2026-01-20T08:00:00+08:00,pcam_nmc\n",
        "utf-8",
    )
    refused = runner.invoke(app, ["lots", "import", str(bad_group), *db])
    assert refused.exit_code == ExitCode.INVALID
    assert "transfers.csv" in refused.output
    assert "to_product_group" in refused.output
    assert "identical product groups" in refused.output
    too_much = tmp_path / "more.csv"
    too_much.write_text(
        f"{header}\nT2,recycled_post_consumer,nickel_sulfate,refinery,refinery-b,25,"
        "2026-01-20T08:00:00+08:00\n",
        "utf-8",
    )
    refused = runner.invoke(app, ["lots", "import", str(too_much), *db])
    assert refused.exit_code == ExitCode.INVALID
    assert "more.csv" in refused.output
    assert "short by 5 t" in refused.output
    moved = [
        "custody", "transfer", "T3", "--from", "refinery", "--to", "refinery-b",
        "--group", "nickel_sulfate", "--characteristic", "recycled_post_consumer",
        "--quantity", "15", "--time", "2026-01-20T08:00:00+08:00", *db,
    ]  # fmt: skip
    done = runner.invoke(app, moved)
    assert done.exit_code == ExitCode.OK, done.output
    shown = runner.invoke(
        app, ["custody", "balance", "--site", "refinery-b", "--period", "2026-P1", "--json", *db]
    )
    rows = json.loads(shown.output)["accounts"]
    assert [(r["characteristic"], r["transfers_t"], r["balance_t"]) for r in rows] == [
        ("recycled_post_consumer_share", 15.0, 15.0)
    ]
    text = runner.invoke(
        app,
        ["custody", "balance", "--site", "refinery", "--period", "2026-01", "--lang", "id", *db],
    )
    assert "transfer kredit -15" in text.output
    assert "saldo 5" in text.output
    again = runner.invoke(app, [*moved[:11], "--quantity", "6", *moved[13:]])
    assert again.exit_code == ExitCode.INVALID
    assert "stored with another content" in again.output
    wrong = runner.invoke(app, [*moved[:9], "--characteristic", "shiny", *moved[11:]])
    assert wrong.exit_code == ExitCode.USAGE
    assert "Traceback" not in wrong.output
    assert "recycled_post_consumer" in wrong.output
    no_model = runner.invoke(app, [*moved[:7], "--group", "cam_nmc811", *moved[9:]])
    assert no_model.exit_code == ExitCode.USAGE
    assert "has no mass-balance account for cam_nmc811" in " ".join(no_model.output.split())


def test_a_later_file_over_using_a_stored_lot_is_refused_at_its_row(tmp_path: Path) -> None:
    (tmp_path / "lots.csv").write_text(LOTS, "utf-8")
    (tmp_path / "events.csv").write_text(EVENTS, "utf-8")
    db = _db(tmp_path)
    first = [str(tmp_path / "lots.csv"), str(tmp_path / "events.csv")]
    assert runner.invoke(app, ["lots", "import", *first, *db]).exit_code == ExitCode.OK
    later_lots = tmp_path / "later_lots.csv"
    later_lots.write_text(
        "lot_id,commodity,quantity,unit,facility,made_by\n"
        "NS-A,nickel_sulfate,30,t,refinery-a,REF-A\n"
        "NS-B,nickel_sulfate,30,t,refinery-a,REF-B\n",
        "utf-8",
    )
    later = tmp_path / "later_events.csv"
    later.write_text(
        "event_id,kind,time,facility,inputs,outputs,losses_t\n"
        "REF-A,transformation,2026-02-01T08:00:00+08:00,refinery-a,MHP-A=30,NS-A=30,0\n"
        "REF-B,transformation,2026-02-02T08:00:00+08:00,refinery-a,MHP-A=30,NS-B=30,0\n",
        "utf-8",
    )
    refused = runner.invoke(app, ["lots", "import", str(later_lots), str(later), *db])
    assert refused.exit_code == ExitCode.INVALID, refused.output
    flat = " ".join(refused.output.split())
    assert "later_events.csv, row 3" in flat  # the row of REF-B
    assert "event REF-B uses 30 t of lot MHP-A, but only 10 of its 40 t are left" in flat
    shown = runner.invoke(app, ["lots", "show", "MHP-A", "--json", *db])
    assert json.loads(shown.output)["used"] == 0.0  # nothing of the refused file was written
    down = runner.invoke(app, ["lots", "trace", "NOPE", "--direction", "downstream", *db])
    assert down.exit_code == ExitCode.USAGE
    assert "not in the database" in down.output


_TRANSFER = [
    "custody", "transfer", "T9", "--from", "refinery", "--to", "refinery-b",
    "--group", "nickel_sulfate", "--characteristic", "recycled_post_consumer",
    "--quantity", "15", "--time", "2026-01-20T08:00:00+08:00",
]  # fmt: skip

#: Wrong arguments of every lots/custody/passport command, with the exit code each must give
#: and a piece of the Indonesian message.
_WRONG: list[tuple[list[str], ExitCode, str]] = [
    (["lots", "import", "nope.csv"], ExitCode.STORE, "tidak dapat dibaca"),
    (["lots", "show", "NOPE"], ExitCode.USAGE, "lot NOPE tidak ada di basis data"),
    (["lots", "trace", "NOPE"], ExitCode.USAGE, "lot NOPE tidak ada di basis data"),
    (["lots", "trace", "NOPE", "--direction", "downstream"], ExitCode.USAGE, "tidak ada di"),
    (["lots", "template", "--out", "x.csv"], ExitCode.USAGE, "harus berakhiran .xlsx"),
    (
        ["custody", "balance", "--site", "refinery", "--period", "2026-P9"],
        ExitCode.USAGE,
        "satu tahun memiliki 4 periode",
    ),
    (
        ["custody", "balance", "--site", "refinery", "--period", "26"],
        ExitCode.USAGE,
        "tulis periode akuntansi",
    ),
    (
        ["custody", "balance", "--site", "x", "--period", "2026-01"],
        ExitCode.USAGE,
        "tidak memiliki model lacak balak",
    ),
    (
        ["custody", "balance", "--site", "refinery", "--period", "2026-01", "--months", "5"],
        ExitCode.USAGE,
        "harus membagi satu tahun",
    ),
    ([*_TRANSFER[:10], "shiny", *_TRANSFER[11:]], ExitCode.USAGE, "bukan salah satu dari"),
    ([*_TRANSFER[:12], "-1", *_TRANSFER[13:]], ExitCode.USAGE, "harus positif"),
    ([*_TRANSFER[:14], "2026-01-20"], ExitCode.USAGE, "dengan selisih UTC"),
    ([*_TRANSFER[:6], "refinery", *_TRANSFER[7:]], ExitCode.USAGE, "akun yang sama"),
    ([*_TRANSFER[:2], "T 9", *_TRANSFER[3:]], ExitCode.USAGE, "tidak dapat dipakai"),
    ([*_TRANSFER[:8], "cam_nmc811", *_TRANSFER[9:]], ExitCode.USAGE, "akun neraca massa"),
    (
        [*_TRANSFER[:12], "99", *_TRANSFER[13:]],
        ExitCode.INVALID,
        "berisi 20,000 t pada 2026-P1, kurang 79,000 t",
    ),
    (["passport", "NOPE"], ExitCode.USAGE, "lot NOPE tidak ada di basis data"),
    (["passport", "NS-1"], ExitCode.USAGE, "tidak memiliki data paspor"),
]


@pytest.mark.parametrize(("args", "code", "words"), _WRONG, ids=lambda v: str(v)[:40])
def test_wrong_arguments_are_refused_in_indonesian_with_their_exit_code(
    args: list[str], code: ExitCode, words: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _two_refineries(tmp_path)
    monkeypatch.chdir(tmp_path)
    stored = [] if args[:2] == ["lots", "template"] else db  # the template needs no database
    result = runner.invoke(app, [*args, "--lang", "id", *stored])
    flat = " ".join(result.output.split())
    assert result.exit_code == code, flat
    assert flat.startswith("kesalahan:"), flat
    assert words in flat
    assert "Traceback" not in flat
    assert english_left_on(flat) == []


def test_a_transfer_reports_in_indonesian_and_the_balance_follows(tmp_path: Path) -> None:
    db = _two_refineries(tmp_path)
    done = runner.invoke(app, [*_TRANSFER, "--lang", "id", *db])
    assert done.exit_code == ExitCode.OK, done.output
    flat = " ".join(done.output.split())
    assert flat == (
        "pemindahan T9: 15,000 t kandungan daur ulang pascakonsumsi dipindahkan dari refinery "
        "ke refinery-b (nickel_sulfate)"
    )
    # the refinery held 20 t (RNS-1 credited 20 t); 15 t left, so 6 t more is 1 t short
    again = runner.invoke(
        app, [*_TRANSFER[:2], "T10", *_TRANSFER[3:12], "6", *_TRANSFER[13:], "--lang", "id", *db]
    )
    assert again.exit_code == ExitCode.INVALID
    assert "berisi 5,000 t pada 2026-P1, kurang 1,000 t" in " ".join(again.output.split())


@pytest.mark.parametrize("lang", ["en", "id"])
def test_import_export_and_synth_speak_the_language_asked(lang: str, tmp_path: Path) -> None:
    db = _demo_db(tmp_path)
    out = tmp_path / "chain.json"
    exported = runner.invoke(app, ["lots", "export", "--out", str(out), "--lang", lang, *db])
    assert exported.exit_code == ExitCode.OK
    imported = runner.invoke(app, ["lots", "import", str(out), "--lang", lang, *db])
    synth = runner.invoke(
        app,
        ["custody", "synth", "--lots", "16", "--lang", lang, "--db", f"sqlite:///{tmp_path}/s.db"],
    )
    assert imported.exit_code == synth.exit_code == ExitCode.OK
    text = " ".join((exported.output + imported.output + synth.output).split())
    stored = len(demo_chain())
    if lang == "id":
        assert f"0 kejadian ditambahkan (0 lot), {stored} sudah tersimpan" in text
        assert "ditulis" in text
        assert "kejadian sintetis" in text
        assert english_left_on(text) == []
    else:
        assert f"0 events added (0 lots), {stored} already stored" in text
        assert "synthetic events" in text


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "1 event added (1 lot), 0 already stored; 0 custody models, 0 claims, "
               "0 credit transfers checked"),
        ("id", "1 kejadian ditambahkan (1 lot), 0 sudah tersimpan; 0 model lacak balak, "
               "0 klaim, 0 transfer kredit diperiksa"),
    ],
)  # fmt: skip
def test_import_counts_one_lot_in_the_singular(tmp_path: Path, lang: str, said: str) -> None:
    (tmp_path / "lots.csv").write_text(LOTS.splitlines()[0] + "\n" + LOTS.splitlines()[1], "utf-8")
    result = runner.invoke(
        app,
        ["lots", "import", str(tmp_path / "lots.csv"), *_db(tmp_path), "--lang", lang],
        terminal_width=200,
    )
    assert result.exit_code == ExitCode.OK, result.output
    assert said in " ".join(result.output.split())  # the console wraps long lines


def _refused_files(tmp_path: Path, case: str) -> tuple[list[str], list[str]]:
    """Return the database and the files of one refused import (see the test below)."""
    header = "transfer_id,characteristic,product_group,from_site,to_site,quantity_t,time"
    files: dict[str, str] = {}
    if case == "imbalance":
        db = _db(tmp_path)
        files = {"lots.csv": LOTS, "events.csv": EVENTS.replace(",960", ",900")}
    elif case == "unknown lot":
        db = _db(tmp_path)
        files = {"lots.csv": LOTS, "events.csv": EVENTS.replace("ORE-A=1000", "ORE-X=1000")}
    elif case == "over-used lot":
        db = _db(tmp_path)
        files = {
            "lots.csv": LOTS,
            "events.csv": EVENTS.replace("ORE-A=1000,MHP-A=40,960", "ORE-A=2000,MHP-A=40,1960"),
        }
    elif case in ("mass balance", "segregated"):
        db = _demo_db(tmp_path)
        claim = "NS-OTHER-1,recycled_post_consumer,0.2" if case == "mass balance" else ""
        if case == "segregated":  # a physical claim beyond what its inputs carry
            files["models.csv"] = "site,product_group,model\npcam-plant,pcam_nmc,segregated\n"
            claim = "PCAM-1,irma_share,0.9"
        files["claims.csv"] = f"lot_id,characteristic,share\n{claim}\n"
    elif case == "certificates":
        db = _demo_db(tmp_path)
        files = {
            "models.csv": "site,product_group,model\npcam-plant,pcam_nmc,book_and_claim\n",
            "certificates.csv": "certificate_id,characteristic,product_group,quantity_t,issuer\n"
            "LC-1,low_carbon,pcam_nmc,30,synthetic registry\n",
            "claims.csv": "lot_id,characteristic,share\nPCAM-1,low_carbon,0.5\n",
        }
    elif case == "tampered":  # an EPCIS event changed after it was hashed
        db = _demo_db(tmp_path)
        out = tmp_path / "chain.json"
        assert runner.invoke(app, ["lots", "export", "--out", str(out), *db]).exit_code == 0
        doc = json.loads(out.read_text("utf-8"))
        doc["epcisBody"]["eventList"][0]["bizLocation"]["id"] += "-moved"
        files = {"chain.json": json.dumps(doc)}
    else:  # a credit transfer the source account cannot cover
        db = _two_refineries(tmp_path)
        files = {
            "transfers.csv": f"{header}\nT2,recycled_post_consumer,nickel_sulfate,refinery,"
            "refinery-b,25,2026-01-20T08:00:00+08:00\n"
        }
    for name, text in files.items():
        (tmp_path / name).write_text(text, "utf-8")
    return db, [str(tmp_path / name) for name in files]


#: Imports the custody checks refuse, with a piece of the Indonesian detail each must show.
_REFUSED_IMPORTS = [
    ("imbalance", "kejadian HPAL-A (transformation) tidak seimbang: masukan 1000 t"),
    ("unknown lot", "kejadian HPAL-A memakai lot 'ORE-X', yang tidak ada dalam rantai"),
    ("over-used lot", "memakai 2000 t dari lot ORE-A, tetapi dari 1000 t lot itu hanya tersisa"),
    (
        "mass balance",
        "akun neraca massa refinery / nickel_sulfate untuk 2026-P1 berisi 10 t, kurang 12,92 t",
    ),
    ("segregated", "klaim segregated 90,0% irma_share atas lot PCAM-1 ditolak: masukannya hanya"),
    ("certificates", "hanya mencakup 30 t, kurang 5 t"),
    ("transfer", "akunnya berisi 20 t, kurang 5 t"),
    ("tampered", "tidak cocok dengan isi kejadian (isinya diubah setelah di-hash)"),
]


@pytest.mark.parametrize(("case", "words"), _REFUSED_IMPORTS, ids=[c for c, _w in _REFUSED_IMPORTS])
def test_a_refused_import_says_why_in_indonesian_with_nothing_left_in_english(
    case: str, words: str, tmp_path: Path
) -> None:
    db, files = _refused_files(tmp_path, case)
    result = runner.invoke(app, ["lots", "import", *files, "--lang", "id", *db])
    flat = " ".join(result.output.split())
    assert result.exit_code == ExitCode.INVALID, flat
    assert flat.startswith("kesalahan:"), flat
    assert "ditolak: " in flat
    assert words in flat
    assert english_left_on(flat) == []
    english = runner.invoke(app, ["lots", "import", *files, *db])
    assert english.exit_code == ExitCode.INVALID
    assert english_left_on(" ".join(english.output.split())) != []  # the check can see English


def test_a_transfer_stored_with_another_content_is_refused_in_indonesian(tmp_path: Path) -> None:
    db = _two_refineries(tmp_path)
    assert runner.invoke(app, [*_TRANSFER, *db]).exit_code == ExitCode.OK
    changed = [*_TRANSFER[:12], "6", *_TRANSFER[13:], "--lang", "id", *db]
    again = runner.invoke(app, changed)
    flat = " ".join(again.output.split())
    assert again.exit_code == ExitCode.INVALID, flat
    assert "transfer kredit T9 tersimpan dengan isi yang lain" in flat
    assert english_left_on(flat) == []


def test_a_monthly_balance_that_cannot_cover_a_claim_refuses_it_in_indonesian(
    tmp_path: Path,
) -> None:
    # MHP-A (January) is claimed whole: the quarter's credits (10 t in January, 1000 t in
    # February) cover its 40 t, January's alone do not
    (tmp_path / "lots.csv").write_text(
        LOTS.replace("irma_share=1", "irma_share=0.01")
        + "ORE-B,laterite_ore_limonite,1000,t,mine,mine-a,2026-01,,irma_share=1\n"
        "MHP-B,mhp,40,t,hpal,hpal-a,2026-02,HPAL-B,ni_content=0.39\n",
        "utf-8",
    )
    (tmp_path / "events.csv").write_text(
        EVENTS + "HPAL-B,transformation,2026-02-05T08:00:00+08:00,hpal-a,ORE-B=1000,MHP-B=40,960\n",
        "utf-8",
    )
    (tmp_path / "models.csv").write_text("site,product_group,model\nhpal-a,mhp,mass_balance\n")
    (tmp_path / "claims.csv").write_text("lot_id,characteristic,share\nMHP-A,irma_share,1\n")
    db = _db(tmp_path)
    files = [str(tmp_path / n) for n in ("lots.csv", "events.csv", "models.csv", "claims.csv")]
    assert runner.invoke(app, ["lots", "import", *files, *db]).exit_code == ExitCode.OK
    asked = ["custody", "balance", "--site", "hpal-a", "--period", "2026-01", "--months", "1"]
    result = runner.invoke(app, [*asked, "--lang", "id", *db])
    flat = " ".join(result.output.split())
    assert result.exit_code == ExitCode.INVALID, flat
    assert flat == (
        "kesalahan: klaim 100,0% irma_share atas lot MHP-A (40 t) ditolak: akun neraca massa "
        "hpal-a / mhp untuk 2026-P1 berisi 10 t, kurang 30 t"
    )
    assert english_left_on(flat) == []
    english = runner.invoke(app, [*asked, *db])
    assert english.exit_code == ExitCode.INVALID
    assert "holds 10 t, a shortfall of 30 t" in " ".join(english.output.split())
