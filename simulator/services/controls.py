"""The trainer's controls, declared once: each control's fields (which are required, their
types and ranges), what it does and whom it tells; the controls that reach the teams
(curveballs, notices, difficulty, intensity) and the log of them that the runner reads.

The control room's socket event (`control`), the REST API (`POST .../controls` and its
shortcuts) and the OpenAPI document all read this registry, so a payload gets the same
answer whichever way it comes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import select

from ..engine.actions import Action
from ..engine.clock import MAX_SPEED, MIN_SPEED
from ..engine.scenario import PLATFORMS
from ..extensions import db
from ..feed import INTENSITIES
from ..models import Control as ControlRecord
from ..models import DrillSession, Participant
from ..plaintext import refusal
from . import broadcast, messages, participants
from . import clock as clocks
from . import sessions as svc
from .payloads import MAX_ID, NUMBER, PayloadError, check

Schema = dict[str, Any]
STORM_CONTROLS = ("inject", "difficulty")  # the controls the storms take as inputs


@dataclass(frozen=True)
class Field:
    """A field a control may carry: its Python types (as `payloads.check` takes them) and
    its JSON Schema (types, ranges, choices), which the OpenAPI document shows."""

    types: type | tuple[type, ...]
    schema: Schema

    def check(self, name: str, value: Any) -> None:
        """Ids are checked here (a larger id is refused, not looked up); other ranges and
        choices by the service, which says which values it takes."""
        if self.schema.get("maximum") == MAX_ID and not 0 <= value <= MAX_ID:
            raise PayloadError("bad_field", f"'{name}' is out of range")


ID: Schema = {"type": "integer", "minimum": 0, "maximum": MAX_ID}
TEXT: Schema = {"type": "string", "minLength": 1, "maxLength": 1000}

FIELDS: dict[str, Field] = {
    "session": Field(int, {**ID, "description": "the session's id"}),
    "action": Field(str, {"type": "string", "description": "which control"}),
    "team": Field(
        int, {**ID, "type": ["integer", "null"], "description": "a team; none: every team"}
    ),
    "speed": Field(NUMBER, {"type": "number", "minimum": MIN_SPEED, "maximum": MAX_SPEED}),
    "to": Field(NUMBER, {"type": "number", "minimum": 0, "description": "simulated seconds"}),
    "inject": Field(str, {"type": "string", "description": "an inject id of the scenario"}),
    "platform": Field(str, {"enum": list(PLATFORMS)}),
    "persona": Field(str, {"type": "string", "description": "a persona id of the scenario"}),
    "text": Field(str, TEXT),
    "kind": Field(str, {"enum": ["notice", "call"]}),
    "volume": Field(NUMBER, {"type": "number", "minimum": 0, "maximum": 2}),
    "aggression": Field(NUMBER, {"type": "number", "minimum": -1, "maximum": 1}),
    "intensity": Field(str, {"enum": list(INTENSITIES)}),
    "participant": Field(int, {**ID, "description": "a participant's id"}),
    "role": Field(str, {"type": "string", "description": "a role id of the scenario"}),
}

# -- controls that reach the teams -------------------------------------------------------


def send_inject(
    session: DrillSession,
    team_id: int | None,
    *,
    inject: str | None = None,
    platform: str | None = None,
    persona: str | None = None,
    text: str | None = None,
) -> ControlRecord:
    """A curveball to one team or all: an optional inject of the scenario, or one written now."""
    clocks.not_ended(session)
    team = svc.team_of(session, team_id)
    scenario = svc.scenario_of(session)
    if inject:
        if inject not in {i.id for i in scenario.injects}:
            raise svc.SessionError("bad_inject", "no such inject in this scenario")
        payload: dict[str, Any] = {"inject": inject}
    else:
        text = (text or "").strip()
        if platform not in scenario.platforms:
            raise svc.SessionError("bad_platform", "choose one of the scenario's platforms")
        if persona not in {p.id for p in scenario.personas}:
            raise svc.SessionError("bad_persona", "choose one of the scenario's personas")
        if not 1 <= len(text) <= 1000:
            raise svc.SessionError("bad_text", "the post needs a text of at most 1,000 characters")
        if why := refusal("text", text):
            raise svc.SessionError("bad_text", why)
        payload = {"platform": platform, "persona": persona, "text": text}
    control = clocks.log_control(session, "inject", payload, team)
    db.session.commit()
    return control


def send_notice(
    session: DrillSession, team_id: int | None, text: str, kind: str = "notice"
) -> ControlRecord:
    """A notice, or a "phone call", to one team or all."""
    clocks.not_ended(session)
    team = svc.team_of(session, team_id)
    text = (text or "").strip()
    if not 1 <= len(text) <= 1000:
        raise svc.SessionError("bad_text", "a notice has 1 to 1,000 characters")
    if why := refusal("text", text):
        raise svc.SessionError("bad_text", why)
    if kind not in ("notice", "call"):
        raise svc.SessionError("bad_kind", "a notice is a 'notice' or a 'call'")
    control = clocks.log_control(session, "notice", {"text": text, "kind": kind}, team)
    db.session.commit()
    return control


def set_difficulty(
    session: DrillSession, team_id: int | None, volume: float | None, aggression: float | None
) -> ControlRecord:
    """Storm volume (0 to 2) and aggression (-1 to 1), for one team or all."""
    clocks.not_ended(session)
    team = svc.team_of(session, team_id)
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
            raise svc.SessionError("bad_difficulty", f"{name} must be a number") from None
        if not lo <= value <= hi:
            raise svc.SessionError("bad_difficulty", f"{name} must be from {lo:g} to {hi:g}")
        payload[name] = value
    if not payload:
        raise svc.SessionError("bad_difficulty", "give a volume and/or an aggression")
    for t in [team] if team else session.teams:
        t.volume = payload.get("volume", t.volume)
        t.aggression = payload.get("aggression", t.aggression)
    control = clocks.log_control(session, "difficulty", payload, team)
    db.session.commit()
    return control


def set_intensity(
    session: DrillSession, team_id: int | None, intensity: str | None
) -> ControlRecord:
    """How many posts each column shows at the peak (simulator/feed.py), for one team or all."""
    clocks.not_ended(session)
    team = svc.team_of(session, team_id)
    # the session keeps the intensity it opened with: the runner replays the changes from it
    control = clocks.log_control(
        session, "intensity", {"intensity": svc.check_intensity(intensity)}, team
    )
    db.session.commit()
    return control


def intensity_controls(session_id: int, *, pending: bool = False) -> list[ControlRecord]:
    """Intensity changes (only those the runner has not taken yet, if `pending`), by id."""
    query = select(ControlRecord).where(
        ControlRecord.session_id == session_id, ControlRecord.kind == "intensity"
    )
    if pending:
        query = query.where(ControlRecord.applied_t.is_(None))
    return list(db.session.scalars(query.order_by(ControlRecord.id)))


# -- the log of controls, as the runner reads it ----------------------------------------


def storm_controls(session_id: int, *, pending: bool = False) -> list[ControlRecord]:
    """Controls that reach the storm (only those no storm has taken yet, if `pending`), by id."""
    query = select(ControlRecord).where(
        ControlRecord.session_id == session_id, ControlRecord.kind.in_(STORM_CONTROLS)
    )
    if pending:
        query = query.where(ControlRecord.applied_t.is_(None))
    return list(db.session.scalars(query.order_by(ControlRecord.id)))


def input_place(n: int | None, kind: int, record_id: int) -> tuple[int, int, int]:
    """Where a storm input (a control: kind 0, an action: 1) goes among those taken at the
    same simulated time: in the order the runner took them (`applied_n`; inputs taken before
    that order was recorded: controls first, then by id). Never by time and id alone: ids can
    be committed out of order (PostgreSQL), and the runner took them as they came."""
    return (n, kind, record_id) if n is not None else (-1, kind, record_id)


def control_action(control: ControlRecord, at: float) -> Action:
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


def mark_applied(
    applied: Sequence[tuple[ControlRecord, float, int]], *, commit: bool = True
) -> None:
    """Record when (simulated time) and in which place among the storm's inputs each was taken."""
    for control, at, n in applied:
        control.applied_t, control.applied_n = at, n
    if commit:
        db.session.commit()


