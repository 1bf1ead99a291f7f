"""The source-dependence graph of one allegation, drawn as a self-contained SVG.

The independent lines chosen stand in the top row, the sources that depend on them below; a
line joins two sources that share an origin, labelled with why. Denying sources stand apart on
the right. Plain SVG text, no scripts, fonts or external references, so that the desk and a
report can embed it and it opens offline; every piece of record text is escaped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from testament.corroborate.rules import Assessment

_WIDTH = 180
_GAP = 40
_ROW = 150
_BOX_HEIGHT = 40


def english_summary(assessment: Assessment) -> str:
    return (
        f"{assessment.status.value}: {len(assessment.lines)} independent line(s) among "
        f"{len(assessment.supporting)} supporting source(s); {len(assessment.denials)} denial(s)"
    )


@dataclass(frozen=True, slots=True)
class GraphWords:
    """The graph's own words: English by default; a reader in another language (the desk)
    gives its translations. ``target_kind`` names the kind of the target as the heading says
    it (None: its code); ``summary`` says the status and the counts."""

    target_kind: str | None = None
    summary: Callable[[Assessment], str] = english_summary
    independent_line: str = "independent line"
    denial: str = "denial"
    dependent: str = "dependent"
    legend: tuple[str, ...] = (
        "green: independent lines counted",
        "grey: sources sharing an origin with a line",
        "red: denials",
        "dashed: shared origin",
    )


ENGLISH = GraphWords()


def dependence_svg(assessment: Assessment, title: str = "", words: GraphWords = ENGLISH) -> str:
    """The SVG of ``assessment``'s supporting and denying sources and their dependence, its
    texts in ``words`` (the reasons of the dependencies are drawn as the assessment has them)."""
    top = list(assessment.lines)
    bottom = [source for source in assessment.supporting if source not in assessment.lines]
    denying = sorted({denial.source_id for denial in assessment.denials})
    columns = max(len(top), len(bottom), 1) + (1 if denying else 0)
    width = columns * (_WIDTH + _GAP) + _GAP
    height = 3 * _ROW
    where: dict[str, tuple[float, float]] = {}
    for row, names in ((0, top), (1, bottom)):
        for column, name in enumerate(names):
            where[name] = (_GAP + column * (_WIDTH + _GAP), 70 + row * _ROW)
    right = width - _WIDTH - _GAP
    for index, name in enumerate(denying):
        where.setdefault(name, (right, 70 + index * (_BOX_HEIGHT + 20)))
    kind = words.target_kind or assessment.target_kind
    heading = f"{kind} {assessment.target_id}" + (f" — {title}" if title else "")
    summary = words.summary(assessment)
    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="t d" '
            'font-family="sans-serif" font-size="12">'
        ),
        f'<title id="t">{escape(heading)}</title>',
        f'<desc id="d">{escape(summary)}</desc>',
        f'<text x="{_GAP}" y="24" font-size="15" font-weight="bold">{escape(heading)}</text>',
        f'<text x="{_GAP}" y="44">{escape(summary)}</text>',
    ]
    for dependency in assessment.dependencies:
        if dependency.source not in where or dependency.other not in where:
            continue
        (x1, y1), (x2, y2) = where[dependency.source], where[dependency.other]
        a = (x1 + _WIDTH / 2, y1 + _BOX_HEIGHT / 2)
        b = (x2 + _WIDTH / 2, y2 + _BOX_HEIGHT / 2)
        label = "; ".join(dependency.reasons)
        parts.append(
            f'<line x1="{a[0]:.0f}" y1="{a[1]:.0f}" x2="{b[0]:.0f}" y2="{b[1]:.0f}" '
            'stroke="#777" stroke-width="1.5" stroke-dasharray="5 3">'
            f"<title>{escape(label)}</title></line>"
        )
        mid = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2 - 4)
        parts.append(
            f'<text x="{mid[0]:.0f}" y="{mid[1]:.0f}" text-anchor="middle" fill="#444" '
            f'font-size="10">{escape(_short(label, 40))}</text>'
        )
    for name, (x, y) in where.items():
        is_line = name in assessment.lines
        is_denial = name in denying and name not in assessment.supporting
        fill = "#d9f2d9" if is_line else "#fbe3d6" if is_denial else "#eeeeee"
        stroke = "#2e7d32" if is_line else "#b23c17" if is_denial else "#999999"
        role = words.independent_line if is_line else words.denial if is_denial else words.dependent
        parts.append(
            f"<g><title>{escape(f'{name}: {role}')}</title>"
            f'<rect x="{x:.0f}" y="{y:.0f}" width="{_WIDTH}" height="{_BOX_HEIGHT}" rx="6" '
            f'fill={quoteattr(fill)} stroke={quoteattr(stroke)} stroke-width="2"/>'
            f'<text x="{x + _WIDTH / 2:.0f}" y="{y + 25:.0f}" text-anchor="middle">'
            f"{escape(_short(name, 26))}</text></g>"
        )
    # one item a line: a translation may be longer than the graph is wide
    legend_y = height - 20 - 16 * (len(words.legend) - 1)
    parts.extend(
        f'<text x="{_GAP}" y="{legend_y + 16 * n}" fill="#444">{escape(item)}</text>'
        for n, item in enumerate(words.legend)
    )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
