# ruff: noqa: T201  -- a maintainer's script reports what it did
"""Refresh the report's Russian catalog after its texts change, and compile it.

Run by a maintainer: ``.venv/bin/python scripts/report_catalog.py``. It extracts every text of
``src/testament/report`` (``_()``/``n_()`` in the Python code, ``_()`` in the templates), merges
them into ``locale/ru/LC_MESSAGES/messages.po`` keeping the translations already there, and
writes the compiled ``messages.mo``. Texts left untranslated are listed, and
``tests/report/test_catalog.py`` fails until a translator fills them in the ``.po`` file.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "testament" / "report"
PO = PACKAGE / "locale" / "ru" / "LC_MESSAGES" / "messages.po"
METHOD_MAP = [("**.py", "python"), ("templates/**.html", "jinja2")]
OPTIONS_MAP = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}
KEYWORDS = {"_": None, "n_": (1, 2)}


def extract() -> Catalog:
    """Every text of the report package, as a template catalog (no translations)."""
    template = Catalog(project="testament", version="0.1.0")
    for filename, lineno, message, comments, context in extract_from_dir(
        PACKAGE, method_map=METHOD_MAP, options_map=OPTIONS_MAP, keywords=KEYWORDS
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def main() -> None:
    template = extract()
    if PO.exists():
        with PO.open("rb") as stream:
            catalog = read_po(stream, locale="ru")
    else:
        PO.parent.mkdir(parents=True, exist_ok=True)
        catalog = Catalog(locale="ru", project="testament", version="0.1.0")
    catalog.update(template, no_fuzzy_matching=True)
    with PO.open("wb") as stream:
        write_po(stream, catalog, sort_output=True, width=100, ignore_obsolete=True)
    with PO.with_suffix(".mo").open("wb") as stream:
        write_mo(stream, catalog)
    missing = [m.id for m in catalog if m.id and not _translated(m.string)]
    print(f"{PO}: {len(template)} texts, {len(missing)} untranslated")
    for message in missing:
        print("  -", message)


def _translated(string: str | tuple[str, ...]) -> bool:
    return all(string) if isinstance(string, tuple) else bool(string)


if __name__ == "__main__":
    main()
