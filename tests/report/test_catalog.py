"""Every text of the report has a Russian translation, and the compiled catalog matches it."""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from testament.report.i18n import locale_folder

PO = locale_folder() / "ru" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from report_catalog import extract  # noqa: E402  (the maintainer's script defines what is a text)


def test_every_text_of_the_report_has_a_russian_translation() -> None:
    with PO.open("rb") as po:
        catalog = read_po(po)
    texts = [message.id for message in extract() if message.id]
    assert len(texts) > 100
    untranslated = []
    for text in texts:
        found = catalog.get(text)
        strings = found.string if found else None
        if not strings or (isinstance(strings, tuple) and not all(strings)):
            untranslated.append(text)
    assert untranslated == []


def test_russian_plurals_have_three_forms() -> None:
    with PO.open("rb") as po:
        catalog = read_po(po)
    plurals = [m for m in catalog if m.id and isinstance(m.id, tuple)]
    assert plurals
    assert all(len(m.string) == 3 for m in plurals)


def test_compiled_catalog_is_up_to_date_with_the_po_file() -> None:
    with PO.open("rb") as po, MO.open("rb") as mo:
        source, compiled = read_po(po), read_mo(mo)

    def texts(catalog: Catalog) -> dict[object, object]:
        return {_frozen(m.id): _frozen(m.string) for m in catalog if m.id}

    assert texts(source) == texts(compiled)


def _frozen(value: object) -> object:
    """Plural forms come back as lists from one reader and tuples from the other."""
    return tuple(value) if isinstance(value, (list, tuple)) else value
