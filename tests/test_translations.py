"""The French catalogue is complete: every message in the code is there, and translated."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "simulator" / "translations" / "fr" / "LC_MESSAGES" / "messages.po"


@pytest.fixture(scope="module")
def catalog():
    with PO.open("rb") as f:
        return read_po(f)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    pot = tmp_path_factory.mktemp("babel") / "messages.pot"
    argv = ["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-o", str(pot), str(ROOT)]
    CommandLineInterface().run(argv)
    with pot.open("rb") as f:
        return read_po(f)


def ids(catalog) -> set:
    return {message.id for message in catalog if message.id}


def test_every_message_in_the_code_is_in_the_french_catalogue(catalog, extracted):
    missing = ids(extracted) - ids(catalog)
    assert not missing, f"run pybabel update, then translate: {sorted(map(str, missing))}"


def test_the_code_has_messages(extracted):
    assert len(ids(extracted)) >= 10


def test_every_french_message_is_translated_and_not_fuzzy(catalog):
    assert not catalog.fuzzy, "the catalogue header is marked fuzzy"
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(s.strip() for s in strings), f"untranslated: {message.id!r}"
        assert not message.fuzzy, f"fuzzy: {message.id!r}"


def test_placeholders_survive_translation(catalog):
    placeholder = re.compile(r"%\(\w+\)[sd]")
    for message in catalog:
        if not message.id:
            continue
        source = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(placeholder.findall(source[-1]))
        for s in strings:
            assert set(placeholder.findall(s)) == expected, f"placeholders differ: {message.id!r}"
