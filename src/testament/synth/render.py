"""How each organisation writes a person down: script, transliteration system, layout, noise.

Lists differ the way real ones do: one is in Cyrillic with separate name columns and full dates of
birth; another is an English-language report with "Given Family" in one field and an age; another
uses passport-style (ICAO) renderings and birth years only; another writes «Фамилия Имя Отчество»
with approximate EDTF dates. On top of that: typos, given and family names swapped, the Arabic
form of a given name (Muhammad for Магомед), missing patronymics, approximate or wrong dates.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from typing import Literal

import numpy as np

from testament.core.errors import SettingsError
from testament.synth import conventions
from testament.synth.names import female_names, male_names

Layout = Literal["columns", "given_first", "family_first"]
BirthStyle = Literal["date", "year", "age", "approximate"]

_CYRILLIC_LETTERS = "абвгдежзиклмнопрстуфхцчшэюя"
_LATIN_LETTERS = "abcdefghiklmnoprstuvyz"


@dataclass(frozen=True, slots=True)
class ListProfile:
    """How one list writes its records.

    ``system`` is ``cyrillic``, an iuliia schema name (``WIKIPEDIA``, ``ICAO_DOC_9303``, ...) or a
    country's convention (``german``, ``french``, ..., ``ad_hoc``; see ``conventions``).
    """

    name: str
    system: str
    layout: Layout
    birth_style: BirthStyle
    patronymic_share: float
    variant_share: float
    sex_share: float
    place_share: float


PROFILES = (
    ListProfile("list_a", "cyrillic", "columns", "date", 0.85, 0.03, 0.95, 0.9),
    ListProfile("list_b", "WIKIPEDIA", "given_first", "age", 0.1, 0.15, 0.5, 0.8),
    ListProfile("list_c", "ICAO_DOC_9303", "columns", "year", 0.0, 0.1, 0.9, 0.7),
    ListProfile("list_d", "cyrillic", "family_first", "approximate", 0.7, 0.05, 0.3, 0.85),
    ListProfile("list_e", "GOST_779", "columns", "date", 0.5, 0.2, 0.8, 0.6),
    ListProfile("list_f", "BGN_PCGN", "given_first", "year", 0.2, 0.15, 0.6, 0.8),
    ListProfile("list_g", "SCIENTIFIC", "columns", "age", 0.4, 0.1, 0.7, 0.7),
    ListProfile("list_h", "TELEGRAM", "given_first", "date", 0.1, 0.2, 0.5, 0.6),
)


def profile_for(index: int, system: str | None = None) -> ListProfile:
    """The profile of list number ``index`` (profiles repeat, with new names, after eight);
    ``system``, when given, replaces the profile's writing system and nothing else."""
    base = PROFILES[index % len(PROFILES)]
    if system is not None:
        base = replace(base, system=system)
    if index < len(PROFILES):
        return base
    return ListProfile(
        f"{base.name}{index // len(PROFILES) + 1}",
        base.system,
        base.layout,
        base.birth_style,
        base.patronymic_share,
        base.variant_share,
        base.sex_share,
        base.place_share,
    )


@dataclass(frozen=True, slots=True)
class NoiseRates:
    """Per-record probabilities of each kind of error (scaled by one ``noise`` factor)."""

    typo_given: float = 0.03
    typo_family: float = 0.04
    typo_patronymic: float = 0.03
    swapped: float = 0.02
    birth_missing: float = 0.08
    birth_year_only: float = 0.15
    birth_wrong: float = 0.03
    age_off_by_one: float = 0.1

    def scaled(self, factor: float) -> NoiseRates:
        return NoiseRates(
            *(min(1.0, getattr(self, name) * factor) for name in self.__dataclass_fields__)
        )


@cache
def _schema(system: str) -> object:
    import iuliia

    return getattr(iuliia, system)


@cache
def iuliia_schemas() -> tuple[str, ...]:
    """The names of iuliia's transliteration schemas, as ``ListProfile.system`` takes them."""
    import iuliia

    return tuple(
        name for name in dir(iuliia) if isinstance(getattr(iuliia, name), iuliia.repo.FileSchema)
    )


def known_systems() -> tuple[str, ...]:
    """Every writing system a list can use: ``cyrillic``, the conventions, the iuliia schemas."""
    return ("cyrillic", *conventions.CONVENTIONS, *iuliia_schemas())


def check_system(system: str) -> None:
    """Refuse a writing system that does not exist, naming the ones that do."""
    if system not in known_systems():
        raise SettingsError(
            f"unknown writing system {system!r}; known: cyrillic, the conventions "
            f"{', '.join(conventions.CONVENTIONS)}, and the iuliia schemas "
            f"{', '.join(iuliia_schemas())}"
        )


@cache
def transliterate(text: str, system: str) -> str:
    if system == "cyrillic" or not any("\u0400" <= char <= "\u04ff" for char in text):
        return text
    if system in conventions.CONVENTIONS:
        return conventions.transliterate(text, system)
    return str(_schema(system).translate(text))  # type: ignore[attr-defined]


