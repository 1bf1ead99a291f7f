"""Countries and ISO 3166-2 regions for the desk's place picker, named in the reader's language.

The names come from pycountry's own gettext catalogs (``iso3166-1`` and ``iso3166-2``, which
have Russian), so the desk's catalog need not repeat four thousand place names. A region code
is valid only when pycountry knows it: the picker offers real codes, and a hand-made request
with another code is refused, not stored.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from functools import cache

import pycountry

from testament.core.vocabulary import Language


@dataclass(frozen=True, slots=True)
class Place:
    code: str
    name: str


@cache
def _catalog(domain: str, language: Language) -> gettext.NullTranslations:
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language], fallback=True)


@cache
def countries(language: Language) -> tuple[Place, ...]:
    """Every country, by its name in ``language``."""
    names = _catalog("iso3166-1", language)
    found = [Place(country.alpha_2, names.gettext(country.name)) for country in pycountry.countries]
    return tuple(sorted(found, key=lambda place: place.name.casefold()))


@cache
def regions(country: str, language: Language) -> tuple[Place, ...]:
    """The ISO 3166-2 subdivisions of ``country`` (an alpha-2 code), by name in ``language``;
    none for a code that is not a country."""
    if pycountry.countries.get(alpha_2=country) is None:
        return ()
    names = _catalog("iso3166-2", language)
    found = pycountry.subdivisions.get(country_code=country) or []  # type: ignore[no-untyped-call]
    return tuple(
        sorted(
            (Place(item.code, names.gettext(item.name)) for item in found),
            key=lambda place: place.name.casefold(),
        )
    )


def is_region(code: str) -> bool:
    """Whether ``code`` is a real ISO 3166-2 subdivision code (RU-CE yes, RU-XX no)."""
    if not code or len(code) > 10:
        return False
    return pycountry.subdivisions.get(code=code) is not None  # type: ignore[no-untyped-call]


def country_of(code: str) -> str:
    """The country part of a region code (``RU`` of ``RU-CE``)."""
    return code.split("-", 1)[0]
