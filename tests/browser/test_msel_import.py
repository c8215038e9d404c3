"""An HSEEP-style MSEL to a running session in the browser: the trainer imports the sheet as a
scenario of its own, maps the column the importer does not know, answers the four questions,
adds it to the library and runs it; a participant sees its first inject."""

import re
import time

import pytest
from playwright.sync_api import expect

from .airline_msel import INJECTS, UNKNOWN, airline_msel_xlsx
from .helpers import participant, wait_for_row

pytestmark = pytest.mark.browser

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_an_hseep_msel_becomes_a_running_session(browser, base_url, trainer_page, live_db, shoot):
    trainer = trainer_page
    trainer.set_viewport_size({"width": 1366, "height": 800})
    started = time.monotonic()

    # the sheet, as the planning meeting left it
    trainer.goto("/library/import")
    trainer.set_input_files(
        "#file", {"name": "volta-msel.xlsx", "mimeType": XLSX, "buffer": airline_msel_xlsx()}
    )
    trainer.select_option("#text_lang", "en")
    trainer.select_option("#base", "")
    trainer.fill("#brand", "Volta Air")
    trainer.fill("#incident", "the Volta Air outage")
    trainer.select_option("#severity", "3")
    trainer.fill("#duration", "1h")
    trainer.fill("#new_id", "volta-air-outage")
    trainer.fill("#title_fr", "Panne informatique chez Volta Air")
    trainer.fill("#title_en", "Volta Air IT outage")
    trainer.get_by_role("button", name="Vérifier la MSEL", exact=True).click()

    # the mapping page: the header found on row 5 under the title block, one column to map
    mapping = trainer.locator(".lib-mapping")
    expect(mapping).to_contain_text("5")
    expect(mapping.locator("tbody tr")).to_have_count(1)
    expect(mapping.locator("tbody th")).to_contain_text(UNKNOWN)
    shoot(trainer, "msel-mapping-fr")
    trainer.select_option(f'select[name="map:{UNKNOWN}"]', "notes")
    mapping.get_by_role("button", name="Vérifier à nouveau la MSEL").click()

    # valid: added to the library as version 1
    expect(trainer.locator(".lib-result__title")).to_contain_text("volta-air-outage")
    expect(trainer.locator(".lib-errors")).to_have_count(0)
    trainer.get_by_role("button", name="Ajouter à la bibliothèque").click()
    trainer.wait_for_url(re.compile(r"/library/volta-air-outage$"))
    expect(trainer.locator(".lib-injects > li")).to_have_count(len(INJECTS))
    expect(trainer.locator("#versions tbody tr")).to_have_count(1)
    # the guidance column, mapped to the controller notes, is kept for the trainer
    trainer.locator(".lib-inject__note summary").first.click()
    expect(trainer.locator(".lib-inject__note").first).to_contain_text("First weak signal")

    # a French session of an English-only scenario: said before it is created
    trainer.click(".lib-actions a[href*='/trainer/new']")
    trainer.select_option("#scenario", "volta-air-outage")
    trainer.select_option("#speed", "30.0")
    trainer.fill("#teams", "Cellule A")
    trainer.click("#submit")
    warning = trainer.locator("[data-language-warning]")
    expect(warning).to_contain_text("rédigé qu’en anglais")
    trainer.click("#submit")  # "Créer la session en anglais"
    trainer.wait_for_url(re.compile(r"/trainer/\d+$"))
    expect(trainer.locator("[data-language-warning]")).to_contain_text("en anglais")
    expect(trainer.locator(".scenario-version")).to_have_text("v1")
    code = trainer.inner_text("[data-join-code]")

    ana = participant(browser, base_url, code, "Ana", 0)
    expect(trainer.locator(".lobby-item")).to_have_count(1)
    trainer.click('[data-do="start"]')
    elapsed = time.monotonic() - started
    first = INJECTS[0][7][:40]
    expect(ana.locator(".post", has_text=first).first).to_be_visible(timeout=30_000)
    sid = int(trainer.url.rsplit("/", 1)[1])
    row = wait_for_row(
        live_db, "select lang, asked_lang, scenario_version from drill_session where id=?", (sid,)
    )
    assert row == ("en", "fr", 1)
    print(f"\nsheet to session running (automated): {elapsed:.1f} s")
