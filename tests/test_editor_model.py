"""The editor's model: scenario YAML -> form data -> YAML keeps every field; errors find fields."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from simulator.engine.loader import ScenarioError, load_scenario_text
from simulator.importers import editor

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml")) + [ROOT / "docs" / "example-scenario.yaml"]


def errors_of(text: str) -> list[str]:
    try:
        load_scenario_text(text, "scenario.yaml")
    except ScenarioError as exc:
        return exc.errors
    return []


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_yaml_to_form_to_yaml_keeps_every_field(path):
    text = path.read_text(encoding="utf-8")
    form = editor.yaml_to_form(text)
    assert yaml.safe_load(editor.form_to_yaml(form)) == yaml.safe_load(text)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_the_form_edits_injects_with_fields_not_yaml(path):
    form = editor.yaml_to_form(path.read_text(encoding="utf-8"))
    for inject in form["injects"]:
        assert inject["id"] and inject["time"] and inject["platform"] and inject["persona"]
        assert inject["text_fr"] or inject["text_en"]
        more = yaml.safe_load(inject["more"]) if inject["more"] else {}
        assert not {"id", "time", "platform", "persona", "text"} & set(more)
    assert form["brand_name"] and form["accounts"]
    assert all(p["negative"] and p["start"] for p in form["phases"])


def test_a_changed_field_changes_only_that_value():
    text = (ROOT / "scenarios" / "late-delivery.yaml").read_text(encoding="utf-8")
    form = editor.yaml_to_form(text)
    form["injects"][2]["time"] = "31m"
    form["injects"][2]["bait"] = True
    form["accounts"].append({"platform": "news", "handle": "Hopla Presse"})
    before, after = yaml.safe_load(text), yaml.safe_load(editor.form_to_yaml(form))
    assert after["injects"][2]["time"] == "31m"
    assert after["injects"][2]["bait"] is True
    assert after["brand"]["handles"]["news"] == "Hopla Presse"
    after["injects"][2].pop("bait")
    after["injects"][2]["time"] = before["injects"][2]["time"]
    after["brand"]["handles"].pop("news")
    assert after == before


def test_texts_the_form_cannot_hold_stay_as_yaml():
    data = yaml.safe_load((ROOT / "docs" / "example-scenario.yaml").read_text(encoding="utf-8"))
    data["injects"][0]["author"]["verified"] = True  # the form's author has no such field
    data["injects"][0]["must_escalate_to"] = None
    form = editor.scenario_to_form(data)
    assert form["injects"][0]["author_handle"] == ""
    assert yaml.safe_load(form["injects"][0]["more"])["author"]["verified"] is True
    assert yaml.safe_load(editor.form_to_yaml(form)) == data


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_new_scenario_is_valid_in_one_language(lang):
    data = editor.new_scenario(
        "volta", "Panne", "Volta Air", "Le site de réservation est en panne", lang
    )
    scenario = load_scenario_text(editor.dump(data), "volta.yaml")
    assert scenario.languages == (lang,)
    assert scenario.duration == 45 * 60
    assert len(scenario.injects) == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda f: f["injects"][1].update(time="5 minutes"), "injects.1.time"),
        (lambda f: f["injects"][1].update(text_fr="", text_en=""), "injects.1.text_fr"),
        (lambda f: f["injects"][1].update(persona="nobody"), "injects.1.persona"),
        (lambda f: f["injects"][0].update(severity="9"), "injects.0.severity"),
        (lambda f: f["phases"][1].update(negative="2"), "phases.1.negative"),
        (lambda f: f["phases"][0].update(rate_forum="many"), "phases.0.rate_forum"),
        (lambda f: f["personas"][0].update(archetype="alien"), "personas.0.archetype"),
        (lambda f: f.update(duration="long"), "duration"),
        (lambda f: f.update(title_en=""), "title_en"),
        (lambda f: f["accounts"][1].update(handle=""), "accounts.1.handle"),
        (lambda f: f["roles"][0].update(approval_by="ghost"), "roles.0.approval_by"),
    ],
)
def test_each_loader_error_names_the_field_it_is_about(change, field):
    form = editor.yaml_to_form(
        (ROOT / "docs" / "example-scenario.yaml").read_text(encoding="utf-8")
    )
    change(form)
    lines = errors_of(editor.form_to_yaml(form))
    assert lines
    found = editor.errors_by_field(lines, form)
    assert field in [e["field"] for e in found], found
    assert [e["line"] for e in found] == lines


def test_a_yaml_text_that_does_not_parse_is_named():
    form = editor.yaml_to_form(
        (ROOT / "docs" / "example-scenario.yaml").read_text(encoding="utf-8")
    )
    form["rubric_yaml"] = "min_required: [2"
    form["injects"][0]["more"] = "- a list"
    with pytest.raises(editor.EditorError) as caught:
        editor.form_to_yaml(form)
    fields = [f for f, _message in caught.value.problems]
    assert fields == ["injects.0.more", "rubric_yaml"]


def test_a_line_without_a_place_is_for_the_summary_only():
    found = editor.errors_by_field(["scenario.yaml: ... and 4 more errors"], {})
    assert found[0]["field"] == "" and found[0]["message"].endswith("4 more errors")
