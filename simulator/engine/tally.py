"""A storm's tally: posts and negative posts per simulated minute, and the injects' posts.

It is all scoring and the debrief's charts need of a storm, and it is a few kilobytes where
the storm is tens of thousands of posts: the runner counts it as it sends, for the team's
storm and for the same storm left unanswered, so that a debrief never replays a storm.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .posts import Post, post_dict, post_from_dict

MINUTE = 60.0


class Tally:
    """Counted post by post (`add`), in any order; `until` is how far the storm was played."""

    __slots__ = ("volume", "negative", "injects", "until")

    def __init__(
        self,
        volume: Iterable[int] = (),
        negative: Iterable[int] = (),
        injects: Iterable[Post] = (),
        until: float = 0.0,
    ):
        self.volume = list(volume)
        self.negative = list(negative)
        self.injects = list(injects)
        self.until = until

    @classmethod
    def of(cls, posts: Iterable[Post], until: float | None = None) -> Tally:
        tally = cls()
        for post in posts:
            tally.add(post)
        if until is not None:
            tally.until = until
        return tally

    def add(self, post: Post) -> None:
        minute = int(post.t // MINUTE)
        if minute >= len(self.volume):
            grow = minute + 1 - len(self.volume)
            self.volume.extend([0] * grow)
            self.negative.extend([0] * grow)
        self.volume[minute] += 1
        if post.sentiment == "negative":
            self.negative[minute] += 1
        if post.inject and post.id.startswith("i-"):
            self.injects.append(post)
        self.until = max(self.until, post.t)

    def extend(self, posts: Iterable[Post], until: float) -> None:
        for post in posts:
            self.add(post)
        self.until = max(self.until, until)

    @property
    def posts(self) -> int:
        return sum(self.volume)

    @property
    def negatives(self) -> int:
        return sum(self.negative)

    def series(self, minutes: int) -> tuple[list[int], list[int]]:
        """Volume and negative posts for minutes 0 .. minutes-1, zero-padded."""
        pad = [0] * max(0, minutes - len(self.volume))
        return (self.volume + pad)[:minutes], (self.negative + pad)[:minutes]

    def to_json(self) -> dict[str, Any]:
        return {
            "until": self.until,
            "volume": self.volume,
            "negative": self.negative,
            "injects": [post_dict(p) for p in self.injects],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Tally:
        injects = [post_from_dict(p) for p in data["injects"]]
        return cls(data["volume"], data["negative"], injects, float(data["until"]))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Tally):
            return NotImplemented
        return (self.volume, self.negative, self.injects) == (
            other.volume,
            other.negative,
            other.injects,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Tally({self.posts} posts, {self.negatives} negative, until {self.until})"
