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
