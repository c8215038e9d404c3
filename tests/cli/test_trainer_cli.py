"""`flask --app simulator trainer ...`, and the login link `run.py` prints at start-up."""

from __future__ import annotations

import logging
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import inspect

from simulator import config as settings
from simulator import create_app
from simulator.cli_trainer import (
    announce_login,
    init_app,
    join_lines,
    prepare_database,
)
from simulator.extensions import db
from simulator.network import is_loopback, lan_address, public_host
from simulator.services import accounts

ROOT = Path(__file__).resolve().parents[2]
LINK = re.compile(r"(http://\S+)/login/([\w-]{40,})")


@pytest.fixture
def app(make_app):
    app = make_app()
    if "trainer" not in app.cli.commands:  # until create_app registers it
        init_app(app)
    return app


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def run(*args: str, input: str | None = None):
        return runner.invoke(args=["trainer", *args], input=input)

    return run


def link_token(output: str, base: str = "http://127.0.0.1:5000") -> str:
    match = LINK.search(output)
    assert match, output
    assert match.group(1) == base
    return match.group(2)


def opens(app, token: str) -> bool:
    """Whether the login link works in a browser (it then stops working)."""
    response = app.test_client().get(f"/login/{token}")
    return response.status_code == 302


# trainer create


def test_create_prints_a_generated_password_and_a_login_link(app, cli):
    result = cli("create", "Alice")
    assert result.exit_code == 0, result.output
    assert "Trainer 'Alice' created." in result.output
    password = re.search(r"^Password: (\S+)$", result.output, re.M).group(1)
    assert "valid 15 minutes" in result.output
    with app.app_context():
        assert accounts.authenticate("Alice", password)
    token = link_token(result.output)
    assert opens(app, token)
    assert not opens(app, token)


def test_create_reads_the_password_from_stdin(app, cli):
    result = cli("create", "Alice", "--password-stdin", input="my long password\n")
    assert result.exit_code == 0, result.output
    assert "Password:" not in result.output
    assert "my long password" not in result.output
    with app.app_context():
        assert accounts.authenticate("Alice", "my long password")


def test_create_with_a_base_url(cli):
    result = cli("create", "Alice", "--base-url", "http://192.168.1.20:8000/")
    link_token(result.output, base="http://192.168.1.20:8000")


def test_create_refuses_a_taken_name(cli):
    cli("create", "Alice")
    result = cli("create", " Alice ")
    assert result.exit_code == 1
    assert "Error: a trainer is already called 'Alice'" in result.output
    assert "Traceback" not in result.output and result.exception.__class__ is SystemExit


@pytest.mark.parametrize(
    ("name", "stdin", "message"),
    [
        ("  ", None, "the name is empty"),
        ("x" * 81, None, "longer than 80 characters"),
        ("Alice", "short\n", "at least 8 characters"),
        ("Alice", "", "no password on standard input"),
        ("Al\tice", None, "'name' contains a control character (U+0009)"),
        ("Al\x1bice", None, "'name' contains a control character (U+001B)"),
        ("Al\u009bice", None, "'name' contains a control character (U+009B)"),
    ],
)
def test_create_explains_what_is_wrong(app, cli, name, stdin, message):
    args = ("create", name, "--password-stdin") if stdin is not None else ("create", name)
    result = cli(*args, input=stdin)
    assert result.exit_code == 1
    assert message in result.output
    with app.app_context():
        assert accounts.get_trainer("Alice") is None


# trainer reset-password


def test_reset_password_prints_the_new_one(app, cli):
    cli("create", "Alice", "--password-stdin", input="old password\n")
    result = cli("reset-password", "Alice")
    assert result.exit_code == 0, result.output
    password = re.search(r"^Password: (\S+)$", result.output, re.M).group(1)
    with app.app_context():
        assert accounts.authenticate("Alice", password)
        assert not accounts.authenticate("Alice", "old password")


