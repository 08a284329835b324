"""Build the engine's types from the plain, validated rows of the input templates.

The file layer (:mod:`sinergi.io.emobility`) reads and checks a template and returns plain
mappings; these functions turn them into a :class:`~.tkdn.BillOfMaterials`, suppliers, or a
:class:`~.scenarios.TransitionData` (what a scenario file leaves out comes from the shipped
data). A number a user file gives without a source is carried as the file's own value: with
a source it is sourced from it; without one it is flagged illustrative (with the user's own
note, if any), so reports list it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sinergi.emobility.method import Aspect, Group, VehicleClass
from sinergi.emobility.scenarios import TransitionData, shipped_transition_data
from sinergi.emobility.suppliers import Supplier, SupplyShare
from sinergi.emobility.tkdn import (
    AspectItem,
    BillOfMaterials,
    Component,
    LocalisationOption,
    Origin,
    Part,
)

__all__ = ["bill_of_materials", "sales_rows", "suppliers", "transition_data"]

Rows = Sequence[Mapping[str, Any]]


def bill_of_materials(doc: Mapping[str, Any]) -> BillOfMaterials:
    """Return the bill of materials of a read BOM template."""
    model = doc["model"]
    return BillOfMaterials(
        model=model["model"],
        vehicle_class=VehicleClass(model["vehicle_class"]),
        parts=tuple(
            Part(
                r["component"],
                r["part"],
                r["cost_idr"],
                Origin(r["origin"]),
                r.get("local_share"),
                r.get("maker"),
            )
            for r in doc["parts"]
        ),
        components=tuple(
            Component(r["id"], r["name"], Group(r["group"]), r["weight"]) for r in doc["components"]
        ),
        aspect_items=tuple(
            AspectItem(r["id"], Aspect(r["aspect"]), r["item"], r["weight"], r["achieved"])
            for r in doc["aspects"]
        ),
        options=tuple(
            LocalisationOption(
                r["id"], r["target"], r["new_share"], r["cost_idr"], r.get("description") or ""
            )
            for r in doc["options"]
        ),
        battery_kwh=model.get("battery_kwh"),
        maker=model.get("maker"),
        synthetic=bool(model.get("synthetic")),
    )


def suppliers(rows: Rows) -> tuple[Supplier, ...]:
    """Return the suppliers of a read supplier table."""
    return tuple(
        Supplier(
            id=r["id"],
            name=r["name"],
            supplies=tuple(SupplyShare(s["component"], s["share"]) for s in r["supplies"]),
            company_id=r.get("company_id"),
            kbli=tuple((r.get("kbli") or "").replace(";", " ").replace(",", " ").split()),
            province=r.get("province"),
            park=r.get("park"),
            workers=r.get("workers"),
            workers_source="table" if r.get("workers") is not None else None,
            synthetic=bool(r.get("synthetic")),
        )
        for r in rows
    )


def _provenance(row: Mapping[str, Any], year: int | None) -> dict[str, Any]:
    """Return the provenance of a user's number: its source, else an illustrative flag."""
    if row.get("source"):
        return {"source": row["source"], "year": year or "not stated", "note": row.get("note")}
    return {"illustrative": True, "note": row.get("note")}


def sales_rows(rows: Rows) -> list[dict[str, Any]]:
    """Return sales rows as the transition data holds them."""
    return [
        {
            "year": r["year"],
            "domestic": r["domestic"],
            "exports": r.get("exports") or 0.0,
            **_provenance(r, r["year"]),
        }
        for r in rows
    ]


def _scenarios(rows: Rows) -> dict[str, dict[str, Any]]:
    """Group the electric-share rows into named scenarios with labels and sorted anchors."""
    scenarios: dict[str, dict[str, Any]] = {}
    for r in rows:
        entry = scenarios.setdefault(
            r["scenario"], {"label_en": None, "label_id": None, "electric_share": []}
        )
        entry["label_en"] = entry["label_en"] or r.get("label_en")
        entry["label_id"] = entry["label_id"] or r.get("label_id")
        entry["electric_share"].append(
            {"year": r["year"], "value": r["electric_share"], **_provenance(r, r["year"])}
        )
    for name, entry in scenarios.items():
        entry["label_en"] = entry["label_en"] or name
        entry["label_id"] = entry["label_id"] or entry["label_en"]
        entry["electric_share"].sort(key=lambda a: a["year"])
    return scenarios


def transition_data(doc: Mapping[str, Any], base: TransitionData | None = None) -> TransitionData:
    """Return the transition data of a read scenario file, completed from ``base``.

    Sales and the projection come from the file when it gives them, else from ``base`` (the
    shipped AISI history by default).
    """
    base = base or shipped_transition_data()
    projection = base.projection.model_dump(mode="json", exclude_defaults=True, by_alias=True)
    given = doc["projection"]
    if given.get("growth_per_year") is not None:
        growth = {"value": given["growth_per_year"], **_provenance(given, None)}
        projection = {"growth_per_year": growth}
    sales = (
        sales_rows(doc["sales"])
        if doc["sales"]
        else [s.model_dump(mode="json", exclude_defaults=True) for s in base.sales]
    )
    bom = [
        {
            "component": r["component"],
            "powertrain": r["powertrain"],
            "quantity": r["quantity"],
            **_provenance(r, None),
        }
        for r in doc["bom"]
    ]
    jobs = {
        r["component"]: {"value": r["jobs_per_1000_units"], **_provenance(r, r.get("year"))}
        for r in doc["jobs"]
    }
    return TransitionData.model_validate(
        {
            "version": 1,
            "sales": sales,
            "projection": projection,
            "scenarios": _scenarios(doc["scenarios"]),
            "bom": bom,
            "jobs_per_1000_units": jobs,
        }
    )
