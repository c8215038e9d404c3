"""The crisis cell in Chromium: escalate, draft, approve, the storm calming, reconnection,
inert user text, and accessibility (axe-core)."""

import re
import sqlite3
from pathlib import Path

import pytest
from playwright.sync_api import expect

from simulator.engine.actions import Action
from simulator.engine.loader import load_scenario
from simulator.engine.storm import iter_posts, thread_of

from .helpers import new_session, participant

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
XSS = '<img src=x onerror="window.__xss=1;alert(1)"><script>window.__xss=2</script>'


def open_post(page, post_id):
    page.locator(f'.post[data-id="{post_id}"]').click()
    expect(page.locator('[data-sheet="post"]')).to_be_visible()


def axe(page):
    # evaluated by the browser's devtools protocol: the page's CSP (no inline script) stays on
    page.evaluate(AXE)
    result = page.evaluate(
        "async () => (await axe.run(document)).violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length}))"
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


def test_escalate_draft_approve_and_the_thread_calms(
    browser, base_url, trainer_page, live_db, shoot
):
    trainer = trainer_page
    session_id, code = new_session(trainer, "product-recall", "10.0", ["Rouge", "Bleu"])
    cm = participant(browser, base_url, code, "Ana", 0, "community_manager")
    director = participant(
        browser, base_url, code, "Cléo", 0, "comms_director", {"width": 390, "height": 844}
    )
    other = participant(browser, base_url, code, "Bob", 1, "community_manager")
    assert axe(cm) == []

    scenario = load_scenario(ROOT / "scenarios" / "product-recall.yaml")
    first = scenario.inject("influencer-alert")  # an influencer's post: a big thread
    good = scenario.playbook[-1].text("fr")
    trainer.click('[data-do="start"]')
    trainer.fill("#jump-to", str(int(first.time // 60) - 1))
    trainer.click("[data-jump] button[type=submit]")
    cm.wait_for_function(
        f"() => window.stormdrill && window.stormdrill.post({first.post_id!r})", timeout=60_000
    )
    cm.locator("[data-new]:not([hidden])").evaluate_all("bars => bars.forEach(b => b.click())")

    # the community manager escalates the inject to the communications director
    open_post(cm, first.post_id)
    cm.select_option("#esc-role", "comms_director")
    cm.select_option("#esc-severity", "3")
    cm.fill("#esc-note", "Client très suivi, ça peut partir")
    cm.click("[data-escalate] button[type=submit]")
    expect(cm.locator('[data-sheet="post"] [data-sheet-message]')).not_to_have_text("")
    expect(director.locator("[data-inbox-badge]")).to_have_text("1")
    director.click('[data-open="inbox"]')
    expect(director.locator(".inbox__item--sev3")).to_contain_text("Client très suivi")
    director.click('[data-sheet="inbox"] [data-close]')

    # the community manager's reply needs approval: a draft in the director's inbox
    cm.fill("#reply-text", good)
    cm.click("[data-reply] button[type=submit]")
    expect(cm.locator('[data-sheet="post"] [data-sheet-message]')).to_have_text(
        re.compile("approval|validation", re.I)
    )
    cm.keyboard.press("Escape")
    director.click('[data-open="inbox"]')
    draft = director.locator("[data-draft]")
    expect(draft).to_have_count(1)
    shoot(director, "cell-director-inbox")
    draft.locator(".button--primary").click()
    expect(draft).to_have_class(re.compile("inbox__item--decided"))
    director.click('[data-sheet="inbox"] [data-close]')

    # both see the brand's reply in the feed; the other team sees none of it
    brand_reply = f"""() => window.stormdrill && Object.keys(window.stormdrill.received())
        .filter(id => id.startsWith('brand-'))
        .map(id => window.stormdrill.post(id))
        .some(p => p && p.text === {good!r} && p.parent === {first.post_id!r})"""
    cm.wait_for_function(brand_reply, timeout=15_000)
    director.wait_for_function(brand_reply, timeout=15_000)
    cm.locator("[data-new]:not([hidden])").evaluate_all("bars => bars.forEach(b => b.click())")
    expect(cm.locator(".post--brand").filter(has_text=good[:40])).to_have_count(1)
    shoot(cm, "cell-cm-feed")
    other.wait_for_timeout(1500)
    assert not [
        i
        for i in other.evaluate("Object.keys(window.stormdrill.received())")
        if i.startswith("brand-")
    ]
    expect(other.locator("[data-inbox-badge]")).to_be_hidden()

    # the thread calms: fewer follow-ups than the same storm without the reply (the engine says)
    with sqlite3.connect(live_db) as db:
        seed, lang = db.execute(
            "select seed, lang from drill_session where id=?", (session_id,)
        ).fetchone()
        applied = db.execute(
            "select a.applied_t, a.text from action a join team t on a.team_id = t.id"
            " where a.type='reply' and a.engine=1 and t.session_id=?",
            (session_id,),
        ).fetchone()
    assert applied and applied[0] is not None
    reply = Action(t=applied[0], type="reply", target=first.post_id, text=applied[1], id="r")
    with_reply = list(iter_posts(scenario, seed, lang, [reply]))
    without = list(iter_posts(scenario, seed, lang, []))

    def follow_ups(posts):
        return [
            p
            for p in posts
            if thread_of(p.id) == first.post_id and p.t >= applied[0] and p.parent is not None
        ]

    assert len(follow_ups(with_reply)) < len(follow_ups(without))

    # a participant who loses the connection for a few seconds misses nothing, twice nothing
    cm.evaluate("window.stormdrill.drop(4000)")
    cm.wait_for_timeout(5500)
    expect(cm.locator("[data-conn]")).not_to_have_class(re.compile("conn--down"), timeout=10_000)
    trainer.click('[data-do="pause"]')
    cm.wait_for_timeout(1500)
    received = cm.evaluate("window.stormdrill.received()")
    with sqlite3.connect(live_db) as db:
        team_id = db.execute(
            "select team_id from participant where name='Ana' and session_id=?", (session_id,)
        ).fetchone()[0]
        stored = [
            r[0]
            for r in db.execute("select post_id from post where team_id=? and shown", (team_id,))
        ]
    assert set(received) == set(stored)
    assert set(received.values()) == {1}
    assert cm.dialogs == [] and director.dialogs == []


def test_user_text_stays_inert_everywhere(browser, base_url, trainer_page):
    trainer = trainer_page
    trainer.dialogs = []
    trainer.on("dialog", lambda d: (trainer.dialogs.append(d.message), d.dismiss()))
    session_id, code = new_session(trainer, "late-delivery", "30.0", ["<b>Rouge</b>"])
    evil = participant(browser, base_url, code, XSS[:40], 0, "community_manager")
    director = participant(browser, base_url, code, "Cléo", 0, "comms_director")
    trainer.click('[data-do="start"]')
    evil.wait_for_selector(".post", timeout=30_000)
    post_id = evil.locator(".post").first.get_attribute("data-id")
    # chat, memo, escalation note, draft reply, notice: all carry the payload
    evil.click('[data-open="chat"]')
    evil.fill("#chat-text", XSS)
    evil.press("#chat-text", "Enter")
    evil.keyboard.press("Escape")
    evil.click('[data-open="memo"]')
    evil.fill("#memo-text", XSS)
    evil.click("[data-memo] button[type=submit]")
    evil.keyboard.press("Escape")
    open_post(evil, post_id)
    evil.fill("#esc-note", XSS)
    evil.click("[data-escalate] button[type=submit]")
    evil.fill("#reply-text", XSS)
    evil.click("[data-reply] button[type=submit]")
    evil.keyboard.press("Escape")
    trainer.fill("#nt-text", XSS)
    trainer.click("[data-notice] button[type=submit]")
    director.click('[data-open="inbox"]')
    expect(director.locator("[data-draft]")).to_have_count(1)
    director.locator("[data-draft] .button--primary").click()
    director.click('[data-sheet="inbox"] [data-close]')
    director.click('[data-open="chat"]')
    expect(director.locator(".chat__line")).to_contain_text("<img src=x")
    evil.wait_for_timeout(2000)
    for page in (evil, director, trainer):
        assert page.evaluate("window.__xss") is None
        assert page.dialogs == []
    # the pages show the text as text
    expect(director.locator(".notice-card").first).to_contain_text("<script>")
    trainer.reload()
    expect(trainer.locator(".lobby-item__name").first).to_contain_text("<img")
    assert trainer.evaluate("window.__xss") is None and trainer.dialogs == []
    # and in the debrief, where the replies, memos and chat are shown again
    trainer.goto(f"/trainer/{session_id}/debrief")
    expect(trainer.locator(".replies").first).to_contain_text("<script>")
    trainer.wait_for_timeout(500)
    assert trainer.evaluate("window.__xss") is None and trainer.dialogs == []


def test_join_page_and_workspace_pass_axe(browser, base_url):
    context = browser.new_context(base_url=base_url, locale="fr-FR")
    page = context.new_page()
    page.goto("/join")
    assert axe(page) == []
    context.close()


def test_a_column_can_be_triaged_with_the_keyboard(browser, base_url, trainer_page):
    trainer = trainer_page
    _, code = new_session(trainer, "product-recall", "10.0", ["Rouge"])
    page = participant(browser, base_url, code, "Kim", 0, "community_manager")
    trainer.click('[data-do="start"]')
    page.wait_for_function(
        "() => document.querySelectorAll('[data-posts=microblog] .post').length > 3", timeout=30_000
    )
    page.focus("[data-posts=microblog]")
    page.keyboard.press("j")
    first = page.evaluate("document.activeElement.dataset.id")
    page.keyboard.press("j")
    second = page.evaluate("document.activeElement.dataset.id")
    assert first and second and first != second
    page.keyboard.press("w")  # watch
    page.keyboard.press("k")
    assert page.evaluate("document.activeElement.dataset.id") == first
    page.keyboard.press("i")  # ignore
    expect(page.locator(f'.post[data-id="{second}"] .tag--watch')).to_have_count(1)
    expect(page.locator(f'.post[data-id="{first}"] .tag--ignore')).to_have_count(1)
    page.keyboard.press("Enter")
    expect(page.locator('[data-sheet="post"]')).to_be_visible()
    assert axe(page) == []


def test_actions_sent_while_offline_are_stored_once_when_back(
    browser, base_url, trainer_page, live_db
):
    trainer = trainer_page
    _, code = new_session(trainer, "late-delivery", "10.0", ["Rouge"])
    page = participant(browser, base_url, code, "Lou", 0, "community_manager")
    trainer.click('[data-do="start"]')
    page.wait_for_function(
        "() => window.stormdrill && Object.keys(window.stormdrill.received()).length > 0",
        timeout=30_000,
    )  # connected, posts flowing
    page.evaluate("window.stormdrill.drop(3000)")
    expect(page.locator("[data-conn]")).to_have_class(re.compile("conn--down"))
    page.click('[data-open="chat"]')
    page.fill("#chat-text", "Envoyé hors ligne")
    page.press("#chat-text", "Enter")
    expect(page.locator("#chat-text")).to_have_value("")  # queued, not lost
    expect(page.locator(".chat__line")).to_contain_text("Envoyé hors ligne", timeout=15_000)
    page.wait_for_timeout(1000)
    with sqlite3.connect(live_db) as db:
        rows = db.execute(
            "select count(*) from action where type='chat' and text=?", ("Envoyé hors ligne",)
        ).fetchone()[0]
    assert rows == 1