def test_reset_password_from_stdin(app, cli):
    cli("create", "Alice")
    result = cli("reset-password", "Alice", "--password-stdin", input="a new password\r\n")
    assert result.exit_code == 0, result.output
    assert "Password:" not in result.output
    with app.app_context():
        assert accounts.authenticate("Alice", "a new password")


def test_reset_password_of_an_unknown_trainer(cli):
    result = cli("reset-password", "nobody")
    assert result.exit_code == 1
    assert "Error: no trainer is called 'nobody'" in result.output


# trainer login-link


def test_login_link_prints_a_link_that_works_once(app, cli):
    cli("create", "Alice")
    result = cli("login-link", "Alice")
    assert result.exit_code == 0, result.output
    token = link_token(result.output)
    assert opens(app, token)
    assert not opens(app, token)


def test_a_new_login_link_replaces_the_previous_one(app, cli):
    first = link_token(cli("create", "Alice").output)
    second = link_token(
        cli("login-link", "Alice", "--base-url", "http://10.0.0.5:5000").output,
        base="http://10.0.0.5:5000",
    )
    assert not opens(app, first)
    assert opens(app, second)


def test_login_link_of_an_unknown_trainer(cli):
    result = cli("login-link", "nobody")
    assert result.exit_code == 1
    assert "Error: no trainer is called 'nobody'" in result.output


# trainer token


def api_scenarios(app, token: str) -> int:
    headers = {"Authorization": f"Bearer {token}"}
    return app.test_client().get("/api/v1/scenarios", headers=headers).status_code


def test_token_prints_a_working_api_token_alone_on_stdout(app, cli):
    cli("create", "Alice")
    result = cli("token", " Alice ")
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    assert re.fullmatch(r"[\w-]{40,}", token)
    assert "replaces any earlier one" in result.stderr
    assert api_scenarios(app, token) == 200
    again = cli("token", "Alice").stdout.strip()
    assert api_scenarios(app, again) == 200 and api_scenarios(app, token) == 401


def test_token_of_an_unknown_trainer(cli):
    result = cli("token", "Nobody")
    assert result.exit_code == 1 and result.stdout == ""
    assert "no trainer is called 'Nobody'" in result.output


def test_a_database_without_tables_is_a_clear_error(tmp_path):
    config = settings.TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'empty.db'}"
    app = create_app(config)
    if "trainer" not in app.cli.commands:
        init_app(app)
    result = app.test_cli_runner().invoke(args=["trainer", "create", "Alice"])
    assert result.exit_code == 1
    assert "the database is not ready (run `flask --app simulator db upgrade`)" in result.output
    with app.app_context():
        db.engine.dispose()


# What run.py prints


def test_announce_login_creates_the_first_trainer_and_prints_its_password(app):
    lines: list[str] = []
    link = announce_login(app, "127.0.0.1", 5077, echo=lines.append)
    assert len(lines) == 2
    password = re.fullmatch(r"Created the trainer account 'trainer', password: (\S+)", lines[0])
    assert password
    assert lines[1] == f"Trainer login: {link}"
    token = link_token(link, base="http://127.0.0.1:5077")
    with app.app_context():
        assert accounts.authenticate("trainer", password.group(1))
    assert opens(app, token)


def test_announce_login_prints_a_fresh_link_every_start(app):
    first: list[str] = []
    second: list[str] = []
    old = announce_login(app, "127.0.0.1", 5000, echo=first.append)
    new = announce_login(app, "127.0.0.1", 5000, echo=second.append)
    assert second == [f"Trainer login: {new}"]  # no password: the trainer exists
    assert old != new
    assert not opens(app, link_token(old))
    assert opens(app, link_token(new))


def test_announce_login_uses_an_existing_trainer(app):
    with app.app_context():
        accounts.create_trainer("Alice", "alice's password")
    lines: list[str] = []
    link = announce_login(app, "127.0.0.1", 5000, echo=lines.append)
    assert lines == [f"Trainer login: {link}"]
    with app.app_context():
        assert accounts.get_trainer("trainer") is None


