"""Sessions: create, join by code, the lobby, the clock and the trainer's controls.

Every function here that changes something commits before it returns, and returns what the
caller needs to tell people (the web and socket layers emit; nothing here emits).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select

from ..engine.actions import Action
from ..engine.clock import MAX_SPEED, MIN_SPEED, Clock
from ..engine.loader import load_scenario_text
from ..engine.scenario import LANGS, Scenario
from ..engine.tally import Tally
from ..extensions import db
from ..feed import DEFAULT_INTENSITY, INTENSITIES
from ..models import Control, DrillSession, Participant, PostRecord, Team, Trainer
from ..plaintext import refusal
from ..wallclock import now as wall_now

JOIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud, typed on phones
MAX_TEAMS = 12
MAX_NAME = 40
SNAPSHOT_PER_PLATFORM = 50
STORM_CONTROLS = ("inject", "difficulty")


class SessionError(Exception):
    """A request that cannot be done; `code` is for programs, the message for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _hash(token: str) -> str:
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


def _store_clock(session: DrillSession, clock: Clock) -> None:
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
    _intensity(new.intensity)
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


def join(
    code: str, name: str, team_id: int | None = None, role: str | None = None
) -> tuple[Participant, str]:
    """A participant joins; returns them and their secret token (kept in their browser)."""
    session = session_by_code(code)
    if why := refusal("name", name or ""):
        raise SessionError("bad_name", why)
    name = " ".join((name or "").split())
    if not 1 <= len(name) <= MAX_NAME:
        raise SessionError("bad_name", f"a display name has 1 to {MAX_NAME} characters")
    team = None
    if session.team_choice == "pick" and team_id is not None:
        team = team_of(session, team_id)
    roles = {r.id for r in scenario_of(session).roles}
    if role is not None and role not in roles:
        raise SessionError("bad_role", "no such role in this scenario")
    token = secrets.token_urlsafe(32)
    participant = Participant(
        session_id=session.id, team=team, name=name, role=role, token_hash=_hash(token)
    )
    db.session.add(participant)
    db.session.commit()
    return participant, token


def participant_for_token(token: str | None) -> Participant | None:
    if not token or len(token) > 100:
        return None
    participant = db.session.scalar(
        select(Participant).where(Participant.token_hash == _hash(token))
    )
    if participant is None or participant.removed:
        return None
    if not hmac.compare_digest(participant.token_hash, _hash(token)):
        return None
    return participant


def choose(participant: Participant, team_id: int | None, role: str | None) -> Participant:
    """A participant picks a team (when allowed) and a role in the lobby."""
    session = participant.session
    if team_id is not None:
        if session.team_choice != "pick":
            raise SessionError("assigned", "the trainer assigns the teams")
        participant.team = team_of(session, team_id)
    if role is not None:
        participant.role = _role(session, role)
    db.session.commit()
    return participant


def _role(session: DrillSession, role: str) -> str:
    if role not in {r.id for r in scenario_of(session).roles}:
        raise SessionError("bad_role", "no such role in this scenario")
    return role


def _participant_of(session: DrillSession, participant_id: int) -> Participant:
    participant = next((p for p in session.participants if p.id == participant_id), None)
    if participant is None or participant.removed:
        raise SessionError("bad_participant", "no such participant in this session")
    return participant


def move_participant(
    session: DrillSession, participant_id: int, team_id: int | None, role: str | None = None
) -> Participant:
    participant = _participant_of(session, participant_id)
    participant.team = team_of(session, team_id)
    if role is not None:
        participant.role = _role(session, role)
    db.session.commit()
    return participant


def remove_participant(session: DrillSession, participant_id: int) -> Participant:
    participant = _participant_of(session, participant_id)
    participant.removed = True
    db.session.commit()
    return participant


# -- the clock ---------------------------------------------------------------------------


def _log(
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
        sim_t=clock_of(session).at(wall_now()) if sim_t is None else sim_t,
    )
    db.session.add(control)
    return control


def _not_ended(session: DrillSession) -> None:
    if session.status == "ended":
        raise SessionError("ended", "this session has ended")


