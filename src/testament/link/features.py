"""From the records as reported to the columns the model compares.

Everything language-specific happens here, in Python, before the table reaches Splink: canonical
name keys, phonetic keys, birth and event intervals in days, a folded place key (names and places
first respelled by their list's convention, ``readings.py``). The SQL the model
runs is then plain equality, Jaro-Winkler and integer arithmetic, the same on DuckDB and Spark.

Each distinct value is converted once (names, dates and places repeat a lot), so a million records
take seconds, not minutes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from testament.core.errors import Problem
from testament.link.dates import (
    DateParseError,
    DayInterval,
    parse_age,
    parse_date_interval,
)
from testament.link.errors import RecordsError
from testament.link.names import (
    family_key,
    fold_latin,
    given_key,
    patronymic_key,
    phonetic_key,
    sound_key,
    split_reported_name,
    to_latin,
)
from testament.link.readings import choose_spellings
from testament.link.records import MAX_PROBLEMS, row_label

FEATURE_COLUMNS = (
    "unique_id",
    "list_name",
    "given_key",
    "family_key",
    "patronymic_key",
    "given_phon",
    "family_phon",
    "given_sound",
    "family_sound",
    "given_alt",
    "family_alt",
    "given_dels",
    "family_dels",
    "name_key",
    "sex",
    "birth_lo",
    "birth_hi",
    "birth_year",
    "birth_day",
    "event_lo",
    "event_hi",
    "place_key",
    "address_key",
    "document_key",
)

_SEX = {
    "m": "m",
    "male": "m",
    "man": "m",
    "м": "m",
    "муж": "m",
    "мужской": "m",
    "f": "f",
    "female": "f",
    "woman": "f",
    "ж": "f",
    "жен": "f",
    "женский": "f",
}

# Words around a settlement name that say what kind of place it is, in either script.
_PLACE_WORDS = frozenset(
    fold_latin(word)
    for word in (
        "г",
        "город",
        "с",
        "село",
        "пос",
        "посёлок",
        "ст",
        "станица",
        "р-н",
        "район",
        "республика",
        "city",
        "town",
        "village",
        "selo",
        "gorod",
        "district",
        "republic",
        "of",
    )
)
_PLACE_TOKEN = re.compile(r"[^\W\d_]+")
# Words that say what kind of street or dwelling an address names, in either script.
_ADDRESS_WORDS = frozenset(
    fold_latin(word)
    for word in (
        "ул",
        "улица",
        "пр",
        "проспект",
        "пер",
        "переулок",
        "пл",
        "площадь",
        "д",
        "дом",
        "кв",
        "квартира",
        "корп",
        "корпус",
        "street",
        "st",
        "road",
        "rd",
        "avenue",
        "ave",
        "lane",
        "ln",
        "ulitsa",
        "ulica",
        "prospekt",
        "pereulok",
        "dom",
        "kv",
        "apt",
        "flat",
        "house",
    )
)
_ADDRESS_TOKEN = re.compile(r"[^\W\d_]+|\d+")
_DOCUMENT_CHARACTER = re.compile(r"[^0-9a-z]")
MIN_DOCUMENT_CHARACTERS = 4
_DAYS_PER_YEAR = 365.2425


def deletion_variants(key: str) -> list[str]:
    """The key and every string one letter shorter: two keys one typo apart share one of these
    (a substitution, deletion, insertion or swap of neighbours), which blocking uses."""
    if len(key) < 4:
        return [key]
    return sorted({key, *(key[:index] + key[index + 1 :] for index in range(len(key)))})


def place_key(text: str) -> str:
    """A folded key of a place as reported: the settlement's name without 'city', 'село' etc."""
    tokens = [fold_latin(token) for token in _PLACE_TOKEN.findall(text)]
    kept = [token for token in tokens if token and token not in _PLACE_WORDS]
    return " ".join(kept)


