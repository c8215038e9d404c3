"""The home page lists the shipped scenarios in the visitor's language; the switch remembers it."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from markupsafe import escape

from simulator import create_app
from simulator.engine.loader import load_directory
from simulator.web.main import scenario_catalogue

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "engine" / "data" / "minimal.yaml"


def shipped():
    """What the app serves: SCENARIO_DIR (the shipped scenarios unless overridden)."""
    scenarios, _ = load_directory(os.environ.get("SCENARIO_DIR") or ROOT / "scenarios")
    return sorted(scenarios, key=lambda s: (s.severity, s.id))


def text(response) -> str:
    return response.get_data(as_text=True)


def html(value: str) -> str:
    return str(escape(value))


def test_home_lists_every_shipped_scenario_mildest_first(client):
    scenarios = shipped()
    assert scenarios, "no scenario in scenarios/ loads"
    page = text(client.get("/", headers={"Accept-Language": "en"}))
    positions = [page.index(f'data-scenario="{s.id}"') for s in scenarios]
    assert positions == sorted(positions)
    for s in scenarios:
        assert html(s.title("en")) in page


def test_home_shows_severity_duration_and_languages(app, client):
    first = shipped()[0]
    page = text(client.get("/", headers={"Accept-Language": "en"}))
    card = page[page.index(f'data-scenario="{first.id}"') :]
    card = card[: card.index("</li>")]
    assert f"severity--{first.severity}" in card
    assert f"{round(first.duration / 60)} minutes" in card
    assert "English" in card and "French" in card


def test_home_is_french_by_default(client):
    response = client.get("/")
    page = text(response)
    assert '<html lang="fr">' in page
    assert "Scénarios" in page
    for s in shipped():
        assert html(s.title("fr")) in page


def test_accept_language_picks_english(client):
    page = text(client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9,fr;q=0.5"}))
    assert '<html lang="en">' in page
    assert "Scenarios" in page


def test_unsupported_accept_language_falls_back_to_french(client):
    page = text(client.get("/", headers={"Accept-Language": "de-DE,de;q=0.9"}))
    assert '<html lang="fr">' in page


def test_language_switch_sets_a_long_lived_cookie_and_goes_back(client):
    response = client.get("/lang/en?next=/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    cookie = client.get_cookie("stormdrill_lang")
    assert cookie.value == "en"
    assert cookie.max_age and cookie.max_age >= 300 * 24 * 3600
    assert cookie.http_only and cookie.same_site == "Lax"


def test_chosen_language_wins_over_the_browser(client):
    client.get("/lang/en")
    page = text(client.get("/", headers={"Accept-Language": "fr"}))
    assert '<html lang="en">' in page
    client.get("/lang/fr")
    page = text(client.get("/", headers={"Accept-Language": "en"}))
    assert '<html lang="fr">' in page


def test_language_switch_by_post_goes_back_to_the_referrer(app):
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    response = client.post("/lang/en", headers={"Referer": "http://localhost/?page=2"})
    assert response.headers["Location"] == "/?page=2"
    assert client.get_cookie("stormdrill_lang").value == "en"


def test_language_switch_post_needs_a_csrf_token(client):
    assert client.post("/lang/en").status_code == 400


def test_unknown_language_is_not_found(client):
    assert client.get("/lang/de").status_code == 404
    assert client.get_cookie("stormdrill_lang") is None


def test_invalid_language_cookie_is_ignored(client):
    client.set_cookie("stormdrill_lang", "xx")
    page = text(client.get("/", headers={"Accept-Language": "en"}))
    assert '<html lang="en">' in page


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "http:evil.example",
        "javascript:alert(1)",
        "https://localhost.evil.example/",
        "/\r\nSet-Cookie: x=1",
        " //evil.example",
    ],
)
def test_language_switch_never_redirects_to_another_site(client, target):
    response = client.get("/lang/en", query_string={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_language_switch_ignores_a_foreign_referrer(client):
    response = client.get("/lang/en", headers={"Referer": "https://evil.example/phish"})
    assert response.headers["Location"] == "/"


def test_language_switch_keeps_a_same_site_absolute_target(client):
    response = client.get("/lang/en", query_string={"next": "http://localhost/healthz?x=1"})
    assert response.headers["Location"] == "/healthz?x=1"


def test_switch_links_point_back_to_the_current_page(client):
    page = text(client.get("/?x=1&y=2"))
    assert 'href="/lang/en?next=/?x%3D1%26y%3D2"' in page


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_a_second_app_works_in_the_same_process(app, make_app):
    second = make_app()
    assert second is not app
    assert second.test_client().get("/healthz").get_json() == {"status": "ok"}
    assert app.test_client().get("/").status_code == 200


def test_create_app_accepts_a_dict_of_overrides(tmp_path, monkeypatch):
    monkeypatch.setenv("STORMDRILL_ENV", "testing")
    app = create_app({"SCENARIO_DIR": str(tmp_path), "SECRET_KEY": "x"})
    assert app.config["TESTING"] and app.config["SCENARIO_DIR"] == str(tmp_path)


def test_broken_scenario_files_are_reported_not_fatal(make_app, tmp_path):
    shutil.copy(MINIMAL, tmp_path / "minimal.yaml")
    (tmp_path / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    app = make_app(SCENARIO_DIR=str(tmp_path))
    page = text(app.test_client().get("/", headers={"Accept-Language": "en"}))
    assert "Late parcel" in page
    assert "1 scenario file could not be loaded" in page


def test_the_catalogue_is_loaded_once_per_app(app):
    assert scenario_catalogue(app) is scenario_catalogue(app)


def test_scenario_text_is_escaped(make_app, tmp_path):
    source = MINIMAL.read_text(encoding="utf-8").replace(
        'en: "Late parcel"', 'en: "<script>alert(1)</script>"'
    )
    (tmp_path / "minimal.yaml").write_text(source, encoding="utf-8")
    app = make_app(SCENARIO_DIR=str(tmp_path))
    page = text(app.test_client().get("/", headers={"Accept-Language": "en"}))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_browser_asking_for_favicon_ico_gets_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response.location.endswith("/static/favicon.svg")


def test_pages_carry_a_content_security_policy_without_inline_scripts(client):
    for path in ("/", "/login", "/join"):
        policy = client.get(path).headers["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["script-src"] == "'self'", path
        assert directives["style-src"] == "'self'" and directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"
    templates = Path(__file__).resolve().parents[2] / "templates"
    for page in templates.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        inline = re.findall(r"<script(?![^>]*\b(?:src|type=\"application/json\"))[^>]*>", html)
        assert not inline, f"{page.name}: inline script"
        assert not re.search(r"\son[a-z]+=\"", html), f"{page.name}: inline event handler"
