"""Reading the circularity data files: validated YAML, fleet points, lifetime specifications.

Every number in ``data/circularity/*.yaml`` is a :class:`sinergi.reference.Sourced` (or
carries a :class:`sinergi.reference.Provenance`): a source and year, or ``illustrative: true``
with a note. Loading refuses anything else, a source key missing from the bibliography, and an
illustrative value without a note saying why, so an unsourced default cannot slip in; results
collect the notes of the illustrative values they used.
"""

from __future__ import annotations

from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from sinergi.circularity.lifetimes import Fixed, Lifetime, LogNormal, Normal, Weibull
from sinergi.errors import InvalidLifetime, ScenarioError
from sinergi.reference import Provenance, Sourced, bibliography


class Strict(BaseModel):
    """Base of the data-file models: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Point(Sourced):
    """A sourced value at a year (a fleet anchor, a sourced total)."""

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
    """Return the mapping in ``data/circularity/<name>``, or in ``text`` if given.

    Raises
    ------
    ScenarioError
        The text is not YAML, not a mapping, cites a source key that is not in the
        bibliography, or holds an illustrative value without a note (names the key path).
    """
    if text is None:
        text = resources.files("sinergi.data").joinpath("circularity", name).read_text("utf-8")
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ScenarioError(f"{name}: not valid YAML ({exc})") from None
    if not isinstance(doc, dict):
        raise ScenarioError(f"{name}: the file must hold a mapping at its top level")
    _check_provenance(name, doc, ())
    return doc


def _check_provenance(name: str, node: object, path: tuple[str, ...]) -> None:
    """Refuse unknown source keys and unexplained illustrative values anywhere in ``node``."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            _check_provenance(name, item, (*path, str(i)))
        return
    if not isinstance(node, dict):
        return
    where = ".".join(path) or "(top level)"
    unknown = sorted(set(map(str, node.get("refs") or [])) - set(bibliography()))
    if unknown:
        raise ScenarioError(
            f"{name}: {where}.refs names {unknown}, which are not in the bibliography; "
            "add them to data/bibliography/circularity.yaml or cite an existing key"
        )
    if node.get("illustrative") is True and not node.get("note"):
        raise ScenarioError(
            f"{name}: {where} is illustrative without a `note`; say why it has no source"
        )
    for key, value in node.items():
        _check_provenance(name, value, (*path, str(key)))


def validation_error(name: str, exc: ValidationError) -> ScenarioError:
    """Turn a pydantic error into one naming the file, the key path and the fix."""
    problems = "; ".join(
        f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}"
        for error in exc.errors()[:10]
    )
    return ScenarioError(
        f"{name}: {problems}. Fix these keys (every number needs a source (refs) and year, "
        "or illustrative: true with a note)"
    )
