"""The report's languages: English (the source language) and Russian, from Babel catalogs.

As in the intake (``testament.intake.web.i18n``), texts are written in English in the templates
and the Python code and translated through the gettext catalog in ``locale/``; vocabulary labels
(act types, source kinds) come from the casebook's vocabularies, which carry both languages, and
region names from pycountry's ISO 3166-2 translations.
"""

from __future__ import annotations

import gettext
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from babel.support import NullTranslations

Language = Literal["en", "ru"]
LANGUAGES: tuple[Language, ...] = ("en", "ru")


def locale_folder() -> Path:
    return Path(str(files("testament.report").joinpath("locale")))


@cache
def translations(language: Language) -> NullTranslations:
    """The compiled catalog of ``language`` (English needs none)."""
    from babel.support import NullTranslations, Translations  # loaded when a report is made

    if language == "en":
        return NullTranslations()
    return Translations.load(str(locale_folder()), [language], domain="messages")


@cache
def region_name(code: str, language: Language) -> str:
    """``RU-CE`` -> "Chechenskaya Respublika" / "Чеченская республика" (the code when unknown)."""
    import pycountry

    subdivision = pycountry.subdivisions.get(code=code)  # type: ignore[no-untyped-call]
    if subdivision is None:
        return code
    name = str(subdivision.name)
    if language == "en":
        return name
    try:
        catalog = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[language])
    except OSError:
        return name
    return catalog.gettext(name)
