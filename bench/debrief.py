"""How long the debrief of a 10-team session of the most extreme scenario takes to compute.

The teams' storms are what the session recorded (generated here beforehand, not timed: the
debrief reads them from the database). Timed: the counterfactual storm (the same storm with
no team action, once for the session: teams share the seed) and scoring every team against it.
Medians of several runs, next to the storm engine's own time for one team as a baseline.

    .venv/bin/python bench/debrief.py [--runs 3] [--teams 10]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.storm import most_extreme  # noqa: E402
from simulator.engine.actions import Action  # noqa: E402
from simulator.engine.loader import load_directory  # noqa: E402
from simulator.engine.scoring import score  # noqa: E402
from simulator.engine.storm import iter_posts  # noqa: E402


def team_actions(scenario, n: int) -> list[Action]:
    """A different, plausible action log per team: faster or slower, better or worse."""
    text = scenario.playbook[-1].text("fr")
    lag = 60.0 * (1 + n)
    actions = [Action(t=60.0 * (3 + 4 * n), type="memo", text="Point de situation", id=f"m{n}")]
    for i, inject in enumerate(scenario.scheduled_injects):
        if inject.must_escalate_to and (i + n) % 3:
            actions.append(
                Action(
                    t=inject.time + lag,
                    type="escalate",
                    target=inject.post_id,
                    role=inject.must_escalate_to,
                    severity=inject.severity,
                    id=f"e{n}-{i}",
                )
            )
        if {"reply", "holding_statement"} & set(inject.expected_actions) and (i + n) % 2:
            actions.append(
                Action(
                    t=inject.time + lag + 60,
                    type="reply",
                    target=inject.post_id,
                    text=text,
                    id=f"r{n}-{i}",
                )
            )
    return sorted(actions, key=lambda a: a.t)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--teams", type=int, default=10)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    scenarios, _ = load_directory(ROOT / "scenarios")
    scenario = most_extreme(scenarios)
    logs = [team_actions(scenario, n) for n in range(args.teams)]
    recorded = [list(iter_posts(scenario, args.seed, "fr", log)) for log in logs]
    counterfactual_times, scoring_times, totals = [], [], []
    for _ in range(args.runs):
        start = time.perf_counter()
        baseline = list(iter_posts(scenario, args.seed, "fr", ()))
        middle = time.perf_counter()
        scores = [
            score(scenario, posts, log, baseline, "fr")
            for posts, log in zip(recorded, logs, strict=True)
        ]
        end = time.perf_counter()
        counterfactual_times.append(middle - start)
        scoring_times.append(end - middle)
        totals.append(end - start)
    posts = sum(len(p) for p in recorded)
    print(
        f"scenario          {scenario.id} (severity {scenario.severity}), {args.teams} teams, "
        f"{posts:,} recorded posts"
    )
    print(
        f"counterfactual    median {statistics.median(counterfactual_times):.2f} s "
        f"(one storm with no action, shared by every team)"
    )
    print(
        f"scoring           median {statistics.median(scoring_times):.2f} s for "
        f"{args.teams} teams ({statistics.median(scoring_times) / args.teams * 1000:.0f} ms "
        f"a team)"
    )
    print(
        f"debrief in all    median {statistics.median(totals):.2f} s (goal: under 1 s on one core)"
    )
    print(f"scores            {', '.join(f'{s.total:.0f}' for s in scores)}")
    print(f"containment       {', '.join(f'{s.containment:.0%}' for s in scores)}")


if __name__ == "__main__":
    main()
