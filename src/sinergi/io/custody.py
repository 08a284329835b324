"""Reading custody files: lots, events and custody models from CSV, XLSX or EPCIS 2.0 JSON.

Three tables, as CSV files (the header says which) or sheets of one workbook named ``lots``,
``events`` and ``models``:

* **lots**: ``lot_id, commodity, quantity, unit, owner, facility, period, made_by,
  attributes, evidence, mass_t, synthetic``. ``made_by`` names the event that makes the lot;
  left empty, the lot is commissioned on its own (an ObjectEvent ADD at 00:00 UTC of the first
  day of its ``period``). ``attributes`` is ``name=value; name=value`` (shares as fractions,
  e.g. ``recycled_post_consumer_share=0.3``), ``evidence`` SHA-256 digests separated by ``;``,
  units ``t``, ``kg`` (converted to t) or ``item``;
* **events**: ``event_id, kind, time, facility, inputs, outputs, losses_t, stated_yield,
  from_owner, to_owner, to_facility``; ``inputs``/``outputs`` are ``LOT=quantity; …`` in the
  lots' units;
* **models**: ``site, product_group, model, conversion_factor`` (ISO 22095 model names:
  identity_preserved, segregated, controlled_blending, mass_balance, book_and_claim);
* **claims**: ``lot_id, characteristic, share`` (characteristic: recycled_post_consumer,
  recycled_pre_consumer, renewable_power, irma_origin or low_carbon; share 0-1);
* **certificates**: ``certificate_id, characteristic, product_group, quantity_t, issuer``
  (book-and-claim certificates that claims at book-and-claim sites retire);
* **transfers**: ``transfer_id, characteristic, product_group, from_site, to_site,
  quantity_t, time, to_product_group`` (mass-balance credits moved from one site's account
  to another's in the accounting period holding ``time``; ``to_product_group``, if given,
  must be the same group: credits never change product group).

An EPCIS 2.0 JSON(-LD) document written by sinergi (``.json``/``.jsonld``) is read event by
event. Every problem is located (file, sheet, row, column) and collected before anything is
written; :func:`read_custody` raises :class:`~sinergi.errors.InputError` with all of them.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sinergi.custody import Event, EventKind, Lot, Portion
from sinergi.custody.accounts import Certificate, Claim, CustodyModel, SiteModel, Transfer
from sinergi.custody.epcis import event_from_epcis
from sinergi.custody.lots import Characteristic
from sinergi.errors import CustodyError
from sinergi.i18n import N_
from sinergi.io.issues import IssueCode, IssueLog, Place
from sinergi.io.safety import check_size, check_workbook_archive
from sinergi.model.commodities import default_catalogue

__all__ = ["COLUMNS", "CustodyFile", "read_custody", "write_template"]

#: The columns of each table, required ones first.
COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "lots": (
        ("lot_id", "commodity", "quantity", "unit"),
        ("owner", "facility", "period", "made_by", "attributes", "evidence", "mass_t", "synthetic"),
    ),
    "events": (
        ("event_id", "kind", "time", "facility"),
        ("inputs", "outputs", "losses_t", "stated_yield", "from_owner", "to_owner", "to_facility"),
    ),
    "models": (("site", "product_group", "model"), ("conversion_factor",)),
    "claims": (("lot_id", "characteristic", "share"), ()),
    "certificates": (
        ("certificate_id", "characteristic", "product_group", "quantity_t"),
        ("issuer",),
    ),
    "transfers": (
        ("transfer_id", "characteristic", "product_group", "from_site", "to_site"),
        ("quantity_t", "time", "to_product_group"),
    ),
}
_UNITS = {
    "t": ("t", 1.0),
    "tonne": ("t", 1.0),
    "ton": ("t", 1.0),
    "kg": ("t", 0.001),
    "item": ("item", 1.0),
    "pcs": ("item", 1.0),
}


@dataclass
class CustodyFile:
    """What a custody file holds, ready for :class:`~sinergi.store.custody.CustodyRecords`."""

    events: list[tuple[Event, list[Lot]]] = field(default_factory=list)
    models: list[SiteModel] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    certificates: list[Certificate] = field(default_factory=list)
    transfers: list[Transfer] = field(default_factory=list)
    positions: dict[str, Place] = field(default_factory=dict)


class _Row:
    """One row of a table with its place, reading cells and logging located problems."""

    def __init__(self, cells: dict[str, str], place: Place, log: IssueLog) -> None:
        self.cells, self.place, self.log = cells, place, log
        self.ok = True

    def at(self, column: str) -> Place:
        return Place(self.place.file, self.place.sheet, self.place.row, column, column)

    def fail(self, column: str, code: IssueCode, message: str, **values: object) -> None:
        self.ok = False
        self.log.add(self.at(column).issue(code, message, **values))

    def text(self, column: str, *, required: bool = False) -> str:
        value = (self.cells.get(column) or "").strip()
        if required and not value:
            self.fail(column, IssueCode.MISSING_VALUE, N_("this column is required; write a value"))
        return value

    def number(self, column: str, *, required: bool = False) -> float | None:
        value = self.text(column, required=required)
        if not value:
            return None
        try:
            return float(value)
        except ValueError:
            self.fail(
                column,
                IssueCode.NOT_A_NUMBER,
                N_("'{value}' is not a number; write a number such as 12.5"),
                value=value,
            )
            return None

    def pairs(self, column: str) -> dict[str, str]:
        value = self.text(column)
        out: dict[str, str] = {}
        for part in filter(None, (p.strip() for p in value.split(";"))):
            key, sep, item = part.partition("=")
            if not sep or not key.strip() or not item.strip():
                self.fail(
                    column,
                    IssueCode.BAD_FORMAT,
                    N_("'{value}' is not a list of name=value pairs separated by ';'"),
                    value=value,
                )
                return {}
            out[key.strip()] = item.strip()
        return out


def _lot(row: _Row) -> tuple[Lot | None, str]:
    lot_id, commodity = row.text("lot_id", required=True), row.text("commodity", required=True)
    quantity = row.number("quantity", required=True)
    unit_text = row.text("unit", required=True).lower()
    if commodity and commodity not in default_catalogue():
        row.fail(
            "commodity",
            IssueCode.UNKNOWN_COMMODITY,
            N_("'{value}' is not in the commodity catalogue; use a catalogue id"),
            value=commodity,
        )
    if unit_text and unit_text not in _UNITS:
        row.fail(
            "unit",
            IssueCode.UNKNOWN_UNIT,
            N_("'{value}' is not a unit for lots; use t, kg or item"),
            value=unit_text,
        )
    attributes: dict[str, str | float] = {}
    for key, value in row.pairs("attributes").items():
        try:
            attributes[key] = float(value)
        except ValueError:
            attributes[key] = value
    mass_t = row.number("mass_t")
    if not row.ok or quantity is None:
        return None, row.text("made_by")
    unit, factor = _UNITS[unit_text]
    try:
        lot = Lot(
            lot_id,
            commodity,
            quantity * factor,
            unit=unit,
            owner=row.text("owner"),
            facility=row.text("facility"),
            period=row.text("period"),
            attributes=attributes,
            evidence=tuple(filter(None, (e.strip() for e in row.text("evidence").split(";")))),
            mass_t=mass_t,
            synthetic=row.text("synthetic").lower() in ("true", "yes", "1"),
        )
    except CustodyError as exc:
        row.fail("lot_id", IssueCode.CUSTODY_REFUSED, N_("refused: {detail}"), detail=exc.detail)
        return None, ""
    return lot, row.text("made_by")


def _portions(row: _Row, column: str) -> tuple[Portion, ...]:
    out = []
    for lot, value in row.pairs(column).items():
        try:
            out.append(Portion(lot, float(value)))
        except (ValueError, CustodyError):
            row.fail(
                column,
                IssueCode.BAD_FORMAT,
                N_("'{value}' is not a list of LOT=quantity pairs separated by ';'"),
                value=row.text(column),
            )
            return ()
    return tuple(out)


def _event(row: _Row) -> Event | None:
    kind_text = row.text("kind", required=True).lower()
    if kind_text and kind_text not in {k.value for k in EventKind}:
        row.fail(
            "kind",
            IssueCode.BAD_CHOICE,
            N_("'{value}' is not one of {choices}"),
            value=kind_text,
            choices=", ".join(k.value for k in EventKind),
        )
    fields: dict[str, Any] = {
        "id": row.text("event_id", required=True),
        "time": row.text("time", required=True),
        "facility": row.text("facility", required=True),
        "inputs": _portions(row, "inputs"),
        "outputs": _portions(row, "outputs"),
        "losses_t": row.number("losses_t") or 0.0,
        "stated_yield": row.number("stated_yield"),
        "from_owner": row.text("from_owner") or None,
        "to_owner": row.text("to_owner") or None,
        "to_facility": row.text("to_facility") or None,
    }
    if not row.ok:
        return None
    try:
        return Event(kind=EventKind(kind_text), **fields)
    except CustodyError as exc:
        row.fail("event_id", IssueCode.CUSTODY_REFUSED, N_("refused: {detail}"), detail=exc.detail)
        return None


def _model(row: _Row) -> SiteModel | None:
    site, group = row.text("site", required=True), row.text("product_group", required=True)
    name = row.text("model", required=True)
    if name and name not in {m.value for m in CustodyModel}:
        row.fail(
            "model",
            IssueCode.BAD_CHOICE,
            N_("'{value}' is not one of {choices}"),
            value=name,
            choices=", ".join(m.value for m in CustodyModel),
        )
    factor = row.number("conversion_factor")
    if not row.ok:
        return None
    try:
        return SiteModel(site, group, CustodyModel(name), 1.0 if factor is None else factor)
    except CustodyError as exc:
        row.fail(
            "conversion_factor",
            IssueCode.CUSTODY_REFUSED,
            N_("refused: {detail}"),
            detail=exc.detail,
        )
        return None


_CHARACTERISTICS = {c.name.lower(): c for c in Characteristic} | {
    c.value: c for c in Characteristic
}


def _characteristic(row: _Row) -> Characteristic | None:
    name = row.text("characteristic", required=True)
    if name and name.lower() not in _CHARACTERISTICS:
        row.fail(
            "characteristic",
            IssueCode.BAD_CHOICE,
            N_("'{value}' is not one of {choices}"),
            value=name,
            choices=", ".join(c.name.lower() for c in Characteristic),
        )
    return _CHARACTERISTICS.get(name.lower())


def _tonnes(row: _Row) -> float | None:
    """Return the row's ``quantity_t``; a zero or negative quantity fails the row there."""
    quantity = row.number("quantity_t", required=True)
    if quantity is not None and quantity <= 0:
        row.fail(
            "quantity_t",
            IssueCode.NEGATIVE_VALUE,
            N_("'{value}' must be a positive number of tonnes"),
            value=quantity,
        )
    return quantity


