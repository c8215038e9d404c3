"""The participants' namespace, `/play`. See docs/protocol.md for every event.

A participant is known by the secret token set in their (signed, HttpOnly) session cookie
when they joined, or given as `auth.token`. They only ever join their own team's room.
"""

from __future__ import annotations

from typing import Any

from flask import request, session
from flask_socketio import disconnect, emit, join_room, leave_room

from .. import presence
from ..extensions import db
from ..models import Participant
from ..runner import session_room, team_room
from ..services import actions as acts
from ..services import history
from ..services import sessions as svc
from . import broadcast
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
    token = session.get("participant_token")
    return svc.participant_for_token(token)


def _snapshot(p: Participant) -> dict[str, Any]:
    """The workspace as it stands: the latest posts of each column (at most
    SNAPSHOT_PER_PLATFORM each), the key posts (at most history.KEY_POSTS), their counters,
    the posts per column and every action of the team."""
    s = p.session
    team = p.team
    actions = acts.team_actions(team.id) if team else []
    posts = svc.snapshot_posts(team.id) if team else []
    marked = [a.target for a in actions if a.type == "tag" and a.tag == "handle" and a.target]
    key = history.key_posts(team.id, marked) if team else []
    ids = {post["id"] for post in [*posts, *key]}
    return {
        "participant": {"id": p.id, "name": p.name, "role": p.role},
        "team": {"id": team.id, "name": team.name} if team else None,
        "session": {"id": s.id, "name": s.name, "lang": s.lang, "status": s.status},
        "clock": svc.clock_payload(s),
        "seq": team.seq if team else 0,
        "posts": posts,
        "key_posts": key,
        "counts": history.counts(team.id, ids) if team else {},
        "totals": history.totals(team.id) if team else {},
        "radar": history.radar(team.id, team.emitted_until, svc.scenario_of(s)) if team else None,
        "actions": [acts.view(a) for a in actions],
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
        if missed:
            ids = {post["id"] for _, post in missed}
            emit(
                "counts",
                {
                    "team": p.team_id,
                    "counts": history.counts(p.team_id, ids),
                    "totals": history.totals(p.team_id),
                },
            )

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

    def on_older(self, data: Any = None):
        """Sent by: a participant's column. {platform, before?, before_id?}: the page of the
        column's posts before that one (history.PAGE at most), newest first."""
        try:
            data = check(data, OLDER_FIELDS)
        except PayloadError as exc:
            return error(exc.code, exc.message)
        return self._history(
            lambda team_id: history.older(
                team_id, data["platform"], data.get("before"), data.get("before_id")
            )
        )

    def on_search(self, data: Any = None):
        """Sent by: a participant. {text?, platform?, tone?, from?, to?, before?, before_id?}:
        a page of the team's whole world (history.SEARCH_PAGE at most), newest first."""
        try:
            data = check(data, SEARCH_FIELDS)
        except PayloadError as exc:
            return error(exc.code, exc.message)
        criteria = {
            "text": data.get("text") or "",
            "platform": data.get("platform") or None,
            "tone": data.get("tone") or None,
            "t_from": data.get("from"),
            "t_to": data.get("to"),
            "before": data.get("before"),
            "before_id": data.get("before_id"),
        }
        return self._history(lambda team_id: history.search(team_id, **criteria))

    def _history(self, read) -> dict[str, Any]:
        p = _participant()
        if p is None:
            return error("not_participant", "you are not in this session any more")
        if p.team_id is None:
            return error("no_team", "you are not in a team yet")
        try:
            page = read(p.team_id)
            page["counts"] = history.counts(p.team_id, [post["id"] for post in page["posts"]])
        except history.HistoryError as exc:
            return error(exc.code, exc.message)
        finally:
            db.session.remove()
        return ok(**page)

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