def address_key(text: str) -> str:
    """A folded key of an address as reported: its words in Latin letters and its numbers, without
    words like 'street' or 'ул.', in sorted order (conventions put the house number first or
    last: «ул. Ленина, д. 5» and "5 Lenina St" both become ``5 lenina``)."""
    tokens = [
        token if token.isdigit() else fold_latin(token) for token in _ADDRESS_TOKEN.findall(text)
    ]
    return " ".join(sorted(token for token in tokens if token and token not in _ADDRESS_WORDS))


def document_key(text: str) -> str:
    """The characters of a document number that identify it: letters (Cyrillic in Latin) and
    digits, without spaces, dashes or '№'. Too short to identify anyone: blank."""
    folded = _DOCUMENT_CHARACTER.sub("", to_latin(text).lower())
    return folded if len(folded) >= MIN_DOCUMENT_CHARACTERS else ""


def _column(records: pd.DataFrame, name: str) -> pd.Series:
    """A text column, stripped and in Unicode's composed form (NFC): "ž" written as z and a
    combining caron (as some transliteration tools emit it) is one letter, not a word break."""
    if name not in records.columns:
        return pd.Series("", index=records.index, dtype=object)
    texts = records[name].fillna("").astype(str)
    composed = {text: unicodedata.normalize("NFC", text).strip() for text in texts.unique()}
    return texts.map(composed)


def _map_unique(values: pd.Series, function: Callable[[str], str]) -> pd.Series:
    """Apply ``function`` once per distinct non-blank value; blanks become None (SQL NULL)."""
    uniques = {value: function(value) for value in values.unique() if value}
    mapped = values.map(uniques)
    return mapped.where(mapped.notna() & (mapped != ""), None)


_NAME_TOKEN = re.compile(r"[^\W\d_]+", re.UNICODE)
_KEYERS: dict[str, Callable[[str], str]] = {
    "given": given_key,
    "family": family_key,
    "patronymic": patronymic_key,
    "place": fold_latin,
}


def _respelled(lists: pd.Series, parts: dict[str, pd.Series]) -> dict[str, pd.Series]:
    """Each name part with its Latin tokens respelled by the reading the data support
    (``readings.py``: a list compiled in Germany writes Х as "ch" and В as "w")."""
    tokens = {
        (list_name, part, token)
        for part, texts in parts.items()
        for list_name, text in zip(lists, texts, strict=True)
        if text
        for token in _NAME_TOKEN.findall(text)
    }
    chosen = choose_spellings(tokens, _KEYERS)
    if not chosen:
        return parts

    def respell(list_name: str, part: str, text: str) -> str:
        return _NAME_TOKEN.sub(lambda m: chosen.get((list_name, part, m[0]), m[0]), text)

    out: dict[str, pd.Series] = {}
    for part, texts in parts.items():
        pairs = pd.Series(list(zip(lists, texts, strict=True)), index=texts.index)
        rewritten = {pair: respell(pair[0], part, pair[1]) for pair in pairs.unique() if pair[1]}
        out[part] = pairs.map(lambda pair, table=rewritten: table.get(pair, pair[1]))
    return out


