"""What a team reads of the storm (simulator/feed.py): chosen, never random; every post
counted; the key posts always there."""

import random
from collections import Counter
from pathlib import Path

import pytest

from simulator.engine.actions import Action
from simulator.engine.loader import load_directory, load_scenario
from simulator.engine.storm import Storm
from simulator.feed import INTENSITIES, Selector, is_plain_share

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def breach():
    scenarios, errors = load_directory(ROOT / "scenarios")
    assert not errors
    return next(s for s in scenarios if s.id == "data-breach")


@pytest.fixture(scope="module")
def minimal():
    return load_scenario(ROOT / "tests" / "engine" / "data" / "minimal.yaml")


def play(scenario, until, cuts, actions=(), intensity="busy", changes=()):
    """Run a storm and its selector, cutting the time into the ticks given."""
    storm = Storm(scenario, 7, "fr", list(actions))
    selector = Selector(intensity)
    for at, name in changes:
        selector.set_intensity(name, at)
    posts, shown = [], []
    for t in [*cuts, until]:
        batch = storm.advance(t)
        posts += batch
        shown += selector.feed(batch, t)
    return posts, shown, selector


def test_the_choice_does_not_depend_on_how_the_ticks_cut_the_storm(minimal):
    rng = random.Random(3)
    cuts = sorted(rng.uniform(0, 3600) for _ in range(400))
    _, whole, _ = play(minimal, 3600, [], changes=[(1200.0, "overwhelming")])
    _, cut, _ = play(minimal, 3600, cuts, changes=[(1200.0, "overwhelming")])
    assert [p.id for p in whole] == [p.id for p in cut]
    assert whole  # something is shown


def test_every_inject_post_and_every_reply_to_the_brand_is_shown(breach):
    statement = Action(t=1200.0, type="holding_statement", id="p2", text="Nous enquêtons.")
    storm = Storm(breach, 7, "fr", [statement])
    posts = storm.advance(3 * 3600)
    # the crowd answering the brand, in the thick of the storm
    brand = next(p for p in posts if p.id.startswith("brand-"))
    busiest = Counter(int(p.t // 600) for p in posts).most_common(1)[0][0]
    peak = [p for p in posts if int(p.t // 600) == busiest]
    answers = [
        p._replace(id=f"{brand.id}.{k}", parent=brand.id, kind="reply")
        for k, p in enumerate(peak[::50])
    ]
    stream = sorted([*posts, *answers], key=lambda p: p.t)
    shown = {p.id for p in Selector("calm").feed(stream, 3 * 3600)}
    must = [p for p in stream if p.inject or p.id.startswith("brand-") or p in answers]
    assert sum(1 for p in must if p.inject) >= 5 and len(answers) >= 10
    assert {p.id for p in must} <= shown
    assert len(shown) * 10 < len(stream)


def test_plain_shares_are_counters_and_counters_are_the_storms_own(breach):
    posts, shown, selector = play(breach, 3 * 3600, [600.0 * k for k in range(1, 18)])
    assert not any(is_plain_share(p) for p in shown)
    by_id = {p.id: p for p in posts}

    def counted_on(post):
        parent = by_id.get(post.parent)
        while parent is not None and is_plain_share(parent):
            parent = by_id.get(parent.parent)
        return parent.id if parent is not None else post.parent

    expected = Counter()
    for p in posts:
        if p.parent:
            expected[(counted_on(p), p.kind == "share")] += 1
    got = Counter()
    for pid, (shares, replies) in selector.counts.items():
        got[(pid, True)] += shares
        got[(pid, False)] += replies
    assert +got == +expected
    assert sum(selector.totals.values()) == len(posts)


def test_a_column_shows_at_most_its_intensity_beside_the_key_posts(breach):
    for name, rate in INTENSITIES.items():
        _, shown, _ = play(breach, 4 * 3600, [], intensity=name)
        chosen = [
            p
            for p in shown
            if not (p.inject or p.id.startswith(("brand-", "c-")))
            and not (p.parent or "").startswith("brand-")
        ]
        per_hour = Counter((p.platform, int(p.t // 3600)) for p in chosen)
        # tokens: rate per minute, and the two saved up by a quiet column (viral posts aside)
        assert max(per_hour.values()) <= rate * 60 + 2 + 10


def test_the_busiest_posts_are_the_ones_chosen(breach):
    """At the peak a column shows far fewer posts than it gets: those shown reach more
    people than those left out."""
    posts, shown, _ = play(breach, 4 * 3600, [])
    ids = {p.id for p in shown}
    micro = [p for p in posts if p.platform == "microblog" and not is_plain_share(p)]
    picked = [p.author.followers for p in micro if p.id in ids]
    left = [p.author.followers for p in micro if p.id not in ids]
    assert len(picked) * 20 < len(left)
    assert sorted(picked)[len(picked) // 2] > 3 * sorted(left)[len(left) // 2]


def test_a_post_bringing_a_new_claim_is_chosen_over_one_repeating_the_column(minimal):
    """Two posts alike in reach in one window of a calm column (one token): the one saying
    what the column has not shown lately is chosen, though the other came first."""
    post = next(p for p in Storm(minimal, 7, "fr", []).advance(3600) if p.author.followers)
    author = post.author._replace(followers=1000, verified=False)

    def make(pid, t, text, handle):
        return post._replace(
            id=pid, t=t, platform="microblog", kind="post", parent=None, inject=None,
            cause=None, sentiment="negative", text=text,
            author=author._replace(handle=handle),
        )  # fmt: skip

    said = "Livraison retardée encore, colis introuvable, service client injoignable"
    key = make("c-1", 1.0, said, "@trainer")  # a curveball: shown at once, in the column
    same = make("s1", 12.0, "Colis introuvable, service client injoignable, livraison", "@a")
    again = make("s2", 12.5, "Livraison retardée, service injoignable !", "@b")
    new = make("s3", 13.0, "Entrepôt fermé par inspection sanitaire depuis lundi", "@c")
    # a calm column's two saved tokens, three posts alike in reach
    shown = Selector("calm").feed([key, same, again, new], 30.0)
    assert [p.id for p in shown] == ["c-1", "s3", "s1"]
    # without the curveball nothing repeats the column: the first ones come first
    assert [p.id for p in Selector("calm").feed([same, again, new], 30.0)] == ["s1", "s2"]
