"""The Battery Pass v1.2 attribute list and who may read each attribute.

The 93 attributes of the Battery Pass data attribute longlist v1.2 (``data/passport/
attributes.yaml``, with its source) carry the access right the EU Battery Regulation gives
them. sinergi serves three audiences:

* ``public``: attributes marked *public* (Annex XIII (1));
* ``legitimate``: public ones and those for *persons with a legitimate interest* (with or
  without the Commission): Annex XIII (2) and (4);
* ``authority``: every attribute. Notified bodies, market surveillance authorities and the
  Commission read the test reports (Annex XIII (3)); that they may also read the
  legitimate-interest attributes is sinergi's reading (market surveillance powers), not
  a line of the longlist.

An attribute lives at a ``path`` in the aspect JSON (``Circularity.recycledContent``); when
several attributes share a path, a reader sees it only if every one of them is visible.
"""

from __future__ import annotations

from collections import defaultdict
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from sinergi.errors import PassportError, ReferenceDataError
from sinergi.reference import Provenance

__all__ = ["Access", "Attribute", "Audience", "attributes", "path_access", "visible_paths"]


class Access(StrEnum):
    """The access right of an attribute in the longlist."""

    PUBLIC = "public"
    LEGITIMATE_INTEREST = "legitimate_interest"
    LEGITIMATE_INTEREST_AND_COMMISSION = "legitimate_interest_and_commission"
    AUTHORITIES = "authorities"


class Audience(StrEnum):
    """Who reads a passport."""

    public = "public"
    legitimate = "legitimate"
    authority = "authority"


_READS: dict[Audience, frozenset[Access]] = {
    Audience.public: frozenset({Access.PUBLIC}),
    Audience.legitimate: frozenset(
        {Access.PUBLIC, Access.LEGITIMATE_INTEREST, Access.LEGITIMATE_INTEREST_AND_COMMISSION}
    ),
    Audience.authority: frozenset(Access),
}

Mark = Literal["mandatory", "voluntary", "not applicable"]


class Attribute(BaseModel):
    """One attribute of the longlist."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    number: int
    din: str
    attribute: str
    category: str
    sub_category: str | None = None
    ev: Mark
    lmt: Mark
    access: Access
    dynamic: bool
    granularity: Literal["model", "individual"]
    unit: str | None = None
    path: str | None = None

    def readable_by(self, audience: Audience) -> bool:
        """Return whether ``audience`` may read this attribute."""
        return self.access in _READS[audience]

    def mandatory_for(self, category: str) -> bool:
        """Return whether the regulation makes it mandatory for ``ev`` or ``lmt`` batteries."""
        return (self.ev if category == "ev" else self.lmt) == "mandatory"


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: Provenance
    attributes: list[Attribute]


@cache
def attributes() -> tuple[Attribute, ...]:
    """Return the 93 attributes of the shipped longlist, in order."""
    path = resources.files("sinergi.data").joinpath("passport", "attributes.yaml")
    try:
        doc = _File.model_validate(yaml.safe_load(path.read_text("utf-8")))
    except ValidationError as exc:
        raise ReferenceDataError(f"data/passport/attributes.yaml is malformed: {exc}") from None
    return tuple(doc.attributes)


def path_access() -> dict[str, list[Attribute]]:
    """Return the attributes at each aspect path."""
    found: dict[str, list[Attribute]] = defaultdict(list)
    for attribute in attributes():
        if attribute.path is not None:
            found[attribute.path].append(attribute)
    return dict(found)


def visible_paths(audience: Audience | str) -> set[str]:
    """Return the paths ``audience`` may read (every attribute on the path readable)."""
    try:
        who = Audience(audience)
    except ValueError:
        raise PassportError(
            f"unknown audience {audience!r}; choose public, legitimate or authority"
        ) from None
    return {path for path, found in path_access().items() if all(a.readable_by(who) for a in found)}
