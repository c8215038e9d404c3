"""A stored post reads back as the post the storm made, form fields (title, rating…) included."""

import json

from simulator.engine.posts import post_from_dict, post_json
from simulator.engine.storm import iter_posts
from simulator.engine.tally import Tally


def test_every_stored_post_reads_back_as_it_was(shipped):
    for slug in ("late-delivery", "product-recall"):
        posts = list(iter_posts(shipped[slug], 3, "fr", (), until=2400))
        with_extra = [p for p in posts if p.extra]
        assert with_extra, f"{slug}: no forum thread, review or article in 40 minutes"
        for post in posts:
            assert post_from_dict(json.loads(post_json(post))) == post


def test_a_tally_with_titled_injects_reads_back(shipped):
    posts = list(iter_posts(shipped["product-recall"], 3, "en", (), until=3600))
    titled = next(p for p in posts if p.extra)  # an inject written as a forum thread
    posts = [*posts, titled._replace(id="i-titled", inject="titled", cause=None)]
    tally = Tally.of(posts, until=3600)
    assert any(p.extra for p in tally.injects)
    assert Tally.from_json(json.loads(json.dumps(tally.to_json()))) == tally


def test_every_review_has_its_stars(shipped):
    """Reviews written by a silence wave or a bait's crowd carry a rating too (they had none)."""
    reviews = [
        p
        for p in iter_posts(shipped["exec-scandal"], 5, "en", (), until=1800)
        if p.kind == "review"
    ]
    assert len(reviews) > 50
    assert all(1 <= dict(p.extra).get("rating", 0) <= 5 for p in reviews)
