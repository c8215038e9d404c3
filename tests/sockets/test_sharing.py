"""Sharing the debrief: read-only links without an account, and the participants' hot wash."""

import hashlib
import re

from sqlalchemy import select

from simulator.extensions import db
from simulator.models import DrillSession, ShareLink, Trainer
from simulator.services import sessions as svc
from simulator.services import sharing

from .conftest import MINIMAL, events, login, stranger
from .test_debrief import play

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def trainer_client(app, running):
    client = app.test_client()
    with app.app_context():
        trainer_id = db.session.get(DrillSession, running["drill"]["id"]).trainer_id
    login(client, trainer_id)
    return client


def csrf(client, url):
    return CSRF.search(client.get(url).get_data(as_text=True)).group(1)


def share(client, sid) -> str:
    """Create a share link from the debrief page, as the trainer does: its URL, shown once."""
    token = csrf(client, f"/trainer/{sid}/debrief")
    response = client.post(f"/trainer/{sid}/share", data={"csrf_token": token})
    assert response.status_code == 302 and response.location.endswith(f"/trainer/{sid}/debrief")
    page = client.get(f"/trainer/{sid}/debrief").get_data(as_text=True)
    (url,) = re.findall(r'id="share-new" value="([^"]+)"', page)
    again = client.get(f"/trainer/{sid}/debrief").get_data(as_text=True)
    assert url not in again  # shown once
    return url


def path_of(url: str) -> str:
    return "/shared/" + url.rsplit("/shared/", 1)[1]


def test_a_share_link_shows_the_debrief_without_an_account(app, running, runner):
    play(app, running, runner)
    sid = running["drill"]["id"]
    url = share(trainer_client(app, running), sid)

    response = app.test_client().get(path_of(url))  # nobody logged in
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Red" in page and "Blue" in page and "Note interne" in page  # a score reason
    assert '<mark class="hit hit--good"' in page and 'class="injects"' in page
    assert '<meta name="robots" content="noindex">' in page
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "csrf_token" not in page and f"/trainer/{sid}" not in page  # no trainer controls
    assert "@Cléo je prends le forum" not in page  # the team chat stays with the team


def test_tokens_are_stored_hashed(app, running):
    sid = running["drill"]["id"]
    url = share(trainer_client(app, running), sid)
    token = url.rsplit("/", 1)[1]
    assert len(token) >= 43
    with app.app_context():
        (link,) = db.session.scalars(select(ShareLink).where(ShareLink.session_id == sid))
        assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in (link.token_hash, str(link.id))


def test_revoked_and_unknown_links_are_not_found(app, running):
    sid = running["drill"]["id"]
    client = trainer_client(app, running)
    url = share(client, sid)
    anonymous = app.test_client()
    assert anonymous.get(path_of(url)).status_code == 200
    with app.app_context():
        (link_id,) = db.session.scalars(select(ShareLink.id).where(ShareLink.session_id == sid))
    token = csrf(client, f"/trainer/{sid}/debrief")
    response = client.post(f"/trainer/{sid}/share/{link_id}/revoke", data={"csrf_token": token})
    assert response.status_code == 302
    assert anonymous.get(path_of(url)).status_code == 404
    assert anonymous.get("/shared/" + "x" * 43).status_code == 404
    assert anonymous.get("/shared/" + "x" * 500).status_code == 404
    page = client.get(f"/trainer/{sid}/debrief").get_data(as_text=True)
    assert f'data-share-link="{link_id}"' in page and f"/share/{link_id}/revoke" not in page


def test_a_link_is_revoked_only_through_its_own_session(app, running, trainer):
    sid = running["drill"]["id"]
    with app.app_context():
        mine = db.session.get(DrillSession, sid)
        other = svc.create_session(
            db.session.get(Trainer, trainer),
            svc.NewSession("minimal", MINIMAL.read_text(), "fr", 10.0, 7, ["Green"]),
        )
        token = sharing.create_link(mine)
        link_id = db.session.scalar(select(ShareLink.id).where(ShareLink.session_id == sid))
        assert sharing.revoke(other, link_id) is None
        assert sharing.session_for_token(token).id == sid


