"""Words and formats every page shares: platform, action and post-kind names in the page's
language, simulated times, and a reply's text cut at its rubric hits. Also Jinja globals."""

from __future__ import annotations

from flask_babel import gettext

from .engine.clock import clock_text


def platform_label(platform: str) -> str:
    return {
        "microblog": gettext("Microblog"),
        "brand_page": gettext("Brand page"),
        "forum": gettext("Forum & reviews"),
        "news": gettext("News & blogs"),
        "internal": gettext("Staff channel"),
    }.get(platform, platform)


def action_label(action: str) -> str:
    return {
        "tag": gettext("tag"),
        "escalate": gettext("escalate"),
        "reply": gettext("reply"),
        "dm": gettext("private message"),
        "hide": gettext("hide"),
        "delete": gettext("delete"),
        "holding_statement": gettext("holding statement"),
        "memo": gettext("internal memo"),
        "ignore": gettext("ignore"),
        "chat": gettext("team chat"),
        "approve": gettext("approval"),
        "reject": gettext("rejection"),
    }.get(action, action)


def kind_label(kind: str) -> str:
    return {
        "post": gettext("post"),
        "reply": gettext("reply"),
        "share": gettext("share"),
        "comment": gettext("comment"),
        "review": gettext("review"),
        "article": gettext("article"),
        "message": gettext("message"),
        "call": gettext("phone call"),
    }.get(kind, kind)


def hseep_ratings() -> dict[str, str]:
    """The after-action review's ratings (HSEEP), code -> meaning, in the page's language."""
    return {
        "P": gettext("Performed without challenges"),
        "S": gettext("Performed with some challenges"),
        "M": gettext("Performed with major challenges"),
        "U": gettext("Unable to be performed"),
    }


def clock(t: float | None) -> str:
    """A simulated time as h:mm:ss, or a dash for none."""
    return "—" if t is None else clock_text(t)


def segments(text: str, hits: list[dict]) -> list[tuple[str, str | None, str | None]]:
    """The text cut at the rubric's hits: (piece, None or "good"/"bad", element id)."""
    out, at = [], 0
    for hit in sorted(hits, key=lambda h: h["start"]):
        if hit["start"] < at:
            continue
        out.append((text[at : hit["start"]], None, None))
        out.append(
            (text[hit["start"] : hit["end"]], "bad" if hit["forbidden"] else "good", hit["element"])
        )
        at = hit["end"]
    out.append((text[at:], None, None))
    return [s for s in out if s[0]]


JINJA_GLOBALS = {
    "platform_label": platform_label,
    "action_label": action_label,
    "kind_label": kind_label,
    "hseep_ratings": hseep_ratings,
    "clock": clock,
    "segments": segments,
}
