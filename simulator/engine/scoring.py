"""Scoring: (scenario, a team's storm, its actions, the same storm left unanswered) -> Score.

Pure and deterministic. Every point carries a reason in both languages and the events it
rests on (post ids, action ids), so the debrief can show why, and facilitators can argue.

The criteria are a registry (`CRITERIA`, filled by `@criterion`): each declares its id, its
name, its maximum, whom its points go to, and a function that reads the team's storm and
actions (a `Context`) and returns its reasons. Their maxima add up to 100: detection 15,
triage 15, escalation 15, response time 15, reply quality 20, internal communication 10,
containment 10.

The points listed are the points given: a criterion's points are the sum of its reasons and
the total the sum of the criteria, never clamped. Penalties (deleting or hiding a comment)
are reasons with negative points under reply quality, so they always cost what they say,
and a criterion, or the total, can go below zero. Doing nothing earns nothing: a team that
did nothing scores 0.

People: the points of a reason go to whoever did the actions it rests on. A reply that
needed approval was written by its author and released by its approver: points for what it
says (reply quality) go to the author, the others (when it went out, what it touched) are
split between both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .actions import Action
from .clock import clock_text
from .rubric import assess
from .scenario import Inject, L10n, Scenario
from .storm import Post, thread_of
from .tally import Tally

SEEN_FAST = 5 * 60.0  # seen within five minutes: full marks
SEEN_LATE = 30 * 60.0  # after thirty: none
EARLY_STATEMENT = 30 * 60.0
LONG_SILENCE = 30 * 60.0
FULL_CONTAINMENT = 0.5  # half the unanswered storm's negative volume avoided: full marks
DELETION_PENALTY = 5.0
PUBLIC = ("reply", "holding_statement")
TRIAGE = ("tag", "escalate")
THRESHOLDS = ((85.0, "P"), (65.0, "S"), (40.0, "M"))  # HSEEP: percentage at least -> rating


@dataclass(frozen=True, slots=True)
class Reason:
    text: L10n
    points: float
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Criterion:
    id: str
    label: L10n
    points: float
    max: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class Credit:
    """Who did an action: its author and, for a reply released on approval, its approver."""

    author: str
    approver: str | None = None


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A suggested HSEEP rating of one objective, and the checks it comes from."""

    objective: str
    rating: str
    percent: float
    because: tuple[L10n, ...]


@dataclass(frozen=True, slots=True)
class Score:
    total: float
    max: float
    criteria: tuple[Criterion, ...]
    containment: float  # share of the unanswered storm's negative volume avoided, 0..1
    people: Mapping[str, float] = field(default_factory=dict)
    suggestions: tuple[Suggestion, ...] = ()

    def criterion(self, criterion_id: str) -> Criterion:
        return next(c for c in self.criteria if c.id == criterion_id)


Keyed = tuple[tuple[Action, str], ...]  # the team's actions in time order, with their keys


@dataclass(frozen=True)
class Context:
    """What a criterion reads: the team's storm as played and left unanswered, its actions."""

    scenario: Scenario
    played: Tally
    baseline: Tally
    keyed: Keyed
    lang: str

    @property
    def appeared(self) -> dict[str, Post]:
        return {p.inject: p for p in self.played.injects}

    @property
    def injects(self) -> list[Inject]:
        appeared = self.appeared
        return [i for i in self.scenario.injects if i.id in appeared]

    @property
    def triaged(self) -> bool:
        """Whether the team triaged at all (tagged or escalated anything)."""
        return any(a.type in TRIAGE for a, _ in self.keyed)


@dataclass(frozen=True)
class CriterionSpec:
    id: str
    label: L10n
    max: float
    reads: Callable[[Context, float], list[Reason]]  # (context, maximum) -> reasons
    credit: str = "shared"  # "author": the points are for what the author wrote


CRITERIA: dict[str, CriterionSpec] = {}


