"""Tallies and forks: what lets the runner play the unanswered storm beside the team's, so
that a debrief never replays one."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.engine.actions import Action
from simulator.engine.scoring import negative_curve, score
from simulator.engine.storm import Storm, iter_posts
from simulator.engine.tally import Tally

SEED = 23
GOOD = "Nous sommes désolés pour ce retard. Nous travaillons à livrer votre colis aujourd'hui."


def test_a_tally_counts_volume_negatives_and_injects(minimal):
    posts = list(iter_posts(minimal, SEED, "fr"))
    tally = Tally.of(posts, until=minimal.duration)
    assert tally.posts == len(posts)
    negative = negative_curve(posts)
    assert tally.negative == [negative.get(m, 0) for m in range(len(tally.negative))]
    assert [p.id for p in tally.injects] == [
        p.id for p in posts if p.inject and p.id.startswith("i-")
    ]
    assert tally.injects, "the small scenario has scheduled injects"
    again = Tally.from_json(tally.to_json())
    assert again == tally and again.until == minimal.duration
    assert tally.series(len(tally.volume) + 3)[0][-3:] == [0, 0, 0]


def test_scoring_a_tally_is_scoring_the_posts(minimal):
    actions = [Action(t=6 * 60, type="holding_statement", text=GOOD, id="hs")]
    posts = list(iter_posts(minimal, SEED, "fr", actions))
    alone = list(iter_posts(minimal, SEED, "fr"))
    assert score(minimal, Tally.of(posts), actions, Tally.of(alone)) == score(
        minimal, posts, actions, alone
    )


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    fork_at=st.floats(min_value=0, max_value=1800),
    later=st.floats(min_value=0, max_value=1200),
)
def test_a_fork_is_the_same_storm_until_it_takes_an_action(minimal, fork_at, later):
    """Forked at t, one copy takes a reply, the other nothing: each is exactly the storm
    computed from scratch with its own actions."""
    original = Storm(minimal, SEED, "fr")
    before = original.advance(fork_at)
    copy = original.fork()
    reply = Action(t=fork_at + later, type="reply", target="i-first-complaint", text=GOOD, id="r")
    copy.add_action(reply)
    end = minimal.duration
    untouched, answered = original.advance(end), copy.advance(end)
    assert before + untouched == list(iter_posts(minimal, SEED, "fr"))
    fresh = Storm(minimal, SEED, "fr", [reply])
    assert before + answered == fresh.advance(end)
    assert original.actions == () and copy.actions == (reply,)
