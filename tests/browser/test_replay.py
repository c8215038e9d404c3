"""The replay in Chromium: a facilitator opens a finished session's replay from the debrief,
moves the scrubber, sees the feeds and the team's actions as they stood, plays it, switches
team, and shares the moment by its address."""

import re
import sqlite3

import pytest
from playwright.sync_api import expect

from .helpers import new_session, participant, wait_for_row

pytestmark = pytest.mark.browser


def hms(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def jump(trainer, minutes: int) -> None:
    trainer.fill("#jump-to", str(minutes))
    trainer.click("[data-jump] button[type=submit]")


def open_post(page, post_id: str):
    post = page.locator(f'.post[data-id="{post_id}"]')
    expect(post).to_be_visible(timeout=30_000)
    post.click()
    return page.locator('[data-sheet="post"]')


def play_a_drill(browser, base_url, trainer, live_db):
    """Red escalates, answers, writes a memo and a chat line, deletes a comment; Blue idles."""
    session_id, code = new_session(trainer, "late-delivery", "30.0", ["Rouge", "Bleu"])
    ana = participant(browser, base_url, code, "Ana", 0, "community_manager")
    cleo = participant(browser, base_url, code, "Cléo", 0, "executive")
    bob = participant(browser, base_url, code, "Bob", 1)
    with sqlite3.connect(live_db) as db:
        teams = dict(db.execute("select name, id from team where session_id=?", (session_id,)))
    trainer.click('[data-do="start"]')
    jump(trainer, 7)  # the birthday complaint is out at 6 minutes
    sheet = open_post(ana, "i-birthday-complaint")
    sheet.locator("#esc-role").select_option("comms_director")
    sheet.locator("#esc-severity").select_option("3")
    sheet.locator("#esc-note").fill("Client en colère, ça monte")
    sheet.locator("[data-escalate] button[type=submit]").click()
    (escalated,) = wait_for_row(
        live_db, "select sim_t from action where type='escalate' and team_id=?", (teams["Rouge"],)
    )
    sheet.locator("[data-close]").click()
    sheet = open_post(cleo, "i-birthday-complaint")
    sheet.locator("#reply-text").fill("Nous sommes désolés : nous regardons votre commande.")
    sheet.locator("[data-reply] button[type=submit]").click()
    wait_for_row(
        live_db, "select id from action where type='reply' and team_id=?", (teams["Rouge"],)
    )
    sheet.locator("[data-close]").click()
    ana.click('[data-open="memo"]')
    ana.fill("#memo-text", "Point de situation pour tous les salariés")
    ana.click("[data-memo] button[type=submit]")
    ana.locator('[data-sheet="memo"] [data-close]').click()
    ana.click('[data-open="chat"]')
    ana.fill("#chat-text", "<b>je prends le forum</b>")
    ana.click("[data-chat-form] button[type=submit]")
    wait_for_row(
        live_db, "select id from action where type='chat' and team_id=?", (teams["Rouge"],)
    )
    ana.locator('[data-sheet="chat"] [data-close]').click()
    jump(trainer, 21)  # the pile-on on the brand page is out at 20 minutes
    sheet = open_post(ana, "i-brandpage-pileon")
    sheet.locator('[data-remove="delete"]').click()
    wait_for_row(
        live_db, "select id from action where type='delete' and team_id=?", (teams["Rouge"],)
    )
    trainer.once("dialog", lambda dialog: dialog.accept())
    trainer.click('[data-do="end"]')
    expect(ana.locator("[data-ended]")).to_be_visible(timeout=10_000)
    for page in (ana, cleo, bob):
        page.context.close()
    return session_id, teams, escalated


def test_replaying_a_finished_session(browser, base_url, trainer_page, live_db, shoot):
    trainer = trainer_page
    session_id, teams, escalated = play_a_drill(browser, base_url, trainer, live_db)
    red, blue = teams["Rouge"], teams["Bleu"]

    # from the debrief, the replay of Red opens at the end of the session
    trainer.goto(f"/trainer/{session_id}/debrief")
    errors = []  # from here on (the control room's socket may complain as it is left)
    trainer.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    trainer.on("pageerror", lambda e: errors.append(str(e)))
    trainer.locator(f"#team-{red} [data-replay]").click()
    trainer.wait_for_url(re.compile(rf"/trainer/{session_id}/replay\?team={red}"))
    expect(trainer.locator('[data-posts="microblog"] .post').first).to_be_visible()
    end = trainer.evaluate("window.stormdrill.replay().end")
    assert end >= 21 * 60
    expect(trainer.locator("[data-clock]")).to_have_text(hms(end))
    expect(trainer.locator(".mark--inject").first).to_be_attached()
    expect(trainer.locator(".scrubber__phase").first).to_be_attached()
    expect(trainer.locator(".action--remove")).to_have_count(1)
    shoot(trainer, "replay-desktop-end")

    # just before the escalation: the complaint is in the feed, not yet escalated
    scrubber = trainer.locator("[data-range]")
    before = int(escalated) - 20
    scrubber.fill(str(before))
    expect(trainer.locator("[data-clock]")).to_have_text(hms(before))
    complaint = trainer.locator('.post[data-id="i-birthday-complaint"]')
    expect(complaint).to_be_visible()
    expect(complaint.locator(".tag--escalated")).to_have_count(0)
    expect(trainer.locator(".action--escalate")).to_have_count(0)
    expect(trainer.locator(".action--remove")).to_have_count(0)
    latest = trainer.locator("[data-posts] .post__time").evaluate_all(
        "nodes => nodes.map(n => n.textContent).sort().at(-1)"
    )
    assert latest <= hms(before)  # nothing from the future
    trainer.wait_for_url(re.compile(rf"[?&]t={before}\b"))

    # just after it: the escalation is listed, with who, and shown on the post
    scrubber.fill(str(int(escalated) + 1))
    expect(trainer.locator(".action--escalate")).to_have_count(1)
    expect(trainer.locator(".action--escalate")).to_contain_text("Ana")
    expect(complaint.locator(".tag--escalated")).to_contain_text("Ana")
    shoot(trainer, "replay-desktop-escalated")

    # the keyboard: a minute forward on the scrubber, then the next inject
    scrubber.focus()
    trainer.keyboard.press("ArrowRight")
    trainer.wait_for_url(re.compile(rf"[?&]t={int(escalated) + 61}\b"))
    trainer.keyboard.press("i")
    next_inject = trainer.evaluate("window.stormdrill.replay().t")
    assert next_inject > escalated + 61
    expect(trainer.locator("[data-clock]")).to_have_text(hms(next_inject))

    # the chat line, stored as typed, is inert text
    trainer.select_option("[data-action-filter]", "chat")
    scrubber.fill(str(int(end)))
    expect(trainer.locator(".action--chat .action__text")).to_have_text("<b>je prends le forum</b>")
    expect(trainer.locator(".action--escalate")).to_have_count(0)
    trainer.select_option("[data-action-filter]", "")

    # play at 60x from the start, then pause
    trainer.click('[data-step="-60"]')
    trainer.keyboard.press("Home")
    trainer.select_option("[data-speed]", "60")
    trainer.click("[data-play]")
    expect(trainer.locator("[data-play]")).to_have_attribute("aria-pressed", "true")
    trainer.wait_for_function("() => window.stormdrill.replay().t > 120")
    trainer.click("[data-play]")
    expect(trainer.locator("[data-play]")).to_have_attribute("aria-pressed", "false")

    # Blue did nothing; the address follows the team
    trainer.select_option("[data-team]", str(blue))
    trainer.wait_for_url(re.compile(rf"team={blue}"))
    expect(trainer.locator("[data-actions] .action")).to_have_count(0)
    expect(trainer.locator('[data-empty="actions"]')).to_be_visible()
    scrubber.fill(str(int(end)))  # two minutes in, a seed may not have reached the microblog
    expect(trainer.locator('[data-posts="microblog"] .post').first).to_be_visible()

    # a shared moment opens where it was left, on a phone too
    scrubber.fill(str(int(escalated) + 1))
    trainer.select_option("[data-team]", str(red))
    trainer.wait_for_url(re.compile(rf"team={red}&t={int(escalated) + 1}$"))
    phone = browser.new_context(
        base_url=base_url,
        locale="fr-FR",
        viewport={"width": 390, "height": 844},
        storage_state=trainer.context.storage_state(),
    )
    small = phone.new_page()
    small.on("pageerror", lambda e: errors.append(str(e)))
    small.goto(trainer.url)
    expect(small.locator("[data-clock]")).to_have_text(hms(int(escalated) + 1))
    expect(small.locator('[data-posts="microblog"] .post').first).to_be_visible()
    assert small.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(small, "replay-phone")
    small.click('[data-tab="actions"]')
    expect(small.locator(".action--escalate")).to_be_visible()
    shoot(small, "replay-phone-actions")
    phone.close()
    assert errors == []
