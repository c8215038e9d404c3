"""The trainer's scenario library: list, preview, upload, MSEL import; each trainer's own."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from markupsafe import escape
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from simulator.engine.loader import MAX_BYTES, ScenarioError, load_directory, load_scenario_text
from simulator.engine.storm import window
from simulator.extensions import db
from simulator.models import ScenarioUpload, Trainer

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
MINIMAL = (ROOT / "tests" / "engine" / "data" / "minimal.yaml").read_text(encoding="utf-8")
MSEL_EXAMPLE = (ROOT / "docs" / "msel-example.csv").read_bytes()
EN = {"Accept-Language": "en"}


def html(value: str) -> str:
    return str(escape(value))


def page(response) -> str:
    return response.get_data(as_text=True)


def make_trainer(app, name: str) -> int:
    with app.app_context():
        trainer = Trainer(name=name, password_hash="x")
        db.session.add(trainer)
        db.session.commit()
        return trainer.id


def log_in(client, trainer_id: int) -> None:
    with client.session_transaction() as s:
        s["_user_id"] = str(trainer_id)
        s["_fresh"] = True


@pytest.fixture(scope="session")
def one_scenario_dir(tmp_path_factory) -> Path:
    """A scenario folder with late-delivery only: each app loads its folder, and faster so."""
    folder = tmp_path_factory.mktemp("scenarios")
    (folder / "late-delivery.yaml").write_bytes((SCENARIOS / "late-delivery.yaml").read_bytes())
    return folder


@pytest.fixture
def app(make_app, one_scenario_dir):
    return make_app(SCENARIO_DIR=str(one_scenario_dir))


@pytest.fixture
def trainer(app) -> int:
    return make_trainer(app, "alice")


@pytest.fixture
def alice(client, trainer):
    log_in(client, trainer)
    return client


def csrf(client, url: str) -> str:
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page(client.get(url)))
    assert token, f"no CSRF token on {url}"
    return token.group(1)


def upload(client, raw: bytes, filename: str = "mine.yaml"):
    return client.post(
        "/library/upload",
        data={"csrf_token": csrf(client, "/library/upload"), "file": (io.BytesIO(raw), filename)},
        content_type="multipart/form-data",
        headers=EN,
    )


def mine(scenario_id: str = "mine") -> str:
    return re.sub(r"(?m)^id: .*$", f"id: {scenario_id}", MINIMAL, count=1)


def uploads(app) -> list[tuple[int, str]]:
    with app.app_context():
        return [(u.trainer_id, u.slug) for u in db.session.query(ScenarioUpload)]


def import_msel(client, raw: bytes = MSEL_EXAMPLE, filename: str = "plan.csv", **fields):
    data = {
        "csrf_token": csrf(client, "/library/import"),
        "file": (io.BytesIO(raw), filename),
        "base": "late-delivery",
        "new_id": "late-delivery-msel",
        "title_fr": "Colis perdu (MSEL)",
        "title_en": "Lost parcel (MSEL)",
        **fields,
    }
    return client.post("/library/import", data=data, content_type="multipart/form-data", headers=EN)


def result_yaml(response) -> str:
    m = re.search(
        r'<textarea[^>]*name="yaml_text"[^>]*>\r?\n?(.*?)</textarea>', page(response), re.S
    )
    assert m, "no YAML in the result"
    return (
        m.group(1)
        .replace("&#34;", '"')
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
    )


# -- who may see what -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/library/", "/library/late-delivery", "/library/upload", "/library/import"]
)
def test_pages_are_for_logged_in_trainers_only(client, url):
    response = client.get(url)
    assert response.status_code in (302, 401)
    if response.status_code == 302:
        assert "login" in response.headers["Location"]


def test_another_trainer_cannot_see_or_delete_an_upload(app, alice, trainer):
    assert upload(alice, mine().encode()).status_code == 302
    bob = app.test_client()
    log_in(bob, make_trainer(app, "bob"))
    assert 'data-scenario="mine"' not in page(bob.get("/library/"))
    assert bob.get("/library/mine").status_code == 404
    assert bob.get("/library/mine/download").status_code == 404
    token = csrf(bob, "/library/upload")
    assert bob.post("/library/mine/delete", data={"csrf_token": token}).status_code == 404
    assert uploads(app) == [(trainer, "mine")]


# -- the list and the preview ---------------------------------------------------------------


def test_the_list_shows_every_shipped_scenario_with_its_facts(make_app):
    app = make_app(SCENARIO_DIR=str(SCENARIOS))
    client = app.test_client()
    log_in(client, make_trainer(app, "carol"))
    scenarios, _ = load_directory(SCENARIOS)
    assert len(scenarios) >= 6
    text = page(client.get("/library/", headers=EN))
    for s in scenarios:
        row = text[text.index(f'data-scenario="{s.id}"') :]
        row = row[: row.index("</tr>")]
        assert html(s.title("en")) in row
        assert f"severity--{s.severity}" in row
        assert f"{round(s.duration / 60)} minutes" in row
        assert f'<div class="lib-cell">{len(s.scheduled_injects)}</div>' in row
        assert "English" in row and "French" in row
        assert "Microblog" in row and "Staff channel" in row
        assert 'data-source="shipped"' in text[text.index(f'data-scenario="{s.id}"') - 200 :]


def test_the_list_is_in_french_by_default(alice):
    text = page(alice.get("/library/"))
    assert '<html lang="fr">' in text
    assert html("« Ce n'est qu'un jouet »") in text


def test_the_preview_shows_phases_injects_and_a_sample_of_posts(alice):
    response = alice.get("/library/late-delivery", headers=EN)
    assert response.status_code == 200
    text = page(response)
    scenario = load_scenario_text(
        (ROOT / "scenarios" / "late-delivery.yaml").read_text(encoding="utf-8"), "x"
    )
    assert text.count('class="tl__phase tl__phase--') == len(scenario.phases)
    assert text.count('class="tl__marker"') == len(scenario.scheduled_injects)
    for inj in scenario.scheduled_injects:
        assert f'id="inject-{inj.id}"' in text
        assert html(inj.text("en")) in text
    assert "left: 5.714%" in text  # the first inject, at 6m of 1h45m
    posts = text.count('<li class="post post--')
    assert 30 <= posts <= 45
    assert "post--inject" in text  # the scripted post of that window is always in the sample


def test_an_unknown_scenario_is_a_404(alice):
    assert alice.get("/library/no-such-thing").status_code == 404


def test_a_scenario_can_be_downloaded_as_yaml(alice):
    response = alice.get("/library/late-delivery/download")
    assert response.status_code == 200
    assert response.mimetype == "application/yaml"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.get_data(as_text=True).startswith("# Stormdrill scenario")


# -- upload -----------------------------------------------------------------------------------


def test_a_valid_upload_is_listed_and_previewed(app, alice, trainer):
    response = upload(alice, mine().encode())
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/library/mine")
    listing = page(alice.get("/library/", headers=EN))
    assert 'data-scenario="mine" data-source="uploaded"' in listing
    assert alice.get("/library/mine", headers=EN).status_code == 200
    assert uploads(app) == [(trainer, "mine")]


# -- versions ---------------------------------------------------------------------------------


def versions_of(app, slug: str = "mine") -> list[tuple[int, str]]:
    with app.app_context():
        rows = db.session.query(ScenarioUpload).filter_by(slug=slug).order_by("version")
        return [(u.version, u.yaml_text) for u in rows]


def test_uploading_a_scenario_again_stores_a_new_version_and_keeps_the_earlier_ones(app, alice):
    first = mine()
    second = mine().replace("severity: 2", "severity: 3", 1)
    assert upload(alice, first.encode()).status_code == 302
    response = upload(alice, second.encode())
    assert response.status_code == 302
    assert versions_of(app) == [(1, first), (2, second)]
    shown = page(alice.get(response.headers["Location"], headers=EN))
    assert "You already had the scenario mine: this one is saved as version 2" in shown
    # the library lists the latest version once, with its number
    listing = page(alice.get("/library/", headers=EN))
    assert listing.count('data-scenario="mine"') == 1
    assert ">v2</a>" in listing
    # the scenario's page lists both, newest first, each with its date and its exports
    rows = re.findall(r'<tr data-version="(\d+)"', shown)
    assert rows == ["2", "1"]
    assert shown.count("Uploaded file mine.yaml") == 2  # where each version came from
    assert 'href="/library/mine?version=1"' in shown
    assert 'href="/library/mine/download?version=1"' in shown
    assert 'href="/library/mine/msel.xlsx?version=1"' in shown
    # an earlier version opens and exports as it was stored
    older = page(alice.get("/library/mine?version=1", headers=EN))
    assert "You are looking at version 1, an earlier version of this scenario" in older
    assert alice.get("/library/mine/download?version=1").get_data(as_text=True) == first
    assert alice.get("/library/mine/download").get_data(as_text=True) == second
    assert alice.get("/library/mine?version=3").status_code == 404
    assert alice.get("/library/mine?version=x").status_code == 404


def test_the_same_text_again_stores_nothing_new(app, alice):
    upload(alice, mine().encode())
    response = upload(alice, mine().encode())
    assert len(versions_of(app)) == 1
    shown = page(alice.get(response.headers["Location"], headers=EN))
    assert "This is the same text as version 1 of mine: nothing new was stored." in shown


def test_deleting_a_scenario_deletes_every_version(app, alice):
    upload(alice, mine().encode())
    upload(alice, mine().replace("severity: 2", "severity: 3", 1).encode())
    token = csrf(alice, "/library/mine")
    assert alice.post("/library/mine/delete", data={"csrf_token": token}).status_code == 302
    assert versions_of(app) == []


def test_save_version_validates_numbers_versions_and_refuses_shipped_ids(app, trainer):
    from simulator.services import scenarios as library

    with app.test_request_context():
        alice = db.session.get(Trainer, trainer)
        scenario, number = library.save_version(alice, mine(), "editor")
        assert (scenario.id, number) == ("mine", 1)
        changed = mine().replace("severity: 2", "severity: 4", 1)
        assert library.save_version(alice, changed, "editor")[1] == 2
        assert library.save_version(alice, changed, "editor")[1] == 2  # nothing new
        listed = library.versions(alice, "mine")
        assert [(v.version, v.origin, v.latest) for v in listed] == [
            (2, "editor", True),
            (1, "editor", False),
        ]
        assert library.get_version(alice, "mine")[1:] == (changed, 2)
        assert library.get_version(alice, "mine", 1)[1:] == (mine(), 1)
        # an invalid text: located errors, nothing stored
        broken = re.sub(r"(?m)^severity: \d", "severity: 9", mine(), count=1)
        with pytest.raises(ScenarioError) as caught:
            library.save_version(alice, broken, "editor")
        line = next(i for i, t in enumerate(broken.splitlines(), 1) if t.startswith("severity"))
        assert any(e.startswith(f"editor:{line}:") for e in caught.value.errors)
        assert len(library.versions(alice, "mine")) == 2
        # a shipped scenario is never overwritten: its copy needs an id of its own
        shipped = (SCENARIOS / "late-delivery.yaml").read_text(encoding="utf-8")
        with pytest.raises(ScenarioError, match="is the id of a shipped scenario"):
            library.save_version(alice, shipped, "editor")
        assert library.copy_id(alice, "late-delivery") == "late-delivery-copy"
        copy = re.sub(r"(?m)^id: .*$", "id: late-delivery-copy", shipped, count=1)
        assert library.save_version(alice, copy, "editor")[1] == 1
        assert library.copy_id(alice, "late-delivery") == "late-delivery-copy-2"
        assert library.versions(alice, "late-delivery") == []
        # another trainer's versions are theirs
        bob = Trainer(name="bob", password_hash="x")
        db.session.add(bob)
        db.session.commit()
        assert library.versions(bob, "mine") == []
        assert library.save_version(bob, mine(), "editor")[1] == 1


def test_an_invalid_upload_shows_every_error_with_its_line_and_stores_nothing(app, alice):
    broken = mine().replace("duration: 2h", "duration: 2 hours", 1)
    broken = re.sub(r"(?m)^severity: \d", "severity: 9", broken, count=1)
    assert broken != mine()
    response = upload(alice, broken.encode())
    assert response.status_code == 400
    text = page(response)
    lines = broken.splitlines()
    severity_line = next(i for i, line in enumerate(lines, 1) if line.startswith("severity:"))
    assert f"Line {severity_line}, column" in text
    assert html("severity: 9 must be at most 5") in text
    assert "Nothing was stored" in text
    assert uploads(app) == []


def test_malformed_yaml_and_a_shipped_id_are_refused(app, alice):
    text = page(upload(alice, b"id: x\ntitle: [unclosed\n"))
    assert "Line 3, column 1" in text
    assert html("malformed YAML: expected ',' or ']'") in text
    text = page(upload(alice, mine("late-delivery").encode()))
    assert "Line 2, column 1" in text  # the line of `id:` (line 1 is a comment)
    assert html('id: "late-delivery" is the id of a shipped scenario') in text
    assert uploads(app) == []


def test_an_oversized_upload_gets_a_clear_message(app, alice):
    # encoded here: the test client would spool a large body to a file it never closes
    boundary, body = encode_multipart(
        {
            "csrf_token": csrf(alice, "/library/upload"),
            "file": FileStorage(io.BytesIO(b"#" * (MAX_BYTES + 1)), filename="big.yaml"),
        }
    )
    response = alice.post(
        "/library/upload",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        headers=EN,
    )
    assert response.status_code == 400
    assert "The file is too large: it must be at most 2 MB." in page(response)
    assert uploads(app) == []


def test_a_huge_request_is_refused_before_it_is_read(app, alice):
    boundary, body = encode_multipart(
        {"file": FileStorage(io.BytesIO(b"#" * (9 * 1024 * 1024)), filename="huge.yaml")}
    )
    response = alice.post(
        "/library/upload",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        headers=EN,
    )
    assert response.status_code == 413
    assert "The file is too large: it must be at most 2 MB." in page(response)
    assert uploads(app) == []


def test_upload_needs_the_csrf_token(app, alice):
    response = alice.post(
        "/library/upload",
        data={"file": (io.BytesIO(mine().encode()), "mine.yaml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert uploads(app) == []


def test_an_upload_can_be_deleted_by_its_owner(app, alice):
    upload(alice, mine().encode())
    token = csrf(alice, "/library/mine")
    response = alice.post("/library/mine/delete", data={"csrf_token": token})
    assert response.status_code == 302
    assert uploads(app) == []
    token = csrf(alice, "/library/upload")
    assert (
        alice.post("/library/late-delivery/delete", data={"csrf_token": token}).status_code == 404
    )


def test_scenario_text_is_rendered_inert(alice):
    hostile = mine().replace('fr: "Colis en retard"', 'fr: "<script>alert(1)</script>"', 1)
    assert hostile != mine()
    assert upload(alice, hostile.encode()).status_code == 302
    for url in ("/library/", "/library/mine"):
        text = page(alice.get(url))
        assert "<script>alert(1)</script>" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


# -- MSEL import ------------------------------------------------------------------------------


def test_an_msel_import_gives_valid_yaml_to_download_or_add(app, alice, trainer):
    response = import_msel(alice)
    assert response.status_code == 200, page(response)
    yaml_text = result_yaml(response)
    scenario = load_scenario_text(yaml_text, "imported.yaml")
    assert scenario.id == "late-delivery-msel"
    assert scenario.inject("lost-bike").must_escalate_to == "customer_service"
    assert uploads(app) == []  # nothing is stored until the trainer adds it

    token = csrf(alice, "/library/import")
    download = alice.post(
        "/library/import/download",
        data={"csrf_token": token, "yaml_text": yaml_text.replace("\n", "\r\n")},
        content_type="multipart/form-data",
    )
    assert download.status_code == 200
    assert download.mimetype == "application/yaml"
    assert download.headers["Content-Disposition"] == (
        'attachment; filename="late-delivery-msel.yaml"'
    )
    assert download.get_data(as_text=True) == yaml_text
    assert uploads(app) == []

    added = alice.post(
        "/library/import/add",
        data={"csrf_token": token, "yaml_text": yaml_text},
        content_type="multipart/form-data",
    )
    assert added.status_code == 302
    assert added.headers["Location"].endswith("/library/late-delivery-msel")
    assert uploads(app) == [(trainer, "late-delivery-msel")]
    listing = page(alice.get("/library/", headers=EN))
    assert 'data-scenario="late-delivery-msel" data-source="uploaded"' in listing
    assert html("Lost parcel (MSEL)") in listing


def test_importing_an_msel_again_makes_a_new_version_and_says_so(app, alice, trainer):
    token = csrf(alice, "/library/import")
    first = result_yaml(import_msel(alice))
    add = {"csrf_token": token, "yaml_text": first}
    assert alice.post("/library/import/add", data=add).status_code == 302
    again = import_msel(alice, title_en="Lost parcel (MSEL, take 2)")
    assert (
        "You already have a scenario with the id late-delivery-msel (version 1): adding this "
        "one saves it as version 2" in page(again).replace("\n", " ")
    )
    second = result_yaml(again)
    assert 'name="msel_name" type="hidden" value="plan.csv"' in page(again)
    added = alice.post(
        "/library/import/add",
        data={"csrf_token": token, "yaml_text": second, "msel_name": "plan.csv"},
        headers=EN,
    )
    assert added.status_code == 302
    shown = page(alice.get(added.headers["Location"], headers=EN))
    assert "this one is saved as version 2" in shown
    assert [v for v, _text in versions_of(app, "late-delivery-msel")] == [1, 2]
    assert "MSEL import (plan.csv)" in shown
    assert alice.get("/library/late-delivery-msel/download").get_data(as_text=True) == second


def test_msel_row_errors_are_listed_and_nothing_is_kept(app, alice):
    bad = MSEL_EXAMPLE.replace(b"0:05,microblog", b"0:05,tiktok").replace(
        b"0:26,microblog,troll", b"0:26,microblog,hacker"
    )
    response = import_msel(alice, bad)
    assert response.status_code == 400
    text = page(response)
    assert html('row 2, column "platform" (C2): "tiktok" is not a platform') in text
    assert "textarea" not in text.split("lib-errors", 1)[1].split("</section>", 1)[0]
    assert uploads(app) == []
    # once the file parses, the base scenario finds the unknown persona
    response = import_msel(
        alice, MSEL_EXAMPLE.replace(b"0:26,microblog,troll", b"0:26,microblog,hacker")
    )
    assert html('row 5, column "persona" (D5): "hacker" is not a persona of this scenario') in page(
        response
    )


def test_msel_import_checks_its_form(alice):
    response = import_msel(alice, new_id="Not An Id")
    assert response.status_code == 400
    assert "Use lowercase letters, digits, - and _ only." in page(response)
    response = import_msel(alice, filename="plan.pdf")
    assert response.status_code == 400
    assert "An MSEL is a .csv or .xlsx file." in page(response)
    response = import_msel(alice, new_id="late-delivery")
    assert html('"late-delivery" is the id of a shipped scenario') in page(response)


def test_an_msel_can_go_onto_the_trainers_own_upload(alice):
    upload(
        alice,
        (ROOT / "scenarios" / "late-delivery.yaml")
        .read_bytes()
        .replace(b"id: late-delivery\n", b"id: my-delivery\n", 1),
    )
    assert 'value="my-delivery"' in page(alice.get("/library/import?base=my-delivery"))
    response = import_msel(alice, base="my-delivery", new_id="my-delivery-2")
    assert response.status_code == 200, page(response)


def test_an_xlsx_msel_imports_too(alice):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Heure", "Plateforme", "Auteur", "Texte FR", "Texte EN", "Action attendue"])
    sheet["G1"], sheet["H1"] = "Escalader à", "Objectif"
    sheet.append(["0:05", "microblog", "angry_customer", "Perdu", "Lost", "reply", "", "detect"])
    out = io.BytesIO()
    book.save(out)
    response = import_msel(alice, out.getvalue(), "plan.xlsx")
    assert response.status_code == 200, page(response)
    scenario = load_scenario_text(result_yaml(response), "x.yaml")
    assert [(i.id, i.text.en) for i in scenario.injects] == [("msel-01", "Lost")]


def test_another_trainers_upload_is_not_a_base(app, alice):
    upload(alice, mine().encode())
    bob = app.test_client()
    log_in(bob, make_trainer(app, "bob"))
    response = import_msel(bob, base="mine")
    assert response.status_code == 400
    assert "Not a valid choice" in page(response)


def hseep_workbook(extra_header: str | None = None) -> bytes:
    """An HSEEP-style MSEL as planners keep them: a title block, then the template's header."""
    from openpyxl import Workbook

    header = ["Inject #", "Scenario Time", "Event Type", "From", "To", "Inject Description"]
    header += ["Expected Player Action", "Objective/Capability", "Responsible Controller"]
    rows = [
        [
            "1",
            "09:05",
            "Tweet",
            "Fed-up customer",
            "CM",
            "Parcel 'delivered', never came.",
            "Reply publicly and escalate to customer service",
            "Spot the weak signal",
            "Camille",
        ],
        [
            "2",
            "09:30",
            "News article",
            "journalist",
            "All",
            "Lost parcels pile up in Lyon.",
            "Issue a holding statement",
            "Speak early",
            "Hugo",
        ],
    ]
    if extra_header:
        header.append(extra_header)
        rows = [[*r, "ready"] for r in rows]
    book = Workbook()
    sheet = book.active
    sheet.title = "MSEL"
    for row in [["Hopla outage TTX"], ["Start time:", "09:00"], [], header, *rows]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_msel_errors_quote_the_cell_in_the_pages_language(alice):
    response = import_msel(
        alice, hseep_workbook(), "ttx.xlsx", text_lang="en", start="09:10", new_id="ttx-hopla"
    )
    assert response.status_code == 400
    assert html('sheet "MSEL", row 5, column "Scenario Time" (B5): "09:05" is before') in page(
        response
    )


