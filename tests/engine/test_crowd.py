"""A crowd that reads the brand: silence complaints stop once it speaks, its words are quoted,
its promises are kept or broken, bait grows when fed; and a late reply calms less."""

import re
from pathlib import Path

import pytest

from simulator.engine.actions import Action
from simulator.engine.loader import load_scenario
from simulator.engine.storm import Storm, iter_posts, thread_of

DATA = Path(__file__).parent / "data"
STATEMENT = (
    "Nous sommes désolés pour ces retards. Nos équipes livrent en priorité les colis en "
    "attente depuis plus de trois jours."
)
PROMISE = "Nous sommes désolés pour ces retards. Nous revenons vers vous dans l'heure."


@pytest.fixture(scope="module")
def voices():
    return load_scenario(DATA / "voices.yaml")


def posts_of(scenario, actions=(), seed=3, lang="fr"):
    return [
        p
        for p in iter_posts(scenario, seed, lang, actions)
        if p.inject is None and p.author.persona != "brand"
    ]


def test_silence_complaints_stop_once_the_brand_speaks(voices):
    t = voices.duration * 0.2
    silent = posts_of(voices)
    spoke = posts_of(voices, [Action(t=t, type="holding_statement", text=STATEMENT)])

    def complaints(posts):
        return [p for p in posts if t + 120 <= p.t < t + 1800 and "ne dit toujours rien" in p.text]

    assert len(complaints(silent)) >= 20
    assert len(complaints(spoke)) <= 0.2 * len(complaints(silent))


def test_the_crowd_quotes_the_statement(voices):
    t = voices.duration * 0.2
    posts = posts_of(voices, [Action(t=t, type="holding_statement", text=STATEMENT)])
    words = re.findall(r"\w+", STATEMENT.lower())
    grams = {tuple(words[i : i + 4]) for i in range(len(words) - 3)}
    quoting = []
    for p in posts:
        for quoted in re.findall(r"«\s*([^»]+?)\s*»", p.text):
            q = re.findall(r"\w+", quoted.lower())
            if {tuple(q[i : i + 4]) for i in range(len(q) - 3)} & grams:
                quoting.append(p)
    assert len(quoting) >= 10
    assert all(p.t > t for p in quoting)


def test_a_promise_broken_brings_a_wave_and_a_promise_kept_calms(voices):
    t = 20 * 60.0
    promised = Action(t=t, type="holding_statement", text=PROMISE)
    broken = Storm(voices, 3, "fr", [promised])
    broken_posts = broken.advance(voices.duration)
    kept = Storm(
        voices,
        3,
        "fr",
        [promised, Action(t=t + 1800, type="holding_statement", text="Voici le point promis.")],
    )
    kept_posts = kept.advance(voices.duration)
    (fired,) = [f for f in broken.fired if f.rule == "promise"]
    assert fired.type == "promise_broken" and fired.t == pytest.approx(t + 3600, abs=1)
    wave = [p for p in broken_posts if p.cause == "promise"]
    assert len(wave) >= 10 and min(p.t for p in wave) >= t + 3600
    assert any("dans l'heure" in p.text for p in wave)  # they quote the promise back
    assert [f.type for f in kept.fired if f.rule == "promise"] == ["promise_kept"]
    assert not [p for p in kept_posts if p.cause == "promise"]
    after = lambda ps: [p for p in ps if p.t >= t + 3600 and p.cause is None]  # noqa: E731
    assert len(after(kept_posts)) < len(after(broken_posts))


def test_bait_grows_when_fed_and_dies_when_starved(voices):
    bait = voices.inject("troll-bait")
    t = bait.time + 120

    def later(kind):
        total = 0
        for seed in range(4):
            actions = [Action(t=t, type=kind, target=bait.post_id, text="Bonjour.")] if kind else []
            total += sum(
                1
                for p in iter_posts(voices, seed, "fr", actions)
                if thread_of(p.id) == bait.post_id and p.t > t and p.id != bait.post_id
            )
        return total

    fed, ignored, starved = later("reply"), later(None), later("dm")
    assert fed >= ignored + 20
    assert starved <= ignored


