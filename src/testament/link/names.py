"""Names across scripts: one canonical Latin key per name, and a coarse phonetic key for blocking.

The same man is «Магомед Хасанов» in one list, "Magomed Khasanov" (a passport-style rendering) in a
second, "Mahomed Hasanov" in a third and "Muhammad Xasanov" (a scholarly one) in a fourth. Comparing
the strings as given would call these different people. So every name goes through three steps:

1. **Script**: Cyrillic becomes Latin with one fixed system (iuliia's ``wikipedia``), after the
   Chechen digraphs (хь, гӀ, къ, аь ...) are reduced to their Russian letters, because lists written
   by Russian speakers usually drop them.
2. **Folding** (``fold_latin``): the differences *between* transliteration systems are folded away —
   č/ch, x/kh/h, ž/zh/dzh/z, ts/c, j/y/i, yu/iu/ju/û, ya/ia/ja/â, -ev/-yev/-iev, -ov/-ow/-off,
   doubled letters, apostrophes for soft and hard signs. The result is lower-case ASCII letters.
3. **Variants** (``data/name_variants.csv``): the same name in another tradition — Magomed,
   Muhammad, Mohammed; Khasan, Hasan; Ibragim, Ibrahim — and common nicknames map to one canonical
   spelling per group. Family names map their stem (Magomedov → the stem of Muhammad + "ov") and
   patronymics map the father's name they are built on (Yusupovich → Yusuf).

The keys are deliberately lossy: they exist to *compare*, not to display. Two coarser keys serve
the spellings no table foresaw (a Hungarian "Szulejman", a Spanish "Jasan", an Italian "Sciamil"):
``sound_key`` merges the letter families that transliteration systems disagree on (every hissing
or hushing sound, h and its silent renderings, j/y/i gliding into a vowel, o/u, v/w/f), and the
model compares it character by character; ``phonetic_key``, a consonant skeleton, is used only to
decide which pairs are compared at all.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")

# Chechen letters written as digraphs (and the palochka, written Ӏ, I, l or 1) that Russian-language
# lists usually drop: reduce them before transliterating so both renderings meet.
_CHECHEN_DIGRAPHS = (
    ("хь", "х"),
    ("гӏ", "г"),
    ("гi", "г"),
    ("къ", "к"),
    ("кӏ", "к"),
    ("пӏ", "п"),
    ("тӏ", "т"),
    ("цӏ", "ц"),
    ("чӏ", "ч"),
    ("аь", "а"),
    ("оь", "о"),
    ("уь", "у"),
    ("юь", "ю"),
    ("яь", "я"),
    ("ӏ", ""),
    # Soft and hard signs: some systems write them (as y, ', ʹ), others drop them; drop them.
    ("ь", ""),
    ("ъ", ""),
)

# Letters of the single-letter (ISO 9, GOST 7.79, scientific) systems, as the digraphs the
# passport-style systems use; anything else with a diacritic loses the diacritic.
_SPECIAL_LATIN = str.maketrans(
    {
        "č": "ch",
        "š": "sh",
        "ž": "zh",
        # letters of other countries' alphabets whose sound is unambiguous
        "ç": "ch",
        "ş": "sh",
        "ć": "ch",
        "ś": "s",
        "ż": "zh",
        "ź": "z",
        "ł": "l",
        "ř": "rzh",
        "ı": "y",
        "ğ": "",
        "ə": "e",
        "ŝ": "shch",
        "û": "yu",
        "â": "ya",
        "ë": "yo",
        "ä": "a",
        "ö": "o",
        "ü": "u",
        "ʹ": "",
        "ʺ": "",
        "'": "",
        "’": "",
        "‘": "",
        '"': "",
        "”": "",
        "“": "",
        "`": "",
        "´": "",
    }
)

# Ordered rewrites; each folds one family of differences between systems (and common misspellings).
_FOLD_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"shch|sch", "sh"),
        (r"tch", "ch"),
        (r"dzh|dj|zh", "z"),
        (r"kh|x", "h"),
        (r"ph", "f"),
        (r"w", "v"),
        (r"q|ck", "k"),
        (r"ts|tz|tc|c(?!h)", "c"),
        (r"ou", "u"),
        (r"[jy]", "i"),
        (r"(.)\1+", r"\1"),  # doubled letters: Mussa/Musa, Hassan/Hasan
        (r"^ie", "e"),  # Е at the start: Yelena/Elena
        (r"([aeiou])i(?=[aeou])", r"\1"),  # Я/Е/Ю after a vowel: -ayev/-aev, Ayub/Aub
        (r"iev(a?)$", r"ev\1"),  # -iyev/-iev/-yev -> -ev
        (r"([^aeiou])i(?=[aeou])", r"\1"),  # soft consonant before a vowel: Elyab-/Elab-, Ilyas
        (r"of$", "ov"),
        (r"ef$", "ev"),
        (r"(.)\1+", r"\1"),
    )
)

_FAMILY_SUFFIX = re.compile(r"^(?P<stem>.{2,}?)(?P<suffix>ova|eva|ina|ov|ev|in|aia|ii)$")
_PATRONYMIC_SUFFIX = re.compile(r"^(?P<stem>.{2,}?)(?:ovich|evich|ovna|evna|ichna|vich|vna|ich)$")
_TOKEN = re.compile(r"[^\W\d_](?:[^\W\d_]|['’ʹʺ\-](?=[^\W\d_]))*")

# Sounds that systems write with different letters, each merged into one letter (rules in order,
# applied to a folded key: lower-case a-z, kh/x already h, zh/dzh already z, ts already c).
_SOUND_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        # Every sibilant and affricate, however written: s, z, c, ch, sh, sz, zs, cs, cz, sc(i),
        # with a d or t before it (Dzs-, Dj-, Tsch- and the like). Where ch is Х (German,
        # Italian), the readings have said so already; what is left is a hushing sound.
        (r"[dt]?(?:sch|sz|zs|cs|cz|sc|sh|ch|s|z|c)+", "s"),
        (r"h", ""),  # Х written h, kh, x, j (Spanish), or dropped
        (r"(^|[aeiou])i(?=[aeou])", r"\1"),  # Й, Я, Е, Ю: i, y, j, or nothing before a vowel
        (r"(?<=[^aeiou])i(?=[aeou])", ""),
        (r"o", "u"),  # Умар/Omar, French ou already u
        (r"[wf]", "v"),
        (r"q", "k"),
        (r"(.)\1+", r"\1"),
    )
)
_SIBILANTS = _SOUND_RULES[0]
_VOWELS = re.compile(r"[aeiou]")
_PHONETIC_CLASSES = str.maketrans(
    {"b": "p", "d": "t", "g": "k", "h": "k", "q": "k", "v": "f", "w": "f", "j": "i", "y": "i"}
)


def _strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL_LATIN))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@cache
def _wikipedia_schema() -> object:
    import iuliia

    return iuliia.WIKIPEDIA


def to_latin(text: str) -> str:
    """Cyrillic to Latin with the one system used for keys; Latin text passes through."""
    if not _CYRILLIC.search(text):
        return text
    lowered = text.lower().replace("\u04c0", "ӏ").replace("\u04cf", "ӏ")
    for digraph, letter in _CHECHEN_DIGRAPHS:
        lowered = lowered.replace(digraph, letter)
    schema = _wikipedia_schema()
    return str(schema.translate(lowered))  # type: ignore[attr-defined]


@lru_cache(maxsize=1 << 16)
def fold_latin(text: str) -> str:
    """Fold a name written in any script to lower-case ASCII letters, merging transliterations.

    Cached: the words of names, places and addresses repeat across records and lists."""
    folded = _strip_diacritics(to_latin(unicodedata.normalize("NFC", text)).lower())
    folded = re.sub(r"[^a-z]", "", folded)
    for pattern, replacement in _FOLD_RULES:
        folded = pattern.sub(replacement, folded)
    return folded


@dataclass(frozen=True, slots=True)
class VariantTable:
    """Folded spelling → canonical folded spelling, for given names (and name stems)."""

    canonical: dict[str, str]

    def lookup(self, folded: str) -> str:
        return self.canonical.get(folded, folded)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str]]) -> VariantTable:
        mapping: dict[str, str] = {}
        for canonical, variant in rows:
            key = fold_latin(canonical)
            mapping[key] = key
            mapping.setdefault(fold_latin(variant), key)
        return cls(mapping)


@cache
def default_variants() -> VariantTable:
    """The variant table shipped with testament (``data/name_variants.csv``)."""
    text = resources.files("testament.link").joinpath("data/name_variants.csv").read_text("utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    reader = csv.DictReader(lines)
    return VariantTable.from_rows((row["canonical"], row["variant"]) for row in reader)


def given_key(name: str, variants: VariantTable | None = None) -> str:
    """Canonical key of a given name: folded, then mapped to its variant group."""
    table = variants or default_variants()
    return table.lookup(fold_latin(name))


def family_key(name: str, variants: VariantTable | None = None) -> str:
    """Canonical key of a family name: the stem mapped like a given name, plus -ov/-ev/-in.

    The feminine endings (-ova, -eva, -ina) fold to the masculine ones: sex is compared on its own.
    """
    table = variants or default_variants()
    folded = fold_latin(name)
    match = _FAMILY_SUFFIX.match(folded)
    if match is None:
        return table.lookup(folded)
    suffix = match["suffix"].removesuffix("a") if match["suffix"] != "aia" else "ii"
    return table.lookup(match["stem"]) + suffix


def patronymic_key(name: str, variants: VariantTable | None = None) -> str:
    """Canonical key of a patronymic: the father's given name it is built on."""
    table = variants or default_variants()
    folded = fold_latin(name)
    match = _PATRONYMIC_SUFFIX.match(folded)
    stem = match["stem"] if match else folded
    return table.lookup(stem)


