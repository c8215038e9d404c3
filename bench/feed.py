"""What a team reads of each shipped scenario at each intensity (simulator/feed.py).

For every shipped scenario, its whole storm (seed 2026 by default, no team action) is fed to
the selector the way the runner feeds it (in ticks of 2 simulated seconds: 200 ms at 10x),
and the bench prints:

- world: every post of the team's world (recorded, counted, searchable);
- readable: the posts a person could read (plain shares left out: they are counters);
- shown: the posts sent to the team, in all;
- peak/col/min: posts shown per column per simulated minute at the storm's peak: the busiest
  column over the busiest 10 simulated minutes, divided by 10 (the key posts included);
- max/col/min: the most posts one column showed in any single simulated minute;
- at 10x per person: shown per real minute at the peak in the whole workspace, for a team of
  five (10 simulated minutes per real minute).

Then the cost of choosing: the selector's time against the storm's own generation time
(medians of --runs runs, in the same run), so the figure holds on a noisy machine.

    .venv/bin/python bench/feed.py [--runs 3] [--seed 2026] [--scenario ID]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simulator.engine.loader import load_directory  # noqa: E402
from simulator.engine.storm import Storm  # noqa: E402
from simulator.feed import DEFAULT_INTENSITY, INTENSITIES, Selector, is_plain_share  # noqa: E402

TICK = 2.0  # simulated seconds per runner tick at 10x
TEAM = 5


def storm_posts(scenario, seed):
    storm = Storm(scenario, seed, scenario.languages[0], [])
    posts = []
    t = 0.0
    end = scenario.duration or 4 * 3600
    start = time.perf_counter()
    while t < end:
        t = min(end, t + TICK)
        posts.append((t, storm.advance(t)))
    return posts, time.perf_counter() - start


def select(ticks, intensity):
    selector = Selector(intensity)
    shown = []
    start = time.perf_counter()
    for until, batch in ticks:
        shown += selector.feed(batch, until)
    return shown, time.perf_counter() - start


def figures(ticks, shown, columns):
    world = sum(len(b) for _, b in ticks)
    readable = sum(1 for _, b in ticks for p in b if not is_plain_share(p))
    per_minute = Counter((p.platform, int(p.t // 60)) for p in shown)
    per_ten = Counter((p.platform, int(p.t // 600)) for p in shown)
    peak = max(per_ten.values(), default=0) / 10
    busiest = max(per_minute.values(), default=0)
    # the whole workspace at its busiest 10 simulated minutes (= one real minute at 10x)
    workspace = max(Counter(int(p.t // 600) for p in shown).values(), default=0)
    return world, readable, len(shown), peak, busiest, workspace / TEAM


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--scenario")
    args = parser.parse_args()
    scenarios, errors = load_directory(ROOT / "scenarios")
    if errors:
        sys.exit("\n".join(errors))
    if args.scenario:
        scenarios = [s for s in scenarios if s.id == args.scenario]
    print(
        f"default intensity: {DEFAULT_INTENSITY}; rates per column per simulated minute: "
        + ", ".join(f"{k} {v:g}" for k, v in INTENSITIES.items())
    )
    header = (
        f"{'scenario':16} {'intensity':13} {'world':>7} {'readable':>8} {'shown':>6} "
        f"{'peak/col/min':>12} {'max/col/min':>11} {'10x/person/real min':>20}"
    )
    print(header)
    costs = []
    for scenario in sorted(scenarios, key=lambda s: s.id):
        ticks, storm_time = storm_posts(scenario, args.seed)
        for name in INTENSITIES:
            shown, _ = select(ticks, name)
            world, readable, n, peak, busiest, person = figures(ticks, shown, scenario.platforms)
            mark = " *" if name == DEFAULT_INTENSITY else ""
            print(
                f"{scenario.id:16} {name + mark:13} {world:7} {readable:8} {n:6} "
                f"{peak:12.1f} {busiest:11} {person:20.1f}"
            )
        times = [select(ticks, DEFAULT_INTENSITY)[1] for _ in range(args.runs)]
        storms = [storm_time] + [storm_posts(scenario, args.seed)[1] for _ in range(args.runs - 1)]
        costs.append((scenario.id, statistics.median(times), statistics.median(storms)))
    print()
    print(f"{'scenario':16} {'choosing (s)':>12} {'storm (s)':>10} {'ratio':>6}")
    for sid, choose, storm in costs:
        print(f"{sid:16} {choose:12.3f} {storm:10.3f} {choose / storm:6.2f}")


if __name__ == "__main__":
    main()