def start(session: DrillSession) -> DrillSession:
    _not_ended(session)
    if session.status == "running":
        raise SessionError("running", "the session is already running")
    now = wall_now()
    _log(session, "start" if session.status == "lobby" else "resume", {})
    if session.status == "lobby":
        session.started_at = datetime.now(UTC)
    _store_clock(session, clock_of(session).start(now))
    session.status = "running"
    db.session.commit()
    return session


resume = start


def pause(session: DrillSession) -> DrillSession:
    _not_ended(session)
    if session.status != "running":
        raise SessionError("not_running", "the session is not running")
    now = wall_now()
    _log(session, "pause", {})
    _store_clock(session, clock_of(session).pause(now))
    session.status = "paused"
    db.session.commit()
    return session


def set_speed(session: DrillSession, speed: float) -> DrillSession:
    _not_ended(session)
    try:
        clock = clock_of(session).with_speed(float(speed), wall_now())
    except (TypeError, ValueError) as exc:
        raise SessionError("bad_speed", str(exc)) from None
    _log(session, "speed", {"speed": clock.speed})
    _store_clock(session, clock)
    db.session.commit()
    return session


def jump(session: DrillSession, to: float | None = None) -> DrillSession:
    """Jump forward to a simulated time, or to the start of the next phase."""
    _not_ended(session)
    now = wall_now()
    clock = clock_of(session)
    current = clock.at(now)
    if to is None:
        upcoming = [p.start for p in scenario_of(session).phases if p.start > current]
        if not upcoming:
            raise SessionError("last_phase", "this is the last phase")
        to = upcoming[0]
    try:
        clock = clock.jump(float(to), now)
    except (TypeError, ValueError) as exc:
        raise SessionError("bad_jump", str(exc)) from None
    _log(session, "jump", {"from": round(current, 3), "to": clock.sim})
    _store_clock(session, clock)
    db.session.commit()
    return session


def recover_clock(session: DrillSession, sim: float) -> DrillSession:
    """After a restart: the clock resumes where the last posts were sent, not later."""
    now = wall_now()
    clock = clock_of(session)
    if clock.running:
        _log(session, "recover", {"from": round(clock.at(now), 3), "to": round(sim, 3)}, sim_t=sim)
        session.clock_sim, session.clock_wall = min(sim, clock.end), now
        db.session.commit()
    return session


def end(session: DrillSession) -> DrillSession:
    _not_ended(session)
    now = wall_now()
    _log(session, "end", {})
    _store_clock(session, clock_of(session).pause(now))
    session.status = "ended"
    session.ended_at = datetime.now(UTC)
    db.session.commit()
    return session


# -- controls that reach the teams -------------------------------------------------------


def send_inject(
    session: DrillSession,
    team_id: int | None,
    *,
    inject: str | None = None,
    platform: str | None = None,
    persona: str | None = None,
    text: str | None = None,
) -> Control:
    """A curveball to one team or all: an optional inject of the scenario, or one written now."""
    _not_ended(session)
    team = team_of(session, team_id)
    scenario = scenario_of(session)
    if inject:
        if inject not in {i.id for i in scenario.injects}:
            raise SessionError("bad_inject", "no such inject in this scenario")
        payload: dict[str, Any] = {"inject": inject}
    else:
        text = (text or "").strip()
        if platform not in scenario.platforms:
            raise SessionError("bad_platform", "choose one of the scenario's platforms")
        if persona not in {p.id for p in scenario.personas}:
            raise SessionError("bad_persona", "choose one of the scenario's personas")
        if not 1 <= len(text) <= 1000:
            raise SessionError("bad_text", "the post needs a text of at most 1,000 characters")
        if why := refusal("text", text):
            raise SessionError("bad_text", why)
        payload = {"platform": platform, "persona": persona, "text": text}
    control = _log(session, "inject", payload, team)
    db.session.commit()
    return control


