"""The debrief in Chromium: the trainer reads it, shares it with a link that works without an
account (until revoked), and releases the hot wash, where each participant sees their own team."""

import re
import sqlite3

import pytest
from playwright.sync_api import expect

from .helpers import new_session, participant, write_memo

pytestmark = pytest.mark.browser


def test_debrief_share_link_and_hot_wash(browser, base_url, trainer_page, live_db, shoot):
    trainer = trainer_page
    session_id, code = new_session(trainer, "late-delivery", "30.0", ["Rouge", "Bleu"])
    ana = participant(browser, base_url, code, "Ana", 0)
    bob = participant(browser, base_url, code, "Bob", 1)
    with sqlite3.connect(live_db) as db:
        teams = dict(db.execute("select name, id from team where session_id=?", (session_id,)))

    # Ana writes a memo to staff: a point for internal communication, with its reason
    trainer.click('[data-do="start"]')
    ana.wait_for_selector(".post", timeout=30_000)
    write_memo(ana, live_db, teams["Rouge"])
    trainer.once("dialog", lambda dialog: dialog.accept())
    trainer.click('[data-do="end"]')
    expect(ana.locator("[data-ended]")).to_be_visible(timeout=10_000)

    # the trainer's debrief: the ranking, and why a team scored
    trainer.goto(f"/trainer/{session_id}/debrief")
    expect(trainer.locator(".ranking tbody tr")).to_have_count(2)
    # each team drawn in its name's colour, whatever its rank (Rouge red, Bleu blue)
    colours = trainer.evaluate(
        "Object.fromEntries(window.Chart.getChart('criteria-chart').data.datasets"
        ".map((d) => [d.label, d.backgroundColor]))"
    )
    assert colours == {"Rouge": "#c0281b", "Bleu": "#1d4f9c"}
    # the PDF link says it is working while the report is made, then saves the file
    with trainer.expect_download(timeout=120_000) as made:
        trainer.get_by_role("link", name="PDF", exact=True).click()
        expect(trainer.locator(".pdf-status")).to_contain_text("Préparation du PDF")
    assert made.value.suggested_filename == f"stormdrill-session-{session_id}.pdf"
    expect(trainer.locator(".pdf-status")).to_have_text("PDF prêt.")
    red = trainer.locator(f"#team-{teams['Rouge']}")
    internal = red.locator("details.criterion").filter(has_text="Communication interne")
    internal.locator("summary").click()
    expect(internal.get_by_text(re.compile("Note interne"))).to_be_visible()

    # what if Rouge had sent no memo? The same storm replayed, the two scores side by side
    red.get_by_role("link", name="Et si…").click()
    trainer.wait_for_url(re.compile(rf"/trainer/{session_id}/debrief/{teams['Rouge']}/fork$"))
    memo = trainer.locator("tbody tr").filter(has_text="note interne")
    memo.locator("input[name=drop]").check()
    trainer.fill("input[name=at]", "0")
    trainer.get_by_role("button", name="Comparer").click()
    row = trainer.locator(".ranking tbody tr").filter(has_text="Communication interne")
    expect(row).to_contain_text("▼")
    expect(trainer.locator("#fork-chart")).to_be_visible()
    # the canvas shows before the chart module has drawn on it (a loaded machine sees it)
    trainer.wait_for_function("() => window.Chart && window.Chart.getChart('fork-chart')")
    assert trainer.evaluate("window.Chart.getChart('fork-chart').data.datasets.length") == 3
    expect(memo.locator("input[name=drop]")).to_be_checked()  # the form keeps the choice
    shoot(trainer, "what-if")
    trainer.go_back()
    trainer.go_back()
    expect(trainer.locator(".ranking tbody tr")).to_have_count(2)

    # a share link, shown once, opens the debrief in a browser that never logged in
    trainer.click("[data-share-create] button[type=submit]")
    url = trainer.locator("[data-share-new]").input_value()
    shoot(trainer, "debrief-share")
    assert re.fullmatch(rf"{re.escape(base_url)}/shared/[A-Za-z0-9_-]{{43}}", url)
    stranger = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 800})
    page = stranger.new_page()
    response = page.goto(url)
    assert response.status == 200 and response.headers["referrer-policy"] == "no-referrer"
    expect(page.locator(".ranking tbody tr")).to_have_count(2)
    expect(page.locator(".debrief-team")).to_have_count(2)
    expect(page.locator('meta[name="robots"]')).to_have_attribute("content", "noindex")
    expect(page.locator("form[action*='/trainer/']")).to_have_count(0)
    shoot(page, "shared-desktop")
    phone = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    small = phone.new_page()
    small.goto(url)
    expect(small.locator(".ranking")).to_be_visible()
    assert small.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(small, "shared-phone")
    phone.close()

    # revoked, the link opens nothing
    trainer.goto(f"/trainer/{session_id}/debrief")
    expect(trainer.locator("[data-share-new]")).to_have_count(0)
    trainer.locator("[data-share-link] .button--danger").click()
    expect(trainer.locator("[data-share-link] .button--danger")).to_have_count(0)
    assert page.goto(url).status == 404
    stranger.close()

    # the hot wash: nothing before the release, then each participant's own team only
    ana.goto("/play/debrief")
    expect(ana.locator(".hotwash-wait")).to_be_visible()
    expect(ana.locator(".debrief-team")).to_have_count(0)
    trainer.click("[data-hotwash] button[type=submit]")
    expect(trainer.locator("[data-hotwash-state]")).to_have_class(re.compile("share__state--on"))
    ana.goto("/play/debrief")
    expect(ana.locator(".debrief-team")).to_have_count(1)
    expect(ana.locator(f"#team-{teams['Rouge']}")).to_be_visible()
    expect(ana.get_by_text("Point de situation pour tous les salariés")).to_be_visible()
    assert "Bleu" not in ana.content()
    bob.goto("/play/debrief")
    expect(bob.locator(f"#team-{teams['Bleu']}")).to_be_visible()
    expect(bob.locator(".debrief-team")).to_have_count(1)
    assert "Rouge" not in bob.content() and "Point de situation" not in bob.content()
    shoot(ana, "hotwash-red")