def criterion(cid: str, fr: str, en: str, max: float, credit: str = "shared"):
    """Register a criterion; the debrief lists them in the order they are registered."""

    def register(reads: Callable[[Context, float], list[Reason]]):
        CRITERIA[cid] = CriterionSpec(cid, L10n(fr, en), max, reads, credit)
        return reads

    return register


def _fr(n: int, one: str, many: str) -> str:
    """French plural: 0 and 1 are singular."""
    return one if n < 2 else many


def _en(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.0f}"


def _sum(values: Iterable[float]) -> float:
    return round(sum(values), 2) + 0.0  # + 0.0: never -0.0


def _key(action: Action, index: int) -> str:
    return action.key(index)


def score(
    scenario: Scenario,
    posts: Iterable[Post] | Tally,
    actions: Sequence[Action],
    baseline: Iterable[Post] | Tally,
    lang: str = "fr",
    authors: Mapping[str, str | Credit] | None = None,
) -> Score:
    """Score one team. `baseline` is the same storm with none of the team's actions; either
    storm may come as its posts or as its tally (all scoring reads of it). `authors` names
    who did each action (by key): a name, or a Credit with the approver."""
    played = posts if isinstance(posts, Tally) else Tally.of(posts)
    alone = baseline if isinstance(baseline, Tally) else Tally.of(baseline)
    keyed = tuple(sorted(((a, _key(a, i)) for i, a in enumerate(actions)), key=lambda x: x[0].t))
    ctx = Context(scenario, played, alone, keyed, lang)
    criteria = []
    credits = {k: Credit(v) if isinstance(v, str) else v for k, v in (authors or {}).items()}
    people: dict[str, float] = {}
    for spec in CRITERIA.values():
        reasons = tuple(spec.reads(ctx, spec.max))
        criteria.append(
            Criterion(spec.id, spec.label, _sum(r.points for r in reasons), spec.max, reasons)
        )
        for reason in reasons:
            for name, points in _shares(reason, credits, spec.credit):
                people[name] = _sum((people.get(name, 0.0), points))
    total = _sum(c.points for c in criteria)
    return Score(
        total,
        _sum(s.max for s in CRITERIA.values()),
        tuple(criteria),
        _avoided(played, alone),
        people,
        suggest(ctx, total),
    )


def _shares(reason: Reason, credits: Mapping[str, Credit], credit: str):
    """Who gets a reason's points: each action it rests on counts one, for its author, or
    half for its author and half for its approver when the criterion is not about the text.
    The shares add up to the reason's points exactly."""
    if not reason.points:
        return []
    weights: dict[str, float] = {}
    for key in dict.fromkeys(reason.evidence):
        who = credits.get(key)
        if who is None:
            continue
        if who.approver is None or credit == "author":
            weights[who.author] = weights.get(who.author, 0.0) + 1.0
        else:
            weights[who.author] = weights.get(who.author, 0.0) + 0.5
            weights[who.approver] = weights.get(who.approver, 0.0) + 0.5
    if not weights:
        return []
    whole = sum(weights.values())
    names = list(weights)
    shares = [round(reason.points * weights[n] / whole, 2) for n in names[1:]]
    return [(names[0], _sum((reason.points, -sum(shares)))), *zip(names[1:], shares, strict=True)]


EXCERPT = 60  # characters of an inject's post that name it in a reason


def excerpt(text: str) -> str:
    """The first words of a text, for a label."""
    text = " ".join(text.split())
    if len(text) <= EXCERPT:
        return text
    return text[:EXCERPT].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


def _named(inject) -> L10n:
    """How a reason names an inject: the first words of its post, as the team read them."""
    return L10n(f"« {excerpt(inject.text.fr)} »", f"“{excerpt(inject.text.en)}”")


def _role(scenario: Scenario, role_id: str) -> L10n:
    role = next((r for r in scenario.roles if r.id == role_id), None)
    return role.title if role is not None else L10n(role_id, role_id)


