"""Rubric packs and national benchmark profiles: versioned data files, validated at the boundary.

A pack has categories (aspects) with optional weights, elements, and criteria. A criterion is
*quantitative* (bound to an indicator, scored by ordered bands) or *qualitative* (judged as
met / partly met / not met / not applicable, from evidence; an indicator may be attached as
evidence, a national profile may give it a benchmark, and ``rule: share_all`` decides it from a
share indicator: all met, some partly met, none not met). Parts of a standard that sinergi's
reference data does not hold are declared ``not_encoded`` so a score is never shown as complete
when it is not, and a pack declares whether its text was checked against the official source
(``verification``): an unverified pack never gives a complete verdict.

Every text a person reads is given in English and Indonesian (``name_en`` / ``name_id``,
``text_en`` / ``text_id``, …); a pack that lacks one is refused. Band edges and benchmark
values are exact decimals, compared with the exact shares of :mod:`sinergi.assess.exact`.
Sources are :class:`~sinergi.reference.Provenance` records citing the bibliography.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from sinergi.assess.indicators import INDICATORS
from sinergi.assess.messages import Text
from sinergi.errors import FileProblem, InputError, UsageError
from sinergi.model import ParkServices
from sinergi.reference import Provenance

_SERVICE_FIELDS = {f.name for f in fields(ParkServices)} - {"park_id", "period"}


class PackVerification(StrEnum):
    """Whether a pack's criteria were checked against the official text of the standard."""

    VERIFIED = "verified"
    PARTLY_VERIFIED = "partly_verified"
    UNVERIFIED = "unverified"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="after")
    def _both_languages(self) -> _Strict:
        """Refuse a text given in one language only (``x_en`` without ``x_id`` or back)."""
        data = self.__dict__
        for name in data:
            if not name.endswith("_en"):
                continue
            twin = name.removesuffix("_en") + "_id"
            if twin in data and bool(data[name]) != bool(data[twin]):
                missing = twin if data[name] else name
                msg = f"{missing} is missing: give this text in both English and Indonesian"
                raise ValueError(msg)
        return self


def _text(en: str | None, id_: str | None) -> Text | None:
    return Text(en, id_) if en and id_ else None


class Band(_Strict):
    """A score band: the value lies in ``[min, max]`` (each end open or closed, or unbounded)."""

    score: float
    min: Decimal | None = None
    max: Decimal | None = None
    min_inclusive: bool = True
    max_inclusive: bool = True
    text_en: str
    text_id: str
    review_en: str | None = None
    review_id: str | None = None

    def contains(self, value: Fraction) -> bool:
        """Return whether an exact ``value`` falls in this band."""
        if self.min is not None:
            low = Fraction(self.min)
            if value < low or (value == low and not self.min_inclusive):
                return False
        if self.max is not None:
            high = Fraction(self.max)
            if value > high or (value == high and not self.max_inclusive):
                return False
        return True

    @property
    def text(self) -> Text:
        """Return the band's description in both languages."""
        return Text(self.text_en, self.text_id)

    @property
    def review(self) -> Text | None:
        """Return the band's review note in both languages, if it has one."""
        return _text(self.review_en, self.review_id)


class ContestedEdge(_Strict):
    """A band edge that the standard's text places in two bands, with the score sinergi gives."""

    value: Decimal
    note_en: str
    note_id: str

    @property
    def note(self) -> Text:
        """Return the flag shown with a value on this edge, in both languages."""
        return Text(self.note_en, self.note_id)


class Criterion(_Strict):
    """One variable or requirement of a pack."""

    id: str
    name_en: str
    name_id: str
    type: Literal["quantitative", "qualitative"]
    indicator: str | None = None
    direction: Literal["higher_is_better", "lower_is_better"] | None = None
    bands: tuple[Band, ...] = ()
    contested_edges: tuple[ContestedEdge, ...] = ()
    prerequisite: bool = False
    evidence_from: str | None = None
    rule: Literal["share_all"] | None = None
    source: Provenance
    clause_en: str | None = None
    clause_id: str | None = None

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
        if self.rule == "share_all" and (
            self.indicator is None or INDICATORS[self.indicator].unit != "%"
        ):
            raise ValueError("rule share_all needs an indicator that is a share (unit %)")
        edges = {b.min for b in self.bands} | {b.max for b in self.bands}
        for edge in self.contested_edges:
            if edge.value not in edges:
                raise ValueError(f"contested edge {edge.value} is not an edge of any band")
        if self.evidence_from is not None:
            table, _, name = self.evidence_from.partition(".")
            if table != "park_services" or name not in _SERVICE_FIELDS:
                raise ValueError(
                    f"evidence_from must be park_services.<field>, one of "
                    f"{', '.join(sorted(_SERVICE_FIELDS))}"
                )
        return self

    @property
    def name(self) -> Text:
        """Return the criterion's name in both languages."""
        return Text(self.name_en, self.name_id)

    @property
    def clause(self) -> Text | None:
        """Return where in the source the criterion is written, if the pack says."""
        return _text(self.clause_en, self.clause_id)

    def contested(self, value: Fraction) -> ContestedEdge | None:
        """Return the contested edge ``value`` sits on exactly, if any."""
        return next((e for e in self.contested_edges if Fraction(e.value) == value), None)


class Element(_Strict):
    """A group of criteria (an element of Permenperin, a sub-category of the EIP framework)."""

    id: str
    name_en: str
    name_id: str
    criteria: tuple[Criterion, ...] = ()
    not_encoded_en: str | None = None
    not_encoded_id: str | None = None


