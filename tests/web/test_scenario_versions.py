"""Sessions keep the version of the trainer's scenario they ran, and say which."""

from __future__ import annotations

import dataclasses
import re

import pytest

from simulator.engine.loader import load_scenario_text
from simulator.extensions import db
from simulator.importers.msel import merge_msel, read_msel
from simulator.importers.msel_export import round_trip_fields
from simulator.models import DrillSession, Trainer
from simulator.services import scenarios as library

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


def _same(a, b) -> bool:
    """Two loads of one scenario are equal but for the name of the file they came from."""
    return dataclasses.replace(a, source="") == dataclasses.replace(b, source="")


@pytest.mark.parametrize("slug", ["late-delivery", "mine"])
def test_every_version_exports_as_valid_yaml_and_an_msel_that_imports_back(  # noqa: F811
    app,  # noqa: F811
    alice,  # noqa: F811
    tmp_path,
    slug,
):
    first, second = mine(), mine().replace("severity: 2", "severity: 3", 1)
    upload(alice, first.encode())
    upload(alice, second.encode())
    asked = [None] if slug == "late-delivery" else [None, 1, 2]
    for version in asked:
        query = f"?version={version}" if version else ""
        exported = alice.get(f"/library/{slug}/download{query}")
        assert exported.status_code == 200
        path = tmp_path / f"{slug}-{version}.yaml"
        path.write_bytes(exported.get_data())
        result = app.test_cli_runner().invoke(args=["scenario", "validate", str(path)])
        assert result.exit_code == 0 and f"ok ({slug})" in result.output, result.output
        with app.test_request_context():
            alice_ = db.session.get(Trainer, 1)
            stored, text = library.get_scenario(alice_, slug, version)
        assert exported.get_data(as_text=True) == text
        assert _same(load_scenario_text(path.read_text(encoding="utf-8"), "x.yaml"), stored)
        sheet = alice.get(f"/library/{slug}/msel.xlsx{query}")
        assert sheet.status_code == 200
        rows = read_msel(sheet.get_data(), "x.xlsx").rows
        again = load_scenario_text(merge_msel(text, rows, slug, "t", "t"), "again.yaml")
        assert round_trip_fields(again.injects) == round_trip_fields(stored.injects)
    if slug == "mine":
        with app.test_request_context():
            alice_ = db.session.get(Trainer, 1)
            assert library.get_scenario(alice_, "mine", 1)[1] == first
            assert library.get_scenario(alice_, "mine", 2)[1] == second
