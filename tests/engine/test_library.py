"""The shipped scenario library: complete, bilingual, and storms that behave as designed."""

import pytest

from simulator.engine.actions import Action
from simulator.engine.rubric import assess
from simulator.engine.scenario import PLATFORMS
from simulator.engine.storm import iter_posts

RULE_TYPES = {"calm", "second_wave", "backfire", "leak", "screenshot"}


def test_the_library_covers_mild_to_extreme(shipped):
    assert len(shipped) >= 6
    assert {s.severity for s in shipped.values()} == {1, 2, 3, 4, 5}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_scenario_is_complete(shipped, lang):
    for s in shipped.values():
        assert lang in s.languages, s.id
        assert s.duration >= 90 * 60, s.id
        assert len(s.scheduled_injects) >= 8, s.id
        assert {i.platform for i in s.injects} == set(PLATFORMS), s.id
        assert {r.type for r in s.reactions} == RULE_TYPES, s.id
        assert s.memo_deadline is not None, s.id
        assert any(i.must_escalate_to is None for i in s.scheduled_injects), f"{s.id}: no decoy"
        for statement in s.playbook:
            verdict = assess(s.rubric, statement.text(lang), lang)
            assert verdict.verdict == "good", (s.id, statement.id, lang, verdict)


def model_team(s):
    """Briefs staff early and answers every inject that needs a public answer, well."""
    text = s.playbook[-1].text
    actions = [Action(t=120, type="memo", text="Point de situation / Situation update")]
    for i in s.scheduled_injects:
        if {"reply", "holding_statement"} & set(i.expected_actions):
            actions.append(Action(t=i.time + 120, type="reply", target=i.post_id, text=text("fr")))
    return actions


def test_negative_share_rises_from_calm_to_the_peak_of_severe_storms(shipped):
    for s in shipped.values():
        posts = list(iter_posts(s, 2026, "fr", model_team(s)))
        assert not [p for p in posts if "{" in p.text and "}" in p.text], s.id
        background = [
            p
            for p in posts
            if p.t < s.phases[1].start and p.cause is None and p.parent is None and p.inject is None
        ]
        calm = sum(p.sentiment == "negative" for p in background) / len(background)
        assert calm <= 0.2, (s.id, calm)
        windows = {}
        for p in posts:
            windows.setdefault(int(p.t // 600), []).append(p.sentiment == "negative")
        peak = max(sum(w) / len(w) for w in windows.values() if len(w) >= 50)
        if s.severity >= 4:
            assert 0.6 <= peak <= 0.8, (s.id, peak)
        else:
            assert 0.35 <= peak <= 0.8, (s.id, peak)
