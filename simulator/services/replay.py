"""The replay of a session: a team's workspace as it stood at any simulated time.

A team's storm can hold tens of thousands of posts, so nothing here loads them all: each
question is a small query on the `post` table (index team, platform, time) and returns what
one frame of the replay page shows. Posts are the stored JSON, as the participants received
it; actions are those stored up to the time asked, with drafts as they stood then.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, case, func, or_, select

from ..extensions import db
from ..models import ActionRecord, DrillSession, Participant, PostRecord, Team
from ..wallclock import now as wall_now
from . import actions as acts
from . import sessions as svc

PER_PLATFORM = 50  # newest posts per column, as of the time asked
MAX_ACTIONS = 500  # the newest actions up to the time asked
RECENT = 300.0  # the window of the negative share, in simulated seconds
REMOVALS = ("hide", "delete")


class ReplayError(ValueError):
    """A request the replay cannot answer; `code` for programs, the message for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def parse_time(raw: str | None) -> float:
    """Simulated seconds from a query string: a finite number, zero or more."""
    if raw is None or not raw.strip():
        raise ReplayError("missing_t", "give the simulated time in seconds: ?t=600")
    try:
        t = float(raw)
    except ValueError:
        raise ReplayError("bad_t", "t is a number of simulated seconds, such as 600") from None
    if not math.isfinite(t) or t < 0:
        raise ReplayError("bad_t", "t is a finite number of simulated seconds, zero or more")
    return t


def end_of(session: DrillSession) -> float:
    """Where the replay stops: the end of an ended session, now for a running one."""
    return round(svc.clock_of(session).at(wall_now()), 3)


def _posts(team_id: int, platforms: Iterable[str]):
    return and_(PostRecord.team_id == team_id, PostRecord.platform.in_(list(platforms)))


def marks(session: DrillSession, team: Team) -> dict[str, Any]:
    """What the scrubber shows along its track: phases, injects, the team's actions."""
    scenario = svc.scenario_of(session)
    rows = db.session.execute(
        select(PostRecord.post_id, PostRecord.t, PostRecord.platform, PostRecord.data["inject"])
        .where(
            PostRecord.team_id == team.id,
            or_(PostRecord.post_id.startswith("i-"), PostRecord.post_id.startswith("c-")),
        )
        .order_by(PostRecord.t, PostRecord.id)
    ).all()
    injects = [
        {
            "t": round(t, 3),
            "post": post_id,
            "platform": platform,
            "inject": inject if isinstance(inject, str) else None,
        }
        for post_id, t, platform, inject in rows
        if (post_id.startswith("i-") and isinstance(inject, str))
        or (post_id.startswith("c-") and "." not in post_id)
    ]
    records = db.session.execute(
        select(ActionRecord.seq, ActionRecord.sim_t, ActionRecord.type, Participant.name)
        .join(Participant, ActionRecord.participant_id == Participant.id)
        .where(ActionRecord.team_id == team.id)
        .order_by(ActionRecord.seq)
    ).all()
    return {
        "team": {"id": team.id, "name": team.name},
        "status": session.status,
        "end": end_of(session),
        "phases": [
            {"id": p.id, "t": p.start, "title": p.title(session.lang)} for p in scenario.phases
        ],
        "injects": injects,
        "actions": [
            {"seq": seq, "t": round(t, 3), "type": kind, "by": name}
            for seq, t, kind, name in records
        ],
    }


def _newest(team_id: int, platform: str, t: float, limit: int) -> list[dict[str, Any]]:
    return list(
        db.session.scalars(
            select(PostRecord.data)
            .where(
                PostRecord.team_id == team_id, PostRecord.platform == platform, PostRecord.t <= t
            )
            .order_by(PostRecord.t.desc(), PostRecord.id.desc())
            .limit(limit)
        )
    )


def _counts(team_id: int, platforms: tuple[str, ...], t: float) -> dict[str, int]:
    rows = db.session.execute(
        select(PostRecord.platform, func.count())
        .where(_posts(team_id, platforms), PostRecord.t <= t)
        .group_by(PostRecord.platform)
    ).all()
    found = dict(rows)
    return {p: found.get(p, 0) for p in platforms}


def _recent(team_id: int, platforms: tuple[str, ...], t: float) -> dict[str, Any]:
    negative = PostRecord.data["sentiment"].as_string() == "negative"
    total, bad = db.session.execute(
        select(func.count(), func.coalesce(func.sum(case((negative, 1), else_=0)), 0)).where(
            _posts(team_id, platforms), PostRecord.t > t - RECENT, PostRecord.t <= t
        )
    ).one()
    return {
        "window": RECENT,
        "posts": total,
        "negative": int(bad),
        "share": round(bad / total, 3) if total else None,
    }


def _actions(team: Team, t: float) -> tuple[list[ActionRecord], int]:
    total = db.session.scalar(
        select(func.count()).where(ActionRecord.team_id == team.id, ActionRecord.sim_t <= t)
    )
    rows = db.session.scalars(
        select(ActionRecord)
        .where(ActionRecord.team_id == team.id, ActionRecord.sim_t <= t)
        .order_by(ActionRecord.seq.desc())
        .limit(MAX_ACTIONS)
    ).all()
    return list(reversed(rows)), total or 0


def _as_of(records: list[ActionRecord], t: float) -> list[dict[str, Any]]:
    """Actions as the team saw them at `t`: a draft decided later is still waiting."""
    decided = {r.draft_id for r in records if r.type in ("approve", "reject") and r.draft_id}
    out = []
    for record in records:
        view = acts.view(record)
        if record.status in ("approved", "rejected") and record.id not in decided:
            view["status"] = "draft"
        out.append(view)
    return out


def _targets(team_id: int, ids: set[str]) -> dict[str, dict[str, Any]]:
    """The posts the actions are about, in short: who wrote what, where and when."""
    if not ids:
        return {}
    rows = db.session.scalars(
        select(PostRecord.data).where(PostRecord.team_id == team_id, PostRecord.post_id.in_(ids))
    )
    return {
        d["id"]: {
            "id": d["id"],
            "t": d["t"],
            "platform": d["platform"],
            "author": {"name": d["author"]["name"], "handle": d["author"]["handle"]},
            "text": d["text"],
        }
        for d in rows
    }


def frame(
    session: DrillSession, team: Team, t: float, per_platform: int = PER_PLATFORM
) -> dict[str, Any]:
    """The team's workspace at simulated time `t` (clamped to the end): one frame."""
    scenario = svc.scenario_of(session)
    end = end_of(session)
    t = min(t, end)
    platforms = scenario.platforms
    records, total_actions = _actions(team, t)
    counts = _counts(team.id, platforms, t)
    phase = scenario.phase_at(t)
    return {
        "team": {"id": team.id, "name": team.name},
        "t": t,
        "end": end,
        "phase": {"id": phase.id, "title": phase.title(session.lang)},
        "posts": {p: _newest(team.id, p, t, per_platform) for p in platforms},
        "counts": counts,
        "total": sum(counts.values()),
        "recent": _recent(team.id, platforms, t),
        "actions": _as_of(records, t),
        "actions_total": total_actions,
        "targets": _targets(team.id, {r.target for r in records if r.target}),
    }
