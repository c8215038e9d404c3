"""The storm: a pure, deterministic, causal function of (scenario, seed, language, actions)."""

import json
import math
import random
import statistics

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.engine.actions import Action
from simulator.engine.rng import Rng
from simulator.engine.storm import (
    KERNEL_S0,
    KERNEL_THETA,
    Storm,
    iter_posts,
    kernel_delay,
    post_dict,
    post_json,
    window,
)

FAST = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FIELDS = [
    "id",
    "t",
    "platform",
    "kind",
    "author",
    "text",
    "lang",
    "parent",
    "inject",
    "sentiment",
    "cause",
]
KINDS = {"post", "reply", "share", "comment", "review", "article", "message"}


def run(scenario, seed=7, lang="fr", actions=(), until=None):
    return list(iter_posts(scenario, seed, lang, actions, until=until))


def test_posts_have_exactly_the_public_fields(minimal):
    posts = run(minimal, until=1800)
    assert posts
    for post in posts:
        d = json.loads(post_json(post))
        assert list(d) == FIELDS
        assert list(d["author"]) == ["handle", "name", "persona", "followers", "verified"]
        assert d["platform"] in minimal.platforms
        assert d["kind"] in KINDS
        assert d["sentiment"] in ("negative", "neutral", "positive")
        assert d["lang"] == "fr"
        assert isinstance(d["t"], float) and isinstance(d["author"]["followers"], int)
        assert d["author"]["handle"].startswith("@") or d["author"]["persona"] == "brand"
        assert d == post_dict(post)


def test_same_inputs_same_bytes(minimal):
    a = "\n".join(map(post_json, run(minimal, seed=11)))
    b = "\n".join(map(post_json, run(minimal, seed=11)))
    assert a == b
    assert a != "\n".join(map(post_json, run(minimal, seed=12)))


def test_languages_give_the_same_storm_in_other_words(minimal):
    fr, en = run(minimal, lang="fr", until=1200), run(minimal, lang="en", until=1200)
    assert {p.lang for p in fr} == {"fr"} and {p.lang for p in en} == {"en"}
    inject_fr = next(p for p in fr if p.inject == "first-complaint")
    inject_en = next(p for p in en if p.inject == "first-complaint")
    assert inject_fr.text.startswith("Colis attendu") and inject_en.text.startswith("Parcel")


def test_the_global_random_state_is_never_touched(minimal):
    state = random.getstate()
    run(minimal, seed=3, until=600)
    assert random.getstate() == state


@FAST
@given(seed=st.integers(0, 2**32), cuts=st.lists(st.floats(0, 5400), max_size=6))
def test_window_by_window_equals_one_run(minimal, seed, cuts):
    storm = Storm(minimal, seed, "en", until=2400)
    pieces = []
    for t in sorted(cuts) + [2400]:
        pieces.extend(storm.advance(t))
    whole = run(minimal, seed=seed, lang="en", until=2400)
    assert [post_json(p) for p in pieces] == [post_json(p) for p in whole]


def test_every_language_gets_the_same_storm(minimal):
    """Teams in French and in English are compared on the same storm, in their own words."""
    fr, en = run(minimal, seed=21, lang="fr"), run(minimal, seed=21, lang="en")
    shape = lambda p: (p.id, p.t, p.platform, p.kind, p.sentiment, p.author.followers)  # noqa: E731
    assert [shape(p) for p in fr] == [shape(p) for p in en]
    assert sum(a.text != b.text for a, b in zip(fr, en, strict=True)) > len(fr) * 0.9


def test_window_function_matches_the_run(minimal):
    posts = run(minimal, seed=5)
    inside = [p for p in posts if 1200 <= p.t < 1500]
    assert window(minimal, 5, "fr", (), 1200, 1500) == inside


@FAST
@given(seed=st.integers(0, 2**40))
def test_invariants(minimal, seed):
    posts = run(minimal, seed=seed)
    seen: dict[str, float] = {}
    last = 0.0
    for post in posts:
        assert 0 <= post.t < minimal.duration
        assert post.t >= last
        last = post.t
        assert post.id not in seen, f"duplicate id {post.id}"
        if post.parent is not None:
            assert post.parent in seen, f"{post.id} before its parent {post.parent}"
            assert seen[post.parent] <= post.t
        seen[post.id] = post.t
    scheduled = {i.id for i in minimal.scheduled_injects}
    assert {p.inject for p in posts if p.inject} == scheduled


ACTION = st.builds(
    dict,
    type=st.sampled_from(
        [
            "reply",
            "dm",
            "holding_statement",
            "memo",
            "delete",
            "hide",
            "difficulty",
            "inject",
            "tag",
        ]
    ),
    t=st.floats(60, 4000),
    text=st.sampled_from(
        ["Nous sommes désolés, nous travaillons à une solution.", "Pas de commentaire.", "ok"]
    ),
)


