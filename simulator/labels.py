"""Words and formats every page shares: platform, action and post-kind names in the page's
language, simulated times, and a reply's text cut at its rubric hits. Also Jinja globals."""

from __future__ import annotations

from flask_babel import format_decimal, format_percent, get_locale, gettext, ngettext

from .engine.clock import clock_text


def page_lang() -> str:
    """The page's language, as the engine's texts name it (fr or en)."""
    return "en" if str(get_locale()).startswith("en") else "fr"


def number(value: float | None, digits: int = 1) -> str:
    """A number as the page's language writes it: 0,9 in French, 0.9 in English."""
    if value is None:
        return "—"
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(round(value, digits) + 0.0, format=pattern)


def percent(value: float) -> str:
    """A percentage (0 to 100) as the page's language writes it: 85 % in French, 85% in English."""
    return format_percent(value / 100)


def signed(value: float, digits: int = 1) -> str:
    """A number with its sign: +1,5 / −5,0."""
    text = number(abs(value), digits)
    return ("−" if round(value, digits) < 0 else "+") + text


def points_text(value: float) -> str:
    """ "1,5 point" / "2,0 points" / "1.0 point" / "1.5 points": the plural each language uses
    for a number with a decimal (French: below 2 is singular; English: only 1)."""
    size = abs(round(value, 1))
    single = size < 2 if page_lang() == "fr" else size == 1
    return ngettext(
        "%(points)s point", "%(points)s points", 1 if single else 2, points=number(value)
    )


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


def status_labels() -> dict[str, str]:
    """A session's states, one word each wherever a page shows them (trainer or participant)."""
    return {
        "lobby": gettext("Lobby"),
        "running": gettext("Live"),
        "paused": gettext("Paused"),
        "ended": gettext("Ended"),
    }


FIRST_WORDS = 60  # characters of an inject's post that name it, as scoring's reasons do


def first_words(text: str, limit: int = FIRST_WORDS) -> str:
    """The start of a text, cut at a word, to name an inject by what people read."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


def inject_labels(scenario, lang: str) -> dict[str, str]:
    """Every inject's id -> the first words of its post in `lang`."""
    return {inject.id: first_words(inject.text(lang)) for inject in scenario.injects}


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


def segments(text: str, hits) -> list[tuple[str, str | None, str | None]]:
    """The text cut at the rubric's hits: (piece, None or "good"/"bad", element id)."""
    out, at = [], 0
    for hit in sorted(hits, key=lambda h: h.start):
        if hit.start < at:
            continue
        out.append((text[at : hit.start], None, None))
        out.append((text[hit.start : hit.end], "bad" if hit.forbidden else "good", hit.element))
        at = hit.end
    out.append((text[at:], None, None))
    return [s for s in out if s[0]]


JINJA_GLOBALS = {
    "platform_label": platform_label,
    "action_label": action_label,
    "kind_label": kind_label,
    "hseep_ratings": hseep_ratings,
    "status_labels": status_labels,
    "first_words": first_words,
    "clock": clock,
    "segments": segments,
    "number": number,
    "signed": signed,
    "percent": percent,
    "points_text": points_text,
}
