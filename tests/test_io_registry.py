"""One registry of record kinds (issue 13): the model declares, files and tables derive.

``sinergi.model.kinds`` declares every node, flow and record kind once; the Ecosystem's lists,
the file schema (``columns.yaml``) and the database tables must agree with it, and no other
module may keep its own list of record kinds.
"""

from __future__ import annotations

import ast
from dataclasses import fields
from pathlib import Path

from sinergi.io.columns import schema
from sinergi.model import Ecosystem
from sinergi.model.kinds import FILE_TABLES, NODE_KINDS, RECORD_KINDS, RECORD_LISTS, table_key
from sinergi.store import schema as store_schema

SRC = Path(__file__).resolve().parent.parent / "src" / "sinergi"


def test_the_ecosystem_holds_one_list_per_declared_record_kind() -> None:
    lists = [f.name for f in fields(Ecosystem) if f.name not in {"catalogue", "flows"}]
    nodes = [str(spec.kind) for spec in NODE_KINDS]
    assert lists == nodes + list(RECORD_LISTS)


def test_the_file_schema_follows_the_registry() -> None:
    assert tuple(t.name for t in schema().tables) == FILE_TABLES
    assert all(t.key == table_key(t.name) for t in schema().tables)


def test_the_database_has_one_table_per_record_kind_with_its_key() -> None:
    assert list(store_schema.record_tables) == list(RECORD_LISTS)
    for kind in RECORD_KINDS:
        table = store_schema.record_tables[kind.name]
        unique = [c for c in table.constraints if c.__class__.__name__ == "UniqueConstraint"]
        assert [tuple(col.name for col in u.columns) for u in unique] == [kind.key]


def _string_constants(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    return {
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }


def test_no_module_keeps_its_own_list_of_record_kinds() -> None:
    # before: model/network.py RECORD_LISTS, io/rows.py MODEL_CLASSES, store/schema.py
    # RECORD_CLASSES each listed the record kinds
    names = set(RECORD_LISTS) - {"training", "safety", "investment", "procurement"}
    listing = {
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if "migrations" not in path.parts and names <= _string_constants(path)
    }
    assert listing == {"model/kinds.py"}
