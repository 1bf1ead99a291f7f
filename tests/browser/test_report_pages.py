"""The report as people see it: the HTML in Chromium, and the PDF Chromium printed, page by page.

Checked: every chart image loads and is drawn at a visible size, every table is visible, the
screenshot shows the charts' bar colour; the PDF has pages, its first page renders (PDFium) with
the charts' bar colour on it, its text holds the tables' captions and none of the casebook's
private strings.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from testament.casework.publication import gather
from testament.report.build import build_report
from testament.report.settings import ReportSettings
from testament.store import Casebook
from tests.conftest import require_component
from tests.report.adversarial import SECRETS, adversarial_casebook, capture_histories
from tests.support.chromium import CHROMIUM

pytestmark = [pytest.mark.browser, pytest.mark.slow]

BAR = (0x3B, 0x6E, 0x8F)  # the charts' bar colour (testament.report.charts)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_component(CHROMIUM.exists(), "Chromium (/usr/bin/chromium)")
    root = tmp_path_factory.mktemp("report")
    book = adversarial_casebook(root / "casebook.sqlite")
    with Casebook.open(book) as casebook:
        publication = gather(casebook, lists=capture_histories(root / "history.csv"))
    settings = ReportSettings(public_data=True, chromium=CHROMIUM)
    return build_report(publication, root / "out", settings).folder


def _has_colour(image: Image.Image, colour: tuple[int, int, int], tolerance: int = 12) -> int:
    """How many pixels are within ``tolerance`` of ``colour`` (anti-aliasing blurs edges)."""
    rgb = image.convert("RGB")
    return sum(
        count
        for count, pixel in rgb.getcolors(maxcolors=1 << 24) or []
        if all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))
    )


def test_the_html_shows_its_charts_and_tables(chromium: Any, report: Path) -> None:
    page = chromium.new_page(viewport={"width": 1100, "height": 900})
    try:
        page.goto((report / "index.html").as_uri())
        images = page.locator("figure img")
        assert images.count() == 3  # by year, by act type, estimates
        for index in range(images.count()):
            image = images.nth(index)
            image.scroll_into_view_if_needed()
            assert image.is_visible()
            box = image.bounding_box()
            assert box is not None
            assert box["width"] > 300
            assert box["height"] > 100
            assert image.evaluate("img => img.complete && img.naturalWidth > 0")
            assert image.get_attribute("alt")
        tables = page.locator("table")
        assert tables.count() >= 7
        for index in range(tables.count()):
            table = tables.nth(index)
            assert table.is_visible()
            box = table.bounding_box()
            assert box is not None
            assert box["height"] > 20
        shot = Image.open(io.BytesIO(page.screenshot(full_page=True)))
        assert _has_colour(shot, BAR) > 2000
    finally:
        page.close()


def test_the_pdf_has_pages_with_the_charts_and_tables_and_no_private_string(
    report: Path,
) -> None:
    import pypdfium2

    pdf = report / "report.pdf"
    assert pdf.exists()
    document = pypdfium2.PdfDocument(pdf)
    try:
        assert len(document) >= 2
        first = document[0]
        bitmap = first.render(scale=1.5).to_pil()
        assert _has_colour(bitmap, BAR) > 2000  # the first chart is drawn on the first page
        text = ""
        for page in document:
            textpage = page.get_textpage()
            text += textpage.get_text_range() + "\n"
            textpage.close()
            page.close()
        first.close()
    finally:
        document.close()
    words = " ".join(text.split())
    assert "Documented victims by year" in words
    assert "Appendix: withheld and why" in words
    for what, secret in SECRETS.items():
        assert secret.casefold() not in words.casefold(), f"the PDF leaks the {what}"


def test_the_pdf_names_no_local_path_and_is_the_same_on_the_same_day(tmp_path: Path) -> None:
    """Printed, a relative link becomes an absolute file:// path (the machine's folders, its
    user's name) and Chromium stamps the second it printed: the report avoids both, so two
    builds of one day give the same PDF bytes."""
    require_component(CHROMIUM.exists(), "Chromium (/usr/bin/chromium)")
    book = adversarial_casebook(tmp_path / "casebook.sqlite")
    with Casebook.open(book) as casebook:
        publication = gather(casebook, lists=capture_histories(tmp_path / "history.csv"))
    settings = ReportSettings(public_data=True, chromium=CHROMIUM)
    day = date(2026, 12, 2)
    first = build_report(publication, tmp_path / "first", settings, today=day).folder
    second = build_report(publication, tmp_path / "second", settings, today=day).folder

    pdf = (first / "report.pdf").read_bytes()
    assert pdf == (second / "report.pdf").read_bytes()
    assert b"file:" not in pdf
    assert str(tmp_path).encode() not in pdf
    assert b"/CreationDate (D:20261202000000+00'00')" in pdf
    assert not list(first.glob(".printed*"))
