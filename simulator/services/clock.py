"""A session's clock, as the trainer steers it: start (or resume), pause, speed, jump, end,
and putting it back after a takeover; and the log of controls (`log_control`), each with the
simulated time it was given at.

Every function here that changes something commits before it returns, and returns what the
caller needs to tell people (services/controls.py tells them).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ..extensions import db
from ..models import Control, DrillSession, Team
from ..wallclock import now as wall_now
from . import sessions as svc


def log_control(
    session: DrillSession,
    kind: str,
    payload: dict[str, Any],
    team: Team | None = None,
    sim_t: float | None = None,
) -> Control:
    control = Control(
        session_id=session.id,
        team_id=team.id if team else None,
        kind=kind,
        payload=payload,
        sim_t=svc.clock_of(session).at(wall_now()) if sim_t is None else sim_t,
    )
    db.session.add(control)
    return control


def not_ended(session: DrillSession) -> None:
    if session.status == "ended":
        raise svc.SessionError("ended", "this session has ended")


def start(session: DrillSession) -> DrillSession:
    not_ended(session)
    if session.status == "running":
        raise svc.SessionError("running", "the session is already running")
    now = wall_now()
    log_control(session, "start" if session.status == "lobby" else "resume", {})
    if session.status == "lobby":
        session.started_at = datetime.now(UTC)
    svc.store_clock(session, svc.clock_of(session).start(now))
    session.status = "running"
    db.session.commit()
    return session


resume = start


def pause(session: DrillSession) -> DrillSession:
    not_ended(session)
    if session.status != "running":
        raise svc.SessionError("not_running", "the session is not running")
    now = wall_now()
    log_control(session, "pause", {})
    svc.store_clock(session, svc.clock_of(session).pause(now))
    session.status = "paused"
    db.session.commit()
    return session


def set_speed(session: DrillSession, speed: float) -> DrillSession:
    not_ended(session)
    try:
        clock = svc.clock_of(session).with_speed(float(speed), wall_now())
    except (TypeError, ValueError) as exc:
        raise svc.SessionError("bad_speed", str(exc)) from None
    log_control(session, "speed", {"speed": clock.speed})
    svc.store_clock(session, clock)
    db.session.commit()
    return session


def jump(session: DrillSession, to: float | None = None) -> DrillSession:
    """Jump forward to a simulated time, or to the start of the next phase."""
    not_ended(session)
    now = wall_now()
    clock = svc.clock_of(session)
    current = clock.at(now)
    if to is None:
        upcoming = [p.start for p in svc.scenario_of(session).phases if p.start > current]
        if not upcoming:
            raise svc.SessionError("last_phase", "this is the last phase")
        to = upcoming[0]
    try:
        clock = clock.jump(float(to), now)
    except (TypeError, ValueError) as exc:
        raise svc.SessionError("bad_jump", str(exc)) from None
    log_control(session, "jump", {"from": round(current, 3), "to": clock.sim})
    svc.store_clock(session, clock)
    db.session.commit()
    return session


def recover_clock(session: DrillSession, sim: float) -> DrillSession:
    """After a restart: the clock resumes where the last posts were sent, not later."""
    now = wall_now()
    clock = svc.clock_of(session)
    if clock.running:
        log_control(
            session, "recover", {"from": round(clock.at(now), 3), "to": round(sim, 3)}, sim_t=sim
        )
        session.clock_sim, session.clock_wall = min(sim, clock.end), now
        db.session.commit()
    return session


def end(session: DrillSession) -> DrillSession:
    not_ended(session)
    now = wall_now()
    log_control(session, "end", {})
    svc.store_clock(session, svc.clock_of(session).pause(now))
    session.status = "ended"
    session.ended_at = datetime.now(UTC)
    db.session.commit()
    return session
