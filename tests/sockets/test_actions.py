"""Participants' actions over Socket.IO: stored before acknowledged, checked, idempotent."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.extensions import db
from simulator.models import ActionRecord, PostRecord
from simulator.services import actions as acts
from simulator.throttle import init_app as fresh_throttles

from .conftest import events
from .test_drill import control, tick

GOOD = "Nous sommes désolés pour ce retard. Nous travaillons à livrer votre colis aujourd'hui."


def act(sio, **data):
    return sio.emit("action", data, namespace="/play", callback=True)


def test_an_escalation_is_stored_acknowledged_and_shown_to_the_team(app, running):
    ack = act(
        running["red"],
        key="k1",
        type="escalate",
        target="i-first-complaint",
        role="comms_director",
        severity=3,
        text="Client influent, ça monte",
    )
    assert ack["ok"] and ack["action"]["seq"] == 1 and ack["duplicate"] is False
    with app.app_context():
        stored = db.session.get(ActionRecord, ack["action"]["id"])
        assert (stored.type, stored.role, stored.severity) == ("escalate", "comms_director", 3)
    seen = [e["args"][0] for e in events(running["director"], name="action")]
    assert [a["type"] for a in seen] == ["escalate"] and seen[0]["by"]["name"] == "Ana"
    assert events(running["blue"], name="action") == []


def test_the_same_key_twice_stores_one_action(app, running):
    first = act(running["red"], key="same", type="tag", target="i-first-complaint", tag="watch")
    again = act(running["red"], key="same", type="tag", target="i-first-complaint", tag="watch")
    assert again["action"] == first["action"] and again["duplicate"] is True
    with app.app_context():
        assert db.session.query(ActionRecord).count() == 1


@pytest.mark.parametrize(
    "data, code",
    [
        ({"type": "tag", "target": "i-first-complaint", "tag": "watch"}, "missing_field"),
        ({"key": "a", "type": "nuke"}, "bad_type"),
        ({"key": "a", "type": "reply", "target": "nope", "text": "hi"}, "unknown_post"),
        ({"key": "a", "type": "reply", "target": "i-first-complaint"}, "missing_text"),
        (
            {"key": "a", "type": "reply", "target": "i-first-complaint", "text": "x" * 5001},
            "too_long",
        ),
        (
            {
                "key": "a",
                "type": "escalate",
                "target": "i-first-complaint",
                "role": "ceo",
                "severity": 2,
            },
            "bad_role",
        ),
        (
            {
                "key": "a",
                "type": "escalate",
                "target": "i-first-complaint",
                "role": "comms_director",
                "severity": 9,
            },
            "bad_severity",
        ),
        ({"key": "a", "type": "delete", "target": "i-first-complaint"}, "not_brand_page"),
        ({"key": "a", "type": "tag", "target": "i-first-complaint", "tag": "love"}, "bad_tag"),
        ({"key": "a", "type": "approve", "draft": 999}, "bad_draft"),
        ({"key": "a" * 65, "type": "memo", "text": "x"}, "bad_key"),
        ({"key": "a", "type": "memo", "text": "x", "evil": True}, "bad_field"),
        ({"key": "a", "type": "memo", "text": "nul\u0000here"}, "bad_text"),
        ({"key": "a", "type": "chat", "text": "bell\u0007"}, "bad_text"),
        (
            {"key": "a", "type": "reply", "target": "i-first-complaint", "text": "\u009b"},
            "bad_text",
        ),
        ("memo", "bad_payload"),
    ],
)
def test_bad_actions_are_refused_clearly(app, running, data, code):
    ack = (
        act(running["red"], **data)
        if isinstance(data, dict)
        else running["red"].emit("action", data, namespace="/play", callback=True)
    )
    assert ack["ok"] is False and ack["error"] == code, ack
    assert ack["message"]
    with app.app_context():
        assert db.session.query(ActionRecord).count() == 0


def test_line_breaks_and_tabs_are_kept_in_action_texts(app, running):
    ack = act(running["red"], key="k", type="memo", text="Point 1\tfait\r\nPoint 2")
    assert ack["ok"], ack
    with app.app_context():
        assert db.session.get(ActionRecord, ack["action"]["id"]).text == "Point 1\tfait\r\nPoint 2"


def test_a_post_of_another_teams_world_cannot_be_targeted(app, running):
    drill = running["drill"]
    control(
        running["trainer"],
        session=drill["id"],
        action="inject",
        team=drill["teams"][1],
        inject="curveball",
    )
    from .conftest import FakeWall  # noqa: F401

    with app.app_context():
        from simulator.runner import get_runner

        runner = get_runner(app)
    tick(app, runner, drill["id"], 5)
    with app.app_context():
        assert db.session.query(PostRecord).filter_by(post_id="i-curveball").count() == 1
    ack = act(running["red"], key="x", type="reply", target="i-curveball", text="Bonjour")
    assert ack["error"] == "unknown_post"
    ack = act(running["blue"], key="x", type="reply", target="i-curveball", text="Bonjour")
    assert ack["ok"]


def test_actions_are_refused_while_paused_and_after_the_end(running):
    drill = running["drill"]
    control(running["trainer"], session=drill["id"], action="pause")
    ack = act(running["red"], key="p", type="memo", text="Point")
    assert ack["error"] == "paused" and "paused" in ack["message"]
    assert act(running["red"], key="c", type="chat", text="on attend")["ok"]  # talking is fine
    control(running["trainer"], session=drill["id"], action="end")
    assert act(running["red"], key="e", type="chat", text="fini")["error"] == "ended"


def test_a_reply_needing_approval_is_a_draft_until_approved(app, running, runner):
    red, director = running["red"], running["director"]
    draft = act(red, key="d1", type="reply", target="i-first-complaint", text=GOOD)
    assert draft["action"]["status"] == "draft"
    # the author cannot approve their own draft: only the approving role can
    assert (
        act(red, key="a0", type="approve", draft=draft["action"]["id"])["error"] == "not_approver"
    )
    assert (
        act(running["blue"], key="a0", type="approve", draft=draft["action"]["id"])["error"]
        == "bad_draft"
    )  # another team's draft
    edited = GOOD + " Écrivez-nous en message privé."
    ok = act(director, key="a1", type="approve", draft=draft["action"]["id"], text=edited)
    assert ok["ok"]
    pushed = [e["args"][0] for e in events(red, name="action")]
    kinds = [(a["type"], a["status"]) for a in pushed]
    assert kinds == [
        ("reply", "draft"),
        ("approve", "done"),
        ("reply", "approved"),
        ("reply", "done"),
    ]
    assert pushed[2]["id"] == pushed[0]["id"] == draft["action"]["id"]  # the draft, updated
    tick(app, runner, running["drill"]["id"], 2)
    posts = [p for e in events(red, name="posts") for p in e["args"][0]["posts"]]
    brand = [p for p in posts if p["author"]["persona"] == "brand"]
    assert len(brand) == 1 and brand[0]["text"] == edited
    assert brand[0]["parent"] == "i-first-complaint"
    assert events(running["blue"], name="posts")  # Blue's storm goes on...
    blue_posts = [p for e in events(running["blue"], name="posts") for p in e["args"][0]["posts"]]
    assert not [p for p in blue_posts if p["author"]["persona"] == "brand"]  # ...without it


def test_a_rejected_draft_goes_back_with_the_comment(running):
    draft = act(running["red"], key="d1", type="reply", target="i-first-complaint", text="Bof")
    ack = act(
        running["director"],
        key="r1",
        type="reject",
        draft=draft["action"]["id"],
        text="Trop sec, ajoute de l'empathie",
    )
    assert ack["ok"]
    *_, decision, updated = [e["args"][0] for e in events(running["red"], name="action")]
    assert decision["type"] == "reject" and decision["draft"] == draft["action"]["id"]
    assert (updated["id"], updated["status"]) == (draft["action"]["id"], "rejected")
    assert decision["text"] == "Trop sec, ajoute de l'empathie"
    again = act(running["director"], key="r2", type="approve", draft=draft["action"]["id"])
    assert again["error"] == "bad_draft"


def test_a_director_publishes_without_approval(app, running, runner):
    ack = act(running["director"], key="s1", type="holding_statement", text=GOOD)
    assert ack["ok"] and ack["action"]["status"] == "done"
    tick(app, runner, running["drill"]["id"], 2)
    posts = [p for e in events(running["director"], name="posts") for p in e["args"][0]["posts"]]
    assert [p["platform"] for p in posts if p["author"]["persona"] == "brand"] == [
        "microblog",
        "brand_page",
    ]


def test_participants_are_rate_limited(running):
    codes = [
        act(running["red"], key=f"k{i}", type="chat", text="spam")["ok"]
        for i in range(acts.RATE + 2)
    ]
    assert codes[: acts.RATE] == [True] * acts.RATE
    last = act(running["red"], key="last", type="chat", text="spam")
    assert last["error"] == "rate_limited" and "wait" in last["message"]


def test_a_reconnecting_participant_gets_the_team_actions(app, running, join):
    act(running["red"], key="k1", type="chat", text="Je prends le microblog")
    _, _, again = join("Ana bis", 0)
    (snap,) = events(again, name="snapshot")
    assert [a["text"] for a in snap["args"][0]["actions"]] == ["Je prends le microblog"]


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=12,
)
FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "key": JSONISH | st.text(max_size=70),
        "type": JSONISH | st.sampled_from(sorted(acts.TYPES)),
        "target": JSONISH | st.just("i-first-complaint"),
        "text": JSONISH,
        "role": JSONISH,
        "severity": JSONISH,
        "tag": JSONISH,
        "draft": JSONISH,
        "session": JSONISH,
        "team": JSONISH,
        "last_seq": JSONISH,
        "action": JSONISH,
    },
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    event=st.sampled_from(["action", "choose", "resync", "ping_clock"]), payload=JSONISH | FIELDS
)
def test_malformed_payloads_get_an_error_ack_and_the_server_keeps_serving(
    app, running, event, payload
):
    fresh_throttles(app)  # many examples, one participant: no rate limit between them
    ack = running["red"].emit(event, payload, namespace="/play", callback=True)
    assert isinstance(ack, dict) and "ok" in ack
    if not ack["ok"]:
        assert isinstance(ack["error"], str) and isinstance(ack["message"], str)
    trainer_ack = running["trainer"].emit("control", payload, namespace="/trainer", callback=True)
    assert isinstance(trainer_ack, dict) and "ok" in trainer_ack
    # still serving
    assert running["red"].emit("ping_clock", {}, namespace="/play", callback=True)["ok"]


@pytest.mark.parametrize("event", ["action", "choose", "resync", "ping_clock"])
def test_an_event_with_several_arguments_gets_a_bad_payload_ack(running, event):
    ack = running["red"].emit(event, 1, 2, 3, namespace="/play", callback=True)
    assert ack["ok"] is False and ack["error"] == "bad_payload", ack
    assert "one JSON object" in ack["message"]
    sid = running["drill"]["id"]
    for name in ("control", "watch"):
        ack = running["trainer"].emit(
            name, {"session": sid}, 2, namespace="/trainer", callback=True
        )
        assert ack["ok"] is False and ack["error"] == "bad_payload", ack
    still = running["red"].emit("ping_clock", {}, namespace="/play", callback=True)
    assert still["ok"], still
