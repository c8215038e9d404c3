"""Each platform, described once: its forms, how its threads grow, what the brand posts there.

A platform is a frozen description registered by name; the storm, the reactions, the loader
and the grammar read it instead of keeping tables and `if platform == ...` branches of their
own. Adding a platform is adding one `register(Platform(...))`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Platform:
    name: str
    prefix: str  # root post ids: m17, b3, f2, n1, s9
    cascade: float  # mean replies and shares of a post by a 1,000-follower account
    review_share: float  # share of root posts that are reviews (with a rating)
    child_kind: str  # what an answer in a thread is: reply, message
    share: float  # chance an answer is a share (a repost) rather than a reply
    moves_to: str | None  # an article's shares move to this platform (news -> microblog)
    move_share: float  # chance they do
    anyone_answers: bool  # answers come from every persona (readers' comments)
    brand_kind: str  # the brand's answer there
    default_kind: str  # an inject's kind when it says none
    forms: tuple[str, ...]  # grammar start rules (<platform>.<form>)
    root_forms: tuple[str, ...]  # the forms a root post needs (validated per persona)
    answer_form: str  # the form of answers
    one_text: bool  # posts are one text (no title, headline or rating)
    hashtags: bool  # people add hashtags here
    mentions: bool  # replies start with the handle they answer
    press_source: bool  # big posts here are picked up by the press
    quiet_at: float = 0.0  # (reserved)

    def root_kind(self, u: float) -> str:
        """A root post's kind, from one uniform draw."""
        if u < self.review_share:
            return "review"
        return {"news": "article", "internal": "message", "brand_page": "comment"}.get(
            self.name, "post"
        )


PLATFORMS: dict[str, Platform] = {}


def register(platform: Platform) -> Platform:
    PLATFORMS[platform.name] = platform
    return platform


register(
    Platform(
        name="microblog",
        prefix="m",
        cascade=0.85,
        review_share=0.0,
        child_kind="reply",
        share=0.55,
        moves_to=None,
        move_share=0.0,
        anyone_answers=False,
        brand_kind="reply",
        default_kind="post",
        forms=("post", "reply", "quote"),
        root_forms=("post",),
        answer_form="reply",
        one_text=True,
        hashtags=True,
        mentions=True,
        press_source=True,
    )
)
register(
    Platform(
        name="brand_page",
        prefix="b",
        cascade=0.45,
        review_share=0.0,
        child_kind="reply",
        share=0.0,
        moves_to=None,
        move_share=0.0,
        anyone_answers=False,
        brand_kind="reply",
        default_kind="comment",
        forms=("comment", "reply"),
        root_forms=("comment",),
        answer_form="reply",
        one_text=True,
        hashtags=False,
        mentions=False,
        press_source=True,
    )
)
register(
    Platform(
        name="forum",
        prefix="f",
        cascade=0.5,
        review_share=0.4,
        child_kind="reply",
        share=0.0,
        moves_to=None,
        move_share=0.0,
        anyone_answers=False,
        brand_kind="reply",
        default_kind="post",
        forms=("title", "post", "answer", "review"),
        root_forms=("title", "post"),
        answer_form="answer",
        one_text=False,
        hashtags=False,
        mentions=False,
        press_source=True,
    )
)
register(
    Platform(
        name="news",
        prefix="n",
        cascade=0.9,
        review_share=0.0,
        child_kind="comment",
        share=0.0,
        moves_to="microblog",
        move_share=0.65,
        anyone_answers=True,
        brand_kind="comment",
        default_kind="article",
        forms=("headline", "lede", "comment"),
        root_forms=("headline", "lede"),
        answer_form="comment",
        one_text=False,
        hashtags=False,
        mentions=False,
        press_source=False,
    )
)
register(
    Platform(
        name="internal",
        prefix="s",
        cascade=0.3,
        review_share=0.0,
        child_kind="message",
        share=0.0,
        moves_to=None,
        move_share=0.0,
        anyone_answers=False,
        brand_kind="message",
        default_kind="message",
        forms=("message", "reply"),
        root_forms=("message",),
        answer_form="reply",
        one_text=True,
        hashtags=False,
        mentions=False,
        press_source=False,
    )
)

BY_PREFIX = {p.prefix: p.name for p in PLATFORMS.values()}
