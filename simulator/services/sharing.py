"""Sharing a debrief: read-only links for people without an account, and the hot wash.

A share link's token is shown once; only its SHA-256 is stored, so the database alone opens
nothing. The hot wash lets a session's participants read their own team's debrief.
Every function here that changes something commits before it returns.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime

from sqlalchemy import select

from ..extensions import db
from ..models import DrillSession, ShareLink

MAX_TOKEN = 100  # token_urlsafe(32) is 43 characters; anything much longer is not ours


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_link(session: DrillSession) -> str:
    """A new read-only link to the session's debrief: its token, which is not stored."""
    token = secrets.token_urlsafe(32)
    db.session.add(ShareLink(session_id=session.id, token_hash=_hash(token)))
    db.session.commit()
    return token


def links(session: DrillSession) -> list[ShareLink]:
    """The session's links, newest first, revoked ones included."""
    return list(
        db.session.scalars(
            select(ShareLink)
            .where(ShareLink.session_id == session.id)
            .order_by(ShareLink.created_at.desc(), ShareLink.id.desc())
        )
    )


def revoke(session: DrillSession, link_id: int) -> ShareLink | None:
    """Revoke one of the session's links; None if the session has no such link."""
    link = db.session.get(ShareLink, link_id)
    if link is None or link.session_id != session.id:
        return None
    if link.revoked_at is None:
        link.revoked_at = datetime.now(UTC)
        db.session.commit()
    return link


def session_for_token(token: str | None) -> DrillSession | None:
    """The session a live (not revoked) link opens, or None."""
    if not token or len(token) > MAX_TOKEN:
        return None
    digest = _hash(token)
    link = db.session.scalar(select(ShareLink).where(ShareLink.token_hash == digest))
    if link is None or not hmac.compare_digest(link.token_hash, digest):
        return None
    if link.revoked_at is not None:
        return None
    return db.session.get(DrillSession, link.session_id)


def release_hotwash(session: DrillSession, on: bool) -> DrillSession:
    """Let the session's participants read their own team's debrief (or stop letting them)."""
    session.hotwash = on
    db.session.commit()
    return session
