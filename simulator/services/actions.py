"""What participants do: triage, escalation, replies (with approval), memos, chat.

Each action is checked (the sender's session, team and role; the target post exists in that
team's world; sizes), stored, and only then acknowledged. The same idempotency key twice
returns the action already stored. Storm inputs (`engine`) are picked up by the runner.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ..engine.actions import Action
from ..extensions import db
from ..models import ActionRecord, Participant, PostRecord, Team
from ..plaintext import refusal
from ..throttle import LIMITS, throttles
from ..wallclock import now as wall_now
from . import sessions as svc
from .action_types import ENGINE_TYPES, NEEDS_TARGET, NEEDS_TEXT, PUBLIC, TYPES
from .payloads import MAX_TEXT

MAX_KEY = 64
RATE, RATE_WINDOW = LIMITS["actions"]  # actions per participant per this many seconds


class ActionError(svc.SessionError):
    pass


@dataclass(frozen=True)
class Stored:
    action: ActionRecord
    duplicate: bool


def _limit(participant_id: int) -> None:
    if throttles().actions.take(participant_id):
        raise ActionError("rate_limited", "too many actions at once: wait a few seconds")


def _post(team: Team, post_id: str) -> PostRecord:
    row = db.session.scalar(
        select(PostRecord).where(PostRecord.team_id == team.id, PostRecord.post_id == post_id)
    )
    if row is None:
        raise ActionError("unknown_post", "this post is not in your team's feed")
    return row


def approver_of(participant: Participant) -> str | None:
    """The role whose approval this participant's public replies need, if any."""
    if participant.role is None:
        return None
    scenario = svc.scenario_of(participant.session)
    role = next((r for r in scenario.roles if r.id == participant.role), None)
    return role.approval_by if role else None


def act(participant: Participant, data: dict[str, Any]) -> Stored:
    """Check, store and return one action; raises ActionError with a code and a message."""
    key = data.get("key")
    if not isinstance(key, str) or not 1 <= len(key) <= MAX_KEY:
        raise ActionError("bad_key", f"every action carries a 'key' of 1 to {MAX_KEY} characters")
    existing = _by_key(participant.id, key)
    if existing is not None:
        return Stored(existing, True)
    kind = data.get("type")
    if kind not in TYPES:
        raise ActionError("bad_type", f"'type' is one of {', '.join(sorted(TYPES))}")
    session = participant.session
    team = participant.team
    if team is None:
        raise ActionError("no_team", "join a team first")
    if session.status == "ended":
        raise ActionError("ended", "the drill is over")
    if session.status != "running" and kind != "chat":
        raise ActionError("paused", "the drill is paused: actions wait until it resumes")
    text = data.get("text") or ""
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        raise ActionError("bad_text", f"a text has at most {MAX_TEXT} characters")
    if why := refusal("text", text):
        raise ActionError("bad_text", why)
    if kind in NEEDS_TEXT and not text.strip():
        raise ActionError("missing_text", "write something first")
    _limit(participant.id)
    scenario = svc.scenario_of(session)
    sim_t = svc.clock_of(session).at(wall_now())
    record = ActionRecord(
        team_id=team.id,
        participant_id=participant.id,
        key=key,
        type=kind,
        text=text.strip(),
        sim_t=sim_t,
    )
    if kind in NEEDS_TARGET:
        target = data.get("target")
        if not isinstance(target, str) or not target:
            raise ActionError("missing_target", "this action needs a post")
        post = _post(team, target)
        if kind in ("hide", "delete") and post.platform != "brand_page":
            raise ActionError(
                "not_brand_page", "only comments on the brand's own page can be hidden or deleted"
            )
        record.target = target
    if kind == "tag":
        if data.get("tag") not in ("ignore", "watch", "handle"):
            raise ActionError("bad_tag", "a tag is ignore, watch or handle")
        record.tag = data["tag"]
    if kind == "escalate":
        role, severity = data.get("role"), data.get("severity")
        if role not in {r.id for r in scenario.roles}:
            raise ActionError("bad_role", "escalate to one of your crisis cell's roles")
        if isinstance(severity, bool) or severity not in (1, 2, 3, 4):
            raise ActionError("bad_severity", "a severity is 1 to 4")
        record.role, record.severity = role, severity
    if kind in PUBLIC and approver_of(participant):
        record.status = "draft"
        record.role = approver_of(participant)
    elif kind in ENGINE_TYPES:
        record.engine = True
    published = _decide(participant, record, data) if kind in ("approve", "reject") else None
    numbered = [record] if published is None else [record, published]
    last = _number(team.id, len(numbered))
    for n, r in enumerate(numbered, start=last - len(numbered) + 1):
        r.seq = n
        db.session.add(r)
    try:
        db.session.commit()
    except IntegrityError:
        # the same key sent twice at once: the other one was stored first
        db.session.rollback()
        existing = _by_key(participant.id, key)
        if existing is None:
            raise
        return Stored(existing, True)
    return Stored(record, False)


