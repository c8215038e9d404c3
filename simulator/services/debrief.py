"""The debrief: each team's score with its reasons, the storm against what the team did, the
injects, the replies with their rubric hits, the team's chat and memos; and a CSV of it all.

Reads the record: actions, controls, and the two tallies the runner keeps per team (the storm
as played, and the same storm with none of the team's actions, played alongside during the
drill). A tally that is missing or behind the record (a session from before tallies, a runner
that died between two saves) is computed here once and stored.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from ..engine.actions import Action
from ..engine.clock import clock_text
from ..engine.rubric import assess
from ..engine.scoring import Score, score
from ..engine.storm import Author, Post, Storm, thread_of
from ..engine.tally import Tally
from ..extensions import db
from ..models import ActionRecord, DrillSession, PostRecord, Team
from . import actions as acts
from . import sessions as svc

CSV_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _post(data: dict[str, Any]) -> Post:
    return Post(**{**data, "author": Author(**data["author"])})


def team_posts(team: Team) -> list[Post]:
    rows = db.session.scalars(
        select(PostRecord.data).where(PostRecord.team_id == team.id).order_by(PostRecord.id)
    )
    return [_post(d) for d in rows]


def team_actions(team: Team) -> list[ActionRecord]:
    return acts.team_actions(team.id)


def _engine_actions(records: Iterable[ActionRecord]) -> list[Action]:
    return [
        acts.engine_action(r, r.applied_t if r.applied_t is not None else r.sim_t)
        for r in records
        if r.engine
    ]


def team_controls(session: DrillSession, team: Team):
    """The trainer's controls that reached this team's storm, in the order they were given."""
    return [c for c in svc.storm_controls(session.id) if c.team_id in (None, team.id)]


def _controls(session: DrillSession, team: Team) -> tuple[Action, ...]:
    return tuple(
        svc.control_action(c, c.applied_t if c.applied_t is not None else c.sim_t)
        for c in team_controls(session, team)
    )


def unanswered_storm(session: DrillSession, team: Team) -> Storm:
    """The team's storm with the trainer's controls but none of the team's actions."""
    return Storm(svc.scenario_of(session), session.seed, session.lang, _controls(session, team))


def tallies(session: DrillSession, team: Team) -> tuple[Tally, Tally]:
    """The team's storm as played and left unanswered, up to where the team's storm got.

    While the session runs, the runner's last save (at most a simulated minute behind) is
    good enough; an ended session's tallies must reach its end, or they are computed here
    and stored.
    """
    until = team.emitted_until
    live = session.status != "ended"
    played = _stored(team.played, until, live)
    controls = [c.id for c in team_controls(session, team)]
    stored = team.unanswered
    unanswered = (
        _stored(stored, until, live)
        if stored and sorted(stored.get("controls", ())) == sorted(controls)
        else None
    )
    computed = played is None or unanswered is None
    if played is None:
        played = Tally.of(team_posts(team), until=until)
    if unanswered is None:
        unanswered = _unanswered(session, team)
    if computed and not live:  # while it runs, the runner keeps them
        svc.record_tallies([(team, played, unanswered, controls)])
    return played, unanswered


def _unanswered(session: DrillSession, team: Team) -> Tally:
    # teams with the same controls share one: computed once for the whole session's debrief
    key = (
        session.scenario_yaml,
        session.seed,
        session.lang,
        team.emitted_until,
        _controls(session, team),
    )
    if key not in _recent:
        if len(_recent) >= 16:
            _recent.clear()
        _recent[key] = Tally.of(
            unanswered_storm(session, team).advance(team.emitted_until), until=team.emitted_until
        )
    return _recent[key]


_recent: dict[tuple, Tally] = {}


def _until(data: dict[str, Any] | None) -> float | None:
    return None if data is None else float(data["until"])


def _stored(data: dict[str, Any] | None, until: float, behind: bool = False) -> Tally | None:
    if data is None or not (_until(data) == until or (behind and _until(data) <= until)):
        return None
    return Tally.from_json(data)


