"""Scores with their reasons, from hand-built action logs on the small scenario."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.engine.actions import Action
from simulator.engine.scenario import L10n
from simulator.engine.scoring import CRITERIA, Credit, score
from simulator.engine.storm import Storm, iter_posts
from simulator.engine.tally import Tally

SEED = 17
GOOD = "Nous sommes désolés pour ce retard. Nous travaillons à livrer votre colis aujourd'hui."


def run(scenario, actions):
    posts = list(iter_posts(scenario, SEED, "fr", actions))
    baseline = list(iter_posts(scenario, SEED, "fr", ()))
    return score(scenario, posts, actions, baseline, "fr"), posts


def model_team():
    return [
        Action(
            t=120,
            type="memo",
            text="Point de situation : un client se plaint, voici quoi dire",
            id="memo",
        ),
        Action(
            t=5 * 60 + 40,
            type="escalate",
            target="i-first-complaint",
            role="comms_director",
            severity=2,
            id="esc1",
        ),
        Action(t=6 * 60, type="holding_statement", text=GOOD, id="hs"),
        Action(t=7 * 60, type="reply", target="i-first-complaint", text=GOOD, id="r1"),
        Action(
            t=36 * 60,
            type="escalate",
            target="i-journalist-asks",
            role="comms_director",
            severity=3,
            id="esc2",
        ),
        Action(t=37 * 60, type="reply", target="i-journalist-asks", text=GOOD, id="r2"),
        Action(t=41 * 60, type="reply", target="i-storm-comment", text=GOOD, id="r3"),
        Action(t=60 * 60, type="holding_statement", text=GOOD, id="hs2"),
    ]


def test_a_model_team_scores_high_with_reasons(minimal):
    result, _ = run(minimal, model_team())
    assert result.total >= 80, [(c.id, c.points) for c in result.criteria]
    assert result.criterion("escalation").points == 15.0
    assert result.criterion("internal").points == 10.0
    assert result.containment > 0
    detection = result.criterion("detection").reasons
    assert any(
        "handled 0 min after it appeared" in r.text.en or "handled 1 min" in r.text.en
        for r in detection
    )
    assert all(r.text.fr and r.text.en for c in result.criteria for r in c.reasons)


def test_a_silent_team_scores_low_on_response_and_contains_nothing(minimal):
    result, _ = run(minimal, [])
    assert result.criterion("response").points == 0
    assert "No public response in the whole drill." in [
        r.text.en for r in result.criterion("response").reasons
    ]
    assert result.containment == 0.0 and result.criterion("containment").points == 0
    assert result.total < 25
    # reasons name an inject by what the team read, and a role by its title, not by ids
    detection = [r.text for r in result.criterion("detection").reasons]
    assert (
        L10n(
            "« Colis attendu depuis 10 jours, aucune réponse de… » n'a jamais été traité.",
            "“Parcel 10 days late and not a word from @ColibriExpress” was never looked at.",
        )
        in detection
    )
    escalation = " ".join(r.text.en for r in result.criterion("escalation").reasons)
    assert "should have gone to" in escalation and "comms_director" not in escalation


def test_deleting_criticism_costs_points_and_says_so(minimal):
    silent_posts = list(iter_posts(minimal, SEED, "fr", ()))
    target = next(
        p
        for p in silent_posts
        if p.platform == "brand_page" and p.sentiment == "negative" and p.t > 600
    )
    base = model_team()
    with_delete = [*base, Action(t=target.t + 10, type="delete", target=target.id, id="del")]
    clean, _ = run(minimal, base)
    dirty, _ = run(minimal, with_delete)
    assert dirty.criterion("quality").points < clean.criterion("quality").points
    reasons = [r for r in dirty.criterion("quality").reasons if "del" in r.evidence]
    assert reasons and "Deleting a comment" in reasons[0].text.en
    assert target.id in reasons[0].text.en and reasons[0].points < 0


def test_a_forbidden_phrase_costs_points_and_is_shown(minimal):
    bad = [
        Action(
            t=7 * 60,
            type="reply",
            target="i-first-complaint",
            text="Pas de commentaire, c'est la faute du transporteur.",
            id="bad",
        )
    ]
    good = [Action(t=7 * 60, type="reply", target="i-first-complaint", text=GOOD, id="ok")]
    worse, _ = run(minimal, bad)
    better, _ = run(minimal, good)
    assert worse.criterion("quality").points < better.criterion("quality").points
    shown = [r.text.en for r in worse.criterion("quality").reasons if "bad" in r.evidence]
    assert any("Forbidden “Pas de commentaire”" in text for text in shown)


def test_points_go_to_the_people_who_earned_them(minimal):
    actions = model_team()
    authors = {a.id: ("Ana" if a.type in ("escalate", "memo") else "Cléo") for a in actions}
    posts = list(iter_posts(minimal, SEED, "fr", actions))
    baseline = list(iter_posts(minimal, SEED, "fr", ()))
    result = score(minimal, posts, actions, baseline, "fr", authors)
    assert set(result.people) == {"Ana", "Cléo"}
    assert result.people["Ana"] > 0 and result.people["Cléo"] > 0


ACTIONS = st.lists(
    st.builds(
        lambda kind, t, target, text, role, sev, tag: Action(
            t=t, type=kind, target=target, text=text, role=role, severity=sev, tag=tag
        ),
        st.sampled_from(
            ["tag", "escalate", "reply", "dm", "holding_statement", "memo", "hide", "delete"]
        ),
        st.floats(0, 5000),
        st.sampled_from(["i-first-complaint", "i-journalist-asks", "i-storm-comment", "m3"]),
        st.sampled_from([GOOD, "Pas de commentaire.", "ok"]),
        st.sampled_from(["comms_director", "community_manager"]),
        st.integers(1, 4),
        st.sampled_from(["watch", "handle", "ignore"]),
    ),
    max_size=8,
)
PEOPLE = st.lists(
    st.tuples(st.sampled_from(["Ana", "Cléo", "Hugo"]), st.sampled_from([None, "Ana", "Hugo"])),
    min_size=8,
    max_size=8,
)


def cents(value: float) -> int:
    return round(value * 100)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(actions=ACTIONS, people=PEOPLE)
def test_the_points_listed_add_up_to_the_points_given(minimal, actions, people):
    """Every criterion is the sum of its reasons, the total the sum of the criteria, and the
    people's points plus the points resting on nobody's action are the total: penalties
    included, nothing clamped, nothing lost in a split."""
    credits = {
        a.key(i): Credit(author, approver)
        for i, (a, (author, approver)) in enumerate(zip(actions, people, strict=False))
    }
    posts = list(iter_posts(minimal, SEED, "fr", actions))
    result = score(
        minimal, posts, actions, list(iter_posts(minimal, SEED, "fr", ())), "fr", credits
    )
    for c in result.criteria:
        assert cents(c.points) == sum(cents(r.points) for r in c.reasons), c.id
    assert cents(result.total) == sum(cents(c.points) for c in result.criteria)
    nobody = sum(
        cents(r.points)
        for c in result.criteria
        for r in c.reasons
        if not any(e in credits for e in r.evidence)
    )
    assert sum(cents(p) for p in result.people.values()) + nobody == cents(result.total)
    penalties = [a for a in actions if a.type in ("hide", "delete")]
    quality = result.criterion("quality")
    assert sum(cents(r.points) for r in quality.reasons if r.points < 0) == -500 * len(penalties)
    assert result == score(
        minimal, posts, actions, Tally.of(iter_posts(minimal, SEED, "fr", ())), "fr", credits
    )
    assert result.max == 100 and 0 <= result.containment <= 1
    for c in result.criteria:
        assert c.points <= c.max


def test_criteria_are_a_registry_whose_maxima_make_100(minimal):
    assert list(CRITERIA) == [
        "detection",
        "triage",
        "escalation",
        "response",
        "quality",
        "internal",
        "containment",
    ]
    assert sum(c.max for c in CRITERIA.values()) == 100
    result, _ = run(minimal, [])
    assert [(c.id, c.max) for c in result.criteria] == [(c.id, c.max) for c in CRITERIA.values()]


def brand_comment(minimal, after=600):
    return next(
        p
        for p in iter_posts(minimal, SEED, "fr", ())
        if p.platform == "brand_page" and p.sentiment == "negative" and p.t > after
    )


def test_a_team_that_did_nothing_scores_zero(minimal, shipped):
    result, _ = run(minimal, [])
    assert result.total == 0, [(c.id, c.points) for c in result.criteria if c.points]
    assert result.people == {}
    for scenario in shipped.values():
        silent = Tally.of(Storm(scenario, SEED, "fr", ()).advance(45 * 60), until=45 * 60)
        nothing = score(scenario, silent, [], silent, "fr")
        assert nothing.total == 0, (scenario.id, [(c.id, c.points) for c in nothing.criteria])


def test_ignoring_noise_scores_only_from_a_team_that_triaged(minimal):
    noise = "i-storm-comment"
    triaged = [Action(t=6 * 60, type="tag", target="i-first-complaint", tag="handle", id="t")]
    result, _ = run(minimal, triaged)
    assert result.criterion("triage").points > 0
    assert any(noise in r.evidence and r.points > 0 for r in result.criterion("triage").reasons)


def test_hiding_or_deleting_a_comment_costs_five_points_in_the_total(minimal):
    """A silent team that also hides (or deletes) a comment scores less than a silent team,
    by the penalty the debrief lists."""
    target = brand_comment(minimal)
    silent, _ = run(minimal, [])
    for kind in ("hide", "delete"):
        gag = [Action(t=target.t + 10, type=kind, target=target.id, id="gag")]
        gagged, _ = run(minimal, gag)
        penalty = [r for r in gagged.criterion("quality").reasons if "gag" in r.evidence]
        assert [r.points for r in penalty] == [-5.0], kind
        assert gagged.criterion("quality").points == silent.criterion("quality").points - 5
        assert gagged.total < silent.total
        # and on a team with good answers, the hide comes off their points too
        clean, _ = run(minimal, model_team())
        dirty, _ = run(minimal, [*model_team(), *gag])
        assert dirty.criterion("quality").points == clean.criterion("quality").points - 5


def test_points_resting_on_two_people_are_split_between_them(minimal):
    """Two flags found by two people: the recall reason's points go half to each."""
    actions = [
        Action(t=6 * 60, type="tag", target="i-first-complaint", tag="handle", id="a"),
        Action(t=36 * 60, type="tag", target="i-journalist-asks", tag="handle", id="b"),
    ]
    result = score(
        minimal,
        list(iter_posts(minimal, SEED, "fr", actions)),
        actions,
        list(iter_posts(minimal, SEED, "fr", ())),
        "fr",
        {"a": "Ana", "b": "Cléo"},
    )
    recall = next(r for r in result.criterion("triage").reasons if "a" in r.evidence)
    assert "b" in recall.evidence and recall.points > 0
    ana = sum(
        r.points / (2 if "b" in r.evidence else 1)
        for c in result.criteria
        for r in c.reasons
        if "a" in r.evidence
    )
    assert round(result.people["Ana"], 2) == round(ana, 2)
    assert round(result.people["Ana"] + result.people["Cléo"], 2) == round(
        sum(r.points for c in result.criteria for r in c.reasons if {"a", "b"} & set(r.evidence)),
        2,
    )


