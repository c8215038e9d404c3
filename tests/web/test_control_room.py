"""The trainer's control room and replay: injects named by their first words, a prepared inject
readable before it is sent, roles in the session's language, one word for one state."""

import json
import re
from datetime import UTC, datetime

import pytest

from simulator.extensions import db
from simulator.models import DrillSession, Trainer
from simulator.services import sessions as svc

from ..sockets.conftest import MINIMAL
from .test_drill_pages import csrf, logged_in, trainer_id  # noqa: F401


@pytest.fixture
def drill_in(app, trainer_id):  # noqa: F811
    """make(lang) -> (session id, join code): a session of the minimal scenario."""

    def make(lang: str):
        with app.app_context():
            s = svc.create_session(
                db.session.get(Trainer, trainer_id),
                svc.NewSession("minimal", MINIMAL.read_text(), lang, 1.0, 5, ["Red", "Blue"]),
            )
            return s.id, s.join_code

    return make


def _data(page: str, element_id: str) -> dict:
    found = re.search(
        rf'<script type="application/json" id="{element_id}">(.*?)</script>', page, re.S
    )
    return json.loads(found.group(1))


def test_a_prepared_inject_shows_its_first_words_text_author_and_platform(logged_in, drill_in):  # noqa: F811
    sid, _ = drill_in("fr")
    page = logged_in.get(f"/trainer/{sid}").get_data(as_text=True)
    option = re.search(r'<option value="curveball">([^<]*)</option>', page).group(1)
    assert option == "Presse et blogs · Enquête : les coulisses de {brand}"
    preview = re.search(
        r'<article class="inject-preview" data-inject-preview="curveball" hidden>(.*?)</article>',
        page,
        re.S,
    ).group(1)
    assert "Enquête : les coulisses de {brand}" in preview  # the whole text, not a label
    assert "Journaliste" in preview and "Presse et blogs" in preview  # author, platform
    data = _data(page, "control-data")
    # the control room names open injects by what the team reads, never by their ids
    assert data["inject_labels"]["first-complaint"] == (
        "Colis attendu depuis 10 jours, aucune réponse de…"
    )


def test_the_participant_list_names_roles_in_the_sessions_language(logged_in, drill_in):  # noqa: F811
    sid, _ = drill_in("en")
    data = _data(logged_in.get(f"/trainer/{sid}").get_data(as_text=True), "control-data")
    assert data["roles"] == {
        "community_manager": "Community manager",
        "comms_director": "Communications director",
    }


def test_an_english_participant_in_a_french_session_escalates_to_roles_in_english(
    logged_in,  # noqa: F811
    drill_in,
):
    _, code = drill_in("fr")
    participant = logged_in.application.test_client()
    participant.set_cookie("stormdrill_lang", "en")
    token = csrf(participant, f"/join/{code}")
    participant.post("/join", data={"csrf_token": token, "code": code, "name": "Ana"})
    page = participant.get("/play").get_data(as_text=True)
    escalation = re.search(r'<select[^>]*id="esc-role"[^>]*>(.*?)</select>', page, re.S)
    assert re.findall(r">([^<]+)</option>", escalation.group(1)) == [
        "Community manager",
        "Communications director",
    ]
    assert "Directrice de la communication" not in page
    assert [r["title"] for r in _data(page, "play-data")["roles"]] == [
        "Community manager",
        "Communications director",
    ]


def test_a_running_session_is_live_on_every_page(app, client, logged_in, drill_in):  # noqa: F811
    sid, code = drill_in("fr")
    with app.app_context():
        db.session.get(DrillSession, sid).status = "running"
        db.session.commit()
    control = _data(logged_in.get(f"/trainer/{sid}").get_data(as_text=True), "control-data")
    assert control["status"]["running"] == "En direct"
    sessions = logged_in.get("/trainer/").get_data(as_text=True)
    replay = logged_in.get(f"/trainer/{sid}/replay").get_data(as_text=True)
    participant = logged_in.application.test_client()
    token = csrf(participant, f"/join/{code}")
    participant.post("/join", data={"csrf_token": token, "code": code, "name": "Ana"})
    play = _data(participant.get("/play").get_data(as_text=True), "play-data")
    assert play["i18n"]["running"] == "En direct"
    for page in (sessions, replay):
        assert re.search(r'class="status status--running">En direct<', page)
    assert "En cours" not in sessions + replay + json.dumps(control, ensure_ascii=False)


def test_the_replay_names_injects_by_their_first_words(logged_in, drill_in):  # noqa: F811
    sid, _ = drill_in("en")
    data = _data(logged_in.get(f"/trainer/{sid}/replay").get_data(as_text=True), "replay-data")
    assert data["inject_labels"]["first-complaint"] == (
        "Parcel 10 days late and not a word from @ColibriExpress"
    )
    assert "{id}" not in data["i18n"]["inject"] and "{label}" in data["i18n"]["inject"]


def test_the_play_page_has_singular_and_plural_counters(app, drill_in):
    sid, code = drill_in("fr")
    participant = app.test_client()
    token = csrf(participant, f"/join/{code}")
    participant.post("/join", data={"csrf_token": token, "code": code, "name": "Ana"})
    i18n = _data(participant.get("/play").get_data(as_text=True), "play-data")["i18n"]
    assert i18n["replies"] == ["{n} réponse", "{n} réponses"]
    assert i18n["shares"] == ["{n} partage", "{n} partages"]
    assert i18n["followers"] == ["{n} abonné", "{n} abonnés"]


@pytest.mark.parametrize(
    ("language", "rate", "negative"), [("fr", "0,0", "0\u00a0%"), ("en", "0.0", "0%")]
)
def test_the_tiles_start_with_numbers_in_the_pages_language(
    logged_in,  # noqa: F811
    drill_in,
    language,
    rate,
    negative,
):
    sid, _ = drill_in("fr")
    logged_in.get(f"/lang/{language}")
    page = logged_in.get(f"/trainer/{sid}").get_data(as_text=True)
    assert re.findall(r"data-rate>([^<]*)<", page) == [rate, rate]
    assert re.findall(r"data-negative>([^<]*)<", page) == [negative, negative]


def test_the_sessions_list_counts_teams_and_dates_in_the_pages_language(
    app,
    logged_in,  # noqa: F811
    trainer_id,  # noqa: F811
):
    with app.app_context():
        trainer = db.session.get(Trainer, trainer_id)
        one = svc.NewSession("minimal", MINIMAL.read_text(), "fr", 1.0, 5, ["Seule"])
        session = svc.create_session(trainer, one)
        session.created_at = datetime(2026, 12, 5, 9, 30, tzinfo=UTC)
        db.session.commit()
    page = logged_in.get("/trainer/").get_data(as_text=True)
    assert "1 équipe ·" in page and "1 équipes" not in page
    assert "5 déc. 2026, 09:30" in page
    logged_in.get("/lang/en")
    page = logged_in.get("/trainer/").get_data(as_text=True)
    assert "1 team ·" in page and "5 Dec 2026, 09:30" in page
