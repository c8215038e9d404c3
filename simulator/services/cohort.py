"""The cohort: how a team did against every team of the trainer's ended sessions of the same
scenario (rank, percentile, median, best, per criterion), and the scenario-level list.

Each team's engine score is stored once in `TeamScore`, computed when a cohort page first
needs it: from the tallies the runner kept that is a few milliseconds a team; a session
recorded before tallies replays its storms (seconds), so a page computes at most
`COHORT_COMPUTE_PER_VIEW` teams, the viewed team first, and says how many are still to come.
Facilitators' overrides are never stored here: they are applied when read, the latest per
criterion, exactly as the debrief does (`aar.apply_overrides`), so they are always current.

Bump `VERSION` when scoring changes: every stored score is then computed again, lazily.
"""

from __future__ import annotations

import hashlib
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import DrillSession, ScoreOverride, Team, TeamScore, Trainer
from . import aar
from . import debrief as debriefs
from .views import CriterionView, ScoreView

VERSION = 2  # of the stored scores: bump it when scoring changes
COMPUTE_PER_VIEW = 60  # teams scored at most while rendering one page (app config overrides)
EPSILON = 0.005  # totals are rounded to 0.01: closer than this is a tie


class CohortError(LookupError):
    """No such team or scenario for this trainer: as good as missing."""


# -- stored scores ---------------------------------------------------------------------------


def yaml_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _utc(when: datetime | None) -> datetime | None:
    """SQLite gives naive datetimes back, PostgreSQL aware ones: compare both as naive UTC."""
    if when is None:
        return None
    return when.astimezone(UTC).replace(tzinfo=None) if when.tzinfo else when


def _fresh(row: TeamScore, session: DrillSession, hashed: str) -> bool:
    """Scored by this version, of this session (SQLite may give a deleted team's id again),
    on this scenario text, after the session ended."""
    ended = _utc(session.ended_at)
    return (
        row.version == VERSION
        and row.session_id == session.id
        and row.yaml_hash == hashed
        and (ended is None or _utc(row.computed_at) >= ended)
    )


def _fill(row: TeamScore, session: DrillSession, team: Team, hashed: str) -> TeamScore:
    result, _, _ = debriefs.team_score(session, team)
    row.team_id, row.session_id = team.id, session.id
    row.scenario_slug, row.yaml_hash, row.lang = session.scenario_slug, hashed, session.lang
    row.total, row.max, row.containment = result.total, result.max, result.containment
    row.criteria = [
        {
            "id": c.id,
            "points": c.points,
            "max": c.max,
            "label": {"fr": c.label.fr, "en": c.label.en},
        }
        for c in result.criteria
    ]
    row.version = VERSION
    row.computed_at = datetime.now(UTC)
    return row


def store(session: DrillSession, team: Team) -> TeamScore:
    """Compute one team's score and store it (replacing a stale one); commits."""
    hashed = yaml_hash(session.scenario_yaml)
    row = db.session.scalar(select(TeamScore).where(TeamScore.team_id == team.id))
    row = _fill(row or TeamScore(), session, team, hashed)
    db.session.add(row)
    try:
        db.session.commit()
    except IntegrityError:  # another worker stored it meanwhile: theirs is as good
        db.session.rollback()
        row = db.session.scalar(select(TeamScore).where(TeamScore.team_id == team.id))
    return row


def _stored(sessions: Sequence[DrillSession]) -> dict[int, TeamScore]:
    ids = [t.id for s in sessions for t in s.teams]
    if not ids:
        return {}
    rows = db.session.scalars(select(TeamScore).where(TeamScore.team_id.in_(ids)))
    return {r.team_id: r for r in rows}


def scores_for(
    sessions: Sequence[DrillSession], first: Team | None = None, budget: int | None = None
) -> tuple[dict[int, TeamScore], list[tuple[DrillSession, Team]]]:
    """The stored scores of these sessions' teams: ({team id: score}, the teams still missing).

    Missing or stale ones are computed, `first` before the others, at most `budget` of them
    (None: no limit). A session that has not ended is scored but not stored.
    """
    stored = _stored(sessions)
    scores: dict[int, TeamScore] = {}
    missing: list[tuple[DrillSession, Team]] = []
    for session in sessions:
        hashed = yaml_hash(session.scenario_yaml)
        for team in session.teams:
            row = stored.get(team.id)
            if row is not None and _fresh(row, session, hashed):
                scores[team.id] = row
            else:
                missing.append((session, team))
    missing.sort(key=lambda st: first is None or st[1].id != first.id)
    for session, team in missing[:budget]:
        if session.status == "ended":
            scores[team.id] = store(session, team)
        else:  # a score of a drill still going: shown, never kept
            scores[team.id] = _fill(TeamScore(), session, team, yaml_hash(session.scenario_yaml))
    return scores, [(s, t) for s, t in missing if t.id not in scores]


