"""The Russian catalog covers every text of the templates, and the compiled catalog matches it."""

from __future__ import annotations

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from testament.intake.web.i18n import locale_folder

PO = locale_folder() / "ru" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")


def template_texts() -> set[str]:
    templates = locale_folder().parent / "templates"
    extracted = extract_from_dir(
        templates,
        method_map=[("**.html", "jinja2")],
        options_map={"**.html": {"extensions": "jinja2.ext.i18n"}},
    )
    return {message for _file, _line, message, _comments, _context in extracted}


def test_every_template_text_has_a_russian_translation():
    with PO.open("rb") as po:
        catalog = read_po(po)
    texts = template_texts()
    assert len(texts) > 30
    untranslated = sorted(t for t in texts if not (catalog.get(t) and catalog.get(t).string))
    assert untranslated == []


def test_compiled_catalog_is_up_to_date_with_the_po_file():
    with PO.open("rb") as po, MO.open("rb") as mo:
        source, compiled = read_po(po), read_mo(mo)
    assert {m.id: m.string for m in source if m.id} == {m.id: m.string for m in compiled if m.id}
