"""The printable report and its PDF: in the session's language, with the ratings and the charts
(read back with pdftotext and looked at with pdftoppm); who may read it; the SVG charts."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from simulator.extensions import db
from simulator.models import DrillSession, Trainer
from simulator.services import aar, charts, sharing
from simulator.services import report as reports
from simulator.services import sessions as svc

# The live-drill fixtures (a trainer, participants, the runner on a fake clock), reused.
from tests.sockets.conftest import (  # noqa: F401
    MINIMAL,
    _control,
    _tick,
    join,
    login,
    runner,
    running,
    stranger,
    trainer,
    trainer_socket,
    wall,
)
from tests.sockets.test_actions import act

SVG = "{http://www.w3.org/2000/svg}"
LABELS = {
    "volume": "posts per minute",
    "negative": "negative posts",
    "unanswered": "negative, same storm unanswered",
    "actions": "team actions",
    "injects": "injects",
    "time": "simulated time (h:mm)",
    "title": "Red's storm",
}
GOOD = {
    "fr": "Nous sommes désolés pour ce retard. Nous travaillons à livrer votre colis aujourd'hui.",
    "en": "We are sorry about the delay. We are working to deliver your parcel today.",
}
WORDS = {  # what the PDF must say, in the session's language
    "fr": {
        "criteria": ["Détection", "Escalade", "Communication interne"],
        "meanings": ["Réalisé avec quelques difficultés", "Non réalisé"],
        "legend": ["publications par minute", "négatives, même tempête sans réponse"],
        "headings": ["Retour d’expérience", "Les équipes côte à côte"],
        "objective": "Répondre vite et bien",
    },
    "en": {
        "criteria": ["Detection", "Escalation", "Internal communication"],
        "meanings": ["Performed with some challenges", "Unable to be performed"],
        "legend": ["posts per minute", "negative, same storm unanswered"],
        "headings": ["After-action review", "Teams side by side"],
        "objective": "Respond fast and well",
    },
}


# -- fixtures --------------------------------------------------------------------------------


@pytest.fixture
def lang():
    return "fr"


@pytest.fixture
def drill(app, trainer, wall, lang):  # noqa: F811
    """A session of the minimal scenario in `lang`, teams Red and Blue, in the lobby."""
    with app.app_context():
        session = svc.create_session(
            db.session.get(Trainer, trainer),
            svc.NewSession("minimal", MINIMAL.read_text(), lang, 10.0, 42, ["Red", "Blue"]),
        )
        return {"id": session.id, "code": session.join_code, "teams": [t.id for t in session.teams]}


@pytest.fixture
def played(app, running, runner, lang):  # noqa: F811
    """An ended session: Red escalated, answered well and sent a memo; Blue only watched and
    drafted a reply. The facilitator rated Red's objectives and wrote an improvement plan."""
    red, director, blue = running["red"], running["director"], running["blue"]
    act(red, key="m", type="memo", text="Memo 7f3a: hold all replies until comms speaks")
    act(
        red, key="e", type="escalate", target="i-first-complaint", role="comms_director", severity=2
    )
    act(director, key="r", type="reply", target="i-first-complaint", text=GOOD[lang])
    act(blue, key="t", type="tag", target="i-first-complaint", tag="watch")
    act(blue, key="d", type="reply", target="i-first-complaint", text="No comment 9b2c.")
    sid = running["drill"]["id"]
    _tick(app, runner, sid, 60)
    _control(running["trainer"], session=sid, action="end")
    with app.app_context():
        session = db.session.get(DrillSession, sid)
        red_team = session.teams[0]
        aar.rate(red_team, "respond", "S", "Note 4e1d: a good reply, a little late")
        aar.rate(red_team, "escalate", "U")
        aar.add_item(
            red_team, "plan", "Plan 8c0b: train on holding statements", "Claire", "2026-04-15"
        )
        return {"id": sid, "trainer": session.trainer_id}


def _client(app, trainer_id):
    client = app.test_client()
    login(client, trainer_id)
    return client


