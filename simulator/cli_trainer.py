"""Trainer accounts from the command line, and what `run.py` prints at start-up.

`flask --app simulator trainer create NAME [--password-stdin]`, `trainer reset-password NAME
[--password-stdin]`, `trainer login-link NAME [--base-url URL]`, `trainer token NAME`.
"""

from __future__ import annotations

import logging
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import inspect
from sqlalchemy.exc import OperationalError, ProgrammingError

from .extensions import db
from .network import is_loopback, lan_address, public_host
from .services import accounts
from .web.auth import login_url

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"

trainer_cli = AppGroup(
    "trainer", help="Trainer accounts: create, reset a password, log in, API token."
)


def _default_base_url() -> str:
    return f"http://127.0.0.1:{current_app.config.get('PORT', 5000)}"


def _read_password() -> str:
    """One line from standard input, without its line ending: `--password-stdin`."""
    line = sys.stdin.readline()
    password = line.removesuffix("\n").removesuffix("\r")
    if not password:
        raise click.ClickException("no password on standard input")
    return password


def _fail(exc: Exception) -> click.ClickException:
    if isinstance(exc, OperationalError | ProgrammingError):
        return click.ClickException(
            "the database is not ready (run `flask --app simulator db upgrade`)"
        )
    return click.ClickException(str(exc))


def _link_lines(trainer, base_url: str) -> list[str]:
    token = accounts.issue_login_link(trainer)
    minutes = int(accounts.LOGIN_LINK_TTL.total_seconds() // 60)
    return [
        f"One-time login link (valid {minutes} minutes): {login_url(base_url, token)}",
    ]


_password_stdin = click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input instead of generating one.",
)
_base_url = click.option(
    "--base-url",
    metavar="URL",
    help="The server's address, for the login link (default: http://127.0.0.1:PORT).",
)


@trainer_cli.command("create")
@click.argument("name")
@_password_stdin
@_base_url
def create(name: str, password_stdin: bool, base_url: str | None) -> None:
    """Create the trainer NAME; print its password (if generated) and a login link."""
    password = _read_password() if password_stdin else None
    try:
        trainer, generated = accounts.create_trainer(name, password)
        lines = _link_lines(trainer, base_url or _default_base_url())
    except (accounts.AccountError, OperationalError, ProgrammingError) as exc:
        db.session.rollback()
        raise _fail(exc) from None
    click.echo(f"Trainer {trainer.name!r} created.")
    if generated:
        click.echo(f"Password: {generated}")
    for line in lines:
        click.echo(line)


@trainer_cli.command("reset-password")
@click.argument("name")
@_password_stdin
def reset_password(name: str, password_stdin: bool) -> None:
    """Give the trainer NAME a new password (printed when it is generated)."""
    password = _read_password() if password_stdin else None
    try:
        trainer, generated = accounts.reset_password(name, password)
    except (accounts.AccountError, OperationalError, ProgrammingError) as exc:
        db.session.rollback()
        raise _fail(exc) from None
    click.echo(f"Password of {trainer.name!r} changed.")
    if generated:
        click.echo(f"Password: {generated}")


@trainer_cli.command("login-link")
@click.argument("name")
@_base_url
def login_link(name: str, base_url: str | None) -> None:
    """Print a one-time login link for the trainer NAME (it replaces any earlier one)."""
    try:
        trainer = accounts.get_trainer(name)
        if trainer is None:
            raise accounts.AccountError("unknown_trainer", f"no trainer is called {name.strip()!r}")
        lines = _link_lines(trainer, base_url or _default_base_url())
    except (accounts.AccountError, OperationalError, ProgrammingError) as exc:
        db.session.rollback()
        raise _fail(exc) from None
    for line in lines:
        click.echo(line)


@trainer_cli.command("token")
@click.argument("name")
def token(name: str) -> None:
    """Create an API token for the trainer NAME and print it alone on standard output.

    It replaces the trainer's earlier token, as the Account page does. Scripts read it with
    TOKEN=$(flask --app simulator trainer token NAME).
    """
    try:
        trainer = accounts.get_trainer(name)
        if trainer is None:
            raise accounts.AccountError("unknown_trainer", f"no trainer is called {name.strip()!r}")
        new = accounts.issue_api_token(trainer)
    except (accounts.AccountError, OperationalError, ProgrammingError) as exc:
        db.session.rollback()
        raise _fail(exc) from None
    click.echo(f"API token of {trainer.name!r} (it replaces any earlier one):", err=True)
    click.echo(new)


def init_app(app: Flask) -> None:
    app.cli.add_command(trainer_cli)


# What run.py does before serving.


def prepare_database(app: Flask) -> bool:
    """Create the tables with the migrations when the database has none; True if it did."""
    import flask_migrate  # Alembic is only needed here, on a fresh database

    with app.app_context():
        if inspect(db.engine).get_table_names():
            return False
        # Alembic's env.py applies alembic.ini's logging config, which disables every
        # existing logger and replaces the root's handlers: put them back afterwards.
        root = logging.getLogger()
        handlers, level = root.handlers[:], root.level
        loggers = logging.root.manager.loggerDict.values()
        disabled = {lg: lg.disabled for lg in loggers if isinstance(lg, logging.Logger)}
        try:
            with warnings.catch_warnings():  # env.py tries Flask-SQLAlchemy 2's get_engine first
                warnings.filterwarnings("ignore", "'get_engine' is deprecated", DeprecationWarning)
                flask_migrate.upgrade(directory=str(MIGRATIONS))
        finally:
            for logger, was_disabled in disabled.items():
                logger.disabled = was_disabled
            root.handlers[:] = handlers
            root.setLevel(level)
        return True


def join_lines(host: str, port: int, lan: Callable[[], str | None] = lan_address) -> list[str]:
    """Where the participants' phones join, or why they cannot and how to fix it."""
    address = lan()
    if is_loopback(host):
        lines = [
            f"Only this computer can open http://{public_host(host)}:{port}/: "
            "phones in the room cannot join.",
            "To let them join, stop (Ctrl+C) and restart with `make run HOST=0.0.0.0`"
            " (or `python run.py --host 0.0.0.0`)",
        ]
        if address:
            lines[-1] += f"; they will join at http://{address}:{port}/join"
        return lines
    if host in ("0.0.0.0", "", "::"):
        if address is None:
            return [
                "No local network address found: phones cannot join. Connect this computer to "
                "the room's Wi-Fi, then restart Stormdrill."
            ]
        return [f"Participants join at http://{address}:{port}/join (this computer on the LAN)"]
    return [f"Participants join at http://{public_host(host)}:{port}/join"]


def announce_login(
    app: Flask,
    host: str,
    port: int,
    echo: Callable[[str], object] = print,
    lan: Callable[[], str | None] = lan_address,
) -> str:
    """Make sure a trainer exists and print a fresh one-time login link; return the link.

    The first trainer's generated password is printed too, the one time it is created.
    """
    base_url = f"http://{public_host(host, lan)}:{port}"
    with app.app_context():
        trainer, created = accounts.ensure_first_trainer(password := accounts.generate_password())
        link = login_url(base_url, accounts.issue_login_link(trainer))
        if created:
            echo(f"Created the trainer account {trainer.name!r}, password: {password}")
        echo(f"Trainer login: {link}")
    return link
