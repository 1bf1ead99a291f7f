"""The text of a records file as people export it: its encoding and its delimiter.

Russian Excel saves "CSV" in Windows-1251 with semicolons; older systems write KOI8-R; other
tools write UTF-8 with or without a byte-order mark, Excel's "Unicode text" writes UTF-16 with
tabs. A file is read without asking when it can be told apart:

* a byte-order mark decides (UTF-8, UTF-16);
* otherwise strict UTF-8 is tried first: text in a single-byte Cyrillic encoding is practically
  never valid UTF-8;
* otherwise the file is Windows-1251 or KOI8-R. Both decode any bytes, so the choice is the
  decoding that reads as Russian: common Russian letters (о, е, а, и, н ...) rather than rare
  ones, words cased as words are (Хасанов, ХАСАНОВ, not хАСАНОВ), and no box-drawing characters.

The delimiter is the one of ``, ; tab |`` that splits the lines consistently (``csv.Sniffer``),
or else the one the header line holds most of. Both guesses are reported, and ``encoding`` and
``delimiter`` arguments override them.
"""

from __future__ import annotations

import codecs
import csv
import math
import re
from collections import Counter
from dataclasses import dataclass

from testament.core.errors import Problem
from testament.link.errors import RecordsError

DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "','", ";": "';'", "\t": "tab", "|": "'|'"}
SINGLE_BYTE_CYRILLIC = ("cp1251", "koi8-r")

_SAVE_AS = "save it as CSV (in Excel: File → Save As → «CSV UTF-8»)"
_SIGNATURES = (
    (b"PK\x03\x04", "an Excel workbook (.xlsx, or another zip archive), not CSV: " + _SAVE_AS),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Excel workbook (.xls), not CSV: " + _SAVE_AS),
    (b"%PDF", "a PDF document, not CSV: export the list from its spreadsheet as CSV"),
)

# Letter frequencies of Russian text, in percent (the order of the letters is their rank).
_RUSSIAN = dict(
    zip(
        "оеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъё",
        (10.97, 8.45, 8.01, 7.35, 6.70, 6.26, 5.47, 4.73, 4.54, 4.40, 3.49, 3.21, 2.98, 2.81,
         2.62, 2.01, 1.90, 1.74, 1.70, 1.65, 1.59, 1.44, 1.21, 0.97, 0.94, 0.73, 0.64, 0.48,
         0.36, 0.32, 0.26, 0.04, 0.04),
        strict=True,
    )
)  # fmt: skip
_LOG_FREQUENCY = {letter: math.log(share) for letter, share in _RUSSIAN.items()}
_PLAIN = set("«»№—–…“”„’") | set(_RUSSIAN) | {letter.upper() for letter in _RUSSIAN}
_WORD = re.compile(r"[а-яёА-ЯЁ]+")


@dataclass(frozen=True, slots=True)
class DecodedText:
    """A file's text and how it was read: the codec's name and whether it was guessed."""

    text: str
    encoding: str
    guessed: bool


def _where(name: str, raw: bytes, offset: int) -> str:
    line = raw[:offset].count(b"\n") + 1
    return f"{name} line {line}"


def _plausibility(text: str) -> float:
    """How much ``text`` reads as Russian: higher is likelier (see the module docstring)."""
    letters = [character.lower() for character in text if character.lower() in _RUSSIAN]
    if not letters:
        return 0.0
    frequency = sum(_LOG_FREQUENCY[letter] for letter in letters) / len(letters)
    words = _WORD.findall(text)
    cased = sum(word.islower() or word.isupper() or word.istitle() for word in words)
    odd = sum(1 for character in text if ord(character) > 127 and character not in _PLAIN)
    return float(frequency + 2 * cased / max(len(words), 1) - 10 * odd / len(letters))


def guess_cyrillic(raw: bytes) -> str:
    """``cp1251`` or ``koi8-r``: whichever decoding of ``raw`` reads more like Russian."""
    sample = raw[: 1 << 18]
    scores = {
        encoding: _plausibility(sample.decode(encoding, errors="replace"))
        for encoding in SINGLE_BYTE_CYRILLIC
    }
    return max(SINGLE_BYTE_CYRILLIC, key=lambda encoding: scores[encoding])