def test_on_every_interface_the_link_uses_the_lan_address(app):
    lines: list[str] = []
    announce_login(app, "0.0.0.0", 5000, echo=lines.append, lan=lambda: "192.168.1.20")
    assert lines[-1].startswith("Trainer login: http://192.168.1.20:5000/login/")


def test_without_a_lan_address_the_link_uses_localhost(app):
    lines: list[str] = []
    announce_login(app, "0.0.0.0", 5000, echo=lines.append, lan=lambda: None)
    assert lines[-1].startswith("Trainer login: http://127.0.0.1:5000/login/")


@pytest.mark.parametrize(
    ("host", "shown"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("192.168.1.9", "192.168.1.9"),
        ("::1", "[::1]"),
        ("0.0.0.0", "10.1.2.3"),
        ("::", "10.1.2.3"),
    ],
)
def test_public_host(host, shown):
    assert public_host(host, lan=lambda: "10.1.2.3") == shown


def test_on_loopback_run_py_says_phones_cannot_join_and_how_to_fix_it():
    lines = join_lines("127.0.0.1", 5000, lan=lambda: "192.168.1.20")
    assert "phones in the room cannot join" in lines[0]
    assert "`make run HOST=0.0.0.0`" in lines[1]
    assert lines[1].endswith("they will join at http://192.168.1.20:5000/join")
    assert "`make run HOST=0.0.0.0`" in join_lines("::1", 5000, lan=lambda: None)[1]


def test_on_every_interface_run_py_prints_the_lan_address_to_join():
    assert join_lines("0.0.0.0", 5077, lan=lambda: "192.168.1.20") == [
        "Participants join at http://192.168.1.20:5077/join (this computer on the LAN)"
    ]
    assert "No local network address found" in join_lines("0.0.0.0", 5077, lan=lambda: None)[0]
    assert join_lines("10.0.0.5", 80, lan=lambda: None) == [
        "Participants join at http://10.0.0.5:80/join"
    ]


def test_lan_address_is_a_non_loopback_address_or_none():
    address = lan_address()
    if address is not None:
        socket.inet_aton(address)
        assert not address.startswith("127.")


def test_prepare_database_runs_the_migrations_on_an_empty_database(tmp_path):
    config = settings.TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'fresh.db'}"
    app = create_app(config)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    assert prepare_database(app) is True
    # Alembic's logging config is undone: nobody's logger is switched off
    assert not app.logger.disabled and not logging.getLogger("simulator").disabled
    assert root.handlers == handlers and root.level == level
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
        assert {"trainer", "alembic_version", "drill_session"} <= tables
    assert prepare_database(app) is False
    with app.app_context():
        db.engine.dispose()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_run_py_prepares_a_fresh_database_and_prints_a_working_login_link(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "STORMDRILL_ENV": "production",
        "STORMDRILL_DATABASE_URL": f"sqlite:///{tmp_path / 'run.db'}",
        "STORMDRILL_SECRET_KEY": "run-py-test",
        "PYTHONUNBUFFERED": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "run.py", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip("\n"))
            if line.startswith("Trainer login: "):
                break
    finally:
        process.terminate()
        process.communicate(timeout=10)
    output = "\n".join(lines)
    assert "Created the database tables." in output
    assert "Created the trainer account 'trainer', password: " in output
    assert lines[-1].startswith(f"Trainer login: http://127.0.0.1:{port}/login/"), output
    assert "`make run HOST=0.0.0.0`" in output  # on loopback, phones cannot join: how to fix


@pytest.mark.parametrize(
    "host, loopback",
    [
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("localhost", True),
        ("LOCALHOST", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("192.168.1.20", False),
        ("[fe80::1]", False),
        ("stormdrill.example", False),
    ],
)
def test_loopback_is_told_apart_from_the_room_network(host, loopback):
    """One rule for the start-up lines and the projector's warning."""
    assert is_loopback(host) is loopback
    assert join_lines(host, 5000, lan=lambda: "10.1.2.3")[0].startswith("Only") is loopback
