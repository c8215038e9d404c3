"""The participants' namespace, `/play`. See docs/protocol.md for every event.

A participant is known by the secret token set in their (signed, HttpOnly) session cookie
when they joined, or given as `auth.token`. They only ever join their own team's room.
"""

from __future__ import annotations

from typing import Any

from flask import request, session
from flask_socketio import disconnect, emit, join_room, leave_room

from .. import presence
from ..models import Participant
from ..services import action_types, broadcast, history, messages, participants
from ..services import actions as acts
from ..services import sessions as svc
from ..services.broadcast import participant_room, session_room, team_room
from ..services.payloads import NUMBER, ok
from .events import CheckedNamespace, event

RESYNC_LIMIT = 1000  # past this many missed posts, a fresh snapshot is cheaper
SEARCH_FIELDS = {
    "text": (str, False),
    "platform": (str, False),
    "tone": (str, False),
    "from": (NUMBER, False),
    "to": (NUMBER, False),
    "before": (NUMBER, False),
    "before_id": (str, False),
}
OLDER_FIELDS = {"platform": (str, True), "before": (NUMBER, False), "before_id": (str, False)}


def _participant() -> Participant | None:
    return participants.participant_for_token(session.get("participant_token"))


def _me(*, team: bool = False) -> Participant:
    """The participant sending this event (in a team, if `team`); else a SessionError."""
    p = _participant()
    if p is None:
        raise svc.SessionError("not_participant", "you are not in this session any more")
    if team and p.team_id is None:
        raise svc.SessionError("no_team", "you are not in a team yet")
    return p


def _join_team(p: Participant) -> None:
    join_room(team_room(p.team_id))
    presence.arrive(p.team_id, request.sid, p.id)


def _enter(p: Participant) -> None:
    """Put a participant's connection in their rooms; the control room sees them online."""
    join_room(participant_room(p.id))
    join_room(session_room(p.session_id))
    if p.team_id is not None:
        _join_team(p)
        broadcast.lobby_changed(p.session)


class PlayNamespace(CheckedNamespace):
    @event()
    def on_connect(self, auth: Any = None):
        """Sent by: a participant's page. auth: {token?, last_seq?}."""
        auth = auth if isinstance(auth, dict) else {}
        if isinstance(auth.get("token"), str):
            session["participant_token"] = auth["token"]
        p = _participant()
        if p is None:
            return False  # refused: not a participant (or removed)
        _enter(p)
        last = auth.get("last_seq")
        if isinstance(last, int) and not isinstance(last, bool) and p.team_id is not None:
            self._resync(p, last)
        else:
            emit("snapshot", messages.snapshot(p))
        return True

    @event()
    def on_disconnect(self, reason: Any = None):
        presence.leave(request.sid)
        p = _participant()
        if p is not None:
            broadcast.lobby_changed(p.session)

    def _resync(self, p: Participant, last: int) -> None:
        """What a participant missed since batch `last`: the clock, the team's actions, the
        batches (as they were sent) and their counters; a snapshot if that is too much."""
        missed = svc.posts_since(p.team_id, last, RESYNC_LIMIT)
        if len(missed) > RESYNC_LIMIT or last > p.team.seq or last < 0:
            emit("snapshot", messages.snapshot(p))
            return
        emit("clock", messages.clock(p.session))
        emit("actions", messages.actions(acts.team_actions(p.team_id)))
        batches: dict[int, list[dict[str, Any]]] = {}
        for seq, post in missed:
            batches.setdefault(seq, []).append(post)
        for seq, batch in batches.items():
            emit("posts", messages.posts(p.team_id, seq, batch))
        if missed:
            emit("counts", messages.counts(p.team_id, {post["id"] for _, post in missed}))

    @event({"last_seq": (int, True)})
    def on_resync(self, data: dict[str, Any]):
        """Sent by: a participant that saw a gap in sequence numbers. {last_seq}."""
        if _participant() is None:
            disconnect()
        self._resync(_me(team=True), data["last_seq"])
        return ok()

    @event({"team": (int, False), "role": (str, False)})
    def on_choose(self, data: dict[str, Any]):
        """Sent by: a participant in the lobby. {team?, role?} (team only if they may pick)."""
        p = _me()
        old_team = p.team_id
        participants.choose(p, data.get("team"), data.get("role"))
        if old_team != p.team_id:
            presence.leave(request.sid)
            if old_team is not None:
                leave_room(team_room(old_team))
            _join_team(p)
            emit("snapshot", messages.snapshot(p))
        broadcast.lobby_changed(p.session)
        return ok(team=p.team_id, role=p.role)

    @event(action_types.check_action)
    def on_action(self, data: dict[str, Any]):
        """Sent by: a participant. {key, type, target?, text?, role?, severity?, tag?, draft?}
        (services/action_types.py says which type takes which).

        Acknowledged with the stored action's id and number, or an error; the same key twice
        stores one action. Teammates get every stored action as an `action` event.
        """
        p = _me()
        stored = acts.act(p, data)
        if not stored.duplicate:
            for record in acts.told_with(stored.action):
                self.emit("action", messages.action(record), room=team_room(p.team_id))
        return ok(**messages.action_ack(stored.action, stored.duplicate))

    @event(OLDER_FIELDS)
    def on_older(self, data: dict[str, Any]):
        """Sent by: a participant's column. {platform, before?, before_id?}: the page of the
        column's posts before that one (history.PAGE at most), newest first."""
        p = _me(team=True)
        page = history.older(p.team_id, data["platform"], data.get("before"), data.get("before_id"))
        return ok(**history.with_counts(p.team_id, page))

    @event(SEARCH_FIELDS)
    def on_search(self, data: dict[str, Any]):
        """Sent by: a participant. {text?, platform?, tone?, from?, to?, before?, before_id?}:
        a page of the team's whole world (history.SEARCH_PAGE at most), newest first."""
        p = _me(team=True)
        page = history.search(
            p.team_id,
            text=data.get("text") or "",
            platform=data.get("platform") or None,
            tone=data.get("tone") or None,
            t_from=data.get("from"),
            t_to=data.get("to"),
            before=data.get("before"),
            before_id=data.get("before_id"),
        )
        return ok(**history.with_counts(p.team_id, page))

    @event({"t": (NUMBER, False)})
    def on_ping_clock(self, data: dict[str, Any]):
        """Sent by: a participant page, to correct its clock. Returns the clock."""
        return ok(clock=messages.clock(_me().session))
