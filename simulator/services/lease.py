"""The one-worker-per-session lease: which worker drives a running session, until when.

A worker holds a session while `runner_until` (wall seconds) lies ahead, renewing it every
tick; a lease that lapses (its worker died, or the server was restarted) may be taken by
any worker. Each function is one statement and its commit, the same SQL on SQLite and
PostgreSQL: two workers taking one lease at once cannot both succeed.
"""

from __future__ import annotations

from sqlalchemy import false, or_, select, true, update

from ..extensions import db
from ..models import DrillSession

LEASE = 4.0  # wall seconds a worker's hold on a session lasts unless renewed (each tick)


def holder(session_id: int) -> str | None:
    """The worker that holds (or last held) the session's lease."""
    return db.session.scalar(select(DrillSession.runner_id).where(DrillSession.id == session_id))


def take(session_id: int, owner: str, now: float, *, force: bool = False) -> bool:
    """Take the lease if it is free, lapsed or already `owner`'s (or anyway, if `force`)."""
    result = db.session.execute(
        update(DrillSession)
        .where(
            DrillSession.id == session_id,
            or_(
                DrillSession.runner_id == owner,
                DrillSession.runner_until < now,
                DrillSession.runner_id.is_(None),
                true() if force else false(),
            ),
        )
        .values(runner_id=owner, runner_until=now + LEASE)
    )
    db.session.commit()
    return result.rowcount == 1


def renew(session_id: int, owner: str, now: float) -> bool:
    """Hold the lease LEASE seconds more; False if another worker has taken it."""
    result = db.session.execute(
        update(DrillSession)
        .where(DrillSession.id == session_id, DrillSession.runner_id == owner)
        .values(runner_until=now + LEASE)
    )
    db.session.commit()
    return result.rowcount == 1


def release(session_id: int, owner: str) -> None:
    db.session.execute(
        update(DrillSession)
        .where(DrillSession.id == session_id, DrillSession.runner_id == owner)
        .values(runner_id=None, runner_until=0.0)
    )
    db.session.commit()


def undriven(owner: str, now: float, *, every: bool = False) -> list[int]:
    """Running or paused sessions whose lease is free, lapsed or `owner`'s (all of them, if
    `every`: after a restart on SQLite, where a lease still held is the previous run's)."""
    lapsed = or_(
        DrillSession.runner_until < now,
        DrillSession.runner_id.is_(None),
        DrillSession.runner_id == owner,
    )
    return list(
        db.session.scalars(
            select(DrillSession.id).where(
                DrillSession.status.in_(("running", "paused")), *(() if every else (lapsed,))
            )
        )
    )
