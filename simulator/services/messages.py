"""The payloads clients are sent, built in one place: the runner, the socket handlers, the
broadcaster and the REST API all send these dicts (see docs/protocol.md for each event).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from flask import current_app, url_for

from ..models import ActionRecord, Control, DrillSession, Participant, Team
from ..presence import online_ids
from . import actions as acts
from . import history
from . import sessions as svc


def clock(session: DrillSession, now: float | None = None) -> dict[str, Any]:
    """`clock` (and `ended`): the session's clock as of `now` (the app's clock if None)."""
    return svc.clock_payload(session, now)


def participant(p: Participant) -> dict[str, Any]:
    """A participant as the trainer (control room, REST) sees them."""
    return {
        "id": p.id,
        "name": p.name,
        "team": p.team_id,
        "role": p.role,
        "online": p.team_id is not None and p.id in online_ids(p.team_id),
    }


def lobby(session: DrillSession) -> dict[str, Any]:
    """`lobby`: the teams and who is in each."""
    return {
        "session": session.id,
        "teams": [{"id": t.id, "name": t.name} for t in session.teams],
        "participants": [participant(p) for p in session.participants if not p.removed],
    }


def action(record: ActionRecord) -> dict[str, Any]:
    """`action`: one stored action, as teammates see it."""
    return acts.view(record)


def actions(records: Iterable[ActionRecord]) -> dict[str, Any]:
    """`actions`: the team's actions, in order."""
    return {"actions": [acts.view(r) for r in records]}


def action_ack(record: ActionRecord, duplicate: bool) -> dict[str, Any]:
    """The acknowledgement of an `action` event (without `ok`)."""
    return {
        "action": {"id": record.id, "seq": record.seq, "status": record.status},
        "duplicate": duplicate,
    }


