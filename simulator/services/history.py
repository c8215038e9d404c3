"""A team's history: its columns page by page, the search over its whole world, the posts
to keep at hand (injects, curveballs, what the team marked), the counters.

Every read is bounded (`PAGE`, `SEARCH_PAGE`, `KEY_POSTS`) and served from an index of the
post table: the server never sends a browser the whole storm.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, func, or_, select, true

from .. import radar as radars
from ..extensions import db
from ..feed import fold
from ..models import PostRecord

PAGE = 50  # posts of a column per "load older"
SEARCH_PAGE = 30  # results per page of a search
KEY_POSTS = 200  # inject posts, curveballs and posts marked "to handle", at most
MAX_QUERY_WORDS = 8
PLATFORMS = ("microblog", "brand_page", "forum", "news", "internal")
TONES = ("negative", "neutral", "positive")


class HistoryError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def counts(team_id: int, post_ids: Iterable[str]) -> dict[str, list[int]]:
    """{post id: [shares, replies]} of these posts, counted from every post recorded."""
    ids = sorted(set(post_ids))
    out: dict[str, list[int]] = {}
    for start in range(0, len(ids), 500):
        # grouped by the kind itself: PostgreSQL does not match `kind = 'share'` in SELECT
        # and in GROUP BY once each has its own bound parameter
        rows = db.session.execute(
            select(PostRecord.parent, PostRecord.kind, func.count())
            .where(PostRecord.team_id == team_id, PostRecord.parent.in_(ids[start : start + 500]))
            .group_by(PostRecord.parent, PostRecord.kind)
        ).all()
        for parent, kind, n in rows:
            out.setdefault(parent, [0, 0])[0 if kind == "share" else 1] += n
    return out


def totals(team_id: int) -> dict[str, int]:
    """Posts of the team's world per platform, shown or only counted."""
    rows = db.session.execute(
        select(PostRecord.platform, func.count())
        .where(PostRecord.team_id == team_id)
        .group_by(PostRecord.platform)
    ).all()
    return {platform: n for platform, n in rows}


def key_posts(team_id: int, marked: Iterable[str] = ()) -> list[dict[str, Any]]:
    """Inject posts and curveballs sent to the team, and the posts it marked, oldest first."""
    marked = sorted(set(marked))[:KEY_POSTS]
    rows = db.session.scalars(
        select(PostRecord.data)
        .where(
            PostRecord.team_id == team_id,
            or_(
                and_(PostRecord.key == true(), PostRecord.shown == true()),
                PostRecord.post_id.in_(marked),
            ),
        )
        .order_by(PostRecord.t, PostRecord.id)
        .limit(KEY_POSTS)
    ).all()
    return list(rows)


def posts_by_id(team_id: int, post_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    ids = sorted(set(post_ids))[:KEY_POSTS]
    if not ids:
        return {}
    rows = db.session.scalars(
        select(PostRecord.data).where(PostRecord.team_id == team_id, PostRecord.post_id.in_(ids))
    ).all()
    return {row["id"]: row for row in rows}


def with_posts(team_id: int, figures: dict[str, Any]) -> dict[str, Any]:
    """A radar whose viral alerts carry the post people share (it may be older than the
    radar's window)."""
    viral = [a for a in figures["alerts"] if a["kind"] == "viral"]
    found = posts_by_id(team_id, [a["post"] for a in viral])
    for alert in viral:
        alert["posts"] = [found[alert["post"]]] if alert["post"] in found else []
    return figures


def radar(team_id: int, until: float, scenario) -> dict[str, Any]:
    """The team's listening radar at `until`, from the stored posts of its window."""
    since = (int(until // 60) - radars.WINDOW + 1) * 60.0
    rows = db.session.scalars(
        select(PostRecord.data)
        .where(PostRecord.team_id == team_id, PostRecord.t >= since, PostRecord.t < until)
        .order_by(PostRecord.t, PostRecord.id)
    ).all()
    buckets = radars.minutes_of(rows, radars.brand_terms(scenario))
    return {
        "team": team_id,
        **with_posts(team_id, radars.radar(buckets, until, scenario.platforms)),
    }


def _before(t: Any, post_id: Any):
    if t is None:
        return None
    if not isinstance(post_id, str):
        raise HistoryError("bad_field", "'before_id' is needed with 'before'")
    return or_(PostRecord.t < t, and_(PostRecord.t == t, PostRecord.post_id < post_id))


def older_query(team_id: int, platform: str, before: float | None, before_id: str | None):
    stmt = select(PostRecord.data).where(
        PostRecord.team_id == team_id,
        PostRecord.platform == platform,
        PostRecord.shown == true(),
    )
    cursor = _before(before, before_id)
    if cursor is not None:
        stmt = stmt.where(cursor)
    return stmt.order_by(PostRecord.t.desc(), PostRecord.post_id.desc()).limit(PAGE + 1)


def older(
    team_id: int, platform: str, before: float | None = None, before_id: str | None = None
) -> dict[str, Any]:
    """The page of a column's posts shown before (t, id), newest first, and whether more."""
    if platform not in PLATFORMS:
        raise HistoryError("bad_platform", "no such platform")
    rows = db.session.scalars(older_query(team_id, platform, before, before_id)).all()
    page = list(rows[:PAGE])
    return {"platform": platform, "posts": page, "more": len(rows) > PAGE}


def search_query(
    team_id: int,
    text: str = "",
    platform: str | None = None,
    tone: str | None = None,
    t_from: float | None = None,
    t_to: float | None = None,
    before: float | None = None,
    before_id: str | None = None,
):
    words = fold(text).split()
    if len(words) > MAX_QUERY_WORDS:
        raise HistoryError("too_long", f"a search has at most {MAX_QUERY_WORDS} words")
    if platform is not None and platform not in PLATFORMS:
        raise HistoryError("bad_platform", "no such platform")
    if tone is not None and tone not in TONES:
        raise HistoryError("bad_tone", "a tone is negative, neutral or positive")
    stmt = select(PostRecord.data).where(PostRecord.team_id == team_id)
    if t_from is not None:
        stmt = stmt.where(PostRecord.t >= t_from)
    if t_to is not None:
        stmt = stmt.where(PostRecord.t <= t_to)
    if platform is not None:
        stmt = stmt.where(PostRecord.platform == platform)
    if tone is not None:
        stmt = stmt.where(PostRecord.sentiment == tone)
    for word in words:
        stmt = stmt.where(PostRecord.search.contains(word, autoescape=True))
    cursor = _before(before, before_id)
    if cursor is not None:
        stmt = stmt.where(cursor)
    return stmt.order_by(PostRecord.t.desc(), PostRecord.post_id.desc()).limit(SEARCH_PAGE + 1)


def search(team_id: int, **criteria: Any) -> dict[str, Any]:
    """Every post of the team's world matching all the words (author or text, accents and
    case ignored) and the filters, newest first, a page at a time."""
    rows = db.session.scalars(search_query(team_id, **criteria)).all()
    page = list(rows[:SEARCH_PAGE])
    return {"posts": page, "more": len(rows) > SEARCH_PAGE}


def with_counts(team_id: int, page: dict[str, Any]) -> dict[str, Any]:
    """A page of posts (older, search) with the share and reply counters of its posts."""
    page["counts"] = counts(team_id, [post["id"] for post in page["posts"]])
    return page
