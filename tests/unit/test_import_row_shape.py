"""The reader's rules for one row against its header, and for one line against the size limit: cells missing
or beyond the header make an error row (never padded or cut), NULs are dropped with a warning, and a line
or record over the limit is reported and read past without being held."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from productsmanager.adapters.imports.lines import BoundedLines, LineTooLong
from productsmanager.adapters.imports.row_shape import RowShape
from productsmanager.domain.imports.parse_row import RowParser, row_warnings
from productsmanager.domain.imports.profile import ImportProfile
from productsmanager.domain.imports.rows import RowProblem

HEADER = ["EAN", "Nom", "Prix"]
cells = st.text(st.characters(blacklist_characters="\0"), max_size=5)


@given(st.lists(cells, max_size=2))
def test_a_row_with_fewer_cells_than_the_header_is_an_error_row(row: list[str]) -> None:
    shaped = RowShape(HEADER, 1024).row(7, row, nul=False)
    assert shaped.refusal is not None and shaped.refusal.reason == "missing_columns"
    assert shaped.values == dict(zip(HEADER, row, strict=False))  # never padded
    problem = RowParser(ImportProfile.parse({"mapping": {"EAN": "ean"}})).parse(shaped)
    assert isinstance(problem, RowProblem) and (problem.number, problem.reason) == (7, "missing_columns")
    assert repr(HEADER[len(row)]) in problem.message


@given(st.lists(cells, min_size=3, max_size=3), st.lists(cells, min_size=1, max_size=4))
def test_cells_beyond_the_header_make_an_error_row_only_when_not_empty(row: list[str], extra: list[str]) -> None:
    shaped = RowShape(HEADER, 1024).row(3, row + extra, nul=False)
    if any(extra):
        assert shaped.refusal is not None and shaped.refusal.reason == "extra_columns"
    else:
        assert shaped.refusal is None
    assert shaped.values == dict(zip(HEADER, row, strict=True))


def test_trailing_empty_header_cells_are_no_columns() -> None:
    shape = RowShape(["EAN", "Nom", "", ""], 1024)
    assert shape.row(2, ["1", "a"], nul=False).refusal is None
    assert shape.row(2, ["1"], nul=False).refusal.reason == "missing_columns"  # type: ignore[union-attr]
    assert shape.row(2, ["1", "a", "", "x"], nul=False).refusal.reason == "extra_columns"  # type: ignore[union-attr]


@given(st.lists(st.text(max_size=6), min_size=3, max_size=3))
def test_nul_characters_are_dropped_with_a_warning_naming_the_columns(row: list[str]) -> None:
    shaped = RowShape(HEADER, 1024).row(4, row, nul=True)
    assert all("\0" not in str(value) for value in shaped.values.values())
    assert shaped.values == {name: cell.replace("\0", "") for name, cell in zip(HEADER, row, strict=True)}
    with_nul = [name for name, cell in zip(HEADER, row, strict=True) if "\0" in cell]
    if with_nul:
        [warning] = row_warnings(shaped)
        assert (warning.number, warning.reason, warning.column) == (4, "nul_dropped", with_nul[0])
        assert warning.warning
    else:
        assert row_warnings(shaped) == []


lines = st.lists(st.text(st.characters(blacklist_characters="\r\n"), max_size=40), min_size=1, max_size=20)


@given(lines, st.sampled_from(["\n", "\r\n", "\r"]), st.sampled_from(["utf-8", "utf-16-le", "windows-1252"]))
def test_lines_under_the_limit_come_out_as_written(texts: list[str], ending: str, encoding: str) -> None:
    text = "".join(line + ending for line in texts)
    source = BoundedLines(io.StringIO(text, newline=""), encoding, 1024)
    assert list(source) == [line + ending for line in texts]


@given(st.integers(0, 5), st.integers(1025, 5000), st.sampled_from(["\n", "\r\n", "\r"]))
def test_a_line_over_the_limit_is_read_past_and_the_next_one_is_intact(before: int, size: int, ending: str) -> None:
    text = "".join(f"r{i}{ending}" for i in range(before)) + "x" * size + ending + f"after{ending}"
    source = BoundedLines(io.StringIO(text, newline=""), "utf-8", 1024)
    for i in range(before):  # each line a record of its own, as the csv reader reports them
        assert next(source) == f"r{i}{ending}"
        source.record_done()
    with pytest.raises(LineTooLong) as long:
        next(source)
    assert not long.value.continued
    assert list(source) == [f"after{ending}"]


def test_the_limit_counts_bytes_of_the_file_not_characters() -> None:
    under, over = "é" * 500 + "\n", "é" * 600 + "\n"  # 1,001 and 1,201 bytes in UTF-8
    assert list(BoundedLines(io.StringIO(under, newline=""), "utf-8", 1024)) == [under]
    with pytest.raises(LineTooLong):
        next(BoundedLines(io.StringIO(over, newline=""), "utf-8", 1024))
    assert list(BoundedLines(io.StringIO(over, newline=""), "windows-1252", 1024)) == [over]


def test_a_record_of_many_short_lines_is_bounded_too() -> None:
    text = 'a,"' + "y\n" * 2000 + '"\nb,c\n'
    source = BoundedLines(io.StringIO(text, newline=""), "utf-8", 1024)
    reader = csv.reader(source)
    with pytest.raises(LineTooLong) as long:
        next(reader)
    assert long.value.continued  # where the record ends cannot be told: the reader refuses the file
    source.record_done()
    assert next(reader) == ["y"]
