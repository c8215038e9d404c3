"""The engine is a library: nothing in simulator/engine imports Flask, a database or a socket."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parents[1] / "simulator" / "engine"
FORBIDDEN = ("flask", "sqlalchemy", "socketio", "engineio", "flask_socketio", "werkzeug")


def module_name(path: Path) -> str:
    parts = path.relative_to(ENGINE.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source: str, package: str) -> list[tuple[int, str]]:
    """Every module `source` imports, relative imports resolved against `package`."""
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                prefix = ".".join(base)
                names = (
                    [f"{prefix}.{node.module}"]
                    if node.module
                    else [f"{prefix}.{alias.name}" for alias in node.names]
                )
            else:
                names = [node.module or ""]
            found.extend((node.lineno, name) for name in names)
    return found


def violation(name: str, allowed: tuple[str, ...] = ("simulator.engine",)) -> str | None:
    top = name.split(".")[0]
    if top in FORBIDDEN or top.startswith("flask_"):
        return "the engine must not depend on the web, database or socket layers"
    if top == "simulator" and not any(
        name == package or name.startswith(f"{package}.") for package in allowed
    ):
        return "the engine must not import the rest of the application"
    return None


ENGINE_FILES = sorted(ENGINE.rglob("*.py"))
IMPORTERS = ENGINE.parent / "importers"
IMPORTER_FILES = sorted(IMPORTERS.rglob("*.py"))


def test_the_engine_has_modules():
    assert ENGINE_FILES


@pytest.mark.parametrize("path", ENGINE_FILES, ids=lambda p: str(p.relative_to(ENGINE)))
def test_engine_module_imports_only_the_engine_and_libraries(path):
    package = module_name(path)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    problems = [
        f"{path.relative_to(ENGINE.parent.parent)}:{line}: imports {name}: {why}"
        for line, name in imported_modules(path.read_text(encoding="utf-8"), package)
        if (why := violation(name))
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", IMPORTER_FILES, ids=lambda p: str(p.relative_to(IMPORTERS)))
def test_importers_import_only_the_engine_importers_and_libraries(path):
    """Importers and exporters sit beside the engine: no Flask, no database, no sockets."""
    package = module_name(path).rpartition(".")[0] if path.name != "__init__.py" else None
    package = package or module_name(path)
    allowed = ("simulator.engine", "simulator.importers")
    problems = [
        f"{path.relative_to(ENGINE.parent.parent)}:{line}: imports {name}: {why}"
        for line, name in imported_modules(path.read_text(encoding="utf-8"), package)
        if (why := violation(name, allowed))
    ]
    assert not problems, "\n".join(problems)


def test_there_are_importers():
    assert any(p.name == "msel.py" for p in IMPORTER_FILES)


@pytest.mark.parametrize(
    ("source", "bad"),
    [
        ("import flask", True),
        ("from flask_sqlalchemy import SQLAlchemy", True),
        ("import sqlalchemy.orm", True),
        ("from socketio import Server", True),
        ("import engineio", True),
        ("from .. import models", True),
        ("from ..web import main", True),
        ("from simulator.extensions import db", True),
        ("from . import scenario", False),
        ("from .loader import load_directory", False),
        ("import simulator.engine.storm", False),
        ("import yaml, json", False),
    ],
)
def test_the_check_itself(source, bad):
    found = [violation(name) for _, name in imported_modules(source, "simulator.engine")]
    assert any(found) is bad
