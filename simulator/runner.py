"""The session runner: one background task per running session drives every team's storm.

Each tick (about 200 ms of wall time) it reads the controls logged since the last tick, asks
each team's storm for the posts of the elapsed simulated window, stores them, and sends each
team room ONE batch with the team's next sequence number (per-message fan-out costs 3-5x more
CPU). Once a second it sends the trainer an overview of every team.

Beside each team's storm it plays the same storm with none of the team's actions, so that
the debrief never has to replay one: teams that got the same controls share one such
"unanswered" storm (a control sent to one team forks it). Both are tallied (posts and
negative posts per minute, the injects' posts) and the tallies are stored each simulated
minute and when the session ends.

Exactly one worker drives a session: it holds a lease in the database, renewed every tick. A
worker that finds a running session whose lease has lapsed (its runner died, or the server
was restarted) rebuilds the storms from the record, puts the clock back where the last posts
were sent, and carries on: nothing that was sent is sent differently, nothing is lost.

Time is injected (`now`, `sleep`), so tests drive ticks with a fake clock.
"""

from __future__ import annotations

import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from math import ceil
from typing import Any

from flask import Flask

from . import radar as radars
from .engine.clock import Clock
from .engine.storm import Storm, post_dict
from .engine.tally import Tally
from .extensions import db, socketio
from .feed import Selector
from .models import DrillSession
from .presence import online_count
from .services import actions as acts
from .services import clock as session_clock
from .services import controls as session_controls
from .services import history, lease, messages, recording
from .services import sessions as svc
from .services.broadcast import PLAY, TRAINER, session_room, team_room, trainer_room
from .wallclock import clock_of
from .wallclock import now as wall_now

TICK = 0.2  # wall seconds between the starts of two ticks
OVERVIEW_EVERY = 1.0
SUPERVISE_EVERY = 1.0  # how often each worker looks for sessions nobody drives
RETELL_CLOCK = (0.2, 1.0)  # after a takeover, the clock is told again this long after
STATS_WINDOW = 15  # simulated minutes of history in the overview
SENT_RADARS = "stormdrill.radars"  # app.extensions: team id -> the radar its room was sent last


@dataclass
class TeamState:
    storm: Storm
    minutes: deque = field(default_factory=lambda: deque(maxlen=STATS_WINDOW))  # [min, n, neg]
    appeared: list[dict[str, Any]] = field(default_factory=list)  # must-escalate injects seen
    escalated: set[str] = field(default_factory=set)  # post ids the team escalated
    last_action: dict[str, Any] | None = None
    tally: Tally = field(default_factory=Tally)  # the whole storm so far
    unanswered: Unanswered | None = None
    selector: Selector = field(default_factory=Selector)  # what the team is shown
    listening: dict[int, radars.Minute] = field(default_factory=dict)  # the radar's minutes
    closed: dict[str, Any] = field(default_factory=dict)  # the radar's sums of past minutes
    seq: int = 0  # the team's last batch number (only the runner numbers batches)


@dataclass
class Unanswered:
    """The storm of one or more teams with the same controls and none of their actions."""

    storm: Storm
    tally: Tally
    controls: tuple[int, ...]  # ids of the controls it took, in order

    def advance(self, until: float) -> None:
        if until > self.storm.now:
            self.tally.extend(self.storm.advance(until), until)

    def fork(self) -> Unanswered:
        tally = Tally(self.tally.volume, self.tally.negative, self.tally.injects, self.tally.until)
        return Unanswered(self.storm.fork(), tally, self.controls)


def _controls_key(controls) -> tuple:
    """What makes two teams' unanswered storms the same: their controls, and when."""
    return tuple((i[0], i[3]) for i in controls)


def _at(t: float, now: float) -> float:
    """When a storm takes an input: not before its present, on a whole millisecond (the
    storm's own resolution), so that inputs taken at once keep their order when rebuilt."""
    return ceil(max(t, now) * 1000.0) / 1000.0


class LeaseLost(Exception):
    """Another worker drives the session now: this one's storms are dropped."""


