"""Database tables, as SQLAlchemy 2 typed models. No logic beyond small properties.

The database is the record of a drill: sessions, teams, participants, every control the
trainer used, every post published to a team and every action, written before they are
acknowledged. A team's storm is rebuilt from it after a restart.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db


def _now() -> datetime:
    return datetime.now(UTC)


class Trainer(UserMixin, db.Model):
    """A person who runs workshops: the only account in Stormdrill."""

    __tablename__ = "trainer"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    # a one-time login link (hash of its token) and when it stops working
    login_token_hash: Mapped[str | None] = mapped_column(String(128), default=None)
    login_token_expires: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), default=None
    )
    # the REST API's bearer token (hash); the token itself is shown once
    api_token_hash: Mapped[str | None] = mapped_column(String(128), default=None, index=True)

    def __repr__(self) -> str:
        return f"<Trainer {self.id} {self.name!r}>"


class ScenarioUpload(db.Model):
    """One version of a scenario a trainer uploaded, imported from an MSEL or saved in the
    editor; shipped ones live in files. Saving a scenario again stores a new version."""

    __tablename__ = "scenario_upload"

    id: Mapped[int] = mapped_column(primary_key=True)
    trainer_id: Mapped[int] = mapped_column(ForeignKey("trainer.id"), index=True)
    slug: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    yaml_text: Mapped[str] = mapped_column(Text)
    # where this version came from: the uploaded file's name, "msel:plan.xlsx", "editor"...
    origin: Mapped[str] = mapped_column(String(120), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)

    __table_args__ = (
        UniqueConstraint("trainer_id", "slug", "version", name="uq_scenario_upload_version"),
    )


class DrillSession(db.Model):
    """One run of a scenario in a workshop. The clock is stored on every change."""

    __tablename__ = "drill_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    trainer_id: Mapped[int] = mapped_column(ForeignKey("trainer.id"), index=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    scenario_slug: Mapped[str] = mapped_column(String(64))
    scenario_yaml: Mapped[str] = mapped_column(Text)  # a snapshot: the session replays exactly
    # the library version the snapshot was taken from; None for a shipped scenario
    scenario_version: Mapped[int | None] = mapped_column(Integer, default=None)
    lang: Mapped[str] = mapped_column(String(2))  # the storm's: one the scenario is written in
    # the language the trainer asked for, when the scenario is not written in it (the storm
    # runs in `lang`, said on the control room); None when the storm speaks the asked one
    asked_lang: Mapped[str | None] = mapped_column(String(2), default=None)
    seed: Mapped[int] = mapped_column(Integer)
    join_code: Mapped[str] = mapped_column(String(6), unique=True)
    team_choice: Mapped[str] = mapped_column(String(8), default="pick")  # pick | assign
    status: Mapped[str] = mapped_column(String(8), default="lobby")  # lobby running paused ended
    # the clock: simulated time `clock_sim` at wall time `clock_wall` (epoch s), at `speed`
    speed: Mapped[float] = mapped_column(Float, default=1.0)
    clock_sim: Mapped[float] = mapped_column(Float, default=0.0)
    clock_wall: Mapped[float] = mapped_column(Float, default=0.0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    # which worker drives it (scale-out: exactly one), until when its lease holds
    runner_id: Mapped[str | None] = mapped_column(String(64), default=None)
    runner_until: Mapped[float] = mapped_column(Float, default=0.0)
    # the trainer released the hot wash: participants see their own team's debrief
    hotwash: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # how many posts each column shows at the storm's peak (simulator/feed.py); the trainer
    # changes it live with an `intensity` control, logged like every control
    intensity: Mapped[str] = mapped_column(String(12), default="calm", server_default="calm")

    teams: Mapped[list[Team]] = relationship(
        back_populates="session", order_by="Team.position", cascade="all, delete-orphan"
    )
    participants: Mapped[list[Participant]] = relationship(
        back_populates="session", cascade="all, delete-orphan"
    )

    def sim_time(self, wall: float) -> float:
        """Simulated seconds at wall time `wall` (epoch seconds)."""
        if self.status != "running":
            return self.clock_sim
        return self.clock_sim + max(0.0, wall - self.clock_wall) * self.speed


class Team(db.Model):
    __tablename__ = "team"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("drill_session.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(Integer, default=0)
    seq: Mapped[int] = mapped_column(Integer, default=0)  # last batch sequence number sent
    action_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    emitted_until: Mapped[float] = mapped_column(Float, default=0.0)  # storm advanced to
    volume: Mapped[float] = mapped_column(Float, default=1.0)
    aggression: Mapped[float] = mapped_column(Float, default=0.0)
    # Tallies (engine/tally.py) kept by the runner: the storm as played, and the same storm
    # with none of the team's actions; `unanswered` also names the controls it was played with.
    played: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    unanswered: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)

    session: Mapped[DrillSession] = relationship(back_populates="teams")
    participants: Mapped[list[Participant]] = relationship(back_populates="team")


class Participant(db.Model):
    """Someone in the room, no account: a display name, a team, a role, a secret token."""

    __tablename__ = "participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("drill_session.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), default=None)
    name: Mapped[str] = mapped_column(String(40))
    role: Mapped[str | None] = mapped_column(String(64), default=None)
    token_hash: Mapped[str] = mapped_column(String(128), unique=True)
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    removed: Mapped[bool] = mapped_column(Boolean, default=False)

    session: Mapped[DrillSession] = relationship(back_populates="participants")
    team: Mapped[Team | None] = relationship(back_populates="participants")


class Control(db.Model):
    """Every control the trainer used, with simulated and wall time: the session's log.

    Those that reach the storm (inject, difficulty) are replayed into the engine after a
    restart, so a session replays exactly.
    """

    __tablename__ = "control"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("drill_session.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), default=None)  # None: all
    kind: Mapped[str] = mapped_column(String(16))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    sim_t: Mapped[float] = mapped_column(Float)
    wall_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    # when the storm took it (the runner may be a tick ahead of sim_t) and in which order
    # (the session's storm inputs are numbered as the runner takes them); set by the runner
    applied_t: Mapped[float | None] = mapped_column(Float, default=None)
    applied_n: Mapped[int | None] = mapped_column(Integer, default=None)


class PostRecord(db.Model):
    """A post of a team's world: every post of its storm is recorded; those `shown` were sent
    to the team, in the batch numbered `seq` (simulator/feed.py chooses them).

    `parent` is the post it is counted on (a share of a share counts on the post shared),
    `key` marks inject posts and curveballs, `search` is what a search matches (folded).
    """

    __tablename__ = "post"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"))
    seq: Mapped[int] = mapped_column(Integer)
    post_id: Mapped[str] = mapped_column(String(200))
    t: Mapped[float] = mapped_column(Float)
    platform: Mapped[str] = mapped_column(String(16))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    kind: Mapped[str | None] = mapped_column(String(16), default=None)
    parent: Mapped[str | None] = mapped_column(String(200), default=None)
    sentiment: Mapped[str | None] = mapped_column(String(8), default=None)
    shown: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    key: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    search: Mapped[str | None] = mapped_column(Text, default=None)

    __table_args__ = (
        Index("ix_post_team_seq", "team_id", "seq"),
        Index("ix_post_team_platform_t", "team_id", "platform", "t"),  # replay: a moment of a feed
        Index("ix_post_feed", "team_id", "platform", "shown", "t"),  # a column, page by page
        Index("ix_post_team_t", "team_id", "t"),  # search: a time range of the team's world
        Index("ix_post_team_parent", "team_id", "parent"),  # counters
        UniqueConstraint("team_id", "post_id"),
    )


class ActionRecord(db.Model):
    """Something a participant did, stored before it is acknowledged.

    `key` is the client's idempotency key: the same key twice stores one action. Replies that
    need approval are stored as drafts; the approver's decision is an action of its own, and
    publishing makes the engine input (`engine` true). `applied_t` is when the storm took it,
    `applied_n` its place among the session's storm inputs (controls and actions). `seq`, the
    team's action number, is unique in the team.
    """

    __tablename__ = "action"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"))
    key: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int] = mapped_column(Integer)  # the team's action number
    type: Mapped[str] = mapped_column(String(20))
    target: Mapped[str | None] = mapped_column(String(200), default=None)
    text: Mapped[str] = mapped_column(Text, default="")
    role: Mapped[str | None] = mapped_column(String(64), default=None)
    severity: Mapped[int | None] = mapped_column(Integer, default=None)
    tag: Mapped[str | None] = mapped_column(String(10), default=None)
    status: Mapped[str] = mapped_column(String(10), default="done")  # done draft approved rejected
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("action.id"), default=None)
    engine: Mapped[bool] = mapped_column(Boolean, default=False)  # an input of the storm
    sim_t: Mapped[float] = mapped_column(Float)
    applied_t: Mapped[float | None] = mapped_column(Float, default=None)
    applied_n: Mapped[int | None] = mapped_column(Integer, default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)

    participant: Mapped[Participant] = relationship()
    draft: Mapped[ActionRecord | None] = relationship(remote_side=[id])

    __table_args__ = (
        UniqueConstraint("participant_id", "key"),
        UniqueConstraint("team_id", "seq", name="uq_action_team_seq"),
    )


class ScoreOverride(db.Model):
    """A facilitator's correction of one criterion of one team's score, with the reason."""

    __tablename__ = "score_override"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    criterion: Mapped[str] = mapped_column(String(32))
    points: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    trainer_id: Mapped[int] = mapped_column(ForeignKey("trainer.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class AarRating(db.Model):
    """HSEEP after-action rating of one objective for one team: P, S, M or U."""

    __tablename__ = "aar_rating"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    objective: Mapped[str] = mapped_column(String(64))
    rating: Mapped[str] = mapped_column(String(1))
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)

    __table_args__ = (UniqueConstraint("team_id", "objective"),)


class AarItem(db.Model):
    """A strength, an area for improvement, or an improvement-plan action (owner, due date)."""

    __tablename__ = "aar_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # strength improvement plan
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(80), default="")
    due: Mapped[str] = mapped_column(String(10), default="")  # YYYY-MM-DD
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class ShareLink(db.Model):
    """A read-only link to a session's debrief, for people without an account. Revocable."""

    __tablename__ = "share_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("drill_session.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class TeamScore(db.Model):
    """A team's score as the engine computed it once its session ended, kept for the cohort
    view (computing one replays the unanswered storm: too slow for dozens on each page view).

    `criteria` is [{id, points, max, label: {fr, en}}] in the engine's order. Facilitators'
    overrides are not folded in: they are applied when read. A row whose `version` is not
    the scoring version in simulator/services/cohort.py is stale and computed again.
    """

    __tablename__ = "team_score"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), unique=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("drill_session.id", ondelete="CASCADE"), index=True
    )
    scenario_slug: Mapped[str] = mapped_column(String(64), index=True)
    yaml_hash: Mapped[str] = mapped_column(String(64))  # sha256 of the session's scenario text
    lang: Mapped[str] = mapped_column(String(2))
    total: Mapped[float] = mapped_column(Float)
    max: Mapped[float] = mapped_column(Float)
    containment: Mapped[float] = mapped_column(Float)
    criteria: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