def test_an_hseep_msel_with_an_unknown_column_is_mapped_then_imported(alice):
    response = import_msel(
        alice, hseep_workbook("Status"), "ttx.xlsx", text_lang="en", new_id="ttx-hopla"
    )
    assert response.status_code == 200
    text = page(response)
    # one mapping question, not one error per header; the file is kept for the next step
    assert "lib-errors" not in text
    assert 'name="map:Status"' in text and "<code>ready</code>" in text
    kept = re.search(r'name="kept_file"[^>]*value="([^"]+)"', text)[1]
    data = {
        "csrf_token": csrf(alice, "/library/import"),
        "kept_file": kept,
        "kept_name": "ttx.xlsx",
        "text_lang": "en",
        "base": "late-delivery",
        "new_id": "ttx-hopla",
        "title_fr": "Panne Hopla",
        "title_en": "Hopla outage",
        "map:Status": "ignore",
    }
    response = alice.post(
        "/library/import", data=data, content_type="multipart/form-data", headers=EN
    )
    assert response.status_code == 200, page(response)
    scenario = load_scenario_text(result_yaml(response), "ttx.yaml")
    first, article = scenario.injects
    assert (first.time, first.platform, first.persona) == (5 * 60, "microblog", "angry_customer")
    assert (article.time, article.platform, article.objective) == (30 * 60, "news", "hold")
    assert first.expected_actions == ("escalate", "reply")
    assert "Controller: Camille" in first.note.en


