"""Write a report folder: HTML, SVG charts, optional PDF and public data, checked, then published.

Everything is written into a fresh folder beside ``out``, checked there (``scan.check``), and only
then moved to ``out`` in one rename: a report that fails its check, or a build that fails half
way, leaves nothing behind, and a previous report at ``out`` stays whole until the new one
replaces it.

The same publication and settings give the same bytes in every file except the HTML's one line
saying when it was generated, and the PDF's creation date (the same day, at midnight UTC).
"""

from __future__ import annotations

import csv
import io
import json
import math
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from testament.casework.publication import Publication
from testament.report.charts import Chart, draw
from testament.report.content import Content, compose, number
from testament.report.errors import ReportError
from testament.report.i18n import Language, translations
from testament.report.pdf import chromium_missing, print_pdf, stamp_day
from testament.report.scan import check
from testament.report.settings import ReportSettings

INDEX = "index.html"
PDF = "report.pdf"
PRINTED = ".printed.html"  # the page Chromium prints, removed once the PDF is written


@dataclass(frozen=True)
class Written:
    """What a build wrote: the folder, its files (relative paths), and what it could not do."""

    folder: Path
    files: tuple[str, ...]
    notes: tuple[str, ...]
    strings_checked: int

    @property
    def index(self) -> Path:
        return self.folder / INDEX


