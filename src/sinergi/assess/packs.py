"""Rubric packs and national benchmark profiles: versioned data files, validated at the boundary.

A pack has categories (aspects) with optional weights, elements, and criteria. A criterion is
*quantitative* (bound to an indicator, scored by ordered bands) or *qualitative* (judged as
met / partly met / not met / not applicable, from evidence; an indicator may be attached as
evidence, and a national profile may give it a benchmark). Parts of a standard that sinergi's
reference data does not hold are declared ``not_encoded`` so a score is never shown as
complete when it is not.
"""

from __future__ import annotations

from dataclasses import fields
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from sinergi.assess.indicators import INDICATORS
from sinergi.errors import InputError, ReferenceDataError
from sinergi.model import ParkServices

_SERVICE_FIELDS = {f.name for f in fields(ParkServices)} - {"park_id", "period"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Band(_Strict):
    """A score band: the value lies in ``[min, max]`` (each end open or closed, or unbounded)."""

    score: float
    min: float | None = None
    max: float | None = None
    min_inclusive: bool = True
    max_inclusive: bool = True
    text: str
    review: str | None = None

    def contains(self, value: float) -> bool:
        """Return whether ``value`` falls in this band."""
        if self.min is not None and (
            value < self.min or (value == self.min and not self.min_inclusive)
        ):
            return False
        return not (
            self.max is not None
            and (value > self.max or (value == self.max and not self.max_inclusive))
        )


class Criterion(_Strict):
    """One variable or requirement of a pack."""

    id: str
    name_en: str
    name_id: str | None = None
    type: Literal["quantitative", "qualitative"]
    indicator: str | None = None
    direction: Literal["higher_is_better", "lower_is_better"] | None = None
    bands: tuple[Band, ...] = ()
    prerequisite: bool = False
    evidence_from: str | None = None
    source: str

    @model_validator(mode="after")
    def _consistent(self) -> Criterion:
        if self.indicator is not None and self.indicator not in INDICATORS:
            raise ValueError(
                f"unknown indicator {self.indicator!r}; use one of {', '.join(sorted(INDICATORS))}"
            )
        if self.type == "quantitative":
            if self.indicator is None or not self.bands or self.direction is None:
                raise ValueError("a quantitative criterion needs indicator, direction and bands")
        elif self.bands:
            raise ValueError("a qualitative criterion has no bands; use a profile benchmark")
        if self.evidence_from is not None:
            table, _, name = self.evidence_from.partition(".")
            if table != "park_services" or name not in _SERVICE_FIELDS:
                raise ValueError(
                    f"evidence_from must be park_services.<field>, one of "
                    f"{', '.join(sorted(_SERVICE_FIELDS))}"
                )
        return self


class Element(_Strict):
    """A group of criteria (an element of Permenperin, a sub-category of the EIP framework)."""

    id: str
    name_en: str
    name_id: str | None = None
    criteria: tuple[Criterion, ...] = ()
    not_encoded: str | None = None


class Category(_Strict):
    """An aspect or performance category, with its weight (percent) where one is published."""

    id: str
    name_en: str
    name_id: str | None = None
    weight: float | None = None
    weight_source: str | None = None
    elements: tuple[Element, ...] = ()
    not_encoded: str | None = None


class Scale(_Strict):
    """The score scale of quantitative criteria."""

    min: float
    max: float


class PassMark(_Strict):
    """A published pass mark (e.g. 150 points for accreditation)."""

    value: float
    label_en: str
    label_id: str
    source: str


class Aggregation(_Strict):
    """Whether the pack's official roll-up arithmetic is known, and what sinergi does instead."""

    known: bool
    note: str


class Pack(_Strict):
    """A rubric pack (a standard, framework or user-defined checklist) and its version."""

    id: str
    version: str
    kind: Literal["permenperin", "eip", "custom"] = "custom"
    title_en: str
    title_id: str | None = None
    source: str
    scale: Scale | None = None
    pass_mark: PassMark | None = None
    aggregation: Aggregation
    categories: tuple[Category, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_and_weighted(self) -> Pack:
        ids = [c.id for c in self.criteria()]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"criterion ids must be unique; repeated: {', '.join(dupes)}")
        weights = [c.weight for c in self.categories]
        if all(w is not None for w in weights) and abs(sum(w or 0 for w in weights) - 100) > 1e-9:
            raise ValueError(f"category weights add up to {sum(w or 0 for w in weights)}, not 100")
        if self.scale is not None:
            for c in self.criteria():
                for b in c.bands:
                    if not self.scale.min <= b.score <= self.scale.max:
                        raise ValueError(
                            f"criterion {c.id}: band score {b.score} is outside "
                            f"the scale {self.scale.min}-{self.scale.max}"
                        )
        return self

    def criteria(self) -> list[Criterion]:
        """Return every encoded criterion, in pack order."""
        return [c for cat in self.categories for el in cat.elements for c in el.criteria]

    def not_encoded(self) -> list[str]:
        """Return a line per category or element declared not encoded."""
        out = [f"{c.id}: {c.not_encoded}" for c in self.categories if c.not_encoded]
        out += [
            f"{e.id}: {e.not_encoded}" for c in self.categories for e in c.elements if e.not_encoded
        ]
        return out


class Benchmark(_Strict):
    """A national benchmark for a criterion, with its source and year."""

    criterion: str
    comparator: Literal[">=", ">", "<=", "<"]
    value: float
    unit: str
    source: str
    year: int | str

    def met_by(self, value: float) -> bool:
        """Return whether an indicator value meets the benchmark."""
        return {
            ">=": value >= self.value,
            ">": value > self.value,
            "<=": value <= self.value,
            "<": value < self.value,
        }[self.comparator]


class Profile(_Strict):
    """National benchmarks for one pack (e.g. Indonesia, ``id``)."""

    pack: str
    profile: str
    version: str
    benchmarks: tuple[Benchmark, ...] = ()

    def for_criterion(self, criterion_id: str) -> Benchmark | None:
        """Return the benchmark of a criterion, if one is set."""
        return next((b for b in self.benchmarks if b.criterion == criterion_id), None)


def _where(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _load(model: type[_Strict], text: str, where: str) -> Any:
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InputError([f"{where}: not valid YAML: {exc}"]) from exc
    if not isinstance(doc, dict):
        raise InputError([f"{where}: the file must be a mapping of keys to values"])
    try:
        return model.model_validate(doc)
    except ValidationError as exc:
        issues = [f"{where}: {_where(tuple(e['loc']))}: {e['msg']}" for e in exc.errors()]
        raise InputError(issues) from exc


def load_pack(source: str | Path) -> Pack:
    """Load a shipped pack by id, or a user pack from a file; every error is located.

    Raises
    ------
    InputError
        Listing each problem as ``file: path.to.field: message``.
    """
    path = Path(source)
    if path.suffix in {".yaml", ".yml"} and path.exists():
        return _load(Pack, path.read_text("utf-8"), str(path))  # type: ignore[no-any-return]
    name = f"{source}.yaml"
    base = resources.files("sinergi.data.standards")
    if not base.joinpath(name).is_file():
        shipped = ", ".join(available_packs())
        raise ReferenceDataError(
            f"no pack {source!r}; shipped packs: {shipped}, or give a .yaml file"
        )
    return _load(Pack, base.joinpath(name).read_text("utf-8"), f"sinergi/data/standards/{name}")  # type: ignore[no-any-return]


def load_profile(pack: Pack, source: str | Path | None = "id") -> Profile | None:
    """Load a national benchmark profile (shipped by country code, or a file)."""
    if source is None:
        return None
    path = Path(source)
    if path.suffix in {".yaml", ".yml"} and path.exists():
        profile: Profile = _load(Profile, path.read_text("utf-8"), str(path))
    else:
        name = f"{pack.id}.{source}.yaml"
        base = resources.files("sinergi.data.standards").joinpath("profiles")
        if not base.joinpath(name).is_file():
            return None
        profile = _load(Profile, base.joinpath(name).read_text("utf-8"), f"profiles/{name}")
    if profile.pack != pack.id:
        raise InputError([f"{source}: profile is for pack {profile.pack!r}, not {pack.id!r}"])
    known = {c.id for c in pack.criteria()}
    unknown = [b.criterion for b in profile.benchmarks if b.criterion not in known]
    if unknown:
        raise InputError([f"{source}: benchmark for unknown criterion {c!r}" for c in unknown])
    return profile


def available_packs() -> list[str]:
    """Return the ids of the shipped packs."""
    base = resources.files("sinergi.data.standards")
    return sorted(p.name.removesuffix(".yaml") for p in base.iterdir() if p.name.endswith(".yaml"))