def test_an_approved_reply_credits_its_author_and_its_approver(minimal):
    """Camille wrote the reply, Hugo approved it: what it says is Camille's (reply quality),
    when it went out is both's; neither gets the other's part."""
    reply = Action(t=7 * 60, type="reply", target="i-first-complaint", text=GOOD, id="p9")
    result = score(
        minimal,
        list(iter_posts(minimal, SEED, "fr", [reply])),
        [reply],
        list(iter_posts(minimal, SEED, "fr", ())),
        "fr",
        {"p9": Credit("Camille", "Hugo")},
    )
    quality = result.criterion("quality").points
    shared = sum(
        r.points
        for c in result.criteria
        if c.id != "quality"
        for r in c.reasons
        if "p9" in r.evidence
    )
    assert quality > 0 and shared > 0
    assert result.people["Camille"] == round(quality + shared / 2, 2)
    assert result.people["Hugo"] == round(shared / 2, 2)
    assert result.people["Camille"] > result.people["Hugo"]


def test_suggested_ratings_come_from_what_the_injects_expected(shipped):
    """data-breach: a holding statement 34 minutes before the tech press's article, and
    nothing else: "Speak before the press" is not U, and its suggestion says why."""
    scenario = shipped["data-breach"]
    press = next(i for i in scenario.injects if i.id == "tech-press")
    statement = Action(
        t=press.time - 34 * 60, type="holding_statement", text="Nous vérifions.", id="hs"
    )
    storm = Tally.of(Storm(scenario, SEED, "fr", [statement]).advance(70 * 60), until=70 * 60)
    alone = Tally.of(Storm(scenario, SEED, "fr", ()).advance(70 * 60), until=70 * 60)
    result = score(scenario, storm, [statement], alone, "en")
    holding = next(s for s in result.suggestions if s.objective == "holding")
    assert holding.rating != "U"
    assert any("holding statement: 34 min before ✓" in b.en for b in holding.because)
    assert any("tech" in b.en.lower() or "“" in b.en for b in holding.because)
    # nothing done for detection: U, and it says what was missing
    detect = next(s for s in result.suggestions if s.objective == "detect")
    assert detect.rating == "U" and any(": no" in b.en for b in detect.because)
    # the same inputs, the same suggestions
    assert result.suggestions == score(scenario, storm, [statement], alone, "en").suggestions


def test_scores_are_deterministic(minimal):
    first, _ = run(minimal, model_team())
    second, _ = run(minimal, model_team())
    assert first == second


def test_reasons_say_singular_and_plural_right(minimal):
    one = [Action(t=6 * 60, type="tag", target="i-first-complaint", tag="handle", id="t")]
    result, _ = run(minimal, one)
    texts = [r.text for r in result.criterion("triage").reasons]
    assert texts[0].en.startswith("1 of 2 must-escalate posts flagged")
    assert texts[0].fr.startswith("1 publication à escalader sur 2 repérée ")
    assert texts[1].en.endswith("0 false alarms.") and texts[1].fr.endswith("0 fausse alerte.")
