"""The storm: a team's posts as a pure function of (scenario, seed, language, actions).

How it works
- Background chatter: one root stream per platform, a Poisson process at the current phase's
  rate. Candidates are drawn at twice that rate and each keeps a uniform draw, so that the
  trainer's volume dial (0 to 2) thins or thickens the same storm instead of reshuffling it.
- Cascades: every post draws its replies and shares when it is published, from its own
  random stream, with the SEISMIC memory kernel (delays flat up to 300 s, then a power-law
  tail of exponent 1 + θ) and a mean that grows with the author's followers.
- News lags: posts by large accounts and severe injects may be picked up by the press tens of
  minutes to hours later.
- Reactions (see reactions.py) change what happens after an action: a thread calms (its
  pending children are thinned and turn less negative), a second wave starts, a backlash or a
  leak is published, a bad reply is screenshot.

The storm is split by concern: posts.py (a post and its JSON), kernel.py (delays and
cascade sizes), authors.py (who writes), text.py (what they write: grammar, voices, forms),
platforms.py (each platform described once), reactions.py (how the storm answers back),
promises.py (time-bound promises in what the brand says), and this module, the loop.

Everything is processed in one time-ordered queue, so asking window by window gives exactly
the posts of one long run, and an action at time t changes nothing before t. Each post owns
its own random stream: an action touches only what it causes, and the rest of the storm is
the same post for post.
"""

from __future__ import annotations

import copy
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from heapq import heappop, heappush
from math import ceil, exp, inf, log
from typing import NamedTuple

from . import promises, reactions
from .actions import Action
from .authors import LOCALES, Author, _faker, author_pool
from .framing import rating_for, tidy
from .grammar import Expander, State
from .kernel import (  # noqa: F401  (re-exported: the public names of the storm module)
    _UNIT22,
    _UNIT32,
    FOLLOWER_EXPONENT,
    KERNEL_HEAD,
    KERNEL_S0,
    KERNEL_THETA,
    KIND_SPREAD,
    MAX_CHILDREN_MEAN,
    SENTIMENT_SPREAD,
    children_mean,
    kernel_delay,
)
from .platforms import PLATFORMS
from .posts import Post, ReactionFired, post_dict, post_json, thread_of  # noqa: F401
from .rng import Rng, derive
from .scenario import L10n, Persona, Scenario
from .text import Writing, compiled_text  # noqa: F401
from .texts import CITIES, DEFAULT_REPLIES, QUOTE_COMMENTS, roughen

# a post built without NamedTuple's __new__ (a Python function call per post): give every field
_new = tuple.__new__
# archetypes whose voice complains that the brand says nothing (silence waves)
SILENCE_VOICES = frozenset(
    {
        "angry_customer",
        "customer",
        "activist",
        "influencer",
        "bystander",
        "ex_employee",
        "journalist",
    }
)
VOLUME_BOUND = 2.0  # root candidates are drawn at this multiple of the phase rate
# Deleting brand-page criticism younger than this backfires; older comments have been seen
# and the conversation has moved on (and the engine need not remember the whole run).
CRITICISM_MEMORY = 45 * 60.0
BAIT_POSTS = 6  # a fed bait gets 6 to 11 more replies
BAIT_SPACING = 150.0  # seconds between them, on average
BAIT_STARVED = 0.3  # a bait answered in private keeps this share of its pending replies
BAIT_TEXTS = {
    "back": {
        "fr": (
            "Oh, {brand} me répond à moi mais pas à ses clients 😂",
            "Tiens, le community manager se réveille. Vous répondez aux trolls, pas aux victimes ?",
            "Merci pour la visibilité {brand} 🤡",
        ),
        "en": (
            "Oh, {brand} answers me but not its customers 😂",
            "Look, the social media team woke up. You answer trolls, not victims?",
            "Thanks for the reach {brand} 🤡",
        ),
    },
    "pile": {
        "fr": (
            "Sérieux {brand} répond au troll et pas à nous ?",
            "Capture faite : {brand} qui débat avec {author}.",
            "Ils ont du temps pour {author} mais pas pour nous. Bravo.",
        ),
        "en": (
            "Seriously {brand} answers the troll and not us?",
            "Screenshot taken: {brand} arguing with {author}.",
            "Time for {author} but not for us. Well done.",
        ),
    },
}
PROMISE_KEPT_CALM = 0.85  # a promise kept thins the whole storm a little
PROMISE_WAVE_FACTOR = 0.35  # a broken promise adds this share of the background volume
PROMISE_WAVE_DURATION = 20 * 60.0
BROKEN_TEXTS = {
    "fr": (
        "« {promise} », qu'ils disaient. On attend toujours.",
        "Ça fait une heure. « {promise} », hein ?",
        "{brand} avait promis un point {deadline}. Rien.",
    ),
    "en": (
        '"{promise}", they said. Still waiting.',
        'It\'s been an hour. "{promise}", was it?',
        "{brand} promised an update {deadline}. Nothing.",
    ),
}
WAVE_CAP = 0.6  # second waves together add at most this share of the background volume
BRAND_FOLLOWERS = 25_000

PRESS_LAG_MEDIAN = 2400.0  # news follows the social storm by tens of minutes to hours
PRESS_LAG_SPREAD = 0.6

# Heap entry kinds; actions sort before deadline checks, which sort before posts.
_ACTION, _CHECK, _ROOT, _CHILD, _SCRIPTED = range(5)
_PRIORITY = {_ACTION: 0, _CHECK: 1, _ROOT: 2, _CHILD: 2, _SCRIPTED: 2}


