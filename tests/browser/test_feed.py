"""A feed a team of five can work, in Chromium at 10x: three participants (one on a phone),
the curveball found again by search, the injects held in the "to handle" queue, a reload that
keeps everything, private messages that leave a trace, a phone that shows the first post."""

import re
import sqlite3

import pytest
from playwright.sync_api import expect

from .helpers import new_session, participant

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
CURVEBALL = "Un ancien salarié affirme que la fuite était connue depuis des mois"


def jump(trainer, minutes):
    trainer.fill("#jump-to", str(minutes))
    trainer.click("[data-jump] button[type=submit]")


def show_new(page):
    page.locator("[data-new]:not([hidden])").evaluate_all("bars => bars.forEach(b => b.click())")


def tab_totals(page):
    return page.eval_on_selector_all(
        ".column__title [data-count]", "els => els.map(e => e.textContent)"
    )


def test_a_team_works_the_feed_at_10x(browser, base_url, trainer_page, live_db, shoot):
    trainer = trainer_page
    _, code = new_session(trainer, "data-breach", "10.0", ["Rouge", "Bleu"], "overwhelming")
    ana = participant(browser, base_url, code, "Ana", 0, "community_manager")
    errors = []
    ana.on("pageerror", lambda e: errors.append(str(e)))
    cleo = participant(browser, base_url, code, "Cléo", 0, "comms_director")
    bob = participant(browser, base_url, code, "Bob", 0, "community_manager", PHONE)
    trainer.click('[data-do="start"]')
    jump(trainer, 20)
    ana.wait_for_function("() => document.querySelectorAll('.post').length > 5", timeout=30_000)

    # the trainer's curveball at 0:20, then twenty simulated minutes of storm
    trainer.select_option("#cb-platform", "forum")
    trainer.fill("#cb-text", CURVEBALL)
    trainer.click("[data-curveball] button[type=submit]")
    ana.wait_for_function(
        "() => Object.keys(window.stormdrill.received()).some(id => id.startsWith('c-'))",
        timeout=20_000,
    )
    jump(trainer, 41)
    ana.wait_for_function(
        "() => Object.values(window.stormdrill.received()).length > 40", timeout=30_000
    )
    trainer.click('[data-do="pause"]')
    expect(trainer.locator("[data-status]")).to_have_class(
        re.compile("status--paused"), timeout=20_000
    )
    expect(ana.locator("[data-status]")).to_have_class(re.compile("status--paused"), timeout=20_000)
    ana.wait_for_timeout(800)
    show_new(ana)

    # the crowd is counted: shares are counters, never posts of their own
    assert ana.locator(".post__text").filter(has_text=re.compile(r"^RT @")).count() == 0
    assert ana.evaluate(
        "() => [...document.querySelectorAll('.post__count')]"
        ".some(e => e.textContent.includes('↻'))"
    )

    # search the whole history: the curveball, 20 simulated minutes later
    ana.fill("#search", "ancien salarié connue")
    ana.press("#search", "Enter")
    results = ana.locator('[data-sheet="search"] [data-results] .result')
    expect(results).to_have_count(1, timeout=30_000)
    expect(results.first).to_contain_text(CURVEBALL)
    shoot(ana, "feed-search")
    results.first.locator("button").click()
    expect(ana.locator('[data-sheet="post"] .thread__item--current')).to_contain_text(CURVEBALL)
    ana.click('[data-sheet="post"] [data-close]')
    ana.fill("#search", "")  # the words filtered the columns too

    # the queue holds the injects nobody triaged, oldest first
    injects = ana.evaluate(
        "() => Object.keys(window.stormdrill.received())"
        ".map(id => window.stormdrill.post(id))"
        ".filter(p => p && (p.inject || p.id.startsWith('c-')))"
        ".sort((a, b) => a.t - b.t).map(p => p.id)"
    )
    assert len(injects) >= 5
    ana.click('[data-open="queue"]')
    queue = ana.locator("[data-queue] .result")
    expect(queue).to_have_count(len(injects))
    assert queue.evaluate_all("els => els.map(e => e.dataset.id)") == injects
    shoot(ana, "feed-queue")
    ana.click('[data-sheet="queue"] [data-close]')
    trainer.click('[data-do="resume"]')
    expect(ana.locator("[data-status]")).to_have_class(
        re.compile("status--running"), timeout=20_000
    )

    def sent(page):
        message = page.locator('[data-sheet="post"] [data-sheet-message]')
        expect(message).not_to_have_text("", timeout=20_000)
        expect(message).not_to_have_class(re.compile("is-error"))

    # jump to the first one from the queue and triage it: it leaves everyone's queue
    ana.click('[data-open="queue"]')
    ana.locator(f'[data-queue] .result[data-id="{injects[0]}"] button').click()
    ana.click('[data-sheet="post"] [data-tag="watch"]')
    sent(ana)
    ana.click('[data-sheet="post"] [data-close]')
    gone = f"() => !window.stormdrill.queue().includes({injects[0]!r})"
    ana.wait_for_function(gone, timeout=10_000)
    bob.wait_for_function(gone, timeout=10_000)
    assert injects[1] in ana.evaluate("() => window.stormdrill.queue()")

    # a private message leaves a trace: in the post's sheet and in the team's history
    ana.click('[data-open="queue"]')
    ana.locator(f'[data-queue] .result[data-id="{injects[1]}"] button').click()
    ana.check('[data-reply] input[value="dm"]')
    ana.fill("#reply-text", "Bonjour, pouvez-vous nous écrire en privé vos coordonnées ?")
    ana.click("[data-reply] button[type=submit]")
    sent(ana)
    answers = ana.locator('[data-sheet="post"] [data-answers] .answer')
    expect(answers).to_have_count(1)
    expect(answers.first).to_contain_text("vos coordonnées")
    ana.click('[data-sheet="post"] [data-close]')
    cleo.click('[data-open="inbox"]')
    expect(cleo.locator("[data-history] .history__item")).to_contain_text(["vos coordonnées"])
    cleo.click('[data-sheet="inbox"] [data-close]')

    # Ana marks a post to handle and starts a memo; a reload keeps everything
    show_new(ana)
    other = ana.locator(".column--microblog .post:not(.post--handled)").first
    other_id = other.get_attribute("data-id")
    other.click()
    ana.click('[data-sheet="post"] [data-tag="handle"]')
    sent(ana)
    ana.click('[data-sheet="post"] [data-close]')
    ana.wait_for_function(f"() => window.stormdrill.queue().includes({other_id!r})")
    ana.click('[data-open="memo"]')
    ana.fill("#memo-text", "Brouillon : point de situation à 14h")
    ana.click('[data-sheet="memo"] [data-close]')
    trainer.click('[data-do="pause"]')
    expect(ana.locator("[data-status]")).to_have_class(re.compile("status--paused"), timeout=20_000)
    ana.wait_for_timeout(1000)
    totals = tab_totals(ana)
    queue_ids = ana.evaluate("() => window.stormdrill.queue()")
    counters = ana.evaluate(f"() => window.stormdrill.counts({injects[2]!r})")
    ana.reload()
    ana.wait_for_function(
        "() => window.stormdrill && document.querySelectorAll('.post').length > 5"
    )
    expect(ana.locator(".column__title [data-count]").first).to_have_text(totals[0])
    assert tab_totals(ana) == totals
    assert ana.evaluate("() => window.stormdrill.queue()") == queue_ids
    assert other_id in queue_ids and injects[0] not in queue_ids
    ana.click('[data-open="queue"]')
    expect(ana.locator("[data-queue] .result")).to_have_count(len(queue_ids))
    ana.click('[data-sheet="queue"] [data-close]')
    assert ana.evaluate(f"() => window.stormdrill.counts({injects[2]!r})") == counters
    ana.click('[data-open="memo"]')
    expect(ana.locator("#memo-text")).to_have_value("Brouillon : point de situation à 14h")
    ana.click('[data-sheet="memo"] [data-close]')
    ana.click('[data-open="inbox"]')
    expect(ana.locator("[data-history] .history__item")).to_contain_text(["vos coordonnées"])
    ana.click('[data-sheet="inbox"] [data-close]')

    # the radar: the team's whole world in figures; a viral inject lands and it shows a spike
    radar = ana.locator("[data-radar]")
    expect(radar.locator("[data-radar-now]")).not_to_have_text("")
    assert radar.locator("[data-radar-accounts] li").count() > 0
    trainer.click('[data-do="resume"]')
    jump(trainer, 47)  # "tech-press": the press picks the breach up, a viral inject
    spike = radar.locator("[data-radar-alerts] [data-alert]")
    expect(spike.first).to_be_visible(timeout=30_000)
    trainer.click('[data-do="pause"]')
    expect(ana.locator("[data-status]")).to_have_class(re.compile("status--paused"), timeout=20_000)
    shoot(ana, "feed-radar")
    alert = radar.locator("[data-radar-alerts] [data-alert]:not([data-alert=fire]) button").first
    alert.click()
    expect(ana.locator('[data-sheet="post"]')).to_be_visible()
    ana.click('[data-sheet="post"] [data-close]')
    # the trainer's tile shows the same radar figures
    expect(trainer.locator("[data-team] [data-radar]").first).to_contain_text("⚠")

    # every column loads older posts, a page at a time
    column = ana.locator(".column--microblog")
    ids = lambda: column.locator(".post").evaluate_all("els => els.map(e => e.dataset.id)")  # noqa: E731
    first = ids()
    while column.locator("[data-older]").is_visible():
        before = column.locator(".post").count()
        column.locator("[data-older]").click()
        ana.wait_for_function(
            f"() => document.querySelectorAll('.column--microblog .post').length > {before}"
            " || document.querySelector('.column--microblog [data-older]').hidden"
        )
    every = ids()
    assert len(every) == len(set(every))  # no duplicate
    older = every[every.index(first[-1]) + 1 :]  # the pages, under what the column held
    assert len(older) > 50  # more than one page
    times = ana.evaluate(f"() => {older!r}.map(id => window.stormdrill.post(id).t)")
    assert times == sorted(times, reverse=True)  # no gap: in order, each older than the last
    with sqlite3.connect(live_db) as db:
        team = db.execute(
            "select t.id from team t join drill_session s on t.session_id = s.id"
            " where s.join_code = ? and t.name = 'Rouge'",
            (code,),
        ).fetchone()[0]
        stored = {
            r[0]
            for r in db.execute(
                "select post_id from post where team_id=? and platform='microblog' and shown",
                (team,),
            )
        }
    assert set(every) == stored  # the whole column, down to its first post

    # on the phone: the first post above the fold, nothing over the search, tools one tap away
    bob.reload()
    bob.wait_for_selector(".column--active .post", timeout=20_000)
    first = bob.locator(".column--active .post").first.bounding_box()
    assert first["y"] + 40 < PHONE["height"]
    header = bob.locator(".play-bar").bounding_box()
    search = bob.locator("#search").bounding_box()
    assert header["y"] + header["height"] <= search["y"]
    bob.mouse.wheel(0, 400)
    header = bob.locator(".play-bar").bounding_box()
    search = bob.locator("#search").bounding_box()
    assert (
        header["y"] + header["height"] <= search["y"]
        or search["y"] + search["height"] <= header["y"]
    )
    expect(bob.locator('[data-open="statement"]')).to_be_hidden()
    bob.click("[data-tools-toggle]")
    expect(bob.locator('[data-open="statement"]')).to_be_visible()
    shoot(bob, "feed-phone-tools")
    shoot(ana, "feed-laptop")
    assert errors == []