def _touches(keyed, post_id: str):
    return [(a, k) for a, k in keyed if a.target and thread_of(a.target) == thread_of(post_id)]


def _seen_share(delay: float) -> float:
    if delay <= SEEN_FAST:
        return 1.0
    return max(0.0, (SEEN_LATE - delay) / (SEEN_LATE - SEEN_FAST))


@criterion("detection", "Détection", "Detection", 15.0)
def _detection(ctx: Context, most: float) -> list[Reason]:
    reasons = []
    appeared, injects = ctx.appeared, ctx.injects
    weight = most / max(1, len(injects))
    for inject in injects:
        post = appeared[inject.id]
        touched = [(a, k) for a, k in _touches(ctx.keyed, post.id) if a.t >= post.t]
        if not touched:
            reasons.append(
                Reason(
                    L10n(
                        f"{_named(inject).fr} n'a jamais été traité.",
                        f"{_named(inject).en} was never looked at.",
                    ),
                    0.0,
                    (post.id,),
                )
            )
            continue
        first, key = touched[0]
        delay = first.t - post.t
        reasons.append(
            Reason(
                L10n(
                    f"{_named(inject).fr} traité {_minutes(delay)} min après son apparition.",
                    f"{_named(inject).en} handled {_minutes(delay)} min after it appeared.",
                ),
                round(weight * _seen_share(delay), 2),
                (post.id, key),
            )
        )
    return reasons


def _flagged(keyed, post_id):
    return [
        (a, k)
        for a, k in _touches(keyed, post_id)
        if a.type == "escalate" or (a.type == "tag" and a.tag == "handle")
    ]


@criterion("triage", "Tri", "Triage", 15.0)
def _triage(ctx: Context, most: float) -> list[Reason]:
    appeared, injects = ctx.appeared, ctx.injects
    positives = [i for i in injects if i.must_escalate_to]
    noise = [i for i in injects if not i.must_escalate_to]
    flags = {i.id: _flagged(ctx.keyed, appeared[i.id].id) for i in injects}
    flagged = {i for i, found in flags.items() if found}
    hits = [i for i in positives if i.id in flagged]
    false_alarms = [i for i in noise if i.id in flagged]
    recall = len(hits) / len(positives) if positives else 1.0
    precision = len(hits) / len(flagged) if flagged else (1.0 if not positives else 0.0)
    quiet = (len(noise) - len(false_alarms)) / len(noise) if noise else 1.0
    # precision and quietness are worth something only from a team that triaged at all
    judged = 1.0 if ctx.triaged else 0.0
    reasons = [
        Reason(
            L10n(
                f"{len(hits)} {_fr(len(hits), 'publication', 'publications')} à escalader "
                f"sur {len(positives)} {_fr(len(hits), 'repérée', 'repérées')} "
                f"(rappel {recall:.0%}).",
                f"{len(hits)} of {len(positives)} must-escalate "
                f"{_en(len(positives), 'post', 'posts')} flagged (recall {recall:.0%}).",
            ),
            round(most * 0.5 * recall * judged, 2),
            tuple(appeared[i.id].id for i in hits) + tuple(flags[i.id][0][1] for i in hits),
        ),
        Reason(
            L10n(
                f"Précision {precision:.0%} : {len(false_alarms)} "
                f"{_fr(len(false_alarms), 'fausse alerte', 'fausses alertes')}.",
                f"Precision {precision:.0%}: {len(false_alarms)} "
                f"{_en(len(false_alarms), 'false alarm', 'false alarms')}.",
            )
            if ctx.triaged
            else L10n("Aucun tri : rien à juger.", "No triage: nothing to judge."),
            round(most * 0.3 * precision * judged, 2),
            tuple(appeared[i.id].id for i in false_alarms),
        ),
    ]
    reasons.append(
        Reason(
            L10n(
                f"Bruit laissé de côté à bon escient : {quiet:.0%}.",
                f"Noise rightly left alone: {quiet:.0%}.",
            )
            if ctx.triaged
            else L10n(
                "Bruit ignoré faute de tri : ne compte pas.",
                "Noise ignored without any triage: does not count.",
            ),
            round(most * 0.2 * quiet * judged, 2),
            tuple(appeared[i.id].id for i in noise),
        )
    )
    return reasons


