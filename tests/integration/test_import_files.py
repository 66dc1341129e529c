"""Supplier files through `FileImportReader` and the row rules: the samples' expected outcomes, packaging
(.gz, .zip and their bombs), encodings, header rows, and memory that does not grow with the file."""

from __future__ import annotations

import gzip
import json
import os
import time
import tracemalloc
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from productsmanager.adapters.imports.file_reader import FileImportReader
from productsmanager.application.imports.ports import ImportFileRejected
from productsmanager.domain.gtin import check_digit
from productsmanager.domain.imports.parse_row import RowParser
from productsmanager.domain.imports.profile import ImportProfile
from productsmanager.domain.imports.rows import ImportRow, RowProblem, SourceRow
from tests.spreadsheets import xlsx_bytes

pytestmark = pytest.mark.integration

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
EXPECTED = {entry["file"]: entry for entry in json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8"))}
GAMMA_MAPPING = {"ean": "ean", "name": "name", "brand": "brand", "price": "price", "stock": "stock"}
GAMMA = ImportProfile.parse({"mapping": {**GAMMA_MAPPING, "sku": "supplier_sku"}})
NAMED = ImportProfile.parse({"mapping": {"ean": "ean", "name": "name"}})
NAMED_XLSX = ImportProfile.parse({"format": "xlsx", "mapping": {"ean": "ean", "name": "name"}})
SIMPLE = ImportProfile.parse({"mapping": {"EAN": "ean", "Nom": "name", "Prix": "price"}, "decimal_comma": True})
XLSX = ImportProfile.parse({"format": "xlsx", "mapping": {"EAN": "ean", "Nom": "name", "Prix": "price"}})
MIB = 1 << 20
BOMB_MIB = 300
MEMORY_BOUND = 50 * MIB


def sample_profile(entry: dict[str, Any], detect: bool = False) -> ImportProfile:
    """The profile expected.json describes (which names Python's `cp1252` codec: profiles say windows-1252)."""
    raw: dict[str, Any] = {"mapping": entry["mapping"], "decimal_comma": entry.get("decimal_comma", False)}
    raw["format"] = "xlsx" if entry["file"].endswith(".xlsx") else "csv"
    if not detect and "encoding" in entry:
        raw["encoding"] = {"cp1252": "windows-1252"}.get(entry["encoding"], entry["encoding"])
    if not detect and "delimiter" in entry:
        raw["delimiter"] = entry["delimiter"]
    return ImportProfile.parse(raw)


def read(path: Path, profile: ImportProfile, name: str | None = None, **caps: int) -> list[SourceRow]:
    with FileImportReader(**caps).rows(path, name or path.name, profile) as rows:
        return list(rows)


def outcomes(path: Path, profile: ImportProfile, name: str | None = None) -> dict[int, ImportRow | RowProblem]:
    parser = RowParser(profile)
    return {row.number: parser.parse(row) for row in read(path, profile, name)}


def write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def rejected(path: Path, profile: ImportProfile, name: str | None = None, **caps: int) -> str:
    with pytest.raises(ImportFileRejected) as rejection:
        read(path, profile, name, **caps)
    return rejection.value.reason


@pytest.mark.parametrize(
    ("file_name", "detect"),
    [("acme_catalogue_cp1252.csv", False), ("acme_catalogue_cp1252.csv", True), ("beta_prices.xlsx", False)],
)
def test_every_sample_row_gets_its_expected_outcome(file_name: str, detect: bool) -> None:
    entry = EXPECTED[file_name]
    column_of = {target: column for column, target in entry["mapping"].items()}
    results = outcomes(SAMPLES / file_name, sample_profile(entry, detect))
    assert sorted(results) == [expected["row"] for expected in entry["rows"]]
    for expected in entry["rows"]:
        result, reason = results[expected["row"]], expected.get("reason", "")
        if expected["outcome"] == "error":
            assert isinstance(result, RowProblem), (expected, result)
            if reason.startswith("invalid price"):
                assert (result.reason, result.column) == ("invalid_price", column_of["price"])
                assert reason in result.message
            else:
                assert (result.reason, result.column) == (reason.split()[0], column_of["ean"])
            words = {"(scientific notation lost digits)": "digits were lost", "(check digit)": "check digit"}
            assert words.get(reason.partition(" ")[2], "") in result.message
        else:  # "superseded" too: which of two rows with one EAN wins is the merge's decision
            assert isinstance(result, ImportRow), (expected, result)
            assert result.gtin.canonical == expected.get("gtin", result.gtin.canonical)
            assert result.price == Decimal(expected.get("price", result.price))
            assert result.stock == expected.get("stock", result.stock)


def test_a_row_without_ean_keeps_its_raw_data_and_a_duplicated_ean_parses_twice() -> None:
    results = outcomes(SAMPLES / "acme_catalogue_cp1252.csv", sample_profile(EXPECTED["acme_catalogue_cp1252.csv"]))
    missing = results[5]
    assert isinstance(missing, RowProblem) and missing.raw == {
        "Code EAN": "", "Désignation": "Savon sans EAN", "Marque": "Savonnerie", "Prix HT": "2,10", "Stock": "7",
        "Réf fournisseur": "SV-007",
    }  # fmt: skip
    first, last = results[7], results[8]
    assert isinstance(first, ImportRow) and isinstance(last, ImportRow)
    assert first.gtin == last.gtin and (first.price, last.price) == (Decimal("2.75"), Decimal("2.80"))


@pytest.mark.parametrize("file_name", ["gamma_feed.csv.gz", "gamma_feed.zip"])
def test_compressed_samples_give_their_thousand_rows(file_name: str) -> None:
    results = outcomes(SAMPLES / file_name, GAMMA)
    assert sorted(results) == list(range(2, 1002))
    assert all(isinstance(result, ImportRow) for result in results.values())
    last = results[1001]
    assert isinstance(last, ImportRow) and last.supplier_sku == "GM-1000" and last.product_fields["brand"] == "Gamma"


def test_gzip_is_known_by_its_bytes_whatever_the_name(tmp_path: Path) -> None:
    renamed = write(tmp_path / "gamma.csv", (SAMPLES / "gamma_feed.csv.gz").read_bytes())
    assert len(read(renamed, GAMMA)) == 1000
    assert "not gzip" in rejected(write(tmp_path / "plain.csv.gz", b"ean\n4006381333931\n"), GAMMA)


def test_a_truncated_or_damaged_gzip_is_rejected(tmp_path: Path) -> None:
    packed = (SAMPLES / "gamma_feed.csv.gz").read_bytes()
    assert "corrupt or truncated" in rejected(write(tmp_path / "cut.csv.gz", packed[: len(packed) // 2]), GAMMA)
    damaged = packed[:200] + bytes(b ^ 0x55 for b in packed[200:400]) + packed[400:]
    assert "corrupt or truncated" in rejected(write(tmp_path / "bad.csv.gz", damaged), GAMMA)
    assert "corrupt or truncated" in rejected(write(tmp_path / "junk.gz", b"\x1f\x8b not really gzip"), GAMMA)


def zip_of(path: Path, entries: list[tuple[str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries:
            archive.writestr(name, content)
    return path


def test_zips_without_a_catalog_are_rejected(tmp_path: Path) -> None:
    assert "empty" in rejected(zip_of(tmp_path / "empty.zip", []), GAMMA)
    only_system = [("export/", b""), ("__MACOSX/export/._gamma.csv", b"x"), ("export/.DS_Store", b"x")]
    assert "holds no file" in rejected(zip_of(tmp_path / "folders.zip", only_system), GAMMA)
    assert "corrupt" in rejected(write(tmp_path / "fake.zip", b"PK\x03\x04 not an archive"), GAMMA)


def test_an_entry_name_is_never_a_path(tmp_path: Path) -> None:
    archive = zip_of(tmp_path / "evil.zip", [("../../etc/passwd", b"ean,name\n4006381333931,Cr\xc3\xa8me\n")])
    before = sorted(tmp_path.parent.rglob("*"))
    rows = read(archive, NAMED)
    assert [(row.number, row.values["name"]) for row in rows] == [(2, "Crème")]
    assert sorted(tmp_path.parent.rglob("*")) == before


@pytest.fixture(scope="module")
def bombs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """300 MiB of CSV-looking lines, a few hundred KiB stored: a gzip, a zip, and a 'workbook'."""
    folder = tmp_path_factory.mktemp("bombs")
    block = (b"0" * 1023 + b"\n") * 1024
    with gzip.open(folder / "catalog.csv.gz", "wb") as packed:
        packed.write(b"ean,name\n")
        for _ in range(BOMB_MIB):
            packed.write(block)
    for name, entry in [("catalog.zip", "catalog.csv"), ("catalog.xlsx", "xl/worksheets/sheet1.xml")]:
        with (
            zipfile.ZipFile(folder / name, "w", zipfile.ZIP_DEFLATED) as archive,
            archive.open(entry, "w", force_zip64=True) as stream,
        ):
            stream.write(b"ean,name\n")
            for _ in range(BOMB_MIB):
                stream.write(block)
    return {path.name: path for path in folder.iterdir()}


@pytest.mark.parametrize(
    ("file_name", "profile"),
    [("catalog.csv.gz", NAMED), ("catalog.zip", NAMED), ("catalog.zip", NAMED_XLSX), ("catalog.xlsx", NAMED_XLSX)],
)
def test_decompression_bombs_are_rejected_early_with_little_memory(
    bombs: dict[str, Path], file_name: str, profile: ImportProfile, tmp_path: Path
) -> None:
    bomb = bombs[file_name]
    reader = FileImportReader(spool_dir=tmp_path)
    started = time.perf_counter()
    seen = 0
    tracemalloc.start()
    try:
        with pytest.raises(ImportFileRejected) as rejection, reader.rows(bomb, bomb.name, profile) as rows:
            for _ in rows:
                seen += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert rejection.value.reason == "the archive expands beyond 200 times its size: refused as a decompression bomb"
    assert seen * 1024 <= 200 * bomb.stat().st_size + MIB  # stopped at the ratio, long before the 300 MiB
    assert peak < MEMORY_BOUND
    assert time.perf_counter() - started < 30
    assert sorted(p.name for p in bomb.parent.iterdir()) == ["catalog.csv.gz", "catalog.xlsx", "catalog.zip"]
    assert list(tmp_path.iterdir()) == []  # the spool of a workbook is gone with the reader


def test_the_byte_cap_holds_for_plain_and_compressed_files(tmp_path: Path) -> None:
    acme = SAMPLES / "acme_catalogue_cp1252.csv"
    assert "over the import size limit" in rejected(acme, sample_profile(EXPECTED[acme.name]), max_bytes=100)
    assert "expands beyond 10,000 bytes" in rejected(SAMPLES / "gamma_feed.zip", GAMMA, max_bytes=10_000)
    assert len(read(SAMPLES / "gamma_feed.csv.gz", GAMMA, max_bytes=50_000)) == 1000


def csv_file(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "catalog.csv") -> Path:
    return write(tmp_path / name, text.encode(encoding))


def test_utf8_with_a_bom_is_detected_and_the_bom_is_not_part_of_the_header(tmp_path: Path) -> None:
    path = write(tmp_path / "bom.csv", "\ufeffEAN;Nom;Prix\r\n4006381333931;Crème brûlée;12,90\r\n".encode())
    for profile in (SIMPLE, ImportProfile.parse({**SIMPLE.to_json(), "encoding": "utf-8", "delimiter": ";"})):
        [row] = read(path, profile)
        assert row.values == {"EAN": "4006381333931", "Nom": "Crème brûlée", "Prix": "12,90"}


def test_windows_1252_is_detected_and_its_undefined_bytes_read_as_latin1(tmp_path: Path) -> None:
    path = write(tmp_path / "w.csv", b"EAN;Nom;Prix\r\n4006381333931;Caf\xe9 \x80 \x81;1,00\r\n")
    [row] = read(path, SIMPLE)
    assert row.values["Nom"] == "Café € \x81"


def test_a_windows_1252_accent_after_the_detection_sample_is_still_read(tmp_path: Path) -> None:
    lines = [f"{i:013d};Produit {i};1,00" for i in range(5000)]
    path = write(tmp_path / "late.csv", ("EAN;Nom;Prix\n" + "\n".join(lines) + "\n").encode() + b"1;Caf\xe9;2,00\n")
    rows = read(path, SIMPLE)
    assert rows[-1].values["Nom"] == "Café" and rows[0].values["Nom"] == "Produit 0"


def test_an_encoding_the_profile_declares_is_held_to(tmp_path: Path) -> None:
    path = write(tmp_path / "w.csv", b"EAN;Nom;Prix\r\n4006381333931;Caf\xe9;1,00\r\n")
    declared = ImportProfile.parse({**SIMPLE.to_json(), "encoding": "utf-8"})
    assert "the file is not utf-8 text (near row 1)" in rejected(path, declared)


def test_a_file_of_the_other_format_is_rejected_as_such() -> None:
    assert "not CSV text" in rejected(SAMPLES / "beta_prices.xlsx", GAMMA)
    assert "not a readable XLSX workbook" in rejected(SAMPLES / "acme_catalogue_cp1252.csv", XLSX)


def test_the_header_row_may_follow_junk_lines(tmp_path: Path) -> None:
    text = "Export ACME du 01/01/2025\r\nPrix en EUR, hors taxes\r\n EAN ;Nom;Prix\r\n4006381333931;A;1,00\r\n\r\n"
    text += "96385074;B;2,00\r\n"
    profile = ImportProfile.parse({**SIMPLE.to_json(), "header_row": 3})
    assert [(row.number, row.values["Nom"]) for row in read(csv_file(tmp_path, text), profile)] == [(4, "A"), (6, "B")]
    workbook = write(tmp_path / "w.xlsx", xlsx_bytes([["Export ACME"], None, ["EAN", "Nom", "Prix"], [1.0], None, []]))
    xlsx = ImportProfile.parse({**XLSX.to_json(), "header_row": 3})
    assert [(row.number, row.values) for row in read(workbook, xlsx)] == [(4, {"EAN": 1.0, "Nom": None, "Prix": None})]


def test_rows_are_numbered_by_record_and_blank_lines_skipped(tmp_path: Path) -> None:
    text = 'EAN,Nom,Prix\n1,"two\nlines",1\n\n2,,\n,,\n3\n4,x,1,extra\n5,y,2,,\n'
    rows = read(csv_file(tmp_path, text), ImportProfile.parse({"mapping": {"EAN": "ean", "Nom": "name"}}))
    assert [(row.number, row.values, row.refusal and row.refusal.reason) for row in rows] == [
        (2, {"EAN": "1", "Nom": "two\nlines", "Prix": "1"}, None),
        (4, {"EAN": "2", "Nom": "", "Prix": ""}, None),
        (6, {"EAN": "3"}, "missing_columns"),  # never padded
        (7, {"EAN": "4", "Nom": "x", "Prix": "1"}, "extra_columns"),  # never cut
        (8, {"EAN": "5", "Nom": "y", "Prix": "2"}, None),  # empty cells past the header are no columns
    ]


@pytest.mark.parametrize(
    ("header", "delimiter"),
    [("EAN,Nom,Prix", ","), ("EAN;Nom;Prix", ";"), ("EAN\tNom\tPrix", "\t"), ("EAN|Nom|Prix", "|"),
     ('"Prix, HT";EAN;Nom;Prix', ";"), ("EAN;Nom,Prix,x;y", ",")],
)  # fmt: skip
def test_the_delimiter_is_sniffed_from_the_header(tmp_path: Path, header: str, delimiter: str) -> None:
    path = csv_file(tmp_path, f"{header}\n" + delimiter.join(["4006381333931", "Nom", "1,00"]) + "\n")
    profile = ImportProfile.parse({"mapping": {header.split(delimiter)[0].strip('"'): "ean"}})
    assert read(path, profile)[0].values[header.split(delimiter)[0].strip('"')] == "4006381333931"


def test_a_missing_mapped_column_rejects_the_file_naming_it(tmp_path: Path) -> None:
    profile = ImportProfile.parse({"mapping": {"EAN": "ean", "Désignation": "name", "Prix HT": "price"}})
    reason = rejected(csv_file(tmp_path, "EAN,Nom,Prix\n4006381333931,A,1\n"), profile)
    assert "'Désignation', 'Prix HT'" in reason and "'EAN', 'Nom', 'Prix'" in reason
    workbook = write(tmp_path / "w.xlsx", xlsx_bytes([["EAN", "Nom"], [4006381333931, "A"]]))
    assert "'Prix'" in rejected(workbook, XLSX)
    twice = ImportProfile.parse({"mapping": {"EAN": "ean", "Nom": "name"}})
    assert "'EAN' appear more than once" in rejected(csv_file(tmp_path, "EAN,Nom,EAN\n1,2,3\n"), twice)
    assert "ends before its header" in rejected(csv_file(tmp_path, ""), SIMPLE)
    below = ImportProfile.parse({**SIMPLE.to_json(), "header_row": 5})
    assert "ends before its header row (row 5)" in rejected(csv_file(tmp_path, "junk\nEAN;Nom;Prix\n"), below)


def test_workbooks_inside_a_zip_or_a_gzip_are_spooled_and_read(tmp_path: Path) -> None:
    workbook = xlsx_bytes([["EAN", "Nom", "Prix"], [12345678905.0, "Thé", 4.5], [None, "vide", True]])
    zipped = zip_of(tmp_path / "w.zip", [("__MACOSX/._w.xlsx", b"x"), ("w.xlsx", workbook)])
    gzipped = write(tmp_path / "w.xlsx.gz", gzip.compress(workbook))
    for path in (zipped, gzipped):
        assert [(row.number, row.values) for row in read(path, XLSX)] == [
            (2, {"EAN": 12345678905.0, "Nom": "Thé", "Prix": 4.5}),
            (3, {"EAN": None, "Nom": "vide", "Prix": True}),
        ]
    assert "not a readable" in rejected(write(tmp_path / "x.xlsx", b"not a workbook"), XLSX)


def open_descriptors_of(path: Path) -> list[str]:
    fds = Path("/proc/self/fd")
    return [fd.name for fd in fds.iterdir() if os.path.realpath(fd) == str(path)] if fds.exists() else []


@pytest.mark.parametrize("file_name", ["gamma_feed.zip", "gamma_feed.csv.gz", "beta_prices.xlsx"])
def test_leaving_early_closes_the_file(file_name: str) -> None:
    path = SAMPLES / file_name
    profile = sample_profile(EXPECTED["beta_prices.xlsx"]) if file_name.endswith(".xlsx") else GAMMA
    with FileImportReader().rows(path, file_name, profile) as rows:
        next(iter(rows), None)
    assert open_descriptors_of(path.resolve()) == []


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "catalog_200k.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("EAN;Désignation;Marque;Prix HT;Stock;Réf\r\n")
        for i in range(200_000):
            payload = f"400{i:09d}"
            price = f"{i % 9999},{i % 100:02d}"
            out.write(f"{payload}{check_digit(payload)};Produit n°{i};Marque {i % 300};{price};{i % 500};R{i}\r\n")
    return path


def test_two_hundred_thousand_rows_stream_in_bounded_memory(big_csv: Path) -> None:
    profile = ImportProfile.parse({
        "mapping": {"EAN": "ean", "Désignation": "name", "Marque": "brand", "Prix HT": "price", "Stock": "stock"},
        "decimal_comma": True,
    })  # fmt: skip
    count, last = 0, None
    tracemalloc.start()
    try:
        with FileImportReader().rows(big_csv, big_csv.name, profile) as rows:
            for count, last in enumerate(rows, start=1):  # noqa: B007 - the last row is checked
                pass
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 200_000 and last is not None and last.number == 200_001
    assert peak < 10 * MIB
    assert isinstance(RowParser(profile).parse(last), ImportRow)


@pytest.mark.parametrize(
    ("encoding", "declared"),
    [("utf-16-le", "utf-16"), ("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be"), ("utf-8", "windows-1252")],
)
def test_a_declared_utf16_is_read_and_a_byte_order_mark_overrides_any_declaration(
    tmp_path: Path, encoding: str, declared: str
) -> None:
    text = "EAN;Nom;Prix\r\n4006381333931;Crème brûlée;12,90\r\n"
    bare = write(tmp_path / "bare.csv", text.encode(encoding))
    marked = write(tmp_path / "marked.csv", ("\ufeff" + text).encode(encoding))
    profile = ImportProfile.parse({**SIMPLE.to_json(), "encoding": declared})
    for path in (bare, marked) if declared != "windows-1252" else (marked,):
        [row] = read(path, profile)
        assert row.values == {"EAN": "4006381333931", "Nom": "Crème brûlée", "Prix": "12,90"}


def test_excel_unicode_text_imports_with_only_a_mapping(tmp_path: Path) -> None:
    """Excel's "Unicode text": UTF-16 LE with a mark, tab-separated, CRLF; encoding and delimiter detected."""
    lines = ["EAN\tDésignation\tPrix", '4006381333931\tThé "vert"\t4,50', "96385074\t漢字\t1,00"]
    path = write(tmp_path / "export.txt", b"\xff\xfe" + ("\r\n".join(lines) + "\r\n").encode("utf-16-le"))
    profile = ImportProfile.parse({"mapping": {"EAN": "ean", "Désignation": "name", "Prix": "price"}})
    assert [(row.number, row.values["Désignation"]) for row in read(path, profile)] == [
        (2, 'Thé "vert"'), (3, "漢字"),
    ]  # fmt: skip


def test_a_line_over_the_limit_is_an_error_row_and_never_held_whole(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    with path.open("wb") as out:
        out.write(b"ean,name\n4006381333931,A\n96385074,")
        for _ in range(32):
            out.write(b"x" * MIB)
        out.write(b"\n5901234123457,B\n")
    tracemalloc.start()
    try:
        found = read(path, NAMED)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [(row.number, row.refusal.reason if row.refusal else None) for row in found] == [
        (2, None), (3, "line_too_long"), (4, None),
    ]  # fmt: skip
    assert peak < 8 * MIB
    header = write(tmp_path / "h.csv", b"e" * 3000 + b"\n")
    assert "longer than 2,048 bytes" in rejected(header, NAMED, max_line_bytes=2048)


@pytest.mark.parametrize(
    ("old", "new"),
    [(b'Target="worksheets/sheet1.xml"', b'Target="/xl/worksheets/sheet1.xml"'),
     (b'Target="worksheets/sheet1.xml"', b'Target="./worksheets/../worksheets/sheet1.xml"'),
     (b'Target="worksheets/sheet1.xml"', b'Target="xl/worksheets/sheet1.xml"'),  # unresolved: every sheet measured
     (b' r:id="rId1"', b"")],  # no first sheet named: every sheet is measured
)  # fmt: skip
def test_the_first_sheet_is_measured_however_the_workbook_points_at_it(tmp_path: Path, old: bytes, new: bytes) -> None:
    from tests.hostile_supplier_files import workbook

    path = tmp_path / "source.xlsx"
    workbook(path, '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
    pointed = tmp_path / "pointed.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(pointed, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info).replace(old, new))
    assert rejected(pointed, NAMED_XLSX).startswith("sheet too large: its cells span A1:XFD1048576")


def test_a_zip_that_is_no_xlsx_workbook_is_refused_before_calamine_reads_it(tmp_path: Path) -> None:
    binary = zip_of(tmp_path / "book.xlsx", [("[Content_Types].xml", b"<Types/>"), ("xl/workbook.bin", b"\x83\x01")])
    assert rejected(binary, NAMED_XLSX) == "the file is not a readable XLSX workbook: it has no xl/workbook.xml"
