"""Charts: the same numbers draw the same bytes, with alt text, in either language."""

from __future__ import annotations

from testament.casework.publication import ActRow, Publication
from testament.corroborate import CorroborationSettings
from testament.report.charts import draw
from testament.report.content import compose
from testament.report.settings import ReportSettings


def _publication() -> Publication:
    acts = (
        ActRow("2016", "RU-CE", "killing", 1),
        ActRow("2016", "RU-CE", "arbitrary_detention", 20),
        ActRow("2017", "RU-CE", "arbitrary_detention", 30),
        ActRow("2017", "RU-DA", "arbitrary_detention", 12),
        ActRow("2017", "RU-DA", "torture", 8),
        ActRow("2018", "RU-CE", "torture", 9),
        ActRow("2018", "RU-CE", "arbitrary_detention", 15),
    )
    return Publication(acts, (), (), (), CorroborationSettings())


def test_the_same_numbers_draw_the_same_svg_bytes() -> None:
    settings = ReportSettings(pdf=False)
    first = draw(compose(_publication(), settings))
    second = draw(compose(_publication(), settings))
    assert [c.name for c in first] == ["by-year.svg", "by-act-type.svg"]
    assert [c.svg for c in first] == [c.svg for c in second]
    assert b"<dc:date>" not in first[0].svg  # no creation date in the metadata


def test_alt_text_says_the_values_and_which_are_withheld() -> None:
    content = compose(_publication(), ReportSettings(pdf=False))
    charts = draw(content)
    assert charts[1].alt.startswith("Bar chart. Documented victims by type of act.")
    assert "Killing: withheld" in charts[1].alt  # one person: never shown
    assert "2017: 50" in charts[0].alt
    for chart, key in zip(charts, ("period", "act_type"), strict=True):
        rows = next(view for view in content.tables if view.key == key).rows
        for row in rows:
            shown = "withheld" if row.value is None else row.value
            assert f"{row.labels[0]}: {shown}" in chart.alt
    chart = charts[1]
    assert f"<title>{chart.alt}</title>".encode() in chart.svg
    assert b">Torture<" in chart.svg  # text kept as text (svg.fonttype none), not glyph outlines


def test_labels_in_russian() -> None:
    chart = draw(compose(_publication(), ReportSettings(language="ru", pdf=False)))[1]
    text = chart.svg.decode("utf-8")
    assert "Произвольное задержание" in text
    assert "Задокументированные пострадавшие" in text
