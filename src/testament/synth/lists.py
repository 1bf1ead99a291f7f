"""Synthetic victim lists with ground truth: ``generate_lists`` and the files it writes.

Deterministic: one ``numpy.random.Generator`` seeded from ``SynthSettings.seed`` draws everything,
in a fixed order, so the same settings give the same files byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from testament.core.errors import SettingsError
from testament.synth.capture import draw_captures
from testament.synth.population import Population, draw_population
from testament.synth.render import NoiseRates, RecordWriter, check_system, profile_for

RECORD_COLUMNS = (
    "list",
    "record_id",
    "given_name",
    "family_name",
    "patronymic",
    "names_as_reported",
    "sex",
    "birth",
    "event_date",
    "place",
    "age",
)
TRUTH_COLUMNS = ("record_id", "person_id", "list", "stratum")


@dataclass(frozen=True, slots=True)
class SynthSettings:
    """What population and which lists to generate.

    Attributes:
        people: size of the population (everyone, seen or not).
        lists: number of lists (at least 2).
        seed: seed of the one random generator.
        base_rates: each list's capture probability for an average person (cycled when shorter).
        heterogeneity: spread of personal visibility shared by all lists (0: none).
        stratum_effect: spread of the lists' strengths across regions (0: same everywhere).
        list_dependence: extra log-odds of being on an odd-numbered list when on the one before.
        noise: factor on every error rate (0: clean records, 1: realistic, 2: very noisy).
        female_share: share of women in the population.
        conventions: the writing system of each list, cycled when shorter — ``cyrillic``, a
            country's convention (``german``, ``polish``, ``french``, ..., ``ad_hoc``; see
            ``testament.synth.conventions``) or an iuliia schema (``WIKIPEDIA``, ...). Layout,
            dates and noise still follow the list's usual profile. Empty (the default): every
            list writes as its profile does.
    """

    people: int
    lists: int = 4
    seed: int = 0
    base_rates: tuple[float, ...] = (0.4, 0.3, 0.35, 0.25, 0.3)
    heterogeneity: float = 0.8
    stratum_effect: float = 0.5
    list_dependence: float = 1.0
    noise: float = 1.0
    female_share: float = 0.1
    conventions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.people < 1:
            raise SettingsError(f"people must be at least 1, got {self.people}")
        if self.lists < 2:
            raise SettingsError(f"lists must be at least 2 (linkage needs two), got {self.lists}")
        if not self.base_rates or not all(0.0 < rate < 1.0 for rate in self.base_rates):
            raise SettingsError("base_rates must be probabilities strictly between 0 and 1")
        if min(self.heterogeneity, self.stratum_effect, self.noise) < 0:
            raise SettingsError("heterogeneity, stratum_effect and noise cannot be negative")
        if not 0.0 <= self.female_share <= 1.0:
            raise SettingsError("female_share must be between 0 and 1")
        for system in self.conventions:
            check_system(system)

    def systems(self) -> tuple[str | None, ...]:
        """Each list's writing system, or ``None`` where its profile's own applies."""
        if not self.conventions:
            return (None,) * self.lists
        return tuple(self.conventions[k % len(self.conventions)] for k in range(self.lists))


@dataclass(frozen=True, slots=True)
class SyntheticLists:
    """Generated lists and their truth.

    Attributes:
        records: the records, in the input format of ``testament link`` (``RECORD_COLUMNS``).
        truth: ``record_id, person_id, list, stratum`` — who each record really is.
        people: the whole population, seen or not, with one 0/1 column per list
            (``testament.synth.population.Population`` columns plus the list names).
        lists: the list names, in order.
    """

    records: pd.DataFrame
    truth: pd.DataFrame
    people: pd.DataFrame
    lists: tuple[str, ...]

    def true_capture_history(self) -> pd.DataFrame:
        """The capture history perfect linkage would give (observed people only)."""
        seen = self.people[list(self.lists)]
        seen = seen[seen.sum(axis=1) > 0]
        history = seen.value_counts().rename("count").reset_index()
        return history.sort_values(list(self.lists), ascending=False).reset_index(drop=True)


def generate_lists(settings: SynthSettings) -> SyntheticLists:
    """Draw a population, decide who each list records, and write each list's records."""
    rng = np.random.default_rng(settings.seed)
    population: Population = draw_population(
        settings.people, rng, female_share=settings.female_share
    )
    people = population.people
    rates = np.resize(np.array(settings.base_rates, dtype=float), settings.lists)
    captured = draw_captures(
        people["region"].to_numpy(),
        settings.lists,
        rng,
        base_rates=rates,
        heterogeneity=settings.heterogeneity,
        stratum_effect=settings.stratum_effect,
        list_dependence=settings.list_dependence,
    )
    noise = NoiseRates().scaled(settings.noise)
    profiles = [profile_for(index, system) for index, system in enumerate(settings.systems())]
    rows: list[dict[str, str]] = []
    truth: list[tuple[str, str, str, str]] = []
    columns = people[["person_id", "sex", "given", "family", "patronymic"]].to_numpy()
    births = people["birth"].to_numpy()
    events = people["event"].to_numpy()
    places = people["place"].to_numpy()
    regions = people["region"].to_numpy()
    for index, profile in enumerate(profiles):
        writer = RecordWriter(profile, rng, noise)
        members = np.flatnonzero(captured[:, index])
        members = members[rng.permutation(len(members))]  # lists are not in population order
        prefix = profile.name.removeprefix("list_")
        for number, person in enumerate(members, start=1):
            person_id, sex, given, family, patronymic = columns[person]
            record_id = f"{prefix}{number:07d}"
            row = {"list": profile.name, "record_id": record_id}
            row.update(writer.names(given, family, patronymic))
            row.update(writer.dates(int(births[person]), int(events[person])))
            row.update(writer.other(sex, places[person]))
            rows.append(row)
            truth.append((record_id, person_id, profile.name, regions[person]))
    records = pd.DataFrame(rows).reindex(columns=list(RECORD_COLUMNS)).fillna("")
    truth_frame = pd.DataFrame(truth, columns=list(TRUTH_COLUMNS))
    names = tuple(profile.name for profile in profiles)
    seen = pd.DataFrame(captured.astype(int), columns=list(names))
    return SyntheticLists(
        records=records,
        truth=truth_frame,
        people=pd.concat([people, seen], axis=1),
        lists=names,
    )


def write_lists(lists: SyntheticLists, records_path: Path, truth_path: Path | None) -> None:
    """Write the records (and the truth) atomically; see ``testament.link.files``."""
    from testament.link.files import write_csv_atomically

    write_csv_atomically(lists.records, records_path)
    if truth_path is not None:
        write_csv_atomically(lists.truth, truth_path)
