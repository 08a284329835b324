"""Assessor judgements of qualitative criteria, read from a YAML file with located errors.

Format::

    pack: eip-framework-2.0
    park: kiic
    period: "2024"
    judgements:
      - {criterion: PM-GEN-1, status: met, evidence: "No open violations (DLH letter 2024-11)"}
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from sinergi.assess.engine import Judgement, Status
from sinergi.assess.packs import Pack
from sinergi.errors import InputError


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid")
    criterion: str
    status: Literal["met", "partly_met", "not_met", "not_applicable"]
    evidence: str
    assessor: str | None = None


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")
    pack: str
    park: str
    period: str
    judgements: list[_Row]


def load_judgements(path: Path, pack: Pack) -> dict[str, Judgement]:
    """Read judgements for ``pack``; unknown criteria and missing evidence are located errors."""
    try:
        doc = _File.model_validate(yaml.safe_load(path.read_text("utf-8")))
    except ValidationError as exc:
        raise InputError(
            [f"{path}: {'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
        ) from exc
    if doc.pack != pack.id:
        raise InputError([f"{path}: pack: judgements are for {doc.pack!r}, not {pack.id!r}"])
    known = {c.id for c in pack.criteria()}
    issues = [
        f"{path}: judgements[{i}].criterion: {row.criterion!r} is not in {pack.id}"
        for i, row in enumerate(doc.judgements)
        if row.criterion not in known
    ]
    issues += [
        f"{path}: judgements[{i}].evidence: give the evidence behind the judgement"
        for i, row in enumerate(doc.judgements)
        if not row.evidence.strip()
    ]
    if issues:
        raise InputError(issues)
    return {
        row.criterion: Judgement(Status(row.status), row.evidence, row.assessor)
        for row in doc.judgements
    }
