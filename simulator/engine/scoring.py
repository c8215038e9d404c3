"""Scoring: (scenario, a team's storm, its actions, the same storm left unanswered) -> Score.

Pure and deterministic. Every point carries a reason in both languages and the events it
rests on (post ids, action ids), so the debrief can show why, and facilitators can argue.

Criteria and their weights (100 in all): detection 15, triage 15, escalation 15, response
time 15, reply quality 20, internal communication 10, containment 10.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .actions import Action
from .clock import clock_text
from .rubric import assess
from .scenario import L10n, Scenario
from .storm import Post, thread_of
from .tally import Tally

SEEN_FAST = 5 * 60.0  # seen within five minutes: full marks
SEEN_LATE = 30 * 60.0  # after thirty: none
EARLY_STATEMENT = 30 * 60.0
LONG_SILENCE = 30 * 60.0
FULL_CONTAINMENT = 0.5  # half the unanswered storm's negative volume avoided: full marks
DELETION_PENALTY = 5.0
PUBLIC = ("reply", "holding_statement")


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
class Score:
    total: float
    max: float
    criteria: tuple[Criterion, ...]
    containment: float  # share of the unanswered storm's negative volume avoided, 0..1
    people: Mapping[str, float] = field(default_factory=dict)

    def criterion(self, criterion_id: str) -> Criterion:
        return next(c for c in self.criteria if c.id == criterion_id)


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.0f}"


def _criterion(cid: str, fr: str, en: str, max_points: float, reasons: list[Reason]) -> Criterion:
    points = min(max_points, max(0.0, sum(r.points for r in reasons)))
    return Criterion(cid, L10n(fr, en), round(points, 2), max_points, tuple(reasons))


def _key(action: Action, index: int) -> str:
    return action.key(index)


def score(
    scenario: Scenario,
    posts: Iterable[Post] | Tally,
    actions: Sequence[Action],
    baseline: Iterable[Post] | Tally,
    lang: str = "fr",
    authors: Mapping[str, str] | None = None,
) -> Score:
    """Score one team. `baseline` is the same storm with none of the team's actions; either
    storm may come as its posts or as its tally (all scoring reads of it)."""
    played = posts if isinstance(posts, Tally) else Tally.of(posts)
    alone = baseline if isinstance(baseline, Tally) else Tally.of(baseline)
    keyed = sorted(((a, _key(a, i)) for i, a in enumerate(actions)), key=lambda x: x[0].t)
    appeared = {p.inject: p for p in played.injects}
    injects = [i for i in scenario.injects if i.id in appeared]
    criteria = [
        _detection(injects, appeared, keyed),
        _triage(injects, appeared, keyed),
        _escalation(scenario, injects, appeared, keyed),
        _response(scenario, appeared, keyed),
        _quality(scenario, keyed, lang),
        _internal(scenario, keyed),
    ]
    containment, criterion = _containment(played, alone)
    criteria.append(criterion)
    total = round(sum(c.points for c in criteria), 2)
    people: dict[str, float] = {}
    if authors:
        for c in criteria:
            for r in c.reasons:
                who = {authors[e] for e in r.evidence if e in authors}
                for name in who:
                    people[name] = round(people.get(name, 0.0) + r.points / len(who), 2)
    return Score(total, 100.0, tuple(criteria), containment, people)


EXCERPT = 60  # characters of an inject's post that name it in a reason


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= EXCERPT:
        return text
    return text[:EXCERPT].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


def _named(inject) -> L10n:
    """How a reason names an inject: the first words of its post, as the team read them."""
    return L10n(f"« {_excerpt(inject.text.fr)} »", f"“{_excerpt(inject.text.en)}”")


def _role(scenario: Scenario, role_id: str) -> L10n:
    role = next((r for r in scenario.roles if r.id == role_id), None)
    return role.title if role is not None else L10n(role_id, role_id)


def _touches(keyed, post_id: str):
    return [(a, k) for a, k in keyed if a.target and thread_of(a.target) == thread_of(post_id)]


def _detection(injects, appeared, keyed) -> Criterion:
    reasons = []
    weight = 15.0 / max(1, len(injects))
    for inject in injects:
        post = appeared[inject.id]
        touched = [(a, k) for a, k in _touches(keyed, post.id) if a.t >= post.t]
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
        share = (
            1.0 if delay <= SEEN_FAST else max(0.0, (SEEN_LATE - delay) / (SEEN_LATE - SEEN_FAST))
        )
        reasons.append(
            Reason(
                L10n(
                    f"{_named(inject).fr} traité {_minutes(delay)} min après son apparition.",
                    f"{_named(inject).en} handled {_minutes(delay)} min after it appeared.",
                ),
                round(weight * share, 2),
                (post.id, key),
            )
        )
    return _criterion("detection", "Détection", "Detection", 15.0, reasons)


def _flagged(keyed, post_id):
    return [
        (a, k)
        for a, k in _touches(keyed, post_id)
        if a.type == "escalate" or (a.type == "tag" and a.tag == "handle")
    ]


def _triage(injects, appeared, keyed) -> Criterion:
    positives = [i for i in injects if i.must_escalate_to]
    noise = [i for i in injects if not i.must_escalate_to]
    flagged = {i.id for i in injects if _flagged(keyed, appeared[i.id].id)}
    hits = [i for i in positives if i.id in flagged]
    false_alarms = [i for i in noise if i.id in flagged]
    recall = len(hits) / len(positives) if positives else 1.0
    precision = len(hits) / len(flagged) if flagged else (1.0 if not positives else 0.0)
    quiet = (len(noise) - len(false_alarms)) / len(noise) if noise else 1.0
    reasons = [
        Reason(
            L10n(
                f"{len(hits)} publication(s) à escalader sur {len(positives)} repérée(s) "
                f"(rappel {recall:.0%}).",
                f"{len(hits)} of {len(positives)} must-escalate post(s) flagged "
                f"(recall {recall:.0%}).",
            ),
            round(15.0 * 0.5 * recall, 2),
            tuple(appeared[i.id].id for i in hits),
        )
    ]
    reasons.append(
        Reason(
            L10n(
                f"Précision {precision:.0%} : {len(false_alarms)} fausse(s) alerte(s).",
                f"Precision {precision:.0%}: {len(false_alarms)} false alarm(s).",
            ),
            round(15.0 * 0.3 * precision, 2),
            tuple(appeared[i.id].id for i in false_alarms),
        )
    )
    reasons.append(
        Reason(
            L10n(
                f"Bruit laissé de côté à bon escient : {quiet:.0%}.",
                f"Noise rightly left alone: {quiet:.0%}.",
            ),
            round(15.0 * 0.2 * quiet, 2),
            tuple(appeared[i.id].id for i in noise),
        )
    )
    return _criterion("triage", "Tri", "Triage", 15.0, reasons)


def _escalation(scenario: Scenario, injects, appeared, keyed) -> Criterion:
    positives = [i for i in injects if i.must_escalate_to]
    weight = 15.0 / max(1, len(positives))
    reasons = []
    for inject in positives:
        post = appeared[inject.id]
        escalations = [(a, k) for a, k in _touches(keyed, post.id) if a.type == "escalate"]
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
        reasons.append(Reason(L10n("Rien à escalader.", "Nothing to escalate."), 15.0))
    return _criterion("escalation", "Escalade", "Escalation", 15.0, reasons)


def _response(scenario: Scenario, appeared, keyed) -> Criterion:
    public = [(a, k) for a, k in keyed if a.type in PUBLIC]
    statements = [(a, k) for a, k in public if a.type == "holding_statement"]
    start = min((p.t for p in appeared.values()), default=0.0)
    reasons = []
    if statements and statements[0][0].t - start <= EARLY_STATEMENT:
        a, k = statements[0]
        reasons.append(
            Reason(
                L10n(
                    f"Déclaration d'attente publiée à {clock_text(a.t)}.",
                    f"Holding statement published at {clock_text(a.t)}.",
                ),
                5.0,
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
                round(6.0 * share, 2),
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
                round(4.0 * share, 2),
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
    return _criterion("response", "Réactivité", "Response time", 15.0, reasons)


def _quality(scenario: Scenario, keyed, lang: str) -> Criterion:
    answers = [(a, k) for a, k in keyed if a.type in ("reply", "dm", "holding_statement")]
    reasons = []
    shares = []
    required = max(1, len(scenario.rubric.required))
    for action, key in answers:
        verdict = assess(scenario.rubric, action.text, lang)
        share = len(verdict.met) / required
        for hit in verdict.forbidden:
            share -= 0.5
            reasons.append(
                Reason(
                    L10n(
                        f"Élément à proscrire « {hit.phrase} » ({hit.element}) "
                        f"à {clock_text(action.t)}.",
                        f"Forbidden “{hit.phrase}” ({hit.element}) at {clock_text(action.t)}.",
                    ),
                    0.0,
                    (key,),
                )
            )
        shares.append(max(0.0, share))
        met = ", ".join(verdict.met) or "—"
        reasons.append(
            Reason(
                L10n(
                    f"Réponse de {clock_text(action.t)} : {len(verdict.met)}/{required} éléments "
                    f"attendus ({met}).",
                    f"Answer at {clock_text(action.t)}: {len(verdict.met)}/{required} "
                    f"expected elements ({met}).",
                ),
                0.0,
                (key,),
            )
        )
    if shares:
        reasons.insert(
            0,
            Reason(
                L10n("Qualité moyenne des réponses.", "Average answer quality."),
                round(20.0 * sum(shares) / len(shares), 2),
            ),
        )
    else:
        reasons.append(Reason(L10n("Aucune réponse à évaluer.", "No answer to assess."), 0.0))
    for action, key in keyed:
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
    return _criterion("quality", "Qualité des réponses", "Reply quality", 20.0, reasons)


def _internal(scenario: Scenario, keyed) -> Criterion:
    memos = [(a, k) for a, k in keyed if a.type == "memo"]
    public = [a for a, _ in keyed if a.type in PUBLIC]
    reasons = []
    if not memos:
        reasons.append(
            Reason(L10n("Aucune note interne aux salariés.", "No internal memo to staff."), 0.0)
        )
        return _criterion(
            "internal", "Communication interne", "Internal communication", 10.0, reasons
        )
    memo, key = memos[0]
    deadline = scenario.memo_deadline if scenario.memo_deadline is not None else SEEN_LATE
    if memo.t <= deadline:
        reasons.append(
            Reason(
                L10n(
                    f"Note interne à {clock_text(memo.t)}, "
                    f"avant l'échéance ({clock_text(deadline)}).",
                    f"Memo at {clock_text(memo.t)}, before the deadline ({clock_text(deadline)}).",
                ),
                6.0,
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
                2.0,
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
                4.0,
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
    return _criterion("internal", "Communication interne", "Internal communication", 10.0, reasons)


def negative_curve(posts: Iterable[Post], step: float = 60.0) -> dict[int, int]:
    """Negative posts per `step` seconds."""
    curve: dict[int, int] = {}
    for p in posts:
        if p.sentiment == "negative":
            bucket = int(p.t // step)
            curve[bucket] = curve.get(bucket, 0) + 1
    return curve


def _containment(played: Tally, baseline: Tally) -> tuple[float, Criterion]:
    team, alone = played.negatives, baseline.negatives
    avoided = max(0.0, 1.0 - team / alone) if alone else 0.0
    points = 10.0 * min(1.0, avoided / FULL_CONTAINMENT)
    reason = Reason(
        L10n(
            f"{avoided:.0%} du volume négatif évité par rapport à la même tempête sans réponse "
            f"({team} contre {alone} publications négatives).",
            f"{avoided:.0%} of the negative volume avoided against the same storm left "
            f"unanswered ({team} against {alone} negative posts).",
        ),
        round(points, 2),
    )
    return round(avoided, 4), _criterion(
        "containment", "Endiguement", "Containment", 10.0, [reason]
    )
