"""Languages of the source pages: English and Russian, from gettext catalogs compiled by Babel.

The language comes from ``?lang=`` when present (the visible switch on every page; links and
forms carry it on, so no cookie is needed), else from the browser's Accept-Language.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Literal

from babel.core import Locale, UnknownLocaleError
from babel.support import NullTranslations, Translations
from jinja2 import Environment, PackageLoader, select_autoescape

Language = Literal["en", "ru"]
LANGUAGES: tuple[Language, ...] = ("en", "ru")
DEFAULT_LANGUAGE: Language = "en"


def choose_language(query_value: str | None, accept_language: str | None) -> Language:
    """The page language: a supported ``?lang=`` wins, then the first supported Accept-Language."""
    if query_value in LANGUAGES:
        return query_value
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
        if language in LANGUAGES:
            return language
    return DEFAULT_LANGUAGE


def locale_folder() -> Path:
    return Path(str(files("testament.intake").joinpath("locale")))


@cache
def translations(language: Language) -> NullTranslations:
    """The compiled catalog of ``language`` (English is the source language: no catalog)."""
    if language == "en":
        return NullTranslations()
    return Translations.load(str(locale_folder()), [language], domain="messages")


@cache
def environment(language: Language) -> Environment:
    """A Jinja environment rendering in ``language`` (one per language, so nothing is shared)."""
    env = Environment(
        loader=PackageLoader("testament.intake", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    return env
