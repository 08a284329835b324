"""Numbers with provenance and lifetime specifications, as read from the circularity data files.

Every number in ``data/circularity/*.yaml`` carries ``source`` and ``year``, or
``illustrative: true`` with a note; :class:`Sourced` refuses anything else, so an unsourced
default cannot slip in. Results collect the notes of the illustrative values they used.
"""

from __future__ import annotations

from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from sinergi.circularity.lifetimes import Fixed, Lifetime, LogNormal, Normal, Weibull
from sinergi.errors import InvalidLifetime, ScenarioError

Status = Literal["S", "D", "W"]


class Strict(BaseModel):
    """Base of the data-file models: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Provenance(Strict):
    """Where a number comes from: a source and year, or an explicit illustrative flag."""

    status: Status | None = None
    year: int | str | None = None
    source: str | None = None
    note: str | None = None
    assumption: str | None = None
    illustrative: bool = False

    @model_validator(mode="after")
    def _sourced_or_illustrative(self) -> Provenance:
        if not self.illustrative and (self.source is None or self.year is None):
            raise ValueError("needs `source` and `year`, or `illustrative: true` with a `note`")
        if self.illustrative and not self.note:
            raise ValueError("an illustrative value needs a `note` saying why it has no source")
        return self

    def caveat(self, label: str) -> str | None:
        """Return a one-line flag for results if this value is illustrative, else ``None``."""
        return f"{label}: illustrative ({self.note})" if self.illustrative else None


class Sourced(Provenance):
    """A number with its provenance."""

    value: float


class Point(Sourced):
    """A sourced value at a year (a fleet anchor, a conversion count)."""

    year: int


class LifetimeSpec(Provenance):
    """A lifetime distribution as data: the kind and its parameters, in years."""

    distribution: Literal["fixed", "normal", "lognormal", "weibull"]
    mean: float | None = None
    std: float | None = None
    scale: float | None = None
    shape: float | None = None

    def build(self, where: str) -> Lifetime:
        """Return the lifetime; ``where`` names the data key in error messages."""
        try:
            return self._build()
        except (InvalidLifetime, TypeError) as exc:
            raise ScenarioError(
                f"{where}: {exc}. Give fixed: mean; normal/lognormal: mean, std; "
                "weibull: shape and either mean or scale"
            ) from None

    def _build(self) -> Lifetime:
        if self.distribution == "fixed":
            return Fixed(_required(self.mean))
        if self.distribution == "normal":
            return Normal(_required(self.mean), _required(self.std))
        if self.distribution == "lognormal":
            return LogNormal(_required(self.mean), _required(self.std))
        if self.scale is not None:
            return Weibull(self.scale, _required(self.shape))
        return Weibull.from_mean(_required(self.mean), _required(self.shape))


def _required(value: float | None) -> float:
    if value is None:
        raise TypeError("a parameter of this distribution is missing")
    return value


def load_yaml(name: str, text: str | None = None) -> dict[str, Any]:
    """Return the mapping in ``data/circularity/<name>``, or in ``text`` if given."""
    if text is None:
        text = resources.files("sinergi.data").joinpath("circularity", name).read_text("utf-8")
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ScenarioError(f"{name}: not valid YAML ({exc})") from None
    if not isinstance(doc, dict):
        raise ScenarioError(f"{name}: the file must hold a mapping at its top level")
    return doc


def validation_error(name: str, exc: ValidationError) -> ScenarioError:
    """Turn a pydantic error into one naming the file, the key path and the fix."""
    problems = "; ".join(
        f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}"
        for error in exc.errors()[:10]
    )
    return ScenarioError(
        f"{name}: {problems}. Fix these keys (every number needs source and year, "
        "or illustrative: true with a note)"
    )