def send_notice(
    session: DrillSession, team_id: int | None, text: str, kind: str = "notice"
) -> Control:
    """A notice, or a "phone call", to one team or all."""
    _not_ended(session)
    team = team_of(session, team_id)
    text = (text or "").strip()
    if not 1 <= len(text) <= 1000:
        raise SessionError("bad_text", "a notice has 1 to 1,000 characters")
    if why := refusal("text", text):
        raise SessionError("bad_text", why)
    if kind not in ("notice", "call"):
        raise SessionError("bad_kind", "a notice is a 'notice' or a 'call'")
    control = _log(session, "notice", {"text": text, "kind": kind}, team)
    db.session.commit()
    return control


def set_difficulty(
    session: DrillSession, team_id: int | None, volume: float | None, aggression: float | None
) -> Control:
    """Storm volume (0 to 2) and aggression (-1 to 1), for one team or all."""
    _not_ended(session)
    team = team_of(session, team_id)
    payload: dict[str, Any] = {}
    for name, value, lo, hi in (
        ("volume", volume, 0.0, 2.0),
        ("aggression", aggression, -1.0, 1.0),
    ):
        if value is None:
            continue
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise SessionError("bad_difficulty", f"{name} must be a number") from None
        if not lo <= value <= hi:
            raise SessionError("bad_difficulty", f"{name} must be from {lo:g} to {hi:g}")
        payload[name] = value
    if not payload:
        raise SessionError("bad_difficulty", "give a volume and/or an aggression")
    for t in [team] if team else session.teams:
        t.volume = payload.get("volume", t.volume)
        t.aggression = payload.get("aggression", t.aggression)
    control = _log(session, "difficulty", payload, team)
    db.session.commit()
    return control


def _intensity(name: str | None) -> str:
    if name not in INTENSITIES:
        raise SessionError("bad_intensity", f"an intensity is one of {', '.join(INTENSITIES)}")
    return name


def set_intensity(session: DrillSession, team_id: int | None, intensity: str | None) -> Control:
    """How many posts each column shows at the peak (simulator/feed.py), for one team or all."""
    _not_ended(session)
    team = team_of(session, team_id)
    # the session keeps the intensity it opened with: the runner replays the changes from it
    control = _log(session, "intensity", {"intensity": _intensity(intensity)}, team)
    db.session.commit()
    return control


def intensity_controls(session_id: int, *, pending: bool = False) -> list[Control]:
    """Intensity changes (only those the runner has not taken yet, if `pending`), by id."""
    query = select(Control).where(Control.session_id == session_id, Control.kind == "intensity")
    if pending:
        query = query.where(Control.applied_t.is_(None))
    return list(db.session.scalars(query.order_by(Control.id)))


# -- what the runner needs ---------------------------------------------------------------


def storm_controls(session_id: int, *, pending: bool = False) -> list[Control]:
    """Controls that reach the storm (only those no storm has taken yet, if `pending`), by id."""
    query = select(Control).where(
        Control.session_id == session_id, Control.kind.in_(STORM_CONTROLS)
    )
    if pending:
        query = query.where(Control.applied_t.is_(None))
    return list(db.session.scalars(query.order_by(Control.id)))


def input_place(n: int | None, kind: int, record_id: int) -> tuple[int, int, int]:
    """Where a storm input (a control: kind 0, an action: 1) goes among those taken at the
    same simulated time: in the order the runner took them (`applied_n`; inputs taken before
    that order was recorded: controls first, then by id). Never by time and id alone: ids can
    be committed out of order (PostgreSQL), and the runner took them as they came."""
    return (n, kind, record_id) if n is not None else (-1, kind, record_id)


def control_action(control: Control, at: float) -> Action:
    """The engine input of a control, taking effect at `at`."""
    p = control.payload
    key = f"c{control.id}"
    if control.kind == "inject":
        return Action(
            t=at,
            type="inject",
            id=key,
            inject=p.get("inject"),
            platform=p.get("platform"),
            persona=p.get("persona"),
            text=p.get("text") or "",
        )
    return Action(
        t=at, type="difficulty", id=key, volume=p.get("volume"), aggression=p.get("aggression")
    )


def mark_applied(applied: Sequence[tuple[Control, float, int]], *, commit: bool = True) -> None:
    """Record when (simulated time) and in which place among the storm's inputs each was taken."""
    for control, at, n in applied:
        control.applied_t, control.applied_n = at, n
    if commit:
        db.session.commit()


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