def test_a_phone_works_the_feed_at_the_default_intensity(
    browser, base_url, trainer_page, live_db, shoot
):
    """Issue 11 at the default intensity (calm), 10x, three participants, one session: on a
    390 px phone Bob finds the curveball by search, holds the injects in his queue, reloads
    and keeps queue and counters, and sees the radar spike when the viral inject lands."""
    trainer = trainer_page
    _, code = new_session(trainer, "data-breach", "10.0", ["Rouge", "Bleu"])
    with sqlite3.connect(live_db) as db:
        row = db.execute("select intensity from drill_session where join_code = ?", (code,))
        assert row.fetchone()[0] == "calm"  # the default, nobody chose it
    participant(browser, base_url, code, "Ana", 0, "community_manager")
    participant(browser, base_url, code, "Cléo", 0, "comms_director")
    bob = participant(browser, base_url, code, "Bob", 0, "community_manager", PHONE)
    errors = []
    bob.on("pageerror", lambda e: errors.append(str(e)))
    trainer.click('[data-do="start"]')
    jump(trainer, 20)
    bob.wait_for_function("() => document.querySelectorAll('.post').length > 2", timeout=30_000)
    trainer.select_option("#cb-platform", "forum")
    trainer.fill("#cb-text", CURVEBALL)
    trainer.click("[data-curveball] button[type=submit]")
    bob.wait_for_function(
        "() => Object.keys(window.stormdrill.received()).some(id => id.startsWith('c-'))",
        timeout=20_000,
    )
    jump(trainer, 41)
    bob.wait_for_function(
        "() => Object.values(window.stormdrill.received()).length > 15", timeout=30_000
    )
    trainer.click('[data-do="pause"]')
    expect(bob.locator("[data-status]")).to_have_class(re.compile("status--paused"), timeout=20_000)
    bob.wait_for_timeout(800)
    show_new(bob)
    shoot(bob, "calm-phone-feed")

    # on the phone: search the whole history for the curveball, twenty minutes later
    bob.fill("#search", "ancien salarié connue")
    bob.press("#search", "Enter")
    results = bob.locator('[data-sheet="search"] [data-results] .result')
    expect(results).to_have_count(1, timeout=30_000)
    expect(results.first).to_contain_text(CURVEBALL)
    shoot(bob, "calm-phone-search")
    results.first.locator("button").click()
    expect(bob.locator('[data-sheet="post"] .thread__item--current')).to_contain_text(CURVEBALL)
    bob.click('[data-sheet="post"] [data-close]')
    bob.fill("#search", "")

    # the queue holds every inject and the curveball, oldest first
    injects = bob.evaluate(
        "() => Object.keys(window.stormdrill.received())"
        ".map(id => window.stormdrill.post(id))"
        ".filter(p => p && (p.inject || p.id.startsWith('c-')))"
        ".sort((a, b) => a.t - b.t).map(p => p.id)"
    )
    assert len(injects) >= 5 and any(i.startswith("c-") for i in injects)
    bob.click('[data-open="queue"]')
    queue = bob.locator("[data-queue] .result")
    expect(queue).to_have_count(len(injects))
    assert queue.evaluate_all("els => els.map(e => e.dataset.id)") == injects
    shoot(bob, "calm-phone-queue")
    bob.click('[data-sheet="queue"] [data-close]')

    # a reload on the phone keeps the queue and the counters
    totals = tab_totals(bob)
    counters = bob.evaluate(f"() => window.stormdrill.counts({injects[0]!r})")
    bob.reload()
    bob.wait_for_selector(".column--active .post", timeout=20_000)
    expect(bob.locator(".column__title [data-count]").first).to_have_text(totals[0])
    assert tab_totals(bob) == totals
    assert bob.evaluate("() => window.stormdrill.queue()") == injects
    assert bob.evaluate(f"() => window.stormdrill.counts({injects[0]!r})") == counters

    # the radar tab: the viral inject at 0:47 lands and the radar shows a spike
    bob.click('[data-tab="radar"]')
    radar = bob.locator("[data-radar]")
    expect(radar).to_be_visible()
    expect(radar.locator("[data-radar-now]")).not_to_have_text("")
    trainer.click('[data-do="resume"]')
    jump(trainer, 47)
    spike = radar.locator("[data-radar-alerts] [data-alert]")
    expect(spike.first).to_be_visible(timeout=30_000)
    trainer.click('[data-do="pause"]')
    expect(bob.locator("[data-status]")).to_have_class(re.compile("status--paused"), timeout=20_000)
    shoot(bob, "calm-phone-radar")

    # the tools menu, open, covers neither the tabs nor the first post: it pushes them down
    bob.click('[data-tab="microblog"]')
    bob.click("[data-tools-toggle]")
    expect(bob.locator('[data-open="statement"]')).to_be_visible()
    tools = bob.locator("[data-tools]").bounding_box()
    tabs = bob.locator('[data-tab="microblog"]').bounding_box()
    first = bob.locator(".column--active .post").first.bounding_box()
    assert tools["y"] + tools["height"] <= tabs["y"]
    assert tools["y"] + tools["height"] <= first["y"]
    assert first["y"] + 40 < PHONE["height"]
    shoot(bob, "calm-phone-tools")
    assert errors == []
