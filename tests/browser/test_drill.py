"""A whole live drill in Chromium: a trainer, two teams, two participants (one on a phone)."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def join(browser, base_url, code, name, team_index, viewport):
    context = browser.new_context(base_url=base_url, locale="fr-FR", viewport=viewport)
    page = context.new_page()
    page.goto(f"/join/{code}")
    page.fill("#name", name)
    page.click("#submit")
    page.wait_for_url(re.compile(r"/play$"))
    page.select_option("#team-choice", index=team_index)
    with page.expect_navigation():  # choosing a team reloads the page
        page.click("[data-choose] button[type=submit]")
    expect(page.locator("[data-feed]")).to_be_visible()
    return page


def post_count(page) -> int:
    return page.locator(".post").count()


def test_a_live_drill(browser, base_url, trainer_page, shoot):
    trainer = trainer_page
    trainer.goto("/trainer/new")
    trainer.select_option("#scenario", "product-recall")
    trainer.select_option("#speed", "10.0")
    trainer.fill("#teams", "Rouge\nBleu")
    trainer.click("#submit")
    trainer.wait_for_url(re.compile(r"/trainer/\d+$"))
    code = trainer.inner_text("[data-join-code]")
    assert re.fullmatch(r"[A-HJKMNP-Z2-9]{6}", code)

    red = join(browser, base_url, code, "Ana", 0, {"width": 1280, "height": 800})
    blue = join(browser, base_url, code, "Bob", 1, {"width": 390, "height": 844})
    expect(trainer.locator(".lobby-item")).to_have_count(2)

    trainer.click('[data-do="start"]')
    expect(trainer.locator("[data-status]")).to_have_text(re.compile("live|en direct", re.I))
    # posts arrive in both browsers
    expect(red.locator(".post").first).to_be_visible(timeout=15_000)
    blue.wait_for_function("() => document.querySelectorAll('.post').length > 0", timeout=15_000)
    shoot(trainer, "drill-control")
    shoot(red, "drill-red")
    shoot(blue, "drill-blue-phone")

    # pause stops them
    trainer.click('[data-do="pause"]')
    expect(red.locator("[data-status]")).to_have_class(re.compile("status--paused"))
    red.wait_for_timeout(500)
    paused_at = post_count(red)
    red.wait_for_timeout(2000)
    assert post_count(red) == paused_at

    # resume restarts them
    trainer.click('[data-do="resume"]')
    red.wait_for_function(
        f"() => document.querySelectorAll('.post').length > {paused_at}", timeout=15_000
    )

    # a curveball to one team reaches that team only
    trainer.select_option("#cb-team", label="Bleu")
    trainer.select_option("#cb-platform", "microblog")
    trainer.fill("#cb-text", "ALERTE : rappel produit confirmé par la presse")
    trainer.click("[data-curveball] button[type=submit]")
    # in Blue's microblog column (its "to handle" queue lists it too)
    alert = "ALERTE : rappel produit confirmé par la presse"
    expect(blue.locator(".column .post", has_text=alert)).to_have_count(1, timeout=15_000)
    red.wait_for_timeout(1500)
    expect(red.get_by_text("ALERTE : rappel produit confirmé par la presse")).to_have_count(0)

    # end shows an end notice to everyone
    trainer.once("dialog", lambda dialog: dialog.accept())
    trainer.click('[data-do="end"]')
    expect(red.locator("[data-ended]")).to_be_visible(timeout=10_000)
    expect(blue.locator("[data-ended]")).to_be_visible(timeout=10_000)
    shoot(blue, "drill-ended-phone")
