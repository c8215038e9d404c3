"""Sessions: creating them (and their join codes), finding them, their scenario and clock as
they stand; and storing what the runner sends (batches of posts, tallies).

The other jobs have modules of their own: participants and teams (participants.py), the
clock as the trainer steers it (clock.py), the controls (controls.py), the runner's lease
(lease.py). Every function here that changes something commits before it returns.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select

from ..engine.clock import MAX_SPEED, MIN_SPEED, Clock
from ..engine.loader import load_scenario_text
from ..engine.scenario import LANGS, Scenario
from ..engine.tally import Tally
from ..extensions import db
from ..feed import DEFAULT_INTENSITY, INTENSITIES
from ..models import Control, DrillSession, PostRecord, Team, Trainer
from ..plaintext import refusal
from ..wallclock import now as wall_now

JOIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud, typed on phones
MAX_TEAMS = 12
SNAPSHOT_PER_PLATFORM = 50


class SessionError(Exception):
    """A request that cannot be done; `code` is for programs, the message for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# -- scenarios of a session ------------------------------------------------------------

_scenarios: dict[tuple[int, int], Scenario] = {}


def scenario_of(session: DrillSession) -> Scenario:
    """The session's scenario, from its snapshot (parsed once per process)."""
    key = (session.id, hash(session.scenario_yaml))
    scenario = _scenarios.get(key)
    if scenario is None:
        scenario = load_scenario_text(session.scenario_yaml, f"session-{session.id}.yaml")
        _scenarios[key] = scenario
    return scenario


def clock_of(session: DrillSession) -> Clock:
    return Clock(
        running=session.status == "running",
        speed=session.speed,
        sim=session.clock_sim,
        wall=session.clock_wall,
        end=scenario_of(session).duration,
    )


def store_clock(session: DrillSession, clock: Clock) -> None:
    session.speed, session.clock_sim, session.clock_wall = clock.speed, clock.sim, clock.wall


def clock_payload(session: DrillSession, now: float | None = None) -> dict[str, Any]:
    now = wall_now() if now is None else now
    clock = clock_of(session)
    return {
        "status": session.status,
        "speed": clock.speed,
        "sim": round(clock.at(now), 3),
        "wall": now,
        "end": clock.end,
    }


# -- creating and finding sessions ------------------------------------------------------


@dataclass(frozen=True)
class NewSession:
    scenario_slug: str
    scenario_yaml: str
    lang: str
    speed: float
    seed: int | None
    team_names: Sequence[str]
    team_choice: str = "pick"
    name: str = ""
    intensity: str = DEFAULT_INTENSITY
    scenario_version: int | None = None  # the library version of scenario_yaml, if any
    # a language the scenario lacks: the storm runs in the scenario's own language instead,
    # which the trainer has been told (storm_language), and the session remembers the ask
    asked_lang: str | None = None


def _new_join_code() -> str:
    for _ in range(50):
        code = "".join(secrets.choice(JOIN_ALPHABET) for _ in range(6))
        if db.session.scalar(select(DrillSession.id).where(DrillSession.join_code == code)) is None:
            return code
    raise SessionError("no_code", "could not find a free join code")


def storm_language(scenario: Scenario, asked: str) -> str:
    """The language the storm runs in when `asked` is wanted: that one when the scenario is
    written in it, else the scenario's first. Not silent: the caller says so."""
    return asked if asked in scenario.languages else scenario.languages[0]


def create_session(trainer: Trainer, new: NewSession) -> DrillSession:
    scenario = load_scenario_text(new.scenario_yaml, f"{new.scenario_slug}.yaml")
    if new.lang not in scenario.languages:
        raise SessionError("bad_language", f"the scenario is not written in {new.lang}")
    if new.asked_lang is not None and new.asked_lang not in LANGS:
        raise SessionError("bad_language", f"{new.asked_lang} is not a language of Stormdrill")
    if not MIN_SPEED <= new.speed <= MAX_SPEED:
        raise SessionError("bad_speed", f"speed is {MIN_SPEED:g}x to {MAX_SPEED:g}x")
    names = [n.strip()[:60] for n in new.team_names if n.strip()]
    for why in filter(None, [refusal("name", new.name), *(refusal("teams", n) for n in names)]):
        raise SessionError("bad_text", why)
    if not 1 <= len(names) <= MAX_TEAMS:
        raise SessionError("bad_teams", f"a session has 1 to {MAX_TEAMS} teams")
    if len(set(names)) != len(names):
        raise SessionError("bad_teams", "two teams have the same name")
    if new.team_choice not in ("pick", "assign"):
        raise SessionError("bad_team_choice", "team choice is 'pick' or 'assign'")
    check_intensity(new.intensity)
    seed = new.seed if new.seed is not None else secrets.randbelow(1_000_000)
    session = DrillSession(
        trainer_id=trainer.id,
        name=new.name.strip()[:120] or scenario.title(new.lang),
        scenario_slug=new.scenario_slug,
        scenario_yaml=new.scenario_yaml,
        scenario_version=new.scenario_version,
        lang=new.lang,
        asked_lang=new.asked_lang if new.asked_lang != new.lang else None,
        seed=seed,
        join_code=_new_join_code(),
        team_choice=new.team_choice,
        speed=float(new.speed),
        intensity=new.intensity,
        teams=[Team(name=name, position=i) for i, name in enumerate(names)],
    )
    db.session.add(session)
    db.session.commit()
    return session


