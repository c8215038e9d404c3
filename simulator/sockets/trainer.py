"""The trainer's namespace, `/trainer`: watch a session and steer it. See docs/protocol.md.

Only a logged-in trainer connects, and every event names a session that must be theirs.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_login import current_user
from flask_socketio import join_room

from ..runner import get_runner
from ..services import controls, messages
from ..services import sessions as svc
from ..services.broadcast import trainer_room
from ..services.payloads import ok
from .events import CheckedNamespace, event


class TrainerNamespace(CheckedNamespace):
    @event()
    def on_connect(self, auth: Any = None):
        """Sent by: the trainer's control room. Refused unless logged in as a trainer."""
        return current_user.is_authenticated

    @event({"session": (int, True)})
    def on_watch(self, data: dict[str, Any]):
        """Sent by: the control room. {session}: join its room, get its state (and, while it
        runs, the overview of every team)."""
        session = svc.session_for(current_user, data["session"])
        join_room(trainer_room(session.id))
        runner = get_runner(current_app._get_current_object())
        if session.status in ("running", "paused"):
            runner.ensure(session.id)
        state = {"clock": messages.clock(session), "lobby": messages.lobby(session)}
        return ok(**state, **runner.overview_of(session))

    @event(controls.check_control)
    def on_control(self, data: dict[str, Any]):
        """Sent by: the control room. {session, action, ...}: one of services/controls.py's
        controls; see docs/protocol.md."""
        session = svc.session_for(current_user, data["session"])
        return ok(**controls.apply(session, data))

    @event()
    def on_disconnect(self, reason: Any = None):
        return None
