"""How the storm answers back: the team's actions and missed deadlines, through named rules.

Each rule type is a small function registered by name; a scenario lists the rules it uses
(`reactions:` with their parameters and texts). Every firing is recorded on the storm with a
reason, in both languages, that the debrief shows.

- calm: a public reply that meets the rubric thins its thread's pending replies and shares and
  turns them less negative; a late or partial reply calms less; a DM calms privately.
- second_wave: silence past an inject's deadline starts a wave of "still no answer" posts.
- backfire: deleting or hiding criticism on the brand page brings it back elsewhere, louder.
- leak: no staff memo by the scenario's memo deadline, and an employee leaks.
- screenshot: a reply or statement with a forbidden element is screenshot and shared.
"""

from __future__ import annotations

from collections.abc import Callable
from math import ceil
from typing import TYPE_CHECKING

from .rubric import assess
from .scenario import L10n, ReactionRule

if TYPE_CHECKING:
    from .actions import Action
    from .storm import Post, Storm

BRAND_KIND = {
    "microblog": "reply",
    "brand_page": "reply",
    "forum": "reply",
    "news": "comment",
    "internal": "message",
}
ROOT_PLATFORM = {"m": "microblog", "b": "brand_page", "f": "forum", "n": "news", "s": "internal"}

ActionRule = Callable[["Storm", ReactionRule, float, "Action", str, dict], None]
CheckRule = Callable[["Storm", ReactionRule, float, tuple], None]
ON_ACTION: dict[str, ActionRule] = {}
ON_CHECK: dict[str, CheckRule] = {}


def on_action_rule(name: str):
    def register(fn: ActionRule) -> ActionRule:
        ON_ACTION[name] = fn
        return fn

    return register


def on_check_rule(name: str):
    def register(fn: CheckRule) -> CheckRule:
        ON_CHECK[name] = fn
        return fn

    return register


def rules(storm: Storm, kind: str) -> list[ReactionRule]:
    return [r for r in storm.scenario.reactions if r.type == kind]


def platform_of(storm: Storm, post_id: str) -> str | None:
    """Where a post lives, read from its id (no index of the whole run is kept)."""
    parts = post_id.split(".")
    for seg in reversed(parts[1:]):
        if seg == "n":
            return "news"
        if seg.endswith("m"):
            return "microblog"
    root = parts[0]
    if root in storm.roots:
        return storm.roots[root]
    if root.startswith("w-"):
        root = root.rsplit("-", 1)[-1]
    if root[:1] in ROOT_PLATFORM and root[1:].isdigit():
        return ROOT_PLATFORM[root[0]]
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


def on_action(storm: Storm, t: float, action: Action, key: str, out: list[Post]) -> None:
    handler = _ACTIONS.get(action.type)
    if handler is not None:
        handler(storm, t, action, key, out)


def on_check(storm: Storm, t: float, payload: tuple) -> None:
    kind = payload[0]
    rule_type = {"silence": "second_wave", "memo": "leak"}[kind]
    for rule in rules(storm, rule_type):
        ON_CHECK[rule_type](storm, rule, t, payload)


# -- what each action does ----------------------------------------------------------------


def _reply(storm: Storm, t: float, action: Action, key: str, out: list[Post]) -> None:
    target = action.target or ""
    platform = platform_of(storm, target)
    if platform is None:
        storm.ignored.append((key, f"unknown target post {target!r}"))
        return
    root = target.split(".", 1)[0]
    public = action.type == "reply"
    if public:
        post_id = f"brand-{key}"
        storm.roots[post_id] = platform
        storm.brand_post(t, post_id, platform, BRAND_KIND[platform], action.text, target, out)
        storm.responses.setdefault(root, t)
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
    for rule in storm.scenario.reactions:
        fn = ON_ACTION.get(rule.type)
        if fn is not None and rule.type in ("calm", "screenshot"):
            fn(storm, rule, t, action, key, context)


def _statement(storm: Storm, t: float, action: Action, key: str, out: list[Post]) -> None:
    platforms = [p for p in ("microblog", "brand_page") if p in storm.scenario.platforms]
    platforms = platforms or [storm.scenario.platforms[0]]
    for i, platform in enumerate(platforms):
        post_id = f"brand-{key}" + ("" if i == 0 else f"-{i}")
        storm.roots[post_id] = platform
        storm.brand_post(t, post_id, platform, "post", action.text, None, out)
    storm.statements.append(t)
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
    for rule in storm.scenario.reactions:
        if rule.type in ("calm", "screenshot"):
            ON_ACTION[rule.type](storm, rule, t, action, key, context)


