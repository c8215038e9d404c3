"""What the session runner reads and stores each tick, without ORM objects.

A tick reads the session's clock (four columns) and stores, in one short transaction at its
end: every team's new posts in one executemany, the pooled posts shown later, each team's
batch number and how far its storm went, and the renewal of the runner's lease. Nothing is
loaded back: the runner keeps what it needs in memory, so a tick neither reloads the rows a
commit expired nor parses the teams' JSON tallies again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, bindparam, insert, select, update

from ..extensions import db
from ..feed import is_key, search_text
from ..models import DrillSession, PostRecord, Team


@dataclass(frozen=True, slots=True)
class SessionClock:
    """The columns of a session a tick needs: its status and its clock."""

    id: int
    status: str
    speed: float
    clock_sim: float
    clock_wall: float


@dataclass(frozen=True, slots=True)
class TeamRow:
    id: int
    name: str
    volume: float
    aggression: float


def session_clock(session_id: int) -> SessionClock | None:
    row = db.session.execute(
        select(
            DrillSession.status,
            DrillSession.speed,
            DrillSession.clock_sim,
            DrillSession.clock_wall,
        ).where(DrillSession.id == session_id)
    ).first()
    return None if row is None else SessionClock(session_id, *row)


def team_rows(session_id: int) -> list[TeamRow]:
    """The session's teams, in their order (names and difficulty: the overview's)."""
    rows = db.session.execute(
        select(Team.id, Team.name, Team.volume, Team.aggression)
        .where(Team.session_id == session_id)
        .order_by(Team.position, Team.id)
    )
    return [TeamRow(*row) for row in rows]


def post_row(
    team_id: int, seq: int, post: Any, data: dict[str, Any], parent: str | None, shown: bool
) -> dict[str, Any]:
    """A post as stored; `data` is the post as sent (post_dict, built once per post)."""
    return {
        "team_id": team_id,
        "seq": seq,
        "post_id": post.id,
        "t": post.t,
        "platform": post.platform,
        "data": data,
        "kind": post.kind,
        "parent": parent,
        "sentiment": post.sentiment,
        "shown": shown,
        "key": is_key(post),
        "search": search_text(post),
    }


# Core statements on the tables (executemany): the ORM's bulk paths would look rows up
POSTS, TEAMS = PostRecord.__table__, Team.__table__
_SHOWN_LATER = (
    update(POSTS)
    .where(and_(POSTS.c.team_id == bindparam("b_team"), POSTS.c.post_id == bindparam("b_post")))
    .values(shown=True, seq=bindparam("b_seq"))
)
_TEAM_PROGRESS = (
    update(TEAMS)
    .where(TEAMS.c.id == bindparam("b_team"))
    .values(seq=bindparam("b_seq"), emitted_until=bindparam("b_until"))
)
_TALLIES = (
    update(TEAMS)
    .where(TEAMS.c.id == bindparam("b_team"))
    .values(played=bindparam("b_played"), unanswered=bindparam("b_unanswered"))
)


def renew_lease(session_id: int, owner: str, until: float) -> bool:
    """Extend the worker's hold on a session (in the caller's transaction); False if another
    worker holds it now."""
    result = db.session.execute(
        update(DrillSession)
        .where(DrillSession.id == session_id, DrillSession.runner_id == owner)
        .values(runner_until=until)
    )
    return result.rowcount == 1


def store_tick(
    posts: Sequence[dict[str, Any]],
    shown_later: Iterable[tuple[int, str, int]],
    progress: Iterable[tuple[int, int, float]],
) -> None:
    """Store a tick's posts (rows from `post_row`), the pooled posts shown later as
    (team, post id, seq), and each team's (team, seq, emitted_until): one statement each,
    whatever the number of teams. The caller commits."""
    if posts:
        db.session.execute(insert(POSTS), list(posts))
    later = [{"b_team": t, "b_post": p, "b_seq": s} for t, p, s in shown_later]
    if later:
        db.session.execute(_SHOWN_LATER, later)
    teams = [{"b_team": t, "b_seq": s, "b_until": u} for t, s, u in progress]
    if teams:
        db.session.execute(_TEAM_PROGRESS, teams)


def store_tallies(tallies: Iterable[tuple[int, dict[str, Any], dict[str, Any]]]) -> None:
    """Each team's (team, played, unanswered) tallies, in one statement. The caller commits."""
    rows = [{"b_team": t, "b_played": p, "b_unanswered": u} for t, p, u in tallies]
    if rows:
        db.session.execute(_TALLIES, rows)