@criterion("escalation", "Escalade", "Escalation", 15.0)
def _escalation(ctx: Context, most: float) -> list[Reason]:
    scenario, appeared = ctx.scenario, ctx.appeared
    positives = [i for i in ctx.injects if i.must_escalate_to]
    weight = most / max(1, len(positives))
    reasons = []
    for inject in positives:
        post = appeared[inject.id]
        escalations = [(a, k) for a, k in _touches(ctx.keyed, post.id) if a.type == "escalate"]
        right = [(a, k) for a, k in escalations if a.role == inject.must_escalate_to]
        if not right:
            reasons.append(
                Reason(
                    L10n(
                        f"{_named(inject).fr} aurait dû être escaladé (destinataire : "
                        f"{_role(scenario, inject.must_escalate_to).fr}).",
                        f"{_named(inject).en} should have gone to "
                        f"{_role(scenario, inject.must_escalate_to).en}.",
                    ),
                    0.0,
                    (post.id, *(k for _, k in escalations)),
                )
            )
            continue
        action, key = right[0]
        share = 0.5
        notes_fr, notes_en = ["bon rôle"], ["right role"]
        if action.severity is not None and abs(action.severity - inject.severity) <= 1:
            share += 0.25
            notes_fr.append("gravité juste")
            notes_en.append("fitting severity")
        deadline = inject.deadline if inject.deadline is not None else SEEN_LATE
        if action.t <= post.t + deadline:
            share += 0.25
            notes_fr.append("dans les délais")
            notes_en.append("on time")
        reasons.append(
            Reason(
                L10n(
                    f"{_named(inject).fr} escaladé : {', '.join(notes_fr)}.",
                    f"{_named(inject).en} escalated: {', '.join(notes_en)}.",
                ),
                round(weight * share, 2),
                (post.id, key),
            )
        )
    if not positives:
        wrong = [k for a, k in ctx.keyed if a.type == "escalate"]
        if ctx.triaged and not wrong:
            reasons.append(Reason(L10n("Rien à escalader.", "Nothing to escalate."), most))
        else:
            reasons.append(
                Reason(
                    L10n(
                        "Rien à escalader, mais rien de trié non plus."
                        if not ctx.triaged
                        else "Rien à escalader, et pourtant des escalades.",
                        "Nothing to escalate, but nothing triaged either."
                        if not ctx.triaged
                        else "Nothing to escalate, yet escalations were made.",
                    ),
                    0.0,
                    tuple(wrong),
                )
            )
    return reasons


