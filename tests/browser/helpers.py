"""Steps the browser tests share: a participant joining, a trainer creating a session."""

import re
import sqlite3
import time

import pytest
from playwright.sync_api import expect


def participant(browser, base_url, code, name, team, role="community_manager", viewport=None):
    context = browser.new_context(
        base_url=base_url, locale="fr-FR", viewport=viewport or {"width": 1280, "height": 800}
    )
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.goto(f"/join/{code}")
    page.fill("#name", name)
    page.click("#submit")
    page.wait_for_url(re.compile(r"/play$"))
    page.select_option("#team-choice", index=team)
    page.select_option("#role-choice", role)
    # choosing a team reloads the page (play.js): wait for that load, or the caller's
    # next navigation races it (net::ERR_ABORTED in CI)
    with page.expect_navigation():
        page.click("[data-choose] button[type=submit]")
    expect(page.locator("[data-feed]")).to_be_visible()
    return page


def new_session(trainer, scenario, speed, teams, intensity=None):
    trainer.goto("/trainer/new")
    trainer.select_option("#scenario", scenario)
    trainer.select_option("#speed", speed)
    if intensity:
        trainer.select_option("#intensity", intensity)
    trainer.fill("#teams", "\n".join(teams))
    trainer.click("#submit")
    trainer.wait_for_url(re.compile(r"/trainer/\d+$"))
    return int(trainer.url.rsplit("/", 1)[1]), trainer.inner_text("[data-join-code]")


def wait_for_row(live_db, sql, args, timeout=10.0):
    """The first row the query finds in the live server's database, waiting for it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with sqlite3.connect(live_db) as db:
            row = db.execute(sql, args).fetchone()
        if row:
            return row
        time.sleep(0.2)
    pytest.fail(f"no row for {sql} {args}")


def end_session(trainer):
    """The trainer ends the session from the control room (and confirms)."""
    # the control room knows the session's state once its socket has said it (slow machines)
    status = trainer.locator("[data-status]")
    expect(status).to_have_class(re.compile(r"status--\w"), timeout=30_000)
    trainer.once("dialog", lambda dialog: dialog.accept())
    trainer.click('[data-do="end"]')
    expect(status).to_have_class(re.compile("status--ended"), timeout=30_000)


def write_memo(page, live_db, team_id, text="Point de situation pour tous les salariés"):
    """A participant sends a memo to staff; returns once the server stored it."""
    page.click('[data-open="memo"]')
    page.fill("#memo-text", text)
    page.click("[data-memo] button[type=submit]")
    wait_for_row(live_db, "select id from action where type='memo' and team_id=?", (team_id,))