def _tool(name: str) -> str:
    """The path of a poppler tool; without it the test skips, except on CI where it fails."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (poppler-utils: make system-deps)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message} (CI=true: a missing tool is a failure)")
        pytest.skip(message)
    return path


@pytest.fixture
def pdf_tools():
    """pdftotext and pdftoppm, and a WeasyPrint that loads (same rule: skip, fail on CI)."""
    try:
        reports._weasyprint()
    except reports.ReportUnavailable as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{exc} (CI=true: a missing library is a failure)")
        pytest.skip(str(exc))
    return {"pdftotext": _tool("pdftotext"), "pdftoppm": _tool("pdftoppm")}


def _text(pdf_tools, path: Path) -> str:
    out = subprocess.run(
        [pdf_tools["pdftotext"], "-layout", str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    return out


def _flat(text: str) -> str:
    return " ".join(text.split())


# -- the PDF ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_pdf_has_the_teams_ratings_and_charts_in_the_sessions_language(
    app, played, pdf_tools, lang, tmp_path
):
    response = _client(app, played["trainer"]).get(f"/trainer/{played['id']}/report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="stormdrill-session-{played["id"]}.pdf"'
    )
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.data)
    text = _text(pdf_tools, pdf)
    flat = _flat(text)
    words = WORDS[lang]

    assert text.count("\f") > 1  # more than one page
    assert "Red" in flat and "Blue" in flat
    for label in words["criteria"] + words["headings"] + words["legend"]:
        assert label in flat, label
    assert words["objective"] in flat
    for meaning in words["meanings"]:  # the ratings' meanings, in the session's language
        assert meaning in flat, meaning
    first = words["meanings"][0].split()[0]  # the row: objective, the facilitator's S, meaning
    assert re.search(rf"{words['objective']}\s+S\s+{first}", text)
    assert "Note 4e1d" in flat and "Plan 8c0b" in flat and "2026-04-15" in flat
    assert "Memo 7f3a" in flat  # the trainer's report has the memos
    assert GOOD[lang].split(".")[0] in flat and "No comment 9b2c." in flat
    other = WORDS["en" if lang == "fr" else "fr"]
    assert other["headings"][0] not in flat and other["legend"][0] not in flat

    subprocess.run(
        [pdf_tools["pdftoppm"], "-r", "60", "-png", str(pdf), str(tmp_path / "page")], check=True
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == text.count("\f")
    from PIL import Image  # WeasyPrint's own dependency

    for page in pages[:3]:
        with Image.open(page) as image:
            darkest, _ = image.convert("L").getextrema()
            colours = image.convert("RGB").getcolors(maxcolors=1 << 16) or []
        assert darkest < 100  # there is ink on the page
        assert len(colours) > 8  # charts and text, not a blank or flat page


def test_a_share_link_gives_the_pdf_without_the_teams_memos(app, played, pdf_tools, tmp_path):
    with app.app_context():
        token = sharing.create_link(db.session.get(DrillSession, played["id"]))
    response = app.test_client().get(f"/shared/{token}/report.pdf")  # nobody logged in
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    pdf = tmp_path / "shared.pdf"
    pdf.write_bytes(response.data)
    flat = _flat(_text(pdf_tools, pdf))
    assert "Red" in flat and "Répondre vite et bien" in flat
    assert "Memo 7f3a" not in flat  # memos stay with the team and the trainer
    # the share page says what the PDF says: the same review, the same totals
    page = app.test_client().get(f"/shared/{token}").get_data(as_text=True)
    assert "Note 4e1d" in page and "Plan 8c0b" in page and "Memo 7f3a" not in page
    assert "Note 4e1d" in flat and "Plan 8c0b" in flat


# -- the printable page, and who may read what -----------------------------------------------


def test_the_printable_page_is_in_the_sessions_language_with_svg_charts(app, played):
    with app.app_context():
        session = db.session.get(DrillSession, played["id"])
        session.teams[1].name = "<script>alert(1)</script>"
        db.session.commit()
    client = _client(app, played["trainer"])
    client.get("/lang/en")  # the trainer's own language does not change the report's
    page = client.get(f"/trainer/{played['id']}/report").get_data(as_text=True)
    assert '<html lang="fr">' in page and "Retour d’expérience" in page
    assert "data-print" in page and f"/trainer/{played['id']}/report.pdf" in page
    assert page.count("<svg") == 3  # the criteria and one timeline per team
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    debrief = client.get(f"/trainer/{played['id']}/debrief").get_data(as_text=True)
    assert f"/trainer/{played['id']}/report" in debrief


def test_the_report_is_the_trainers_own(app, played):
    sid = played["id"]
    anonymous = app.test_client()
    for url in (f"/trainer/{sid}/report", f"/trainer/{sid}/report.pdf"):
        response = anonymous.get(url)
        assert response.status_code == 302 and "/login" in response.location
    other = stranger(app)
    assert other.get(f"/trainer/{sid}/report").status_code == 404
    assert other.get(f"/trainer/{sid}/report.pdf").status_code == 404


def test_a_revoked_or_unknown_share_link_gives_no_pdf(app, played):
    with app.app_context():
        session = db.session.get(DrillSession, played["id"])
        token = sharing.create_link(session)
        sharing.revoke(session, sharing.links(session)[0].id)
    client = app.test_client()
    assert client.get(f"/shared/{token}/report.pdf").status_code == 404
    assert client.get("/shared/not-a-token/report.pdf").status_code == 404


def test_without_pango_the_pdf_is_a_clear_503(app, played, monkeypatch):
    def missing():
        raise reports.ReportUnavailable("WeasyPrint cannot load the Pango libraries (test)")

    monkeypatch.setattr(reports, "_weasyprint", missing)
    response = _client(app, played["trainer"]).get(f"/trainer/{played['id']}/report.pdf")
    assert response.status_code == 503
    assert "Pango" in response.get_data(as_text=True)


# -- the charts ------------------------------------------------------------------------------


TIMELINE = {
    "minutes": [0, 1, 2, 3],
    "volume": [1, 4, 9, 3],
    "negative": [0, 2, 6, 1],
    "unanswered_negative": [0, 3, 8, 5],
    "actions": [{"t": 70.0, "type": "reply", "by": "<b>Ana</b>"}],
    "injects": [{"t": 60.0, "id": "first-complaint"}],
    "phases": [{"start": 0, "title": "Étincelle", "title_en": "Spark"}],
}


def _texts(svg: str) -> list[str]:
    return [el.text or "" for el in ET.fromstring(svg).iter(f"{SVG}text")]


def test_the_timeline_chart_is_svg_with_its_legend_series_and_markers():
    svg = charts.timeline_svg(TIMELINE, LABELS, "en")
    root = ET.fromstring(svg)  # well-formed
    texts = _texts(svg)
    for key in ("volume", "negative", "unanswered", "actions", "injects", "time"):
        assert LABELS[key] in texts
    assert "Spark" in texts and "Étincelle" not in texts
    assert len(root.findall(f".//{SVG}polyline")) == 3
    assert len(root.findall(f".//{SVG}polygon[@class='action']")) == 1
    assert len(root.findall(f".//{SVG}g[@class='inject']")) == 1
    assert "<b>" not in svg and "&lt;b&gt;Ana" in svg
    assert svg == charts.timeline_svg(TIMELINE, LABELS, "en")  # the same bytes every time


def test_an_empty_timeline_still_draws_axes_and_legend():
    svg = charts.timeline_svg({}, LABELS)
    root = ET.fromstring(svg)
    assert root.findall(f".//{SVG}polyline") == []
    assert LABELS["volume"] in _texts(svg) and "0:00" in _texts(svg)


def test_the_criteria_chart_names_every_team_and_escapes_them():
    criteria = [
        {"label": "Détection", "points": 3.0, "max": 15},
        {"label": "Tri", "points": 0, "max": 0},
    ]
    teams = [{"name": f"Team {i}", "criteria": criteria} for i in range(9)]
    teams.append({"name": "<script>alert(1)</script>", "criteria": criteria})
    svg = charts.criteria_svg(teams, {"title": "Criteria per team"})
    root = ET.fromstring(svg)
    texts = _texts(svg)
    assert "<script>" not in svg and "<script>alert(1)</script>" in texts
    assert texts.count("Team 3") == 2  # named in each criterion's panel
    assert any(t.startswith("Détection") for t in texts) and "3.0/15" in texts
    assert len(root.findall(f".//{SVG}g[@class='criterion']")) == 2
    assert ET.fromstring(charts.criteria_svg([], {"title": "x"})) is not None


@pytest.mark.parametrize(
    ("names", "colours"),
    [
        (["Rouge", "Bleue"], ["#c0281b", "#1d4f9c"]),
        (["Bleue", "Rouge"], ["#1d4f9c", "#c0281b"]),
        (["Blue team", "Red team"], ["#1d4f9c", "#c0281b"]),
        (["Équipe VERTE", "Les Jaunes"], ["#1e7b34", "#a88a00"]),
        # names that are not colours take the palette, never a colour a named team has
        (["Alpha", "Rouge", "Bravo"], [charts.PALETTE[0], "#c0281b", charts.PALETTE[2]]),
        (["Bleu", "Alpha"], ["#1d4f9c", "#c0281b"]),
    ],
)
def test_a_team_is_drawn_in_its_names_colour(names, colours):
    assert charts.team_colours(names) == colours


def test_the_criteria_chart_draws_each_team_in_its_colour_and_french_numbers():
    criteria = [{"label": "Détection", "points": 0.9, "max": 15}]
    teams = [
        {"name": "Bleue", "colour": "#1d4f9c", "criteria": criteria},
        {"name": "Rouge", "colour": "#c0281b", "criteria": criteria},
    ]
    svg = charts.criteria_svg(teams, {"title": "Critères"}, lang="fr")
    bars = {
        r.find(f"{SVG}title").text: r.get("fill")
        for r in ET.fromstring(svg).iter(f"{SVG}rect")
        if r.find(f"{SVG}title") is not None
    }
    assert bars == {"Bleue": "#1d4f9c", "Rouge": "#c0281b"}
    assert "0,9/15" in _texts(svg)
