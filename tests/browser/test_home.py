"""What a person sees on the home page, in Chromium, at laptop and phone sizes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from simulator.engine.loader import load_directory

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def scenarios():
    found, _ = load_directory(os.environ.get("SCENARIO_DIR") or ROOT / "scenarios")
    assert found, "no scenario in scenarios/ loads"
    return sorted(found, key=lambda s: (s.severity, s.id))


def titles(scenarios, lang: str) -> list[str]:
    return [s.title(lang if lang in s.languages else s.languages[0]) for s in scenarios]


def expect_language(page: Page, lang: str, scenarios) -> None:
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator(".scenario-card__title")).to_have_text(titles(scenarios, lang))
    expect(page.locator(f'.lang-switch [aria-current="true"][lang="{lang}"]')).to_be_visible()


def switch_to(page: Page, lang: str) -> None:
    page.locator(f'.lang-switch a[data-lang="{lang}"]').click()
    page.wait_for_load_state()


def test_home_lists_the_scenarios_and_switches_language(page: Page, scenarios, shoot):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/")
    expect(page.locator(".scenario-card")).to_have_count(len(scenarios))
    expect(page.locator(".severity").first).to_be_visible()
    expect_language(page, "fr", scenarios)
    shoot(page, "home-laptop-fr")

    switch_to(page, "en")
    expect_language(page, "en", scenarios)
    page.reload()
    expect_language(page, "en", scenarios)
    shoot(page, "home-laptop-en")

    switch_to(page, "fr")
    expect_language(page, "fr", scenarios)
    page.reload()
    expect_language(page, "fr", scenarios)


@pytest.mark.browser_context_args(locale="en-GB")
def test_an_english_browser_gets_english(page: Page, scenarios):
    page.goto("/")
    expect_language(page, "en", scenarios)


@pytest.mark.parametrize("width, height", [(390, 844), (360, 740)])
def test_home_fits_a_phone(new_context, scenarios, shoot, width, height):
    context = new_context(
        viewport={"width": width, "height": height}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.goto("/")
    expect_language(page, "fr", scenarios)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {width}px"
    shoot(page, f"home-phone-{width}-fr")

    switch_to(page, "en")
    expect_language(page, "en", scenarios)
    page.reload()
    expect_language(page, "en", scenarios)
    shoot(page, f"home-phone-{width}-en")
