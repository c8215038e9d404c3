"""Every page works under the Content-Security-Policy: scripts and styles from this site only.

Chromium reports each blocked inline script, handler, style sheet or connection on the
console and as a `securitypolicyviolation` event; the test visits every page (home, login,
library, trainer's sessions, control room, projector, participant, debrief, what-if, report,
replay, cohort, share page, hot wash) and sees none.
"""

import re
import sqlite3

import pytest
from playwright.sync_api import expect

from .helpers import end_session, new_session, participant, write_memo

pytestmark = pytest.mark.browser

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) =>
  console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
"""


def watch(page) -> list[str]:
    """The CSP complaints of `page` (its context's later pages too), as they come."""
    seen: list[str] = []
    page.context.add_init_script(REPORT_VIOLATIONS)
    page.on(
        "console",
        lambda m: (
            seen.append(m.text)
            if "Content Security Policy" in m.text or "CSP violation" in m.text
            else None
        ),
    )
    return seen


def visit(page, path: str, ready: str) -> None:
    response = page.goto(path)
    assert response.ok, (path, response.status)
    assert "script-src 'self'" in response.headers["content-security-policy"], path
    expect(page.locator(ready).first).to_be_visible(timeout=30_000)


def test_every_page_runs_under_the_content_security_policy(
    browser, base_url, trainer_page, live_db, shoot
):
    trainer = trainer_page
    complaints = watch(trainer)
    trainer.reload()
    # The test can tell: an inline script is refused, and said so.
    trainer.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.ran = 1'; document.body.append(s); }"
    )
    trainer.wait_for_timeout(200)
    assert trainer.evaluate("window.ran") is None
    assert any("inline" in c for c in complaints), complaints
    complaints.clear()

    for path, ready in [
        ("/", "main"),
        ("/trainer/", "main"),
        ("/trainer/new", "#scenario"),
        ("/library/", "main"),
        ("/library/late-delivery", ".tl"),
        ("/library/upload", "form"),
        ("/library/import", "form"),
        ("/account", "form"),
    ]:
        visit(trainer, path, ready)
    shoot(trainer, "csp-account")

    session_id, code = new_session(trainer, "late-delivery", "30.0", ["Rouge", "Bleu"])
    ana = participant(browser, base_url, code, "Ana", 0)
    ana_complaints = watch(ana)
    ana.reload()
    with sqlite3.connect(live_db) as db:
        teams = dict(db.execute("select name, id from team where session_id=?", (session_id,)))
    trainer.click('[data-do="start"]')
    ana.wait_for_selector(".post", timeout=30_000)
    write_memo(ana, live_db, teams["Rouge"])
    visit(trainer, f"/trainer/{session_id}/projector", ".projector__qr")
    visit(trainer, f"/trainer/{session_id}", "[data-do='end']")
    expect(trainer.locator("canvas").first).to_be_visible()  # Chart.js draws the overview
    end_session(trainer)

    red = teams["Rouge"]
    visit(trainer, f"/trainer/{session_id}/debrief", ".ranking")
    trainer.locator(f"#team-{red}").get_by_role("link", name="Et si…").click()
    trainer.wait_for_url(re.compile(r"/fork$"))
    trainer.fill("input[name=at]", "0")
    trainer.get_by_role("button", name="Comparer").click()
    expect(trainer.locator("#fork-chart")).to_be_visible()
    visit(trainer, f"/trainer/{session_id}/report", "[data-print]")
    trainer.evaluate("window.print = () => { window.printed = true; }")
    trainer.locator("[data-print]").first.click()
    assert trainer.evaluate("window.printed") is True  # the button's module ran
    shoot(trainer, "csp-report")
    visit(trainer, f"/trainer/{session_id}/replay", "main")
    trainer.locator("input[type=range]").first.fill("600")
    shoot(trainer, "csp-replay")
    visit(trainer, f"/trainer/{session_id}/debrief/{red}/cohort", "[data-rank]")
    visit(trainer, "/trainer/library/late-delivery/cohort", "main")

    visit(trainer, f"/trainer/{session_id}/debrief", ".ranking")
    trainer.click("[data-share-create] button[type=submit]")
    url = trainer.locator("[data-share-new]").input_value()
    stranger = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 800})
    shared = stranger.new_page()
    shared_complaints = watch(shared)
    visit(shared, url, ".ranking")
    expect(shared.locator("canvas").first).to_be_visible()

    for path, ready in [("/login", "#password"), (f"/join/{code}", "#name")]:
        visit(shared, base_url + path, ready)  # a visitor who never logged in
    trainer.click("[data-hotwash] button[type=submit]")
    visit(ana, "/play/debrief", ".debrief-team")
    shoot(shared, "csp-shared")

    assert complaints == [] and ana_complaints == [] and shared_complaints == []
    stranger.close()
