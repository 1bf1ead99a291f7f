"""The synthetic population: who the people are, before any list records them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from testament.synth.names import (
    female_names,
    feminine_surname,
    male_names,
    patronymic_from,
    places,
    surnames,
)

_BORN_FROM = date(1960, 1, 1).toordinal()
_BORN_TO = date(2001, 12, 31).toordinal()
_EVENTS_FROM = date(2017, 1, 1).toordinal()
_EVENTS_TO = date(2019, 12, 31).toordinal()


@dataclass(frozen=True, slots=True)
class Population:
    """One row per person: ``person_id, sex, given, family, patronymic, father, birth, place,
    region, event`` (birth and event as ``datetime.date`` ordinals; names in Cyrillic)."""

    people: pd.DataFrame

    def __len__(self) -> int:
        return len(self.people)


def draw_population(size: int, rng: np.random.Generator, *, female_share: float) -> Population:
    """Draw ``size`` people; every random choice comes from ``rng``."""
    female = rng.random(size) < female_share
    male_stock, female_stock, family_stock = male_names(), female_names(), surnames()
    given_male = np.array(male_stock.names)[male_stock.draw(rng, size)]
    given_female = np.array(female_stock.names)[female_stock.draw(rng, size)]
    given = np.where(female, given_female, given_male)
    fathers = np.array(male_stock.names)[male_stock.draw(rng, size)]
    family = np.array(family_stock.names)[family_stock.draw(rng, size)]
    place_stock = places()
    place = rng.choice(len(place_stock.names), size=size, p=place_stock.probabilities)
    people = pd.DataFrame(
        {
            "person_id": [f"p{index + 1:07d}" for index in range(size)],
            "sex": np.where(female, "f", "m"),
            "given": given,
            "family": [
                feminine_surname(name) if is_female else name
                for name, is_female in zip(family, female, strict=True)
            ],
            "patronymic": [
                patronymic_from(father, female=bool(is_female))
                for father, is_female in zip(fathers, female, strict=True)
            ],
            "father": fathers,
            "birth": rng.integers(_BORN_FROM, _BORN_TO + 1, size=size),
            "place": np.array(place_stock.names)[place],
            "region": np.array(place_stock.regions)[place],
            "event": rng.integers(_EVENTS_FROM, _EVENTS_TO + 1, size=size),
        }
    )
    return Population(people)
