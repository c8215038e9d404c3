"""What every socket event goes through around its handler, on every namespace.

An event carries at most one JSON object: one sent with several arguments
(`emit("action", 1, 2, 3)`) is answered `bad_payload` like any malformed message, instead of
failing in the handler's call with no acknowledgement.

`@event(fields)` wraps a handler: the payload checked against `fields` (or a checking
function), a refused request (bad payload, a service's SessionError or HistoryError) answered
with an error acknowledgement after rolling back, and the database session handed back to
the pool however the handler ends. Handlers are left with their one job.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask_socketio import Namespace

from ..extensions import db
from ..services.history import HistoryError
from ..services.payloads import PayloadError, check, error
from ..services.sessions import SessionError

LIFECYCLE = ("connect", "disconnect")
Fields = dict[str, tuple[Any, bool]]


class CheckedNamespace(Namespace):
    def trigger_event(self, event: str, *args: Any) -> Any:
        # args: the client's sid, then what the client sent
        if event not in LIFECYCLE and len(args) > 2:
            return error("bad_payload", "send one JSON object per event, not several arguments")
        return super().trigger_event(event, *args)


def event(fields: Fields | Callable[[Any], dict[str, Any]] | None = None):
    """Decorate a socket handler `(self, data)`: see the module's docstring. `fields`: as
    `payloads.check` takes them, or a function that checks and returns the payload; None
    for lifecycle events, whose argument is passed as it came."""

    def wrap(handler: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(handler)
        def run(self, data: Any = None) -> Any:
            try:
                if callable(fields):
                    data = fields(data)
                elif fields is not None:
                    data = check(data, fields)
                return handler(self, data)
            except (PayloadError, SessionError, HistoryError) as exc:
                db.session.rollback()
                return error(exc.code, exc.message)
            finally:
                db.session.remove()

        return run

    return wrap
