"""Reading the shipped e-mobility reference data (``data/emobility/*.yaml``) at the boundary.

Each file is validated once into pydantic models whose numbers are
:class:`~sinergi.reference.Sourced` (or carry a :class:`~sinergi.reference.Provenance`), so a
value without a source or an ``illustrative`` flag never reaches a result. Problems name the
file and the key path.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from sinergi.errors import ReferenceDataError

__all__ = ["InputKey", "Strict", "load_model", "read_yaml"]

#: How a result names an input it rests on: a message marked for the catalogues (``N_``) and
#: a detail shown as it is (a year, a component id), so pages can say it in either language.
InputKey = tuple[str, str]

Model = TypeVar("Model", bound=BaseModel)


class Strict(BaseModel):
    """A reference-data record: unknown keys are refused, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@cache
def read_yaml(name: str) -> dict[str, Any]:
    """Return the mapping in ``data/emobility/<name>``.

    Raises
    ------
    ReferenceDataError
        When the file is not YAML or not a mapping (names the file).
    """
    text = resources.files("sinergi.data").joinpath("emobility", name).read_text("utf-8")
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ReferenceDataError(f"data/emobility/{name}: not valid YAML ({exc})") from None
    if not isinstance(doc, dict):
        raise ReferenceDataError(f"data/emobility/{name}: expected a mapping at the top level")
    return doc


def load_model(model: type[Model], doc: Any, where: str) -> Model:
    """Validate ``doc`` as ``model``; a problem names ``where`` and each key path.

    Raises
    ------
    ReferenceDataError
        Listing up to ten problems as ``key.path: message``.
    """
    try:
        return model.model_validate(doc)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or '(top level)'}: {error['msg']}"
            for error in exc.errors()[:10]
        )
        raise ReferenceDataError(
            f"{where}: {problems}. Fix these keys (every number needs refs or source and "
            "year, or illustrative: true with a note)"
        ) from None
