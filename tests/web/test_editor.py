"""The scenario editor's pages: open, check as you type (the loader's errors), preview, save."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from simulator.extensions import db
from simulator.importers import editor as model
from simulator.models import ScenarioUpload

from .test_library import EN, csrf, log_in, make_trainer, page, uploads

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = (ROOT / "docs" / "example-scenario.yaml").read_text(encoding="utf-8")


@pytest.fixture
def app(make_app, tmp_path_factory):
    folder = tmp_path_factory.mktemp("editor-scenarios")
    (folder / "late-delivery.yaml").write_bytes(
        (ROOT / "scenarios" / "late-delivery.yaml").read_bytes()
    )
    return make_app(SCENARIO_DIR=str(folder))


@pytest.fixture
def alice(client, app):
    log_in(client, make_trainer(app, "alice"))
    return client


def flat(form: dict) -> dict[str, str]:
    """The form data as the browser posts it (WTForms' FieldList names: injects-0-time)."""
    out = {}
    for key, value in form.items():
        if isinstance(value, list):
            for i, item in enumerate(value):
                for sub, v in item.items():
                    if v is True:
                        out[f"{key}-{i}-{sub}"] = "y"
                    elif v:
                        out[f"{key}-{i}-{sub}"] = v
        elif value:
            out[key] = value
    return out


def post(client, url: str, form: dict, **kwargs):
    data = {"csrf_token": csrf(client, "/library/new"), **flat(form)}
    return client.post(url, data=data, headers=EN, **kwargs)


def example(**changes) -> dict:
    form = model.yaml_to_form(EXAMPLE)
    form.update(changes)
    return form


def test_pages_are_for_logged_in_trainers_only(client):
    for url in ("/library/new", "/library/late-delivery/edit"):
        assert client.get(url).status_code in (302, 401)
    assert client.post("/library/edit/check").status_code in (302, 400, 401)


def test_the_editor_opens_a_copy_of_a_shipped_scenario(alice):
    response = alice.get("/library/late-delivery/edit", headers=EN)
    assert response.status_code == 200
    html = page(response)
    assert 'value="late-delivery-copy"' in html
    assert 'name="injects-0-time"' in html and 'name="csrf_token"' in html
    assert "<script>" not in html  # the CSP refuses inline scripts


def test_a_new_scenario_from_nothing(alice):
    data = {
        "csrf_token": csrf(alice, "/library/new"),
        "new_id": "volta-outage",
        "title": "Panne chez Volta Air",
        "brand": "Volta Air",
        "incident": "le site de réservation est en panne",
        "minutes": "45",
    }
    html = page(alice.post("/library/new", data=data, headers={"Accept-Language": "fr"}))
    assert 'value="volta-outage"' in html and 'value="45m"' in html
    assert 'name="injects-0-text_fr"' in html


def test_new_refuses_a_bad_id(alice):
    data = {
        "csrf_token": csrf(alice, "/library/new"),
        "new_id": "Volta Air!",
        "title": "x",
        "brand": "x",
        "incident": "x",
    }
    assert alice.post("/library/new", data=data, headers=EN).status_code == 400


def test_check_gives_the_loaders_errors_next_to_their_fields(alice):
    form = example()
    form["injects"][1]["time"] = "in five minutes"
    form["injects"][2]["severity"] = "9"
    response = post(alice, "/library/edit/check", form)
    assert response.status_code == 200
    errors = response.get_json()["errors"]
    assert [e["id"] for e in errors] == ["injects-1-time", "injects-2-severity"]
    form["injects"][1]["time"] = "36m"
    form["injects"][2]["severity"] = "2"
    form["injects"][2]["persona"] = "nobody"  # references are checked once the shape is right
    errors = post(alice, "/library/edit/check", form).get_json()["errors"]
    assert [e["id"] for e in errors] == ["injects-2-persona"]


def test_check_without_csrf_is_refused(alice):
    assert alice.post("/library/edit/check", data=flat(example())).status_code == 400


def test_the_editors_errors_are_scenario_validates(alice, app, tmp_path, monkeypatch):
    """One validator: the same lines as `scenario validate` on the YAML the editor writes."""
    form = example()
    form["injects"][0]["time"] = "soon"
    form["injects"][1]["severity"] = "7"
    form["phases"][0]["negative"] = "x"
    form["roles"][0]["approval_by"] = "ghost"
    form.update(duration="", title_en="")
    editor_errors = post(alice, "/library/edit/check", form).get_json()["errors"]
    (tmp_path / "scenario.yaml").write_text(model.form_to_yaml(form), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = app.test_cli_runner().invoke(args=["scenario", "validate", "scenario.yaml"])
    assert result.exit_code == 1
    cli_lines = (
        result.stderr.strip().splitlines() if result.stderr else result.output.strip().splitlines()
    )
    assert [e["line"] for e in editor_errors] == cli_lines
    assert len(cli_lines) >= 2


def test_a_yaml_text_that_does_not_parse_is_shown_at_its_field(alice):
    form = example(rubric_yaml="required: [")
    errors = post(alice, "/library/edit/check", form).get_json()["errors"]
    assert [e["id"] for e in errors] == ["rubric_yaml"]


def test_preview_gives_the_storm_after_an_inject_and_the_curve(alice):
    form = example()
    response = post(alice, "/library/edit/preview?inject=journalist-asks", form)
    data = response.get_json()
    assert data["errors"] == []
    assert data["inject"]["id"] == "journalist-asks"
    assert data["minutes"] == 90 and len(data["planned"]) == 90
    assert sum(data["volume"]) > 0 and len(data["volume"]) == data["counted"]
    assert data["posts"] and all(35 * 60 <= p["t"] < 38 * 60 for p in data["posts"])
    assert any(p["inject"] == "journalist-asks" for p in data["posts"])


def test_preview_of_an_invalid_form_says_so(alice):
    form = example(duration="never")
    data = post(alice, "/library/edit/preview", form).get_json()
    assert data["errors"] and "posts" not in data


def test_save_stores_the_scenario_and_opens_it(alice, app):
    form = example(id="colibri-drill")
    response = post(alice, "/library/edit/save", form)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/library/colibri-drill")
    assert [slug for _trainer, slug in uploads(app)] == ["colibri-drill"]
    edited = page(alice.get("/library/colibri-drill/edit", headers=EN))
    assert 'value="colibri-drill"' in edited  # one's own scenario is edited as it is
    form["injects"][0]["time"] = "6m"
    assert post(alice, "/library/edit/save", form).status_code == 302
    with app.app_context():
        rows = db.session.query(ScenarioUpload.slug, ScenarioUpload.version).all()
    assert sorted(rows) == [("colibri-drill", 1), ("colibri-drill", 2)]  # a new version


def test_save_with_errors_stores_nothing_and_shows_them(alice, app):
    form = example(id="colibri-drill", duration="never")
    response = post(alice, "/library/edit/save", form)
    assert response.status_code == 400
    assert 'id="duration-error"' in page(response)
    assert re.search(r'id="duration-error"[^>]*>[^<]*not a duration', page(response))
    assert uploads(app) == []


def test_export_yaml_is_what_validate_accepts(alice):
    response = post(alice, "/library/edit/export/yaml", example(id="colibri-drill"))
    assert response.status_code == 200
    assert yaml.safe_load(response.get_data(as_text=True)) == {
        **yaml.safe_load(EXAMPLE),
        "id": "colibri-drill",
    }


def test_export_msel(alice):
    response = post(alice, "/library/edit/export/xlsx", example())
    assert response.status_code == 200
    assert response.get_data()[:2] == b"PK"


def test_a_huge_storm_is_cut_and_says_where(monkeypatch):
    from simulator.services import editor as service

    monkeypatch.setattr(service, "CURVE_POSTS", 50)
    monkeypatch.setattr(service, "MAX_POSTS", 200)
    service._curves.clear()
    data = service.preview(example(), "curveball", "fr")
    assert 150 < sum(data["volume"]) <= 200  # whole minutes up to the 200th post
    assert data["counted"] < data["minutes"] == 90
    assert len(data["volume"]) == data["counted"]
    service._curves.clear()
