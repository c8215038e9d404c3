"""The database as a server uses it."""

from sqlalchemy import text

from simulator.extensions import db


def test_sqlite_runs_in_wal_mode_and_a_writer_waits_for_another(app):
    """Readers do not wait for the writer, and a second writer waits (up to 5 s) instead of
    failing at once with 'database is locked'."""
    with app.app_context():
        assert db.session.scalar(text("PRAGMA journal_mode")) == "wal"
        assert db.session.scalar(text("PRAGMA busy_timeout")) == 5000
        assert db.session.scalar(text("PRAGMA synchronous")) == 2  # FULL: acks survive a power cut
