"""Sessions keep the version of the trainer's scenario they ran, and say which."""

from __future__ import annotations

import re

from simulator.extensions import db
from simulator.models import DrillSession

from .test_library import (  # noqa: F401
    EN,
    alice,
    app,
    csrf,
    mine,
    one_scenario_dir,
    page,
    trainer,
    upload,
)


def new_session(client, scenario: str, lang: str = "en", headers=EN):
    token = csrf(client, "/trainer/new")
    return client.post(
        "/trainer/new",
        data={
            "csrf_token": token,
            "scenario": scenario,
            "lang": lang,
            "speed": "1.0",
            "seed": "7",
            "teams": "Red\nBlue",
            "team_choice": "pick",
            "intensity": "calm",
        },
        headers=headers,
    )


def test_a_session_keeps_the_version_it_ran_and_names_it(app, alice):  # noqa: F811
    first, second = mine(), mine().replace("severity: 2", "severity: 3", 1)
    upload(alice, first.encode())
    one = new_session(alice, "mine")
    assert one.status_code == 302
    upload(alice, second.encode())
    two = new_session(alice, "mine")
    shipped = new_session(alice, "late-delivery")
    with app.app_context():
        rows = db.session.query(DrillSession).order_by(DrillSession.id).all()
        assert [(s.scenario_version, s.scenario_yaml == first) for s in rows[:2]] == [
            (1, True),
            (2, False),
        ]
        assert rows[2].scenario_version is None  # a shipped scenario has no versions
    listing = page(alice.get("/trainer/", headers=EN))
    assert re.findall(r'class="scenario-version">(v\d)<', listing) == ["v2", "v1"]
    assert 'class="scenario-version">v1<' in page(alice.get(one.location, headers=EN))
    assert 'class="scenario-version">v2<' in page(alice.get(two.location, headers=EN))
    assert "scenario-version" not in page(alice.get(shipped.location, headers=EN))
    debrief = alice.get(two.location + "/debrief", headers=EN)
    assert debrief.status_code == 200
    assert 'class="scenario-version">v2<' in page(debrief)
