"""The export writers: JSON lines and arrays (decimals written exactly, nothing for no row), XLSX read back
with calamine (text kept as text, formulas neutralised, numbers as numbers), CSV by the Excel rules."""

from __future__ import annotations

import io
import json
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from productsmanager.adapters.exports.writers import ExportWriters
from productsmanager.domain.exports.jobs import JsonStyle

WRITERS = ExportWriters()
CELLS = st.one_of(st.none(), st.integers(-(10**9), 10**9), st.text(max_size=20),
                  st.decimals(min_value=-10**6, max_value=10**6, places=4))  # fmt: skip


@given(st.lists(st.tuples(CELLS, CELLS), max_size=30), st.sampled_from(JsonStyle))
@settings(max_examples=60)
def test_json_gives_back_every_row(rows: list[tuple[object, object]], style: JsonStyle) -> None:
    data = b"".join(WRITERS.json(style).chunks(["a", "b"], rows))
    parsed = json.loads(data, parse_float=Decimal) if style is JsonStyle.ARRAY else [
        json.loads(line, parse_float=Decimal) for line in data.splitlines()
    ]  # fmt: skip
    assert parsed == [{"a": a, "b": b} for a, b in rows]


def test_xlsx_keeps_text_as_text_and_neutralises_formulas() -> None:
    rows = [("0123", '=HYPERLINK("x")', Decimal("2.50"), 3, None), ("http://a.test", "+1", Decimal("0"), 0, "x")]
    data = b"".join(WRITERS.xlsx().chunks(["ean", "name", "price", "stock", "note"], rows))
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert sheet == [
        ["ean", "name", "price", "stock", "note"],
        ["0123", '\'=HYPERLINK("x")', 2.5, 3.0, ""],
        ["http://a.test", "'+1", 0.0, 0.0, "x"],
    ]


def test_csv_has_a_bom_and_neutralises_formulas() -> None:
    data = b"".join(WRITERS.csv().chunks(["name"], [("@SUM(A1)",), ("-",)]))
    assert data == '\ufeff"name"\r\n"\'@SUM(A1)"\r\n"\'-"\r\n'.encode()
