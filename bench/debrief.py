"""How long the debrief of a 10-team session of the most extreme scenario takes to compute.

A whole drill is played first, as the server plays it: the session runner, a SQLite database,
ten teams each acting differently (a different action log per team), the clock driven by
hand a simulated minute per tick. The runner plays each team's storm and, alongside, the
same storm with none of the team's actions (the counterfactual), and keeps a tally of both;
what that costs during the drill is measured and printed. Then, timed, medians of several
runs:

- the debrief as the trainer's page computes it (scores with reasons, timelines, injects,
  replies, after-action review) for the ten teams, reading the tallies the runner kept;
- once, the same with the tallies gone (a session recorded before tallies existed): every
  post sent is read back and the counterfactual storm is played, once for the teams that
  got the same controls;
- the bare counterfactual storm, as the baseline of the same run.

    .venv/bin/python bench/debrief.py [--runs 5] [--teams 10] [--seed 2026]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.storm import most_extreme  # noqa: E402
from simulator import create_app  # noqa: E402
from simulator.config import TestingConfig  # noqa: E402
from simulator.engine.loader import load_directory  # noqa: E402
from simulator.engine.storm import iter_posts  # noqa: E402
from simulator.extensions import db  # noqa: E402
from simulator.models import ActionRecord, DrillSession, Trainer  # noqa: E402
from simulator.runner import Runner, Unanswered  # noqa: E402
from simulator.services import aar  # noqa: E402
from simulator.services import clock as session_clock  # noqa: E402
from simulator.services import debrief as debriefs  # noqa: E402
from simulator.services import participants as session_people  # noqa: E402
from simulator.services import sessions as svc  # noqa: E402
from simulator.wallclock import set_clock  # noqa: E402


class Wall:
    def __init__(self) -> None:
        self.t = 1_000_000.0

    def now(self) -> float:
        return self.t


def team_actions(scenario, n: int) -> list[dict]:
    """A different, plausible action log per team: faster or slower, better or worse."""
    text = scenario.playbook[-1].text("fr")
    lag = 60.0 * (1 + n)
    actions = [{"t": 60.0 * (3 + 4 * n), "type": "memo", "text": "Point de situation"}]
    for i, inject in enumerate(scenario.scheduled_injects):
        if inject.must_escalate_to and (i + n) % 3:
            actions.append(
                {
                    "t": inject.time + lag,
                    "type": "escalate",
                    "target": inject.post_id,
                    "role": inject.must_escalate_to,
                    "severity": inject.severity,
                }
            )
        if {"reply", "holding_statement"} & set(inject.expected_actions) and (i + n) % 2:
            actions.append(
                {
                    "t": inject.time + lag + 60,
                    "type": "reply",
                    "target": inject.post_id,
                    "text": text,
                }
            )
    return sorted(actions, key=lambda a: a["t"])


class Clocked:
    """Wall time spent in one method, summed (the runner's share of a tick)."""

    def __init__(self, cls, name: str) -> None:
        self.seconds = 0.0
        original = getattr(cls, name)

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start

        setattr(cls, name, timed)


def play_drill(app, scenario, teams: int, seed: int, wall: Wall) -> tuple[int, dict[str, float]]:
    """The whole drill through the runner; returns the session id and where the time went."""
    unanswered = Clocked(Unanswered, "advance")
    with app.app_context():
        db.create_all()
        trainer = Trainer(name="bench", password_hash="x")
        db.session.add(trainer)
        db.session.commit()
        session = svc.create_session(
            trainer,
            svc.NewSession(
                scenario.id,
                (ROOT / "scenarios" / f"{scenario.id}.yaml").read_text(),
                "fr",
                30.0,
                seed,
                [f"Team {n + 1}" for n in range(teams)],
            ),
        )
        sid = session.id
        people = []
        for n, team in enumerate(session.teams):
            participant, _ = session_people.join(
                session.join_code, f"P{n}", team.id, "comms_director"
            )
            people.append((participant.id, team.id, team_actions(scenario, n)))
        session_clock.start(session)
    runner = Runner(app)
    start = time.perf_counter()
    with app.app_context():
        session_runner = runner.claim(sid)
        minute, seqs = 0.0, [0] * teams
        while True:
            minute += 60.0
            for n, (pid, tid, log) in enumerate(people):
                for i, a in enumerate(log):
                    if minute - 60.0 <= a["t"] < minute:
                        seqs[n] += 1
                        db.session.add(
                            ActionRecord(
                                team_id=tid,
                                participant_id=pid,
                                key=f"k{i}",
                                seq=seqs[n],
                                type=a["type"],
                                target=a.get("target"),
                                text=a.get("text", ""),
                                role=a.get("role"),
                                severity=a.get("severity"),
                                engine=True,
                                sim_t=a["t"],
                            )
                        )
            db.session.commit()
            wall.t += 60.0 / 30.0
            session_runner.tick(wall.t)
            db.session.expire_all()
            if db.session.get(DrillSession, sid).status == "ended":
                break
    drill = time.perf_counter() - start
    return sid, {"drill": drill, "unanswered": unanswered.seconds}


def debrief_page(app, sid: int) -> dict:
    with app.app_context():
        session = db.session.get(DrillSession, sid)
        return aar.decorate(session, debriefs.session_debrief(session))


def forget_tallies(app, sid: int) -> None:
    with app.app_context():
        for team in db.session.get(DrillSession, sid).teams:
            team.played = team.unanswered = None
        db.session.commit()
    debriefs._recent.clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--teams", type=int, default=10)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    scenarios, _ = load_directory(ROOT / "scenarios")
    scenario = most_extreme(scenarios)
    with tempfile.TemporaryDirectory() as tmp:
        config = TestingConfig()
        config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp}/bench.db"
        app = create_app(config)
        wall = Wall()
        set_clock(app, wall)
        sid, spent = play_drill(app, scenario, args.teams, args.seed, wall)
        with app.app_context():
            session = db.session.get(DrillSession, sid)
            posts = sum(t.played["volume"] and sum(t.played["volume"]) for t in session.teams)
            distinct = len({str(t.unanswered["controls"]) for t in session.teams})
        warm, cold, bare = [], [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            data = debrief_page(app, sid)
            warm.append(time.perf_counter() - start)
        forget_tallies(app, sid)  # once: it reads every post sent, a minute or two
        start = time.perf_counter()
        cold_data = debrief_page(app, sid)
        cold.append(time.perf_counter() - start)
        for _ in range(args.runs):
            start = time.perf_counter()
            sum(1 for _ in iter_posts(scenario, args.seed, "fr", ()))
            bare.append(time.perf_counter() - start)
    assert cold_data == data, "the debrief from the runner's tallies differs from a replay"
    w, c, b = (statistics.median(x) for x in (warm, cold, bare))
    print(
        f"scenario          {scenario.id} (severity {scenario.severity}), {args.teams} teams, "
        f"{posts:,} posts sent in the drill, {distinct} unanswered storm(s)"
    )
    print(
        f"during the drill  the unanswered storm took {spent['unanswered']:.2f} s of the "
        f"runner's {spent['drill']:.1f} s ({spent['unanswered'] / spent['drill']:.0%}; "
        f"{spent['unanswered'] / (scenario.duration / 60) * 1000:.0f} ms per simulated minute)"
    )
    print(
        f"debrief           median {w:.3f} s for {args.teams} teams, from the runner's tallies "
        f"(goal: under 1 s on one core)"
    )
    print(
        f"without tallies   {c:.1f} s, once (every post sent read back, the counterfactual "
        f"replayed: a session recorded before tallies)"
    )
    print(
        f"baseline          median {b:.2f} s for one bare counterfactual storm; debrief / "
        f"baseline = {w / b:.2f}"
    )
    totals = [team.score.total for team in data.teams]
    contained = [team.score.containment for team in data.teams]
    print(f"scores            {', '.join(f'{x:.0f}' for x in totals)}")
    print(f"containment       {', '.join(f'{x:.0%}' for x in contained)}")


if __name__ == "__main__":
    main()
