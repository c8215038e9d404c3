"""How the storm answers back: the team's actions and missed deadlines, through named rules.

Each rule type is a function registered with the events it listens to
(`@rule("calm", on=("reply", "dm", "holding_statement"))`); a scenario lists the rules it uses
(`reactions:` with their parameters and texts), and every event runs the scenario's rules
whose type listens to it. Rules and action handlers see the storm through a narrow `Handle`
(what they may read and the few changes they may make), never its attributes. Every firing is
recorded with a reason, in both languages, that the debrief shows.

- calm: a public reply that meets the rubric thins its thread's pending replies and shares and
  turns them less negative; a late or partial reply calms less; a DM calms privately.
- second_wave: silence past an inject's deadline starts a wave of "still no answer" posts.
- backfire: deleting or hiding criticism on the brand page brings it back elsewhere, louder.
- leak: no staff memo by the scenario's memo deadline, and an employee leaks.
- screenshot: a reply or statement with a forbidden element is screenshot and shared.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from math import ceil
from typing import TYPE_CHECKING, Any

from .platforms import BY_PREFIX, PLATFORMS
from .rubric import assess
from .scenario import L10n, ReactionRule

if TYPE_CHECKING:
    from .actions import Action
    from .storm import Post, Storm


class Handle:
    """What reactions may do to a storm: read a few facts, record, schedule, calm, remove.

    Everything else of the storm is out of reach: a rule cannot write its attributes."""

    __slots__ = ("_storm",)
    ALLOWED = frozenset(
        {
            # read
            "scenario",
            "lang",
            "root_platform",
            "emitted",
            "responded_at",
            "stated_between",
            "memo_by",
            # record and schedule
            "fire",
            "ignore",
            "schedule",
            "schedule_inject",
            "start_wave",
            "brand_post",
            "brand_spoke",
            "register_root",
            # change the storm's course
            "responded",
            "stated",
            "memo",
            "remove",
            "difficulty",
            "calm_thread",
            "calm_storm",
            "feed_bait",
            "starve_bait",
        }
    )

    def __init__(self, storm: Storm):
        object.__setattr__(self, "_storm", storm)

    def __getattr__(self, name: str) -> Any:
        if name not in Handle.ALLOWED:
            raise AttributeError(f"reactions cannot use the storm's {name!r}")
        return getattr(object.__getattribute__(self, "_storm"), name)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"reactions cannot set the storm's {name!r}")


@dataclass(frozen=True, slots=True)
class RuleType:
    """A kind of reaction rule: what it listens to, and what it does."""

    name: str
    on: frozenset[str]
    run: Callable[[Handle, ReactionRule, float, dict], None]


RULE_TYPES: dict[str, RuleType] = {}
# Events: a team action by its type (reply, dm, holding_statement, hide, delete, ...), and
# "silence" (an inject's deadline passes) and "memo_deadline" (the scenario's memo deadline).
EVENTS = frozenset(
    {"reply", "dm", "holding_statement", "memo", "hide", "delete", "silence", "memo_deadline"}
)


def rule(name: str, *, on: Iterable[str]):
    """Register a rule type and the events it listens to."""
    events = frozenset(on)
    unknown = events - EVENTS
    if unknown:
        raise ValueError(f"rule {name!r} listens to unknown events {sorted(unknown)}")

    def register(fn):
        RULE_TYPES[name] = RuleType(name, events, fn)
        return fn

    return register


def dispatch(h: Handle, event: str, t: float, ctx: dict) -> None:
    """Run the scenario's rules whose type listens to this event, in the scenario's order."""
    for r in h.scenario.reactions:
        kind = RULE_TYPES.get(r.type)
        if kind is not None and event in kind.on:
            kind.run(h, r, t, ctx)


def platform_of(storm: Storm, post_id: str) -> str | None:
    """Where a post lives, read from its id (no index of the whole run is kept)."""
    parts = post_id.split(".")
    for seg in reversed(parts[1:]):
        if seg == "n":
            return "news"
        if seg.endswith("m"):
            return "microblog"
    root = parts[0]
    known = storm.root_platform(root)
    if known is not None:
        return known
    if root.startswith("w-"):
        root = root.rsplit("-", 1)[-1]
    if root[:1] in BY_PREFIX and root[1:].isdigit():
        return BY_PREFIX[root[0]]
    return None


def _short(text: str, n: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _thread_label(storm: Storm, root: str) -> L10n:
    for inject in storm.scenario.injects:
        if root == inject.post_id or root.startswith(inject.post_id + "-"):
            return L10n(fr=f"l'inject « {inject.id} »", en=f"inject “{inject.id}”")
    return L10n(fr=f"le fil {root}", en=f"thread {root}")


# -- entry points called by the storm ---------------------------------------------------


def on_action(storm: Handle, t: float, action: Action, key: str, out: list[Post]) -> None:
    handler = _ACTIONS.get(action.type)
    if handler is not None:
        handler(Handle(storm), t, action, key, out)


def on_check(storm: Storm, t: float, payload: tuple) -> None:
    kind, inject, post_id = payload
    event = {"silence": "silence", "memo": "memo_deadline"}[kind]
    dispatch(Handle(storm), event, t, {"inject": inject, "post_id": post_id})


# -- what each action does ----------------------------------------------------------------


def _reply(storm: Handle, t: float, action: Action, key: str, out: list[Post]) -> None:
    target = action.target or ""
    platform = platform_of(storm, target)
    if platform is None:
        storm.ignore(key, f"unknown target post {target!r}")
        return
    root = target.split(".", 1)[0]
    public = action.type == "reply"
    if public:
        post_id = f"brand-{key}"
        storm.register_root(post_id, platform)
        storm.brand_post(
            t, post_id, platform, PLATFORMS[platform].brand_kind, action.text, target, out
        )
        storm.responded(root, t)
        storm.brand_spoke(t, action.text, "reply")
    bait = next(
        (
            i
            for i in storm.scenario.injects
            if i.bait and (root == i.post_id or root.startswith(i.post_id + "-"))
        ),
        None,
    )
    if bait is not None:
        if public:
            storm.feed_bait(t, bait, f"brand-{key}", key)
        else:
            storm.starve_bait(root)
    verdict = assess(storm.scenario.rubric, action.text, storm.lang)
    context = {
        "root": root,
        "target": target,
        "platform": platform,
        "assessment": verdict,
        "public": public,
        "post_id": f"brand-{key}" if public else None,
    }
    dispatch(storm, action.type, t, {**context, "action": action, "key": key})


def _statement(storm: Handle, t: float, action: Action, key: str, out: list[Post]) -> None:
    platforms = [p for p in ("microblog", "brand_page") if p in storm.scenario.platforms]
    platforms = platforms or [storm.scenario.platforms[0]]
    for i, platform in enumerate(platforms):
        post_id = f"brand-{key}" + ("" if i == 0 else f"-{i}")
        storm.register_root(post_id, platform)
        storm.brand_post(t, post_id, platform, "post", action.text, None, out)
    storm.stated(t)
    storm.brand_spoke(t, action.text, "holding_statement")
    verdict = assess(storm.scenario.rubric, action.text, storm.lang)
    context = {
        "root": None,
        "target": None,
        "platform": platforms[0],
        "assessment": verdict,
        "public": True,
        "post_id": f"brand-{key}",
    }
    dispatch(storm, "holding_statement", t, {**context, "action": action, "key": key})


def _memo(storm: Handle, t: float, action: Action, key: str, out: list[Post]) -> None:
    if "internal" in storm.scenario.platforms:
        post_id = f"brand-{key}"
        storm.register_root(post_id, "internal")
        storm.brand_post(t, post_id, "internal", "message", action.text, None, out)
    storm.memo(t)


def _remove(storm: Handle, t: float, action: Action, key: str, out: list[Post]) -> None:
    target = action.target or ""
    if platform_of(storm, target) != "brand_page":
        storm.ignore(key, f"{action.type}: {target!r} is not a comment on the brand page")
        return
    criticism = storm.remove(target)
    if criticism is None:
        return
    context = {"target": target, "author": criticism[1], "text": criticism[2]}
    dispatch(storm, action.type, t, {**context, "action": action, "key": key})


def _inject(storm: Handle, t: float, action: Action, key: str, out: list[Post]) -> None:
    s = storm.scenario
    if action.inject:
        inject = next((i for i in s.injects if i.id == action.inject), None)
        if inject is None:
            storm.ignore(key, f"no inject {action.inject!r} in scenario {s.id}")
            return
        post_id = inject.post_id
        if storm.emitted(post_id) or storm.root_platform(post_id) is not None:
            post_id = f"{post_id}-{key}"
        storm.register_root(post_id, inject.platform)
        storm.schedule_inject(t, inject, post_id)
        return
    if action.platform not in s.platforms or action.persona not in {p.id for p in s.personas}:
        storm.ignore(key, "a custom inject needs one of the scenario's platforms and personas")
        return
    post_id = f"c-{key}"
    storm.register_root(post_id, action.platform)
    storm.schedule(
        t,
        post_id,
        platform=action.platform,
        persona=action.persona,
        texts=(action.text,),
        sentiment="negative",
        virality=2.0,
        typed_by_trainer=True,  # the trainer's words, spaced as the trainer typed them
    )


def _difficulty(storm: Handle, t: float, action: Action, key: str, out: list[Post]) -> None:
    storm.difficulty(action.volume, action.aggression)


_ACTIONS = {
    "reply": _reply,
    "dm": _reply,
    "holding_statement": _statement,
    "memo": _memo,
    "hide": _remove,
    "delete": _remove,
    "inject": _inject,
    "difficulty": _difficulty,
}


# -- the rules ----------------------------------------------------------------------------


@rule("calm", on=("reply", "dm", "holding_statement"))
def calm(storm: Handle, rule: ReactionRule, t: float, ctx: dict) -> None:
    key = ctx["key"]
    verdict = ctx["assessment"].verdict
    if verdict not in ("good", "partial"):
        return
    factor = rule.factor if rule.factor is not None else 0.3
    shift = rule.shift if rule.shift is not None else 0.6
    root = ctx["root"]
    late = False
    if root is not None:
        for inject in storm.scenario.injects:
            if inject.deadline is not None and (
                root == inject.post_id or root.startswith(inject.post_id + "-")
            ):
                late = t > inject.time + inject.deadline if not inject.optional else False
    strength = 1.0
    if verdict == "partial":
        strength *= 0.5
    if late:
        strength *= 0.5
    if not ctx["public"]:
        strength *= 0.5
    if root is None:  # a holding statement: the whole storm, gently
        strength *= 0.25
        storm.calm_storm(factor**strength, shift * strength)
    else:
        storm.calm_thread(root, factor**strength, shift * strength)
    followups = rule.posts if rule.posts is not None else 2
    if ctx["public"] and verdict == "good" and rule.texts.get(storm.lang):
        for j in range(followups):
            storm.schedule(
                t + 60.0 + 150.0 * j,
                f"x-{rule.id}-{key}-{j}",
                platform=ctx["platform"] if ctx["platform"] != "news" else "microblog",
                texts=rule.texts[storm.lang],
                sentiment="positive",
                parent=ctx["post_id"],
                cause=rule.id,
                virality=0.5,
                kind="reply",
            )
    where = (
        _thread_label(storm, root) if root else L10n(fr="toute la tempête", en="the whole storm")
    )
    how = {
        "good": ("répond à la grille", "meets the rubric"),
        "partial": ("répond en partie à la grille", "partly meets the rubric"),
    }[verdict]
    lateness = (
        (" mais arrive après l'échéance", " but came after the deadline") if late else ("", "")
    )
    storm.fire(
        rule.id,
        "calm",
        t,
        L10n(
            fr=f"La réponse {how[0]}{lateness[0]} : {where.fr} se calme "
            f"(intensité ×{factor**strength:.2f}).",
            en=f"The reply {how[1]}{lateness[1]}: {where.en} calms down "
            f"(intensity ×{factor**strength:.2f}).",
        ),
        action=key,
        target=ctx["target"],
    )


@rule("screenshot", on=("reply", "dm", "holding_statement"))
def screenshot(storm: Handle, rule: ReactionRule, t: float, ctx: dict) -> None:
    action, key = ctx["action"], ctx["key"]
    hits = ctx["assessment"].forbidden
    if not hits:
        return
    platforms = [p for p in rule.platforms or ("microblog",) if p in storm.scenario.platforms]
    platform = platforms[0] if platforms else storm.scenario.platforms[0]
    lag = rule.lag if rule.lag is not None else 240.0
    texts = rule.texts.get(storm.lang) or ("“{quote}”",)
    post_id = f"x-{rule.id}-{key}"
    storm.register_root(post_id, platform)
    storm.schedule(
        t + lag,
        post_id,
        platform=platform,
        persona=rule.persona,
        texts=texts,
        sentiment="negative",
        cause=rule.id,
        virality=rule.virality or 4.0,
        extra={"quote": _short(action.text), "author": storm.scenario.brand.name},
    )
    phrases = ", ".join(f"« {h.phrase} »" for h in hits)
    phrases_en = ", ".join(f"“{h.phrase}”" for h in hits)
    storm.fire(
        rule.id,
        "screenshot",
        t,
        L10n(
            fr=f"La réponse contient {phrases} : elle est capturée et partagée.",
            en=f"The reply contains {phrases_en}: it is screenshot and shared.",
        ),
        action=key,
        target=ctx["target"],
    )


@rule("backfire", on=("hide", "delete"))
def backfire(storm: Handle, rule: ReactionRule, t: float, ctx: dict) -> None:
    action, key = ctx["action"], ctx["key"]
    count = rule.posts if rule.posts is not None else 4
    if action.type == "hide":
        count = ceil(count / 2)
    platforms = [
        p for p in rule.platforms or ("microblog", "forum") if p in storm.scenario.platforms
    ]
    platforms = platforms or [storm.scenario.platforms[0]]
    lag = rule.lag if rule.lag is not None else 120.0
    texts = rule.texts.get(storm.lang) or ("{author}: “{quote}”",)
    for j in range(count):
        platform = platforms[j % len(platforms)]
        post_id = f"x-{rule.id}-{key}-{j}"
        storm.register_root(post_id, platform)
        storm.schedule(
            t + lag + 90.0 * j,
            post_id,
            platform=platform,
            persona=rule.persona,
            texts=texts,
            sentiment="negative",
            cause=rule.id,
            virality=rule.virality or 3.0,
            extra={"quote": _short(ctx["text"], 140), "author": ctx["author"]},
        )
    verb = {"delete": ("La suppression", "Deleting"), "hide": ("Le masquage", "Hiding")}[
        action.type
    ]
    storm.fire(
        rule.id,
        "backfire",
        t,
        L10n(
            fr=f"{verb[0]} d'une critique de {ctx['author']} sur la page de la marque se "
            f"retourne contre elle : {count} publications ailleurs dénoncent la censure.",
            en=f"{verb[1]} {ctx['author']}'s criticism on the brand page backfires: {count} "
            f"posts elsewhere call out the censorship.",
        ),
        action=key,
        target=ctx["target"],
    )


@rule("second_wave", on=("silence",))
def second_wave(storm: Handle, rule: ReactionRule, t: float, ctx: dict) -> None:
    inject, post_id = ctx["inject"], ctx["post_id"]
    if not set(inject.expected_actions) & {"reply", "holding_statement", "dm"}:
        return
    if not storm.emitted(post_id):
        return
    appeared = t - (inject.deadline or 0.0)
    answered = storm.responded_at(post_id)
    if answered is not None and answered <= t:
        return
    if storm.stated_between(appeared, t):
        return
    duration = rule.duration if rule.duration is not None else 1200.0
    # the wave is sized by the inject: a severity-4 inject left unanswered adds half the
    # background volume times the rule's factor; lesser ones less, so that waves overlap sanely
    factor = (rule.factor if rule.factor is not None else 1.0) * inject.severity / 8.0
    platforms = [
        p
        for p in rule.platforms or ("microblog", "forum", "brand_page")
        if p in storm.scenario.platforms
    ]
    added = storm.start_wave(
        f"{rule.id}-{post_id}",
        t,
        duration,
        factor,
        platforms,
        rule.id,
        rule.texts.get(storm.lang) or (),
    )
    minutes = round((inject.deadline or 0) / 60)
    pct = round(added * 100)
    storm.fire(
        rule.id,
        "second_wave",
        t,
        L10n(
            fr=f"Aucune réponse publique à l'inject « {inject.id} » en {minutes} min : une "
            f"deuxième vague démarre (+{pct} % de volume pendant {round(duration / 60)} min).",
            en=f"No public response to inject “{inject.id}” within {minutes} min: a second "
            f"wave starts (+{pct}% volume for {round(duration / 60)} min).",
        ),
        inject=inject.id,
        target=post_id,
    )


@rule("leak", on=("memo_deadline",))
def leak(storm: Handle, rule: ReactionRule, t: float, ctx: dict) -> None:
    if storm.memo_by(t):
        return
    platforms = [p for p in rule.platforms or ("microblog",) if p in storm.scenario.platforms]
    platform = platforms[0] if platforms else storm.scenario.platforms[0]
    lag = rule.lag if rule.lag is not None else 0.0
    post_id = f"x-{rule.id}"
    storm.register_root(post_id, platform)
    storm.schedule(
        t + lag,
        post_id,
        platform=platform,
        persona=rule.persona,
        texts=rule.texts.get(storm.lang) or ("…",),
        sentiment="negative",
        cause=rule.id,
        virality=rule.virality or 4.0,
    )
    if "news" in storm.scenario.platforms:
        press_id = f"x-{rule.id}-press"
        storm.register_root(press_id, "news")
        phase = storm.scenario.phase_at(t + lag + 1800.0)
        news = phase.platform_templates.get("news") or storm.scenario.platform_templates.get("news")
        texts = (news or {}).get("negative", {}).get(storm.lang) or rule.texts.get(storm.lang)
        storm.schedule(
            t + lag + 1800.0,
            press_id,
            platform="news",
            texts=texts or ("…",),
            sentiment="negative",
            cause=rule.id,
            virality=1.5,
            kind="article",
        )
    deadline = round((storm.scenario.memo_deadline or 0) / 60)
    storm.fire(
        rule.id,
        "leak",
        t,
        L10n(
            fr=f"Aucune note interne aux salariés après {deadline} min : un salarié fait fuiter "
            f"l'information.",
            en=f"No internal memo to staff after {deadline} min: an employee leaks the story.",
        ),
    )
