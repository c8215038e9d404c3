"""Each reaction rule, shown by the same storm with and without the action that triggers it."""

import pytest

from simulator.engine.actions import Action, ActionError, action_from_json, parse_actions_jsonl
from simulator.engine.storm import Storm, iter_posts, thread_of

GOOD_FR = "Nous sommes désolés pour ce retard. Nous travaillons à livrer votre colis aujourd'hui."
SEED = 17


def run(scenario, actions=(), seed=SEED, until=None):
    storm = Storm(scenario, seed, "fr", actions, until=until)
    posts = storm.advance(scenario.duration)
    return posts, storm


def in_thread(posts, root, after=0.0):
    return [p for p in posts if thread_of(p.id) == root and p.t >= after and p.id != root]


def test_a_good_reply_calms_its_thread(minimal):
    t = 7 * 60
    silent, _ = run(minimal)
    replied, storm = run(
        minimal, [Action(t=t, type="reply", target="i-first-complaint", text=GOOD_FR)]
    )
    before = in_thread(silent, "i-first-complaint", t)
    after = in_thread(replied, "i-first-complaint", t)
    assert len(after) < 0.6 * len(before)
    neg = lambda ps: sum(p.sentiment == "negative" for p in ps) / max(1, len(ps))  # noqa: E731
    assert neg(after) < neg(before)
    (fired,) = [f for f in storm.fired if f.type == "calm"]
    assert fired.rule == "calm-reply" and fired.target == "i-first-complaint"
    assert "calms down" in fired.reason.en and "se calme" in fired.reason.fr
    brand = next(p for p in replied if p.id == "brand-a0")
    assert (brand.author.persona, brand.parent, brand.t) == ("brand", "i-first-complaint", t)
    thanks = [p for p in replied if p.cause == "calm-reply" and p.parent == "brand-a0"]
    assert len(thanks) == 2 and all(p.sentiment == "positive" for p in thanks)


def thread_size(scenario, kind, text, t=7 * 60, seeds=range(8)):
    """Posts in the first complaint's thread after t, summed over several storms."""
    total = 0
    for seed in seeds:
        actions = [Action(t=t, type=kind, target="i-first-complaint", text=text)] if kind else []
        posts, _ = run(scenario, actions, seed=seed)
        total += len(in_thread(posts, "i-first-complaint", t))
    return total


def test_a_reply_that_misses_the_rubric_calms_less(minimal):
    good = thread_size(minimal, "reply", GOOD_FR)
    weak = thread_size(minimal, "reply", "Désolé.")
    none = thread_size(minimal, None, "")
    assert good < weak < none


def test_silence_past_the_deadline_starts_a_second_wave(minimal):
    silent, storm = run(minimal)
    wave = [p for p in silent if p.cause == "silence"]
    deadline = 5 * 60 + 20 * 60
    assert wave and min(p.t for p in wave) >= deadline
    fired = [f for f in storm.fired if f.type == "second_wave"]
    assert {f.inject for f in fired} == {"first-complaint", "storm-comment"}
    assert "second wave" in fired[0].reason.en

    answered, storm = run(
        minimal,
        [
            Action(t=600, type="reply", target="i-first-complaint", text=GOOD_FR),
            Action(t=2500, type="reply", target="i-storm-comment", text=GOOD_FR),
        ],
    )
    assert not [p for p in answered if p.cause == "silence"]
    assert not [f for f in storm.fired if f.type == "second_wave"]


def test_a_holding_statement_counts_as_a_public_response(minimal):
    posts, storm = run(
        minimal, [Action(t=600, type="holding_statement", text=minimal.playbook[0].text("fr"))]
    )
    assert {f.inject for f in storm.fired if f.type == "second_wave"} == {"storm-comment"}
    statements = [p for p in posts if p.id.startswith("brand-a0")]
    assert {p.platform for p in statements} == {"microblog", "brand_page"}