@criterion("response", "Réactivité", "Response time", 15.0)
def _response(ctx: Context, most: float) -> list[Reason]:
    scenario = ctx.scenario
    public = [(a, k) for a, k in ctx.keyed if a.type in PUBLIC]
    statements = [(a, k) for a, k in public if a.type == "holding_statement"]
    start = min((p.t for p in ctx.appeared.values()), default=0.0)
    early, first, silence = most / 3, most * 0.4, most * 4 / 15  # 5, 6 and 4 of 15
    reasons = []
    if statements and statements[0][0].t - start <= EARLY_STATEMENT:
        a, k = statements[0]
        reasons.append(
            Reason(
                L10n(
                    f"Déclaration d'attente publiée à {clock_text(a.t)}.",
                    f"Holding statement published at {clock_text(a.t)}.",
                ),
                round(early, 2),
                (k,),
            )
        )
    else:
        reasons.append(
            Reason(
                L10n(
                    "Pas de déclaration d'attente dans la première demi-heure.",
                    "No holding statement within the first half hour.",
                ),
                0.0,
            )
        )
    if public:
        a, k = public[0]
        delay = a.t - start
        limit = scenario.response_deadline
        share = 1.0 if delay <= limit else max(0.0, 1.0 - (delay - limit) / limit)
        reasons.append(
            Reason(
                L10n(
                    f"Première réponse publique {_minutes(delay)} min après le premier signal "
                    f"(délai : {_minutes(limit)} min).",
                    f"First public response {_minutes(delay)} min after the first signal "
                    f"(deadline {_minutes(limit)} min).",
                ),
                round(first * share, 2),
                (k,),
            )
        )
        times = [start] + [a.t for a, _ in public] + [scenario.duration]
        gap = max(b - a for a, b in zip(times, times[1:], strict=False))
        share = 1.0 if gap <= LONG_SILENCE else max(0.0, 1.0 - (gap - LONG_SILENCE) / LONG_SILENCE)
        reasons.append(
            Reason(
                L10n(
                    f"Plus long silence public : {_minutes(gap)} min.",
                    f"Longest public silence: {_minutes(gap)} min.",
                ),
                round(silence * share, 2),
                tuple(k for _, k in public),
            )
        )
    else:
        reasons.append(
            Reason(
                L10n(
                    "Aucune réponse publique de tout l'exercice.",
                    "No public response in the whole drill.",
                ),
                0.0,
            )
        )
    return reasons


@criterion("quality", "Qualité des réponses", "Reply quality", 20.0, credit="author")
def _quality(ctx: Context, most: float) -> list[Reason]:
    """Each answer is worth an equal part of the maximum, for the rubric's expected elements
    it meets (a forbidden element takes half of it off); deleting or hiding a comment costs
    DELETION_PENALTY, on top, listed and counted."""
    answers = [(a, k) for a, k in ctx.keyed if a.type in ("reply", "dm", "holding_statement")]
    reasons = []
    required = max(1, len(ctx.scenario.rubric.required))
    part = most / max(1, len(answers))
    for action, key in answers:
        verdict = assess(ctx.scenario.rubric, action.text, ctx.lang)
        share = len(verdict.met) / required
        for hit in verdict.forbidden:
            share -= 0.5
            reasons.append(
                Reason(
                    L10n(
                        f"Élément à proscrire « {hit.phrase} » ({hit.element}) "
                        f"à {clock_text(action.t)} : la moitié de cette réponse en moins.",
                        f"Forbidden “{hit.phrase}” ({hit.element}) at {clock_text(action.t)}: "
                        f"half of this answer off.",
                    ),
                    0.0,
                    (key,),
                )
            )
        met = ", ".join(verdict.met) or "—"
        reasons.append(
            Reason(
                L10n(
                    f"Réponse de {clock_text(action.t)} : {len(verdict.met)}/{required} éléments "
                    f"attendus ({met}).",
                    f"Answer at {clock_text(action.t)}: {len(verdict.met)}/{required} "
                    f"expected elements ({met}).",
                ),
                round(part * max(0.0, share), 2),
                (key,),
            )
        )
    if not answers:
        reasons.append(Reason(L10n("Aucune réponse à évaluer.", "No answer to assess."), 0.0))
    for action, key in ctx.keyed:
        if action.type in ("delete", "hide"):
            verb = (
                ("Suppression", "Deleting") if action.type == "delete" else ("Masquage", "Hiding")
            )
            reasons.append(
                Reason(
                    L10n(
                        f"{verb[0]} d'un commentaire ({action.target}) à {clock_text(action.t)} : "
                        f"on ne bâillonne pas la conversation.",
                        f"{verb[1]} a comment ({action.target}) at {clock_text(action.t)}: "
                        f"never gag the conversation.",
                    ),
                    -DELETION_PENALTY,
                    (key, action.target or ""),
                )
            )
    return reasons


