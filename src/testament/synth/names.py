"""The name stock of the synthetic population: given names, family names, patronymics, places.

Everything is Cyrillic here, the way a person's relatives would write it; lists render it later.
Family names come from ``data/surnames.csv`` plus many built the way Chechen family names are —
from a forefather's given name with -ов/-ев (Муса → Мусаев), sometimes after a prefix (Бисултанов,
Хасмагомедов) — so that names are as diverse as real lists and blocking is tested honestly.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

_PREFIXES = ("Би", "Бек", "Хас", "Эль", "Абдул", "Сай", "Тов", "Ис", "Вис", "Хадж", "Дени", "Ал")
_VOWEL_ENDINGS = ("а", "я", "и", "у", "о", "е", "э", "ы", "ю")


@dataclass(frozen=True, slots=True)
class WeightedNames:
    """Names with probabilities, and each name's alternative renderings."""

    names: tuple[str, ...]
    probabilities: np.ndarray
    variants: dict[str, tuple[str, ...]]

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.choice(len(self.names), size=size, p=self.probabilities)


def _rows(filename: str) -> list[dict[str, str]]:
    text = resources.files("testament.synth").joinpath(f"data/{filename}").read_text("utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(lines))


def _weighted(rows: list[dict[str, str]]) -> WeightedNames:
    names = tuple(row["name"] for row in rows)
    weights = np.array([float(row["weight"]) for row in rows])
    variants = {
        row["name"]: tuple(v for v in (row.get("variants") or "").split("|") if v) for row in rows
    }
    return WeightedNames(names, weights / weights.sum(), variants)


@cache
def male_names() -> WeightedNames:
    return _weighted(_rows("given_male.csv"))


@cache
def female_names() -> WeightedNames:
    return _weighted(_rows("given_female.csv"))


def surname_from(name: str) -> str:
    """The family name a forefather called ``name`` gives (Магомед → Магомедов, Муса → Мусаев)."""
    stem = name.replace("-", "")
    stem = stem[0] + stem[1:].lower()
    if stem.endswith(("ь", "й")):
        return stem[:-1] + "ев"
    if stem.endswith(_VOWEL_ENDINGS):
        return stem + "ев"
    return stem + "ов"


def patronymic_from(father: str, *, female: bool) -> str:
    """The patronymic from a father's given name, as Chechen names are written in Russian."""
    if father.endswith(("ь", "й")):
        base = father[:-1] + "ев"
    elif father.endswith(_VOWEL_ENDINGS):
        base = father + "ев"
    else:
        base = father + "ов"
    return base + ("на" if female else "ич")


def feminine_surname(surname: str) -> str:
    return surname + "а" if surname.endswith(("ов", "ев", "ин")) else surname


# Shares of the three kinds of family names: listed common ones, ones built from a given name,
# and the long tail of prefixed ones. Real Chechen family names are many and individually rare;
# no single one is more than a few per cent.
_LISTED_SHARE, _BUILT_SHARE, _PREFIXED_SHARE = 0.4, 0.25, 0.35


@cache
def surnames() -> WeightedNames:
    """Listed family names, names built from given names, and prefixed ones (long tail)."""
    listed = _weighted(_rows("surnames.csv"))
    weights: dict[str, float] = {
        name: _LISTED_SHARE * float(p)
        for name, p in zip(listed.names, listed.probabilities, strict=True)
    }
    male = male_names()
    built = {
        surname_from(name): float(p) for name, p in zip(male.names, male.probabilities, strict=True)
    }
    prefixed = {
        surname_from(prefix + name.lower().replace("-", ""))
        for name in male.names
        for prefix in _PREFIXES
    }
    for name, probability in built.items():
        weights[name] = weights.get(name, 0.0) + _BUILT_SHARE * probability
    for name in prefixed:
        weights[name] = weights.get(name, 0.0) + _PREFIXED_SHARE / len(prefixed)
    names = tuple(sorted(weights))
    values = np.array([weights[name] for name in names])
    return WeightedNames(names, values / values.sum(), {})


@dataclass(frozen=True, slots=True)
class Places:
    names: tuple[str, ...]
    regions: tuple[str, ...]
    probabilities: np.ndarray


@cache
def places() -> Places:
    rows = _rows("places.csv")
    weights = np.array([float(row["weight"]) for row in rows])
    return Places(
        tuple(row["name"] for row in rows),
        tuple(row["region"] for row in rows),
        weights / weights.sum(),
    )
