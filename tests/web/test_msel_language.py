"""The MSEL import page speaks one language: its errors are in the page's language too."""

from __future__ import annotations

import io

from .test_library import (  # noqa: F401
    MSEL_EXAMPLE,
    alice,
    app,
    csrf,
    html,
    one_scenario_dir,
    page,
    trainer,
)

BAD = MSEL_EXAMPLE.replace(b"0:05,microblog", b"0:05,tiktok")


def _import(client, language: str):
    headers = {"Accept-Language": language}
    token = csrf(client, "/library/import")
    data = {
        "csrf_token": token,
        "file": (io.BytesIO(BAD), "plan.csv"),
        "base": "late-delivery",
        "new_id": "late-delivery-msel",
        "title_fr": "Colis perdu (MSEL)",
        "title_en": "Lost parcel (MSEL)",
    }
    return client.post(
        "/library/import", data=data, content_type="multipart/form-data", headers=headers
    )


def test_a_french_import_page_says_its_errors_in_french(alice):  # noqa: F811
    response = _import(alice, "fr")
    assert response.status_code == 400
    text = page(response)
    assert "Importer une MSEL" in text  # the page is French...
    assert html("ligne 2, colonne « platform » (C2)\u00a0: ") in text  # ...and so are its errors
    assert "n’est pas une plateforme" in text
    assert "is not a platform" not in text and "row 2" not in text


def test_an_english_import_page_says_them_in_english(alice):  # noqa: F811
    text = page(_import(alice, "en"))
    assert html('row 2, column "platform" (C2): "tiktok" is not a platform') in text
