"""The trainer's controls, declared once: each control's fields (which are required, their
types and ranges), what it does and whom it tells.

The control room's socket event (`control`), the REST API (`POST .../controls` and its
shortcuts) and the OpenAPI document all read this registry, so a payload gets the same
answer whichever way it comes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app

from ..engine.clock import MAX_SPEED, MIN_SPEED
from ..engine.scenario import PLATFORMS
from ..feed import INTENSITIES
from ..models import Control as ControlRecord
from ..models import DrillSession, Participant
from . import broadcast, messages
from . import sessions as svc
from .payloads import MAX_ID, NUMBER, PayloadError, check

Schema = dict[str, Any]


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

Done = ControlRecord | Participant | DrillSession | None


@dataclass(frozen=True)
class Control:
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


CONTROLS: dict[str, Control] = {
    c.name: c
    for c in (
        Control(
            "start",
            "start the storm's clock (from the lobby or after a pause)",
            lambda s, d: svc.start(s),
            "clock",
            drives=True,
            shortcut=True,
        ),
        Control("pause", "pause the clock", lambda s, d: svc.pause(s), "clock", shortcut=True),
        Control(
            "resume",
            "resume after a pause",
            lambda s, d: svc.start(s),
            "clock",
            drives=True,
            shortcut=True,
        ),
        Control(
            "speed",
            "change the speed",
            lambda s, d: svc.set_speed(s, d["speed"]),
            "clock",
            ("speed",),
            ("speed",),
        ),
        Control(
            "jump",
            "jump forward to a simulated time",
            lambda s, d: svc.jump(s, d["to"]),
            "clock",
            ("to",),
            ("to",),
        ),
        Control(
            "next_phase",
            "jump to the start of the next phase",
            lambda s, d: svc.jump(s, None),
            "clock",
        ),
        Control(
            "inject",
            "send a post to one team or all: a scenario inject by id, or platform, persona "
            "and text",
            lambda s, d: svc.send_inject(
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
        Control(
            "notice",
            "a notice, or a phone call, to one team or all",
            lambda s, d: svc.send_notice(
                s, d.get("team"), d.get("text") or "", d.get("kind") or "notice"
            ),
            "notice",
            ("team", "text", "kind"),
            ("text",),
        ),
        Control(
            "difficulty",
            "storm volume and/or aggression, for one team or all",
            lambda s, d: svc.set_difficulty(s, d.get("team"), d.get("volume"), d.get("aggression")),
            "storm",
            ("team", "volume", "aggression"),
        ),
        Control(
            "intensity",
            "how many posts each column shows at the storm's peak, for one team or all",
            lambda s, d: svc.set_intensity(s, d.get("team"), d.get("intensity")),
            "storm",
            ("team", "intensity"),
            ("intensity",),
        ),
        Control("end", "end the session", lambda s, d: svc.end(s), "clock", shortcut=True),
        Control(
            "move",
            "put a participant in a team (none: back to the lobby), with a role",
            lambda s, d: svc.move_participant(s, d["participant"], d.get("team"), d.get("role")),
            "participant",
            ("participant", "team", "role"),
            ("participant",),
            rest=False,
        ),
        Control(
            "remove",
            "remove a participant from the session",
            lambda s, d: svc.remove_participant(s, d["participant"]),
            "participant",
            ("participant",),
            ("participant",),
            rest=False,
        ),
    )
}

REST_CONTROLS = {name: c for name, c in CONTROLS.items() if c.rest}


def _fields(controls: dict[str, Control], *extra: str) -> dict[str, tuple[Any, bool]]:
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