def team_score(session: DrillSession, team: Team) -> tuple[Score, Tally, list[ActionRecord]]:
    played, unanswered = tallies(session, team)
    records = team_actions(team)
    return _score(session, played, unanswered, records), played, records


def _score(
    session: DrillSession, played: Tally, unanswered: Tally, records: list[ActionRecord]
) -> Score:
    authors = {f"p{r.id}": r.participant.name for r in records}
    return score(
        svc.scenario_of(session),
        played,
        _engine_actions(records),
        unanswered,
        session.lang,
        authors,
    )


def score_view(result: Score, lang: str) -> dict[str, Any]:
    return {
        "total": result.total,
        "max": result.max,
        "containment": result.containment,
        "people": dict(result.people),
        "criteria": [
            {
                "id": c.id,
                "label": c.label(lang),
                "points": c.points,
                "max": c.max,
                "reasons": [
                    {"text": r.text(lang), "points": r.points, "evidence": list(r.evidence)}
                    for r in c.reasons
                ],
            }
            for c in result.criteria
        ],
    }


def _timeline(played: Tally, unanswered: Tally, records, scenario) -> dict[str, Any]:
    minutes = max(len(played.volume), len(unanswered.volume), 1)
    volume, negative = played.series(minutes)
    return {
        "minutes": list(range(minutes)),
        "volume": volume,
        "negative": negative,
        "unanswered_negative": unanswered.series(minutes)[1],
        "actions": [
            {"t": round(r.sim_t, 3), "type": r.type, "by": r.participant.name}
            for r in records
            if r.type not in ("chat", "approve", "reject") and r.status != "draft"
        ],
        "injects": [{"t": p.t, "id": p.inject} for p in played.injects],
        "phases": [
            {"start": ph.start, "title": ph.title.fr, "title_en": ph.title.en}
            for ph in scenario.phases
        ],
    }


def _inject_table(scenario, played: Tally, records) -> list[dict[str, Any]]:
    rows = []
    for p in played.injects:
        inject = next((i for i in scenario.injects if i.id == p.inject), None)
        if inject is None:
            continue
        mine = [r for r in records if r.target and thread_of(r.target) == thread_of(p.id)]
        seen = min((r.sim_t for r in mine), default=None)
        escalations = [r for r in mine if r.type == "escalate"]
        answers = [r.sim_t for r in mine if r.type in ("reply", "dm") and r.engine]
        answered = min(answers, default=None)
        deadline = p.t + inject.deadline if inject.deadline is not None else None
        expects_answer = bool({"reply", "dm", "holding_statement"} & set(inject.expected_actions))
        rows.append(
            {
                "inject": inject.id,
                "post": p.id,
                "text": p.text,
                "appeared": p.t,
                "first_seen": seen,
                "must_escalate_to": inject.must_escalate_to,
                "escalated": [
                    {"role": r.role, "t": r.sim_t, "severity": r.severity} for r in escalations
                ],
                "answered": answered,
                "deadline": deadline,
                "expects_answer": expects_answer,
                "on_time": (deadline is None or answered <= deadline)
                if answered is not None
                else None,
            }
        )
    return rows


def _replies(scenario, records, lang) -> list[dict[str, Any]]:
    out = []
    for r in records:
        if r.type not in ("reply", "dm", "holding_statement") or r.status == "approved":
            continue
        verdict = assess(scenario.rubric, r.text, lang)
        out.append(
            {
                "id": r.id,
                "t": r.sim_t,
                "type": r.type,
                "status": r.status,
                "by": r.participant.name,
                "target": r.target,
                "text": r.text,
                "verdict": verdict.verdict,
                "hits": [
                    {"start": h.start, "end": h.end, "element": h.element, "forbidden": False}
                    for h in verdict.required
                ]
                + [
                    {"start": h.start, "end": h.end, "element": h.element, "forbidden": True}
                    for h in verdict.forbidden
                ],
            }
        )
    return out


