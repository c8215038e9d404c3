"""The debrief: each team's score with its reasons, the storm against what the team did, the
injects, the replies with their rubric hits, the team's chat and memos; and a CSV of it all.

Reads the record: actions, controls, and the two tallies the runner keeps per team (the storm
as played, and the same storm with none of the team's actions, played alongside during the
drill). A tally that is missing or behind the record (a session from before tallies, a runner
that died between two saves) is computed here once and stored.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from ..engine.actions import Action
from ..engine.clock import clock_text
from ..engine.posts import post_from_dict
from ..engine.rubric import assess
from ..engine.scoring import Credit, Score, excerpt, score
from ..engine.storm import Post, Storm, thread_of
from ..engine.tally import Tally
from ..extensions import db
from ..models import ActionRecord, DrillSession, PostRecord, Team
from . import actions as acts
from . import charts, views
from . import controls as ctl
from . import sessions as svc

CSV_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def team_posts(team: Team) -> list[Post]:
    rows = db.session.scalars(
        select(PostRecord.data).where(PostRecord.team_id == team.id).order_by(PostRecord.id)
    )
    return [post_from_dict(d) for d in rows]


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
    return [c for c in ctl.storm_controls(session.id) if c.team_id in (None, team.id)]


Input = tuple[tuple[float, int, int, int], Action]  # (when and in which place, the input)


def control_inputs(session: DrillSession, team: Team) -> list[Input]:
    """The controls that reached the team's storm, each with the time and place the runner
    gave it to the storm (sort by it to give them again in that order)."""
    inputs = []
    for c in team_controls(session, team):
        at = c.applied_t if c.applied_t is not None else c.sim_t
        inputs.append(((at, *ctl.input_place(c.applied_n, 0, c.id)), ctl.control_action(c, at)))
    return inputs


def action_input(record: ActionRecord) -> Input:
    """A team's action as a storm input, with the time and place the runner gave it."""
    at = record.applied_t if record.applied_t is not None else record.sim_t
    return (at, *ctl.input_place(record.applied_n, 1, record.id)), acts.engine_action(record, at)


def in_order(inputs: Iterable[Input]) -> list[Action]:
    """Storm inputs in the order the runner applied them (time taken, then `applied_n`)."""
    return [action for _, action in sorted(inputs, key=lambda i: i[0])]


def _controls(session: DrillSession, team: Team) -> tuple[Action, ...]:
    return tuple(in_order(control_inputs(session, team)))


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


def credits(records: Iterable[ActionRecord]) -> dict[str, Credit]:
    """Who did each action (by the engine's key): a reply released on approval was written
    by the draft's author and approved by the one who published it."""
    by_id = {r.id: r for r in records}
    out = {}
    for r in by_id.values():
        draft = by_id.get(r.draft_id) if r.draft_id and r.type not in DECISIONS else None
        if draft is not None and draft.participant_id != r.participant_id:
            out[f"p{r.id}"] = Credit(draft.participant.name, r.participant.name)
        else:
            out[f"p{r.id}"] = Credit(r.participant.name)
    return out


DECISIONS = ("approve", "reject")


def _score(
    session: DrillSession, played: Tally, unanswered: Tally, records: list[ActionRecord]
) -> Score:
    return score(
        svc.scenario_of(session),
        played,
        _engine_actions(records),
        unanswered,
        session.lang,
        credits(records),
    )


def score_view(result: Score, lang: str) -> views.ScoreView:
    """The engine's score in one language (criterion names come from the registry's two)."""
    return views.ScoreView(
        total=result.total,
        max=result.max,
        containment=result.containment,
        people=dict(result.people),
        criteria=tuple(
            views.CriterionView(
                id=c.id,
                label=c.label(lang),
                points=c.points,
                max=c.max,
                reasons=tuple(
                    views.ReasonView(r.text(lang), r.points, tuple(r.evidence)) for r in c.reasons
                ),
            )
            for c in result.criteria
        ),
        suggestions={
            s.objective: views.SuggestionView(
                s.rating, s.percent, tuple(b(lang) for b in s.because)
            )
            for s in result.suggestions
        },
    )


def _first_words(scenario, inject_id: str, lang: str) -> str:
    inject = next((i for i in scenario.injects if i.id == inject_id), None)
    return excerpt(inject.text(lang)) if inject is not None else inject_id


def _credited(records: list[ActionRecord]) -> dict[int, tuple[str, str | None]]:
    """Each action's author and approver, by record id."""
    found = credits(records)
    return {r.id: (found[f"p{r.id}"].author, found[f"p{r.id}"].approver) for r in records}


def _timeline(played: Tally, unanswered: Tally, records, scenario, lang) -> views.TimelineView:
    minutes = max(len(played.volume), len(unanswered.volume), 1)
    volume, negative = played.series(minutes)
    who = _credited(records)
    return views.TimelineView(
        minutes=tuple(range(minutes)),
        volume=tuple(volume),
        negative=tuple(negative),
        unanswered_negative=tuple(unanswered.series(minutes)[1]),
        actions=tuple(
            views.ActionMark(round(r.sim_t, 3), r.type, *who[r.id])
            for r in records
            if r.type not in ("chat", *DECISIONS)
            and r.status != "draft"
            and not (r.status in ("approved", "rejected") and r.type in acts.PUBLIC)
        ),
        injects=tuple(
            views.InjectMark(p.t, p.inject, _first_words(scenario, p.inject, lang))
            for p in played.injects
        ),
        phases=tuple(
            views.PhaseMark(ph.start, ph.title(lang), ph.title.en) for ph in scenario.phases
        ),
    )


