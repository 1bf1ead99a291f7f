"""The last gate before publication: no output file may contain a string that must stay private.

Every file the report wrote is read as a reader (or a search engine) would read it: HTML and SVG
both as written and with character references decoded (``&amp;`` is ``&`` to a reader), JSON
both as written and with its strings decoded (``\\u0420`` is ``Р``), CSV and text as they are,
and the PDF through its extracted text. Each is compared, case-folded and with whitespace runs
collapsed (a PDF breaks lines anywhere), against every sensitive string of the casebook, as a
whole word: "Ali" must not match "quality". A file of any other type is itself an error, so
nothing unexamined is ever published.

A hit is reported by file, record and field, never by the string: the message may be read on a
shared screen or pasted into an issue.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from testament.casework.publication import Sensitive
from testament.report.errors import DisclosureLeakError, ReportError

MIN_LENGTH = 3
"""Strings shorter than this are not searched for: one- and two-letter strings occur inside
every text, so a hit would mean nothing (and nearly every name is longer)."""

_TEXT_TYPES = {".html", ".svg", ".csv", ".json", ".txt", ".md"}
_BATCH = 400  # alternatives per compiled pattern: large enough to be fast, small enough to build


@dataclass(frozen=True)
class Leak:
    file: str
    item: Sensitive


def _normal(text: str) -> str:
    return " ".join(text.casefold().split())


def views(path: Path) -> Iterator[str]:
    """The texts a reader could get from ``path``."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        yield pdf_text(path)
        return
    if suffix not in _TEXT_TYPES:
        raise ReportError(f"{path.name}: the report does not publish files of this type")
    text = path.read_text(encoding="utf-8")
    yield text
    if suffix in {".html", ".svg"}:
        yield html.unescape(text)
    if suffix == ".json":
        yield "\n".join(_strings(json.loads(text)))


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def pdf_text(path: Path) -> str:
    """Every page's text (Chromium embeds fonts with Unicode maps, so it can be extracted)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(path)
    try:
        parts = []
        for page in document:
            textpage = page.get_textpage()
            parts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return "\n".join(parts)
    finally:
        document.close()


def searched(sensitive: Sequence[Sensitive]) -> dict[str, Sensitive]:
    """The strings searched for (normalised), each with the first record and field it is from."""
    needles: dict[str, Sensitive] = {}
    for item in sensitive:
        normal = _normal(item.value)
        if len(normal) >= MIN_LENGTH:
            needles.setdefault(normal, item)
    return needles


def find_leaks(folder: Path, sensitive: Sequence[Sensitive]) -> list[Leak]:
    """Every (file, sensitive string) pair where the file contains the string."""
    needles = searched(sensitive)
    ordered = sorted(needles, key=lambda n: (-len(n), n))
    patterns = [
        re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(n) for n in ordered[i : i + _BATCH]) + r")(?!\w)"
        )
        for i in range(0, len(ordered), _BATCH)
    ]
    leaks: list[Leak] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        found: set[str] = set()
        for text in views(path):
            normal = _normal(text)
            for pattern in patterns:
                found.update(match.group(0) for match in pattern.finditer(normal))
        name = path.relative_to(folder).as_posix()
        leaks.extend(Leak(name, needles[needle]) for needle in sorted(found))
    return leaks


def check(folder: Path, sensitive: Sequence[Sensitive]) -> int:
    """Raise ``DisclosureLeakError`` naming every leak's file, record and field; return how many
    distinct strings were searched for."""
    leaks = find_leaks(folder, sensitive)
    if leaks:
        described = "; ".join(
            f"{leak.file} contains the {leak.item.field} of {leak.item.record_type} "
            f"{leak.item.record_id}"
            for leak in leaks[:10]
        )
        more = f" (and {len(leaks) - 10} more)" if len(leaks) > 10 else ""
        raise DisclosureLeakError(
            f"the report would publish strings that must stay private: {described}{more}. "
            "Nothing was written. Mark the record that carries the text as restricted, or "
            "remove the text from the public record that repeats it."
        )
    return len(searched(sensitive))