# -- the registry ---------------------------------------------------------------------

Done = ControlRecord | Participant | DrillSession | None


@dataclass(frozen=True)
class ControlType:
    """One control. `run` does it (through the session services, which commit) and returns
    the logged control, the participant moved, or nothing; `tells` says who hears of it:
    `clock` (every page of the session), `notice` (the team or all), `participant` (their
    pages and the control room), `storm` (nobody now: the runner gives it to the storms at
    its next tick, and the posts follow). `rest` is False for controls with routes of their
    own (a participant's move and removal)."""

    name: str
    summary: str
    run: Callable[[DrillSession, dict[str, Any]], Done]
    tells: str
    fields: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    drives: bool = False  # the runner drives the session from now on
    rest: bool = True
    shortcut: bool = False  # REST: also POST .../sessions/<id>/<name>, with no body


CONTROLS: dict[str, ControlType] = {
    c.name: c
    for c in (
        ControlType(
            "start",
            "start the storm's clock (from the lobby or after a pause)",
            lambda s, d: clocks.start(s),
            "clock",
            drives=True,
            shortcut=True,
        ),
        ControlType(
            "pause", "pause the clock", lambda s, d: clocks.pause(s), "clock", shortcut=True
        ),
        ControlType(
            "resume",
            "resume after a pause",
            lambda s, d: clocks.start(s),
            "clock",
            drives=True,
            shortcut=True,
        ),
        ControlType(
            "speed",
            "change the speed",
            lambda s, d: clocks.set_speed(s, d["speed"]),
            "clock",
            ("speed",),
            ("speed",),
        ),
        ControlType(
            "jump",
            "jump forward to a simulated time",
            lambda s, d: clocks.jump(s, d["to"]),
            "clock",
            ("to",),
            ("to",),
        ),
        ControlType(
            "next_phase",
            "jump to the start of the next phase",
            lambda s, d: clocks.jump(s, None),
            "clock",
        ),
        ControlType(
            "inject",
            "send a post to one team or all: a scenario inject by id, or platform, persona "
            "and text",
            lambda s, d: send_inject(
                s,
                d.get("team"),
                inject=d.get("inject"),
                platform=d.get("platform"),
                persona=d.get("persona"),
                text=d.get("text"),
            ),
            "storm",
            ("team", "inject", "platform", "persona", "text"),
        ),
        ControlType(
            "notice",
            "a notice, or a phone call, to one team or all",
            lambda s, d: send_notice(
                s, d.get("team"), d.get("text") or "", d.get("kind") or "notice"
            ),
            "notice",
            ("team", "text", "kind"),
            ("text",),
        ),
        ControlType(
            "difficulty",
            "storm volume and/or aggression, for one team or all",
            lambda s, d: set_difficulty(s, d.get("team"), d.get("volume"), d.get("aggression")),
            "storm",
            ("team", "volume", "aggression"),
        ),
        ControlType(
            "intensity",
            "how many posts each column shows at the storm's peak, for one team or all",
            lambda s, d: set_intensity(s, d.get("team"), d.get("intensity")),
            "storm",
            ("team", "intensity"),
            ("intensity",),
        ),
        ControlType("end", "end the session", lambda s, d: clocks.end(s), "clock", shortcut=True),
        ControlType(
            "move",
            "put a participant in a team (none: back to the lobby), with a role",
            lambda s, d: participants.move_participant(
                s, d["participant"], d.get("team"), d.get("role")
            ),
            "participant",
            ("participant", "team", "role"),
            ("participant",),
            rest=False,
        ),
        ControlType(
            "remove",
            "remove a participant from the session",
            lambda s, d: participants.remove_participant(s, d["participant"]),
            "participant",
            ("participant",),
            ("participant",),
            rest=False,
        ),
    )
}

