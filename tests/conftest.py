"""Fixtures shared by every test: `app` (a fresh app on a temporary database) and `client`."""

from __future__ import annotations

import os
import socket
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from simulator import create_app
from simulator.config import TestingConfig
from simulator.extensions import db

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "simulator" / "translations"


def pytest_sessionstart(session: pytest.Session) -> None:
    """Compile stale .mo files, as `make translations` does, so that pytest alone works."""
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as f:
                catalog = read_po(f)
            with mo.open("wb") as f:
                write_mo(f, catalog, use_fuzzy=True)


POSTGRES_URL = os.environ.get(
    "STORMDRILL_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("STORMDRILL_TEST_REDIS", "redis://127.0.0.1:6379/0")


@pytest.fixture
def postgres_url():
    """The URL of a PostgreSQL database of this test's own, created empty and dropped after:
    tests never touch a schema that another run (or another helper) may be using."""
    import psycopg

    parts = urlsplit(POSTGRES_URL)
    name = f"stormdrill_{uuid.uuid4().hex[:12]}"
    admin = urlunsplit(parts._replace(scheme="postgresql"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Tests marked postgres or redis skip without the service, except on CI where it fails."""
    for marker, port in (("postgres", 5432), ("redis", 6379)):
        if item.get_closest_marker(marker) and not _reachable("127.0.0.1", port):
            message = f"{marker} is not running on 127.0.0.1:{port}"
            if os.environ.get("CI") == "true":
                pytest.fail(f"{message} (CI=true: a missing service is a failure)")
            pytest.skip(message)


@pytest.fixture
def make_app(tmp_path: Path):
    """Build apps with TestingConfig, each on its own temporary database, tables created."""
    apps = []

    def make(**overrides):
        config = TestingConfig()
        config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / f'stormdrill-{len(apps)}.db'}"
        for key, value in overrides.items():
            setattr(config, key, value)
        app = create_app(config)
        with app.app_context():
            db.create_all()
        apps.append(app)
        return app

    yield make
    for app in apps:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()
