"""Reading the symbiosis knowledge files: YAML documents, numbers with provenance, located errors.

The rules, transport and sector files share one way of writing a number: a value with its
provenance (:class:`~sinergi.reference.Sourced`: ``refs`` to bibliography keys or a free-text
``source``, and ``year``; or ``illustrative: true`` with a ``note``), or ``use: <name>`` to
reuse a number defined once under the file's ``values`` (or ``use: factors:<node>`` to read the
project's emission-factor table). Every problem becomes one
:class:`~sinergi.errors.SymbiosisRuleError` that names the file, the entry and the field, and
says how to fix it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from sinergi.errors import SymbiosisRuleError
from sinergi.reference import Basis, Confidence, Provenance, Sourced, bibliography
from sinergi.reference.factors import default_factors

#: A ``use`` starting with this names one of the project's emission factors
#: (``factors:grid.jamali``, ``factors:captive_coal``), so the assessment, the footprint
#: engine and the symbiosis rules read the same sourced number from one file.
FACTOR_REF = "factors:"


class StrictModel(BaseModel):
    """Base of the raw file shapes: unknown (misspelt) fields are refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class NumberIn(StrictModel):
    """A number as written in a file: ``use`` of a shared one, or a value with provenance."""

    use: str | None = None
    value: float | None = None
    unit: str | None = None
    low: float | None = None
    high: float | None = None
    source: str | None = None
    refs: tuple[str, ...] = ()
    year: int | str | None = None
    basis: Basis | None = None
    confidence: Confidence | None = None
    status: str | None = None
    illustrative: bool = False
    definition: bool = False
    note: str | None = None
    assumption: str | None = None


class ProvenanceIn(StrictModel):
    """The provenance fields a rule or profile writes beside its own fields."""

    source: str | None = None
    refs: tuple[str, ...] = ()
    year: int | str | None = None
    illustrative: bool = False
    note: str | None = None


@dataclass(frozen=True, slots=True)
class NumberContext:
    """Where a number sits (for error messages) and the shared values it may ``use``."""

    where: str
    values: Mapping[str, NumberIn]


def rule_error(where: str, problem: str, fix: str) -> SymbiosisRuleError:
    """Return the located error ``<where>: <problem>; <fix>``."""
    return SymbiosisRuleError(f"{where}: {problem}; {fix}")


def check_refs(refs: Iterable[str], where: str) -> None:
    """Refuse a bibliography key that is not in the shipped bibliography."""
    known = bibliography()
    for key in refs:
        if key not in known:
            raise rule_error(
                where,
                f"source {key!r} is not in the bibliography",
                "cite a key of sinergi/data/bibliography/*.yaml in `refs`, or write the full "
                "citation in `source` with its `year`",
            )


def _project_factor(name: str, where: str) -> Sourced:
    """Return an electricity emission factor from ``data/factors/emission_factors.yaml``."""
    factors = default_factors()
    known = {**factors.grid, "captive_coal": factors.captive_coal}
    if name not in known:
        raise rule_error(
            where,
            f"refers to unknown emission factor {name!r}",
            f"use one of {sorted(known)} after `{FACTOR_REF}`",
        )
    found = known[name]
    return Sourced.model_validate(
        {
            "value": found.value,
            "unit": found.unit,
            "source": found.source,
            "year": found.year,
            "status": found.status,
            "illustrative": found.status == "U",
            "note": f"project emission factor {name}",
        }
    )