REST_CONTROLS = {name: c for name, c in CONTROLS.items() if c.rest}


def _fields(controls: dict[str, ControlType], *extra: str) -> dict[str, tuple[Any, bool]]:
    names = [*extra, "action", *{f: None for c in controls.values() for f in c.fields}]
    return {name: (FIELDS[name].types, name in (*extra, "action")) for name in names}


SOCKET_FIELDS = _fields(CONTROLS, "session")  # the control room names the session
REST_FIELDS = _fields(REST_CONTROLS)  # the URL names it


def check_control(data: Any, *, rest: bool = False) -> dict[str, Any]:
    """The payload of one control, checked against the registry; raises PayloadError."""
    data = check(data, REST_FIELDS if rest else SOCKET_FIELDS)
    controls = REST_CONTROLS if rest else CONTROLS
    action = data["action"]
    control = controls.get(action)
    if control is None:
        raise PayloadError("bad_action", f"'action' names no control here: {action!r}")
    for name, value in data.items():
        if name in ("session", "action") or value is None:
            continue
        if name not in control.fields:
            raise PayloadError("bad_field", f"'{name}' does not apply to the '{action}' control")
        FIELDS[name].check(name, value)
    for name in control.required:
        if data.get(name) is None:
            raise PayloadError("missing_field", f"'{name}' is required for '{action}'")
    return data


def apply(session: DrillSession, data: dict[str, Any]) -> dict[str, Any]:
    """Run one checked control on a session and tell everyone concerned; returns what the
    caller answers: the logged control's id (or None) and the clock."""
    control = CONTROLS[data["action"]]
    done = control.run(session, data)
    if control.drives:  # the app's runner (simulator/runner.py), reached through the app
        current_app.extensions["stormdrill.runner"].ensure(session.id)
    if control.tells == "clock":
        broadcast.clock_changed(session)
    elif control.tells == "notice" and isinstance(done, ControlRecord):
        broadcast.notice_sent(session, done)
    elif control.tells == "participant" and isinstance(done, Participant):
        broadcast.participant_moved(session, done)
    return {
        "control": done.id if isinstance(done, ControlRecord) else None,
        "clock": messages.clock(session),
    }