@criterion("internal", "Communication interne", "Internal communication", 10.0)
def _internal(ctx: Context, most: float) -> list[Reason]:
    memos = [(a, k) for a, k in ctx.keyed if a.type == "memo"]
    public = [a for a, _ in ctx.keyed if a.type in PUBLIC]
    if not memos:
        return [Reason(L10n("Aucune note interne aux salariés.", "No internal memo to staff."), 0)]
    reasons = []
    memo, key = memos[0]
    scenario = ctx.scenario
    deadline = scenario.memo_deadline if scenario.memo_deadline is not None else SEEN_LATE
    if memo.t <= deadline:
        reasons.append(
            Reason(
                L10n(
                    f"Note interne à {clock_text(memo.t)}, "
                    f"avant l'échéance ({clock_text(deadline)}).",
                    f"Memo at {clock_text(memo.t)}, before the deadline ({clock_text(deadline)}).",
                ),
                round(most * 0.6, 2),
                (key,),
            )
        )
    else:
        reasons.append(
            Reason(
                L10n(
                    f"Note interne tardive ({clock_text(memo.t)} ; "
                    f"échéance {clock_text(deadline)}).",
                    f"Late memo ({clock_text(memo.t)}; deadline {clock_text(deadline)}).",
                ),
                round(most * 0.2, 2),
                (key,),
            )
        )
    if not public or memo.t <= public[0].t:
        reasons.append(
            Reason(
                L10n(
                    "Les salariés ont été informés avant le public.",
                    "Staff heard it before the public.",
                ),
                round(most * 0.4, 2),
                (key,),
            )
        )
    else:
        reasons.append(
            Reason(
                L10n(
                    "Le public a été informé avant les salariés.",
                    "The public heard it before staff.",
                ),
                0.0,
                (key,),
            )
        )
    return reasons