def post_multipart(client, url: str, fields: dict):
    # encoded here: the test client would spool a large body to a file it never closes
    boundary, body = encode_multipart(fields)
    return client.post(
        url, data=body, content_type=f"multipart/form-data; boundary={boundary}", headers=EN
    )


def test_a_large_msel_kept_while_its_columns_are_mapped_is_read_back(alice):
    """The kept file travels back base64 (a third larger): a 1.8 MB sheet still fits."""
    header = "time,platform,persona,text_fr,text_en,Status,# notes"
    row = "0:05,microblog,angry_customer,Colis perdu,Lost parcel,ready," + "n" * 3500
    raw = "\n".join([header] + [row] * 500).encode()
    assert 1_700_000 < len(raw) < MAX_BYTES
    fields = {
        "csrf_token": csrf(alice, "/library/import"),
        "base": "late-delivery",
        "new_id": "big-msel",
        "title_fr": "Gros MSEL",
        "title_en": "Big MSEL",
    }
    file = FileStorage(io.BytesIO(raw), filename="big.csv")
    response = post_multipart(alice, "/library/import", {**fields, "file": file})
    assert response.status_code == 200 and 'name="map:Status"' in page(response)
    kept = re.search(r'name="kept_file"[^>]*value="([^"]+)"', page(response))[1]
    mapped = {**fields, "kept_file": kept, "kept_name": "big.csv", "map:Status": "ignore"}
    response = post_multipart(alice, "/library/import", mapped)
    assert response.status_code == 200, page(response)[:300]
    assert len(load_scenario_text(result_yaml(response), "big.yaml").injects) == 500


