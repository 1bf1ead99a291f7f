"""The report's charts: matplotlib to SVG, the same bytes for the same numbers.

Determinism: no pyplot (no global figure state), a fixed ``svg.hashsalt`` (matplotlib otherwise
draws the SVG's element ids at random), no creation date in the metadata, text kept as text
(``svg.fonttype: none``: smaller files, readable by screen readers and by the report's secret
checker, which could not read glyph outlines). Every chart has alt text saying what it shows in
words, including which values were withheld.
"""

from __future__ import annotations

import io
import math
import textwrap
from dataclasses import dataclass
from html import escape
from typing import Any

from matplotlib import rc_context
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from testament.report.content import Content, CountView
from testament.report.i18n import translations

_STYLE: dict[Any, Any] = {
    "svg.hashsalt": "testament-report",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
_BAR = "#3b6e8f"
_WITHHELD = "#b8b8b8"


@dataclass(frozen=True)
class Chart:
    name: str  # file name, e.g. "by-year.svg"
    title: str
    alt: str
    svg: bytes


def draw(content: Content) -> list[Chart]:
    """Every chart the content has data for."""
    charts: list[Chart] = []
    views = {view.key: view for view in content.tables}
    _ = translations(content.language).gettext
    for key, name in (("period", "by-year.svg"), ("act_type", "by-act-type.svg")):
        if key in views:
            charts.append(_bars(views[key], name, content))
    if content.estimates:
        charts.append(_estimates(content, "estimates.svg"))
    return charts


def _wrapped(text: str, width: int = 56) -> str:
    """Titles and labels on lines that fit the figure (Russian runs a third longer)."""
    return textwrap.fill(text, width)


def _svg(figure: Figure, alt: str) -> bytes:
    buffer = io.BytesIO()
    FigureCanvasSVG(figure)
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue().decode("utf-8")
    # a <title> right inside <svg>: what a screen reader announces when the file is opened alone
    start = text.index(">", text.index("<svg")) + 1
    return (text[:start] + f"\n <title>{escape(alt)}</title>" + text[start:]).encode("utf-8")


def _bars(view: CountView, name: str, content: Content) -> Chart:
    _ = translations(content.language).gettext
    labels = [row.labels[0] for row in view.rows]
    values = [row.value or 0 for row in view.rows]
    withheld = [row.value is None for row in view.rows]
    horizontal = view.dimensions == ("act_type",)
    with rc_context(_STYLE):
        height = max(2.6, 0.42 * len(labels) + 1.2) if horizontal else 3.2
        figure = Figure(figsize=(7.2, height), layout="constrained")
        axes = figure.add_subplot()
        positions = list(range(len(labels)))
        colours = [_WITHHELD if w else _BAR for w in withheld]
        if horizontal:
            axes.barh(positions, values, color=colours)
            axes.set_yticks(positions, labels)
            axes.invert_yaxis()
            axes.set_xlabel(_("Documented victims"))
        else:
            axes.bar(positions, values, color=colours)
            axes.set_xticks(positions, labels)
            axes.set_ylabel(_("Documented victims"))
        for position, value, hidden in zip(positions, values, withheld, strict=True):
            text = _("withheld") if hidden else str(value)
            if horizontal:
                axes.annotate(
                    text,
                    (value, position),
                    xytext=(4, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=9,
                )
            else:
                axes.annotate(
                    text,
                    (position, value),
                    xytext=(0, 3),
                    textcoords="offset points",
                    ha="center",
                    fontsize=9,
                )
        # room for the labels above the bars, and a visible axis when every bar is withheld
        top = max(values, default=0) * 1.15 or 1
        if horizontal:
            axes.set_xlim(0, top)
        else:
            axes.set_ylim(0, top)
        if not any(values):  # every bar withheld or zero: a scale would only mislead
            (axes.xaxis if horizontal else axes.yaxis).set_ticks([])
        figure.suptitle(_wrapped(view.title))
        parts = [
            f"{label}: {_('withheld') if hidden else value}"
            for label, value, hidden in zip(labels, values, withheld, strict=True)
        ]
        alt = _("Bar chart. {title}. {values}.").format(title=view.title, values="; ".join(parts))
        return Chart(name, view.title, alt, _svg(figure, alt))


def _estimates(content: Content, name: str) -> Chart:
    _ = translations(content.language).gettext
    rows = content.estimates
    title = _("Estimated total victims by model, with 95% intervals")
    with rc_context(_STYLE):
        figure = Figure(figsize=(7.2, max(2.8, 0.5 * len(rows) + 1.4)), layout="constrained")
        axes = figure.add_subplot()
        finite = [v for row in rows for v in (row.lower, row.upper, row.n_hat) if math.isfinite(v)]
        if content.observed is not None:
            finite.append(content.observed)
        right = max(finite) * 1.15 if finite else 1.0
        for position, row in enumerate(rows):
            upper = row.upper if math.isfinite(row.upper) else right
            axes.plot([row.lower, upper], [position, position], color=_BAR, linewidth=2.2)
            if not math.isfinite(row.upper):
                axes.annotate("→", (right, position), va="center", ha="right", color=_BAR)
            if math.isfinite(row.n_hat):
                axes.plot([row.n_hat], [position], "o", color="#1d3b4f")
        if content.observed is not None:
            axes.axvline(content.observed, color="#a4452c", linestyle="--", linewidth=1.2)
            axes.annotate(
                _("documented on the lists: {n}").format(n=content.observed),
                # left of the line, where no interval is (no estimate is below the observed)
                xy=(content.observed, 1),
                xycoords=("data", "axes fraction"),
                xytext=(-4, -2),
                textcoords="offset points",
                ha="right",
                va="top",
                color="#a4452c",
                fontsize=9,
            )
        axes.set_yticks(range(len(rows)), [row.model for row in rows])
        axes.invert_yaxis()
        axes.set_xlim(left=0, right=right)
        axes.set_xlabel(_wrapped(_("Total victims (documented and never recorded)"), 40))
        figure.suptitle(_wrapped(title))
        parts = [f"{row.model}: {row.n_hat_text} ({row.interval_text})" for row in rows]
        alt = _("Interval chart. {title}. {values}.").format(title=title, values="; ".join(parts))
        if content.observed is not None:
            alt += " " + _("Documented on the lists: {n}.").format(n=content.observed)
        return Chart(name, title, alt, _svg(figure, alt))