def _refuse_mixed(raw: bytes, name: str, error: UnicodeDecodeError) -> None:
    """Refuse a file that is UTF-8 in some lines and not in others (lists pasted together):
    read in one encoding, one part of it would be silently garbled."""
    # A line beyond ASCII that decodes as UTF-8 is UTF-8: in single-byte Cyrillic text two
    # letters in a row never form a valid UTF-8 sequence.
    lines = raw.decode("utf-8", errors="replace").split("\n")
    utf8_line = next(
        (n for n, line in enumerate(lines, 1) if not line.isascii() and "\ufffd" not in line), 0
    )
    if not utf8_line:
        return
    raise RecordsError(
        f"{name} is not UTF-8 throughout",
        [
            Problem(
                where=_where(name, raw, error.start),
                message=f"byte 0x{raw[error.start]:02x} is not UTF-8, while line {utf8_line} "
                "is: the file mixes encodings; save it as UTF-8 (or name its encoding with "
                "--encoding)",
            )
        ],
    ) from error


def _codec(encoding: str, name: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError as error:
        raise RecordsError(
            f"cannot read {name}: {encoding!r} is not an encoding Python knows",
            [
                Problem(
                    where="--encoding",
                    message="use e.g. utf-8, cp1251 (Windows-1251), koi8-r, cp1252 or latin-1",
                )
            ],
        ) from error


def decode(raw: bytes, name: str, encoding: str | None = None) -> DecodedText:
    """The text of the file ``name`` whose bytes are ``raw``, in ``encoding`` or a detected one.

    Raises:
        RecordsError: the bytes are a workbook or binary, or do not decode as ``encoding``.
    """
    for signature, message in _SIGNATURES:
        if raw.startswith(signature):
            raise RecordsError(f"{name} is not a CSV file", [Problem(name, f"this is {message}")])
    if encoding is not None:
        codec = _codec(encoding, name)
        try:
            return DecodedText(raw.decode(codec), codec, guessed=False)
        except UnicodeDecodeError as error:
            raise _undecodable(
                name,
                raw,
                error,
                f"is not {codec} text",
                f"is not {codec}: leave out --encoding to let the encoding be detected, or "
                "name the right one",
            ) from error
    if raw.startswith(codecs.BOM_UTF8):
        codec = "utf-8-sig"
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-16"
    elif b"\x00" in raw[:8192]:
        message = (
            "holds NUL bytes, so it is not a text file: give a CSV (a UTF-16 file without "
            "a byte-order mark reads as --encoding utf-16-le)"
        )
        raise RecordsError(f"{name} is not a text file", [Problem(where=name, message=message)])
    else:
        try:
            return DecodedText(raw.decode("utf-8"), "utf-8", guessed=True)
        except UnicodeDecodeError as error:
            _refuse_mixed(raw, name, error)
            codec = guess_cyrillic(raw)
    try:
        return DecodedText(raw.decode(codec), codec, guessed=True)
    except UnicodeDecodeError as error:
        raise _undecodable(
            name,
            raw,
            error,
            "is neither UTF-8, Windows-1251 nor KOI8-R text",
            "cannot be read: save the file as CSV UTF-8, or name its encoding with --encoding",
        ) from error


def _undecodable(
    name: str, raw: bytes, error: UnicodeDecodeError, what: str, fix: str
) -> RecordsError:
    """The error for a byte that the chosen encoding cannot read, with its line and the fix."""
    return RecordsError(
        f"{name} {what}",
        [
            Problem(
                where=_where(name, raw, error.start),
                message=f"byte 0x{raw[error.start]:02x} {fix}",
            )
        ],
    )


def delimiter_of(text: str, name: str, delimiter: str | None = None) -> str:
    """The delimiter of the CSV ``text``: ``delimiter`` if given, else the detected one.

    Raises:
        RecordsError: ``delimiter`` is not a single character (``tab`` names the tab).
    """
    if delimiter is not None:
        chosen = "\t" if delimiter.lower() in {"tab", "\\t"} else delimiter
        if len(chosen) != 1 or chosen in {'"', "\n", "\r"}:
            raise RecordsError(
                f"cannot read {name}: the delimiter {delimiter!r} is not one character",
                [Problem(where="--delimiter", message="give one character: , ; | or tab")],
            )
        return chosen
    sample = text[: 1 << 16]
    if len(text) > len(sample):
        sample = sample[: sample.rfind("\n") + 1] or sample
    header = text.split("\n", 1)[0]
    counts = Counter({candidate: header.count(candidate) for candidate in DELIMITERS})
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        sniffed = ""
    if sniffed and counts[sniffed]:
        return sniffed
    best, count = counts.most_common(1)[0]
    return best if count else ","