# -- the cohort ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    lang: str | None = None  # a language code, "all", or None: the team's session's
    version: int | None = None  # a version number, or None: every version
    scope: str = "earlier"  # earlier: sessions up to the team's own; all


def _when(session: DrillSession) -> datetime:
    return _utc(session.ended_at or session.started_at or session.created_at) or datetime.min


def _ended_sessions(trainer: Trainer, slug: str) -> list[DrillSession]:
    return list(
        db.session.scalars(
            select(DrillSession)
            .where(
                DrillSession.trainer_id == trainer.id,
                DrillSession.scenario_slug == slug,
                DrillSession.status == "ended",
            )
            .options(selectinload(DrillSession.teams))
        )
    )


def _versions(sessions: Iterable[DrillSession], current: str | None) -> dict[str, dict]:
    """Each scenario text the sessions used, numbered in the order they were first used."""
    out: dict[str, dict] = {}
    for s in sorted(sessions, key=_when):
        hashed = yaml_hash(s.scenario_yaml)
        v = out.setdefault(
            hashed,
            {"number": len(out) + 1, "sessions": 0, "first": _when(s), "last": _when(s)},
        )
        v["sessions"] += 1
        v["last"] = _when(s)
        v["library"] = hashed == current
    return out


def _overrides(team_ids: list[int]) -> dict[int, list[ScoreOverride]]:
    out: dict[int, list[ScoreOverride]] = defaultdict(list)
    if team_ids:
        rows = db.session.scalars(
            select(ScoreOverride)
            .where(ScoreOverride.team_id.in_(team_ids))
            .order_by(ScoreOverride.id)
        )
        for o in rows:
            out[o.team_id].append(o)
    return out


def _label(criterion: dict[str, Any], lang: str) -> str:
    label = criterion.get("label") or {}
    return label.get(lang) or label.get("fr") or criterion["id"]


def _row(session, team, score: TeamScore, overrides, version: dict) -> dict[str, Any]:
    stored = ScoreView(
        total=score.total,
        max=score.max,
        containment=score.containment,
        people={},
        criteria=tuple(
            CriterionView(c["id"], c["id"], c["points"], c["max"], ()) for c in score.criteria
        ),
        suggestions={},
    )
    view = aar.apply_overrides(stored, overrides)
    labels = {c["id"]: c.get("label") or {} for c in score.criteria}
    return {
        "team": {"id": team.id, "name": team.name},
        "session": {
            "id": session.id,
            "name": session.name,
            "lang": session.lang,
            "when": _when(session),
            "ended": session.status == "ended",
        },
        "version": version["number"],
        "total": view.total,
        "engine_total": score.total,
        "overridden": any(c.override is not None for c in view.criteria),
        "containment": score.containment,
        "criteria": {
            c.id: {
                "points": c.points,
                "max": c.max,
                "original": c.original,
                "label": labels[c.id],
            }
            for c in view.criteria
        },
    }


def standing(values: Sequence[float], mine: float | None) -> dict[str, Any]:
    """Median and best of `values`; with `mine` (one of them) its rank among them ("3rd of
    27": one more than the number of higher values) and its percentile: the share of the
    other values below it, ties counting half (none with a single value)."""
    values = [round(v, 2) for v in values]
    out: dict[str, Any] = {
        "count": len(values),
        "median": round(statistics.median(values), 2) if values else None,
        "best": max(values) if values else None,
        "worst": min(values) if values else None,
    }
    if mine is not None and values:
        mine = round(mine, 2)
        higher = sum(v > mine + EPSILON for v in values)
        lower = sum(v < mine - EPSILON for v in values)
        ties = len(values) - higher - lower - 1  # others equal to it
        out["rank"] = higher + 1
        out["percentile"] = (
            round(100 * (lower + ties / 2) / (len(values) - 1)) if len(values) > 1 else None
        )
        out["mine"] = mine
    return out


def _criteria(rows: list[dict], reference: list[dict[str, Any]], lang: str) -> list[dict]:
    """The criteria in the reference order, then any only other versions have."""
    seen: dict[str, dict] = {c["id"]: c for c in reference}
    for r in rows:
        for cid, c in r["criteria"].items():
            seen.setdefault(cid, {"id": cid, "max": c["max"], "label": c["label"]})
    return [{"id": c["id"], "label": _label(c, lang), "max": c["max"]} for c in seen.values()]


