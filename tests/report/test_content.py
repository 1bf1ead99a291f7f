"""The count tables the report publishes hold against a reader who also reads the allegations."""

from __future__ import annotations

import pytest

from testament.casework.publication import ActRow, Allegation, Publication
from testament.corroborate import CorroborationSettings
from testament.report.content import compose, listed_floors
from testament.report.disclosure import CountTable
from testament.report.settings import ReportSettings
from tests.report.test_disclosure import assert_safe

DIMS = ("period", "region", "act_type")


def _listed(period: str, victims: int, number: int) -> tuple[ActRow, Allegation]:
    row = ActRow(period, "RU-CE", "killing", victims)
    allegation = Allegation(
        kind="act",
        id=f"act-{period}-{number}",
        title="Killings",
        act_type="killing",
        period=period,
        region="RU-CE",
        status="uncorroborated",
        standard_of_proof="none",
        disputed=False,
        denied_by_authorities=False,
        lines=0,
        lines_exact=True,
        public_lines=(),
        confidential_lines=0,
        dependent_supporters=0,
        first_hand=False,
        documentary=False,
        denials=(),
        denial_lines=0,
        retractions=0,
    )
    return row, allegation


def _publication() -> Publication:
    # 2016: two acts, one victim each; 2017: five acts, six victims; 2018: one act of twenty
    listed = [_listed("2016", 1, n) for n in range(2)]
    listed += [_listed("2017", 2 if n == 0 else 1, n) for n in range(5)]
    listed += [_listed("2018", 20, 0)]
    return Publication(
        acts=tuple(row for row, _ in listed),
        allegations=tuple(allegation for _, allegation in listed),
        withheld=(),
        sensitive=(),
        corroboration=CorroborationSettings(),
    )


class _Tables:
    def __init__(self, tables: list[CountTable]) -> None:
        self.tables = tables


def test_a_reader_who_counts_the_listed_acts_cannot_narrow_a_withheld_cell() -> None:
    content = compose(_publication(), ReportSettings(pdf=False))
    tables = [
        CountTable(view.dimensions, {row.codes: row.value for row in view.rows})
        for view in content.tables
    ] + [CountTable((), {(): content.total})]
    categories = [["2016", "2017", "2018"], ["RU-CE"], ["killing"]]
    floors = {
        ("2016", "RU-CE", "killing"): 2,
        ("2017", "RU-CE", "killing"): 5,
        ("2018", "RU-CE", "killing"): 1,
    }
    assert_safe(_Tables(tables), DIMS, categories, 5, floors)
    # the disclosure audit is told what the allegations reveal (test_disclosure shows that
    # it changes what is withheld)
    assert listed_floors(_publication()) == floors


@pytest.mark.parametrize("k", [3, 5])
def test_no_published_cell_is_small(k: int) -> None:
    content = compose(_publication(), ReportSettings(pdf=False, k=k))
    for view in content.tables:
        for row in view.rows:
            assert row.value is None or row.value == 0 or row.value >= k