class _Stream:
    """A Poisson stream of root-post candidates on one platform, piecewise-constant rate."""

    __slots__ = (
        "platform",
        "rng",
        "segments",
        "index",
        "bound",
        "cause",
        "sentiment",
        "texts",
        "prefix",
        "count",
    )

    def __init__(
        self,
        prefix: str,
        platform: str,
        rng: Rng,
        segments: list[tuple[float, float, float]],
        bound: float,
        cause: str | None = None,
        sentiment: str | None = None,
        texts: Sequence[str] = (),
    ):
        self.prefix, self.platform, self.rng, self.segments = prefix, platform, rng, segments
        self.index, self.bound, self.cause, self.sentiment, self.texts = (
            0,
            bound,
            cause,
            sentiment,
            texts,
        )
        self.count = 0

    def next_time(self, t: float, bits: int) -> float | None:
        """The next candidate after t; `bits` supplies the exponential gap (32 random bits)."""
        budget = -log(((bits & 0xFFFFFFFF) + 0.5) * _UNIT32)
        segs = self.segments
        while self.index < len(segs):
            start, end, rate = segs[self.index]
            if t < start:
                t = start
            r = rate * self.bound
            if r > 0.0:
                dt = budget / r
                if t + dt < end:
                    return t + dt
                budget -= r * (end - t)
            self.index += 1
        return None


class _Parent(NamedTuple):
    """What a pending reply or share needs to know of the post it answers."""

    id: str
    handle: str  # whom a share credits: the original author, not the resharer
    text: str
    platform: str
    kind: str
    sentiment: str
    cause: str | None
    virality: float


