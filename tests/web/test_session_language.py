"""A scenario written in one language runs in it when another is asked, and says so: on the
new-session form before anything is created, then in the control room."""

from __future__ import annotations

import re

from markupsafe import escape

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

FR = {"Accept-Language": "fr"}
WARNING_EN = (
    "This scenario is written only in English: the storm and the injects will be in English, "
    "while each participant's pages stay in their own language."
)
WARNING_FR = (
    "Ce scénario n’est rédigé qu’en anglais\u00a0: la tempête et les injects seront en "
    "anglais, tandis que les pages de chaque participant resteront dans sa propre langue."
)
CONTROL_EN = (
    "You asked for a session in French, but this scenario is written only in English: the "
    "storm and the injects are in English; each participant's pages stay in their own language."
)
CONTROL_FR = (
    "Vous avez demandé une session en français, mais ce scénario n’est rédigé qu’en "
    "anglais\u00a0: la tempête et les injects sont en anglais\u00a0; les pages de chaque "
    "participant restent dans sa propre langue."
)


def english_only() -> str:
    return re.sub(r"(?m)^id: .*$", "id: mine\nlanguages: [en]", mine(), count=1)


def post_new(client, headers, scenario="mine", lang="fr", agreed=""):
    data = {
        "csrf_token": csrf(client, "/trainer/new"),
        "scenario": scenario,
        "lang": lang,
        "speed": "1.0",
        "seed": "7",
        "teams": "Red\nBlue",
        "team_choice": "pick",
        "intensity": "calm",
        "lang_agreed": agreed,
    }
    return client.post("/trainer/new", data=data, headers=headers)


def sessions(flask_app) -> list[tuple[str, str | None]]:
    with flask_app.app_context():
        return [(s.lang, s.asked_lang) for s in db.session.query(DrillSession)]


def agreed_value(html: str) -> str:
    return re.search(r'name="lang_agreed" type="hidden" value="([^"]*)"', html).group(1)


def test_the_form_offers_both_languages_and_warns_before_creating(app, alice):  # noqa: F811
    assert upload(alice, english_only().encode()).status_code == 302
    form = page(alice.get("/trainer/new?scenario=mine", headers=EN))
    assert 'name="lang" type="radio" value="fr"' in form
    assert 'name="lang" type="radio" value="en"' in form
    warned = post_new(alice, EN)
    assert warned.status_code == 200
    html = page(warned)
    assert str(escape(WARNING_EN)) in html
    assert 'value="Create the session in English"' in html
    assert sessions(app) == []  # nothing is created before the trainer has read it
    created = post_new(alice, EN, agreed=agreed_value(html))
    assert created.status_code == 302
    assert sessions(app) == [("en", "fr")]  # the storm runs in English, the ask is kept
    control = page(alice.get(created.location, headers=EN))
    assert str(escape(CONTROL_EN)) in control
    assert CONTROL_FR in page(alice.get(created.location, headers=FR))


def test_the_warning_in_french(app, alice):  # noqa: F811
    upload(alice, english_only().encode())
    html = page(post_new(alice, FR))
    assert WARNING_FR in html
    assert 'value="Créer la session en anglais"' in html


def test_the_language_asked_and_written_needs_no_warning(app, alice):  # noqa: F811
    upload(alice, english_only().encode())
    created = post_new(alice, EN, lang="en")
    assert created.status_code == 302
    assert sessions(app) == [("en", None)]
    assert "data-language-warning" not in page(alice.get(created.location, headers=EN))


def test_agreeing_for_one_scenario_does_not_agree_for_another(app, alice):  # noqa: F811
    upload(alice, english_only().encode())
    other = re.sub(r"(?m)^id: mine$", "id: other", english_only(), count=1)
    upload(alice, other.encode())
    agreed = agreed_value(page(post_new(alice, EN)))
    again = post_new(alice, EN, scenario="other", agreed=agreed)
    assert again.status_code == 200 and str(escape(WARNING_EN)) in page(again)
    assert sessions(app) == []
