"""The migrations upgrade a database that already holds drills (SQLite)."""

import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def flask_db(url: str, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "simulator", "db", *args],
        cwd=ROOT,
        env={"STORMDRILL_DATABASE_URL": url, "PATH": "/usr/bin:/bin", "STORMDRILL_SECRET_KEY": "x"},
        check=True,
        capture_output=True,
    )


def test_upgrading_a_database_with_sessions_in_it(tmp_path):
    path = tmp_path / "old.db"
    url = f"sqlite:///{path}"
    flask_db(url, "upgrade", "ac1debb5b014")  # sessions and teams, before participants' actions
    with sqlite3.connect(path) as db:
        db.execute(
            "insert into trainer (id, name, password_hash, created_at) "
            "values (1, 't', 'x', '2026-01-01')"
        )
        db.execute(
            "insert into drill_session (id, trainer_id, name, scenario_slug, scenario_yaml, "
            "lang, seed, join_code, team_choice, status, speed, clock_sim, clock_wall, "
            "created_at, runner_until) values (1, 1, 's', 'x', 'y', 'fr', 1, 'ABCDEF', "
            "'pick', 'lobby', 1, 0, 0, '2026-01-01', 0)"
        )
        db.execute(
            "insert into team (id, session_id, name, position, seq, emitted_until, volume, "
            "aggression) values (1, 1, 'A', 0, 0, 0, 1, 0)"
        )
    flask_db(url, "upgrade")
    with sqlite3.connect(path) as db:
        assert db.execute("select action_seq from team").fetchone() == (0,)
        assert db.execute("select hotwash from drill_session").fetchone() == (0,)


def test_upgrading_renumbers_duplicate_team_action_numbers(tmp_path):
    """Action numbers doubled by the old read-then-write are renumbered in their order before
    the constraint that keeps them unique is added."""
    path = tmp_path / "doubled.db"
    url = f"sqlite:///{path}"
    flask_db(url, "upgrade", "a390ec9ac9fd")
    with sqlite3.connect(path) as db:
        db.execute(
            "insert into trainer (id, name, password_hash, created_at) "
            "values (1, 't', 'x', '2026-01-01')"
        )
        db.execute(
            "insert into drill_session (id, trainer_id, name, scenario_slug, scenario_yaml, "
            "lang, seed, join_code, team_choice, status, speed, clock_sim, clock_wall, "
            "created_at, runner_until, hotwash) values (1, 1, 's', 'x', 'y', 'fr', 1, 'ABCDEF', "
            "'pick', 'running', 1, 0, 0, '2026-01-01', 0, 0)"
        )
        for team in (1, 2):
            db.execute(
                "insert into team (id, session_id, name, position, seq, action_seq, "
                f"emitted_until, volume, aggression) values ({team}, 1, 'T', 0, 0, 2, 0, 1, 0)"
            )
        db.execute(
            "insert into participant (id, session_id, team_id, name, token_hash, joined_at, "
            "removed) values (1, 1, 1, 'Ana', 'h', '2026-01-01', 0)"
        )
        for id_, team, seq in ((1, 1, 1), (2, 1, 2), (3, 1, 2), (4, 2, 1), (5, 2, 2)):
            db.execute(
                "insert into action (id, team_id, participant_id, key, seq, type, text, status, "
                f"engine, sim_t, created_at) values ({id_}, {team}, 1, 'k{id_}', {seq}, 'chat', "
                "'', 'done', 0, 0, '2026-01-01')"
            )
    flask_db(url, "upgrade")
    with sqlite3.connect(path) as db:
        assert db.execute("select id, seq from action order by id").fetchall() == [
            (1, 1),
            (2, 2),
            (3, 3),
            (4, 1),
            (5, 2),
        ]
        assert db.execute("select action_seq from team order by id").fetchall() == [(3,), (2,)]
        try:
            db.execute(
                "insert into action (team_id, participant_id, key, seq, type, text, status, "
                "engine, sim_t, created_at) values (1, 1, 'again', 3, 'chat', '', 'done', 0, 0, "
                "'2026-01-01')"
            )
        except sqlite3.IntegrityError:
            pass
        else:
            raise AssertionError("a doubled team action number was accepted")
