"""The scenario editor in the browser: a 45-minute, 10-inject drill built from nothing (the
timeline's drag included), previewed, saved, and run in a session where a participant sees it."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .helpers import new_session, participant

# (minute, platform, persona, French text, expected actions)
INJECTS = [
    (
        2,
        "microblog",
        "angry_customer",
        "Impossible de réserver sur le site de Volta Air depuis ce matin, ça plante au paiement.",
        "reply",
    ),
    (
        6,
        "brand_page",
        "customer",
        "Mon vol part à 18 h et je ne peux pas m'enregistrer. Quelqu'un peut m'aider ?",
        "reply",
    ),
    (
        9,
        "microblog",
        "bystander",
        "Les files au comptoir Volta Air à Orly font le tour du terminal.",
        "ignore",
    ),
    (
        12,
        "internal",
        "staff",
        "On nous demande quoi dire aux clients au comptoir ? Aucune consigne depuis 8 h.",
        "memo",
    ),
    (
        16,
        "microblog",
        "journalist",
        "Volta Air : panne géante du système de réservation, la compagnie n'a toujours rien dit.",
        "escalate",
    ),
    (
        20,
        "microblog",
        "influencer",
        "Bloquée à Orly avec 200 personnes, Volta Air ne répond à personne.",
        "reply, escalate",
    ),
    (
        24,
        "forum",
        "angry_customer",
        "On m'a facturé deux fois ma réservation pendant la panne. Remboursement ?",
        "reply",
    ),
    (
        29,
        "microblog",
        "troll",
        "Volta Air, la seule compagnie qui fait décoller les prix mais pas les avions.",
        "ignore",
    ),
    (
        33,
        "news",
        "journalist",
        "Panne chez Volta Air : des milliers de passagers bloqués, la direction muette.",
        "escalate",
    ),
    (
        38,
        "microblog",
        "supporter",
        "Franchement le personnel au comptoir est adorable malgré le chaos, courage à eux.",
        "reply",
    ),
]


def fill_inject(page, index, minute, platform, persona, text, actions):
    prefix = f"#injects-{index}-"
    page.fill(prefix + "id", f"i{index + 1:02d}")
    page.fill(prefix + "time", f"{minute}m")
    page.fill(prefix + "platform", platform)
    page.fill(prefix + "persona", persona)
    page.fill(prefix + "text_fr", text)
    page.fill(prefix + "severity", "2")
    page.fill(prefix + "expected_actions", actions)


def test_a_drill_built_from_nothing_in_the_editor_runs(browser, base_url, trainer_page, shoot):
    trainer = trainer_page
    trainer.on("dialog", lambda dialog: dialog.accept())
    trainer.goto("/library/new")
    trainer.fill("#new_id", "volta-outage")
    trainer.fill("#title", "Panne chez Volta Air")
    trainer.fill("#brand", "Volta Air")
    trainer.fill("#incident", "le site de réservation de Volta Air est en panne depuis ce matin")
    trainer.fill("#minutes", "45")
    trainer.click(".lib-form button[type=submit]")
    status = trainer.locator("#ed-status")
    expect(status).to_have_text(re.compile("Aucune erreur"), timeout=20_000)

    # the first inject is there already; nine more, each added with the button
    fill_inject(trainer, 0, *INJECTS[0])
    for index, inject in enumerate(INJECTS[1:], start=1):
        trainer.click('[data-add="injects"]')
        fill_inject(trainer, index, *inject)
    expect(trainer.locator(".ed-tl-marker")).to_have_count(10)

    # an error is shown next to its field, with the loader's words, then fixed
    trainer.fill("#injects-4-time", "bientôt")
    expect(trainer.locator("#injects-4-time-error")).to_contain_text(
        "is not a duration", timeout=10_000
    )
    expect(trainer.locator("#injects-4-time")).to_have_attribute("aria-invalid", "true")
    trainer.fill("#injects-4-time", "16m")
    expect(status).to_have_text(re.compile("Aucune erreur"), timeout=10_000)
    expect(trainer.locator("#injects-4-time-error")).to_be_hidden()

    # drag the last marker from 38 to about 41 minutes on the timeline
    trainer.evaluate(
        "() => document.getElementById('ed-timeline').scrollIntoView({block: 'center'})"
    )
    track = trainer.locator(".ed-tl-track").bounding_box()
    marker = trainer.locator('.ed-tl-marker[data-index="9"]')
    box = marker.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    trainer.mouse.move(x, y)
    trainer.mouse.down()
    target = track["x"] + track["width"] * 41 / 45
    trainer.mouse.move(target, y, steps=8)
    trainer.mouse.up()
    expect(trainer.locator("#injects-9-time")).to_have_value(re.compile(r"^4[01]m$"))

    # a click on a marker opens that inject's fields
    trainer.locator('.ed-tl-marker[data-index="2"]').click()
    expect(trainer.locator("#injects-2-text_fr")).to_be_focused()

    # the table view lists the ten injects with inputs
    trainer.click(".ed-tl-toggle")
    expect(trainer.locator(".ed-tl-grid tbody tr")).to_have_count(10)
    trainer.click(".ed-tl-toggle")

    # the preview: the storm after the inject being edited and the whole curve
    trainer.focus("#injects-4-text_fr")
    expect(trainer.locator("#ed-storm-title")).to_contain_text("i05", timeout=20_000)
    expect(trainer.locator("#ed-storm li").first).to_be_visible()
    assert trainer.locator("#ed-preview").get_attribute("data-ms")
    shoot(trainer, "editor-built")

    trainer.click("#ed-save")
    trainer.wait_for_url(re.compile(r"/library/volta-outage$"))
    expect(trainer.locator("body")).to_contain_text("Panne chez Volta Air")

    session_id, code = new_session(trainer, "volta-outage", "10.0", ["Rouge"])
    player = participant(browser, base_url, code, "Ana", 0)
    trainer.click('[data-do="start"]')
    expect(player.locator(".post").first).to_be_visible(timeout=30_000)
    player.context.close()