class Category(_Strict):
    """An aspect or performance category, with its weight (percent) where one is published."""

    id: str
    name_en: str
    name_id: str
    weight: float | None = None
    weight_source: Provenance | None = None
    elements: tuple[Element, ...] = ()
    not_encoded_en: str | None = None
    not_encoded_id: str | None = None

    @model_validator(mode="after")
    def _weight_sourced(self) -> Category:
        if self.weight is not None and self.weight_source is None:
            raise ValueError("a weight needs weight_source (refs or source, and year)")
        return self


class Scale(_Strict):
    """The score scale of quantitative criteria."""

    min: float
    max: float


class PassMark(_Strict):
    """A published pass mark (e.g. 150 points for accreditation)."""

    value: float
    label_en: str
    label_id: str
    source: Provenance


class Aggregation(_Strict):
    """Whether the pack's official roll-up arithmetic is known, and what sinergi does instead."""

    known: bool
    note_en: str
    note_id: str


class Verification(_Strict):
    """Whether the pack was checked against the standard's official text, and why not."""

    status: PackVerification
    note_en: str
    note_id: str


@dataclass(frozen=True, slots=True)
class NotEncoded:
    """A part of a standard that sinergi does not score, and why, in both languages."""

    part: str
    name: Text
    reason: Text


class Pack(_Strict):
    """A rubric pack (a standard, framework or user-defined checklist) and its version."""

    id: str
    version: str
    kind: Literal["permenperin", "eip", "sih", "custom"] = "custom"
    title_en: str
    title_id: str
    source: Provenance
    verification: Verification
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

    @property
    def title(self) -> Text:
        """Return the pack's title in both languages."""
        return Text(self.title_en, self.title_id)

    @property
    def verified(self) -> bool:
        """Return whether the whole pack was checked against the standard's official text."""
        return self.verification.status is PackVerification.VERIFIED

    def criteria(self) -> list[Criterion]:
        """Return every encoded criterion, in pack order."""
        return [c for cat in self.categories for el in cat.elements for c in el.criteria]

    def not_encoded(self) -> list[NotEncoded]:
        """Return each category or element declared not encoded, with the reason."""
        parts: list[Category | Element] = [*self.categories]
        parts += [e for c in self.categories for e in c.elements]
        return [
            NotEncoded(p.id, Text(p.name_en, p.name_id), Text(p.not_encoded_en, p.not_encoded_id))
            for p in parts
            if p.not_encoded_en and p.not_encoded_id
        ]


class Benchmark(Provenance):
    """A national benchmark for a criterion, with its source and year (or illustrative flag)."""

    criterion: str
    comparator: Literal[">=", ">", "<=", "<"]
    value: Decimal
    unit: str

    def met_by(self, value: Fraction) -> bool:
        """Return whether an exact indicator value meets the benchmark."""
        bound = Fraction(self.value)
        return {
            ">=": value >= bound,
            ">": value > bound,
            "<=": value <= bound,
            "<": value < bound,
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


def _yaml_file(source: str | Path) -> Path | None:
    """Return ``source`` as a YAML file path, or ``None`` when it names a shipped file by id.

    Raises
    ------
    FileProblem
        When ``source`` ends in .yaml or .yml and no such file exists.
    """
    path = Path(source)
    if path.suffix.lower() not in {".yaml", ".yml"}:
        return None
    if not path.is_file():
        raise FileProblem(f"{path}: no such file")
    return path


def load_pack(source: str | Path) -> Pack:
    """Load a shipped pack by id, or a user pack from a file; every error is located.

    Raises
    ------
    InputError
        Listing each problem as ``file: path.to.field: message``.
    UsageError
        When ``source`` is neither a shipped pack id nor a .yaml file (names the shipped ones).
    FileProblem
        When a named .yaml file does not exist.
    """
    if (path := _yaml_file(source)) is not None:
        return _load(Pack, path.read_text("utf-8"), str(path))  # type: ignore[no-any-return]
    name = f"{source}.yaml"
    base = resources.files("sinergi.data.standards")
    if not base.joinpath(name).is_file():
        shipped = ", ".join(available_packs())
        raise UsageError(f"no pack {str(source)!r}; shipped packs: {shipped}, or give a .yaml file")
    return _load(Pack, base.joinpath(name).read_text("utf-8"), f"sinergi/data/standards/{name}")  # type: ignore[no-any-return]


def parse_pack(text: str, where: str) -> Pack:
    """Validate a pack's YAML text (a stored or uploaded pack); every error names ``where``.

    Raises
    ------
    InputError
        Listing each problem as ``where: path.to.field: message``.
    """
    return _load(Pack, text, where)  # type: ignore[no-any-return]


def load_profile(
    pack: Pack, source: str | Path | None = "id", *, required: bool = False
) -> Profile | None:
    """Load a national benchmark profile (shipped by country code, or a file).

    A pack without a shipped profile of that code has none (``None``), unless the profile was
    asked for by name (``required``), which is then an error.

    Raises
    ------
    UsageError
        When a required shipped profile does not exist for the pack.
    InputError
        When the profile is for another pack, or names criteria the pack does not have.
    """
    if source is None:
        return None
    if (path := _yaml_file(source)) is not None:
        profile: Profile = _load(Profile, path.read_text("utf-8"), str(path))
    else:
        name = f"{pack.id}.{source}.yaml"
        base = resources.files("sinergi.data.standards").joinpath("profiles")
        if not base.joinpath(name).is_file():
            if required:
                raise UsageError(
                    f"no profile {str(source)!r} for {pack.id}; give a profile .yaml file"
                )
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