def _by_key(participant_id: int, key: str) -> ActionRecord | None:
    return db.session.scalar(
        select(ActionRecord).where(
            ActionRecord.participant_id == participant_id, ActionRecord.key == key
        )
    )


def _number(team_id: int, count: int) -> int:
    """Take the team's next `count` action numbers; returns the last. One atomic UPDATE: two
    actions stored at once never get the same number (the row stays locked until commit)."""
    return db.session.execute(
        update(Team)
        .where(Team.id == team_id)
        .values(action_seq=Team.action_seq + count)
        .returning(Team.action_seq),
        execution_options={"synchronize_session": False},
    ).scalar_one()


def _decide(
    participant: Participant, record: ActionRecord, data: dict[str, Any]
) -> ActionRecord | None:
    """Decide on a draft; an approval returns the action that publishes it (to be numbered)."""
    draft_id = data.get("draft")
    draft = db.session.get(ActionRecord, draft_id) if isinstance(draft_id, int) else None
    if draft is None or draft.team_id != participant.team_id or draft.status != "draft":
        raise ActionError("bad_draft", "this draft is not waiting for a decision")
    if participant.role != draft.role:
        raise ActionError("not_approver", "only the approving role can decide on this draft")
    record.draft_id = draft.id
    record.target = draft.target
    if record.type == "approve":
        draft.status = "approved"
        # publishing: the (possibly edited) text goes out as the author's kind of action
        published = ActionRecord(
            team_id=draft.team_id,
            participant_id=participant.id,
            key=f"{record.key}:publish",
            type=draft.type,
            target=draft.target,
            text=(record.text or draft.text),
            status="done",
            draft_id=draft.id,
            engine=True,
            sim_t=record.sim_t,
        )
        record.text = published.text
        return published
    draft.status = "rejected"
    return None


def view(record: ActionRecord) -> dict[str, Any]:
    """An action as clients see it."""
    return {
        "id": record.id,
        "seq": record.seq,
        "key": record.key,
        "type": record.type,
        "target": record.target,
        "text": record.text,
        "role": record.role,
        "severity": record.severity,
        "tag": record.tag,
        "status": record.status,
        "draft": record.draft_id,
        "t": round(record.sim_t, 3),
        "by": {
            "id": record.participant_id,
            "name": record.participant.name,
            "role": record.participant.role,
        },
    }


def told_with(record: ActionRecord) -> list[ActionRecord]:
    """A stored action and what it changed, as teammates are told of them: a decision also
    changes its draft, and an approval publishes a reply (numbered after the decision)."""
    changed = [record.draft] if record.draft is not None else []
    return [record, *changed, *team_actions(record.team_id, record.seq)]


def team_actions(team_id: int, after_seq: int = 0) -> list[ActionRecord]:
    return list(
        db.session.scalars(
            select(ActionRecord)
            .where(ActionRecord.team_id == team_id, ActionRecord.seq > after_seq)
            .order_by(ActionRecord.seq)
        )
    )


def storm_actions(team_ids: list[int], *, pending: bool = False) -> list[ActionRecord]:
    """Engine inputs of these teams (only those no storm has taken yet, if `pending`), by id.

    The runner takes what is pending rather than what comes after the last id it saw: ids are
    handed out before commit, so on PostgreSQL a lower id can become visible after a higher.
    """
    if not team_ids:
        return []
    query = select(ActionRecord).where(ActionRecord.team_id.in_(team_ids), ActionRecord.engine)
    if pending:
        query = query.where(ActionRecord.applied_t.is_(None))
    return list(db.session.scalars(query.order_by(ActionRecord.id)))


def engine_action(record: ActionRecord, at: float) -> Action:
    return Action(
        t=at,
        type=record.type,
        target=record.target,
        text=record.text,
        role=record.role,
        severity=record.severity,
        tag=record.tag,
        id=f"p{record.id}",
    )


def mark_applied(applied: list[tuple[ActionRecord, float, int]], *, commit: bool = True) -> None:
    """Record when (simulated time) and in which place among the storm's inputs each was taken."""
    for record, at, n in applied:
        record.applied_t, record.applied_n = at, n
    if commit:
        db.session.commit()
