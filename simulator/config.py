"""Configuration classes, read from the environment when they are instantiated.

`STORMDRILL_DATABASE_URL`, `STORMDRILL_SECRET_KEY`, `STORMDRILL_HOST`, `STORMDRILL_PORT`,
`SCENARIO_DIR`; `STORMDRILL_ENV` (production, development, testing) picks the class.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
INSTANCE_PATH = PROJECT_ROOT / "instance"


def database_url(default: str) -> str:
    url = os.environ.get("STORMDRILL_DATABASE_URL") or default
    # Heroku-style URLs; SQLAlchemy only knows the postgresql:// scheme.
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    return url


def load_or_create_secret_key(instance_path: str | Path) -> str:
    """The key in `instance/secret_key`, generated on first use so sessions survive restarts."""
    path = Path(instance_path) / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="ascii").strip()
        if key:
            return key
        raise RuntimeError(f"{path} is empty: delete it to generate a new secret key") from None
    key = secrets.token_hex(32)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(key + "\n")
    return key


class Config:
    LANGUAGES = ("fr", "en")
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    BABEL_TRANSLATION_DIRECTORIES = str(PROJECT_ROOT / "simulator" / "translations")
    LANGUAGE_COOKIE = "stormdrill_lang"
    LANGUAGE_COOKIE_MAX_AGE = 365 * 24 * 3600
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    DEBUG = False
    TESTING = False

    def __init__(self) -> None:
        env = os.environ
        self.SECRET_KEY = env.get("STORMDRILL_SECRET_KEY") or None  # None: instance/secret_key
        self.SQLALCHEMY_DATABASE_URI = database_url(f"sqlite:///{INSTANCE_PATH / 'stormdrill.db'}")
        self.HOST = env.get("STORMDRILL_HOST") or "127.0.0.1"
        self.PORT = int(env.get("STORMDRILL_PORT") or 5000)
        self.SCENARIO_DIR = env.get("SCENARIO_DIR") or str(PROJECT_ROOT / "scenarios")
        # scale-out: Redis as Flask-SocketIO's message queue between workers
        self.SOCKETIO_MESSAGE_QUEUE = env.get("STORMDRILL_REDIS_URL") or None
        self.SOCKETIO_CHANNEL = env.get("STORMDRILL_REDIS_CHANNEL") or "stormdrill"
        # the address participants' devices use (join links, QR codes); run.py finds the LAN one
        self.PUBLIC_URL = (env.get("STORMDRILL_PUBLIC_URL") or "").rstrip("/") or None


class ProductionConfig(Config):
    pass


class DevelopmentConfig(Config):
    DEBUG = True


class TestingConfig(Config):
    TESTING = True

    def __init__(self) -> None:
        super().__init__()
        self.SECRET_KEY = "testing"
        self.SQLALCHEMY_DATABASE_URI = "sqlite://"  # in memory; the tests' fixture may override
        self.RUNNER_BACKGROUND = False  # tests drive the runner's ticks with a fake clock
        self.SQLALCHEMY_ENGINE_OPTIONS = {}


CONFIGS = {
    "production": ProductionConfig,
    "development": DevelopmentConfig,
    "testing": TestingConfig,
}


def from_env() -> type[Config]:
    name = os.environ.get("STORMDRILL_ENV", "production").lower()
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"STORMDRILL_ENV={name!r}: use one of {', '.join(CONFIGS)}") from None
