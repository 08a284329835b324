"""``/standards``: the rubric packs parks are assessed against, shipped or added by the ministry.

Standards are versioned data. The packs shipped in the package (Permenperin 26/2025, the EIP
Framework v2.0) are read-only; a ministry user adds a user-defined pack (a national programme's
checklist, a regional variant) by uploading its YAML, validated exactly as ``sinergi assess
--standard FILE.yaml`` validates it, every problem located. Each version is stored for ever and
its addition entered in the audit ledger; assessments use the version added last.
"""

from __future__ import annotations

import tempfile
from importlib import resources
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Query, Request, Response, UploadFile
from pydantic import BaseModel

from sinergi.assess.packs import Pack, available_packs, load_pack, parse_pack
from sinergi.errors import NotFound, PackConflict
from sinergi.i18n import N_
from sinergi.i18n.messages import msg
from sinergi.store import standards as stored
from sinergi.web.api.imports import save_upload
from sinergi.web.deps import OPTIONAL_AUTH, Caller, ServicesDep, authorise, store_for
from sinergi.web.policy import Action
from sinergi.web.problems import language_of

router = APIRouter(tags=["standards"])

_YAML = frozenset({".yaml", ".yml"})


class PackOut(BaseModel):
    """A pack as listed: what it is, which version, how far it was checked, where it lives."""

    id: str
    version: str
    title_en: str
    title_id: str
    kind: str
    verification: str
    criteria: int
    origin: str  # "shipped" (in the package) or "stored" (added on this platform)
    versions: list[str]


class PackDetail(PackOut):
    """One pack version with its YAML text (what an assessor downloads and edits)."""

    yaml: str
    sha256: str | None
    added_by: str | None
    added_at: str | None


class PackAdded(PackOut):
    """The answer to an upload."""

    status: str  # "added" or "unchanged"


def _out(pack: Pack, origin: str, versions: list[str]) -> PackOut:
    return PackOut(
        id=pack.id,
        version=pack.version,
        title_en=pack.title_en,
        title_id=pack.title_id,
        kind=pack.kind,
        verification=str(pack.verification.status),
        criteria=len(pack.criteria()),
        origin=origin,
        versions=versions,
    )


@router.get("/standards", operation_id="list_standards", openapi_extra=OPTIONAL_AUTH)
def list_standards(request: Request, svc: ServicesDep, principal: Caller) -> list[PackOut]:
    """List the shipped packs, then the packs added on this platform (latest version each)."""
    authorise(request, principal, Action.REFERENCE)
    shipped = [load_pack(name) for name in available_packs()]
    out = [_out(pack, "shipped", [pack.version]) for pack in shipped]
    with svc.store.reading() as conn:
        rows = stored.versions(conn)
    by_id: dict[str, list[stored.StoredPack]] = {}
    for row in rows:
        by_id.setdefault(row.pack_id, []).append(row)
    for pack_id, versions in by_id.items():
        last = versions[-1]
        pack = parse_pack(last.text, f"{pack_id}@{last.version}")
        out.append(_out(pack, "stored", [v.version for v in versions]))
    return out


@router.get("/standards/{pack_id}", operation_id="get_standard", openapi_extra=OPTIONAL_AUTH)
def get_standard(
    request: Request,
    svc: ServicesDep,
    principal: Caller,
    pack_id: str,
    version: Annotated[str | None, Query(max_length=40)] = None,
) -> PackDetail:
    """Return one pack (the latest version, or the one asked for) with its YAML text."""
    authorise(request, principal, Action.REFERENCE)
    if pack_id in available_packs():
        pack = load_pack(pack_id)
        if version not in (None, pack.version):
            raise NotFound(
                msg(N_("pack {id!r} has no version {version!r}"), id=pack_id, version=str(version))
            )
        text = resources.files("sinergi.data.standards").joinpath(f"{pack_id}.yaml")
        base = _out(pack, "shipped", [pack.version]).model_dump()
        return PackDetail(
            **base, yaml=text.read_text("utf-8"), sha256=None, added_by=None, added_at=None
        )
    with svc.store.reading() as conn:
        versions = stored.versions(conn, pack_id)
    chosen = [v for v in versions if version in (None, v.version)]
    if not chosen:
        if version:
            raise NotFound(
                msg(N_("no pack {id!r} version {version!r}"), id=pack_id, version=version)
            )
        raise NotFound(msg(N_("no pack {id!r}"), id=pack_id))
    row = chosen[-1]
    pack = parse_pack(row.text, f"{row.pack_id}@{row.version}")
    base = _out(pack, "stored", [v.version for v in versions]).model_dump()
    return PackDetail(
        **base,
        yaml=row.text,
        sha256=row.sha256,
        added_by=row.added_by,
        added_at=row.added_at.isoformat(),
    )


@router.post(
    "/standards",
    operation_id="add_standard",
    status_code=201,
    responses={200: {"description": "The same pack version was already stored: nothing changed"}},
)
async def add_standard(
    request: Request,
    response: Response,
    svc: ServicesDep,
    principal: Caller,
    file: Annotated[UploadFile, File(description="The pack as YAML (.yaml or .yml)")],
) -> PackAdded:
    """Add a user-defined pack or a new version of one (ministry); validated, located, logged."""
    authorise(request, principal, Action.MANAGE_STANDARDS)
    limit = svc.settings.upload_max_bytes
    with tempfile.TemporaryDirectory(prefix="sinergi-pack-") as tmp:
        path = await save_upload(
            file, Path(tmp), limit, language_of(request), _YAML, keep_name=True
        )
        text = path.read_text("utf-8", errors="strict")
        pack = parse_pack(text, path.name)
    if pack.id in available_packs():
        raise PackConflict(
            msg(
                N_(
                    "{id!r} is a pack shipped with sinergi and cannot be replaced; give your "
                    "pack its own id"
                ),
                id=pack.id,
            )
        )
    store = store_for(svc, principal)
    with store.transaction() as conn:
        added = stored.add(conn, store.actor, pack.id, pack.version, text)
        versions = [v.version for v in stored.versions(conn, pack.id)]
    if not added:
        response.status_code = 200
    status = "added" if added else "unchanged"
    return PackAdded(**_out(pack, "stored", versions).model_dump(), status=status)
