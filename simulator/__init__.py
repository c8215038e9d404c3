"""Stormdrill: social-media crisis drills. `create_app()` is the only application factory."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask
from flask_babel import get_locale
from sqlalchemy import event

from .config import INSTANCE_PATH, PROJECT_ROOT, Config, from_env, load_or_create_secret_key
from .extensions import babel, csrf, db, login_manager, migrate, socketio
from .i18n import select_locale
from .labels import JINJA_GLOBALS
from .models import Trainer
from .runner import init_app as init_runner
from .sockets import register as register_sockets
from .throttle import init_app as init_throttles
from .wallclock import init_app as init_wallclock
from .web.aar import bp as aar_bp
from .web.api import bp as api_bp
from .web.auth import bp as auth_bp
from .web.auth import init_auth
from .web.cohort import bp as cohort_bp
from .web.editor import bp as editor_bp
from .web.fork import bp as fork_bp
from .web.library import bp as library_bp
from .web.main import bp as main_bp
from .web.play import bp as play_bp
from .web.replay import bp as replay_bp
from .web.report import bp as report_bp
from .web.shared import bp as shared_bp
from .web.trainer import bp as trainer_bp


def create_app(config: type[Config] | Config | Mapping[str, Any] | None = None) -> Flask:
    """Build the app. `config` is a config class (or instance), or a dict of overrides."""
    app = Flask(
        __name__,
        instance_path=str(INSTANCE_PATH),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.globals.update(JINJA_GLOBALS)
    if config is None or isinstance(config, Mapping):
        app.config.from_object(from_env()())
        app.config.from_mapping(config or {})
    else:
        app.config.from_object(config() if isinstance(config, type) else config)
    INSTANCE_PATH.mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_or_create_secret_key(app.instance_path)

    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _sqlite_pragmas)
    migrate.init_app(app, db, render_as_batch=True)
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    login_manager.init_app(app)
    init_auth(app)
    init_throttles(app)
    init_wallclock(app)
    login_manager.user_loader(_load_trainer)
    register_sockets()
    socketio.init_app(
        app,
        async_mode="gevent",
        message_queue=app.config.get("SOCKETIO_MESSAGE_QUEUE"),
        channel=app.config.get("SOCKETIO_CHANNEL", "stormdrill"),
        max_http_buffer_size=64 * 1024,
    )
    init_runner(app)

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(library_bp, url_prefix="/library")
    app.register_blueprint(editor_bp, url_prefix="/library")
    app.register_blueprint(trainer_bp, url_prefix="/trainer")
    app.register_blueprint(aar_bp, url_prefix="/trainer")
    app.register_blueprint(fork_bp, url_prefix="/trainer")
    app.register_blueprint(cohort_bp, url_prefix="/trainer")
    app.register_blueprint(replay_bp, url_prefix="/trainer")
    app.register_blueprint(report_bp)  # /trainer/<id>/report… and /shared/<token>/report.pdf
    app.register_blueprint(play_bp)
    app.register_blueprint(shared_bp)
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    csrf.exempt(api_bp)  # token-authenticated, no cookies, no CSRF

    from .cli import init_app as init_cli
    from .cli_trainer import init_app as init_trainer_cli

    init_cli(app)
    init_trainer_cli(app)

    app.context_processor(lambda: {"current_locale": str(get_locale())})
    app.after_request(_security_headers)
    return app


def _sqlite_pragmas(connection, _record) -> None:
    """SQLite for a server: readers do not wait for the writer (WAL), and a writer waits
    for another instead of failing at once. Commits still reach the disk before they return
    (an acknowledged action survives a power cut): the runner commits once per tick."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _load_trainer(trainer_id: str) -> Trainer | None:
    return db.session.get(Trainer, int(trainer_id)) if trainer_id.isdigit() else None


# Scripts and styles from this site only: no inline script or handler runs, so injected
# markup cannot run code. Style attributes stay allowed (positions and widths computed by
# the templates), as do data: images; sockets connect back to this site.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def _security_headers(response):
    if response.mimetype == "text/html":
        response.vary.add("Accept-Language")  # pages are in the browser's language
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response
