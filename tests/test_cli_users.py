"""``sinergi users`` and ``sinergi audit`` speak the reader's language."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from sinergi.cli import app as cli

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'u.db'}"
    assert runner.invoke(cli, ["init", "--db", url]).exit_code == 0
    env = {"SINERGI_USER_PASSWORD": "a long enough secret"}
    args = ["users", "add", "ana", "--organisation", "kemenperin", "--organisation-kind"]
    added = runner.invoke(cli, [*args, "ministry", "--db", url], env=env)
    assert added.exit_code == 0, added.output
    return url


def test_users_and_audit_answer_in_indonesian(db: str) -> None:
    listed = runner.invoke(cli, ["users", "list", "--db", db, "--lang", "id"])
    assert listed.exit_code == 0, listed.output
    for word in ("1 pengguna", "organisasi", "aktif", "tanpa peran"):
        assert word in listed.output
    assert "user(s)" not in listed.output
    verified = runner.invoke(cli, ["audit", "verify", "--db", db, "--lang", "id"])
    assert verified.exit_code == 0
    assert "buku besar utuh" in verified.output


def test_a_short_password_is_refused_in_the_readers_language(db: str) -> None:
    args = ["users", "add", "bob", "--organisation", "kemenperin", "--db", db, "--lang", "id"]
    result = runner.invoke(cli, args, env={"SINERGI_USER_PASSWORD": "short"})
    assert result.exit_code == 2
    assert "kata sandi harus paling sedikit 12 karakter" in result.output


def test_protect_on_sqlite_is_a_usage_error_in_english_by_default(db: str) -> None:
    result = runner.invoke(cli, ["audit", "protect", "sinergi_app", "--db", db])
    assert result.exit_code == 2
    assert "protect is for PostgreSQL" in result.output
