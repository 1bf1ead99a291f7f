"""Showing record text on a terminal as text: never read as markup, never obeyed as a command.

Record text comes from sources, and a source may be hostile. Rich reads ``[...]`` in a plain
string as markup (``[inaudible]`` vanishes, ``[/]`` raises and breaks the listing for every
reviewer) and ``:name:`` as an emoji code; a terminal obeys escape sequences (``ESC [ 2 J``
clears the screen, ``ESC ] 0 ;`` retitles the window, a carriage return overwrites a line), so a
testimony could rewrite what the reviewer sees. Unicode's bidirectional overrides and isolates
(U+202A..U+202E, U+2066..U+2069) reorder what follows them on screen: ``photo\u202egpj.exe``
shows as ``photoexe.jpg``. So record text, and any message that may quote it, reaches a console
only through ``literal`` (a ``Text``, which Rich shows as it is) after ``printable`` has replaced
every control character by a visible escape such as ``\\x1b`` and every bidi override by one such
as ``\\u202e``. (The marks U+200E/U+200F stay: they only nudge neutral characters, and Arabic or
Hebrew text uses them.)
"""

from __future__ import annotations

import re

from rich.text import Text

# C0 controls but newline and tab, DEL, and the C1 controls (0x9b is a one-byte CSI).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BIDI_OVERRIDE = re.compile("[\u202a-\u202e\u2066-\u2069]")
# What json.dumps(ensure_ascii=False) leaves raw: it escapes C0 itself, but not DEL or C1.
_JSON_RAW = re.compile("[\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` with every control character but newline and tab shown as ``\\xNN``, and every
    bidirectional override or isolate as ``\\uNNNN``."""
    text = _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)
    return _BIDI_OVERRIDE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def literal(value: object, style: str = "") -> Text:
    """``value`` as text a console shows exactly: no markup, no emoji codes, no control codes."""
    return Text(printable(str(value)), style=style)


def safe_json(document: str) -> str:
    """JSON text with DEL and C1 controls written as ``\\u00NN``: the same value, inert on a
    terminal. (Such characters can only occur inside JSON strings, where the escape is valid.)"""
    return _JSON_RAW.sub(lambda match: f"\\u{ord(match.group()):04x}", document)