def test_deleting_criticism_backfires(minimal):
    silent, _ = run(minimal)
    target = next(
        p
        for p in silent
        if p.platform == "brand_page"
        and p.sentiment == "negative"
        and p.t > 600
        and p.cause is None
    )
    t = target.t + 30
    deleted, storm = run(minimal, [Action(t=t, type="delete", target=target.id)])
    backlash = [p for p in deleted if p.cause == "deletion" and p.parent is None]
    assert len(backlash) == 4
    assert {p.platform for p in backlash} == {"microblog", "forum"}
    assert all(p.t > t and p.sentiment == "negative" for p in backlash)
    assert any(target.author.handle in p.text for p in backlash)
    assert not [p for p in silent if p.cause == "deletion"]
    # the deleted comment's own thread stops
    assert not [p for p in deleted if p.id.startswith(target.id + ".") and p.t >= t]
    (fired,) = [f for f in storm.fired if f.type == "backfire"]
    assert target.author.handle in fired.reason.en


def test_hiding_criticism_backfires_by_half(minimal):
    silent, _ = run(minimal)
    target = next(
        p for p in silent if p.platform == "brand_page" and p.sentiment == "negative" and p.t > 600
    )
    hidden, _ = run(minimal, [Action(t=target.t + 1, type="hide", target=target.id)])
    assert len([p for p in hidden if p.cause == "deletion" and p.parent is None]) == 2


def test_deleting_elsewhere_than_the_brand_page_is_ignored(minimal):
    posts, storm = run(minimal, [Action(t=600, type="delete", target="i-first-complaint")])
    assert storm.ignored == [
        ("a0", "delete: 'i-first-complaint' is not a comment on the brand page")
    ]
    assert not [p for p in posts if p.cause == "deletion"]


def test_no_memo_by_the_deadline_leaks(minimal):
    silent, storm = run(minimal)
    (leak,) = [p for p in silent if p.id == "x-leak"]
    assert leak.t == 40 * 60 and leak.author.persona == "staff" and leak.cause == "leak"
    assert [p for p in silent if p.id == "x-leak-press" and p.platform == "news"]
    assert [f.type for f in storm.fired].count("leak") == 1

    briefed, storm = run(minimal, [Action(t=15 * 60, type="memo", text="Point de situation")])
    assert not [p for p in briefed if p.cause == "leak"]
    memo = next(p for p in briefed if p.id == "brand-a0")
    assert memo.platform == "internal"

    late, _ = run(minimal, [Action(t=50 * 60, type="memo", text="Point de situation")])
    assert [p for p in late if p.id == "x-leak"]  # a late memo does not undo the leak


def test_a_bad_reply_is_screenshot_and_shared(minimal):
    t = 8 * 60
    posts, storm = run(
        minimal,
        [
            Action(
                t=t,
                type="reply",
                target="i-first-complaint",
                text="Pas de commentaire, c'est la faute du transporteur.",
            )
        ],
    )
    (shot,) = [p for p in posts if p.id == "x-screenshot-a0"]
    assert shot.t == t + 240 and shot.author.persona == "influencer"
    assert "Pas de commentaire, c'est la faute du transporteur." in shot.text
    (fired,) = [f for f in storm.fired if f.type == "screenshot"]
    assert "Pas de commentaire" in fired.reason.fr and "faute" in fired.reason.en
    assert not [f for f in storm.fired if f.type == "calm"]

    good, _ = run(minimal, [Action(t=t, type="reply", target="i-first-complaint", text=GOOD_FR)])
    assert not [p for p in good if p.cause == "screenshot"]


def test_a_private_message_calms_less_than_a_public_reply(minimal):
    t = 7 * 60
    private, _ = run(minimal, [Action(t=t, type="dm", target="i-first-complaint", text=GOOD_FR)])
    assert not [p for p in private if p.id == "brand-a0"]  # a DM is not published
    public = thread_size(minimal, "reply", GOOD_FR, t)
    assert public < thread_size(minimal, "dm", GOOD_FR, t) < thread_size(minimal, None, "", t)


def test_difficulty_dial_changes_volume_after_its_time(minimal):
    t = 1200
    base, _ = run(minimal, until=2400)
    louder, _ = run(minimal, [Action(t=t, type="difficulty", volume=2.0)], until=2400)
    quiet, _ = run(minimal, [Action(t=t, type="difficulty", volume=0.0)], until=2400)

    def roots(ps, a, b):
        return [
            p for p in ps if p.parent is None and p.cause is None and a <= p.t < b and not p.inject
        ]

    assert [p.id for p in roots(base, 0, t)] == [p.id for p in roots(louder, 0, t)]
    assert len(roots(louder, t, 2400)) > 1.6 * len(roots(base, t, 2400))
    assert roots(quiet, t, 2400) == []
    base_ids = {p.id for p in roots(base, t, 2400)}
    assert base_ids <= {p.id for p in roots(louder, t, 2400)}  # the same storm, thickened


