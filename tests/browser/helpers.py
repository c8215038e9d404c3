"""Steps the browser tests share: a participant joining, a trainer creating a session."""

import re

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
    page.click("[data-choose] button[type=submit]")
    expect(page.locator("[data-feed]")).to_be_visible()
    return page


def new_session(trainer, scenario, speed, teams):
    trainer.goto("/trainer/new")
    trainer.select_option("#scenario", scenario)
    trainer.select_option("#speed", speed)
    trainer.fill("#teams", "\n".join(teams))
    trainer.click("#submit")
    trainer.wait_for_url(re.compile(r"/trainer/\d+$"))
    return int(trainer.url.rsplit("/", 1)[1]), trainer.inner_text("[data-join-code]")