def team_debrief(session: DrillSession, team: Team) -> dict[str, Any]:
    scenario = svc.scenario_of(session)
    played, unanswered = tallies(session, team)
    records = team_actions(team)
    result = _score(session, played, unanswered, records)
    people: dict[str, dict[str, Any]] = {}
    for r in records:
        person = people.setdefault(
            r.participant.name, {"role": r.participant.role, "actions": 0, "points": 0.0}
        )
        person["actions"] += 1
    for name, points in result.people.items():
        people.setdefault(name, {"role": None, "actions": 0, "points": 0.0})["points"] = points
    return {
        "team": {"id": team.id, "name": team.name},
        "score": score_view(result, session.lang),
        "timeline": _timeline(played, unanswered, records, scenario),
        "injects": _inject_table(scenario, played, records),
        "replies": _replies(scenario, records, session.lang),
        "chat": [
            {"t": r.sim_t, "by": r.participant.name, "text": r.text}
            for r in records
            if r.type == "chat"
        ],
        "memos": [
            {"t": r.sim_t, "by": r.participant.name, "text": r.text}
            for r in records
            if r.type == "memo"
        ],
        "people": people,
        "posts": played.posts,
    }


def session_debrief(session: DrillSession) -> dict[str, Any]:
    teams = [team_debrief(session, t) for t in session.teams]
    ranking = sorted(teams, key=lambda d: -d["score"]["total"])
    return {
        "session": {
            "id": session.id,
            "name": session.name,
            "lang": session.lang,
            "status": session.status,
            "scenario": session.scenario_slug,
        },
        "ranking": [
            {
                "team": d["team"],
                "total": d["score"]["total"],
                "criteria": {c["id"]: c["points"] for c in d["score"]["criteria"]},
            }
            for d in ranking
        ],
        "teams": teams,
    }


def _cell(value: Any) -> str:
    """A CSV cell that French Excel reads as text, never as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(CSV_FORMULA) else text


def session_csv(session: DrillSession) -> bytes:
    """Every event: posts each team saw, their actions, their scores. UTF-8 with BOM, `;`."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        ["team", "event", "t", "clock", "platform", "kind", "who", "target", "text", "detail"]
    )
    for team in session.teams:
        result, _, records = team_score(session, team)
        posts = team_posts(team)
        events = [
            (
                p.t,
                0,
                [
                    "post",
                    p.t,
                    p.platform,
                    p.kind,
                    f"{p.author.name} {p.author.handle}",
                    p.parent,
                    p.text,
                    f"{p.sentiment}{' inject=' + p.inject if p.inject else ''}"
                    f"{' cause=' + p.cause if p.cause else ''}",
                ],
            )
            for p in posts
        ]
        events += [
            (
                r.sim_t,
                1,
                [
                    "action",
                    r.sim_t,
                    "",
                    r.type,
                    r.participant.name,
                    r.target,
                    r.text,
                    " ".join(
                        x
                        for x in (
                            r.role or "",
                            f"severity={r.severity}" if r.severity else "",
                            r.tag or "",
                            r.status,
                        )
                        if x
                    ),
                ],
            )
            for r in records
        ]
        for _, _, row in sorted(events, key=lambda e: (e[0], e[1])):
            t = row[1]
            writer.writerow(
                [_cell(team.name), row[0], f"{t:.3f}", clock_text(t), *(_cell(v) for v in row[2:])]
            )
        for c in result.criteria:
            for reason in c.reasons:
                writer.writerow(
                    [
                        _cell(team.name),
                        "score",
                        "",
                        "",
                        "",
                        c.id,
                        "",
                        "",
                        _cell(reason.text(session.lang)),
                        f"{reason.points:g}",
                    ]
                )
        writer.writerow(
            [_cell(team.name), "score", "", "", "", "total", "", "", "", f"{result.total:g}"]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
