"""The trainer's namespace, `/trainer`: watch a session and steer it. See docs/protocol.md.

Only a logged-in trainer connects, and every event names a session that must be theirs.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_login import current_user
from flask_socketio import join_room

from ..extensions import db
from ..runner import get_runner, trainer_room
from ..services import sessions as svc
from . import broadcast
from .events import CheckedNamespace
from .payloads import NUMBER, PayloadError, check, error, ok

CONTROL_FIELDS = {
    "session": (int, True),
    "action": (str, True),
    "team": (int, False),
    "speed": (NUMBER, False),
    "to": (NUMBER, False),
    "inject": (str, False),
    "platform": (str, False),
    "persona": (str, False),
    "text": (str, False),
    "kind": (str, False),
    "volume": (NUMBER, False),
    "aggression": (NUMBER, False),
    "participant": (int, False),
    "role": (str, False),
    "intensity": (str, False),
}


def apply_control(session, data: dict[str, Any]) -> dict[str, Any]:
    """Run one control on a session and tell everyone concerned; shared with the REST API."""
    action = data["action"]
    team = data.get("team")
    if action in ("start", "resume"):
        svc.start(session)
        get_runner(current_app._get_current_object()).ensure(session.id)
        broadcast.clock_changed(session)
    elif action == "pause":
        svc.pause(session)
        broadcast.clock_changed(session)
    elif action == "speed":
        svc.set_speed(session, data.get("speed"))
        broadcast.clock_changed(session)
    elif action == "jump":
        svc.jump(session, data.get("to"))
        broadcast.clock_changed(session)
    elif action == "next_phase":
        svc.jump(session, None)
        broadcast.clock_changed(session)
    elif action == "end":
        svc.end(session)
        broadcast.clock_changed(session)
    elif action == "inject":
        control = svc.send_inject(
            session,
            team,
            inject=data.get("inject"),
            platform=data.get("platform"),
            persona=data.get("persona"),
            text=data.get("text"),
        )
        return ok(control=control.id)
    elif action == "notice":
        control = svc.send_notice(
            session, team, data.get("text") or "", data.get("kind") or "notice"
        )
        broadcast.notice_sent(session, control)
        return ok(control=control.id)
    elif action == "difficulty":
        control = svc.set_difficulty(session, team, data.get("volume"), data.get("aggression"))
        return ok(control=control.id)
    elif action == "intensity":
        control = svc.set_intensity(session, team, data.get("intensity"))
        return ok(control=control.id)
    elif action in ("move", "remove"):
        if data.get("participant") is None:
            raise svc.SessionError("missing_field", "'participant' is required")
        if action == "move":
            p = svc.move_participant(session, data["participant"], team, data.get("role"))
        else:
            p = svc.remove_participant(session, data["participant"])
        broadcast.participant_moved(session, p)
    else:
        raise svc.SessionError("bad_action", f"unknown control '{action}'")
    return ok(clock=svc.clock_payload(session))


class TrainerNamespace(CheckedNamespace):
    def on_connect(self, auth: Any = None):
        """Sent by: the trainer's control room. Refused unless logged in as a trainer."""
        return current_user.is_authenticated

    def on_watch(self, data: Any = None):
        """Sent by: the control room. {session}: join its room, get its state."""
        try:
            data = check(data, {"session": (int, True)})
            session = svc.session_for(current_user, data["session"])
        except PayloadError as exc:
            return error(exc.code, exc.message)
        except svc.SessionError as exc:
            return error(exc.code, exc.message)
        join_room(trainer_room(session.id))
        runner = get_runner(current_app._get_current_object())
        if session.status in ("running", "paused"):
            runner.ensure(session.id)
        state = ok(clock=svc.clock_payload(session), lobby=broadcast.lobby(session))
        active = runner.sessions.get(session.id)
        if active is not None:
            state["overview"] = active.overview(session, svc.clock_of(session).at(svc.wall_clock()))
        db.session.remove()
        return state

    def on_control(self, data: Any = None):
        """Sent by: the control room. {session, action, ...}: see docs/protocol.md."""
        try:
            data = check(data, CONTROL_FIELDS)
            session = svc.session_for(current_user, data["session"])
            result = apply_control(session, data)
        except PayloadError as exc:
            result = error(exc.code, exc.message)
        except svc.SessionError as exc:
            db.session.rollback()
            result = error(exc.code, exc.message)
        db.session.remove()
        return result

    def on_disconnect(self, reason: Any = None):
        db.session.remove()
        return None
