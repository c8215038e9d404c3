"""The cohort in Chromium: from a team's section of the debrief, the trainer opens how the team
did against the earlier teams of the same scenario, with the team highlighted."""

import re
import sqlite3

import pytest
from playwright.sync_api import expect

from .helpers import end_session, new_session, participant, write_memo

pytestmark = pytest.mark.browser


def test_compare_a_team_with_earlier_teams(browser, base_url, trainer_page, live_db, shoot):
    trainer = trainer_page
    first, _ = new_session(trainer, "late-delivery", "30.0", ["Faucons", "Corbeaux"])
    trainer.click('[data-do="start"]')
    expect(trainer.locator("[data-status]")).to_have_class(re.compile("status--running"))
    end_session(trainer)

    second, code = new_session(trainer, "late-delivery", "30.0", ["Loutres", "Castors"])
    ana = participant(browser, base_url, code, "Ana", 0)
    with sqlite3.connect(live_db) as db:
        teams = dict(db.execute("select name, id from team where session_id=?", (second,)))
    trainer.click('[data-do="start"]')
    ana.wait_for_selector(".post", timeout=30_000)
    write_memo(ana, live_db, teams["Loutres"])
    end_session(trainer)

    trainer.goto(f"/trainer/{second}/debrief")
    trainer.locator(f"#team-{teams['Loutres']} [data-cohort]").click()
    trainer.wait_for_url(re.compile(rf"/trainer/{second}/debrief/{teams['Loutres']}/cohort$"))
    me = trainer.locator("tr.is-me")
    expect(me).to_have_count(1)
    expect(me.locator(".cohort-team a")).to_have_text("Loutres")
    for name in ("Faucons", "Corbeaux", "Castors"):
        expect(trainer.locator(".cohort-team a", has_text=name)).to_have_count(1)
    expect(trainer.locator("[data-rank]")).to_have_text(re.compile(r"^\d+(er|e)\b.* \d+$"))
    assert trainer.evaluate(
        "['cohort-criteria-chart', 'cohort-strip-chart']"
        ".every((id) => window.Chart.getChart(document.getElementById(id)))"
    )
    # the team in the colour the debrief draws it in (Loutres: the palette's first, blue)
    assert (
        trainer.evaluate(
            "window.Chart.getChart(document.getElementById('cohort-criteria-chart'))"
            ".data.datasets[0].backgroundColor"
        )
        == "#1d4f9c"
    )
    # the Castors (nothing done) rank below the Loutres (a memo to staff)
    rows = trainer.locator("table[data-sortable] tbody tr .cohort-team a").all_inner_texts()
    assert rows.index("Loutres") < rows.index("Castors")
    shoot(trainer, "cohort-desktop")

    # sorted by team name on a click; each team links to its session's debrief
    trainer.locator("table[data-sortable] th:nth-child(2) button").click()
    names = trainer.locator("table[data-sortable] tbody tr .cohort-team a").all_inner_texts()
    assert names == sorted(names, key=str.casefold)
    trainer.locator(".cohort-team a", has_text="Faucons").click()
    trainer.wait_for_url(re.compile(rf"/trainer/{first}/debrief#team-\d+$"))

    # on a phone: nothing wider than the screen but the tables, which scroll
    phone = browser.new_context(
        base_url=base_url, locale="fr-FR", viewport={"width": 390, "height": 844}
    )
    phone.add_cookies(trainer.context.cookies())
    small = phone.new_page()
    small.goto(f"/trainer/{second}/debrief/{teams['Loutres']}/cohort")
    expect(small.locator("tr.is-me")).to_be_visible()
    assert small.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(small, "cohort-phone")
    phone.close()
