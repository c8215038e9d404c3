"""The database as a server uses it."""

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from simulator.extensions import db

ROOT = Path(__file__).resolve().parents[1]


def test_sqlite_runs_in_wal_mode_and_a_writer_waits_for_another(app):
    """Readers do not wait for the writer, and a second writer waits (up to 5 s) instead of
    failing at once with 'database is locked'."""
    with app.app_context():
        assert db.session.scalar(text("PRAGMA journal_mode")) == "wal"
        assert db.session.scalar(text("PRAGMA busy_timeout")) == 5000
        assert db.session.scalar(text("PRAGMA synchronous")) == 2  # FULL: acks survive a power cut


# -- migrations: scenario versions ------------------------------------------------------------

BEFORE_VERSIONS = "7f3a1c9e5b20"


def _flask_db(url: str, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "simulator", "db", *args],
        cwd=ROOT,
        env={"STORMDRILL_DATABASE_URL": url, "PATH": "/usr/bin:/bin", "STORMDRILL_SECRET_KEY": "x"},
        check=True,
        capture_output=True,
    )


def _upgrades_stored_scenarios_to_version_one(url: str) -> None:
    _flask_db(url, "upgrade", BEFORE_VERSIONS)
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "insert into trainer (id, name, password_hash, created_at) "
                    "values (1, 't', 'x', '2026-01-01')"
                )
            )
            conn.execute(
                text(
                    "insert into scenario_upload (trainer_id, slug, yaml_text, created_at) "
                    "values (1, 'mine', 'id: mine', '2026-01-01'), (1, 'other', 'id: other', "
                    "'2026-01-02')"
                )
            )
        _flask_db(url, "upgrade")
        with engine.begin() as conn:
            rows = conn.execute(
                text("select slug, version, origin from scenario_upload order by slug")
            ).all()
            assert [tuple(r) for r in rows] == [("mine", 1, ""), ("other", 1, "")]
            conn.execute(
                text(
                    "insert into scenario_upload (trainer_id, slug, version, yaml_text, origin, "
                    "created_at) values (1, 'mine', 2, 'id: mine # 2', 'editor', '2026-01-03')"
                )
            )
            assert conn.execute(text("select scenario_version from drill_session")).all() == []
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(
                text(
                    "insert into scenario_upload (trainer_id, slug, version, yaml_text, origin, "
                    "created_at) values (1, 'mine', 2, 'again', '', '2026-01-04')"
                )
            )
        _flask_db(url, "downgrade", BEFORE_VERSIONS)  # keeps each scenario's latest version
        with engine.begin() as conn:
            rows = conn.execute(text("select slug, yaml_text from scenario_upload order by slug"))
            assert [tuple(r) for r in rows] == [("mine", "id: mine # 2"), ("other", "id: other")]
    finally:
        engine.dispose()


def test_scenarios_stored_before_versions_become_version_one_on_sqlite(tmp_path):
    _upgrades_stored_scenarios_to_version_one(f"sqlite:///{tmp_path / 'old.db'}")


@pytest.mark.postgres
def test_scenarios_stored_before_versions_become_version_one_on_postgres(postgres_url):
    _upgrades_stored_scenarios_to_version_one(postgres_url)
