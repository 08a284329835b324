"""``/imports``: upload a file (XLSX, CSV, YAML, JSON) and the import log; ``/parks/…/export``.

An upload is read and validated completely before anything is written, exactly as ``sinergi
import``: a file with any problem answers 422 with every located issue and writes nothing; the
same file again changes nothing. The caller must be allowed to import into every park the
file touches (otherwise 404 or 403 and nothing is written). The upload is saved under a
generated name in a private temporary folder, never under the name the client sent.
"""

from __future__ import annotations

import re
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel

from sinergi.i18n import N_, gettext
from sinergi.intake import apply_parsed, parks_touched, read_for_import
from sinergi.store import jobs as job_rows
from sinergi.store import uploads
from sinergi.web.api.jobs import JobOut, job_out
from sinergi.web.deps import (
    Caller,
    ParkPath,
    ServicesDep,
    authorise,
    authorise_somewhere,
    store_for,
)
from sinergi.web.policy import Action, Decision, decide
from sinergi.web.problems import language_of

router = APIRouter(tags=["imports"])

_SUFFIXES = frozenset({".xlsx", ".csv", ".yaml", ".yml", ".json"})
_CHUNK = 1 << 20


class ImportOut(BaseModel):
    """What an import did."""

    status: str
    import_id: int | None
    parks: list[str]
    diff_summary: str
    diff: list[str]


class ImportLogOut(BaseModel):
    """One entry of the import log."""

    id: int
    parks: list[str]
    source_name: str
    sha256: str
    format: str
    imported_at: str
    status: str
    superseded_by: int | None
    diff_summary: str | None


class ExportFormat(StrEnum):
    """Formats of a park export (the formats the importer reads)."""

    yaml = "yaml"
    json = "json"
    xlsx = "xlsx"


