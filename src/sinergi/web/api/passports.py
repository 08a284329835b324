"""``/passports/{passport_id}``: a battery passport in the view the caller's role allows.

The passport identifier resolves here: anonymous callers (and the QR code on a pack) get the
public view; signed-in users the view their role allows (:func:`sinergi.web.policy.
passport_view`). Unknown identifiers answer 404.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request

from sinergi.i18n import N_, gettext
from sinergi.web.deps import OPTIONAL_AUTH, Caller, ServicesDep, authorise
from sinergi.web.policy import Action, passport_view
from sinergi.web.problems import language_of

router = APIRouter(tags=["passports"])

PassportPath = Annotated[
    str, Path(min_length=1, max_length=200, examples=["urn:sinergi:demoevpack1"])
]


@router.get("/passports/{passport_id}", operation_id="passport_read", openapi_extra=OPTIONAL_AUTH)
def passport_read(
    request: Request, svc: ServicesDep, principal: Caller, passport_id: PassportPath
) -> dict[str, Any]:
    """Return a battery passport (Battery Pass v1.2 aspects) in the caller's view."""
    from sinergi.passport import Audience, PackFacts
    from sinergi.reports.custody import compose_passport
    from sinergi.store.custody import CustodyRecords

    authorise(request, principal, Action.READ_PASSPORT)
    lang = language_of(request)
    records = CustodyRecords(svc.store)
    found = records.pack_by_passport(passport_id)
    if found is None:
        raise HTTPException(404, gettext(lang, N_("Not found.")))
    base = str(request.url_for("passport_read", passport_id="x")).rsplit("/", 1)[0]
    facts = PackFacts.model_validate(found)
    record, _nickel = compose_passport(
        records.history(facts.pack_id),
        facts,
        Audience(passport_view(principal)),
        lang,
        base,
    )
    return record
