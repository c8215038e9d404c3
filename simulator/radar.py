"""The listening radar of a team: what its whole world says, minute by minute.

Crisis cells watch listening dashboards and read what matters. For the last `WINDOW`
simulated minutes of a team's world (every post, shown or only counted) the radar gives the
volume per platform per minute and the share of negative posts, the terms and hashtags rising
now against the minutes before, the accounts with most reach talking now, the brand's
mentions, and alerts when a curve spikes: a post going viral, a journalist asking, a platform
catching fire, each with the posts behind it.

Posts are summed up a minute at a time (`Minute`), so the runner keeps a few buckets per team
and the snapshot can compute the same figures from the stored posts: the same function on the
same posts gives the same radar. Pure: no Flask, no database.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .feed import fold

WINDOW = 15  # simulated minutes the radar looks at
NOW = 3  # the last minutes: "now"
VIRAL = 25  # shares of one post within the window
FIRE = 3.0  # a platform "catches fire" at this many times its earlier rate ...
FIRE_MIN = 15  # ... with at least this many posts now
TOP = 6
PRESS = ("journalist", "press", "reporter", "media")
# Words a listening tool leaves out: function words and the verbs and fillers every post uses.
# Compared without accents, so "deja" stands for "déjà".
STOP = frozenset(
    fold(
        """
    avec dans pour plus mais sont nous vous leur leurs tout tous toute toutes cette comme quoi
    elle elles être avoir fait faire chez encore même aussi depuis sans sous très bien alors donc
    quand toujours rien votre notre quel quelle quels quelles qui que est ont été était étaient
    ceux celle celles celui cela ceci voilà voici juste vraiment quelqu quelque quelques chose
    choses personne autre autres après avant pendant entre vers contre parce puis déjà jamais
    ici aujourd aujourd'hui demain hier matin soir heure heures minute minutes fois jour jours
    semaine moins beaucoup trop assez peut peux pouvez pouvons peuvent veut veux voulez savoir
    sais sait savez dire dit dites disent parle parlent parler voir vois voit voyez vu aller va
    vais allez vont venir vient viens faut fallait serait seront sera serai suis sommes êtes
    avez avons avait aurait auront dois doit devez doivent mettre mis prend prendre donne donner
    lire merci bonjour bonsoir salut svp oui non enfin ok okay bref franchement honnêtement
    normal simple vrai vraie question questions réponse réponses message messages quelqu'un
    chaque aucun aucune ailleurs partout pourquoi comment combien où quoi ainsi tant lorsque
    this that with from have what your they their there about just been will would were when
    which them than then into more some only also very still here like dont don't doesn't didn't
    can't won't isn't aren't wasn't it's that's what's there's here's i'm you're we're they're
    i've you've we've i'll you'll we'll they'll i'd you'd let's could should might must shall
    does doing done being these those other another every each many much most such even ever
    never always again already today tomorrow yesterday morning evening tonight hour hours
    minute minutes time times week weeks thing things anyone someone something anything nothing
    everyone everybody people because before after while since until over under after where
    why how who whom whose yes thanks thank please hello okay well really actually honestly
    literally basically going gonna want wants know knows knew think thinks thought said says
    saying tell told take takes took make makes made come comes came give gives gave look looks
    looking seen seem seems back good great right left same last next first still around
    through across behind posted post posts wondering anyway though although whether
    """
    ).split()
)
WORD = re.compile(r"#?[^\W\d_][\w'’-]{3,}", re.UNICODE)
NOISE = re.compile(r"@\w+|https?://\S+|\bRT\b", re.UNICODE)
# French elision: "l'autorité" is "autorité" to a listener; English contractions are fillers.
ELIDED = re.compile(r"^(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)


# a word's folded spelling, kept: the same words come back in post after post (folding
# each word of each post was a fifth of a busy server's time)
_folded = lru_cache(maxsize=1 << 16)(fold)


@lru_cache(maxsize=1 << 13)
def _terms(text: str) -> frozenset[str]:
    """The words and hashtags of a post a listener would chart, in their own spelling (kept
    for the texts of the last ticks: the radar and the feed's choice both read them)."""
    found = set()
    for word in WORD.findall(NOISE.sub(" ", text.lower())):
        word = word.strip("'’-")
        if "'" in word or "’" in word:
            word = ELIDED.sub("", word)
        hashtag = word.startswith("#")
        plain = len(word) >= 5 and "'" not in word and "’" not in word
        if hashtag or (plain and _folded(word) not in STOP):
            found.add(word)
    return frozenset(found)


@dataclass
class Minute:
    """What one simulated minute of a team's world said."""

    minute: int
    volume: Counter = field(default_factory=Counter)  # platform -> posts
    negative: int = 0
    terms: Counter = field(default_factory=Counter)  # term or #hashtag -> posts using it
    mentions: int = 0
    shares: Counter = field(default_factory=Counter)  # shared post -> shares
    voices: list[dict[str, Any]] = field(default_factory=list)  # the biggest accounts
    questions: list[dict[str, Any]] = field(default_factory=list)  # the press asking

    def add(self, post: dict[str, Any], brand: tuple[str, ...]) -> None:
        self.volume[post["platform"]] += 1
        self.negative += post["sentiment"] == "negative"
        text = post["text"]
        if post["kind"] == "share" and post.get("parent"):
            self.shares[post["parent"]] += 1
        if post["author"]["persona"] == "brand":
            return
        if not (post["kind"] == "share" and text.startswith("RT ")):
            self.terms.update(_terms(text))
        lowered = text.lower()  # `brand` holds each name as written and without accents
        if any(b in lowered for b in brand):
            self.mentions += 1
        self.voices.append(post)
        self.voices.sort(key=lambda p: (-p["author"]["followers"], p["t"], p["id"]))
        del self.voices[TOP:]
        persona = post["author"]["persona"]
        if "?" in text and any(word in persona for word in PRESS):
            self.questions.append(post)


def brand_terms(scenario) -> tuple[str, ...]:
    """What counts as a mention of the brand: its name and handles, in lower case as written
    and without accents (a post is looked at in lower case, not folded: folding every text
    cost as much as the rest of the radar)."""
    brand = scenario.brand
    spelled = [brand.name] + [brand.handle(p) or "" for p in scenario.platforms]
    names = {form for name in spelled for form in (name.lower(), fold(name))}
    return tuple(sorted(n for n in names if n))


def minutes_of(posts: Iterable[dict[str, Any]], brand: tuple[str, ...]) -> dict[int, Minute]:
    buckets: dict[int, Minute] = {}
    for post in posts:
        m = int(post["t"] // 60)
        buckets.setdefault(m, Minute(m)).add(post, brand)
    return buckets


def _total(counters: Iterable[Counter]) -> Counter:
    """The sum of counters, in one pass (adding them pairwise copies the total each time:
    the radar's 15 minutes of terms took most of a tick)."""
    total: Counter = Counter()
    for counter in counters:
        for key, n in counter.items():
            total[key] += n
    return total


def radar(
    buckets: dict[int, Minute],
    until: float,
    platforms: Iterable[str],
    closed: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The radar at simulated time `until` from the minute buckets (older ones ignored).

    `closed`, kept by a caller that asks again and again (the runner, each second): the
    terms and shares of the minutes before "now", summed once for as long as they are the
    same minutes (no post reaches them any more)."""
    current = int(until // 60)
    first = current - WINDOW + 1
    minutes = [buckets.get(m) or Minute(m) for m in range(max(0, first), current + 1)]
    platforms = list(platforms)
    now = [b for b in minutes if b.minute > current - NOW]
    before = [b for b in minutes if b.minute <= current - NOW]
    volume_now = sum(sum(b.volume.values()) for b in now)
    neg_now = sum(b.negative for b in now)
    # rising: used more per minute now than before (and by a few people at least)
    key = tuple(b.minute for b in before)
    if closed is None or closed.get("minutes") != key:
        sums = {
            "terms": _total(b.terms for b in before),
            "shares": _total(b.shares for b in before),
        }
        if closed is not None:
            closed.clear()
            closed.update(sums, minutes=key)
    else:
        sums = closed
    terms_now, terms_before = _total(b.terms for b in now), sums["terms"]
    span_before = max(1, len(before))
    rising = []
    for term, n in terms_now.items():
        if n < 3:
            continue
        rate_now = n / max(1, len(now))
        rate_before = terms_before[term] / span_before
        rising.append((rate_now / (rate_before + 0.5), n, term))
    rising.sort(key=lambda r: (-r[0], -r[1], r[2]))
    voices: dict[str, dict[str, Any]] = {}
    for b in now:
        for p in b.voices:
            known = voices.get(p["author"]["handle"])
            if known is None or p["t"] > known["t"]:
                voices[p["author"]["handle"]] = p
    accounts = sorted(voices.values(), key=lambda p: (-p["author"]["followers"], p["id"]))[:5]
    alerts = []
    shares = _total([sums["shares"], *(b.shares for b in now)])
    for post_id, n in sorted(shares.items(), key=lambda kv: (-kv[1], kv[0])):
        if n < VIRAL or len(alerts) >= 3:
            break
        alerts.append({"kind": "viral", "n": n, "post": post_id})
    questions = sorted((p for b in now for p in b.questions), key=lambda p: (-p["t"], p["id"]))[:3]
    if questions:
        alerts.append({"kind": "press", "n": len(questions), "posts": questions})
    for platform in platforms:
        n_now = sum(b.volume[platform] for b in now)
        n_before = sum(b.volume[platform] for b in before)
        rate_before = n_before / span_before * max(1, len(now))
        if n_now >= FIRE_MIN and n_now >= FIRE * max(rate_before, 1.0):
            alerts.append({"kind": "fire", "platform": platform, "n": n_now})
    return {
        "until": round(until, 3),
        "minutes": [b.minute for b in minutes],
        "volume": {p: [b.volume[p] for b in minutes] for p in platforms},
        "negative": [
            round(b.negative / total, 3) if (total := sum(b.volume.values())) else 0.0
            for b in minutes
        ],
        "now": {
            "posts": volume_now,
            "negative": round(neg_now / volume_now, 3) if volume_now else 0.0,
            "mentions": sum(b.mentions for b in now),
        },
        "rising": [{"term": term, "n": n} for _, n, term in rising[:TOP]],
        "accounts": [
            {
                "handle": p["author"]["handle"],
                "name": p["author"]["name"],
                "followers": p["author"]["followers"],
                "verified": p["author"]["verified"],
                "platform": p["platform"],
                "post": p,
            }
            for p in accounts
        ],
        "alerts": alerts,
    }
