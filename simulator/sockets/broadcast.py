"""What everyone concerned is told after a change: one place, used by sockets, pages and API."""

from __future__ import annotations

from typing import Any

from ..extensions import socketio
from ..models import Control, DrillSession, Participant
from ..runner import PLAY, TRAINER, session_room, team_room, trainer_room
from ..services import sessions as svc


def participant_view(p: Participant) -> dict[str, Any]:
    from ..presence import online_ids

    return {
        "id": p.id,
        "name": p.name,
        "team": p.team_id,
        "role": p.role,
        "online": p.team_id is not None and p.id in online_ids(p.team_id),
    }


def lobby(session: DrillSession) -> dict[str, Any]:
    return {
        "session": session.id,
        "teams": [{"id": t.id, "name": t.name} for t in session.teams],
        "participants": [participant_view(p) for p in session.participants if not p.removed],
    }


def clock_changed(session: DrillSession) -> None:
    payload = svc.clock_payload(session)
    event = "ended" if session.status == "ended" else "clock"
    socketio.emit(event, payload, to=session_room(session.id), namespace=PLAY)
    socketio.emit("clock", payload, to=trainer_room(session.id), namespace=TRAINER)


def notice_sent(session: DrillSession, control: Control) -> None:
    payload = {
        "id": control.id,
        "kind": control.payload["kind"],
        "text": control.payload["text"],
        "sim": round(control.sim_t, 3),
    }
    room = team_room(control.team_id) if control.team_id else session_room(session.id)
    socketio.emit("notice", payload, to=room, namespace=PLAY)


def lobby_changed(session: DrillSession) -> None:
    socketio.emit("lobby", lobby(session), to=trainer_room(session.id), namespace=TRAINER)


def participant_moved(session: DrillSession, participant: Participant) -> None:
    """Tell the participant's open pages to reload their place (or that they were removed)."""
    event = "removed" if participant.removed else "moved"
    socketio.emit(
        event,
        {"participant": participant.id, "team": participant.team_id, "role": participant.role},
        to=f"participant-{participant.id}",
        namespace=PLAY,
    )
    lobby_changed(session)
