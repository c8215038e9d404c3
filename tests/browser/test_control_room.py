"""The control room on a 1366x800 laptop: readable tiles, the participants and their roles in
view, a prepared inject read before it is sent, numbers in the page's language."""

import re

import pytest
from playwright.sync_api import expect

from .helpers import new_session, participant

pytestmark = pytest.mark.browser

# Every label of a tile inside its tile, and inside its third of the stats row.
LABELS_INSIDE = """() => [...document.querySelectorAll('.team-card')].every((card) => {
  const box = card.getBoundingClientRect();
  return [...card.querySelectorAll('.team-card__stats dt')].every((dt) => {
    const r = dt.getBoundingClientRect();
    const cell = dt.parentElement.getBoundingClientRect();
    return r.left >= box.left && r.right <= box.right && r.right <= cell.right + 0.5
      && dt.scrollWidth <= dt.clientWidth;
  });
})"""


def test_the_control_room_at_1366x800(browser, base_url, trainer_page, shoot):
    trainer = trainer_page
    trainer.set_viewport_size({"width": 1366, "height": 800})
    sid, code = new_session(trainer, "late-delivery", "10.0", ["Rouge", "Bleue", "Verte"])
    participant(browser, base_url, code, "Camille", 0)
    participant(browser, base_url, code, "Hugo", 0, "comms_director", {"width": 390, "height": 844})

    # the participants and their roles, in view without scrolling anything
    items = trainer.locator(".lobby-item")
    expect(items).to_have_count(2)
    expect(items.nth(1)).to_contain_text("Directrice de la communication")
    # measured in one go: the list is redrawn whenever someone joins or comes online
    bottoms = trainer.evaluate(
        "[...document.querySelectorAll('.lobby-item')]"
        ".map((li) => li.getBoundingClientRect().bottom)"
    )
    assert len(bottoms) == 2 and max(bottoms) <= 800
    assert trainer.evaluate(LABELS_INSIDE)

    # a prepared inject: its text, author and platform before it is sent
    trainer.select_option("#cb-inject", index=1)
    preview = trainer.locator("[data-inject-preview]:visible")
    expect(preview).to_have_count(1)
    value = trainer.input_value("#cb-inject")
    assert preview.get_attribute("data-inject-preview") == value
    assert len(preview.locator(".inject-preview__text").inner_text()) > 40
    expect(preview.locator(".inject-preview__platform")).not_to_be_empty()
    expect(trainer.locator("[data-custom]")).to_be_hidden()

    # French numbers once the storm runs; English ones on the English page
    trainer.click('[data-do="start"]')
    expect(trainer.locator("[data-status]")).to_have_text(re.compile("en direct", re.I))
    rate = trainer.locator("[data-rate]").first
    expect(rate).to_have_text(re.compile(r"^\d+,\d$"), timeout=10_000)
    shoot(trainer, "control-room-fr")
    # what the server refuses is said in the page's language
    for _ in range(12):
        trainer.click('[data-do="next_phase"]')
        trainer.wait_for_timeout(200)
        if "is-error" in (trainer.get_attribute("[data-message]", "class") or ""):
            break
    expect(trainer.locator("[data-message]")).to_have_text("C’est déjà la dernière phase.")
    trainer.goto(f"/lang/en?next=/trainer/{sid}")
    expect(trainer.locator("[data-status]")).to_have_text(re.compile("live", re.I))
    expect(trainer.locator("[data-rate]").first).to_have_text(re.compile(r"^\d+\.\d$"))
    assert trainer.evaluate(LABELS_INSIDE)
