"""Reading a Latin spelling by the conventions of the country where a list was compiled.

Lists about people from the North Caucasus are compiled where they fled, and each spells Russian
and Chechen names its own way: "ch" is Ч in an English text, Х in a German or Polish one and Ш
in a French one; "j" is Й in German, Ж in French and Turkish; "c" is Ц in Polish, ДЖ in Turkish;
"w" is В in German and Polish. One fixed folding cannot serve them all: «Хамзат Умаров» is
"Chamsat Umarow" in Germany, "Chamzat Umarow" in Poland, "Khamzat Oumarov" in France.

So a Latin token is read in several ways. Each *reading* rewrites the grapheme families of one
group of conventions into the passport-style spelling that ``names.fold_latin`` understands:

- ``german``: tsch→ch, dsch→dzh, sch→sh, ch→kh, w→v, z→ts, j→y, and further readings for the
  letters German writes alike: s is С or З ("Chamsat" = Хамзат), sch is Ш or Ж ("Schabrail" =
  Жабраил, "Meschidow" = Межидов);
- ``polish``: szcz, cz, sz, rz, ch→kh, w→v, c→ts, j→y, ie→e and the Polish letters;
- ``french``: tch→ch, dj→dzh, ch→sh, ou→u, j→zh;
- ``turkic`` (Turkish, Azerbaijani): c→dzh, ç, ş, x→kh, j→zh, ı, ə, q→g;
- ``nordic`` (Scandinavian, Dutch): tsj→ch, sj→sh, zj→zh, oe→u, ch→kh, j→y;
- ``czech`` (and Slovak, Croatian): ch→kh, c→ts, j→y and the háček letters.

Which reading is right is decided by the data, not by a table of names: among the readings of a
token, the one whose key also occurs in the *other* lists wins (the same people are on several
lists; a list in Cyrillic or in another convention spells them unambiguously). When no other list
helps, the reading most of the list's other tokens were given wins (its plainest form: German
"Isa" stays Иса, not Иза) (a list compiled in Germany
is German throughout), and otherwise the token is read as written. A Latin token that
no reading makes meet another list is then compared by sound (``names.sound_key``, which merges the
letter families systems disagree on): when exactly one word of the same part in the other lists
sounds the same, the token is keyed as that word — this is how conventions without a reading
here (Hungarian "Szulejman", Spanish "Jasan", Italian "Sciamil") meet their Cyrillic forms. A
spelling still unmatched reaches the model's character-level (Jaro–Winkler) comparisons of keys
and of sound keys.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from testament.link.names import sound_key

AS_WRITTEN = "as written"

_Rules = tuple[tuple[re.Pattern[str], str], ...]


def _rules(*pairs: tuple[str, str]) -> _Rules:
    return tuple((re.compile(pattern), replacement) for pattern, replacement in pairs)


_GERMAN = (
    (r"tsch", "ч"),
    (r"dsch", "дж"),
    (r"sch", "ш"),  # or Ж: see ``_german_alike``
    (r"ch", "х"),
    (r"w", "в"),
    (r"z", "ц"),
    (r"j", "й"),
    (r"ss", "с"),
    (r"ä", "э"),
    (r"ö", "ё"),
    (r"ü", "ю"),
)
# German writes both С and З as a single s ("Saidowitsch" = Саидович, "Chamsat" = Хамзат), and
# both Ш and Ж as sch ("Schamil" = Шамиль, "Schabrail" = Жабраил): each such letter of a German
# reading may be either, so every combination is a reading (at most ``_MAX_ALIKE`` letters per
# token are varied).
_MAX_ALIKE = 3
_GERMAN_ALIKE = {"s": "з", "ш": "ж"}

READINGS: dict[str, _Rules] = {
    "german": _rules(*_GERMAN),
    "polish": _rules(
        (r"szcz", "щ"),
        (r"dż", "дж"),
        (r"cz|ć", "ч"),
        (r"sz", "ш"),
        (r"rz|ż", "ж"),
        (r"ch", "х"),
        (r"w", "в"),
        (r"c", "ц"),
        (r"j", "й"),
        (r"ł", "л"),
        (r"ź", "з"),
        (r"ś", "с"),
        (r"ń", "н"),
        (r"ó", "у"),
        (r"(?<=[бвгдзклмнпрстфхцчшщжbdfgklmnprstvz])ie", "е"),  # е after a consonant: Biesłan
    ),
    "french": _rules(
        (r"tch", "ч"),
        (r"dj", "дж"),
        (r"ch", "ш"),
        (r"kh", "х"),
        (r"ou", "у"),
        (r"j", "ж"),
        (r"ï", "й"),
        (r"ss", "с"),
        (r"qu|q", "к"),
        (r"gu(?=[ei])", "г"),
    ),
    "turkic": _rules(
        (r"ç", "ч"),
        (r"ş", "ш"),
        (r"c", "дж"),
        (r"x", "х"),
        (r"j", "ж"),
        (r"ı", "ы"),
        (r"ə", "э"),
        (r"q", "г"),  # Azerbaijani q is the voiced g: Qorbaçov
        (r"ğ", "г"),
    ),
    "nordic": _rules(
        (r"tsj", "ч"),
        (r"dzj", "дж"),
        (r"sj", "ш"),
        (r"zj", "ж"),
        (r"ch", "х"),
        (r"oe", "у"),
        (r"j", "й"),
    ),
    "czech": _rules(
        (r"ch", "х"),
        (r"č", "ч"),
        (r"š", "ш"),
        (r"ž", "ж"),
        (r"ř", "рж"),
        (r"c", "ц"),
        (r"j", "й"),
    ),
}

# Back to the passport-style Latin that ``fold_latin`` expects (the stand-in letters above are
# Cyrillic, so that a rule never rewrites what an earlier rule produced).
_PASSPORT = str.maketrans(
    {
        "ч": "ch",
        "д": "d",
        "ш": "sh",
        "щ": "shch",
        "ж": "zh",
        "х": "kh",
        "ц": "ts",
        "й": "y",
        "в": "v",
        "с": "s",
        "з": "z",
        "у": "u",
        "к": "k",
        "г": "g",
        "л": "l",
        "н": "n",
        "ы": "y",
        "э": "e",
        "е": "e",
        "ё": "yo",
        "ю": "yu",
        "р": "r",
    }
)


@lru_cache(maxsize=1 << 17)
def readings(token: str) -> dict[str, str]:
    """The token respelled by each reading, plus the token as written (a reading that changes
    nothing is kept: it says the token is plain in that convention).

    Cyrillic tokens have one reading: they are unambiguous.
    """
    lowered = token.lower()
    found = {AS_WRITTEN: lowered}
    if _is_cyrillic(lowered):
        return found
    for name, rules in READINGS.items():
        text = lowered
        for pattern, replacement in rules:
            text = pattern.sub(replacement, text)
        spellings = {name: text}
        if name == "german":
            spellings |= _german_alike(text)
        for reading, spelling in spellings.items():
            found[reading] = spelling.translate(_PASSPORT)
    return found


def _german_alike(text: str) -> dict[str, str]:
    """The German reading with each combination of its s read as З and its sch read as Ж."""
    positions = [i for i, char in enumerate(text) if char in _GERMAN_ALIKE][:_MAX_ALIKE]
    out: dict[str, str] = {}
    for mask in range(1, 1 << len(positions)):
        chars = list(text)
        for bit, position in enumerate(positions):
            if mask >> bit & 1:
                chars[position] = _GERMAN_ALIKE[chars[position]]
        out[f"german alike {mask}"] = "".join(chars)
    return out


def _family(reading: str) -> str:
    """Readings of one convention vote together ("german alike 3" is German)."""
    return reading.split(" ", maxsplit=1)[0]


@dataclass(frozen=True, slots=True)
class _Token:
    list_name: str
    part: str
    token: str


def choose_spellings(
    tokens: Iterable[tuple[str, str, str]],
    keyers: Mapping[str, Callable[[str], str]],
) -> dict[tuple[str, str, str], str]:
    """For each (list, part, token), the spelling to key it by (see the module docstring).

    ``keyers`` gives each part's key function (given, family, patronymic). Only tokens whose
    readings give different keys are returned; the others are keyed as written.
    """
    distinct = {_Token(*item) for item in tokens if item[2]}
    keys: dict[_Token, dict[str, str]] = {}
    vocabulary: dict[str, Counter[str]] = defaultdict(Counter)  # key -> lists it occurs in
    part_vocabulary: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    keyed: dict[tuple[str, str], str] = {}
    for item in distinct:
        keyer = keyers[item.part]
        # Every reading keeps its name even when another gave the same key: "Sulejman" read the
        # German way keys as written does, and a German list's unsupported tokens must then get
        # that plain reading, not a rarer German one (s as З) that happens to differ.
        # Readings often agree on a spelling; each (part, spelling) is keyed once.
        candidates = {}
        for reading, spelling in readings(item.token).items():
            key = keyed.get((item.part, spelling))
            if key is None:
                key = keyed[(item.part, spelling)] = keyer(spelling)
            if key:
                candidates[reading] = key
        keys[item] = candidates
        written = candidates.get(AS_WRITTEN)
        if written:
            vocabulary[written][item.list_name] += 1
            part_vocabulary[(item.part, written)][item.list_name] += 1

    def evidence(item: _Token, key: str) -> int:
        same_part = sum(1 for name in part_vocabulary[(item.part, key)] if name != item.list_name)
        any_part = sum(1 for name in vocabulary[key] if name != item.list_name)
        return 2 * same_part + any_part

    ambiguous = [item for item in distinct if len(set(keys[item].values())) > 1]
    scores = {item: {r: evidence(item, k) for r, k in keys[item].items()} for item in ambiguous}
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for item in ambiguous:
        best = max(scores[item].values())
        if best > scores[item].get(AS_WRITTEN, 0):
            for reading, score in scores[item].items():
                if score == best:
                    votes[item.list_name][_family(reading)] += 1
    dominant: dict[str, str] = {}
    for list_name, counted in votes.items():
        family, count = max(sorted(counted.items()), key=lambda pair: pair[1])
        total = sum(1 for item in ambiguous if item.list_name == list_name)
        if count >= 3 and count >= 0.25 * total:
            dominant[list_name] = family

    chosen: dict[tuple[str, str, str], str] = {}
    for item in sorted(ambiguous, key=lambda i: (i.list_name, i.part, i.token)):
        reading = _pick(scores[item], keys[item], dominant.get(item.list_name))
        if reading != AS_WRITTEN:
            chosen[(item.list_name, item.part, item.token)] = readings(item.token)[reading]
    chosen.update(_by_sound(distinct, keys, chosen, evidence))
    return chosen


def _by_sound(
    distinct: Iterable[_Token],
    keys: Mapping[_Token, Mapping[str, str]],
    chosen: Mapping[tuple[str, str, str], str],
    evidence: Callable[[_Token, str], int],
) -> dict[tuple[str, str, str], str]:
    """Latin tokens no reading makes meet another list, respelled as the one word of that part in
    the other lists that sounds the same (``names.sound_key``) once read: a convention no reading
    knows (Hungarian "Szulejman", Spanish "Jasan") still meets «Сулейман» and «Хасан». Only when
    exactly one such word exists: two would make the choice a guess. And not when the token is a
    typo away from some other word of the other lists ("Khsaan" is Khasan mistyped, though it
    sounds like Saikhan once h is silent): the model's character-level levels judge typos."""
    ordered = sorted(distinct, key=lambda i: (i.list_name, i.part, i.token))
    # What each token is keyed by after the readings, and one spelling of each key.
    by_sound: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(dict)
    by_deletion: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(dict)
    spelling_of: dict[tuple[str, str], str] = {}
    final: dict[_Token, str] = {}
    for item in ordered:
        picked = chosen.get((item.list_name, item.part, item.token))
        spelling = item.token if picked is None else picked
        key = (
            keys[item].get(AS_WRITTEN)
            if picked is None
            else next(k for r, k in keys[item].items() if readings(item.token)[r] == picked)
        )
        if not key:
            continue
        final[item] = key
        spelling_of.setdefault((item.part, key), spelling)
        by_sound[(item.part, sound_key(key))].setdefault(key, set()).add(item.list_name)
        for shorter in _one_shorter(key):
            by_deletion[(item.part, shorter)].setdefault(key, set()).add(item.list_name)
    respelled: dict[tuple[str, str, str], str] = {}
    for item in ordered:
        candidates = keys[item]
        if item not in final or _is_cyrillic(item.token):
            continue
        if any(evidence(item, key) for key in candidates.values()):
            continue
        matches = {
            key
            for key, lists in by_sound[(item.part, sound_key(final[item]))].items()
            if lists - {item.list_name}
        }
        if len(matches) != 1 or final[item] in matches:
            continue
        (match,) = matches
        typo_of = {
            key
            for shorter in _one_shorter(final[item])
            for key, lists in by_deletion.get((item.part, shorter), {}).items()
            if lists - {item.list_name} and key != final[item]
        }
        if typo_of <= matches:
            respelled[(item.list_name, item.part, item.token)] = spelling_of[(item.part, match)]
    return respelled


def _one_shorter(key: str) -> set[str]:
    """The key and each string one letter shorter: two keys one typo apart share one."""
    return {key, *(key[:index] + key[index + 1 :] for index in range(len(key)))}


def _is_cyrillic(token: str) -> bool:
    return any("\u0400" <= char <= "\u04ff" for char in token.lower())


def _pick(scores: Mapping[str, int], keys: Mapping[str, str], dominant: str | None) -> str:
    """The reading to key a token by: the best supported one; among equally supported ones that
    key differently, as written, else the list's dominant convention (its plainest reading first),
    else as written."""
    best = max(scores.values())
    tied = sorted(reading for reading, score in scores.items() if score == best)
    if AS_WRITTEN in tied and (best > 0 or dominant is None):
        return AS_WRITTEN
    if best > 0 and len({keys[reading] for reading in tied}) == 1:
        return tied[0]
    if dominant is not None:
        of_dominant = [reading for reading in tied if _family(reading) == dominant]
        if of_dominant:
            return of_dominant[0]
    return AS_WRITTEN if AS_WRITTEN in tied else tied[0]