def _inject_table(scenario, played: Tally, records, lang) -> tuple[views.InjectRow, ...]:
    roles = {r.id: r.title(lang) for r in scenario.roles}
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
            views.InjectRow(
                inject=inject.id,
                label=excerpt(inject.text(lang)),
                post=p.id,
                text=p.text,
                appeared=p.t,
                first_seen=seen,
                must_escalate_to=inject.must_escalate_to,
                escalated=tuple(
                    views.Escalated(r.role, _title(roles, r.role), r.sim_t, r.severity)
                    for r in escalations
                ),
                answered=answered,
                deadline=deadline,
                expects_answer=expects_answer,
                on_time=None if answered is None else (deadline is None or answered <= deadline),
            )
        )
    return tuple(rows)


def _replies(scenario, records, lang) -> tuple[views.ReplyView, ...]:
    out = []
    who = _credited(records)
    for r in records:
        if r.type not in ("reply", "dm", "holding_statement") or r.status == "approved":
            continue
        verdict = assess(scenario.rubric, r.text, lang)
        out.append(
            views.ReplyView(
                id=r.id,
                t=r.sim_t,
                type=r.type,
                status=r.status,
                by=who[r.id][0],
                approved_by=who[r.id][1],
                target=r.target,
                text=r.text,
                verdict=verdict.verdict,
                hits=tuple(views.Hit(h.start, h.end, h.element, False) for h in verdict.required)
                + tuple(views.Hit(h.start, h.end, h.element, True) for h in verdict.forbidden),
            )
        )
    return tuple(out)


def colour_of(session: DrillSession, team: Team) -> str:
    """The team's colour in every chart: see charts.team_colours."""
    teams = list(session.teams)
    colours = charts.team_colours([t.name for t in teams])
    return next((c for t, c in zip(teams, colours, strict=True) if t.id == team.id), colours[0])


def _title(roles: dict[str, str], role: str | None) -> str:
    return roles.get(role or "", role or "")


def _lines(records: list[ActionRecord], kind: str) -> tuple[views.Line, ...]:
    return tuple(views.Line(r.sim_t, r.participant.name, r.text) for r in records if r.type == kind)


def team_debrief(session: DrillSession, team: Team, lang: str | None = None) -> views.TeamDebrief:
    """One team's debrief, its words in `lang` (the page's; the session's by default)."""
    lang = lang or session.lang
    scenario = svc.scenario_of(session)
    played, unanswered = tallies(session, team)
    records = team_actions(team)
    result = _score(session, played, unanswered, records)
    counts: dict[str, list] = {}
    for r in records:
        person = counts.setdefault(r.participant.name, [r.participant.role, 0, 0])
        person[1] += 1
        person[2] += r.type == "approve"
    for name in result.people:
        counts.setdefault(name, [None, 0, 0])
    people = {
        name: views.PersonView(role, n, result.people.get(name, 0.0), approved)
        for name, (role, n, approved) in counts.items()
    }
    return views.TeamDebrief(
        team=views.TeamRef(team.id, team.name, colour_of(session, team)),
        score=score_view(result, lang),
        timeline=_timeline(played, unanswered, records, scenario, lang),
        injects=_inject_table(scenario, played, records, lang),
        replies=_replies(scenario, records, session.lang),
        chat=_lines(records, "chat"),
        memos=_lines(records, "memo"),
        people=people,
        posts=played.posts,
    )


def session_debrief(session: DrillSession, lang: str | None = None) -> views.SessionDebrief:
    teams = tuple(team_debrief(session, t, lang) for t in session.teams)
    return views.SessionDebrief(
        session=views.SessionRef(
            session.id, session.name, session.lang, session.status, session.scenario_slug
        ),
        ranking=views.ranking(teams),
        teams=teams,
    )


def _cell(value: Any) -> str:
    """A CSV cell that French Excel reads as text, never as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(CSV_FORMULA) else text


def session_csv(session: DrillSession, posts: bool = False) -> bytes:
    """What a facilitator uses: each team's actions and scores, in time order (with `posts`,
    the posts of each team's world instead: tens of thousands of rows, see posts_csv_gz).
    UTF-8 with BOM, `;`."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            "team",
            "event",
            "t",
            "clock",
            "platform",
            "kind",
            "who",
            "target",
            "text",
            "detail",
            "approved_by",
        ]
    )
    for team in session.teams:
        result, _, records = team_score(session, team)
        who = _credited(records)
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
            for p in (team_posts(team) if posts else ())
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
                    who[r.id][0],
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
                    who[r.id][1] or "",
                ],
            )
            for r in (() if posts else records)
        ]
        for _, _, row in sorted(events, key=lambda e: (e[0], e[1])):
            t = row[1]
            writer.writerow(
                [_cell(team.name), row[0], f"{t:.3f}", clock_text(t), *(_cell(v) for v in row[2:])]
            )
        if posts:
            continue
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


def posts_csv_gz(session: DrillSession) -> bytes:
    """Every post of every team's world, the same columns, gzip-compressed (on request)."""
    return gzip.compress(session_csv(session, posts=True), mtime=0)
