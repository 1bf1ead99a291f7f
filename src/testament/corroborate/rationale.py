"""The rationale of an assessment as reasons: a code and its parameters, one per clause.

``str()`` of a reason is its English clause, and ``english()`` joins them into the sentence the
command line and reports print. A reader in another language (the desk) renders the same codes
through its own catalog: the analysis does not depend on a translation layer, and no sentence is
parsed back. The codes and their parameters:

==========================  =======================================================
``lines``                   ``n``, ``at_least`` (bool), ``sources`` (the lines)
``also_support``            ``sources`` that share an origin with a line
``not_independent``         ``source``, ``other``, ``why`` (the English reasons)
``first_hand``              (none): at least one supporting claim is first-hand
``no_first_hand``           (none)
``documentary``             (none): documentary evidence supports it
``no_support``              (none): no source currently supports it
``confirmed_lines``         ``n``, ``needed``
``confirmed_documentary``   (none)
``corroborated``            ``n``, ``needed``, ``first_hand_needed`` (bool)
``retracted``               (none): every supporting account was withdrawn
``uncorroborated``          ``n``, ``needed``, ``first_hand_needed`` (bool)
``retracted_by``            ``sources``
``denied_by_authorities``   ``denials`` ((source, source kind) pairs), ``lines``
``disputed``                ``denials``, ``lines``
==========================  =======================================================
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from testament.core.terms import ClaimStatus
from testament.corroborate.settings import CorroborationSettings

if TYPE_CHECKING:
    from testament.corroborate.rules import Assessment


@dataclass(frozen=True, slots=True)
class Reason:
    """One clause of a rationale: ``code`` (see the module's table) and its parameters."""

    code: str
    params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def __str__(self) -> str:
        return _ENGLISH[self.code](self.params)


def reason(code: str, **params: Any) -> Reason:
    if code not in _ENGLISH:
        raise ValueError(f"unknown rationale code {code!r}")
    return Reason(code, MappingProxyType(params))


def english(reasons: tuple[Reason, ...]) -> str:
    """The reasons as one English sentence (the rationale the CLI and reports print)."""
    return "; ".join(map(str, reasons)) + "."


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _denials(p: Mapping[str, Any]) -> str:
    listed = ", ".join(f"{source} ({kind.replace('_', ' ')})" for source, kind in p["denials"])
    return f"{listed} ({_plural(p['lines'], 'independent line')} of denial)"


def _first_hand_needed(p: Mapping[str, Any], text: str) -> str:
    return text if p["first_hand_needed"] else ""


_ENGLISH: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "lines": lambda p: (
        f"{'at least ' if p['at_least'] else ''}{_plural(p['n'], 'independent line')} of "
        f"reporting support it: {', '.join(p['sources'])}"
    ),
    "also_support": lambda p: (
        f"{', '.join(p['sources'])} also support{'s' if len(p['sources']) == 1 else ''} it but "
        "share an origin with a line already counted, so they add no independent weight"
    ),
    "not_independent": lambda p: (
        f"{p['source']} and {p['other']} are not independent: " + "; ".join(p["why"])
    ),
    "first_hand": lambda p: "at least one supporting claim is first-hand",
    "no_first_hand": lambda p: "no supporting claim is first-hand",
    "documentary": lambda p: "documentary evidence supports it",
    "no_support": lambda p: "no source currently supports it",
    "confirmed_lines": lambda p: f"confirmed: {p['n']} >= {p['needed']} independent lines",
    "confirmed_documentary": lambda p: "confirmed by documentary evidence",
    "corroborated": lambda p: (
        f"corroborated: {p['n']} >= {p['needed']} independent lines"
        + _first_hand_needed(p, ", one of them first-hand")
    ),
    "retracted": lambda p: "retracted: every supporting account was withdrawn",
    "uncorroborated": lambda p: (
        f"uncorroborated: {_plural(p['n'], 'independent line')}, corroboration needs "
        f"{p['needed']}" + _first_hand_needed(p, " with one first-hand")
    ),
    "retracted_by": lambda p: (
        f"retracted by {', '.join(p['sources'])} (withdrawing their own claims and those that "
        "repeat them, not what they repeated)"
    ),
    "denied_by_authorities": lambda p: (
        "denied by the authorities — recorded as the statement of an interested party; it "
        f"flags the allegation as disputed and does not erase it: {_denials(p)}"
    ),
    "disputed": lambda p: f"disputed by other sources: {_denials(p)}",
}


def rationale_reasons(
    assessment: Assessment, settings: CorroborationSettings
) -> tuple[Reason, ...]:
    """Why ``assessment`` has its status, clause by clause, from its own fields (so a reader
    shown less, whose assessment names some sources by a label, gets reasons that name them so)."""
    found: list[Reason] = []
    n = len(assessment.lines)
    if n:
        found.append(
            reason(
                "lines", n=n, at_least=not assessment.lines_exact, sources=tuple(assessment.lines)
            )
        )
        others = tuple(s for s in assessment.supporting if s not in assessment.lines)
        if others:
            found.append(reason("also_support", sources=others))
        found.extend(
            reason(
                "not_independent",
                source=dependency.source,
                other=dependency.other,
                why=tuple(dependency.reasons),
            )
            for dependency in assessment.dependencies
        )
        found.append(reason("first_hand" if assessment.first_hand else "no_first_hand"))
        if assessment.documentary:
            found.append(reason("documentary"))
    else:
        found.append(reason("no_support"))
    found.append(_status_reason(assessment.status, n, settings))
    if assessment.retracted_sources:
        found.append(reason("retracted_by", sources=tuple(assessment.retracted_sources)))
    if assessment.denials:
        found.append(
            reason(
                "denied_by_authorities" if assessment.denied_by_authorities else "disputed",
                denials=tuple((d.source_id, d.source_kind) for d in assessment.denials),
                lines=len(assessment.denial_lines),
            )
        )
    return tuple(found)


def _status_reason(status: ClaimStatus, n: int, settings: CorroborationSettings) -> Reason:
    first_hand = settings.corroboration_needs_first_hand
    match status:
        case ClaimStatus.CONFIRMED:
            if n >= settings.confirmed_min_lines:
                return reason("confirmed_lines", n=n, needed=settings.confirmed_min_lines)
            return reason("confirmed_documentary")
        case ClaimStatus.CORROBORATED:
            return reason(
                "corroborated",
                n=n,
                needed=settings.corroborated_min_lines,
                first_hand_needed=first_hand,
            )
        case ClaimStatus.RETRACTED:
            return reason("retracted")
        case _:
            return reason(
                "uncorroborated",
                n=n,
                needed=settings.corroborated_min_lines,
                first_hand_needed=first_hand,
            )
