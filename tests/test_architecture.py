"""The import rules of docs/architecture.md, checked on the source (AST, no imports run).

Layers, lowest first: base (errors, units, i18n) → reference → model → engines (assess,
footprint, symbiosis, circularity) and the file and database layers (io, store, intake, examples,
demo ecosystem) → reports and the demo job → the web service → cli. A module may import its own
package and any layer its rules list; engines never import each other, the store, io, reports or
the CLI, and never write files or render HTML.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "sinergi"

BASE = {"sinergi", "sinergi.errors", "sinergi.units", "sinergi.i18n"}
ENGINES = {
    "assess",
    "footprint",
    "symbiosis",
    "circularity",
    "emobility",
    "national",
    "custody",
    "passport",
}

#: What each top-level package may import (beyond itself and the base modules).
ALLOWED: dict[str, set[str]] = {
    "": set(),
    "errors": set(),
    "units": set(),
    "i18n": set(),
    "data": set(),
    "reference": {"data"},
    "model": {"reference", "data"},
    **{engine: {"model", "reference", "data"} for engine in ENGINES},
    # custody files are read into the custody engine's lots, events and models
    "io": {"model", "reference", "data", "custody"},
    # the custody tables hold the custody engine's lots and events, re-checked on reading
    "store": {"model", "reference", "data", "custody"},
    "intake": {"io", "store", "model", "reference", "data"},
    "examples": {"model", "reference", "data"},
    "demo": {
        "model",
        "reference",
        "data",
        *ENGINES,
        "io",
        "store",
        "intake",
        "reports",
        "examples",
    },
    "reports": {
        "model",
        "reference",
        "data",
        *ENGINES,
        "io",
        "store",
        "intake",
        "demo",
        "examples",
    },
    "web": {
        "model",
        "reference",
        "data",
        *ENGINES,
        "io",
        "store",
        "intake",
        "reports",
    },
    "cli": {
        "web",
        "model",
        "reference",
        "data",
        *ENGINES,
        "io",
        "store",
        "intake",
        "demo",
        "reports",
        "examples",
    },
}

#: Modules outside the engines that describe the demonstration ecosystem only (no engine).
DEMO_MODEL = {
    "sinergi.demo.ecosystem",
    "sinergi.demo.nickel",
    "sinergi.demo.tenants",
    "sinergi.demo.reference",
    "sinergi.demo.synth",
}

#: Libraries an engine must not use: they render, print or parse command lines.
PRESENTATION = {"jinja2", "weasyprint", "rich", "typer", "click"}

#: Known violations being removed; each entry is (module, imported module). Must end empty.
KNOWN: set[tuple[str, str]] = set()


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _modules() -> dict[str, Path]:
    found = {}
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        rel = path.relative_to(SRC.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _imports(path: Path, module: str) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                if path.name != "__init__.py":
                    base = base[:-1]
                base = base[: len(base) - node.level + 1]
                names.add(".".join([*base, node.module] if node.module else base))
            elif node.module:
                names.add(node.module)
    return names


def _is_base(name: str) -> bool:
    return name in BASE or any(name.startswith(b + ".") for b in BASE - {"sinergi"})


def _layer(module: str) -> str:
    if module in DEMO_MODEL:
        return "examples"
    package = _package(module)
    return package.removeprefix("cli_").replace("cli_output", "cli") if package else ""


def _violations() -> list[tuple[str, str]]:
    found = []
    for module, path in sorted(_modules().items()):
        layer = _layer(module)
        if module.startswith("sinergi.cli") or module == "sinergi.__main__":
            layer = "cli"  # ``python -m sinergi`` is the CLI's other entry point
        allowed = ALLOWED.get(layer)
        if allowed is None:
            found.append((module, "<package missing from the layer table>"))
            continue
        for name in sorted(_imports(path, module)):
            top = name.split(".")[0]
            if layer in ENGINES and top in PRESENTATION:
                found.append((module, name))
                continue
            if top != "sinergi" or _is_base(name):
                continue
            target = _layer(name) if name not in DEMO_MODEL else "examples"
            if name.startswith("sinergi.cli"):
                target = "cli"
            if target in (layer, "") or target in allowed:
                continue
            if layer == "demo" and module in DEMO_MODEL:
                continue
            found.append((module, name))
    return found


def test_every_module_respects_the_layer_rules() -> None:
    violations = set(_violations())
    assert sorted(violations - KNOWN) == []
    assert sorted(KNOWN - violations) == [], "a known violation is gone: delete it from KNOWN"


def _writes_files(path: Path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"))
    calls = []
    for node in ast.walk(tree):
        writer = {"write_text", "write_bytes", "mkdir"}
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and (node.func.attr in writer)
        ):
            calls.append(f"{path.name}:{node.lineno} .{node.func.attr}()")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            mode = node.args[1] if node.func.id == "open" and len(node.args) > 1 else None
            if isinstance(mode, ast.Constant) and "w" in str(mode.value):
                calls.append(f"{path.name}:{node.lineno} open(…, 'w')")
    return calls


#: Engine modules that still write files (being moved to reports/ and the demo job). Must end empty.
KNOWN_WRITERS: set[str] = set()


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_engines_never_write_files(engine: str) -> None:
    writers = {
        f"{engine}/{call.split(':')[0]}"
        for path in (SRC / engine).rglob("*.py")
        for call in _writes_files(path)
    }
    known = {w for w in KNOWN_WRITERS if w.startswith(f"{engine}/")}
    assert sorted(writers - known) == []
    assert sorted(known - writers) == [], "a known writer is gone: delete it from KNOWN_WRITERS"


def test_importing_the_store_loads_no_solver_or_engine() -> None:
    code = "import sys, sinergi.store; print(' '.join(sorted(sys.modules)))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    heavy = [m for m in loaded if m.split(".")[0] in {"highspy", "scipy"}]
    engines = [m for m in loaded if _package(m) in ENGINES and m.startswith("sinergi.")]
    assert heavy == []
    assert engines == []