def test_aggression_turns_the_storm_more_negative(minimal):
    base, _ = run(minimal, until=1800)
    angry, _ = run(minimal, [Action(t=0, type="difficulty", aggression=1.0)], until=1800)
    neg = lambda ps: sum(p.sentiment == "negative" for p in ps) / len(ps)  # noqa: E731
    assert neg(angry) > neg(base) + 0.2


def test_the_trainer_can_throw_an_optional_inject_or_a_custom_one(minimal):
    posts, storm = run(
        minimal,
        [
            Action(t=900, type="inject", inject="curveball"),
            Action(
                t=950, type="inject", platform="forum", persona="angry", text="Alerte {brand} !"
            ),
            Action(t=990, type="inject", inject="nope"),
        ],
    )
    curve = next(p for p in posts if p.inject == "curveball")
    assert (curve.id, curve.t, curve.platform) == ("i-curveball", 900, "news")
    custom = next(p for p in posts if p.id == "c-a1")
    assert (custom.t, custom.platform, custom.text) == (950, "forum", "Alerte Colibri Express !")
    assert storm.ignored == [("a2", "no inject 'nope' in scenario minimal")]
    assert not [p for p in run(minimal)[0] if p.inject == "curveball"]


def test_actions_in_the_past_are_refused(minimal):
    storm = Storm(minimal, 1, "fr")
    storm.advance(600)
    with pytest.raises(ValueError, match="before the storm's present"):
        storm.add_action(Action(t=300, type="memo", text="x"))


def test_live_actions_give_the_same_storm_as_a_known_log(minimal):
    actions = [
        Action(t=420, type="reply", target="i-first-complaint", text=GOOD_FR),
        Action(t=1500, type="memo", text="Point"),
        Action(t=2000, type="difficulty", volume=1.5),
    ]
    known = list(iter_posts(minimal, 3, "fr", actions))
    live = Storm(minimal, 3, "fr")
    got = []
    for t in range(0, 5460, 200):
        for a in actions:
            if t <= a.t < t + 200:
                live.add_action(a)
        got += live.advance(t + 200)
    assert got == known


@pytest.mark.parametrize(
    "data, message",
    [
        ([], "an action is a JSON object"),
        ({"t": -1, "type": "memo", "text": "x"}, "'t' must be simulated seconds"),
        ({"t": 1, "type": "shout"}, "'type' must be one of"),
        ({"t": 1, "type": "reply", "text": "x"}, "needs a 'target'"),
        ({"t": 1, "type": "reply", "target": "m1", "text": " "}, "needs a 'text'"),
        ({"t": 1, "type": "escalate", "target": "m1"}, "needs a 'role'"),
        (
            {"t": 1, "type": "escalate", "target": "m1", "role": "legal", "severity": 7},
            "'severity' from 1 to 4",
        ),
        ({"t": 1, "type": "tag", "target": "m1", "tag": "love"}, "needs 'tag'"),
        ({"t": 1, "type": "memo", "text": "x" * 5001}, "longer than 5000"),
        ({"t": 1, "type": "difficulty", "volume": 9}, "'volume' must be a number from 0 to 2"),
        ({"t": 1, "type": "memo", "text": "x", "evil": 1}, "unknown field 'evil'"),
        ({"t": True, "type": "memo", "text": "x"}, "'t' must be simulated seconds"),
    ],
)
def test_malformed_actions_are_refused_clearly(data, message):
    with pytest.raises(ActionError, match=message):
        action_from_json(data)


def test_actions_jsonl_errors_name_the_line():
    with pytest.raises(ActionError, match=r"^acts.jsonl:3: not valid JSON"):
        parse_actions_jsonl('{"t": 1, "type": "memo", "text": "a"}\n\n{oops\n', "acts.jsonl")
