"""What a participant reads of the storm: the crowd is counted, people are read.

The storm models the whole crowd and every post of it is recorded; a team's columns show the
human part of it, chosen here: original posts, replies and quote-posts, picked by reach and
novelty at the team's intensity. Plain shares ("RT @…") are never shown: they are counted on
the post they share, as replies are counted on the post they answer.

Always shown, at once: inject posts, the trainer's curveballs, the brand's own posts and
replies to them, the storm's reactions to the team, and a post the moment it goes viral. The
rest waits in a pool per column for at most `POOL_AGE` simulated seconds; every `WINDOW`
simulated seconds each column earns tokens at its intensity's rate and spends them on the
best-scored posts of its pool.

The choice is a pure function of the posts in time order (and the intensity changes with the
simulated time they took effect): it does not depend on how the runner's ticks cut the storm,
so a session rebuilt after a restart chooses exactly what it chose before.

This module imports nothing of Flask or the database (the runner and the benchmark use it).
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

# posts per column per simulated minute at the storm's peak (beside the always-shown ones)
INTENSITIES: dict[str, float] = {"calm": 0.5, "busy": 1.0, "overwhelming": 3.0}
DEFAULT_INTENSITY = "calm"  # a team of five works it at 10x: see bench/feed.py
WINDOW = 10.0  # simulated seconds between two choices
POOL_AGE = 60.0  # a post not chosen within this many simulated seconds is only counted
BURST = 2.0  # tokens a quiet column saves up
VIRAL = 25  # shares that make a post viral: it is shown then, whatever else
MIN_SCORE = 1.0  # below this a post is never worth a token (a nobody's "+1")
# a new claim: a post bringing at least NEW_WORDS content words (5 letters or more, not a
# stop word nor a hashtag) that none of its column's last RECENT shown posts used
NEW_WORDS = 2
RECENT = 20
NEW_CLAIM = 1.0


def is_plain_share(post: Any) -> bool:
    """A share without a word of its own ("RT @…"): a counter, not something to read."""
    return post.kind == "share" and post.text.startswith("RT ")


def is_key(post: Any) -> bool:
    """Inject posts and the trainer's curveballs: kept in the team's "to handle" queue."""
    return post.inject is not None or post.id.startswith("c-")


def is_brand(post_id: str | None) -> bool:
    return bool(post_id) and post_id.startswith("brand-")


def always_shown(post: Any) -> bool:
    """Injects and curveballs, the brand's posts and replies to them, and the first post of
    each reaction of the storm to what the team did (a leak, a screenshot, a backfire)."""
    return (
        is_key(post)
        or is_brand(post.id)
        or is_brand(post.parent)
        or (post.id.startswith("x-") and post.parent is None)
    )


def search_text(post: Any) -> str:
    """What a search matches: author and text, lower case, accents removed."""
    return fold(f"{post.author.name} {post.author.handle} {post.text}")


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def content_words(text: str) -> frozenset[str]:
    """The words of a post that could carry a claim: the radar's terms, hashtags aside."""
    from .radar import _terms  # here: radar imports fold from this module

    return frozenset(w for w in _terms(text) if not w.startswith("#"))


def intensity_rate(name: str) -> float:
    return INTENSITIES.get(name, INTENSITIES[DEFAULT_INTENSITY])


