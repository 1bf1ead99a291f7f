"""Term frequencies of names leave the record itself out, so a man on several lists is no
more common a name than a man on one."""

from __future__ import annotations

import pandas as pd
import pytest

from testament.link.model import leave_one_out_frequencies


def test_a_name_counts_the_other_records_that_have_it():
    keys = ["zelimhan cuev"] * 2 + ["muhamad umarov"] * 5 + [f"unique {i}" for i in range(94)]
    frame = pd.DataFrame({"name_key": [*keys, None]})
    table = leave_one_out_frequencies(frame, "name_key").set_index("name_key")["tf_name_key"]
    others = len(keys) - 1  # blanks are not records with a name
    # One man on two lists: one other record has his name, not two.
    assert table["zelimhan cuev"] == pytest.approx(1 / others)
    assert table["muhamad umarov"] == pytest.approx(4 / others)
    # A name no other record has still gets a frequency the adjustment can divide by.
    assert table["unique 3"] == pytest.approx(1 / others)
    assert len(table) == 96


def test_each_further_record_counts_and_the_record_itself_never():
    twice = pd.DataFrame({"name_key": ["a b"] * 2 + ["c d"] * 2 + ["e f"] * 6})
    thrice = pd.DataFrame({"name_key": ["a b"] * 3 + ["c d"] * 2 + ["e f"] * 6})
    tf_twice = leave_one_out_frequencies(twice, "name_key").set_index("name_key")
    tf_thrice = leave_one_out_frequencies(thrice, "name_key").set_index("name_key")
    # One more record of the same man: the share of the others that have his name.
    assert tf_thrice.loc["a b", "tf_name_key"] == pytest.approx(2 / 10)
    assert tf_twice.loc["a b", "tf_name_key"] == pytest.approx(1 / 9)