def posts(team_id: int, seq: int, batch: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """`posts`: one batch of a team's posts with its number (and, from the runner, `until`,
    `counts` and `totals`)."""
    return {"team": team_id, "seq": seq, "posts": batch, **extra}


def counted(team_id: int, counts: dict[str, Any], totals: dict[str, Any]) -> dict[str, Any]:
    """`counts`: share and reply counters that moved, and the team's totals."""
    return {"team": team_id, "counts": counts, "totals": totals}


def counts(team_id: int, post_ids: Iterable[str]) -> dict[str, Any]:
    """`counts` as stored: the counters of these posts, and the team's totals."""
    return counted(team_id, history.counts(team_id, post_ids), history.totals(team_id))


def notice(control: Control) -> dict[str, Any]:
    """`notice`: a notice or phone call from the trainer."""
    return {
        "id": control.id,
        "kind": control.payload["kind"],
        "text": control.payload["text"],
        "sim": round(control.sim_t, 3),
    }


def moved(p: Participant) -> dict[str, Any]:
    """`moved` / `removed`: where the trainer put a participant."""
    return {"participant": p.id, "team": p.team_id, "role": p.role}


RADAR_FRESH = 60.0  # simulated seconds: a radar the runner sent is shown if no older


def _radar(s, team: Team) -> dict[str, Any]:
    """The team's radar: the one the runner last sent to its room, if this worker's runner
    sent it lately (a joining participant sees what teammates see, without 15 minutes of
    stored posts read back per join); else computed from the stored posts."""
    sent = current_app.extensions.get("stormdrill.radars", {}).get(team.id)
    if sent is not None and 0.0 <= team.emitted_until - sent["until"] <= RADAR_FRESH:
        return sent
    return history.radar(team.id, team.emitted_until, svc.scenario_of(s))


def snapshot(p: Participant) -> dict[str, Any]:
    """`snapshot`: the workspace as it stands: the latest posts of each column (at most
    SNAPSHOT_PER_PLATFORM each), the key posts (at most history.KEY_POSTS), their counters,
    the posts per column and every action of the team."""
    s = p.session
    team = p.team
    records = acts.team_actions(team.id) if team else []
    latest = svc.snapshot_posts(team.id) if team else []
    marked = [a.target for a in records if a.type == "tag" and a.tag == "handle" and a.target]
    key = history.key_posts(team.id, marked) if team else []
    ids = {post["id"] for post in [*latest, *key]}
    return {
        "participant": {"id": p.id, "name": p.name, "role": p.role},
        "team": {"id": team.id, "name": team.name} if team else None,
        "session": {"id": s.id, "name": s.name, "lang": s.lang, "status": s.status},
        "clock": clock(s),
        "seq": team.seq if team else 0,
        "posts": latest,
        "key_posts": key,
        "counts": history.counts(team.id, ids) if team else {},
        "totals": history.totals(team.id) if team else {},
        "radar": _radar(s, team) if team else None,
        "actions": [acts.view(a) for a in records],
    }


# -- what the REST API answers (docs/api.md) ---------------------------------------------


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def scenario_view(slug: str, scenario, source: str, detail: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": slug,
        "title": {"fr": scenario.title.fr, "en": scenario.title.en},
        "severity": scenario.severity,
        "duration_minutes": round(scenario.duration / 60, 2),
        "languages": list(scenario.languages),
        "injects": len(scenario.injects),
        "platforms": list(scenario.platforms),
        "source": source,
    }
    if detail:
        out.update(
            synopsis={"fr": scenario.synopsis.fr, "en": scenario.synopsis.en},
            crisis_type=scenario.crisis_type,
            phases=[
                {"id": p.id, "start": p.start, "title": {"fr": p.title.fr, "en": p.title.en}}
                for p in scenario.phases
            ],
            roles=[
                {
                    "id": r.id,
                    "title": {"fr": r.title.fr, "en": r.title.en},
                    "approval_by": r.approval_by,
                }
                for r in scenario.roles
            ],
            personas=[
                {
                    "id": p.id,
                    "archetype": p.archetype,
                    "label": {"fr": p.label.fr, "en": p.label.en},
                }
                for p in scenario.personas
            ],
            scripted_injects=[
                {
                    "id": i.id,
                    "time": i.time,
                    "platform": i.platform,
                    "persona": i.persona,
                    "optional": i.optional,
                }
                for i in scenario.injects
            ],
        )
    return out


def present(session: DrillSession) -> list[Participant]:
    return [p for p in session.participants if not p.removed]


def team_view(team: Team, participants: list[Participant]) -> dict[str, Any]:
    return {
        "id": team.id,
        "name": team.name,
        "volume": team.volume,
        "aggression": team.aggression,
        "participants": sum(p.team_id == team.id for p in participants),
    }


def session_view(session: DrillSession, detail: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": session.id,
        "name": session.name,
        "scenario": session.scenario_slug,
        "scenario_version": session.scenario_version,
        "lang": session.lang,
        "seed": session.seed,
        "status": session.status,
        "speed": session.speed,
        "team_choice": session.team_choice,
        "intensity": session.intensity,
        "join_code": session.join_code,
        "created_at": iso(session.created_at),
        "started_at": iso(session.started_at),
        "ended_at": iso(session.ended_at),
    }
    if detail:
        participants = present(session)
        out.update(
            join_url=url_for("play.join", code=session.join_code, _method="GET", _external=True),
            clock=clock(session),
            teams=[team_view(t, participants) for t in session.teams],
            participants=[participant(p) for p in participants],
        )
    return out


def session_state(session: DrillSession, posts: dict[int, int]) -> dict[str, Any]:
    """A session's state: its clock, and per team how far the runner has sent its storm (the
    last batch, up to when) and how many posts it stored (`posts`: per team id)."""
    participants = present(session)
    return {
        "session": session.id,
        "status": session.status,
        "clock": clock(session),
        "participants": len(participants),
        "teams": [
            {
                **team_view(t, participants),
                "seq": t.seq,
                "emitted_until": t.emitted_until,
                "posts": posts.get(t.id, 0),
            }
            for t in session.teams
        ],
    }
