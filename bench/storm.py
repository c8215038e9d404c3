"""How fast the storm engine generates the most extreme shipped scenario, and in how much memory.

Prints, for the full simulated duration: posts generated (every post's text and extra fields
read), wall and CPU time, posts per second and the ratio simulated time / wall time (medians of
several runs), next to a baseline measured in the same run (building the same number of bare
post tuples), so figures from a noisy shared machine can be compared; CPU time says what an
idle core would give. Then traced memory along one streamed run: it
follows the storm's intensity (pending replies and shares), not the posts so far, which shows
that the engine streams rather than holding the run.

    .venv/bin/python bench/storm.py [--runs 5] [--scenario ID] [--seed N]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simulator.engine.loader import load_directory  # noqa: E402
from simulator.engine.storm import Author, Post, iter_posts  # noqa: E402


def most_extreme(scenarios):
    def peak_rate(s):
        return max(sum(p.rates.values()) for p in s.phases)

    return max(scenarios, key=lambda s: (s.severity, peak_rate(s), s.duration))


def timed_run(scenario, seed, until=None) -> tuple[int, float, float]:
    """(posts, wall seconds, CPU seconds); every post's text and extra fields are read, so
    that a storm which wrote its words lazily would pay for them here."""
    gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    count = 0
    for post in iter_posts(scenario, seed, "fr", until=until):
        count += 1
        post.text  # noqa: B018
        post.extra  # noqa: B018
    return count, time.perf_counter() - start, time.process_time() - cpu


def baseline(n: int) -> float:
    """Building n bare posts: the floor any generator in Python pays."""
    author = Author("@a", "A", "p", 1, False)
    start = time.perf_counter()
    for i in range(n):
        Post(
            f"m{i}",
            i * 0.1,
            "microblog",
            "post",
            author,
            "text",
            "fr",
            None,
            None,
            "negative",
            None,
        )
    return time.perf_counter() - start


def memory_profile(scenario, seed, every: float = 1200.0):
    """(simulated minute, posts so far, traced MB now, peak MB so far) along one streamed run."""
    gc.collect()
    tracemalloc.start()
    rows, count, mark = [], 0, every
    for post in iter_posts(scenario, seed, "fr"):
        while post.t >= mark:
            now, peak = tracemalloc.get_traced_memory()
            rows.append((mark / 60, count, now / 1e6, peak / 1e6))
            mark += every
        count += 1
    now, peak = tracemalloc.get_traced_memory()
    rows.append((scenario.duration / 60, count, now / 1e6, peak / 1e6))
    tracemalloc.stop()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scenario")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    scenarios, errors = load_directory(ROOT / "scenarios")
    if errors:
        sys.exit("\n".join(errors))
    scenario = (
        next(s for s in scenarios if s.id == args.scenario)
        if args.scenario
        else most_extreme(scenarios)
    )
    timed_run(scenario, args.seed, until=600)  # warm up: author pools, caches
    runs = [timed_run(scenario, args.seed + i) for i in range(args.runs)]
    counts = [c for c, _, _ in runs]
    walls = [w for _, w, _ in runs]
    cpus = [c for _, _, c in runs]
    posts = statistics.median(counts)
    wall = statistics.median(walls)
    cpu = statistics.median(cpus)
    base = statistics.median(baseline(int(posts)) for _ in range(args.runs))
    print(
        f"scenario          {scenario.id} (severity {scenario.severity}, "
        f"{scenario.duration / 60:.0f} simulated min)"
    )
    print(f"runs              {args.runs} (seeds {args.seed}..{args.seed + args.runs - 1})")
    print(f"posts             median {posts:,.0f}  (min {min(counts):,}, max {max(counts):,})")
    print(f"wall time         median {wall:.2f} s  (min {min(walls):.2f}, max {max(walls):.2f})")
    print(f"cpu time          median {cpu:.2f} s  (min {min(cpus):.2f}, max {max(cpus):.2f})")
    print(f"posts per second  {posts / wall:,.0f}")
    print(f"simulated / wall  {scenario.duration / wall:,.0f}x  (goal: at least 3,600x)")
    print(f"simulated / cpu   {scenario.duration / cpu:,.0f}x  (what an idle core would give)")
    print(
        f"baseline          {base:.3f} s to build {posts:,.0f} bare posts; "
        f"storm costs {wall / base:.1f}x that"
    )
    print("memory while streaming one run (tracemalloc; it follows the storm's intensity,")
    print("not the number of posts so far):")
    for minute, count, now, peak in memory_profile(scenario, args.seed):
        print(
            f"  at {minute:>4.0f} min  {count:>7,} posts so far  now {now:5.1f} MB  "
            f"peak so far {peak:5.1f} MB"
        )


if __name__ == "__main__":
    main()