@lru_cache(maxsize=1 << 16)
def sound_key(key: str) -> str:
    """A folded key with the letter families systems disagree on merged (see the module
    docstring): "Szulejman", "Suleyman" and «Сулейман» agree; Hasan/Jasan/Asan too."""
    sound = key
    for pattern, replacement in _SOUND_RULES:
        sound = pattern.sub(replacement, sound)
    return sound


def phonetic_key(key: str) -> str:
    """A coarse consonant skeleton of a canonical key, for blocking (not for scoring): its first
    letter's class (a vowel as "a") and its consonants, voicing ignored, every sibilant one
    letter. Unlike ``sound_key`` it keeps h, as k's class: Magomed and Muhammad differ by г/х,
    so a typo in a name the variant table would have mapped ("Магоемд") still blocks with it."""
    skeleton = _SIBILANTS[0].sub(_SIBILANTS[1], key)
    if not skeleton:
        return ""
    head = "a" if skeleton[0] in "aeiou" else skeleton[0].translate(_PHONETIC_CLASSES)
    tail = _VOWELS.sub("", skeleton[1:].translate(_PHONETIC_CLASSES))
    return re.sub(r"(.)\1+", r"\1", head + tail)


def is_patronymic(token: str) -> bool:
    return _PATRONYMIC_SUFFIX.match(fold_latin(token)) is not None and len(token) > 5