def environment(language: Language) -> Environment:
    env = Environment(
        loader=PackageLoader("testament.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        keep_trailing_newline=True,
    )
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    return env


def build_report(
    publication: Publication,
    out: Path,
    settings: ReportSettings,
    *,
    today: date | None = None,
    note: Callable[[str], None] | None = None,
) -> Written:
    """Write the report of ``publication`` to the folder ``out`` (see the module docstring)."""
    target = _target(out)
    content = compose(publication, settings)
    charts = draw(content)
    staging = _staging(target)
    notes: list[str] = []
    try:
        (staging / "charts").mkdir()
        for chart in charts:
            (staging / "charts" / chart.name).write_bytes(chart.svg)
        data_files = _write_data(staging, content) if settings.public_data else []
        day = today or date.today()  # noqa: DTZ011 (the local calendar day is meant)
        html = _render(content, charts, data_files, day)
        (staging / INDEX).write_text(html, encoding="utf-8")
        # checked before Chromium reads it, and again with the PDF's text after
        strings = check(staging, publication.sensitive)
        if settings.pdf:
            missing = chromium_missing(settings.chromium)
            if missing is None:
                printed = staging / PRINTED
                printed.write_text(
                    _render(content, charts, data_files, day, printed=True), encoding="utf-8"
                )
                print_pdf(settings.chromium, printed, staging / PDF)
                printed.unlink()
                stamp_day(staging / PDF, day)
                strings = check(staging, publication.sensitive)
            else:
                notes.append(missing)
        files = tuple(
            sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_file())
        )
        _publish(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    for line in notes:
        if note is not None:
            note(line)
    return Written(target, files, tuple(notes), strings)


def _target(out: Path) -> Path:
    """``out`` made absolute, refused when it is a file or a folder that is not a report."""
    target = out.expanduser().absolute()
    if target.exists() and not target.is_dir():
        raise ReportError(f"{out} is a file: --out names the folder the report is written to")
    if target.is_dir() and any(target.iterdir()) and not (target / INDEX).exists():
        raise ReportError(
            f"{out} is a folder that holds other files and no report: choose an empty or new "
            "folder (a previous report there is replaced)"
        )
    return target


def _staging(target: Path) -> Path:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    except OSError as error:
        raise ReportError(
            f"cannot write the report to {target}: {error.strerror or error} "
            "(choose a folder you can write to with --out)"
        ) from error


def _publish(staging: Path, target: Path) -> None:
    """Move the checked report into place; a previous report is replaced only now."""
    # mkdtemp made it private; the report is meant to be read by anyone who gets the folder
    staging.chmod(0o755)
    old = None
    try:
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
            target.rename(old / target.name)
        staging.rename(target)
    except OSError as error:
        if old is not None and not target.exists():  # put the previous report back
            (old / target.name).rename(target)
        raise ReportError(
            f"cannot move the finished report to {target}: {error.strerror or error}"
        ) from error
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def _render(
    content: Content,
    charts: list[Chart],
    data_files: list[str],
    today: date,
    *,
    printed: bool = False,
) -> str:
    """The report's HTML; ``printed`` for the page Chromium prints to PDF, whose links to the
    data files are plain text: printed, a relative link becomes the absolute ``file://`` path of
    the folder it was printed in, which names the machine's folders (and its user) and changes
    with every build."""
    finite = [e for e in content.estimates if math.isfinite(e.n_hat)]
    template = environment(content.language).get_template("report.html")
    return template.render(
        c=content,
        charts=charts,
        data_files=data_files,
        generated=today.isoformat(),
        printed=printed,
        low_estimate=number(min(e.n_hat for e in finite)) if finite else "",
        high_estimate=number(max(e.n_hat for e in finite)) if finite else "",
    )


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _write_data(folder: Path, content: Content) -> list[str]:
    """The safe aggregates as CSV and JSON, with a data dictionary (in the report's language)."""
    _ = translations(content.language).gettext
    data = folder / "data"
    data.mkdir()
    count_rows: list[list[str]] = [["table", "period", "region", "act_type", "victims", "withheld"]]
    tables_json = []
    for view in content.tables:
        cells = []
        for row in view.rows:
            codes = dict(zip(view.dimensions, row.codes, strict=True))
            count_rows.append(
                [
                    view.key,
                    codes.get("period", ""),
                    codes.get("region", ""),
                    codes.get("act_type", ""),
                    "" if row.value is None else str(row.value),
                    row.reason or "",
                ]
            )
            cells.append({**codes, "victims": row.value, "withheld": row.reason})
        tables_json.append({"table": view.key, "dimensions": list(view.dimensions), "cells": cells})
    estimate_rows = [["model", "method", "estimate", "lower", "upper"]] + [
        [e.model, e.method, _round(e.n_hat), _round(e.lower), _round(e.upper)]
        for e in content.estimates
    ]
    dictionary = [
        ["file", "column", "meaning"],
        [
            "counts.csv",
            "table",
            _("which table the row belongs to: period, region, act_type or period-act_type"),
        ],
        [
            "counts.csv",
            "period",
            _("calendar year (or span of years of an uncertain date); 'unknown' when not known"),
        ],
        ["counts.csv", "region", _("ISO 3166-2 region code; 'unknown' when not known")],
        [
            "counts.csv",
            "act_type",
            _("type of act (testament's act type vocabulary, mapped to HURIDOCS ESF)"),
        ],
        ["counts.csv", "victims", _("documented victims; empty when the cell is withheld")],
        [
            "counts.csv",
            "withheld",
            _(
                "why the cell is withheld: primary (fewer than k people) or complementary "
                "(it would let a small cell be worked out)"
            ),
        ],
        ["estimates.csv", "model", _("the model or method of multiple systems estimation")],
        ["estimates.csv", "estimate", _("estimated total victims, documented and never recorded")],
        ["estimates.csv", "lower", _("lower limit of the 95% interval")],
        [
            "estimates.csv",
            "upper",
            _("upper limit of the 95% interval; empty when it has no finite limit"),
        ],
    ]
    payload = {
        "k": content.k,
        "total_victims": content.total,
        "tables": tables_json,
        "estimates": [
            {
                "model": e.model,
                "method": e.method,
                "estimate": _number(e.n_hat),
                "lower": _number(e.lower),
                "upper": _number(e.upper),
            }
            for e in content.estimates
        ],
        "dictionary": [dict(zip(dictionary[0], row, strict=True)) for row in dictionary[1:]],
    }
    files = {
        "counts.csv": _csv(count_rows),
        "estimates.csv": _csv(estimate_rows),
        "dictionary.csv": _csv(dictionary),
        "report-data.json": json.dumps(payload, ensure_ascii=False, indent=1, sort_keys=True)
        + "\n",
    }
    for name, text in files.items():
        (data / name).write_text(text, encoding="utf-8")
    return sorted(files)


def _round(value: float) -> str:
    return f"{value:.1f}" if math.isfinite(value) else ""


def _number(value: float) -> float | None:
    return round(value, 1) if math.isfinite(value) else None
