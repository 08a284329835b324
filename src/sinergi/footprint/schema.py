"""The schema of the route and characterisation files, validated at the boundary with pydantic.

Every model forbids unknown keys, so a misspelt field is an error that names its place.
Parameters carry the one provenance type of :mod:`sinergi.reference` (``refs`` into the
bibliography and ``year``, or ``illustrative`` with a ``note``, or ``definition``); texts a
person reads are :class:`Text` in English and Bahasa Indonesia.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sinergi.i18n import Language, gettext, parse_language
from sinergi.reference import Provenance

AllocationMethod = Literal["mass", "economic", "system_expansion"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """A text a person reads, in English (``en``) and Bahasa Indonesia (``id``)."""

    en: str
    id: str

    def in_(self, lang: str) -> str:
        """Return the text in ``lang`` (``en`` or ``id``)."""
        return self.id if parse_language(lang) is Language.id else self.en

    @classmethod
    def same(cls, text: str) -> Text:
        """Return a text that reads the same in both languages (a name, a code)."""
        return cls(en=text, id=text)

    @classmethod
    def translated(cls, message: str, **values: object) -> Text:
        """Return a catalogue message (marked with ``N_``) in both languages, filled in.

        A value that is itself a :class:`Text` is filled in in each language.
        """
        parts = {}
        for lang in ("en", "id"):
            filled = {k: v.in_(lang) if isinstance(v, Text) else v for k, v in values.items()}
            parts[lang] = gettext(lang, message).format(**filled)
        return cls(**parts)


class ParameterSpec(Provenance):
    """One named parameter: a value with its provenance, or a pointer to the factor file.

    The provenance fields are :class:`~sinergi.reference.Provenance`'s; ``from_factors`` takes
    value and provenance from ``data/factors/emission_factors.yaml`` instead.
    """

    value: float | None = None
    from_factors: str | None = None
    low: float | None = None
    high: float | None = None
    unit: Text | str = ""
    plant_data: bool = False
    #: with ``plant_data``: the exchanges reading it are left out (listed as missing) until a
    #: plant gives it, instead of the whole process (no generic value exists for them)
    optional: bool = False

    def unit_text(self) -> Text:
        """Return the unit as a :class:`Text` (symbols read the same in both languages)."""
        return self.unit if isinstance(self.unit, Text) else Text.same(self.unit)

    @model_validator(mode="after")
    def _sourced_or_illustrative(self) -> ParameterSpec:
        # overrides Provenance's check: a from_factors parameter takes its provenance there,
        # a plant-data parameter has no shipped value at all (the plant supplies it)
        if self.optional and not self.plant_data:
            raise ValueError("`optional` goes with `plant_data: true`")
        if self.plant_data:
            if self.value is not None or self.from_factors is not None:
                raise ValueError("a `plant_data` parameter ships no value; remove `value`")
            return self
        if (self.value is None) == (self.from_factors is None):
            raise ValueError("give exactly one of `value` or `from_factors`")
        if self.from_factors is not None or self.definition or self.illustrative:
            return self
        if not (self.source or self.refs) or self.year is None:
            msg = "give `refs` (or `source`) and `year`, or `illustrative: true` with a `note`"
            raise ValueError(msg)
        return self

    def provenance(self) -> Provenance:
        """Return the provenance part alone (no value, range or unit)."""
        return Provenance(**self.model_dump(include=set(Provenance.model_fields)))


class ProductSpec(_Strict):
    """One output of a process; the first listed is the reference product."""

    id: str
    unit: str
    amount: str
    label: Text | None = None
    price: float | None = None
    substitutes: str | None = None


class InputSpec(_Strict):
    """A technosphere input: a product id, the special ``electricity``, or a choice."""

    product: str | None = None
    choice: str | None = None
    unit: str
    amount: str
    illustrative: bool = False
    #: listed as missing while this exchange is left out for lack of the plant's value
    missing: Text | None = None
    #: a plant parameter whose exchange replaces this generic one when the plant gives it
    replaced_by: str | None = None

    @model_validator(mode="after")
    def _one_provider(self) -> InputSpec:
        if (self.product is None) == (self.choice is None):
            raise ValueError("give exactly one of `product` or `choice`")
        return self


class EmissionSpec(_Strict):
    """An elementary flow emitted per reference output."""

    flow: str
    unit: str
    amount: str
    illustrative: bool = False
    #: listed as missing while this exchange is left out for lack of the plant's value
    missing: Text | None = None
    #: a plant parameter whose exchange replaces this generic one when the plant gives it
    replaced_by: str | None = None


class ProcessSpec(_Strict):
    """One unit process; ``missing`` lists the exchanges known to exist but not found."""

    id: str
    name: Text
    stage: str
    products: list[ProductSpec] = Field(min_length=1)
    inputs: list[InputSpec] = Field(default_factory=list)
    emissions: list[EmissionSpec] = Field(default_factory=list)
    power_mix: dict[str, float] | None = None
    allocation: AllocationMethod | None = None
    missing: list[Text] = Field(default_factory=list)


class ChoiceSpec(_Strict):
    """A switch between providers of one input (e.g. which nickel feed is refined)."""

    label: Text
    default: str
    options: list[str]


class RouteSpec(_Strict):
    """A named nickel route: the choices it fixes.

    ``generic`` names the route on generic data that a plant-data route is compared with.
    """

    label: Text
    choices: dict[str, str]
    generic: str | None = None


class ProductAlias(_Strict):
    """A product a user can ask for by name, with the functional unit results state.

    ``generic`` names the product on generic data that a plant-data product is compared with.
    """

    column: str
    label: Text
    functional_unit: Text
    generic: str | None = None


class ScenarioSpec(_Strict):
    """Named parameter changes, with the sources of the what-if where it has some."""

    label: Text
    note: Text | None = None
    refs: tuple[str, ...] = ()
    mixes: dict[str, dict[str, float]] = Field(default_factory=dict)
    values: dict[str, float] = Field(default_factory=dict)
    choices: dict[str, str] = Field(default_factory=dict)


class BenchmarkSpec(_Strict):
    """A published total to check the model against (a stage of it when ``stage`` is set)."""

    id: str
    product: str
    route: str | None = None
    stage: str | None = None
    unit: str = "t CO2e / t Ni"
    check: Literal["range", "lower_bound", "context"]
    low: float | None = None
    high: float | None = None
    value: float | None = None
    scenario: str | None = None
    year: int
    refs: tuple[str, ...] = Field(min_length=1)
    note: str = ""


class BatterySpec(_Strict):
    """Battery declaration settings: default cycles, chemistries and stage mapping."""

    cycles: ParameterSpec
    assumptions: list[Text] = Field(default_factory=list)
    chemistries: dict[str, dict[str, str]]
    stages: dict[str, str]


class RoutesDoc(_Strict):
    """The whole ``routes.yaml`` document."""

    version: str
    parameters: dict[str, ParameterSpec]
    grid_from_factors: bool = False
    choices: dict[str, ChoiceSpec]
    routes: dict[str, RouteSpec]
    stages: dict[str, Text] = Field(default_factory=dict)
    processes: list[ProcessSpec]
    products: dict[str, ProductAlias]
    scenarios: dict[str, ScenarioSpec]
    benchmarks: list[BenchmarkSpec]
    battery: BatterySpec

    def cited(self) -> set[str]:
        """Return every bibliography key the document cites."""
        keys = {key for spec in self.parameters.values() for key in spec.refs}
        keys.update(self.battery.cycles.refs)
        keys.update(key for s in self.scenarios.values() for key in s.refs)
        keys.update(key for b in self.benchmarks for key in b.refs)
        return keys


class FactorSpec(_Strict):
    """One characterisation factor."""

    value: float
    illustrative: bool = False
    definition: bool = False


class MethodSpec(_Strict):
    """A characterisation method (GWP100 AR6 or AR5)."""

    label: str
    refs: tuple[str, ...] = Field(min_length=1)
    year: int
    factors: dict[str, FactorSpec]


class CharacterisationDoc(_Strict):
    """The whole ``characterisation.yaml`` document."""

    version: str
    default: str
    methods: dict[str, MethodSpec]
    flows: dict[str, dict[str, str]]


def stage_label(stages: dict[str, Text], stage: str, lang: str) -> str:
    """Return a stage's label in ``lang``, or its key when the data has no label for it."""
    text = stages.get(stage)
    return text.in_(lang) if text is not None else stage


def as_text(value: Any) -> Text:
    """Return ``value`` as a :class:`Text` (a plain string reads the same in both languages)."""
    return value if isinstance(value, Text) else Text.same(str(value))
