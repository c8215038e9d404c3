"""How long a "what if" takes, before (the team's storm replayed from minute 0 with the
changed actions) and after (from the snapshot of the team's storm before the first change,
services/fork.py), for fork times across the drill.

product-recall (the issue's figure: about 2.5 s a what-if), one team's plausible action log
(bench/debrief.py). Each fork moves the team's first action at or after the fork time ten
minutes later. Medians of several runs; the snapshots are made once per team (their cost is
printed: the first what-if of a team pays it) and kept.

    .venv/bin/python bench/fork.py [--runs 3] [--scenario product-recall]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.debrief import team_actions  # noqa: E402
from simulator.engine.actions import action_from_json  # noqa: E402
from simulator.engine.loader import load_directory  # noqa: E402
from simulator.engine.storm import Storm  # noqa: E402
from simulator.engine.tally import Tally  # noqa: E402
from simulator.services import fork as forks  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--scenario", default="product-recall")
    args = parser.parse_args()
    scenarios, _ = load_directory(ROOT / "scenarios")
    scenario = next(s for s in scenarios if s.id == args.scenario)
    text = (ROOT / "scenarios" / f"{scenario.id}.yaml").read_text()
    until = scenario.duration
    session = SimpleNamespace(id=1, scenario_yaml=text, seed=args.seed, lang="fr")
    team = SimpleNamespace(id=1, emitted_until=until)
    forks.svc.scenario_of = lambda _session: scenario  # the bench has no database
    actions = [
        action_from_json({**a, "id": f"a{i}"}) for i, a in enumerate(team_actions(scenario, 1))
    ]
    played = Tally.of(Storm(scenario, args.seed, "fr", actions).advance(until), until=until)
    start = time.perf_counter()
    forks._snapshots_of(session, team, actions)
    made = time.perf_counter() - start
    print(f"{scenario.id}, {until / 60:.0f} simulated minutes, {len(actions)} actions")
    print(f"  snapshots of the team's storm, once per team   {made:6.2f} s")
    print("  fork at   before (from 0)   after (snapshot)   ratio")
    for minute in (15, 30, 45, 60, 90, 105):
        at = minute * 60.0
        target = next((a for a in actions if a.t >= at), None)
        if target is None:
            continue
        what_if = sorted(
            [replace(a, t=a.t + 600) if a is target else a for a in actions], key=lambda a: a.t
        )
        before, after = [], []
        for _ in range(args.runs):
            t = time.perf_counter()
            old = Tally.of(Storm(scenario, args.seed, "fr", what_if).advance(until), until=until)
            before.append(time.perf_counter() - t)
            t = time.perf_counter()
            new = forks._forked(session, team, actions, what_if, [target.t], played)
            after.append(time.perf_counter() - t)
        assert old == new, minute  # the same storm, counted the same
        b, a = statistics.median(before), statistics.median(after)
        print(f"  {minute:4d} min   {b:10.2f} s     {a:10.2f} s      {b / a:5.1f}")


if __name__ == "__main__":
    main()
