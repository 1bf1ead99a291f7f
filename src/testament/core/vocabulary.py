"""Controlled vocabularies with English and Russian labels and HURIDOCS ESF codes.

The data files under ``vocabularies/`` are the reference for labels and ESF codes; the codes
themselves are the enums of ``testament.core.terms``. Files are read once, on first use.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from testament.core.terms import VOCABULARY_ENUMS

Language = Literal["en", "ru"]


@dataclass(frozen=True, slots=True)
class Term:
    code: str
    labels: dict[str, str]
    esf_code: str | None

    def label(self, language: Language = "en") -> str:
        return self.labels.get(language) or self.labels["en"]


@dataclass(frozen=True, slots=True)
class Vocabulary:
    name: str
    labels: dict[str, str]
    esf_thesaurus: str | None
    terms: tuple[Term, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(term.code for term in self.terms)

    def term(self, code: str) -> Term:
        for term in self.terms:
            if term.code == code:
                return term
        raise KeyError(f"{code!r} is not a term of the {self.name} vocabulary")

    def label(self, code: str, language: Language = "en") -> str:
        return self.term(code).label(language)


@cache
def vocabulary(name: str) -> Vocabulary:
    """The vocabulary called ``name`` (e.g. ``act_type``), read from its data file."""
    if name not in VOCABULARY_ENUMS:
        raise KeyError(f"no vocabulary called {name!r}")
    path = resources.files("testament.core") / "vocabularies" / f"{name}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    thesaurus = data.get("esf_thesaurus")
    return Vocabulary(
        name=data["name"],
        labels=dict(data["label"]),
        esf_thesaurus=f"{thesaurus['number']} {thesaurus['name']}" if thesaurus else None,
        terms=tuple(
            Term(code=term["code"], labels=dict(term["label"]), esf_code=term.get("esf_code"))
            for term in data["terms"]
        ),
    )


def all_vocabularies() -> list[Vocabulary]:
    return [vocabulary(name) for name in VOCABULARY_ENUMS]
