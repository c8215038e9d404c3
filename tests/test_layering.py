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


# -- every package has a rank: imports run downward only ------------------------------------

SIMULATOR = ENGINE.parent
RANKS = {
    "simulator.engine": 0,  # pure library
    "simulator.importers": 0,  # beside the engine
    # small modules that know no database, no request and no socket
    "simulator.config": 1,
    "simulator.extensions": 1,
    "simulator.plaintext": 1,
    "simulator.feed": 1,
    "simulator.radar": 1,
    "simulator.presence": 1,
    "simulator.throttle": 1,
    "simulator.i18n": 1,
    "simulator.labels": 1,
    "simulator.network": 1,
    "simulator.wallclock": 1,
    "simulator.models": 2,
    "simulator.services": 3,  # use cases: the only place that commits
    "simulator.runner": 4,  # drives running sessions
    "simulator.sockets": 5,  # handlers: sockets and web know each other not
    "simulator.web": 5,
    "simulator.cli": 6,
    "simulator.cli_trainer": 6,
    "simulator": 6,  # the factory wires everything
}
SIBLINGS = {"simulator.sockets", "simulator.web"}  # same rank, and not to import each other
SIMULATOR_FILES = sorted(
    p for p in SIMULATOR.rglob("*.py") if "translations" not in p.relative_to(SIMULATOR).parts
)


def layer(module: str) -> str | None:
    """The ranked package `module` belongs to (the longest prefix in RANKS), if any."""
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        if (name := ".".join(parts[:n])) in RANKS:
            return name
    return None


def upward(importer: str, imported: str) -> str | None:
    if imported.split(".")[0] != "simulator":
        return None
    here, there = layer(importer), layer(imported)
    if there is None or here is None:
        return f"{imported} has no rank in RANKS"
    if there == "simulator" and here != "simulator":
        return "imports the app factory"
    if RANKS[there] > RANKS[here]:
        return f"{here} (rank {RANKS[here]}) imports {there} (rank {RANKS[there]})"
    if here != there and {here, there} <= SIBLINGS:
        return f"{here} imports {there}: they share nothing but what lies below them"
    return None


def _package_of(path: Path) -> tuple[str, str]:
    module = module_name(path)
    return module, module if path.name == "__init__.py" else module.rpartition(".")[0]


@pytest.mark.parametrize(
    "path", SIMULATOR_FILES, ids=lambda p: str(p.relative_to(SIMULATOR.parent))
)
def test_imports_run_downward(path):
    """engine and importers < helpers < models < services < runner < sockets and web < the
    factory and CLI; imports inside functions count too."""
    module, package = _package_of(path)
    assert layer(module) is not None, f"{module} has no rank: add its package to RANKS"
    problems = [
        f"{path.relative_to(SIMULATOR.parent)}:{line}: imports {name}: {why}"
        for line, name in imported_modules(path.read_text(encoding="utf-8"), package)
        if (why := upward(module, name))
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("importer", "source", "bad"),
    [
        ("simulator.web.api", "from ..sockets.trainer import apply_control", True),
        ("simulator.services.scenarios", "from ..web.main import catalogue", True),
        ("simulator.runner", "from .sockets import broadcast", True),
        ("simulator.sockets.play", "from ..runner import get_runner", False),
        ("simulator.services.sessions", "from .. import runner", True),
        ("simulator.services.sessions", "from ..runner import Runner", True),
        ("simulator.models", "from .services import sessions", True),
        ("simulator.models", "from .extensions import db", False),
        ("simulator.sockets.trainer", "from ..web import api", True),
        ("simulator.web.shared", "from ..services import broadcast", False),
        ("simulator.engine.storm", "from ..feed import Selector", True),
        ("simulator.services.actions", "import simulator", True),
        ("simulator.radar", "from .feed import fold", False),
        ("simulator.services.controls", "import flask", False),
    ],
)
def test_the_rank_check_itself(importer, source, bad):
    package = importer.rpartition(".")[0]
    found = [upward(importer, name) for _, name in imported_modules(source, package)]
    assert any(found) is bad, found


def test_every_package_of_the_app_has_a_rank():
    packages = {
        f"simulator.{p.relative_to(SIMULATOR).parts[0].removesuffix('.py')}"
        for p in SIMULATOR_FILES
        if p.name != "__init__.py" or p.parent != SIMULATOR
    }
    assert packages <= set(RANKS), sorted(packages - set(RANKS))
