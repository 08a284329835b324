"""Assessor judgements of qualitative criteria, checked against what is being assessed.

A judgements document says which pack, park and period it judges, and has one row per
criterion: a status (met, partly met, not met, not applicable; blank when not judged yet), the
evidence behind it and optionally the assessor. The file formats (YAML, and the XLSX form that
``sinergi judgements template`` writes) are read in :mod:`sinergi.reports.judgement_form`; this
module only checks the parsed document, so the rules are the same for every format:

* a document for another pack, park or period is refused (what it says against what was asked);
* unknown criteria, criteria scored from data, repeated criteria, unknown statuses and a status
  without evidence are refused, each with its place;
* nothing is applied unless the whole document is sound.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sinergi.assess.engine import Judgement, Status
from sinergi.assess.messages import Msg, msg
from sinergi.assess.packs import Pack
from sinergi.errors import JudgementsError, PeriodError
from sinergi.i18n import N_
from sinergi.model import Period

#: Words accepted for each status, in both languages (compared case- and space-insensitively).
STATUS_WORDS: dict[str, Status] = {
    "met": Status.MET,
    "terpenuhi": Status.MET,
    "partly met": Status.PARTLY_MET,
    "partly_met": Status.PARTLY_MET,
    "sebagian terpenuhi": Status.PARTLY_MET,
    "not met": Status.NOT_MET,
    "not_met": Status.NOT_MET,
    "tidak terpenuhi": Status.NOT_MET,
    "not applicable": Status.NOT_APPLICABLE,
    "not_applicable": Status.NOT_APPLICABLE,
    "tidak berlaku": Status.NOT_APPLICABLE,
}


@dataclass(frozen=True, slots=True)
class JudgementRow:
    """One row as read from a file, with where it is.

    ``places`` names where each field is (``Judgements!F7``); a field not in it is
    ``{where}.{field}`` (``judgements[2].status``).
    """

    where: str
    criterion: object
    status: object = None
    evidence: object = None
    assessor: object = None
    places: dict[str, str] = field(default_factory=dict)

    def place(self, name: str) -> str:
        """Return where field ``name`` of this row is."""
        return self.places.get(name, f"{self.where}.{name}")


@dataclass(frozen=True, slots=True)
class JudgementsDoc:
    """A judgements document as read from ``file``; ``places`` names where each header is."""

    file: str
    pack: object
    park: object
    period: object
    rows: tuple[JudgementRow, ...] = ()
    places: dict[str, str] = field(default_factory=dict)


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _mismatch(doc: JudgementsDoc, key: str, found: str, asked: str, what: Msg) -> Msg:
    return msg(
        N_(
            "{file}: {place}: these judgements are for {what} {found}, but {what} {asked} is "
            "being assessed; use the judgements of {asked} (sinergi judgements template writes "
            "an empty form)"
        ),
        file=doc.file,
        place=doc.places.get(key, key),
        what=what,
        found=repr(found),
        asked=repr(asked),
    )


def _header_issues(doc: JudgementsDoc, pack: Pack, park_id: str, period: Period) -> list[Msg]:
    issues = []
    if _text(doc.pack) != pack.id:
        issues.append(_mismatch(doc, "pack", _text(doc.pack), pack.id, msg(N_("the standard"))))
    if _text(doc.park) != park_id:
        issues.append(_mismatch(doc, "park", _text(doc.park), park_id, msg(N_("the park"))))
    try:
        found = Period.parse(_text(doc.period))
    except PeriodError:
        issues.append(
            msg(
                N_(
                    "{file}: {place}: {value} is not a period; write a year (2024) or a "
                    "month (2024-03)"
                ),
                file=doc.file,
                place=doc.places.get("period", "period"),
                value=repr(_text(doc.period)),
            )
        )
    else:
        if found != period:
            issues.append(_mismatch(doc, "period", str(found), str(period), msg(N_("the period"))))
    return issues


def _row_issue(doc: JudgementsDoc, row: JudgementRow, name: str, text: str, **args: str) -> Msg:
    return msg(text, file=doc.file, place=row.place(name), **args)


def _row(
    doc: JudgementsDoc, row: JudgementRow, pack: Pack, seen: set[str]
) -> tuple[Judgement | None, list[Msg]]:
    """Return the judgement of one row (``None`` when left blank) and its problems."""
    criterion, status, evidence = _text(row.criterion), _text(row.status), _text(row.evidence)
    kinds = {c.id: c.type for c in pack.criteria()}
    if criterion not in kinds:
        return None, [
            _row_issue(
                doc,
                row,
                "criterion",
                N_("{file}: {place}: criterion {criterion} is not in {pack}"),
                criterion=repr(criterion),
                pack=pack.id,
            )
        ]
    issues = []
    if criterion in seen:
        issues.append(
            _row_issue(
                doc,
                row,
                "criterion",
                N_("{file}: {place}: criterion {criterion} is judged twice; keep one row"),
                criterion=criterion,
            )
        )
    seen.add(criterion)
    if not status:
        if evidence:
            issues.append(
                _row_issue(
                    doc, row, "status", N_("{file}: {place}: evidence is given but no status")
                )
            )
        return None, issues
    if kinds[criterion] == "quantitative":
        issues.append(
            _row_issue(
                doc,
                row,
                "status",
                N_(
                    "{file}: {place}: criterion {criterion} is scored from the data and cannot "
                    "be judged; leave its status blank"
                ),
                criterion=criterion,
            )
        )
    found = STATUS_WORDS.get(" ".join(status.lower().split()))
    if found is None:
        issues.append(
            _row_issue(
                doc,
                row,
                "status",
                N_(
                    "{file}: {place}: status {status} is not one of met, partly met, not met, "
                    "not applicable (terpenuhi, sebagian terpenuhi, tidak terpenuhi, tidak "
                    "berlaku); leave it blank if not judged"
                ),
                status=repr(status),
            )
        )
    if not evidence:
        issues.append(
            _row_issue(
                doc, row, "evidence", N_("{file}: {place}: give the evidence behind the judgement")
            )
        )
    if issues or found is None:
        return None, issues
    return Judgement(found, evidence, _text(row.assessor) or None), []


def check_judgements(
    doc: JudgementsDoc, pack: Pack, park_id: str, period: Period
) -> dict[str, Judgement]:
    """Return the judgements of ``doc`` by criterion, if it judges this pack, park and period.

    Raises
    ------
    JudgementsError
        Listing every problem, each with the file and place; nothing is applied.
    """
    issues = _header_issues(doc, pack, park_id, period)
    seen: set[str] = set()
    judged: dict[str, Judgement] = {}
    for row in doc.rows:
        judgement, problems = _row(doc, row, pack, seen)
        issues += problems
        if judgement is not None:
            judged[_text(row.criterion)] = judgement
    if issues:
        raise JudgementsError(issues)
    return judged