class SessionRunner:
    """Drives one session's storms; `tick()` does one step and returns what it sent."""

    def __init__(
        self,
        session: DrillSession,
        owner: str,
        emit: Callable[..., None],
        pause: Callable[[float], None] | None = None,
    ):
        self.session_id = session.id
        self.owner = owner
        self.emit = emit
        # let the other greenlets in (pages, acks) between two teams' storms: a tick that
        # catches up several teams at a busy storm's peak holds the loop for seconds otherwise
        self.pause = pause or (lambda seconds: None)
        self.scenario = svc.scenario_of(session)
        self.brand = radars.brand_terms(self.scenario)
        self.applied_n = 0  # the place of the last input given to the storms
        self.teams: dict[int, TeamState] = {}
        self.last_overview = 0.0
        self.saved_until = -1.0  # the tallies are stored each simulated minute
        self.status: str | None = session.status  # as the last tick read it
        # wall times at which to tell the clock again: a client whose connection read the
        # clock just before a takeover corrected it may have been sent the old one after
        self.retell: list[float] = []
        self.sent_radars: dict[int, dict[str, Any]] = {}  # team id -> the radar last sent
        self._build(session)

    def _build(self, session: DrillSession) -> None:
        """Rebuild every team's storm from the record, up to what was already sent.

        Inputs the storms took are given again at the time and in the order they were taken
        (`applied_t`, `applied_n`); those still pending are taken now, numbered after them.
        """
        controls = session_controls.storm_controls(session.id)
        intensities = session_controls.intensity_controls(session.id)
        records = acts.storm_actions([t.id for t in session.teams])
        self.applied_n = max((i.applied_n or 0 for i in (*controls, *records)), default=0)
        until = {t.id: t.emitted_until for t in session.teams}
        latest = max(until.values(), default=0.0)
        taken_controls, taken_actions = [], []
        for c in controls:
            if c.applied_t is None:
                self.applied_n += 1
                taken_controls.append((c, latest, self.applied_n))
        for r in records:
            if r.applied_t is None:
                self.applied_n += 1
                taken_actions.append((r, until[r.team_id], self.applied_n))
        for c in intensities:
            if c.applied_t is None:
                self.applied_n += 1
                taken_controls.append((c, latest, self.applied_n))
        when = {("c", c.id): (at, n) for c, at, n in taken_controls}
        when |= {("a", r.id): (at, n) for r, at, n in taken_actions}
        unanswered: dict[tuple, Unanswered] = {}  # teams with the same controls share one
        for team in session.teams:
            inputs = []  # (time, place, kind, id, action)
            for c in controls:
                if c.team_id in (None, team.id):
                    at, n = when.get(("c", c.id), (c.applied_t, c.applied_n))
                    inputs.append(
                        (
                            at,
                            *session_controls.input_place(n, 0, c.id),
                            session_controls.control_action(c, at),
                        )
                    )
            for r in records:
                if r.team_id == team.id:
                    at, n = when.get(("a", r.id), (r.applied_t, r.applied_n))
                    inputs.append(
                        (at, *session_controls.input_place(n, 1, r.id), acts.engine_action(r, at))
                    )
            inputs.sort(key=lambda item: item[:4])
            storm = Storm(self.scenario, session.seed, session.lang, [i[-1] for i in inputs])
            state = TeamState(storm, selector=Selector(session.intensity), seq=team.seq)
            for c in intensities:
                if c.team_id in (None, team.id):
                    at = when.get(("c", c.id), (c.applied_t, None))[0]
                    state.selector.set_intensity(c.payload.get("intensity"), at)
            posts = storm.advance(team.emitted_until)
            for post in posts:
                self._count(state, post)
                state.tally.add(post)
            state.tally.until = team.emitted_until
            state.selector.feed(posts, team.emitted_until)  # chooses again what it chose
            state.selector.take_changed()
            self._listen(state, posts, team.emitted_until, {})
            alone = [i for i in inputs if i[2] == 0]
            state.unanswered = unanswered.get(inputs_key := _controls_key(alone))
            if state.unanswered is None or state.unanswered.storm.now != team.emitted_until:
                state.unanswered = Unanswered(
                    Storm(self.scenario, session.seed, session.lang, [i[-1] for i in alone]),
                    Tally(),
                    tuple(i[3] for i in alone),
                )
                state.unanswered.advance(team.emitted_until)
                unanswered[inputs_key] = state.unanswered
            for r in records:
                if r.team_id == team.id:
                    self._note_action(state, r)
            self.teams[team.id] = state
        session_controls.mark_applied(taken_controls)
        acts.mark_applied(taken_actions)

    def _note_action(self, state: TeamState, record) -> None:
        if record.type == "escalate" and record.target:
            state.escalated.add(record.target)
        state.last_action = {
            "type": record.type,
            "t": round(record.sim_t, 3),
            "by": record.participant.name,
        }

    def _count(self, state: TeamState, post) -> None:
        minute = int(post.t // 60)
        if not state.minutes or state.minutes[-1][0] != minute:
            state.minutes.append([minute, 0, 0])
        bucket = state.minutes[-1]
        bucket[1] += 1
        bucket[2] += post.sentiment == "negative"
        if post.inject:
            inject = next((i for i in self.scenario.injects if i.id == post.inject), None)
            if inject is not None and inject.must_escalate_to:
                state.appeared.append(
                    {
                        "inject": inject.id,
                        "post": post.id,
                        "t": post.t,
                        "role": inject.must_escalate_to,
                    }
                )

    def tick(self, now: float) -> dict[int, int]:
        """One step; returns {team id: posts sent}. Stores what it sends, the inputs the
        storms took and the renewal of the lease in one short transaction at the end (one
        commit per tick, not one per team), then sends. Raises LeaseLost if another worker
        drives the session now.

        Nothing is reloaded: the session's clock is four columns read each tick, the teams'
        numbers are kept here, and each post is turned into its dict once (for the batch,
        the radar and the record)."""
        session = recording.session_clock(self.session_id)
        self.status = None if session is None else session.status
        if session is None:
            return {}
        with db.session.no_autoflush:  # the marks are written with the posts, at the end:
            self._take_controls(self.session_id)  # the write lock is not held meanwhile
        clock = self._clock(session)
        until = clock.at(now)
        sent: dict[int, int] = {}
        outgoing: list[tuple[str, int, dict[str, Any]]] = []
        rows: list[dict[str, Any]] = []
        shown_later: list[tuple[int, str, int]] = []
        progress: list[tuple[int, int, float]] = []
        for n, (team_id, state) in enumerate(self.teams.items()):
            if until <= state.storm.now:
                continue
            if n:
                self.pause(0)  # nothing is written before the end of the tick
            posts = state.storm.advance(until)
            data = {}
            for post in posts:
                self._count(state, post)
                data[post.id] = post_dict(post)
            state.tally.extend(posts, until)
            self._listen(state, posts, until, data)
            shown = sorted(state.selector.feed(posts, until), key=lambda p: p.t)
            counts = state.selector.take_changed()
            if shown:
                state.seq += 1
            shown_ids = {p.id for p in shown}
            counted_on = state.selector.counted_on
            rows.extend(
                recording.post_row(
                    team_id, state.seq, p, data[p.id], counted_on(p), p.id in shown_ids
                )
                for p in posts
            )
            shown_later.extend((team_id, p.id, state.seq) for p in shown if p.id not in data)
            progress.append((team_id, state.seq, until))
            if not shown and not counts and not posts:
                continue
            totals = dict(state.selector.totals)
            if not shown:  # only counters moved: no batch number, nothing to resync
                outgoing.append(("counts", team_id, messages.counted(team_id, counts, totals)))
                continue
            batch = messages.posts(
                team_id,
                state.seq,
                [data.get(p.id) or post_dict(p) for p in shown],
                until=round(until, 3),
                counts=counts,
                totals=totals,
            )
            outgoing.append(("posts", team_id, batch))
            sent[team_id] = len(shown)
        for unanswered in {id(s.unanswered): s.unanswered for s in self.teams.values()}.values():
            if unanswered is not None:
                unanswered.advance(until)
        ending = session.status == "running" and until >= clock.end
        minute = int(until // 60)
        save = until != self.saved_until and (
            minute != int(self.saved_until // 60) or session.status != "running" or ending
        )
        if not recording.renew_lease(self.session_id, self.owner, now + lease.LEASE):
            raise LeaseLost(self.session_id)
        recording.store_tick(rows, shown_later, progress)
        if save:
            self._save_tallies()
        svc.commit()
        if save:
            self.saved_until = until  # only once saved: a failed save is tried again
        for event, team_id, payload in outgoing:
            self.emit(event, payload, to=team_room(team_id), namespace=PLAY)
        if ending:
            ended = session_clock.end(db.session.get(DrillSession, self.session_id))
            self.status = ended.status
            payload = svc.clock_payload(ended, now)
            self.emit("ended", payload, to=session_room(self.session_id), namespace=PLAY)
            self.emit("clock", payload, to=trainer_room(self.session_id), namespace=TRAINER)
            session = recording.session_clock(self.session_id) or session
        if self.retell and now >= self.retell[0]:
            self.retell.pop(0)
            self.tell_clock(session, now)
        if now - self.last_overview >= OVERVIEW_EVERY:
            self.last_overview = now
            figures = {  # each team's radar, computed once for its room and the trainer's tile
                team_id: radars.radar(state.listening, until, self.scenario.platforms, state.closed)
                for team_id, state in self.teams.items()
            }
            for team_id in self.teams:
                radar = {"team": team_id, **history.with_posts(team_id, figures[team_id])}
                self.sent_radars[team_id] = radar  # what a joining participant is shown
                self.emit("radar", radar, to=team_room(team_id), namespace=PLAY)
            self.emit(
                "overview",
                self.overview(session, until, figures),
                to=trainer_room(self.session_id),
                namespace=TRAINER,
            )
        return sent

    def _clock(self, session) -> Clock:
        return Clock(
            running=session.status == "running",
            speed=session.speed,
            sim=session.clock_sim,
            wall=session.clock_wall,
            end=self.scenario.duration,
        )

    def clock_payload(self, session, now: float) -> dict[str, Any]:
        """The clock as clients are told it (svc.clock_payload), from the session's row or
        the columns a tick read."""
        return {
            "status": session.status,
            "speed": session.speed,
            "sim": round(self._clock(session).at(now), 3),
            "wall": now,
            "end": self.scenario.duration,
        }

    def tell_clock(self, session, now: float) -> None:
        payload = self.clock_payload(session, now)
        self.emit("clock", payload, to=session_room(session.id), namespace=PLAY)
        self.emit("clock", payload, to=trainer_room(session.id), namespace=TRAINER)

    def _listen(self, state: TeamState, posts, until: float, data: dict[str, Any]) -> None:
        """Keep the radar's minute buckets of the last radar.WINDOW simulated minutes
        (`data`: the posts' dicts, by id, where already made)."""
        first = int(until // 60) - radars.WINDOW
        brand = self.brand
        for post in posts:
            if post.t // 60 > first:
                m = int(post.t // 60)
                d = data.get(post.id) or post_dict(post)
                state.listening.setdefault(m, radars.Minute(m)).add(d, brand)
        for m in [m for m in state.listening if m <= first]:
            del state.listening[m]

    def radar(self, team_id: int, until: float) -> dict[str, Any]:
        """The team's listening radar (simulator/radar.py), its viral posts looked up."""
        state = self.teams[team_id]
        figures = radars.radar(state.listening, until, self.scenario.platforms)
        return {"team": team_id, **history.with_posts(team_id, figures)}

    def _radar_tile(
        self, state: TeamState, until: float, figures: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """The figures of the team's radar that the trainer's tile shows."""
        if figures is None:
            figures = radars.radar(state.listening, until, self.scenario.platforms)
        return {
            **figures["now"],
            "rising": [r["term"] for r in figures["rising"][:3]],
            "alerts": [
                {k: v for k, v in alert.items() if k != "posts"} for alert in figures["alerts"]
            ],
        }

    def _save_tallies(self) -> None:
        """Each team's tallies (in the tick's transaction): the storm as played, and the same
        storm unanswered with the controls it was played with."""
        recording.store_tallies(
            (
                team_id,
                state.tally.to_json(),
                {**state.unanswered.tally.to_json(), "controls": list(state.unanswered.controls)},
            )
            for team_id, state in self.teams.items()
            if state.unanswered is not None
        )

    def _control_unanswered(self, control, at: float, targets: set[int]) -> None:
        """Give a control to the unanswered storms of the teams it reaches; one shared with
        teams it does not reach is forked first."""
        groups: dict[int, tuple[Unanswered, list[int]]] = {}
        for team_id, state in self.teams.items():
            if state.unanswered is not None:
                groups.setdefault(id(state.unanswered), (state.unanswered, []))[1].append(team_id)
        for unanswered, members in groups.values():
            reached = [t for t in members if t in targets]
            if not reached:
                continue
            if len(reached) < len(members):
                unanswered = unanswered.fork()
                for team_id in reached:
                    self.teams[team_id].unanswered = unanswered
            unanswered.storm.add_action(session_controls.control_action(control, at))
            unanswered.controls = (*unanswered.controls, control.id)

    def _take_controls(self, session_id: int) -> None:
        """Give the storms the controls and team actions no storm has taken yet: controls
        first, each in id order; each gets its time and its place in that order recorded."""
        now = max((state.storm.now for state in self.teams.values()), default=0.0)
        applied = []
        for control in session_controls.storm_controls(session_id, pending=True):
            targets = {t for t in self.teams if control.team_id in (None, t)}
            if not targets:
                continue
            at = _at(control.sim_t, now)
            for team_id in targets:
                self.teams[team_id].storm.add_action(session_controls.control_action(control, at))
            self._control_unanswered(control, at, targets)
            self.applied_n += 1
            applied.append((control, at, self.applied_n))
        for control in session_controls.intensity_controls(session_id, pending=True):
            for team_id, state in self.teams.items():
                if control.team_id in (None, team_id):
                    state.selector.set_intensity(control.payload.get("intensity"), now)
            self.applied_n += 1
            applied.append((control, now, self.applied_n))
        if applied:
            session_controls.mark_applied(applied, commit=False)  # with the tick's posts
        taken = []
        for record in acts.storm_actions(list(self.teams), pending=True):
            state = self.teams[record.team_id]
            at = _at(record.sim_t, state.storm.now)
            state.storm.add_action(acts.engine_action(record, at))
            self._note_action(state, record)
            self.applied_n += 1
            taken.append((record, at, self.applied_n))
        if taken:
            acts.mark_applied(taken, commit=False)

    def overview(
        self, session, until: float, radars_of: dict[int, dict[str, Any]] | None = None
    ) -> dict[str, Any]:
        """Every team at a glance, for the trainer (`session`: its row, or the columns a
        tick read); the teams' names and difficulty are read, nothing else."""
        teams = []
        current = int(until // 60)
        for team in recording.team_rows(session.id):
            state = self.teams.get(team.id)
            minutes = list(state.minutes) if state else []
            recent = [m for m in minutes if m[0] > current - 5]
            n = sum(m[1] for m in recent)
            neg = sum(m[2] for m in recent)
            teams.append(
                {
                    "id": team.id,
                    "name": team.name,
                    "per_minute": round(n / max(1, min(5, current + 1)), 1),
                    "negative": round(neg / n, 3) if n else 0.0,
                    "series": [{"minute": m[0], "posts": m[1], "negative": m[2]} for m in minutes],
                    "open_injects": [i for i in state.appeared if i["post"] not in state.escalated]
                    if state
                    else [],
                    "online": online_count(team.id),
                    "volume": team.volume,
                    "aggression": team.aggression,
                    "last_action": state.last_action if state else None,
                    "radar": self._radar_tile(state, until, (radars_of or {}).get(team.id))
                    if state
                    else None,
                }
            )
        clock = self.clock_payload(session, wall_now())
        return {"session": session.id, "clock": clock, "teams": teams}


class Runner:
    """Keeps one background task per running session in this worker."""

    def __init__(self, app: Flask, sleep: Callable[[float], None] | None = None):
        self.app = app
        self.sleep = sleep or socketio.sleep
        self.owner = f"{uuid.uuid4().hex[:12]}"
        self.sessions: dict[int, SessionRunner] = {}
        self.tasks: set[int] = set()

    def now(self) -> float:
        """The app's wall clock (simulator/wallclock.py), the one the services read."""
        return clock_of(self.app).now()

    def emit(self, event: str, data: Any, **kw: Any) -> None:
        socketio.emit(event, data, **kw)

    def claim(self, session_id: int, *, force: bool = False) -> SessionRunner | None:
        """Take the lease of a session (if free or ours, or if `force`) and build its runner.

        Taking over from another worker (it died, or this server was restarted) puts the
        clock back where the last posts were sent, and tells every client the clock.
        """
        now = self.now()
        previous = lease.holder(session_id)
        if not lease.take(session_id, self.owner, now, force=force):
            return None
        session = db.session.get(DrillSession, session_id)
        db.session.refresh(session)
        runner = self.sessions.get(session_id)
        takeover = runner is None and previous not in (None, self.owner)
        if takeover and session.status == "running":
            session_clock.recover_clock(
                session, min((t.emitted_until for t in session.teams), default=0.0)
            )
        if runner is None:
            runner = SessionRunner(session, self.owner, self.emit, self.sleep)
            runner.sent_radars = self.app.extensions.setdefault(SENT_RADARS, {})
            self.sessions[session_id] = runner
            if takeover:
                runner.tell_clock(session, now)
                runner.retell = [now + after for after in RETELL_CLOCK]
        return runner

    def overview_of(self, session: DrillSession) -> dict[str, Any]:
        """{"overview": every team at a glance} if this worker drives the session, else {}."""
        active = self.sessions.get(session.id)
        if active is None:
            return {}
        return {"overview": active.overview(session, svc.clock_of(session).at(self.now()))}

    def renew(self, session_id: int) -> bool:
        return lease.renew(session_id, self.owner, self.now())

    def release(self, session_id: int) -> None:
        lease.release(session_id, self.owner)
        self.sessions.pop(session_id, None)

    def ensure(self, session_id: int, *, force: bool = False) -> None:
        """Drive this session from a background task, unless one already does."""
        if session_id in self.tasks:
            return
        if self.claim(session_id, force=force) is None:
            return
        if not self.app.config.get("RUNNER_BACKGROUND", True):
            return  # tests drive ticks themselves
        self.tasks.add(session_id)
        socketio.start_background_task(self._loop, session_id)

    def _loop(self, session_id: int) -> None:
        """Tick every TICK seconds of wall time (a tick's own work included: the clients'
        clocks run on, and what a dead worker had not sent is at most one tick)."""
        due = self.now()
        try:
            while True:
                due += TICK
                self.sleep(max(0.0, due - self.now()))
                due = max(due, self.now() - TICK)  # behind: carry on, without a burst
                with self.app.app_context():
                    try:
                        runner = self.sessions.get(session_id)
                        if runner is None:
                            return
                        runner.tick(self.now())  # renews the lease with what it stores
                        if runner.status in (None, "ended"):
                            self.release(session_id)
                            return
                    except LeaseLost:  # another worker drives it: its storms are the truth
                        db.session.rollback()
                        self.sessions.pop(session_id, None)
                        return
                    except Exception:  # keep the drill alive: rebuilt from the record
                        db.session.rollback()
                        self.app.logger.exception("runner tick failed for session %s", session_id)
                        # the storms may have moved past what was stored: the supervisor
                        # claims the session again and rebuilds them from the record
                        self.sessions.pop(session_id, None)
                    finally:
                        db.session.remove()
        finally:
            self.tasks.discard(session_id)

    def supervise(self, every: float = SUPERVISE_EVERY) -> None:
        """Background loop: drive every running or paused session nobody drives.

        On SQLite only one process serves the database: at start-up, a lease still held is
        the previous run's, and the sessions are taken over at once instead of when it lapses.
        """
        with self.app.app_context():
            restarted = db.engine.dialect.name == "sqlite"
        while True:
            with self.app.app_context():
                try:
                    for session_id in lease.undriven(self.owner, self.now(), every=restarted):
                        self.ensure(session_id, force=restarted)
                    restarted = False
                except Exception:
                    db.session.rollback()
                    self.app.logger.exception("runner supervisor failed")
                finally:
                    db.session.remove()
            self.sleep(every)


def get_runner(app: Flask) -> Runner:
    return app.extensions["stormdrill.runner"]


def init_app(app: Flask) -> Runner:
    runner = Runner(app)
    app.extensions["stormdrill.runner"] = runner
    return runner