def test_participants_see_their_own_team_only_after_the_release(app, running, runner, join):
    _, red_token, _ = join("Dee", 0)
    _, blue_token, _ = join("Eli", 1)
    red_id, blue_id = running["drill"]["teams"]
    play(app, running, runner)
    sid = running["drill"]["id"]
    red, blue = app.test_client(), app.test_client()
    for client, token in ((red, red_token), (blue, blue_token)):
        with client.session_transaction() as s:
            s["participant_token"] = token

    before = red.get("/play/debrief")
    assert before.status_code == 200
    page = before.get_data(as_text=True)
    assert "hotwash-wait" in page and "Point de situation" not in page

    trainer = trainer_client(app, running)
    token = csrf(trainer, f"/trainer/{sid}/debrief")
    running["red"].get_received("/play")
    assert (
        trainer.post(f"/trainer/{sid}/hotwash", data={"csrf_token": token, "on": "1"}).status_code
        == 302
    )
    (told,) = events(running["red"], name="hotwash")
    assert told["args"][0] == {"url": "/play/debrief"}

    mine = red.get("/play/debrief").get_data(as_text=True)
    assert f'id="team-{red_id}"' in mine and f'id="team-{blue_id}"' not in mine
    assert "Point de situation pour tous" in mine and "@Cléo je prends le forum" in mine
    theirs = blue.get("/play/debrief").get_data(as_text=True)
    assert f'id="team-{blue_id}"' in theirs and f'id="team-{red_id}"' not in theirs
    assert "Point de situation" not in theirs and "Cléo" not in theirs
    assert app.test_client().get("/play/debrief").status_code == 302  # no participant: join

    # in English, the hot wash of a French session: criteria, injects and numbers in English
    english = red.get("/play/debrief", headers={"Accept-Language": "en"}).get_data(as_text=True)
    for french, english_name in (("Détection", "Detection"), ("Escalade", "Escalation")):
        assert english_name in english and french not in english
    assert "Parcel 10 days late" in english and "first-complaint" not in english.split("<script")[0]
    assert re.search(r"\d\.\d/15", english) and not re.search(r"\d,\d/15", english)
    french = red.get("/play/debrief", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Détection" in french and re.search(r"\d,\d/15", french)
    assert "Cléo · 1 action ·" in french and "Ana · 3 actions ·" in french  # ngettext

    trainer.post(f"/trainer/{sid}/hotwash", data={"csrf_token": token, "on": "0"})
    assert "hotwash-wait" in red.get("/play/debrief").get_data(as_text=True)


def test_another_trainer_cannot_share_revoke_or_release(app, running):
    sid = running["drill"]["id"]
    with app.app_context():
        link_token = sharing.create_link(db.session.get(DrillSession, sid))
        link_id = db.session.scalar(select(ShareLink.id).where(ShareLink.session_id == sid))
    client = stranger(app)
    token = csrf(client, "/trainer/new")
    data = {"csrf_token": token, "on": "1"}
    assert client.post(f"/trainer/{sid}/share", data=data).status_code == 404
    assert client.post(f"/trainer/{sid}/share/{link_id}/revoke", data=data).status_code == 404
    assert client.post(f"/trainer/{sid}/hotwash", data=data).status_code == 404
    anonymous = app.test_client()
    data = {"csrf_token": csrf(anonymous, "/join"), "on": "1"}
    response = anonymous.post(f"/trainer/{sid}/hotwash", data=data)
    assert response.status_code == 302 and "/login" in response.location
    with app.app_context():
        assert len(sharing.links(db.session.get(DrillSession, sid))) == 1
        assert sharing.session_for_token(link_token) is not None
        assert db.session.get(DrillSession, sid).hotwash is False


def test_the_trainer_forms_need_the_csrf_token(app, running):
    sid = running["drill"]["id"]
    client = trainer_client(app, running)
    assert client.post(f"/trainer/{sid}/share").status_code == 400
    assert client.post(f"/trainer/{sid}/share", data={"csrf_token": "forged"}).status_code == 400
    assert client.post(f"/trainer/{sid}/hotwash", data={"on": "1"}).status_code == 400
    with app.app_context():
        session = db.session.get(DrillSession, sid)
        assert sharing.links(session) == [] and session.hotwash is False
