"""What everyone concerned is told after a change: one place, used by sockets, pages, API
and the runner. The rooms and namespaces clients are put in are named here too."""

from __future__ import annotations

from ..extensions import socketio
from ..models import Control, DrillSession, Participant
from . import messages

PLAY = "/play"
TRAINER = "/trainer"


def team_room(team_id: int) -> str:
    return f"team-{team_id}"


def session_room(session_id: int) -> str:
    return f"session-{session_id}"


def trainer_room(session_id: int) -> str:
    return f"trainer-{session_id}"


def participant_room(participant_id: int) -> str:
    return f"participant-{participant_id}"


def clock_changed(session: DrillSession) -> None:
    payload = messages.clock(session)
    event = "ended" if session.status == "ended" else "clock"
    socketio.emit(event, payload, to=session_room(session.id), namespace=PLAY)
    socketio.emit("clock", payload, to=trainer_room(session.id), namespace=TRAINER)


def notice_sent(session: DrillSession, control: Control) -> None:
    payload = messages.notice(control)
    room = team_room(control.team_id) if control.team_id else session_room(session.id)
    socketio.emit("notice", payload, to=room, namespace=PLAY)


def lobby_changed(session: DrillSession) -> None:
    socketio.emit("lobby", messages.lobby(session), to=trainer_room(session.id), namespace=TRAINER)


def participant_moved(session: DrillSession, participant: Participant) -> None:
    """Tell the participant's open pages to reload their place (or that they were removed)."""
    event = "removed" if participant.removed else "moved"
    socketio.emit(
        event, messages.moved(participant), to=participant_room(participant.id), namespace=PLAY
    )
    lobby_changed(session)


def hotwash_released(session: DrillSession, url: str) -> None:
    """Participants' pages open their team's debrief (the hot wash) at `url`."""
    socketio.emit("hotwash", {"url": url}, to=session_room(session.id), namespace=PLAY)
