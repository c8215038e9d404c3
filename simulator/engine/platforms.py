"""Each platform, described once: its forms, how its threads grow, what the brand posts there.

A platform is a frozen description registered by name; the storm, the reactions, the loader
and the grammar read it instead of keeping tables and `if platform == ...` branches of their
own. Adding a platform is adding one `register(Platform(...))`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Platform:
    """A platform's description: the defaults are a social network's; entries say what differs."""

    name: str
    prefix: str  # root post ids: m17, b3, f2, n1, s9
    cascade: float  # mean replies and shares of a post by a 1,000-follower account
    root_post_kind: str  # a root post's kind: post, comment, article, message
    default_kind: str  # an inject's kind when it says none
    forms: tuple[str, ...]  # grammar start rules (<platform>.<form>)
    root_forms: tuple[str, ...]  # the forms a root post needs (validated per persona)
    answer_form: str = "reply"  # the form of answers
    review_share: float = 0.0  # share of root posts that are reviews (with a rating)
    child_kind: str = "reply"  # what an answer in a thread is: reply, message
    share: float = 0.0  # chance an answer is a share (a repost) rather than a reply
    moves_to: str | None = None  # an article's shares move to this platform (news -> microblog)
    move_share: float = 0.0  # chance they do
    anyone_answers: bool = False  # answers come from every persona (readers' comments)
    brand_kind: str = "reply"  # the brand's answer there
    one_text: bool = True  # posts are one text (no title, headline or rating)
    hashtags: bool = False  # people add hashtags here
    mentions: bool = False  # replies start with the handle they answer
    press_source: bool = True  # big posts here are picked up by the press
    quiet_at: float = 0.0  # (reserved)

    def root_kind(self, u: float) -> str:
        """A root post's kind, from one uniform draw."""
        return "review" if u < self.review_share else self.root_post_kind


PLATFORMS: dict[str, Platform] = {}


def register(platform: Platform) -> Platform:
    PLATFORMS[platform.name] = platform
    return platform


register(
    Platform(
        name="microblog",
        prefix="m",
        cascade=0.85,
        root_post_kind="post",
        default_kind="post",
        forms=("post", "reply", "quote"),
        root_forms=("post",),
        share=0.55,
        hashtags=True,
        mentions=True,
    )
)
register(
    Platform(
        name="brand_page",
        prefix="b",
        cascade=0.45,
        root_post_kind="comment",
        default_kind="comment",
        forms=("comment", "reply"),
        root_forms=("comment",),
    )
)
register(
    Platform(
        name="forum",
        prefix="f",
        cascade=0.5,
        root_post_kind="post",
        default_kind="post",
        forms=("title", "post", "answer", "review"),
        root_forms=("title", "post"),
        answer_form="answer",
        review_share=0.4,
        one_text=False,
    )
)
register(
    Platform(
        name="news",
        prefix="n",
        cascade=0.9,
        root_post_kind="article",
        default_kind="article",
        forms=("headline", "lede", "comment"),
        root_forms=("headline", "lede"),
        answer_form="comment",
        child_kind="comment",
        moves_to="microblog",
        move_share=0.65,
        anyone_answers=True,
        brand_kind="comment",
        one_text=False,
        press_source=False,
    )
)
register(
    Platform(
        name="internal",
        prefix="s",
        cascade=0.3,
        root_post_kind="message",
        default_kind="message",
        forms=("message", "reply"),
        root_forms=("message",),
        child_kind="message",
        brand_kind="message",
        press_source=False,
    )
)

BY_PREFIX = {p.prefix: p.name for p in PLATFORMS.values()}