def test_a_late_reply_calms_less_than_a_timely_one():
    minimal = load_scenario(DATA / "minimal.yaml")
    inject = minimal.inject("first-complaint")
    deadline = inject.time + inject.deadline
    good = "Nous sommes désolés pour ce retard. Nous travaillons à livrer votre colis aujourd'hui."

    def thread_after(t_reply):
        total = 0
        for seed in range(8):
            posts = iter_posts(
                minimal,
                seed,
                "fr",
                [Action(t=t_reply, type="reply", target=inject.post_id, text=good)],
            )
            total += sum(
                1
                for p in posts
                if thread_of(p.id) == inject.post_id and p.t > deadline + 60 and p.cause is None
            )
        return total

    timely, late = thread_after(deadline - 60), thread_after(deadline + 60)
    assert timely < 0.8 * late


def test_each_reaction_type_declares_what_it_listens_to():
    from simulator.engine.loader import schema
    from simulator.engine.reactions import RULE_TYPES

    assert set(RULE_TYPES) == set(schema()["$defs"]["reaction"]["properties"]["type"]["enum"])
    assert RULE_TYPES["calm"].on == {"reply", "dm", "holding_statement"}
    assert RULE_TYPES["backfire"].on == {"hide", "delete"}
    assert RULE_TYPES["second_wave"].on == {"silence"}
    assert RULE_TYPES["leak"].on == {"memo_deadline"}


def test_reactions_see_the_storm_through_a_narrow_handle(voices):
    from simulator.engine.reactions import Handle

    handle = Handle(Storm(voices, 1, "fr"))
    assert handle.scenario is voices
    with pytest.raises(AttributeError):
        handle.thread_factor  # noqa: B018
    with pytest.raises(AttributeError):
        handle.volume = 2.0


def test_every_platform_is_one_registered_frozen_description():
    import dataclasses

    from simulator.engine.loader import schema
    from simulator.engine.platforms import PLATFORMS

    assert set(PLATFORMS) == set(schema()["$defs"]["platform"]["enum"])
    with pytest.raises(dataclasses.FrozenInstanceError):
        PLATFORMS["microblog"].share = 0.0  # type: ignore[misc]
    assert PLATFORMS["forum"].root_forms == ("title", "post")
    assert PLATFORMS["news"].moves_to == "microblog"


def test_a_silence_wave_is_written_by_those_whose_voice_complains():
    """Trolls, supporters and staff do not write "still nothing from the brand": a silence
    wave's posts come from customers, activists, the press; the troll still posts elsewhere."""
    import yaml

    from simulator.engine.loader import load_scenario_text

    d = yaml.safe_load((DATA / "voices.yaml").read_text(encoding="utf-8"))
    d["personas"].append(
        {
            "id": "troll",
            "archetype": "troll",
            "label": {"fr": "Troll", "en": "Troll"},
            "weight": 6,
            "followers": {"median": 80},
            "stance": "negative",
            "platforms": ["microblog", "brand_page"],
        }
    )
    for lang, line in (("fr", "mdr le troll"), ("en", "lol the troll")):
        d["grammar"][lang]["personas"]["troll"] = {
            "microblog": {"post": [line], "reply": [line], "quote": [line]},
            "brand_page": {"comment": [line], "reply": [line]},
        }
    scenario = load_scenario_text(yaml.safe_dump(d, allow_unicode=True), "trolls.yaml")
    posts = list(iter_posts(scenario, 3, "fr"))
    # the wave's own posts (replies under them are anyone's: a troll may answer a complaint)
    wave = [p for p in posts if p.cause == "silence" and p.parent is None]
    assert len(wave) >= 10
    assert {p.author.persona for p in wave} <= {"angry", "customer", "journalist", "influencer"}
    assert any(p.author.persona == "troll" and p.cause is None for p in posts)