@dataclass
class Selector:
    """Chooses, post after post, what one team's columns show; keeps the counters."""

    intensity: str = DEFAULT_INTENSITY
    # (simulated time, intensity) changes, in order; a change counts for windows after it
    changes: list[tuple[float, str]] = field(default_factory=list)
    window_end: float = WINDOW
    shown: set[str] = field(default_factory=set)
    counts: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    changed: set[str] = field(default_factory=set)  # shown posts whose counters moved
    totals: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # per platform
    _target: dict[str, str] = field(default_factory=dict)  # plain share -> what it counts on
    _pool: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(list))
    _tokens: dict[str, float] = field(default_factory=dict)
    _authors: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    _threads: set[str] = field(default_factory=set)
    _viral: set[str] = field(default_factory=set)
    _posts: dict[str, Any] = field(default_factory=dict)  # pooled posts, to surface if viral
    _words: dict[str, frozenset[str]] = field(default_factory=dict)  # pooled posts' words
    # per column: the words of its last RECENT shown posts, and how many of them use each
    _recent: dict[str, deque] = field(default_factory=lambda: defaultdict(deque))
    _recent_words: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))

    def set_intensity(self, name: str, at: float) -> None:
        if name in INTENSITIES:
            self.changes.append((at, name))

    def counted_on(self, post: Any) -> str | None:
        """The post this one is counted on: its parent, past any plain shares."""
        if post.parent is None:
            return None
        return self._target.get(post.parent, post.parent)

    def feed(self, posts: list[Any], until: float) -> list[Any]:
        """Take the storm's next posts (time order, all before `until`); return those shown
        now, in the order they are shown."""
        out: list[Any] = []
        for post in posts:
            self._close(post.t, out)
            self.totals[post.platform] += 1
            target = self.counted_on(post)
            if is_plain_share(post):
                self._target[post.id] = target or post.id
            if target is not None:
                counter = self.counts[target]
                counter[0 if post.kind == "share" else 1] += 1
                if target in self.shown:
                    self.changed.add(target)
                elif post.kind == "share" and counter[0] >= VIRAL and target not in self._viral:
                    self._viral.add(target)
                    viral = self._posts.get(target)
                    if viral is not None:
                        self._show(viral, out)
            if is_plain_share(post):
                continue
            if always_shown(post):
                self._show(post, out)
            else:
                self._pool[post.platform].append(post)
                self._posts[post.id] = post
                self._words[post.id] = content_words(post.text)
        self._close(until, out, inclusive=True)
        return out

    def take_changed(self) -> dict[str, list[int]]:
        """The counters of shown posts that moved since the last call."""
        changed = {pid: list(self.counts[pid]) for pid in sorted(self.changed)}
        self.changed.clear()
        return changed

    # -- choosing -------------------------------------------------------------------------

    def _show(self, post: Any, out: list[Any]) -> None:
        if post.id in self.shown:
            return
        self.shown.add(post.id)
        self._posts.pop(post.id, None)
        words = self._words.pop(post.id, None)
        if words is None:
            words = content_words(post.text)
        recent, counts = self._recent[post.platform], self._recent_words[post.platform]
        recent.append(words)
        counts.update(words)
        if len(recent) > RECENT:
            for word in recent.popleft():
                counts[word] -= 1
                if not counts[word]:
                    del counts[word]
        self._authors[post.platform].add(post.author.handle)
        self._threads.add(post.id.split(".", 1)[0])
        out.append(post)

    def _rate(self, at: float) -> float:
        name = self.intensity
        for t, change in self.changes:
            if t < at:
                name = change
        return intensity_rate(name)

    def _close(self, t: float, out: list[Any], inclusive: bool = False) -> None:
        """Close every window that ends before `t` (or at `t` when `inclusive`): a window
        closes once every post before its end has been seen, and none after it."""
        while self.window_end < t or (inclusive and self.window_end <= t):
            end = self.window_end
            gain = self._rate(end) * WINDOW / 60.0
            for platform, pool in self._pool.items():
                tokens = min(BURST, self._tokens.get(platform, BURST) + gain)
                fresh = [p for p in pool if p.t >= end - POOL_AGE and p.id not in self.shown]
                for stale in pool:
                    if stale.t < end - POOL_AGE:
                        self._posts.pop(stale.id, None)
                        self._words.pop(stale.id, None)
                fresh.sort(key=lambda p: (-self.score(p), p.t, p.id))
                while fresh and tokens >= 1.0 and self.score(fresh[0]) >= MIN_SCORE:
                    self._show(fresh.pop(0), out)
                    tokens -= 1.0
                self._pool[platform] = fresh
                self._tokens[platform] = tokens
            self.window_end = end + WINDOW

    def score(self, post: Any) -> float:
        """Reach and novelty: a big or verified account, a new voice in the column, a new
        thread, a new claim (words the column has not shown lately), a post people are
        sharing or answering, the storm reacting to the team."""
        followers = max(0, post.author.followers)
        score = math.log10(1 + followers)
        if post.author.verified:
            score += 1.0
        if post.author.handle not in self._authors[post.platform]:
            score += 0.5
        if post.id.split(".", 1)[0] not in self._threads:
            score += 1.0
        words = self._words.get(post.id)
        if words is None:
            words = content_words(post.text)
        seen = self._recent_words[post.platform]  # a word's count is deleted at zero
        if len(words) - len(seen.keys() & words) >= NEW_WORDS:
            score += NEW_CLAIM
        shares, replies = self.counts.get(post.id, (0, 0))
        score += math.log2(1 + shares + replies)
        if post.cause is not None:
            score += 2.0
        if post.sentiment == "negative":
            score += 0.25
        return score
