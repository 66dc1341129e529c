"""The sheet scan's two paths agree: whatever the cells, written with or without `r`, the fast path (regular
expressions) either gives the extent the general path (expat) gives, or hands the sheet over to it."""

from __future__ import annotations

import io
import zipfile
from array import array

from hypothesis import given, settings
from hypothesis import strategies as st

from productsmanager.adapters.imports.sheet_scan import SheetExtent, cell_position, parse_part, scan_sheet

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def column_name(index: int) -> str:
    name = ""
    while index > 0:
        index, remainder = divmod(index - 1, 26)
        name = chr(65 + remainder) + name
    return name


cell = st.tuples(st.integers(1, 16_384), st.booleans(), st.sampled_from(["n", "s", "inlineStr"]))
sheet_rows = st.lists(st.tuples(st.integers(1, 1_048_576), st.booleans(), st.lists(cell, max_size=4)), max_size=6)


def sheet_xml(rows: list[tuple[int, bool, list[tuple[int, bool, str]]]]) -> bytes:
    parts = []
    for number, row_ref, cells in rows:
        xml_cells = []
        for column, with_ref, kind in cells:
            ref = f' r="{column_name(column)}{number}"' if with_ref else ""
            kind_attr = "" if kind == "n" else f' t="{kind}"'
            body = "<is><t>abc</t></is>" if kind == "inlineStr" else f"<v>{0 if kind == 's' else 12.5}</v>"
            xml_cells.append(f"<c{ref}{kind_attr}>{body}</c>")
        parts.append(f"<row{f' r={chr(34)}{number}{chr(34)}' if row_ref else ''}>{''.join(xml_cells)}</row>")
    return f'<worksheet xmlns="{_MAIN}"><sheetData>{"".join(parts)}</sheetData></worksheet>'.encode()


@settings(max_examples=200)
@given(sheet_rows)
def test_the_fast_path_measures_what_expat_measures(rows: list[tuple[int, bool, list[tuple[int, bool, str]]]]) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("sheet.xml", sheet_xml(rows))
    shared = array("l", [7])
    with zipfile.ZipFile(buffer) as archive:
        fast = scan_sheet(archive, "sheet.xml", shared, 1 << 20)
        general = SheetExtent(1 << 20, shared)
        parse_part(archive, "sheet.xml", general.start, general.end, general.data)
    assert (fast.rows, fast.columns, fast.cells) == (general.rows, general.columns, general.cells)


@given(st.integers(1, 1_048_576), st.integers(1, 16_384))
def test_a_cell_reference_reads_back(row: int, column: int) -> None:
    assert cell_position(f"{column_name(column)}{row}") == (row, column)
