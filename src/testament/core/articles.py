"""Turning an article (plain text, Markdown or HTML) into a Source with its extracted text.

The original bytes are what is hashed (SHA-256), so the hash identifies the evidence as received,
whatever the text extraction does. Metadata found in an HTML page (title, site name, publication
date, language) fills the fields the caller did not give. No network access: an article is
imported from a file someone saved.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from testament.core.dates import interpret
from testament.core.errors import InputError

_SKIPPED_TAGS = {
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "nav",
    "footer",
    "header",
    "form",
}
_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "tr",
    "section",
    "article",
}


@dataclass(frozen=True)
class ExtractedArticle:
    sha256: str
    text: str
    title: str | None
    outlet: str | None
    published: str | None  # EDTF
    published_as_reported: str | None
    language: str | None
    media_type: str


class _HTMLText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.meta: dict[str, str] = {}
        self.title: str | None = None
        self.language: str | None = None
        self._skip_depth = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        if tag == "html" and values.get("lang"):
            self.language = values["lang"]
        if tag == "meta":
            key = values.get("property") or values.get("name") or values.get("itemprop")
            if key and values.get("content"):
                self.meta[key.lower()] = values["content"].strip()
        if tag == "title":
            self._in_title = True
        if tag in _SKIPPED_TAGS:
            self._skip_depth += 1
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in _SKIPPED_TAGS and self._skip_depth:
            self._skip_depth -= 1
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title = (self.title or "") + data
        elif not self._skip_depth:
            self.parts.append(data)


def _tidy(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.splitlines()]
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)


def _markdown_to_text(text: str) -> str:
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)  # images: keep alt text
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)  # links: keep their text
    text = re.sub(r"^\s{0,3}#{1,6}\s*", "", text, flags=re.MULTILINE)  # headings
    text = re.sub(r"^\s{0,3}>\s?", "", text, flags=re.MULTILINE)  # quotes
    return re.sub(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1", r"\2", text)  # emphasis, code


def media_type_of(name: str, data: bytes) -> str:
    lower = name.lower()
    if lower.endswith((".html", ".htm")) or data.lstrip()[:15].lower().startswith(
        (b"<!doctype html", b"<html")
    ):
        return "text/html"
    if lower.endswith((".md", ".markdown")):
        return "text/markdown"
    if lower.endswith(".txt") or "." not in lower.rsplit("/", 1)[-1]:
        return "text/plain"
    raise InputError(
        f"{name}: articles are imported from plain text (.txt), Markdown (.md) or HTML (.html)"
    )


def extract_article(data: bytes, name: str) -> ExtractedArticle:
    """Text and metadata of an article file. The hash is of ``data`` exactly as given."""
    media_type = media_type_of(name, data)
    try:
        raw = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InputError(
            f"{name} line {line}: byte 0x{data[error.start]:02x} is not UTF-8; "
            "save the article as UTF-8"
        ) from None
    title = outlet = published = as_reported = language = None
    if media_type == "text/html":
        parser = _HTMLText()
        parser.feed(raw)
        parser.close()
        text = _tidy("".join(parser.parts))
        meta = parser.meta
        title = meta.get("og:title") or (parser.title.strip() if parser.title else None)
        outlet = meta.get("og:site_name")
        as_reported = (
            meta.get("article:published_time") or meta.get("date") or meta.get("datepublished")
        )
        if as_reported:
            published = interpret(as_reported[:10])
        language = (parser.language or "").split("_")[0].lower() or None
    elif media_type == "text/markdown":
        text = _tidy(_markdown_to_text(raw))
        first = raw.strip().splitlines()[0] if raw.strip() else ""
        title = first.lstrip("# ").strip() if first.startswith("#") else None
    else:
        text = _tidy(raw)
    if not text:
        raise InputError(f"{name} has no text to import")
    return ExtractedArticle(
        sha256=hashlib.sha256(data).hexdigest(),
        text=text,
        title=title[:500] if title else None,
        outlet=outlet[:500] if outlet else None,
        published=published,
        published_as_reported=as_reported if published else None,
        language=language
        if language and re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]{2,8})*", language)
        else None,
        media_type=media_type,
    )