def negative_curve(posts: Iterable[Post], step: float = 60.0) -> dict[int, int]:
    """Negative posts per `step` seconds."""
    curve: dict[int, int] = {}
    for p in posts:
        if p.sentiment == "negative":
            bucket = int(p.t // step)
            curve[bucket] = curve.get(bucket, 0) + 1
    return curve


def _avoided(played: Tally, baseline: Tally) -> float:
    team, alone = played.negatives, baseline.negatives
    return round(max(0.0, 1.0 - team / alone) if alone else 0.0, 4)


@criterion("containment", "Endiguement", "Containment", 10.0)
def _containment(ctx: Context, most: float) -> list[Reason]:
    team, alone = ctx.played.negatives, ctx.baseline.negatives
    avoided = max(0.0, 1.0 - team / alone) if alone else 0.0
    return [
        Reason(
            L10n(
                f"{avoided:.0%} du volume négatif évité par rapport à la même tempête sans "
                f"réponse ({team} contre {alone} "
                f"{_fr(alone, 'publication négative', 'publications négatives')}).",
                f"{avoided:.0%} of the negative volume avoided against the same storm left "
                f"unanswered ({team} against {alone} "
                f"{_en(alone, 'negative post', 'negative posts')}).",
            ),
            round(most * min(1.0, avoided / FULL_CONTAINMENT), 2),
        )
    ]


# -- suggested HSEEP ratings -------------------------------------------------------------------


def rating_of(percent: float) -> str:
    return next((r for floor, r in THRESHOLDS if percent >= floor), "U")


def _checks(ctx: Context, inject: Inject, post: Post) -> list[tuple[float, L10n]]:
    """What the inject expected, each checked: 1 done in time, 0.5 done late, 0 not done."""
    deadline = post.t + (inject.deadline if inject.deadline is not None else SEEN_LATE)
    thread = [(a, k) for a, k in _touches(ctx.keyed, post.id)]
    checks: list[tuple[float, L10n]] = []

    def timed(what: L10n, times: list[float], before_ok: bool = False) -> None:
        ok = [t for t in times if (before_ok or t >= post.t)]
        if not ok:
            checks.append((0.0, L10n(f"{what.fr} : non", f"{what.en}: no")))
            return
        t = min(ok)
        if t <= deadline:
            when = (
                L10n(f"{_minutes(post.t - t)} min avant", f"{_minutes(post.t - t)} min before")
                if t < post.t
                else L10n(f"{_minutes(t - post.t)} min après", f"{_minutes(t - post.t)} min after")
            )
            checks.append((1.0, L10n(f"{what.fr} : {when.fr} ✓", f"{what.en}: {when.en} ✓")))
        else:
            late = L10n(f"en retard ({clock_text(t)})", f"late ({clock_text(t)})")
            checks.append((0.5, L10n(f"{what.fr} : {late.fr}", f"{what.en}: {late.en}")))

    for expected in dict.fromkeys(inject.expected_actions):
        if expected == "escalate":
            role = inject.must_escalate_to
            right = [a.t for a, _ in thread if a.type == "escalate" and role in (None, a.role)]
            what = L10n("escalade", "escalation")
            if role:
                title = _role(ctx.scenario, role)
                what = L10n(f"escalade ({title.fr})", f"escalation to {title.en}")
            timed(what, right)
        elif expected in ("reply", "dm"):
            timed(L10n("réponse", "reply"), [a.t for a, _ in thread if a.type in ("reply", "dm")])
        elif expected == "holding_statement":
            statements = [a.t for a, _ in ctx.keyed if a.type == "holding_statement"]
            timed(L10n("déclaration d'attente", "holding statement"), statements, True)
        elif expected == "memo":
            memos = [a.t for a, _ in ctx.keyed if a.type == "memo"]
            timed(L10n("note interne", "memo"), memos, True)
        elif expected in ("tag", "watch", "handle"):
            timed(L10n("repéré", "spotted"), [a.t for a, _ in thread])
        elif expected == "ignore":
            flagged = bool(_flagged(ctx.keyed, post.id)) or any(
                a.type in ("reply", "dm") for a, _ in thread
            )
            if not ctx.triaged:
                checks.append((0.0, L10n("ignoré faute de tri", "ignored with no triage at all")))
            elif flagged:
                checks.append((0.0, L10n("leurre laissé de côté : non", "decoy left alone: no")))
            else:
                checks.append((1.0, L10n("leurre laissé de côté ✓", "decoy left alone ✓")))
    return checks


def suggest(ctx: Context, total: float) -> tuple[Suggestion, ...]:
    """A suggested rating per objective, from what the injects that test it expected (their
    `expected_actions`, each checked against its deadline: done in time counts 1, late 0.5,
    not done 0), as a percentage; an objective that no inject of this storm tested takes the
    team's total. At least 85 % is P, 65 % S, 40 % M, below that U. It reads only the storm
    and the actions: facilitators' ratings and overrides never move it."""
    appeared = ctx.appeared
    out = []
    for objective in ctx.scenario.objectives:
        tested = [i for i in ctx.injects if i.objective == objective.id]
        because: list[L10n] = []
        shares = []
        for inject in tested:
            checks = _checks(ctx, inject, appeared[inject.id])
            if not checks:
                continue
            shares.append(sum(c for c, _ in checks) / len(checks))
            because.append(
                L10n(
                    f"{_named(inject).fr} — " + " ; ".join(t.fr for _, t in checks),
                    f"{_named(inject).en} — " + "; ".join(t.en for _, t in checks),
                )
            )
        if shares:
            percent = 100.0 * sum(shares) / len(shares)
        else:
            percent = max(0.0, total)
            because.append(
                L10n(
                    "Aucun inject de cette tempête ne le testait : "
                    "d'après le score total de l'équipe.",
                    "No inject of this storm tested it: from the team's total score.",
                )
            )
        out.append(Suggestion(objective.id, rating_of(percent), round(percent, 1), tuple(because)))
    return tuple(out)
