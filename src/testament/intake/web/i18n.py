"""Languages of the source pages: English and Russian, from gettext catalogs compiled by Babel.

The language comes from ``?lang=`` when present (the visible switch on every page; links and
forms carry it on, so no cookie is needed), else from the browser's Accept-Language. The choice
and the environment are shared with the desk (``testament.web.i18n``); the catalog is the
intake's own.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

from babel.support import NullTranslations
from jinja2 import Environment

from testament.web.i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    Language,
    choose_language,
    jinja_environment,
    load_translations,
)

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "Language",
    "choose_language",
    "environment",
    "locale_folder",
    "translations",
]


def locale_folder() -> Path:
    return Path(str(files("testament.intake").joinpath("locale")))


@cache
def translations(language: Language) -> NullTranslations:
    """The compiled catalog of ``language`` (English is the source language: no catalog)."""
    return load_translations(locale_folder(), language)


@cache
def environment(language: Language) -> Environment:
    """A Jinja environment rendering in ``language`` (one per language, so nothing is shared)."""
    return jinja_environment("testament.intake", translations(language))
