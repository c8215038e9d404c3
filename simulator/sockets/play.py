"""The participants' namespace, `/play`. See docs/protocol.md for every event.

A participant is known by the secret token set in their (signed, HttpOnly) session cookie
when they joined, or given as `auth.token`. They only ever join their own team's room.
"""

from __future__ import annotations

from typing import Any

from flask import request, session
from flask_socketio import disconnect, emit, join_room, leave_room

from ..extensions import db
from ..models import Participant
from ..runner import session_room, team_room
from ..services import actions as acts
from ..services import sessions as svc
from . import broadcast, presence
from .events import CheckedNamespace
from .payloads import NUMBER, PayloadError, check, error, ok

ACTION_FIELDS = {
    "key": (str, True),
    "type": (str, True),
    "target": (str, False),
    "text": (str, False),
    "role": (str, False),
    "severity": (int, False),
    "tag": (str, False),
    "draft": (int, False),
}
RESYNC_LIMIT = 3000  # past this many missed posts, a fresh snapshot is cheaper


def _participant() -> Participant | None:
    token = session.get("participant_token")
    return svc.participant_for_token(token)


def _snapshot(p: Participant) -> dict[str, Any]:
    s = p.session
    team = p.team
    return {
        "participant": {"id": p.id, "name": p.name, "role": p.role},
        "team": {"id": team.id, "name": team.name} if team else None,
        "session": {"id": s.id, "name": s.name, "lang": s.lang, "status": s.status},
        "clock": svc.clock_payload(s),
        "seq": team.seq if team else 0,
        "posts": svc.snapshot_posts(team.id) if team else [],
        "actions": [acts.view(a) for a in acts.team_actions(team.id)] if team else [],
    }


class PlayNamespace(CheckedNamespace):
    def on_connect(self, auth: Any = None):
        """Sent by: a participant's page. auth: {token?, last_seq?}."""
        if isinstance(auth, dict) and isinstance(auth.get("token"), str):
            session["participant_token"] = auth["token"]
        p = _participant()
        if p is None:
            return False  # refused: not a participant (or removed)
        join_room(f"participant-{p.id}")
        join_room(session_room(p.session_id))
        if p.team_id is not None:
            join_room(team_room(p.team_id))
            presence.arrive(p.team_id, request.sid, p.id)
            broadcast.lobby_changed(p.session)
        last = auth.get("last_seq") if isinstance(auth, dict) else None
        if isinstance(last, int) and not isinstance(last, bool) and p.team_id is not None:
            self._resync(p, last)
        else:
            emit("snapshot", _snapshot(p))
        db.session.remove()
        return True

    def on_disconnect(self, reason: Any = None):
        presence.leave(request.sid)
        p = _participant()
        if p is not None:
            broadcast.lobby_changed(p.session)
        db.session.remove()

    def _resync(self, p: Participant, last: int) -> None:
        missed = svc.posts_since(p.team_id, last, RESYNC_LIMIT)
        if len(missed) > RESYNC_LIMIT or last > p.team.seq or last < 0:
            emit("snapshot", _snapshot(p))
            return
        emit("clock", svc.clock_payload(p.session))
        emit("actions", {"actions": [acts.view(a) for a in acts.team_actions(p.team_id)]})
        batch: list[dict[str, Any]] = []
        seq = None
        for s, post in missed:
            if seq is not None and s != seq:
                emit("posts", {"team": p.team_id, "seq": seq, "posts": batch})
                batch = []
            seq = s
            batch.append(post)
        if batch:
            emit("posts", {"team": p.team_id, "seq": seq, "posts": batch})

    def on_resync(self, data: Any = None):
        """Sent by: a participant that saw a gap in sequence numbers. {last_seq}."""
        try:
            data = check(data, {"last_seq": (int, True)})
        except PayloadError as exc:
            return error(exc.code, exc.message)
        p = _participant()
        if p is None:
            disconnect()
            return error("not_participant", "you are not in this session any more")
        if p.team_id is None:
            return error("no_team", "you are not in a team yet")
        self._resync(p, data["last_seq"])
        db.session.remove()
        return ok()

    def on_choose(self, data: Any = None):
        """Sent by: a participant in the lobby. {team?, role?} (team only if they may pick)."""
        try:
            data = check(data, {"team": (int, False), "role": (str, False)})
        except PayloadError as exc:
            return error(exc.code, exc.message)
        p = _participant()
        if p is None:
            return error("not_participant", "you are not in this session any more")
        old_team = p.team_id
        try:
            svc.choose(p, data.get("team"), data.get("role"))
        except svc.SessionError as exc:
            return error(exc.code, exc.message)
        if old_team != p.team_id:
            presence.leave(request.sid)
            if old_team is not None:
                leave_room(team_room(old_team))
            join_room(team_room(p.team_id))
            presence.arrive(p.team_id, request.sid, p.id)
            emit("snapshot", _snapshot(p))
        broadcast.lobby_changed(p.session)
        result = ok(team=p.team_id, role=p.role)
        db.session.remove()
        return result

    def on_action(self, data: Any = None):
        """Sent by: a participant. {key, type, target?, text?, role?, severity?, tag?, draft?}.

        Acknowledged with the stored action's id and number, or an error; the same key twice
        stores one action. Teammates get every stored action as an `action` event.
        """
        try:
            data = check(data, ACTION_FIELDS)
        except PayloadError as exc:
            return error(exc.code, exc.message)
        p = _participant()
        if p is None:
            return error("not_participant", "you are not in this session any more")
        try:
            stored = acts.act(p, data)
        except acts.ActionError as exc:
            db.session.rollback()
            return error(exc.code, exc.message)
        record = stored.action
        result = ok(
            action={"id": record.id, "seq": record.seq, "status": record.status},
            duplicate=stored.duplicate,
        )
        if not stored.duplicate:
            # a decision also changes its draft, and an approval publishes a reply
            changed = [record.draft] if record.draft is not None else []
            published = acts.team_actions(p.team_id, record.seq)
            for r in [record, *changed, *published]:
                self.emit("action", acts.view(r), room=team_room(p.team_id))
        db.session.remove()
        return result

    def on_ping_clock(self, data: Any = None):
        """Sent by: a participant page, to correct its clock. Returns the clock."""
        try:
            check(data, {"t": (NUMBER, False)})
        except PayloadError as exc:
            return error(exc.code, exc.message)
        p = _participant()
        if p is None:
            return error("not_participant", "you are not in this session any more")
        result = ok(clock=svc.clock_payload(p.session))
        db.session.remove()
        return result
