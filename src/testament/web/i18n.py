"""Page languages of the two apps: English and Russian, from gettext catalogs compiled by Babel.

Each app keeps its own catalog beside its own templates (``<package>/locale``); this module
chooses the language of a request and builds one Jinja environment per language, with
autoescaping always on (record and source text is hostile).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from babel.core import Locale, UnknownLocaleError
from babel.support import NullTranslations, Translations
from jinja2 import Environment, PackageLoader, select_autoescape

Language = Literal["en", "ru"]
LANGUAGES: tuple[Language, ...] = ("en", "ru")
DEFAULT_LANGUAGE: Language = "en"


def as_language(value: str | None) -> Language | None:
    """``value`` when it names a supported language, else None."""
    for language in LANGUAGES:
        if value == language:
            return language
    return None


def choose_language(query_value: str | None, accept_language: str | None) -> Language:
    """The page language: a supported ``?lang=`` wins, then the first supported Accept-Language."""
    chosen = as_language(query_value)
    if chosen is not None:
        return chosen
    weighted: list[tuple[float, str]] = []
    for position, entry in enumerate((accept_language or "")[:500].split(",")):
        tag, _, params = entry.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        try:
            language = Locale.parse(tag.strip().replace("-", "_")).language
        except (ValueError, UnknownLocaleError):
            continue
        weighted.append((-quality + position * 1e-6, language))
    for _, language in sorted(weighted):
        found = as_language(language)
        if found is not None:
            return found
    return DEFAULT_LANGUAGE


def load_translations(locale_folder: Path, language: Language) -> NullTranslations:
    """The compiled catalog of ``language`` (English is the source language: no catalog)."""
    if language == "en":
        return NullTranslations()
    return Translations.load(str(locale_folder), [language], domain="messages")


def jinja_environment(package: str, translations: NullTranslations) -> Environment:
    """A Jinja environment for ``package``'s templates, autoescaping everything, translating
    with ``translations`` (make one per language, so nothing is shared between requests)."""
    env = Environment(
        loader=PackageLoader(package, "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    return env