def _certificate(row: _Row) -> Certificate | None:
    cert_id = row.text("certificate_id", required=True)
    characteristic = _characteristic(row)
    group = row.text("product_group", required=True)
    quantity = _tonnes(row)
    if not row.ok or characteristic is None or quantity is None:
        return None
    return Certificate(cert_id, characteristic, group, quantity, row.text("issuer"))


def _transfer(row: _Row) -> Transfer | None:
    transfer_id = row.text("transfer_id", required=True)
    characteristic = _characteristic(row)
    group = row.text("product_group", required=True)
    sites = row.text("from_site", required=True), row.text("to_site", required=True)
    quantity = _tonnes(row)
    when = row.text("time", required=True)
    to_group = row.text("to_product_group") or group
    if group and to_group != group:
        row.fail(
            "to_product_group",
            IssueCode.CUSTODY_REFUSED,
            N_(
                "credits move only between identical product groups: {value} is not "
                "{group}; leave to_product_group empty or write {group}"
            ),
            value=to_group,
            group=group,
        )
    if not row.ok or characteristic is None or quantity is None:
        return None
    try:
        return Transfer(transfer_id, characteristic, group, *sites, quantity, when, to_group)
    except CustodyError as exc:
        column = "time" if "time" in str(exc) else "transfer_id"
        row.fail(column, IssueCode.CUSTODY_REFUSED, N_("refused: {detail}"), detail=exc.detail)
        return None