class Storm(Writing):
    """One team's storm, advanced window by window (`advance`) as the session's clock runs."""

    def __init__(
        self,
        scenario: Scenario,
        seed: int,
        lang: str,
        actions: Iterable[Action] = (),
        *,
        until: float | None = None,
    ):
        if lang not in scenario.languages:
            raise ValueError(f"scenario {scenario.id} is not written in {lang!r}")
        self.scenario, self.seed, self.lang = scenario, seed, lang
        self.end = scenario.duration if until is None else min(until, scenario.duration)
        self.now = 0.0
        self.fired: list[ReactionFired] = []
        self.ignored: list[tuple[str, str]] = []  # (action key, why)
        self._heap: list = []
        self._seq = 0
        self._waves: list[tuple[float, float]] = []  # (end, share of background) of each wave
        self._actions: list[Action] = []
        # reaction state, changed only by actions and deadlines, always "as of now"
        self.thread_factor: dict[str, float] = {}
        self.thread_shift: dict[str, float] = {}
        self.global_factor = 1.0
        self.global_shift = 0.0
        self.volume = 1.0
        self.aggression = 0.0
        self.removed: set[str] = set()
        self.responses: dict[str, float] = {}  # thread root -> first public reply
        self.statements: list[float] = []  # times of holding statements
        self.memo_at: float | None = None
        # criticism on the brand page of the last CRITICISM_MEMORY seconds: id -> (t, handle, text)
        self.brand_criticism: dict[str, tuple[float, str, str]] = {}
        self.emitted_injects: set[str] = set()
        self.roots: dict[str, str] = {}  # platform of every root that is not a chatter stream's
        self._press = "news" in scenario.platforms
        # what this team's world knows (facts, whether the brand has spoken, its promise)
        self.world = State(known=set())
        self.brand_words: list[str] = []  # the brand's public texts, latest last
        self.promise: promises.Promise | None = None  # the brand's latest time-bound promise
        self._prepare_tables()
        for platform in scenario.platforms:
            segments = self._segments(platform, 0.0, scenario.duration, 1.0)
            stream = _Stream(
                PLATFORMS[platform].prefix,
                platform,
                Rng(derive(seed, "roots", platform)),
                segments,
                VOLUME_BOUND,
            )
            self._schedule_stream(stream, 0.0)
        for inject in scenario.scheduled_injects:
            self.roots[inject.post_id] = inject.platform
            self._push(inject.time, _SCRIPTED, ("inject", inject, inject.post_id, None))
            if inject.deadline is not None:
                self._push(
                    inject.time + inject.deadline, _CHECK, ("silence", inject, inject.post_id)
                )
        if scenario.memo_deadline is not None:
            self._push(scenario.memo_deadline, _CHECK, ("memo", None, None))
        for fact in scenario.facts:
            if fact.at is not None:
                self._push(fact.at, _CHECK, ("fact", fact.id, None))
        for action in sorted(actions, key=lambda a: a.t):
            self.add_action(action)

    # -- public -------------------------------------------------------------------------

    def add_action(self, action: Action) -> str:
        """Take an action from now on; returns its key. Actions in the past are refused."""
        if action.t < self.now:
            raise ValueError(f"action at t={action.t} is before the storm's present ({self.now})")
        key = action.key(len(self._actions))
        self._actions.append(action)
        # posts carry millisecond times: an action takes effect at the next millisecond
        self._push(ceil(action.t * 1000.0) / 1000.0, _ACTION, (action, key))
        return key

    def advance(self, t1: float) -> list[Post]:
        """The posts with now <= t < t1, in time order; the storm's present moves to t1."""
        out: list[Post] = []
        heap = self._heap
        limit = min(t1, self.end)
        while heap and heap[0][0] < limit:
            t, _, _, kind, payload = heappop(heap)
            if kind == _CHILD:
                self._child(t, payload, out)
            elif kind == _ROOT:
                self._root(t, payload, out)
            elif kind == _SCRIPTED:
                self._scripted(t, payload, out)
            elif kind == _ACTION:
                reactions.on_action(self, t, payload[0], payload[1], out)
            elif payload[0] == "fact":
                self.world.learn(payload[1])
            elif payload[0] == "promise":
                self._promise_due(t, payload[1])
            else:
                reactions.on_check(self, t, payload)
        self.now = max(self.now, t1)
        criticism, horizon = self.brand_criticism, self.now - CRITICISM_MEMORY
        while criticism and next(iter(criticism.values()))[0] < horizon:
            del criticism[next(iter(criticism))]
        return out

    @property
    def actions(self) -> tuple[Action, ...]:
        return tuple(self._actions)

    def fork(self) -> Storm:
        """An independent copy as of now: the same future until one of them takes an action.

        The scenario and the tables built from it are read-only and shared; everything that
        moves (the queue, the streams' random states, the reaction state) is copied.
        """
        shared = (
            self.scenario,
            *self.scenario.injects,
            *self.scenario.personas,
            self._phases,
            self._starts,
            self._hashtags,
            self._who,
            self._pools,
            self._mentions,
            self._first_names,
            self._cities,
            self._templates,
            self._replies,
            self._lookup,
            self._fact_values,
            self._voices,
        )
        return copy.deepcopy(self, {id(x): x for x in shared})

    # -- used by reactions --------------------------------------------------------------
    # (through reactions.Handle: what a rule may read, and the changes it may make)

    def root_platform(self, root: str) -> str | None:
        return self.roots.get(root)

    def register_root(self, post_id: str, platform: str) -> None:
        self.roots[post_id] = platform

    def emitted(self, post_id: str) -> bool:
        return post_id in self.emitted_injects

    def responded_at(self, root: str) -> float | None:
        return self.responses.get(root)

    def responded(self, root: str, t: float) -> None:
        self.responses.setdefault(root, t)

    def stated(self, t: float) -> None:
        self.statements.append(t)

    def stated_between(self, t0: float, t1: float) -> bool:
        return any(t0 <= s <= t1 for s in self.statements)

    def memo(self, t: float) -> None:
        if self.memo_at is None:
            self.memo_at = t

    def memo_by(self, t: float) -> bool:
        return self.memo_at is not None and self.memo_at <= t

    def ignore(self, key: str, why: str) -> None:
        self.ignored.append((key, why))

    def remove(self, target: str) -> tuple[float, str, str] | None:
        """Hide or delete a brand-page comment: its thread stops; returns the criticism it
        was (time, author, text), if it is recent enough to be remembered."""
        self.removed.add(target)
        return self.brand_criticism.pop(target, None)

    def difficulty(self, volume: float | None, aggression: float | None) -> None:
        if volume is not None:
            self.volume = volume
        if aggression is not None:
            self.aggression = aggression

    def calm_thread(self, root: str, factor: float, shift: float) -> None:
        """Thin a thread's pending replies and shares to `factor`, and make them less negative."""
        self.thread_factor[root] = self.thread_factor.get(root, 1.0) * factor
        self.thread_shift[root] = max(self.thread_shift.get(root, 0.0), shift)

    def calm_storm(self, factor: float, shift: float) -> None:
        self.global_factor *= factor
        self.global_shift = max(self.global_shift, shift)

    def fire(self, rule_id: str, kind: str, t: float, reason: L10n, **about) -> None:
        self.fired.append(ReactionFired(rule_id, kind, t, reason, **about))

    def schedule(self, t: float, post_id: str, **spec) -> None:
        """A scripted post (a reaction's, a curveball) to publish at t."""
        if t < self.end:
            self._push(t, _SCRIPTED, ("post", spec, post_id, None))

    def schedule_inject(self, t: float, inject, post_id: str) -> None:
        self._push(t, _SCRIPTED, ("inject", inject, post_id, None))
        if inject.deadline is not None:
            self._push(t + inject.deadline, _CHECK, ("silence", inject, post_id))

    def start_wave(
        self,
        name: str,
        t: float,
        duration: float,
        factor: float,
        platforms,
        cause: str,
        texts: Sequence[str],
        capped: bool = True,
    ) -> float:
        """Start a wave of extra posts; returns the share of background volume it adds.

        Waves saturate: together they add at most WAVE_CAP times the background, so a team
        that ignores ten injects gets a storm twice as loud, not ten times.
        """
        if capped:
            self._waves = [(end, f) for end, f in self._waves if end > t]
            load = sum(f for _, f in self._waves)
            factor = min(factor, max(0.0, WAVE_CAP - load))
            if factor <= 0.0:
                return 0.0
            self._waves.append((t + duration, factor))
        for platform in platforms:
            segments = self._segments(
                platform, t, min(t + duration, self.scenario.duration), factor
            )
            rng = Rng(derive(self.seed, "wave", name, platform))
            stream = _Stream(
                f"w-{name}-{PLATFORMS[platform].prefix}",
                platform,
                rng,
                segments,
                1.0,
                cause,
                "negative",
                texts,
            )
            self._schedule_stream(stream, t)
        return factor

    def brand_post(
        self,
        t: float,
        post_id: str,
        platform: str,
        kind: str,
        text: str,
        parent: str | None,
        out: list[Post],
    ) -> Post:
        post = Post(
            post_id,
            round(t, 3),
            platform,
            kind,
            self.brand_author(platform),
            text,
            self.lang,
            parent,
            None,
            "neutral",
            None,
        )
        out.append(post)
        return post

    def brand_spoke(self, t: float, text: str, how: str) -> None:
        """The brand said something in public (`how`: holding_statement or reply): the crowd
        can quote it, and the facts it reveals become known in this team's world."""
        self.brand_words = [*self.brand_words[-4:], text]
        if how == "holding_statement":
            self.world.set(brand="spoken")
            if self.world.promise == "pending" and self.promise and t <= self.promise.deadline:
                self._promise_kept(t)
        found = promises.find(text, self.lang, t, self.scenario.start_clock)
        if found is not None:
            self.promise = found
            self.world.set(promise="pending")
            self._push(found.deadline, _CHECK, ("promise", found))
        for fact in self.scenario.facts:
            if fact.action == how:
                self.world.learn(fact.id)

    def feed_bait(self, t: float, inject, reply_id: str, key: str) -> int:
        """A public reply to bait: the troll answers back, others pile on, screenshots go round.

        The pile-on joins the bait's thread (ids under the inject's), so the thread grows
        instead of dying; returns how many posts were scheduled."""
        rng = Rng(derive(self.seed, "bait", inject.post_id, key))
        count = BAIT_POSTS + rng.below(BAIT_POSTS)
        platform = inject.platform if PLATFORMS[inject.platform].one_text else "microblog"
        grammar = self.words is not None
        for j in range(count):
            back = j % 3 == 0  # every third post is the bait's author answering back
            texts = (
                (("{bait_back}",) if back else ("{pile_on}",))
                if grammar
                else BAIT_TEXTS["back" if back else "pile"][self.lang]
            )
            when = t + 40.0 + BAIT_SPACING * j * (0.5 + rng.random())
            self.schedule(
                when,
                f"{inject.post_id}.b{j}-{key}",
                platform=platform,
                persona=inject.persona if back else None,
                texts=texts,
                sentiment="negative",
                parent=reply_id,
                cause="bait",
                virality=1.5,
                kind="reply",
                extra={"author": inject.author.handle if inject.author else ""},
            )
        self.fire(
            "bait",
            "bait_fed",
            t,
            L10n(
                fr=f"Réponse publique à une provocation (« {inject.id} ») : le fil s'emballe "
                f"({count} réponses de plus, captures).",
                en=f"A public reply to bait (“{inject.id}”): the thread takes off ({count} more "
                f"replies, screenshots).",
            ),
            inject=inject.id,
        )
        return count

    def starve_bait(self, root: str) -> None:
        """Ignored or answered in private, a provocation dies out."""
        self.thread_factor[root] = self.thread_factor.get(root, 1.0) * BAIT_STARVED

    def _promise_kept(self, t: float) -> None:
        """The brand came back before its deadline: the crowd notices, and calms a little."""
        self.world.set(promise="kept")
        self.global_factor *= PROMISE_KEPT_CALM
        self.global_shift = max(self.global_shift, 0.25)
        words = self.promise.words if self.promise else ""
        self.fire(
            "promise",
            "promise_kept",
            t,
            L10n(
                fr=f"Promesse tenue (« {words} ») : la marque revient à temps, la tempête se "
                f"calme un peu.",
                en=f"Promise kept (“{words}”): the brand came back in time, the storm calms "
                f"a little.",
            ),
        )

    def _promise_due(self, t: float, promise: promises.Promise | None) -> None:
        """A promise's deadline: if nothing was published since, it is broken, and said so."""
        if promise is None:  # the broken promise's wave is over: people move on
            if self.world.promise == "broken":
                self.world.set(promise="none")
            return
        if promise is not self.promise or self.world.promise != "pending":
            return
        self.world.set(promise="broken")
        platforms = [
            p for p in ("microblog", "brand_page", "forum") if p in self.scenario.platforms
        ]
        texts = ("{promise_broken}",) if self.words is not None else BROKEN_TEXTS[self.lang]
        added = self.start_wave(
            f"promise-{round(t)}",
            t,
            PROMISE_WAVE_DURATION,
            PROMISE_WAVE_FACTOR,
            platforms or [self.scenario.platforms[0]],
            "promise",
            texts,
            capped=False,  # not one more silence wave: a wave of its own
        )
        self._push(t + PROMISE_WAVE_DURATION, _CHECK, ("promise", None))
        self.fire(
            "promise",
            "promise_broken",
            t,
            L10n(
                fr=f"Promesse non tenue (« {promise.words} ») : une vague de « ça fait une "
                f"heure » (+{round(added * 100)} % de volume).",
                en=f"Promise broken (“{promise.words}”): a wave of “it's been an hour” "
                f"(+{round(added * 100)}% volume).",
            ),
        )

    def brand_author(self, platform: str) -> Author:
        brand = self.scenario.brand
        return Author(brand.handle(platform), brand.name, "brand", BRAND_FOLLOWERS, True)

    def persona_pool(self, persona_id: str) -> tuple[Author, ...]:
        return author_pool(self.scenario.persona(persona_id), self.seed, self.lang)

    # -- internals ----------------------------------------------------------------------

    def _push(self, t: float, kind: int, payload) -> None:
        self._seq += 1
        heappush(self._heap, (t, _PRIORITY[kind], self._seq, kind, payload))

    def _prepare_tables(self) -> None:
        s, lang = self.scenario, self.lang
        self._phases = s.phases
        self._starts = [p.start for p in s.phases]
        self._phase_from, self._phase_until, self._phase_now = inf, -inf, 0  # none yet
        self._hashtags = [
            tuple(p.hashtags.get(lang, ())) + tuple(s.hashtags.get(lang, ())) for p in s.phases
        ]
        # personas that speak this language, per platform and sentiment (weighted by stance)
        self._who: dict[tuple[str, str], tuple[list[Persona], list[float]]] = {}
        speakers = [p for p in s.personas if lang in p.languages and p.weight > 0]
        for platform in (*s.platforms, "*"):
            for sentiment in ("negative", "neutral", "positive"):
                ps = [p for p in speakers if platform in p.platforms or platform == "*"]
                weights = [p.weight * _affinity(p.stance, sentiment) for p in ps]
                cum, total = [], 0.0
                for w in weights:
                    total += w
                    cum.append(total)
                self._who[platform, sentiment] = (ps, cum)
        self._pools = {p.id: author_pool(p, self.seed, lang) for p in speakers}
        self._mentions = [a for pool in self._pools.values() for a in pool[:20]] or [
            self.brand_author(s.platforms[0])
        ]
        fake = _faker(LOCALES[lang])
        fake.seed_instance(derive(self.seed, "places", lang))
        self._first_names = [fake.first_name() for _ in range(40)]
        self._cities = CITIES[lang]
        # templates per (phase, platform, sentiment), with fallbacks resolved once
        self._templates: dict[tuple[int, str, str], tuple[str, ...]] = {}
        for i, phase in enumerate(s.phases):
            for platform in s.platforms:
                for sentiment in ("negative", "neutral", "positive"):
                    self._templates[i, platform, sentiment] = _pick_templates(
                        lang,
                        sentiment,
                        phase.platform_templates.get(platform),
                        s.platform_templates.get(platform),
                        phase.templates,
                    )
        self._replies = {
            sentiment: tuple(s.replies.get(sentiment, {}).get(lang, ()))
            or DEFAULT_REPLIES[sentiment][lang]
            for sentiment in ("negative", "neutral", "positive")
        }
        # the grammar (new-style scenarios): who can write what, and the expander
        self._lookup = s.grammar.get(lang) if s.grammar else None
        self._fact_values = {f.id: f.values.get(lang, ()) for f in s.facts}
        self._voices = {p.id: p.voice for p in s.personas}
        self._phase_ids = [p.id for p in s.phases]
        self._spread: dict[tuple[str, str], float] = {}  # (platform, kind) -> constant factors
        self._fact_names = frozenset(f.id for f in s.facts)
        self._any_persona = s.personas[0].id
        if self._lookup is not None:
            self.words = Expander(self._lookup, self._fact_values, lang, self._slot, self.world)
            # anyone comments on an article: those who have lines for it
            ps = [p for p in speakers if "news.comment" in self._lookup.get(p.id, {})]
            for sentiment in ("negative", "neutral", "positive"):
                weights = [p.weight * _affinity(p.stance, sentiment) for p in ps]
                cum, total = [], 0.0
                for w in weights:
                    total += w
                    cum.append(total)
                self._who["*", sentiment] = (ps, cum)
            # a silence wave ("still nothing from them", "it's been an hour") is written by
            # those whose voice complains: customers, activists, the press; never a troll, a
            # supporter, an institution, a competitor or staff
            for platform in s.platforms:
                ps = [
                    p for p in speakers if platform in p.platforms and p.archetype in SILENCE_VOICES
                ]
                cum, total = [], 0.0
                for p in ps:
                    total += p.weight * _affinity(p.stance, "negative")
                    cum.append(total)
                self._who[platform, "wave"] = (ps, cum)
        else:
            self.words = None

    def _phase_index(self, t: float) -> int:
        # posts come in time order: the phase of the last one is nearly always the answer
        if self._phase_from <= t < self._phase_until:
            return self._phase_now
        starts = self._starts
        i = max(0, bisect_right(starts, t) - 1)
        self._phase_from = starts[i] if i > 0 else -inf
        self._phase_until = starts[i + 1] if i + 1 < len(starts) else inf
        self._phase_now = i
        return i

    def _segments(self, platform: str, t0: float, t1: float, factor: float):
        out = []
        bounds = self._starts[1:] + [self.scenario.duration]
        for phase, end in zip(self._phases, bounds, strict=True):
            start = max(phase.start, t0)
            stop = min(end, t1)
            if start < stop:
                out.append((start, stop, factor * phase.rates.get(platform, 0.0) / 60.0))
        return out

    def _schedule_stream(self, stream: _Stream, t: float, bits: int | None = None) -> None:
        nxt = stream.next_time(t, stream.rng.bits() if bits is None else bits)
        if nxt is not None and nxt < self.end:
            self._push(round(nxt, 3), _ROOT, stream)

    def _sentiment(self, rng: Rng, t: float, shift: float = 0.0) -> str:
        mix = self._phases[self._phase_index(t)].sentiment
        neg, pos = mix["negative"], mix["positive"]
        a = self.aggression
        if a > 0:
            neg += (1.0 - neg) * a * 0.5
            pos *= 1.0 - a * 0.5
        elif a < 0:
            neg *= 1.0 + a * 0.5
        r = rng.random()
        if r < neg:
            if shift and rng.random() < shift:
                return "positive" if rng.random() < 0.3 else "neutral"
            return "negative"
        return "positive" if r > 1.0 - pos else "neutral"

    def _author(self, rng: Rng, platform: str, sentiment: str, wave: bool = False) -> Author:
        personas, cum = self._who[platform, sentiment]
        if wave and self._who.get((platform, "wave"), ((),))[0]:
            personas, cum = self._who[platform, "wave"]  # those who complain of silence
        if not personas:
            personas, cum = self._who[platform, "neutral"]
            if not personas:
                return rng.choice(self._mentions)
        x = rng.random() * cum[-1]
        persona = personas[min(bisect_right(cum, x), len(personas) - 1)]
        return rng.choice(self._pools[persona.id])

    def _text_rng(self, seed: int) -> Rng:
        """A post's words' own stream, per language: French and English posts are written
        independently (never word-for-word translations of each other's choices)."""
        return Rng(derive(seed, "text", self.lang))

    def _root(self, t: float, stream: _Stream, out: list[Post]) -> None:
        # one draw per candidate: its seed, its thinning uniform, and the gap to the next one
        seed = stream.rng.bits()
        n = stream.count
        stream.count += 1
        self._schedule_stream(stream, t, seed)
        if stream.cause is None and (seed >> 32) * _UNIT32 * VOLUME_BOUND >= self.volume:
            return
        rng = Rng(seed)
        platform = stream.platform
        if stream.sentiment is not None:
            sentiment = stream.sentiment if rng.random() < 0.7 else self._sentiment(rng, t)
        else:
            sentiment = self._sentiment(rng, t, self.global_shift)
        wave = stream.cause is not None and stream.cause != "bait" and self.words is not None
        author = self._author(rng, platform, sentiment, wave)
        kind = root_kind(platform, rng)
        plan = self._plan(rng, t, platform, kind, author.followers, sentiment, 1.0)
        # words from a stream of their own per language: every language gets the same storm
        # (times, authors, sentiments) from the same draws, but its own choice of words
        trng = self._text_rng(seed)
        phase = self._phase_index(t)
        extra: tuple = ()
        if self.words is not None:
            if stream.texts and stream.cause == "bait" and trng.random() < 0.3:
                text = self.grammar_fill(
                    trng.choice(stream.texts), trng, author, platform, sentiment, t
                )
            elif wave and self.words.has(author.persona, "wave") and trng.random() < 0.5:
                # the persona's own silence line (its `wave` rule), else its usual lines
                text = self.compose_rule(trng, author.persona, platform, "wave", sentiment, t)
                if text is None:
                    made = self._form_text(trng, author, platform, kind, sentiment, t)
                    if made is None:
                        return
                    kind, text, extra = made
            else:
                made = self._form_text(trng, author, platform, kind, sentiment, t)
                if made is None:
                    return  # nothing for this persona here and now: it stays quiet
                kind, text, extra = made
            if kind == "review" and not extra:  # a bait or silence line left on the reviews
                extra = (("rating", rating_for(text, self.lang, sentiment, trng.random())),)
        else:
            templates = self._templates[phase, platform, sentiment]
            if stream.texts and rng.random() < 0.6:
                templates = stream.texts
            text = self.fill(rng.choice(templates), rng, platform, t)
            if PLATFORMS[platform].hashtags and rng.random() < 0.2:
                tags = self._hashtags[phase]
                if tags:
                    tag = rng.choice(tags)
                    if tag not in text:
                        text = f"{text} {tag}"
            text = roughen(text, rng, sentiment)
        post = _new(
            Post,
            (
                f"{stream.prefix}{n}",
                t,
                platform,
                kind,
                author,
                text,
                self.lang,
                None,
                None,
                sentiment,
                stream.cause,
                extra,
            ),
        )
        self._emit(post, plan, 1.0, out)

    def _plan(
        self,
        rng: Rng,
        t: float,
        platform: str,
        kind: str,
        followers: int,
        sentiment: str,
        virality: float,
    ):
        """Draw a post's future replies and shares (and press pick-up) before its words."""
        # children_mean, from a table of its constant factors (the same products, in order)
        spread = self._spread.get((platform, kind))
        if spread is None:
            spread = PLATFORMS[platform].cascade * KIND_SPREAD.get(kind, 1.0)
            self._spread[platform, kind] = spread
        mean = (
            spread
            * (max(followers, 1) / 1000.0) ** FOLLOWER_EXPONENT
            * SENTIMENT_SPREAD[sentiment]
            * virality
        )
        n = rng.poisson(mean if mean < MAX_CHILDREN_MEAN else MAX_CHILDREN_MEAN)
        kids = []
        end = self.end
        for k in range(n):
            seed = rng.bits()  # one draw: the delay, the thinning uniform, the child's seed
            tc = round(t + kernel_delay(seed), 3)
            if tc < end:
                kids.append((tc, k, (seed >> 42) * _UNIT22, seed))
        press = None
        if self._press and PLATFORMS[platform].press_source:
            reach = followers * virality  # the press picks up big accounts and severe events
            if reach >= 20_000:
                u, seed = rng.random(), rng.bits()
                lag = PRESS_LAG_MEDIAN * exp(PRESS_LAG_SPREAD * rng.gauss())
                tc = round(t + max(600.0, lag), 3)
                if u < min(0.8, reach / 400_000) and tc < end:
                    press = (tc, seed)
        return kids, press

    def _emit(self, post: Post, plan, virality: float, out: list[Post]) -> None:
        out.append(post)
        if post.platform == "brand_page" and post.sentiment == "negative":
            self.brand_criticism[post.id] = (post.t, post.author.handle, post.text)
        kids, press = plan
        if kids:
            handle, text = post.author.handle, post.text
            if post.kind == "share" and "RT @" in text:
                handle, _, text = text[text.index("RT @") + 3 :].partition(": ")
            parent = _new(
                _Parent,
                (
                    post.id,
                    handle,
                    text,
                    post.platform,
                    post.kind,
                    post.sentiment,
                    post.cause,
                    virality,
                ),
            )
            heap, seq, priority = self._heap, self._seq, _PRIORITY[_CHILD]
            for tc, k, u, seed in kids:  # self._push, inlined
                seq += 1
                heappush(heap, (tc, priority, seq, _CHILD, (parent, k, u, seed)))
            self._seq = seq
        if press:
            parent = _Parent(
                post.id,
                post.author.handle,
                post.text,
                "news",
                "article",
                post.sentiment,
                post.cause,
                1.0,
            )
            self._push(press[0], _CHILD, (parent, -1, 0.0, press[1]))

    def _publish(self, post: Post, rng: Rng, virality: float, out: list[Post]) -> None:
        """Publish a post whose words are already written (injects, scripted posts)."""
        plan = self._plan(
            rng, post.t, post.platform, post.kind, post.author.followers, post.sentiment, virality
        )
        self._emit(post, plan, virality, out)

    def _alive(self, post_id: str) -> bool:
        if not self.removed:
            return True
        parts = post_id.split(".")
        return not any(".".join(parts[:i]) in self.removed for i in range(1, len(parts) + 1))

    def _child(self, t: float, payload, out: list[Post]) -> None:
        parent, k, u, seed = payload
        root = thread_of(parent.id)
        if u >= self.thread_factor.get(root, 1.0) * self.global_factor:
            return
        if not self._alive(parent.id):
            return
        rng = Rng(seed)
        shift = max(self.thread_shift.get(root, 0.0), self.global_shift)
        if k < 0:  # a press article about the parent post
            post_id = f"{parent.id}.n"
            sentiment = (
                "negative" if parent.sentiment == "negative" or rng.random() < 0.3 else "neutral"
            )
            if shift and sentiment == "negative" and rng.random() < shift:
                sentiment = "neutral"
            author = self._author(rng, "news", sentiment)
            plan = self._plan(rng, t, "news", "article", author.followers, sentiment, 1.0)
            extra: tuple = ()
            if self.words is not None:
                made = self._form_text(
                    self._text_rng(seed), author, "news", "article", sentiment, t
                )
                if made is None:
                    return
                _, text, extra = made
            else:
                text = self.fill(
                    rng.choice(self._templates[self._phase_index(t), "news", sentiment]),
                    rng,
                    "news",
                    t,
                )
            post = _new(
                Post,
                (
                    post_id,
                    t,
                    "news",
                    "article",
                    author,
                    text,
                    self.lang,
                    None,
                    None,
                    sentiment,
                    parent.cause,
                    extra,
                ),
            )
            self._emit(post, plan, 1.0, out)
            return
        post_id = f"{parent.id}.{k}"
        platform = parent.platform
        where = PLATFORMS[platform]
        kind = where.child_kind
        if where.share:
            kind = "share" if rng.random() < where.share else where.child_kind
        elif where.moves_to is not None and (
            parent.kind == "article"
            and rng.random() < where.move_share
            and where.moves_to in self.scenario.platforms
        ):
            platform, kind = where.moves_to, "share"
            post_id += PLATFORMS[platform].prefix  # the id says where a post moved

        if kind == "share" or rng.random() < 0.5:
            sentiment = parent.sentiment
        else:
            sentiment = self._sentiment(rng, t)
        if sentiment == "negative" and shift and rng.random() < shift:
            sentiment = "positive" if rng.random() < 0.3 else "neutral"
        # anyone comments on an article; the press itself writes the articles
        anyone = where.anyone_answers and kind != "share"
        author = self._author(rng, "*" if anyone else platform, sentiment)
        virality = 1.0 + (parent.virality - 1.0) * 0.25
        plan = self._plan(rng, t, platform, kind, author.followers, sentiment, virality)
        trng = self._text_rng(seed) if self.words is not None else rng  # see _root
        if kind == "share":
            quoted = parent.text if len(parent.text) <= 200 else parent.text[:197] + "…"
            if trng.random() < 0.5:
                text = f"RT {parent.handle}: {quoted}"
            else:
                if self.words is not None:
                    comment = self.compose(trng, author.persona, "microblog", "quote", sentiment, t)
                else:
                    comment = trng.choice(QUOTE_COMMENTS[sentiment][self.lang])
                text = (
                    f"{comment} RT {parent.handle}: {quoted}"
                    if comment
                    else f"RT {parent.handle}: {quoted}"
                )
        elif self.words is not None:
            form = PLATFORMS[platform].answer_form
            text = self.compose(trng, author.persona, platform, form, sentiment, t)
            if text is None and platform == "internal":
                text = self.compose(trng, author.persona, platform, "message", sentiment, t)
            if text is None:
                return  # nothing this persona would say here: no reply
            if PLATFORMS[platform].mentions and trng.random() < 0.6 and not text.startswith("@"):
                text = f"{parent.handle} {text}"
        else:
            text = self.fill(trng.choice(self._replies[sentiment]), trng, platform, t)
            if PLATFORMS[platform].mentions and trng.random() < 0.6:
                text = f"{parent.handle} {text}"
            text = roughen(text, trng, sentiment)
        post = _new(
            Post,
            (
                post_id,
                t,
                platform,
                kind,
                author,
                text,
                self.lang,
                parent.id,
                None,
                sentiment,
                parent.cause,
                (),  # tuple.__new__ knows no defaults: every field is given
            ),
        )
        self._emit(post, plan, virality, out)

    def _scripted(self, t: float, payload, out: list[Post]) -> None:
        what, spec, post_id, _ = payload
        if what == "inject":
            self._inject(t, spec, post_id, out)
            return
        if spec.get("parent") and not self._alive(spec["parent"]):
            spec = {**spec, "parent": None}
        rng = Rng(derive(self.seed, "scripted", post_id))
        platform = spec["platform"]
        sentiment = spec.get("sentiment", "negative")
        if spec.get("persona"):
            author = rng.choice(self.persona_pool(spec["persona"]))
        else:
            author = self._author(rng, platform, sentiment)
        kind = spec.get("kind") or root_kind(platform, rng)
        trng = Rng(derive(self.seed, "text", post_id, self.lang))
        extra: tuple = ()
        made = None
        if self.words is not None and platform == "news" and spec.get("cause"):
            made = self._form_text(trng, author, "news", "article", sentiment, t)
        if made is not None:  # the press follows a reaction with an article in its form
            kind, text, extra = made
        elif self.words is not None:
            text = self.grammar_fill(
                trng.choice(spec["texts"]),
                trng,
                author,
                platform,
                sentiment,
                t,
                spec.get("extra"),
                polish=not spec.get("typed_by_trainer"),
            )
            if platform == "forum" and kind == "post" and not spec.get("parent"):
                title = self.compose(trng, author.persona, "forum", "title", sentiment, t)
                if title:
                    extra = (("title", title),)
        else:
            text = self.fill(trng.choice(spec["texts"]), trng, platform, t, spec.get("extra"))
        post = Post(
            post_id,
            t,
            platform,
            kind,
            author,
            text,
            self.lang,
            spec.get("parent"),
            None,
            sentiment,
            spec.get("cause"),
            extra,
        )
        self._publish(post, rng, spec.get("virality", 1.0), out)

    def _inject(self, t: float, inject, post_id: str, out: list[Post]) -> None:
        rng = Rng(derive(self.seed, "inject", post_id))
        if inject.author is not None:
            persona = self.scenario.persona(inject.persona)
            followers = inject.author.followers
            if followers is None:
                followers = persona.followers_median
            author = Author(
                inject.author.handle,
                inject.author.name,
                inject.persona,
                followers,
                inject.author.verified,
            )
        else:
            author = rng.choice(self.persona_pool(inject.persona))
        parent = f"i-{inject.reply_to}" if inject.reply_to else None
        if parent and (parent not in self.emitted_injects or not self._alive(parent)):
            parent = None
        text = self.fill(
            inject.text(self.lang), Rng(derive(self.seed, "text", post_id)), inject.platform, t
        )
        extra: tuple = ()
        if self.words is not None:
            text = tidy(text, self.lang)
            trng = Rng(derive(self.seed, "text", post_id, self.lang))
            extra = self.inject_form(trng, inject, text, author, t)
        self.emitted_injects.add(post_id)
        for fact in inject.reveals:
            self.world.learn(fact)
        post = Post(
            post_id,
            t,
            inject.platform,
            inject.kind,
            author,
            text,
            self.lang,
            parent,
            inject.id,
            inject.sentiment,
            None,
            extra,
        )
        self._publish(post, rng, inject.virality, out)