_STRONG_FAMILY_SUFFIXES = ("ov", "ev", "ova", "eva")


def family_name_strength(token: str, variants: VariantTable | None = None) -> int:
    """How surely a token is a family name: 2 for -ov/-ev(a), 1 for -in(a) and the like, 0 for
    none; one less when the token is a known given name (Madina ends like Ilyina)."""
    folded = fold_latin(token)
    match = _FAMILY_SUFFIX.match(folded)
    if match is None:
        return 0
    strength = 2 if match["suffix"] in _STRONG_FAMILY_SUFFIXES else 1
    table = variants or default_variants()
    if folded in table.canonical:
        strength -= 1
    return strength


@dataclass(frozen=True, slots=True)
class SplitName:
    """A free-text name split into its parts (blank when not present)."""

    given: str = ""
    family: str = ""
    patronymic: str = ""


def split_reported_name(text: str) -> SplitName:
    """Split a name as reported ("Хасанов Магомед Юсупович", "Magomed Khasanov, ~30") into parts.

    Patronymics and family names are recognised by their endings (-ович, -ov/-ev/-ova ...); among
    what is left the first token is the given name. When no token looks like a family name,
    Cyrillic text is read family name first (the Russian list order) and Latin text given name
    first (the order of English-language reports). Misreadings that remain are what the model's
    "swapped" comparison level is for.
    """
    tokens = _TOKEN.findall(text)
    patronymic = next((token for token in tokens if is_patronymic(token)), "")
    rest = [token for token in tokens if token != patronymic]
    cyrillic = _CYRILLIC.search(text) is not None
    strengths = [family_name_strength(token) for token in rest]
    family = ""
    if rest and max(strengths) > 0:
        best = max(strengths)
        candidates = [
            token for token, strength in zip(rest, strengths, strict=True) if strength == best
        ]
        family = candidates[0] if cyrillic else candidates[-1]
    elif len(rest) >= 2:
        family = rest[0] if cyrillic else rest[1]
    if family:
        rest.remove(family)
    given = rest[0] if rest else ""
    return SplitName(given=given, family=family, patronymic=patronymic)
