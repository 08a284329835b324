"""THE role × route × object table: one row per API operation, one column per role.

Each cell is the expected answer for the role's own object and for a foreign one:
``ok`` (the policy lets the request through: any answer but 401, 403 or 404), or the status
401 (anonymous: sign in), 403 (seen but not allowed) or 404 (foreign: hidden as if absent).
"Own" is kiic (where every scoped test user holds its grant) or tina's company; "foreign" is
mm2100 or a mm2100 company. ``tests/test_service_authz.py`` generates one test per cell and
fails when an operation of the OpenAPI document has no row (or a row lacks a role).
"""

from __future__ import annotations

#: Column order of every row.
ROLES = ("ministry", "consultant", "park_manager", "tenant", "verifier", "public")

OK = "ok"

Row = dict[str, tuple[str, ...]]


def _row(own: str, foreign: str | None = None) -> Row:
    """Parse ``"ok ok 403 403 ok 401"`` (one cell per role) for own and foreign objects."""
    a = tuple(own.split())
    b = tuple((foreign or own).split())
    assert len(a) == len(b) == len(ROLES)
    return {"own": a, "foreign": b}


OPEN = _row("ok ok ok ok ok ok")
USERS_ONLY = _row("ok ok ok ok ok 401")
MINISTRY = _row("ok 403 403 403 403 401")
TENANT_DATA = _row("ok ok ok ok ok 401", "ok 404 404 404 404 401")
PARK_STAFF = _row("ok ok ok 403 ok 401", "ok 404 404 404 404 401")

TABLE: dict[str, Row] = {
    # session
    "health": OPEN,
    "login": OPEN,
    # users
    "me": USERS_ONLY,
    "update_me": USERS_ONLY,
    "list_users": MINISTRY,
    "create_user": MINISTRY,
    "list_organisations": MINISTRY,
    "create_organisation": MINISTRY,
    "grant_role": MINISTRY,
    "revoke_role": MINISTRY,
    # parks: facts and published aggregates are public, tenant rows are not
    "list_parks": OPEN,
    "get_park": OPEN,
    "park_aggregates": OPEN,
    "latest_aggregates": OPEN,
    "yearly_aggregates": OPEN,
    "park_land_use": OPEN,
    # the smelter registry: public plant facts (company disclosures, trackers)
    "list_smelters": OPEN,
    "list_companies": TENANT_DATA,
    "get_company": TENANT_DATA,
    "company_footprints": TENANT_DATA,
    "list_facilities": TENANT_DATA,
    "list_flows": TENANT_DATA,
    "park_services": TENANT_DATA,
    "import_file": _row("ok 403 ok 403 403 401", "ok 403 404 403 403 401"),
    "list_imports": _row("ok 403 ok 403 403 401"),
    # the parks a background import touches are checked by its job (tested separately)
    "import_file_in_background": _row("ok 403 ok 403 403 401"),
    "export_park": PARK_STAFF,
    # submissions
    "create_submission": _row("403 403 403 ok 403 401", "403 403 403 404 403 401"),
    "list_submissions": USERS_ONLY,
    "get_submission": TENANT_DATA,
    "submission_events": TENANT_DATA,
    "replace_submission_flows": _row("403 403 403 ok 403 401", "403 404 404 404 404 401"),
    "move_submission": _row("403 403 ok 403 403 401", "403 404 404 404 404 401"),
    "correct_submission": _row("403 403 403 ok 403 401", "403 404 404 404 404 401"),
    "attest_submission": _row("403 403 403 403 ok 401", "403 404 404 404 404 401"),
    # assessments
    "park_assessment": PARK_STAFF,
    # standards packs: reference data anyone reads; the ministry adds packs
    "list_standards": OPEN,
    "get_standard": OPEN,
    "add_standard": MINISTRY,
    # judgements: only the consultant assigned to the park writes them
    "park_assessment_with_judgements": _row("403 ok 403 403 403 401", "403 404 404 404 404 401"),
    "assessment_inputs": PARK_STAFF,
    "compare_assessments": PARK_STAFF,
    # lists only the parks the caller may assess (none for the public and tenants)
    "assessment_summaries": OPEN,
    # reference computations
    "footprint_names": OPEN,
    "product_footprint": OPEN,
    # a footprint on a company's own reported flows is tenant data
    "plant_footprint": TENANT_DATA,
    "battery_forecast": OPEN,
    "battery_recycling": OPEN,
    "battery_swap": OPEN,
    # battery passports: every role reads one, in the view its role allows
    "passport_read": OPEN,
    # symbiosis workflow
    "list_exchanges": PARK_STAFF,
    "decide_exchange": _row("403 403 ok 404 403 401", "403 404 404 404 404 401"),
    # jobs: own job vs another user's job
    "start_job": PARK_STAFF,
    "list_jobs": USERS_ONLY,
    "get_job": _row("ok ok ok ok ok 401", "ok 404 404 404 404 401"),
    "cancel_job": _row("ok ok ok ok ok 401", "ok 404 404 404 404 401"),
    # audit
    "audit_entries": MINISTRY,
    "audit_verify": _row("ok 403 403 403 ok 401"),
    "audit_checkpoint": _row("ok 403 403 403 ok 401"),
}
