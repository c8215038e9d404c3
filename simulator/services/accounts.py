"""Trainer accounts: passwords, one-time login links, API tokens, and the login key.

The only module that commits changes to trainers. Tokens are never stored: only the
SHA-256 of each, so a copy of the database opens nothing. Errors are `AccountError`s with a
`code` the web layer translates and an English message the command line prints.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import Trainer
from ..plaintext import refusal

NAME_MAX = 80
PASSWORD_MIN = 8
PASSWORD_MAX = 1024  # hashing megabytes of "password" is a cheap denial of service
LOGIN_LINK_TTL = timedelta(minutes=15)
FIRST_TRAINER = "trainer"

# Checked against when the name is unknown, so that a wrong name costs as long as a wrong
# password and timing does not tell which names exist.
_DUMMY_HASH = generate_password_hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """A request about an account that cannot be met; `code` names the reason."""

    def __init__(self, code: str, message: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    # SQLite hands timezone-aware columns back naive; they were stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def generate_password() -> str:
    """A random password of 16 URL-safe characters, easy to copy from a terminal."""
    return secrets.token_urlsafe(12)


def clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise AccountError("name_empty", "the name is empty")
    if len(name) > NAME_MAX:
        raise AccountError(
            "name_too_long", f"the name is longer than {NAME_MAX} characters", max=NAME_MAX
        )
    if why := refusal("name", name, one_line=True):
        raise AccountError("name_invalid", why)
    return name


def check_new_password(password: str) -> None:
    if len(password) < PASSWORD_MIN:
        raise AccountError(
            "password_too_short",
            f"the password must be at least {PASSWORD_MIN} characters long",
            min=PASSWORD_MIN,
        )
    if len(password) > PASSWORD_MAX:
        raise AccountError(
            "password_too_long",
            f"the password must be at most {PASSWORD_MAX} characters long",
            max=PASSWORD_MAX,
        )


def get_trainer(name: str) -> Trainer | None:
    return db.session.scalar(select(Trainer).where(Trainer.name == (name or "").strip()))


def _require(name: str) -> Trainer:
    trainer = get_trainer(name)
    if trainer is None:
        raise AccountError("unknown_trainer", f"no trainer is called {name.strip()!r}")
    return trainer


def create_trainer(name: str, password: str | None = None) -> tuple[Trainer, str | None]:
    """A new trainer; without `password`, one is generated and returned (else None)."""
    name = clean_name(name)
    generated = None
    if password is None:
        password = generated = generate_password()
    check_new_password(password)
    taken = AccountError("name_taken", f"a trainer is already called {name!r}", name=name)
    if get_trainer(name) is not None:
        raise taken
    trainer = Trainer(name=name, password_hash=generate_password_hash(password))
    db.session.add(trainer)
    try:
        db.session.commit()
    except IntegrityError:  # created by someone else in the meantime
        db.session.rollback()
        raise taken from None
    return trainer, generated


def reset_password(name: str, password: str | None = None) -> tuple[Trainer, str | None]:
    """Set a trainer's password; without `password`, one is generated and returned."""
    trainer = _require(name)
    generated = None
    if password is None:
        password = generated = generate_password()
    check_new_password(password)
    trainer.password_hash = generate_password_hash(password)
    db.session.commit()
    return trainer, generated


def authenticate(name: str, password: str) -> Trainer | None:
    trainer = get_trainer(name) if len(name or "") <= NAME_MAX else None
    if len(password or "") > PASSWORD_MAX:
        return None
    if trainer is None:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    return trainer if check_password_hash(trainer.password_hash, password or "") else None


def change_password(trainer: Trainer, old: str, new: str) -> None:
    if len(old or "") > PASSWORD_MAX or not check_password_hash(trainer.password_hash, old or ""):
        raise AccountError("wrong_password", "the current password is wrong")
    check_new_password(new)
    trainer.password_hash = generate_password_hash(new)
    db.session.commit()


def ensure_first_trainer(password: str | None = None) -> tuple[Trainer, bool]:
    """The first trainer, creating "trainer" when there is none yet; and whether it was.

    Pass the `password` to give it (from `generate_password()`) to be able to show it:
    without one, the account gets a random password nobody knows and opens by login link.
    """
    existing = db.session.scalar(select(Trainer).order_by(Trainer.id).limit(1))
    if existing is not None:
        return existing, False
    try:
        trainer, _ = create_trainer(FIRST_TRAINER, password)
    except AccountError as exc:  # another process created it first
        if exc.code != "name_taken":
            raise
        return _require(FIRST_TRAINER), False
    return trainer, True


def issue_login_link(
    trainer: Trainer, ttl: timedelta = LOGIN_LINK_TTL, now: datetime | None = None
) -> str:
    """A token for a one-time login link; it replaces any previous one and expires after `ttl`."""
    token = new_token()
    trainer.login_token_hash = hash_token(token)
    trainer.login_token_expires = (now or _now()) + ttl
    db.session.commit()
    return token


def consume_login_token(token: str, now: datetime | None = None) -> Trainer | None:
    """The trainer a login link belongs to, once: the token stops working when it is used."""
    if not token or len(token) > 128:
        return None
    digest = hash_token(token)
    trainer = db.session.scalar(select(Trainer).where(Trainer.login_token_hash == digest))
    if trainer is None or not hmac.compare_digest(trainer.login_token_hash or "", digest):
        return None
    expires = trainer.login_token_expires
    # Clear it whatever happens, guarded by the hash, so two clicks cannot both win.
    used = db.session.execute(
        update(Trainer)
        .where(Trainer.id == trainer.id, Trainer.login_token_hash == digest)
        .values(login_token_hash=None, login_token_expires=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if used.rowcount != 1 or expires is None or _aware(expires) <= (now or _now()):
        return None
    return trainer


def issue_api_token(trainer: Trainer) -> str:
    """A new API token, to show once; it replaces the previous one, which stops working."""
    token = new_token()
    trainer.api_token_hash = hash_token(token)
    db.session.commit()
    return token


def revoke_api_token(trainer: Trainer) -> None:
    trainer.api_token_hash = None
    db.session.commit()


def trainer_for_api_token(token: str) -> Trainer | None:
    if not token or len(token) > 128:
        return None
    digest = hash_token(token)
    trainer = db.session.scalar(select(Trainer).where(Trainer.api_token_hash == digest))
    if trainer is None or not hmac.compare_digest(trainer.api_token_hash or "", digest):
        return None
    return trainer


def login_key(name: str) -> str:
    """The name a login attempt is throttled under: " ALICE " and "alice" are one."""
    return (name or "").strip().casefold()[:NAME_MAX]
