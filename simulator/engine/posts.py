"""A post and what the storm records: the public contract's fields, as the engine makes them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import NamedTuple

from .authors import Author
from .scenario import L10n


class Post(NamedTuple):
    """One post, exactly the public contract's fields (see docs/scenario-format.md)."""

    id: str
    t: float
    platform: str
    kind: str
    author: Author
    text: str
    lang: str
    parent: str | None
    inject: str | None
    sentiment: str
    cause: str | None
    # fields only some forms have (title, rating, headline, lede, byline), as (key, value) pairs
    extra: tuple = ()


@dataclass(frozen=True, slots=True)
class ReactionFired:
    """A reaction rule fired: when, why, and what it answered."""

    rule: str
    type: str
    t: float
    reason: L10n
    action: str | None = None
    inject: str | None = None
    target: str | None = None


def post_dict(post: Post) -> dict:
    a = post.author
    out = {
        "id": post.id,
        "t": post.t,
        "platform": post.platform,
        "kind": post.kind,
        "author": {
            "handle": a.handle,
            "name": a.name,
            "persona": a.persona,
            "followers": a.followers,
            "verified": a.verified,
        },
        "text": post.text,
        "lang": post.lang,
        "parent": post.parent,
        "inject": post.inject,
        "sentiment": post.sentiment,
        "cause": post.cause,
    }
    if post.extra:
        out.update(post.extra)
    return out


_FIELDS = frozenset(Post._fields) - {"author", "extra"}


def post_from_dict(data: dict) -> Post:
    """The post that `post_dict` wrote: the form's extra fields (title, rating…) back in `extra`."""
    fields = {k: v for k, v in data.items() if k in _FIELDS}
    extra = tuple((k, v) for k, v in data.items() if k not in _FIELDS and k != "author")
    return Post(**fields, author=Author(**data["author"]), extra=extra)


def post_json(post: Post) -> str:
    return json.dumps(post_dict(post), ensure_ascii=False, separators=(",", ":"))


def thread_of(post_id: str) -> str:
    """The id of the post that started this post's cascade (ids grow by '.k' per generation)."""
    return post_id.split(".", 1)[0]