def test_an_hseep_msel_becomes_a_scenario_of_its_own_and_runs(alice):
    """No base scenario: the brand and what happened are asked, the rest is built."""
    fields = dict(text_lang="en", new_id="volta-ttx", base="", severity="3")
    response = import_msel(alice, hseep_workbook(), "ttx.xlsx", **fields)
    assert response.status_code == 400  # the two answers a sheet does not give
    assert page(response).count("Without a base scenario, this is needed.") == 2
    response = import_msel(
        alice,
        hseep_workbook(),
        "ttx.xlsx",
        brand="Volta Air",
        incident="the Volta Air outage",
        duration="45m",
        **fields,
    )
    assert response.status_code == 200, page(response)
    scenario = load_scenario_text(result_yaml(response), "volta.yaml")
    assert scenario.languages == ("en",)
    assert (scenario.brand.name, scenario.duration, scenario.severity) == ("Volta Air", 2700, 3)
    first, article = scenario.injects
    sender = scenario.persona(first.persona)
    assert sender.label.en == "Fed-up customer" and sender.weight == 0  # its inject only
    assert first.author.name == "Fed-up customer"
    assert article.persona == "journalist" and article.objective == "hold"
    posts = window(scenario, 1, "en", (), 0, scenario.duration)
    chatter = [p for p in posts if not p.inject and p.kind != "share"]
    assert len(chatter) > 100
    assert any("Volta Air outage" in p.text for p in chatter)


def test_a_scenarios_injects_download_as_an_msel_that_imports_back(alice):
    response = alice.get("/library/late-delivery/msel.xlsx", headers=EN)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith('filename="late-delivery-msel.xlsx"')
    assert "/library/late-delivery/msel.xlsx" in page(alice.get("/library/late-delivery"))
    response = import_msel(alice, response.data, "late-delivery-msel.xlsx", new_id="ld-again")
    assert response.status_code == 200, page(response)
    again = load_scenario_text(result_yaml(response), "again.yaml")
    shipped = load_scenario_text(
        (ROOT / "scenarios" / "late-delivery.yaml").read_text(encoding="utf-8"), "ld.yaml"
    )
    assert [(i.id, i.time, i.text) for i in again.injects] == [
        (i.id, i.time, i.text) for i in shipped.injects
    ]
    assert alice.get("/library/no-such/msel.xlsx").status_code == 404
