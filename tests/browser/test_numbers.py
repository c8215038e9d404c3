"""Numbers and plurals in the page's language (static/js/numbers.js), as the play page and the
control room write them: "0,9" and "1 réponse · 1 partage" in French."""

import pytest

pytestmark = pytest.mark.browser

WRITE = """async () => {
  const { number, percent, plural } = await import("/static/js/numbers.js");
  const replies = %s;
  return [0, 1, 2, 1500].map((n) => plural(replies, n)).concat([number(0.9, 1), percent(0.25)]);
}"""


@pytest.mark.parametrize(
    ("locale", "language", "forms", "expected"),
    [
        (
            "fr-FR",
            "fr",
            '["{n} réponse", "{n} réponses"]',
            ["0 réponse", "1 réponse", "2 réponses", "1\u202f500 réponses", "0,9", "25\u00a0%"],
        ),
        (
            "en-GB",
            "en",
            '["{n} reply", "{n} replies"]',
            ["0 replies", "1 reply", "2 replies", "1,500 replies", "0.9", "25%"],
        ),
    ],
)
def test_numbers_and_plurals_follow_the_pages_language(
    browser, base_url, locale, language, forms, expected
):
    context = browser.new_context(base_url=base_url, locale=locale)
    page = context.new_page()
    page.goto(f"/lang/{language}?next=/")
    assert page.evaluate("document.documentElement.lang") == language
    assert page.evaluate(WRITE % forms) == expected
    context.close()
