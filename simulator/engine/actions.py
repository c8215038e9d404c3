"""Actions: what a team (or the trainer) does, as the engine takes it.

An action is JSON with at least `t` (simulated seconds) and `type`; `target` is a post id or
null; `text` carries replies, statements and memos; escalations carry `role` and `severity`.
Trainer controls are actions too (`inject`, `difficulty`), so a session replays exactly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

TEAM_TYPES = (
    "tag",
    "escalate",
    "reply",
    "dm",
    "hide",
    "delete",
    "holding_statement",
    "memo",
)
CONTROL_TYPES = ("inject", "difficulty")
TYPES = TEAM_TYPES + CONTROL_TYPES
TAGS = ("ignore", "watch", "handle")
NEEDS_TARGET = frozenset({"tag", "escalate", "reply", "dm", "hide", "delete"})
NEEDS_TEXT = frozenset({"reply", "dm", "holding_statement", "memo"})
MAX_TEXT = 5000


class ActionError(ValueError):
    """An action the engine cannot take; the message says which and why."""


@dataclass(frozen=True, slots=True)
class Action:
    t: float
    type: str
    target: str | None = None
    text: str = ""
    role: str | None = None
    severity: int | None = None
    tag: str | None = None
    id: str | None = None
    # trainer controls
    inject: str | None = None  # an optional inject of the scenario, by id
    platform: str | None = None  # a custom inject written on the spot
    persona: str | None = None
    volume: float | None = None  # difficulty: multiplier of background volume (0 to 2)
    aggression: float | None = None  # difficulty: -1 (kinder) to 1 (angrier)

    def key(self, index: int) -> str:
        """A stable name for this action within its log (its id, else its position)."""
        return self.id if self.id is not None else f"a{index}"


_FIELDS = {
    "t",
    "type",
    "target",
    "text",
    "role",
    "severity",
    "tag",
    "id",
    "inject",
    "platform",
    "persona",
    "volume",
    "aggression",
}


def action_from_json(data: Any, where: str = "action") -> Action:
    """Build an Action from decoded JSON, refusing anything malformed with a clear message."""
    if not isinstance(data, dict):
        raise ActionError(f"{where}: an action is a JSON object")
    unknown = sorted(set(data) - _FIELDS)
    if unknown:
        raise ActionError(f"{where}: unknown field {unknown[0]!r}")
    t = data.get("t")
    if isinstance(t, bool) or not isinstance(t, int | float) or not t >= 0 or t > 1e7:
        raise ActionError(f"{where}: 't' must be simulated seconds (a number >= 0)")
    kind = data.get("type")
    if kind not in TYPES:
        raise ActionError(f"{where}: 'type' must be one of {', '.join(TYPES)}")

    def text_field(name: str) -> str | None:
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            raise ActionError(f"{where}: {name!r} must be text")
        if value is not None and len(value) > MAX_TEXT:
            raise ActionError(f"{where}: {name!r} is longer than {MAX_TEXT} characters")
        return value

    target, text, role = text_field("target"), text_field("text") or "", text_field("role")
    tag, ident = text_field("tag"), data.get("id")
    if ident is not None and not isinstance(ident, str | int):
        raise ActionError(f"{where}: 'id' must be text or a number")
    if kind in NEEDS_TARGET and not target:
        raise ActionError(f"{where}: a {kind} action needs a 'target' post id")
    if kind in NEEDS_TEXT and not text.strip():
        raise ActionError(f"{where}: a {kind} action needs a 'text'")
    severity = data.get("severity")
    if kind == "escalate":
        if not role:
            raise ActionError(f"{where}: an escalation needs a 'role'")
        if isinstance(severity, bool) or severity not in (1, 2, 3, 4):
            raise ActionError(f"{where}: an escalation needs a 'severity' from 1 to 4")
    elif severity is not None and (isinstance(severity, bool) or severity not in (1, 2, 3, 4)):
        raise ActionError(f"{where}: 'severity' must be 1 to 4")
    if kind == "tag" and tag not in TAGS:
        raise ActionError(f"{where}: a tag action needs 'tag': {', '.join(TAGS)}")
    volume, aggression = data.get("volume"), data.get("aggression")
    for name, value, lo, hi in (
        ("volume", volume, 0.0, 2.0),
        ("aggression", aggression, -1.0, 1.0),
    ):
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int | float) or not lo <= value <= hi
        ):
            raise ActionError(f"{where}: {name!r} must be a number from {lo:g} to {hi:g}")
    if kind == "difficulty" and volume is None and aggression is None:
        raise ActionError(f"{where}: a difficulty action needs 'volume' and/or 'aggression'")
    inject, platform, persona = text_field("inject"), text_field("platform"), text_field("persona")
    if kind == "inject" and not inject and not (platform and persona and text.strip()):
        raise ActionError(
            f"{where}: an inject action names a scenario 'inject', or gives 'platform', "
            f"'persona' and 'text'"
        )
    return Action(
        t=float(t),
        type=kind,
        target=target,
        text=text,
        role=role,
        severity=severity,
        tag=tag,
        id=str(ident) if ident is not None else None,
        inject=inject,
        platform=platform,
        persona=persona,
        volume=float(volume) if volume is not None else None,
        aggression=float(aggression) if aggression is not None else None,
    )


def action_to_json(action: Action) -> dict[str, Any]:
    out: dict[str, Any] = {"t": action.t, "type": action.type}
    for name in sorted(_FIELDS - {"t", "type"}):
        value = getattr(action, name)
        if value not in (None, ""):
            out[name] = value
    return out


def parse_actions_jsonl(text: str, source: str = "actions") -> list[Action]:
    """One JSON action per line (blank lines and lines starting with # are skipped)."""
    actions = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{source}:{number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ActionError(f"{where}: not valid JSON ({exc.msg})") from None
        actions.append(action_from_json(data, where))
    return actions