def _claim(row: _Row) -> Claim | None:
    lot_id = row.text("lot_id", required=True)
    found = _characteristic(row)
    share = row.number("share", required=True)
    if not row.ok or share is None or found is None:
        return None
    try:
        return Claim(lot_id, found, share)
    except CustodyError as exc:
        row.fail("share", IssueCode.CUSTODY_REFUSED, N_("refused: {detail}"), detail=exc.detail)
        return None


def _table_of(header: list[str]) -> str | None:
    names = {h.strip().lower() for h in header}
    for table, (required, _optional) in COLUMNS.items():
        if set(required) <= names:
            return table
    return None


def _tables(path: Path, log: IssueLog) -> Iterator[tuple[str, str | None, list[list[str]]]]:
    if path.suffix.lower() == ".xlsx":
        check_workbook_archive(path)
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        try:
            for sheet in book.worksheets:
                grid = [
                    ["" if c is None else str(c) for c in r]
                    for r in sheet.iter_rows(values_only=True)
                ]
                yield sheet.title, sheet.title, grid
        finally:
            book.close()
        return
    text = path.read_bytes().decode("utf-8-sig")
    yield path.stem, None, list(csv.reader(io.StringIO(text)))


def _commission_alone(alone: list[Lot], log: IssueLog, out: CustodyFile) -> None:
    """Commission each lot that names no event, at the start of its month."""
    for lot in alone:
        period = lot.period or ""
        time = f"{period[:7]}-01T00:00:00+00:00" if len(period) >= 7 else ""
        try:
            event = Event(
                f"commission-{lot.id}",
                EventKind.COMMISSION,
                time,
                lot.facility or "unknown",
                outputs=(Portion(lot.id, lot.quantity),),
            )
        except CustodyError:
            log.add(
                out.positions[lot.id].issue(
                    IssueCode.MISSING_VALUE,
                    N_("a lot without made_by needs a month period (2026-01) to be commissioned"),
                )
            )
            continue
        out.events.append((event, [lot]))