_MEDIA = {
    ExportFormat.yaml: "application/yaml",
    ExportFormat.json: "application/json",
    ExportFormat.xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _safe_name(name: str | None) -> str:
    base = Path(name or "upload").name
    return re.sub(r"[^A-Za-z0-9._-]", "_", base)[:120] or "upload"


async def save_upload(
    upload: UploadFile,
    folder: Path,
    limit: int,
    lang: str,
    suffixes: frozenset[str] = _SUFFIXES,
    *,
    keep_name: bool = False,
) -> Path:
    """Save an upload in ``folder``, refusing other kinds and sizes.

    The file is saved as ``upload.<suffix>``, or with ``keep_name`` under the client's name
    reduced to safe characters (so located errors name the file the user knows).
    """
    safe = _safe_name(upload.filename)
    suffix = Path(safe).suffix.lower()
    if suffix not in suffixes:
        raise HTTPException(
            422,
            gettext(lang, N_("Upload a file of one of these kinds: {kinds}.")).format(
                kinds=", ".join(sorted(suffixes))
            ),
        )
    target = folder / (safe if keep_name else f"upload{suffix}")
    size = 0
    with target.open("wb") as handle:
        while chunk := await upload.read(_CHUNK):
            size += len(chunk)
            if size > limit:
                raise HTTPException(
                    413,
                    gettext(lang, N_("The file is larger than {mb} MB.")).format(
                        mb=limit // (1024 * 1024)
                    ),
                )
            handle.write(chunk)
    return target


@router.post("/imports", operation_id="import_file", status_code=200)
async def import_file(
    request: Request,
    svc: ServicesDep,
    principal: Caller,
    file: Annotated[UploadFile, File(description="XLSX, CSV, YAML or JSON file")],
    table: Annotated[str | None, Form(max_length=100)] = None,
) -> ImportOut:
    """Validate a file completely, then apply it in one transaction (or write nothing)."""
    authorise_somewhere(request, principal, Action.IMPORT)
    lang = language_of(request)
    store = store_for(svc, principal)
    with tempfile.TemporaryDirectory(prefix="sinergi-upload-") as tmp:
        path = await save_upload(file, Path(tmp), svc.settings.upload_max_bytes, lang)
        parsed = read_for_import(
            store, [path], table=table, max_bytes=svc.settings.upload_max_bytes
        )
    # every park the file would change, also through stored parents, land use, flows, records
    parks = parks_touched(store, parsed)
    for park_id in parks:
        authorise(request, principal, Action.IMPORT, park_id)
    result = apply_parsed(store, parsed, source_name=_safe_name(file.filename))
    return ImportOut(
        status=str(result.status),
        import_id=result.import_id,
        parks=parks,
        diff_summary=result.diff.summary(),
        diff=result.diff.lines()[:500],
    )


@router.post("/imports/jobs", operation_id="import_file_in_background", status_code=202)
async def import_file_in_background(
    request: Request,
    svc: ServicesDep,
    principal: Caller,
    file: Annotated[UploadFile, File(description="XLSX, CSV, YAML or JSON file")],
    table: Annotated[str | None, Form(max_length=100)] = None,
) -> JobOut:
    """Import a large file as a job (202): the same checks and transaction as ``POST /imports``.

    Follow it with ``GET /jobs/{id}``: its result is the import's answer, or, for a rejected
    file, ``issues`` with every located problem; the parks it would change are checked against
    the caller's grants before anything is written.
    """
    authorise_somewhere(request, principal, Action.IMPORT)
    lang = language_of(request)
    with tempfile.TemporaryDirectory(prefix="sinergi-upload-") as tmp:
        path = await save_upload(file, Path(tmp), svc.settings.upload_max_bytes, lang)
        content = path.read_bytes()
    store = store_for(svc, principal)
    with store.transaction() as conn:
        upload = uploads.put(conn, _safe_name(file.filename), content, table)
        params = {"upload_id": upload.id, "user_id": principal.user_id, "file": upload.name}
        job = job_rows.create(conn, "import", params, principal.user_id, None)
    if svc.jobs is not None:
        svc.jobs.submit(job.id, store.actor)
    return job_out(job, language_of(request))


@router.get("/imports", operation_id="list_imports")
def list_imports(request: Request, svc: ServicesDep, principal: Caller) -> list[ImportLogOut]:
    """Return the import log of the parks the caller may import into."""
    authorise_somewhere(request, principal, Action.IMPORT)
    out = []
    for r in svc.store.imports():
        if not all(decide(principal, Action.IMPORT, p) is Decision.ALLOWED for p in r.park_ids):
            continue
        out.append(
            ImportLogOut(
                id=r.id,
                parks=list(r.park_ids),
                source_name=r.source_name,
                sha256=r.sha256,
                format=r.format,
                imported_at=r.imported_at.isoformat(),
                status=str(r.status),
                superseded_by=r.superseded_by,
                diff_summary=r.diff_summary,
            )
        )
    return out


@router.get(
    "/parks/{park_id}/export",
    operation_id="export_park",
    response_class=Response,
    responses={200: {"content": {m: {} for m in _MEDIA.values()}}},
)
def export_park(
    request: Request,
    svc: ServicesDep,
    principal: Caller,
    park_id: ParkPath,
    format: ExportFormat = ExportFormat.yaml,  # noqa: A002 - the query parameter's name
) -> Response:
    """Download a park's data in a format the importer reads (staff of the park, ministry)."""
    from sinergi.io import write_file
    from sinergi.web.api.parks import _require_park

    _require_park(request, svc, park_id)
    authorise(request, principal, Action.EXPORT, park_id)
    eco = svc.store.load([park_id])
    with tempfile.TemporaryDirectory(prefix="sinergi-export-") as tmp:
        target = Path(tmp) / f"{park_id}.{format.value}"
        write_file(eco, target, park_ids=[park_id])
        content = target.read_bytes()
    return Response(
        content,
        media_type=_MEDIA[format],
        headers={"Content-Disposition": f'attachment; filename="{park_id}.{format.value}"'},
    )