def _memo(storm: Storm, t: float, action: Action, key: str, out: list[Post]) -> None:
    if "internal" in storm.scenario.platforms:
        post_id = f"brand-{key}"
        storm.roots[post_id] = "internal"
        storm.brand_post(t, post_id, "internal", "message", action.text, None, out)
    if storm.memo_at is None:
        storm.memo_at = t


def _remove(storm: Storm, t: float, action: Action, key: str, out: list[Post]) -> None:
    target = action.target or ""
    if platform_of(storm, target) != "brand_page":
        storm.ignored.append((key, f"{action.type}: {target!r} is not a comment on the brand page"))
        return
    storm.removed.add(target)
    criticism = storm.brand_criticism.pop(target, None)
    if criticism is None:
        return
    context = {"target": target, "author": criticism[1], "text": criticism[2]}
    for rule in rules(storm, "backfire"):
        ON_ACTION["backfire"](storm, rule, t, action, key, context)


def _inject(storm: Storm, t: float, action: Action, key: str, out: list[Post]) -> None:
    s = storm.scenario
    if action.inject:
        inject = next((i for i in s.injects if i.id == action.inject), None)
        if inject is None:
            storm.ignored.append((key, f"no inject {action.inject!r} in scenario {s.id}"))
            return
        post_id = inject.post_id
        if post_id in storm.emitted_injects or post_id in storm.roots:
            post_id = f"{post_id}-{key}"
        storm.roots[post_id] = inject.platform
        storm.schedule_inject(t, inject, post_id)
        return
    if action.platform not in s.platforms or action.persona not in {p.id for p in s.personas}:
        storm.ignored.append(
            (key, "a custom inject needs one of the scenario's platforms and personas")
        )
        return
    post_id = f"c-{key}"
    storm.roots[post_id] = action.platform
    storm.schedule(
        t,
        post_id,
        platform=action.platform,
        persona=action.persona,
        texts=(action.text,),
        sentiment="negative",
        virality=2.0,
    )


def _difficulty(storm: Storm, t: float, action: Action, key: str, out: list[Post]) -> None:
    if action.volume is not None:
        storm.volume = action.volume
    if action.aggression is not None:
        storm.aggression = action.aggression


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


@on_action_rule("calm")
def calm(storm: Storm, rule: ReactionRule, t: float, action: Action, key: str, ctx: dict) -> None:
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
        storm.global_factor *= factor**strength
        storm.global_shift = max(storm.global_shift, shift * strength)
    else:
        storm.thread_factor[root] = storm.thread_factor.get(root, 1.0) * factor**strength
        storm.thread_shift[root] = max(storm.thread_shift.get(root, 0.0), shift * strength)
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


@on_action_rule("screenshot")
def screenshot(
    storm: Storm, rule: ReactionRule, t: float, action: Action, key: str, ctx: dict
) -> None:
    hits = ctx["assessment"].forbidden
    if not hits:
        return
    platforms = [p for p in rule.platforms or ("microblog",) if p in storm.scenario.platforms]
    platform = platforms[0] if platforms else storm.scenario.platforms[0]
    lag = rule.lag if rule.lag is not None else 240.0
    texts = rule.texts.get(storm.lang) or ("“{quote}”",)
    post_id = f"x-{rule.id}-{key}"
    storm.roots[post_id] = platform
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


@on_action_rule("backfire")
def backfire(
    storm: Storm, rule: ReactionRule, t: float, action: Action, key: str, ctx: dict
) -> None:
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
        storm.roots[post_id] = platform
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


@on_check_rule("second_wave")
def second_wave(storm: Storm, rule: ReactionRule, t: float, payload: tuple) -> None:
    _, inject, post_id = payload
    if not set(inject.expected_actions) & {"reply", "holding_statement", "dm"}:
        return
    if post_id not in storm.emitted_injects:
        return
    appeared = t - (inject.deadline or 0.0)
    if post_id in storm.responses and storm.responses[post_id] <= t:
        return
    if any(appeared <= s <= t for s in storm.statements):
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


@on_check_rule("leak")
def leak(storm: Storm, rule: ReactionRule, t: float, payload: tuple) -> None:
    if storm.memo_at is not None and storm.memo_at <= t:
        return
    platforms = [p for p in rule.platforms or ("microblog",) if p in storm.scenario.platforms]
    platform = platforms[0] if platforms else storm.scenario.platforms[0]
    lag = rule.lag if rule.lag is not None else 0.0
    post_id = f"x-{rule.id}"
    storm.roots[post_id] = platform
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
        storm.roots[press_id] = "news"
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