def _day(ordinal: int) -> date:
    return date.fromordinal(ordinal)


class RecordWriter:
    """Writes records of one list, drawing every random choice from one generator."""

    def __init__(self, profile: ListProfile, rng: np.random.Generator, noise: NoiseRates) -> None:
        self.profile = profile
        self.rng = rng
        self.noise = noise
        self.variants = {**male_names().variants, **female_names().variants}
        self.hand = 0  # an ad hoc list's hand, drawn anew for each record

    def _chance(self, probability: float) -> bool:
        return bool(self.rng.random() < probability)

    def _typo(self, text: str) -> str:
        if len(text) < 4:
            return text
        letters = _CYRILLIC_LETTERS if self.profile.system == "cyrillic" else _LATIN_LETTERS
        position = int(self.rng.integers(1, len(text) - 1))
        kind = int(self.rng.integers(4))
        if kind == 0:
            return text[:position] + text[position + 1 :]
        if kind == 1:
            letter = letters[int(self.rng.integers(len(letters)))]
            return text[:position] + letter + text[position + 1 :]
        if kind == 2:
            return text[: position - 1] + text[position] + text[position - 1] + text[position + 1 :]
        return text[:position] + text[position] + text[position:]

    def _render(self, cyrillic: str) -> str:
        if self.profile.system == conventions.AD_HOC:
            return conventions.by_ear(cyrillic, self.hand)
        return transliterate(cyrillic, self.profile.system)

    def _given(self, given: str) -> str:
        options = self.variants.get(given, ())
        if options and self._chance(self.profile.variant_share):
            choice = options[int(self.rng.integers(len(options)))]
            latin_choice = not any("\u0400" <= char <= "\u04ff" for char in choice)
            if not (latin_choice and self.profile.system == "cyrillic"):
                return self._render(choice)
        return self._render(given)

    def names(self, given: str, family: str, patronymic: str) -> dict[str, str]:
        """A record's names (its first call: an ad hoc list draws the record's hand here)."""
        noise = self.noise
        if self.profile.system == conventions.AD_HOC:
            self.hand = int(self.rng.integers(2**31))
        given_text = self._given(given)
        family_text = self._render(family)
        patronymic_text = (
            self._render(patronymic) if self._chance(self.profile.patronymic_share) else ""
        )
        if self._chance(noise.typo_given):
            given_text = self._typo(given_text)
        if self._chance(noise.typo_family):
            family_text = self._typo(family_text)
        if patronymic_text and self._chance(noise.typo_patronymic):
            patronymic_text = self._typo(patronymic_text)
        if self._chance(noise.swapped):
            given_text, family_text = family_text, given_text
        if self.profile.layout == "columns":
            return {
                "given_name": given_text,
                "family_name": family_text,
                "patronymic": patronymic_text,
            }
        parts = (
            [given_text, family_text, patronymic_text]
            if self.profile.layout == "given_first"
            else [family_text, given_text, patronymic_text]
        )
        return {"names_as_reported": " ".join(part for part in parts if part)}

    def dates(self, birth: int, event: int) -> dict[str, str]:
        noise, style = self.noise, self.profile.birth_style
        event_text = self._event(event)
        if self._chance(noise.birth_missing):
            return {"birth": "", "age": "", "event_date": event_text}
        if self._chance(noise.birth_wrong):
            birth += int(self.rng.choice([-1, 1]) * self.rng.integers(1, 400))
        born = _day(birth)
        if style == "age":
            return {"birth": "", "age": self._age(birth, event), "event_date": event_text}
        if style == "year" or (style == "date" and self._chance(noise.birth_year_only)):
            return {"birth": f"{born.year}", "age": "", "event_date": event_text}
        if style == "approximate":
            kind = int(self.rng.integers(3))
            text = (
                f"{born.year}~"
                if kind == 0
                else f"{born.year - 1}/{born.year + 1}"
                if kind == 1
                else f"{born.year}-{born.month:02d}"
            )
            return {"birth": text, "age": "", "event_date": event_text}
        return {"birth": born.isoformat(), "age": "", "event_date": event_text}

    def _age(self, birth: int, event: int) -> str:
        years = int((event - birth) / 365.2425)
        if self._chance(self.noise.age_off_by_one):
            years += int(self.rng.choice([-1, 1]))
        kind = float(self.rng.random())
        if kind < 0.2:
            return f"~{years}"
        if kind < 0.45:
            low = years - int(self.rng.integers(0, 4))
            return f"{low}-{low + 5}"
        return f"{years}"

    def _event(self, event: int) -> str:
        if self._chance(0.3):  # lists date an event differently: detention, report, transfer
            event += int(self.rng.integers(-20, 21))
        day = _day(event)
        precision = float(self.rng.random())
        if precision < 0.5:
            return day.isoformat()
        if precision < 0.85:
            return f"{day.year}-{day.month:02d}"
        return f"{day.year}"

    def other(self, sex: str, place: str) -> dict[str, str]:
        return {
            "sex": sex if self._chance(self.profile.sex_share) else "",
            "place": self._render(place) if self._chance(self.profile.place_share) else "",
        }