def _build(
    sessions: list[DrillSession],
    scores: dict[int, TeamScore],
    versions: dict[str, dict],
    me: Team | None,
    lang: str,
) -> dict[str, Any]:
    teams = [(s, t) for s in sessions for t in s.teams if t.id in scores]
    overrides = _overrides([t.id for _, t in teams])
    rows = [
        _row(s, t, scores[t.id], overrides.get(t.id, ()), versions[yaml_hash(s.scenario_yaml)])
        for s, t in teams
    ]
    rows.sort(key=lambda r: (-r["total"], r["session"]["when"], r["team"]["name"]))
    mine = next((r for r in rows if me is not None and r["team"]["id"] == me.id), None)
    total = standing([r["total"] for r in rows], mine["total"] if mine else None)
    for r in rows:
        r["rank"] = 1 + sum(o["total"] > r["total"] + EPSILON for o in rows)
        r["me"] = r is mine
    if mine is not None:
        reference = scores[me.id].criteria
    else:  # the latest version's criteria first
        latest = max(versions.values(), key=lambda v: v["number"], default=None)
        hashes = {h for h, v in versions.items() if latest and v["number"] == latest["number"]}
        reference = next(
            (scores[t.id].criteria for s, t in teams if yaml_hash(s.scenario_yaml) in hashes), []
        )
    criteria = _criteria(rows, reference, lang)
    for c in criteria:
        have = [r["criteria"][c["id"]]["points"] for r in rows if c["id"] in r["criteria"]]
        own = mine["criteria"].get(c["id"]) if mine else None
        c["standing"] = standing(have, own["points"] if own else None)
        c["mine"] = own
    return {"rows": rows, "me": mine, "standing": total, "criteria": criteria}


def _filter(sessions, versions, filters: Filters, own: DrillSession | None):
    chosen = []
    for s in sessions:
        if own is not None and s.id == own.id:
            chosen.append(s)  # the team's own session is always in its cohort
            continue
        if filters.lang not in (None, "all") and s.lang != filters.lang:
            continue
        version = versions[yaml_hash(s.scenario_yaml)]["number"]
        if filters.version is not None and version != filters.version:
            continue
        if own is not None and filters.scope == "earlier" and _when(s) > _when(own):
            continue
        chosen.append(s)
    return chosen


def _budget() -> int:
    return int(current_app.config.get("COHORT_COMPUTE_PER_VIEW", COMPUTE_PER_VIEW))


def _finish(
    sessions: list[DrillSession],
    chosen: list[DrillSession],
    versions: dict[str, dict],
    me: Team | None,
    lang: str,
) -> dict[str, Any]:
    scores, missing = scores_for(chosen, first=me, budget=_budget())
    data = _build(chosen, scores, versions, me, lang)
    data["pending"] = len(missing)
    data["versions"] = sorted(
        ({"hash": h[:8], **v} for h, v in versions.items()), key=lambda v: v["number"]
    )
    data["shown_versions"] = sorted({r["version"] for r in data["rows"]})
    data["languages"] = sorted({s.lang for s in sessions})
    data["sessions"] = len(chosen)
    data["all_sessions"] = len(sessions)
    return data


def team_cohort(
    trainer: Trainer,
    session: DrillSession,
    team: Team,
    filters: Filters = Filters(),
    lang: str = "fr",
    current_yaml: str | None = None,
) -> dict[str, Any]:
    """How `team` did against the trainer's teams of ended sessions of the same scenario.

    `lang` is for criteria labels; `current_yaml` the library's text of the scenario today
    (to say which version it is). Raises CohortError for another trainer's team.
    """
    if session.trainer_id != trainer.id or team.session_id != session.id:
        raise CohortError("no such team")
    sessions = _ended_sessions(trainer, session.scenario_slug)
    if all(s.id != session.id for s in sessions):
        sessions.append(session)  # not ended yet: compared, never stored
    versions = _versions(sessions, yaml_hash(current_yaml) if current_yaml else None)
    if filters.lang is None:
        filters = Filters(session.lang, filters.version, filters.scope)
    chosen = _filter(sessions, versions, filters, session)
    data = _finish(sessions, chosen, versions, team, lang)
    data["filters"] = filters
    data["own_version"] = versions[yaml_hash(session.scenario_yaml)]["number"]
    data["later"] = sum(1 for s in sessions if _when(s) > _when(session))
    return data


def scenario_cohort(
    trainer: Trainer,
    slug: str,
    filters: Filters = Filters(lang="all"),
    lang: str = "fr",
    current_yaml: str | None = None,
) -> dict[str, Any]:
    """Every team of the trainer's ended sessions of the scenario `slug`, ranked."""
    sessions = _ended_sessions(trainer, slug)
    versions = _versions(sessions, yaml_hash(current_yaml) if current_yaml else None)
    chosen = _filter(sessions, versions, Filters(filters.lang or "all", filters.version), None)
    data = _finish(sessions, chosen, versions, None, lang)
    data["filters"] = filters
    data["own_version"] = None
    data["later"] = 0
    return data


def latest_session(trainer: Trainer, slug: str) -> DrillSession | None:
    return db.session.scalar(
        select(DrillSession)
        .where(
            DrillSession.trainer_id == trainer.id,
            DrillSession.scenario_slug == slug,
            DrillSession.status == "ended",
        )
        .order_by(DrillSession.ended_at.desc())
        .limit(1)
    )
