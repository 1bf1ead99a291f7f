"""The desk's Russian catalog covers every text of its templates and every word from data."""

from __future__ import annotations

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from testament.core.records import RECORD_TYPES
from testament.desk.access import Role
from testament.desk.web import words
from testament.desk.web.render import locale_folder
from testament.store.schema import RECORD_TABLES

PO = locale_folder() / "ru" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")


def catalog():
    with PO.open("rb") as po:
        return read_po(po)


def template_texts() -> set[object]:
    extracted = extract_from_dir(
        locale_folder().parent / "templates",
        method_map=[("**.html", "jinja2")],
        options_map={"**.html": {"extensions": "jinja2.ext.i18n"}},
    )
    return {message for _file, _line, message, _comments, _context in extracted}


def translated(texts) -> list[object]:
    """The texts without a complete Russian translation (every plural form for plurals)."""
    messages = catalog()

    def complete(text) -> bool:
        message = messages.get(text)
        if message is None:
            return False
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        return all(strings)

    return sorted((t for t in texts if not complete(t)), key=str)


def test_every_template_text_has_a_russian_translation():
    texts = template_texts()
    assert len(texts) > 50
    assert translated(texts) == []


def test_every_word_from_data_has_a_label_and_a_russian_translation():
    fields = {name for model in RECORD_TYPES.values() for name in model.model_fields} - {
        "type",
        "id",
    }
    assert fields <= set(words.FIELD_LABELS)
    assert set(RECORD_TABLES) <= set(words.RECORD_TYPE_LABELS)
    assert {role.value for role in Role} == set(words.ROLE_LABELS)
    assert translated(set(words.ALL_LABELS)) == []


def test_compiled_catalog_is_up_to_date_with_the_po_file():
    with PO.open("rb") as po, MO.open("rb") as mo:
        source, compiled = read_po(po), read_mo(mo)

    def pairs(messages):
        return {
            (m.id if isinstance(m.id, str) else tuple(m.id)): (
                m.string if isinstance(m.string, str) else tuple(m.string)
            )
            for m in messages
            if m.id
        }

    assert pairs(source) == pairs(compiled)
