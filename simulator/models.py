"""Database tables, as SQLAlchemy 2 typed models. No logic beyond small properties."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_login import UserMixin
from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

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

    def __repr__(self) -> str:
        return f"<Trainer {self.id} {self.name!r}>"