def check_intensity(name: str | None) -> str:
    if name not in INTENSITIES:
        raise SessionError("bad_intensity", f"an intensity is one of {', '.join(INTENSITIES)}")
    return name


def sessions_of(trainer: Trainer) -> list[DrillSession]:
    return list(
        db.session.scalars(
            select(DrillSession)
            .where(DrillSession.trainer_id == trainer.id)
            .order_by(DrillSession.created_at.desc())
        )
    )


def session_for(trainer: Trainer, session_id: int) -> DrillSession:
    """The trainer's own session; another trainer's is as good as missing."""
    session = db.session.get(DrillSession, session_id)
    if session is None or session.trainer_id != trainer.id:
        raise SessionError("not_found", "no such session")
    return session


def team_of(session: DrillSession, team_id: int | None) -> Team | None:
    if team_id is None:
        return None
    team = next((t for t in session.teams if t.id == team_id), None)
    if team is None:
        raise SessionError("bad_team", "no such team in this session")
    return team


def delete_session(session: DrillSession) -> None:
    """Delete a session that has not started or has ended, with everything it recorded."""
    from ..models import AarItem, AarRating, ActionRecord, ScoreOverride, ShareLink, TeamScore

    team_ids = [t.id for t in session.teams]
    if team_ids:
        for model in (PostRecord, ActionRecord, ScoreOverride, AarRating, AarItem, TeamScore):
            db.session.execute(delete(model).where(model.team_id.in_(team_ids)))
    db.session.execute(delete(Control).where(Control.session_id == session.id))
    db.session.execute(delete(ShareLink).where(ShareLink.session_id == session.id))
    db.session.delete(session)
    db.session.commit()


# -- joining -----------------------------------------------------------------------------


def session_by_code(code: str) -> DrillSession:
    code = (code or "").strip().upper().replace(" ", "").replace("-", "")
    session = None
    if len(code) == 6 and all(c in JOIN_ALPHABET for c in code):
        session = db.session.scalar(select(DrillSession).where(DrillSession.join_code == code))
    if session is None:
        raise SessionError("bad_code", "unknown join code")
    if session.status == "ended":
        raise SessionError("ended_code", "this session has ended")
    return session


# -- what the runner records -------------------------------------------------------


def commit() -> None:
    """Commit what the runner's tick stored (its batches and the inputs it took) at once."""
    db.session.commit()


def record_tallies(tallies: Iterable[tuple[Team, Tally, Tally, Sequence[int]]]) -> None:
    """Keep each team's tallies: its storm as played, and the same storm unanswered (played
    with the controls whose ids are given)."""
    for team, played, unanswered, controls in tallies:
        team.played = played.to_json()
        team.unanswered = {**unanswered.to_json(), "controls": list(controls)}
    db.session.commit()


def posts_per_team(session: DrillSession) -> dict[int, int]:
    """How many posts each team of the session has stored."""
    ids = [t.id for t in session.teams]
    rows = db.session.execute(
        select(PostRecord.team_id, func.count(PostRecord.id))
        .where(PostRecord.team_id.in_(ids))
        .group_by(PostRecord.team_id)
    )
    return {team_id: count for team_id, count in rows}


def posts_since(team_id: int, seq: int, limit: int = 5000) -> list[tuple[int, dict[str, Any]]]:
    """(seq, post) of every post sent to a team after batch `seq`, in order (a batch's posts
    in time order, as the runner sent them)."""
    rows = db.session.execute(
        select(PostRecord.seq, PostRecord.data)
        .where(PostRecord.team_id == team_id, PostRecord.seq > seq, PostRecord.shown)
        .order_by(PostRecord.seq, PostRecord.t, PostRecord.id)
        .limit(limit + 1)
    ).all()
    return [(r[0], r[1]) for r in rows]


def snapshot_posts(team_id: int, per_platform: int = SNAPSHOT_PER_PLATFORM) -> list[dict[str, Any]]:
    """The latest posts shown in each platform column, oldest first."""
    out: list[tuple[float, int, dict[str, Any]]] = []
    platforms = db.session.scalars(
        select(PostRecord.platform).where(PostRecord.team_id == team_id).distinct()
    ).all()
    for platform in platforms:
        rows = db.session.execute(
            select(PostRecord.id, PostRecord.t, PostRecord.data)
            .where(
                PostRecord.team_id == team_id,
                PostRecord.platform == platform,
                PostRecord.shown,
            )
            .order_by(PostRecord.t.desc(), PostRecord.id.desc())
            .limit(per_platform)
        ).all()
        out.extend((r[1], r[0], r[2]) for r in rows)
    out.sort(key=lambda item: (item[0], item[1]))
    return [data for _, _, data in out]