def _names(records: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """Given name, family name, patronymic and place, each respelled by the reading the data
    support (a list compiled in Poland writes Махачкала "Machaczkała" as it writes its names)."""
    given = _column(records, "given_name")
    family = _column(records, "family_name")
    patronymic = _column(records, "patronymic")
    reported = _column(records, "names_as_reported")
    needs_split = (reported != "") & ((given == "") | (family == ""))
    if needs_split.any():
        splits = {value: split_reported_name(value) for value in reported[needs_split].unique()}
        parts = reported[needs_split].map(splits)
        given = given.where(~(needs_split & (given == "")), parts.map(lambda s: s.given))
        family = family.where(~(needs_split & (family == "")), parts.map(lambda s: s.family))
        patronymic = patronymic.where(
            ~(needs_split & (patronymic == "")), parts.map(lambda s: s.patronymic)
        )
    lists = records["list"].astype(str).str.strip()
    parts = _respelled(
        lists,
        {
            "given": given.fillna(""),
            "family": family.fillna(""),
            "patronymic": patronymic.fillna(""),
            "place": _column(records, "place"),
        },
    )
    return parts["given"], parts["family"], parts["patronymic"], parts["place"]


class _IntervalReader:
    """Parses a date column into [lo, hi] day columns, collecting problems with their rows."""

    def __init__(self, where: str, labels: list[int]) -> None:
        self.where = where
        self.labels = labels
        self.problems: list[Problem] = []

    def dates(self, values: pd.Series, field: str) -> tuple[pd.Series, pd.Series]:
        parsed: dict[str, DayInterval | None] = {}
        for value in values.unique():
            if not value:
                continue
            try:
                parsed[value] = parse_date_interval(value)
            except DateParseError as error:
                parsed[value] = None
                self._report(values, value, field, str(error))
        return self._bounds(values, parsed)

    def ages(
        self, ages: pd.Series, events_lo: pd.Series, events_hi: pd.Series
    ) -> tuple[pd.Series, pd.Series]:
        ranges: dict[str, tuple[int, int] | None] = {}
        for value in ages.unique():
            if not value:
                continue
            try:
                ranges[value] = parse_age(value)
            except DateParseError as error:
                ranges[value] = None
                self._report(ages, value, "age", str(error))
        oldest = {value: float(bounds[1]) for value, bounds in ranges.items() if bounds}
        youngest = {value: float(bounds[0]) for value, bounds in ranges.items() if bounds}
        low = ages.map(oldest).astype(float)
        high = ages.map(youngest).astype(float)
        # Someone aged a on day e was born after e - (a + 1) years and on or before e - a years:
        # the oldest age gives the earliest birth, the youngest the latest.
        earliest = events_lo - np.round((low + 1) * _DAYS_PER_YEAR) + 1
        latest = events_hi - np.round(high * _DAYS_PER_YEAR)
        return earliest, latest

    def _bounds(
        self, values: pd.Series, parsed: dict[str, DayInterval | None]
    ) -> tuple[pd.Series, pd.Series]:
        earliest = {value: float(day.earliest) for value, day in parsed.items() if day}
        latest = {value: float(day.latest) for value, day in parsed.items() if day}
        return values.map(earliest).astype(float), values.map(latest).astype(float)

    def _report(self, values: pd.Series, value: str, field: str, message: str) -> None:
        for index in values.index[values == value][:MAX_PROBLEMS]:
            self.problems.append(
                Problem(row_label(self.where, self.labels[int(index)]), message, field)
            )


def build_features(records: pd.DataFrame, *, where: str = "records") -> pd.DataFrame:
    """The comparison columns (``FEATURE_COLUMNS``) for checked records, one row per record.

    Raises:
        RecordsError: a date, an age or a sex that cannot be read (each with its row).
    """
    # Problems name the rows the caller's index gives (spreadsheet rows, blank rows skipped);
    # from here on, rows are counted by position.
    labels = [int(label) for label in records.index]
    records = records.reset_index(drop=True)
    given, family, patronymic, place = _names(records)
    features = pd.DataFrame(
        {
            "unique_id": records["record_id"].astype(str).str.strip(),
            "list_name": records["list"].astype(str).str.strip(),
        }
    )
    features["given_key"] = _map_unique(given, given_key)
    features["family_key"] = _map_unique(family, family_key)
    features["patronymic_key"] = _map_unique(patronymic, patronymic_key)
    # The same texts keyed the other way round, for the "given and family swapped" level.
    features["given_alt"] = _map_unique(family, given_key)
    features["family_alt"] = _map_unique(given, family_key)
    features["given_phon"] = _map_unique(features["given_key"].fillna(""), phonetic_key)
    features["family_phon"] = _map_unique(features["family_key"].fillna(""), phonetic_key)
    # Keys with the letters systems disagree on merged, for character-level comparison of
    # spellings no reading foresaw (``names.sound_key``).
    features["given_sound"] = _map_unique(features["given_key"].fillna(""), sound_key)
    features["family_sound"] = _map_unique(features["family_key"].fillna(""), sound_key)
    # One-letter deletions of the canonical key and of the folded spelling: a typo in a name
    # whose canonical form differs from its spelling (Мгомед for Магомед, keyed as Muhammad)
    # still shares a deletion with the spelling.
    for part, texts, keyer in (("given", given, given_key), ("family", family, family_key)):
        variants = {
            text: sorted(
                set(deletion_variants(keyer(text))) | set(deletion_variants(fold_latin(text)))
            )
            for text in texts.unique()
            if text and keyer(text)
        }
        dels = texts.map(variants)
        features[f"{part}_dels"] = dels.where(dels.notna(), None)
    both = features["given_key"].notna() & features["family_key"].notna()
    features["name_key"] = (features["given_key"] + " " + features["family_key"]).where(both, None)

    problems: list[Problem] = []
    sex_text = _column(records, "sex").str.lower()
    unknown_sex = sex_text.isin(["", "u", "unknown", "?", "неизвестно"])
    features["sex"] = sex_text.map(_SEX).where(~unknown_sex, None)
    for index in sex_text.index[~unknown_sex & features["sex"].isna()][:MAX_PROBLEMS]:
        problems.append(
            Problem(
                row_label(where, labels[int(index)]),
                f"sex {sex_text[index]!r} is not one of m, f, male, female, м, ж (blank: unknown)",
                "sex",
            )
        )
    features["sex"] = features["sex"].where(features["sex"].notna(), None)

    reader = _IntervalReader(where, labels)
    birth_lo, birth_hi = reader.dates(_column(records, "birth"), "birth")
    event_lo, event_hi = reader.dates(_column(records, "event_date"), "event_date")
    age_lo, age_hi = reader.ages(_column(records, "age"), event_lo, event_hi)
    use_age = birth_lo.isna()
    birth_lo = birth_lo.where(~use_age, age_lo)
    birth_hi = birth_hi.where(~use_age, age_hi)
    problems.extend(reader.problems)
    if problems:
        raise RecordsError(
            f"{where} has {len(problems)} value(s) that cannot be read",
            problems[:MAX_PROBLEMS],
            truncated=len(problems) > MAX_PROBLEMS,
        )
    features["birth_lo"] = birth_lo.astype("Int64")
    features["birth_hi"] = birth_hi.astype("Int64")
    middle_day = (birth_lo + birth_hi) / 2
    features["birth_year"] = (1970 + np.floor(middle_day / _DAYS_PER_YEAR)).astype("Int64")
    # The day of birth, only where a record gives one (for blocking and training).
    features["birth_day"] = features["birth_lo"].where(birth_lo == birth_hi, None).astype("Int64")
    features["event_lo"] = event_lo.astype("Int64")
    features["event_hi"] = event_hi.astype("Int64")
    features["place_key"] = _map_unique(place, place_key)
    features["address_key"] = _map_unique(_column(records, "address"), address_key)
    features["document_key"] = _map_unique(_column(records, "document"), document_key)
    return features[list(FEATURE_COLUMNS)]


_INTEGER_COLUMNS = ("birth_lo", "birth_hi", "birth_year", "birth_day", "event_lo", "event_hi")
_LIST_COLUMNS = ("given_dels", "family_dels")


def to_arrow(features: pd.DataFrame) -> Any:
    """The features as an Arrow table with fixed column types.

    Types are spelled out because a column that is blank in every record (a file without
    patronymics) would otherwise be guessed as numeric, and string functions fail on it.
    """
    import pyarrow as pa

    fields = []
    for column in features.columns:
        if column in _INTEGER_COLUMNS:
            fields.append(pa.field(column, pa.int64()))
        elif column in _LIST_COLUMNS:
            fields.append(pa.field(column, pa.list_(pa.string())))
        else:
            fields.append(pa.field(column, pa.string()))
    return pa.Table.from_pandas(features, schema=pa.schema(fields), preserve_index=False)


__all__ = [
    "FEATURE_COLUMNS",
    "address_key",
    "build_features",
    "deletion_variants",
    "document_key",
    "place_key",
    "to_arrow",
]
