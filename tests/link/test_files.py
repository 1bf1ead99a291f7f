"""The result files of a run are written together: all of them, or none."""

from __future__ import annotations

import pandas as pd
import pytest

from testament.link.files import write_files_atomically


def test_all_files_are_written_together(tmp_path):
    table = pd.DataFrame({"record_id": ["a1"], "cluster_id": ["c1"]})
    write_files_atomically({tmp_path / "c.csv": table, tmp_path / "model.json": "{}"})
    assert (tmp_path / "c.csv").read_text(encoding="utf-8") == "record_id,cluster_id\na1,c1\n"
    assert (tmp_path / "model.json").read_text(encoding="utf-8") == "{}"


class _InterruptedTable(pd.DataFrame):
    """A table whose writing is interrupted halfway, as by Ctrl-C."""

    def to_csv(self, stream, **_options):  # type: ignore[no-untyped-def, override]
        stream.write("x\n1\n")
        raise KeyboardInterrupt


def test_an_interruption_while_writing_leaves_no_file_and_the_old_ones_untouched(tmp_path):
    (tmp_path / "c.csv").write_text("earlier\n", encoding="utf-8")
    table = pd.DataFrame({"x": [1]})
    with pytest.raises(KeyboardInterrupt):
        write_files_atomically(
            {tmp_path / "c.csv": table, tmp_path / "h.csv": _InterruptedTable({"x": [1]})}
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.csv"]
    assert (tmp_path / "c.csv").read_text(encoding="utf-8") == "earlier\n"


def test_a_path_that_cannot_be_written_is_named_and_nothing_is_written(tmp_path):
    from testament.link import LinkageError

    (tmp_path / "taken").mkdir()
    table = pd.DataFrame({"x": [1]})
    with pytest.raises(LinkageError, match=r"cannot write .*taken: is a folder"):
        write_files_atomically({tmp_path / "c.csv": table, tmp_path / "taken": table})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]
