"""Participants' action types, declared once: what each does, the fields it takes, whether
it needs a post or a text, whether the storm takes it.

The types the storm takes (`engine`) are the engine's (simulator/engine/actions.py says
which need a target or a text, as it checks action logs on its own); the others (decisions
on drafts, the team's chat) are the crisis cell's. The `action` socket event, the action
service and the OpenAPI document read this registry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..engine import actions as engine
from .payloads import check

# what an `action` event may carry: name -> (types, required)
FIELDS: dict[str, tuple[Any, bool]] = {
    "key": (str, True),
    "type": (str, True),
    "target": (str, False),
    "text": (str, False),
    "role": (str, False),
    "severity": (int, False),
    "tag": (str, False),
    "draft": (int, False),
}


@dataclass(frozen=True)
class ActionType:
    name: str
    summary: str
    fields: tuple[str, ...]  # beyond `key` and `type`
    needs_target: bool = False
    needs_text: bool = False
    engine: bool = False  # the storm takes it (and answers)
    public: bool = False  # the brand speaks: held for approval if the sender's role needs it


def _engine(name: str, summary: str, fields: tuple[str, ...], public: bool = False):
    return ActionType(
        name,
        summary,
        fields,
        needs_target=name in engine.NEEDS_TARGET,
        needs_text=name in engine.NEEDS_TEXT,
        engine=True,
        public=public,
    )


TYPES: dict[str, ActionType] = {
    t.name: t
    for t in (
        _engine("tag", "mark a post to ignore, watch or handle", ("target", "tag")),
        _engine(
            "escalate",
            "escalate a post to a role with a severity (1-4) and a note",
            ("target", "role", "severity", "text"),
        ),
        _engine("reply", "reply to a post in public", ("target", "text"), public=True),
        _engine("dm", "answer a post's author in private", ("target", "text")),
        _engine("hide", "hide a comment on the brand's own page", ("target",)),
        _engine("delete", "delete a comment on the brand's own page", ("target",)),
        _engine("holding_statement", "publish a holding statement", ("text",), public=True),
        _engine("memo", "send an internal memo to staff", ("text",)),
        ActionType(
            "approve", "approve a colleague's draft (its text edited or not)", ("draft", "text")
        ),
        ActionType("reject", "send a colleague's draft back", ("draft", "text"), needs_text=True),
        ActionType("chat", "a message in the team's chat", ("text",), needs_text=True),
    )
}
assert {n for n, t in TYPES.items() if t.engine} == set(engine.TEAM_TYPES)

ENGINE_TYPES = frozenset(n for n, t in TYPES.items() if t.engine)
NEEDS_TARGET = frozenset(n for n, t in TYPES.items() if t.needs_target)
NEEDS_TEXT = frozenset(n for n, t in TYPES.items() if t.needs_text)
PUBLIC = frozenset(n for n, t in TYPES.items() if t.public)


def check_action(data: Any) -> dict[str, Any]:
    """The payload of one action, its fields' types checked; the action service checks the
    rest (the type, what it needs, the post, the role) against the team's world."""
    return check(data, FIELDS)
