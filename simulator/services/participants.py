"""Participants and teams: joining with a code, the participant a browser's token names,
choosing a team and role in the lobby, the trainer moving or removing someone.

Every function here that changes something commits before it returns.
"""

from __future__ import annotations

import hmac
import secrets

from sqlalchemy import select

from ..extensions import db
from ..models import DrillSession, Participant
from ..plaintext import refusal
from . import sessions as svc

MAX_NAME = 40


def join(
    code: str, name: str, team_id: int | None = None, role: str | None = None
) -> tuple[Participant, str]:
    """A participant joins; returns them and their secret token (kept in their browser)."""
    session = svc.session_by_code(code)
    if why := refusal("name", name or ""):
        raise svc.SessionError("bad_name", why)
    name = " ".join((name or "").split())
    if not 1 <= len(name) <= MAX_NAME:
        raise svc.SessionError("bad_name", f"a display name has 1 to {MAX_NAME} characters")
    team = None
    if session.team_choice == "pick" and team_id is not None:
        team = svc.team_of(session, team_id)
    roles = {r.id for r in svc.scenario_of(session).roles}
    if role is not None and role not in roles:
        raise svc.SessionError("bad_role", "no such role in this scenario")
    token = secrets.token_urlsafe(32)
    participant = Participant(
        session_id=session.id, team=team, name=name, role=role, token_hash=svc.token_hash(token)
    )
    db.session.add(participant)
    db.session.commit()
    return participant, token


def participant_for_token(token: str | None) -> Participant | None:
    if not token or len(token) > 100:
        return None
    participant = db.session.scalar(
        select(Participant).where(Participant.token_hash == svc.token_hash(token))
    )
    if participant is None or participant.removed:
        return None
    if not hmac.compare_digest(participant.token_hash, svc.token_hash(token)):
        return None
    return participant


def choose(participant: Participant, team_id: int | None, role: str | None) -> Participant:
    """A participant picks a team (when allowed) and a role in the lobby."""
    session = participant.session
    if team_id is not None:
        if session.team_choice != "pick":
            raise svc.SessionError("assigned", "the trainer assigns the teams")
        participant.team = svc.team_of(session, team_id)
    if role is not None:
        participant.role = _role(session, role)
    db.session.commit()
    return participant


def _role(session: DrillSession, role: str) -> str:
    if role not in {r.id for r in svc.scenario_of(session).roles}:
        raise svc.SessionError("bad_role", "no such role in this scenario")
    return role


def _participant_of(session: DrillSession, participant_id: int) -> Participant:
    participant = next((p for p in session.participants if p.id == participant_id), None)
    if participant is None or participant.removed:
        raise svc.SessionError("bad_participant", "no such participant in this session")
    return participant


def move_participant(
    session: DrillSession, participant_id: int, team_id: int | None, role: str | None = None
) -> Participant:
    participant = _participant_of(session, participant_id)
    participant.team = svc.team_of(session, team_id)
    if role is not None:
        participant.role = _role(session, role)
    db.session.commit()
    return participant


def remove_participant(session: DrillSession, participant_id: int) -> Participant:
    participant = _participant_of(session, participant_id)
    participant.removed = True
    db.session.commit()
    return participant
