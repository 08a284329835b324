"""Words the pages show for closed choices, and located problems as table rows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sinergi.i18n import N_
from sinergi.model.commodities import default_catalogue
from sinergi.model.flows import DataQuality
from sinergi.model.submissions import SubmissionStatus

#: Words for the review statuses of a submission.
STATUS_WORDS: dict[SubmissionStatus, str] = {
    SubmissionStatus.DRAFT: N_("draft"),
    SubmissionStatus.SUBMITTED: N_("submitted, waiting for review"),
    SubmissionStatus.RETURNED: N_("returned for changes"),
    SubmissionStatus.APPROVED: N_("approved"),
    SubmissionStatus.LOCKED: N_("locked"),
}

#: Words for the data quality of a flow (the template's choices).
QUALITY_WORDS: dict[str, str] = {
    DataQuality.MEASURED: N_("measured"),
    DataQuality.CALCULATED: N_("calculated"),
    DataQuality.ESTIMATED: N_("estimated"),
    DataQuality.DEFAULT: N_("default value"),
    DataQuality.SYNTHETIC: N_("synthetic"),
}


def issue_rows(issues: Iterable[object], lang: str) -> list[dict[str, Any]]:
    """Return located problems (file issues or submission rows) as rows of a table.

    Each row has ``file``, ``sheet``, ``row``, ``column`` and ``message`` in ``lang``; a
    problem without a place (a whole-file problem) leaves those empty.
    """
    rows = []
    for issue in issues:
        message = getattr(issue, "message_id" if lang == "id" else "message_en", None)
        rows.append(
            {
                "file": getattr(issue, "file", None),
                "sheet": getattr(issue, "sheet", None),
                "row": getattr(issue, "row", None),
                "column": getattr(issue, "column", None) or getattr(issue, "field", None),
                "message": message if message is not None else str(issue),
            }
        )
    return rows


def commodity_labels(lang: str) -> dict[str, tuple[str, str]]:
    """Return each commodity's name in ``lang`` and its canonical unit."""
    catalogue = default_catalogue()
    return {
        c.id: (c.name_id if lang == "id" else c.name_en, c.unit)
        for c in catalogue.commodities.values()
    }


#: Words for job kinds and job statuses (keyed by their stored text).
JOB_WORDS: dict[str, str] = {
    "symbiosis": N_("symbiosis search"),
    "monte_carlo": N_("Monte Carlo footprint"),
    "assess_parks": N_("assessment of parks"),
    "import": N_("import of a file"),
    "queued": N_("queued"),
    "running": N_("running"),
    "done": N_("done"),
    "failed": N_("failed"),
    "cancelled": N_("cancelled"),
}


#: Words for the actions the audit ledger records (keyed by the stored action code).
AUDIT_WORDS: dict[str, str] = {
    "ecosystem.save": N_("data saved or imported"),
    "parks.delete": N_("park deleted"),
    "exchanges.propose": N_("symbiosis exchanges proposed"),
    "exchange.status": N_("exchange decision"),
    "standards.add": N_("standards pack added"),
    "judgements.apply": N_("assessment judgements applied"),
    "organisation.add": N_("organisation added"),
    "user.add": N_("user added"),
    "user.grant": N_("role granted"),
    "user.revoke": N_("role revoked"),
    "user.rename": N_("user renamed"),
    "user.password": N_("password changed"),
    "token.add": N_("access token issued"),
    "custody.event": N_("custody event recorded"),
    "submission.create": N_("submission opened"),
    "submission.edit": N_("submission flows edited"),
    "submission.correct": N_("correction opened"),
    "submission.attest": N_("submission attested"),
    "submission.submitted": N_("submission sent for review"),
    "submission.returned": N_("submission returned"),
    "submission.approved": N_("submission approved"),
    "submission.locked": N_("submission locked"),
}