def resolve_number(
    ctx: NumberContext,
    raw: NumberIn,
    where: str,
    *,
    positive: bool = False,
    at_most: float | None = None,
    signed: bool = False,
) -> Sourced:
    """Resolve a raw number (or what it ``use``s) and check its sign, bound and provenance.

    ``signed`` allows negative values (coordinates); otherwise a value must be zero or more
    (above zero with ``positive``).
    """
    if raw.use is not None:
        if raw.value is not None or raw.source is not None or raw.refs:
            raise rule_error(
                where, "gives both `use` and a value or source", "give one or the other"
            )
        if raw.use.startswith(FACTOR_REF):
            return _project_factor(raw.use.removeprefix(FACTOR_REF), where)
        if raw.use not in ctx.values:
            raise rule_error(
                where,
                f"uses unknown value {raw.use!r}",
                "define it under `values` or fix the name",
            )
        raw = ctx.values[raw.use]
    if raw.value is None:
        raise rule_error(where, "has no `value`", "give `value` (or `use:` a shared value)")
    value = raw.value
    if not math.isfinite(value):
        raise rule_error(where, f"is {value}", "give a finite number")
    if not signed and (value < 0 or (positive and value == 0)):
        bound = "above zero" if positive else "zero or more"
        raise rule_error(
            where, f"is {value:g}, a negative or impossible value", f"use a value {bound}"
        )
    if at_most is not None and value > at_most:
        raise rule_error(where, f"is {value:g}", f"use a value of at most {at_most:g}")
    check_refs(raw.refs, where)
    fields = raw.model_dump(exclude={"use"}, exclude_none=True, exclude_defaults=True)
    try:
        return Sourced(**fields)
    except ValidationError as exc:
        raise _provenance_error(where, exc) from None


def provenance(raw: ProvenanceIn, where: str) -> Provenance:
    """Return the provenance of a rule or profile; a bibliography key supplies a missing year."""
    check_refs(raw.refs, where)
    year = raw.year
    if year is None and raw.refs:
        year = bibliography()[raw.refs[0]].year
    try:
        return Provenance(
            source=raw.source,
            refs=raw.refs,
            year=year,
            illustrative=raw.illustrative,
            note=raw.note,
        )
    except ValidationError as exc:
        raise _provenance_error(where, exc) from None


def _provenance_error(where: str, exc: ValidationError) -> SymbiosisRuleError:
    detail = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
    if "needs `source`" in detail:
        return rule_error(
            where,
            "has no source and year",
            "give `refs` (bibliography keys) or `source`, and `year`; or flag it "
            "`illustrative: true` with a `note`",
        )
    return rule_error(where, detail, "fix the provenance fields (see the shipped file)")


def _shape_error(where: str, exc: ValidationError) -> SymbiosisRuleError:
    lines = [
        f"{where}, field {'.'.join(str(p) for p in err['loc']) or '(entry)'}: {err['msg']}"
        for err in exc.errors()
    ]
    return SymbiosisRuleError("; ".join(lines) + "; fix these fields (see the shipped file)")


def read_document(path: Path | None, name: str) -> tuple[dict[str, Any], str]:
    """Read a YAML mapping: the user's file, or the shipped ``name``; return it and its place.

    A ``sources`` table (the format before the shared bibliography) is refused with the fix.
    """
    if path is None:
        package = resources.files("sinergi.data.symbiosis")
        text, where = package.joinpath(name).read_text("utf-8"), f"sinergi/data/symbiosis/{name}"
    else:
        text, where = path.read_text("utf-8"), str(path)
    doc = yaml.safe_load(text)
    if not isinstance(doc, dict):
        raise rule_error(where, "is not a YAML mapping", "start from the shipped file")
    if "sources" in doc:
        raise rule_error(
            f"{where}: sources",
            "file-level `sources` tables are no longer read",
            "cite bibliography keys with `refs: [key]`, or write the citation in `source` "
            "with its `year` on each number",
        )
    return doc, where


def entries(doc: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
    """Return the list of mappings under ``key``, or refuse the document."""
    found = doc.get(key)
    if not isinstance(found, list) or not all(isinstance(e, dict) for e in found):
        raise rule_error(
            where,
            f"`{key}` is missing or is not a list of mappings",
            f"write `{key}:` followed by entries",
        )
    return found


def parse_entry(model: type[StrictModel], raw: Any, where: str) -> Any:
    """Validate one raw entry against its shape, turning pydantic errors into located ones."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise _shape_error(where, exc) from None


def shared_values(doc: dict[str, Any], where: str) -> dict[str, NumberIn]:
    """Read a file's ``values`` table (name -> number) that entries may ``use``."""
    return {
        str(k): parse_entry(NumberIn, v, f"{where}: value {k!r}")
        for k, v in (doc.get("values") or {}).items()
    }