@dataclass
class _Collected:
    """Rows read so far: lots by the event that makes them, lone lots, events."""

    out: CustodyFile
    lots: dict[str, list[Lot]] = field(default_factory=dict)
    alone: list[Lot] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    def take(self, table: str, row: _Row) -> None:
        """Read one row of ``table`` and keep what it holds."""
        if table == "lots":
            lot, made_by = _lot(row)
            if lot is not None:
                (self.lots.setdefault(made_by, []) if made_by else self.alone).append(lot)
                self.out.positions[lot.id] = row.place
        elif table == "events":
            if (event := _event(row)) is not None:
                self.events.append(event)
                self.out.positions[event.id] = row.place
        elif table == "claims":
            if (claim := _claim(row)) is not None:
                self.out.claims.append(claim)
        elif table == "certificates":
            if (cert := _certificate(row)) is not None:
                self.out.certificates.append(cert)
        elif table == "transfers":
            if (transfer := _transfer(row)) is not None:
                self.out.transfers.append(transfer)
                self.out.positions[transfer.id] = row.place
        elif (model := _model(row)) is not None:
            self.out.models.append(model)


def _read_tables(path: Path, log: IssueLog, collected: _Collected) -> None:
    found = False
    for _name, sheet, grid in _tables(path, log):
        header = [h.strip().lower() for h in grid[0]] if grid else []
        table = _table_of(header)
        if table is None:
            continue
        found = True
        for number, cells in enumerate(grid[1:], start=2):
            if any(c.strip() for c in cells):
                place = Place(path.name, sheet, number)
                collected.take(table, _Row(dict(zip(header, cells, strict=False)), place, log))
    if not found:
        log.add(
            Place(path.name).issue(
                IssueCode.UNKNOWN_TABLE,
                N_(
                    "no table of lots, events, models, claims, certificates or transfers: the "
                    "header row must hold their columns"
                ),
            )
        )


def _link(collected: _Collected, log: IssueLog) -> None:
    """Attach each lot to the event that makes it (from any file); commission lone lots."""
    out = collected.out
    _commission_alone(collected.alone, log, out)
    out.events.extend((event, collected.lots.pop(event.id, [])) for event in collected.events)
    for made_by, lots in collected.lots.items():
        for lot in lots:
            log.add(
                out.positions[lot.id].issue(
                    IssueCode.UNKNOWN_REFERENCE,
                    N_("lots name made_by '{value}', which is not an event of the file"),
                    value=made_by,
                )
            )


def _read_epcis(path: Path, log: IssueLog, out: CustodyFile) -> None:
    try:
        doc = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        log.add(
            Place(path.name).issue(
                IssueCode.SYNTAX_ERROR, N_("not JSON: {detail}"), detail=str(exc)
            )
        )
        return
    events = doc.get("epcisBody", {}).get("eventList") if isinstance(doc, dict) else None
    if not isinstance(events, list) or doc.get("type") != "EPCISDocument":
        log.add(
            Place(path.name).issue(
                IssueCode.NOT_A_MAPPING,
                N_("not an EPCIS 2.0 document (type EPCISDocument with epcisBody.eventList)"),
            )
        )
        return
    for position, body in enumerate(events, start=1):
        place = Place(path.name, "eventList", position)
        try:
            event, made = event_from_epcis(body if isinstance(body, dict) else {})
        except (CustodyError, TypeError, ValueError, AttributeError) as exc:
            log.add(
                place.issue(
                    IssueCode.CUSTODY_REFUSED,
                    N_("refused: {detail}"),
                    detail=exc.detail if isinstance(exc, CustodyError) else str(exc),
                )
            )
            continue
        out.events.append((event, made))
        out.positions[event.id] = place


def read_custody(paths: list[Path]) -> CustodyFile:
    """Read custody files; raise :class:`~sinergi.errors.InputError` listing every problem."""
    log = IssueLog()
    out = CustodyFile()
    collected = _Collected(out)
    for path in paths:
        check_size(path)
        if path.suffix.lower() in (".json", ".jsonld"):
            _read_epcis(path, log, out)
        else:
            _read_tables(path, log, collected)
    _link(collected, log)
    if log:
        raise log.error()
    return out


def write_template(path: Path) -> None:
    """Write an empty custody workbook (a sheet per table of :data:`COLUMNS`) with headers."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for table, (required, optional) in COLUMNS.items():
        sheet = book.create_sheet(table)
        sheet.append([*required, *optional])
    book.save(path)
