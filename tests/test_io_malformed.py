"""Every malformed file of ``io_cases.CASES`` is rejected with exactly the located issues."""

from __future__ import annotations

from pathlib import Path

import pytest

from io_cases import CASES, Case
from sinergi.errors import InputError, UnsafeInput
from sinergi.io import Issue, IssueCode, read_file


def _located(issue: Issue) -> tuple[str, str | None, int | None, str | None]:
    return (issue.code, issue.sheet, issue.row, issue.field or issue.column)


def test_there_are_at_least_thirty_cases_with_unique_names() -> None:
    assert len(CASES) >= 30
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_malformed_file_is_rejected_with_located_issues(case: Case, tmp_path: Path) -> None:
    path = case.write(tmp_path)
    if case.refused:
        with pytest.raises(UnsafeInput):
            read_file(path)
        return
    with pytest.raises(InputError) as caught:
        read_file(path)
    issues = caught.value.issues
    assert all(isinstance(issue, Issue) for issue in issues)
    assert sorted(map(_located, issues), key=str) == sorted(case.expected, key=str)


@pytest.mark.parametrize("case", [c for c in CASES if not c.refused], ids=lambda c: c.name)
def test_every_issue_has_a_known_code_both_languages_and_the_file_name(
    case: Case, tmp_path: Path
) -> None:
    path = case.write(tmp_path)
    with pytest.raises(InputError) as caught:
        read_file(path)
    codes = {code.value for code in IssueCode}
    for issue in caught.value.issues:
        assert isinstance(issue, Issue)
        assert issue.code in codes
        assert issue.file == path.name
        assert issue.message_en
        assert issue.message_id
        assert issue.message_en != issue.message_id
        assert str(issue).startswith(path.name)