def root_kind(platform: str, rng: Rng) -> str:
    """A root post's kind; a draw only where there is a choice (forum: post or review)."""
    where = PLATFORMS[platform]
    return where.root_kind(rng.random() if where.review_share else 1.0)


def _affinity(stance: str, sentiment: str) -> float:
    if stance == "mixed" or stance == sentiment:
        return 3.0 if stance == sentiment else 1.0
    if stance == "neutral" or sentiment == "neutral":
        return 0.5
    return 0.1


def _pick_templates(lang: str, sentiment: str, *sources) -> tuple[str, ...]:
    for source in sources:
        if source and sentiment in source and source[sentiment].get(lang):
            return tuple(source[sentiment][lang])
    for source in sources[-1:]:
        for other in ("neutral", "negative", "positive"):
            if other in source and source[other].get(lang):
                return tuple(source[other][lang])
    return ("…",)


def iter_posts(
    scenario: Scenario,
    seed: int,
    lang: str,
    actions: Iterable[Action] = (),
    *,
    until: float | None = None,
    step: float = 60.0,
) -> Iterator[Post]:
    """Every post of the storm, streamed a simulated minute at a time."""
    storm = Storm(scenario, seed, lang, actions, until=until)
    t = 0.0
    while t < storm.end:
        t = min(t + step, storm.end)
        yield from storm.advance(t)


def window(
    scenario: Scenario, seed: int, lang: str, actions: Iterable[Action], t0: float, t1: float
) -> list[Post]:
    """The posts with t0 <= t < t1: the same as those of the whole run in that window."""
    storm = Storm(scenario, seed, lang, actions)
    storm.advance(t0)
    return storm.advance(t1)