@FAST
@given(seed=st.integers(0, 50), spec=ACTION)
def test_an_action_changes_nothing_before_its_time(minimal, seed, spec):
    before = run(minimal, seed=seed)
    candidates = [p for p in before if p.t < spec["t"]]
    if spec["type"] in ("delete", "hide"):
        pool = [p for p in candidates if p.platform == "brand_page"]
    else:
        pool = candidates
    target = pool[-1].id if pool else "m1"
    action = Action(
        t=spec["t"],
        type=spec["type"],
        target=target,
        text=spec["text"],
        inject="curveball" if spec["type"] == "inject" else None,
        volume=2.0,
        aggression=1.0,
        tag="watch",
    )
    after = run(minimal, seed=seed, actions=[action])
    assert [post_json(p) for p in after if p.t < spec["t"]] == [post_json(p) for p in candidates]


def test_kernel_delays_follow_seismic():
    rng = Rng(1234)
    delays = [kernel_delay(rng.bits()) for _ in range(200_000)]
    head = sum(d <= KERNEL_S0 for d in delays) / len(delays)
    assert head == pytest.approx(KERNEL_THETA / (1 + KERNEL_THETA), abs=0.01)
    assert sum(d <= 3600 for d in delays) / len(delays) == pytest.approx(0.55, abs=0.02)
    tail = [d for d in delays if d > KERNEL_S0]
    theta_hat = len(tail) / sum(math.log(d / KERNEL_S0) for d in tail)  # Pareto MLE
    assert theta_hat == pytest.approx(KERNEL_THETA, rel=0.05)
    inside = [d for d in delays if d <= KERNEL_S0]
    assert statistics.mean(inside) == pytest.approx(KERNEL_S0 / 2, rel=0.02)  # flat head


def test_generated_cascades_fit_the_kernel(minimal):
    """Delays between parents and their replies/shares, for early parents, fit the kernel."""
    horizon = 3600.0
    delays = []
    for seed in range(12):
        posts = run(minimal, seed=seed)
        t_of = {p.id: p.t for p in posts}
        for p in posts:
            if p.parent and p.cause is None and t_of[p.parent] < 900 and not p.id.endswith(".n"):
                d = p.t - t_of[p.parent]
                if d < horizon:
                    delays.append(d)
    assert len(delays) > 300
    # conditional on d < horizon: P(d <= S0) = head / P(d < horizon)
    head = KERNEL_THETA / (1 + KERNEL_THETA)
    within = 1 - (horizon / KERNEL_S0) ** -KERNEL_THETA / (1 + KERNEL_THETA)
    share = sum(d <= KERNEL_S0 for d in delays) / len(delays)
    assert share == pytest.approx(head / within, abs=0.06)


def test_cascades_grow_with_followers(minimal):
    posts = run(minimal, seed=2)
    children: dict[str, int] = {}
    for p in posts:
        if p.parent:
            children[p.parent] = children.get(p.parent, 0) + 1
    roots = [p for p in posts if p.parent is None and p.platform == "microblog"]
    small = [children.get(p.id, 0) for p in roots if p.author.followers < 500]
    big = [children.get(p.id, 0) for p in roots if p.author.followers > 50_000]
    assert small and big
    assert statistics.mean(big) > 5 * statistics.mean(small)


def test_news_lags_the_social_storm(minimal):
    lags = []
    for seed in range(4):
        posts = run(minimal, seed=seed)
        t_of = {p.id: p.t for p in posts}
        lags += [p.t - t_of[p.id[:-2]] for p in posts if p.id.endswith(".n")]
    assert len(lags) >= 5
    assert min(lags) >= 600 - 0.001  # times are rounded to the millisecond
    assert 20 * 60 <= statistics.median(lags) <= 90 * 60


def test_negative_share_rises_from_calm_to_peak(minimal):
    posts = run(minimal, seed=9, actions=[Action(t=60, type="memo", text="Point de situation")])
    early = [p for p in posts if p.t < 1200 and p.cause is None]
    late = [p for p in posts if 2400 <= p.t < 4800]
    neg = lambda ps: sum(p.sentiment == "negative" for p in ps) / len(ps)  # noqa: E731
    assert neg(early) < 0.3
    assert neg(late) > 0.6


def test_volume_follows_phase_rates(minimal):
    posts = run(minimal, seed=4, until=5400)
    spark = [
        p
        for p in posts
        if p.parent is None
        and p.t < 1800
        and p.platform == "microblog"
        and p.cause is None
        and not p.inject
    ]
    # 4 posts/min for 30 min on the microblog in the first phase
    assert 120 * 0.75 <= len(spark) <= 120 * 1.25
