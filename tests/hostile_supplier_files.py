"""A corpus of hostile supplier files, generated on the spot, and a way to import one in a fresh process.

Each `HostileFile` writes itself into a folder: small files at once, big ones streamed in chunks (never built
in memory), at the test scale or at the issue's full sizes (`full=True`: a 420 MB line, 2 GiB of zeros).
`import_in_child` imports a file through the real path (job submitted, kept in the media store, run by
`ImportRunner` on the embedded SQLite default) in a child Python process and reports how the job ended and
the child's peak memory growth: VmHWM after the import minus the resident size before it.

    python -m tests.hostile_supplier_files --child FILE NAME PROFILE_JSON   (used by import_in_child)
"""

from __future__ import annotations

import base64
import gzip
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from tests.spreadsheets import _MAIN, _PARTS, xlsx_bytes

MIB = 1 << 20
ROOT = Path(__file__).resolve().parents[1]
CSV_PROFILE: dict[str, Any] = {"mapping": {"ean": "ean", "name": "name"}}
XLSX_PROFILE: dict[str, Any] = {"format": "xlsx", "mapping": {"EAN": "ean", "Name": "name"}}
ENDED = ("completed", "completed_with_errors", "failed")
_SST = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


@dataclass(frozen=True)
class HostileFile:
    """`expect`: the job statuses acceptable for it; `reason`: a part of the failure reason or of one row
    problem's reason code that must appear (empty: any)."""

    name: str
    profile: dict[str, Any]
    write: Callable[[Path, bool], None]
    expect: tuple[str, ...]
    reason: str = ""

    def make(self, folder: Path, full: bool = False) -> Path:
        path = folder / self.name
        if not path.exists():
            self.write(path, full)
        return path


def rows(count: int, start: int = 0) -> bytes:
    """`count` valid catalog lines (EAN with its check digit, a name)."""
    lines = []
    for i in range(start, start + count):
        body = f"400{i:09d}"
        digit = (10 - sum(int(d) * (3 if k % 2 else 1) for k, d in enumerate(body)) % 10) % 10
        lines.append(f"{body}{digit},Product {i}\n")
    return "".join(lines).encode()


def _stream(out: BinaryIO, size: int, byte: bytes = b"\0") -> None:
    chunk = byte * MIB
    for _ in range(size // MIB):
        out.write(chunk)
    out.write(byte * (size % MIB))


# --- CSV: long lines, NULs, short and long rows, byte-order marks -------------------------------------------


def one_line_csv(path: Path, size: int) -> None:
    """A file that is one line of `size` bytes, no line break: its header."""
    with path.open("wb") as out:
        _stream(out, size, b"x")


def long_row_csv(path: Path, size: int) -> None:
    """Two rows, a row of `size` bytes, two rows."""
    with path.open("wb") as out:
        out.write(b"ean,name\n" + rows(2) + b"4006381333931,")
        _stream(out, size, b"x")
        out.write(b"\n" + rows(2, 2))


def gzip_zeros(path: Path, size: int) -> None:
    """Five rows, then a gzip member of `size` NUL bytes with no line break."""
    with gzip.open(path, "wb", compresslevel=6) as out:
        out.write(b"ean,name\n" + rows(5))
        _stream(out, size)


def _one_line(path: Path, full: bool) -> None:
    one_line_csv(path, 420 * MIB if full else 8 * MIB)


def _long_row(path: Path, full: bool) -> None:
    long_row_csv(path, 420 * MIB if full else 8 * MIB)


def _long_quoted_cell(path: Path, full: bool) -> None:
    with path.open("wb") as out:
        out.write(b'ean,name\n4006381333931,"')
        line = b"y" * 1023 + b"\n"
        for _ in range(8 * 1024):  # 8 MiB of short lines inside one quoted cell
            out.write(line)
        out.write(b'"\n' + rows(3))


def _nul_cells(path: Path, full: bool) -> None:
    path.write_bytes(b"ean,name\n4006381333931,Cr\x00\x00eme\n\x0096385074,Pen\n" + rows(2))


def _short_and_long_rows(path: Path, full: bool) -> None:
    path.write_bytes(b"ean,name\n4006381333931\n96385074,Pen,extra\n" + rows(2))


def _excel_unicode_text(path: Path, full: bool) -> None:
    text = "EAN\tName\r\n4006381333931\tCrème brûlée\r\n96385074\tThé vert\r\n"
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))


def _utf32(path: Path, full: bool) -> None:
    path.write_bytes("\ufeffean;name\n4006381333931;Caffè\n".encode("utf-32-be"))


def _utf16_be(path: Path, full: bool) -> None:
    path.write_bytes("\ufeffean,name\n4006381333931,Ærø\n".encode("utf-16-be"))


# --- compression: under and over the 200:1 ratio --------------------------------------------------------------


def _gzip_zeros(path: Path, full: bool) -> None:
    gzip_zeros(path, 2048 * MIB if full else 64 * MIB)


def _gzip_lines_over_ratio(path: Path, full: bool) -> None:
    with gzip.open(path, "wb", compresslevel=9) as out:
        out.write(b"ean,name\n")
        block = b"4006381333931,Same product\n" * 40_000
        for _ in range(100 if full else 4):
            out.write(block)


def _padded_rows(out: BinaryIO, count: int) -> None:
    """Valid rows padded by 1,500 spaces in an unmapped column: they expand about 160 times, under the cap."""
    out.write(b"ean,name,pad\n")
    for start in range(0, count, 1000):
        out.write(b"".join(line + b"," + b" " * 1500 + b"\n" for line in rows(1000, start).splitlines()))


def _gzip_under_ratio(path: Path, full: bool) -> None:
    with gzip.open(path, "wb") as out:
        _padded_rows(out, 100_000 if full else 2_000)


def _zip_zeros(path: Path, full: bool) -> None:
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("c.csv", "w", force_zip64=True) as out,
    ):
        out.write(b"ean,name\n" + rows(5))
        _stream(out, 2048 * MIB if full else 64 * MIB)


def _zip_under_ratio(path: Path, full: bool) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("__MACOSX/._c.csv", b"x")
        with archive.open("c.csv", "w", force_zip64=True) as out:
            _padded_rows(out, 100_000 if full else 2_000)


def _zip_in_zip(path: Path, full: bool) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("c.csv", b"ean,name\n" + rows(5))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("inner.zip", inner.getvalue())


# --- polyglots: one format dressed as another -----------------------------------------------------------------


def _workbook_named_csv(path: Path, full: bool) -> None:
    path.write_bytes(xlsx_bytes([["ean", "name"], [4006381333931, "Pen"]]))


def _csv_then_zip(path: Path, full: bool) -> None:
    """CSV text that a zip reader also opens (the central directory sits at the end)."""
    tail = io.BytesIO()
    with zipfile.ZipFile(tail, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("c.csv", b"ean,name\n" + rows(3))
    path.write_bytes(b"ean,name\n" + rows(3) + tail.getvalue())


def _gzip_named_xlsx(path: Path, full: bool) -> None:
    path.write_bytes(gzip.compress(b"EAN,Name\n" + rows(3)))


def _binary_workbook_named_xlsx(path: Path, full: bool) -> None:
    """A zip that is no XLSX (an XLSB's parts): nothing in it can be measured, so it is not read."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.bin", b"\x83\x01\x00")


def _text_named_xlsx(path: Path, full: bool) -> None:
    path.write_bytes(b"EAN,Name\n" + rows(3))


# --- XLSX: extent and shared-string bombs ---------------------------------------------------------------------


def workbook(
    path: Path, sheet: str | Iterable[bytes], shared: list[str] | None = None, dimension: str | None = None
) -> None:
    """A workbook of one sheet whose `<sheetData>` content is `sheet` (or its pieces, streamed), with shared
    strings if given."""
    parts = dict(_PARTS)
    if shared is not None:
        parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
            "</Relationships>", f'<Relationship Id="rId9" Target="sharedStrings.xml" Type="{_SST}"/></Relationships>'
        )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
        if shared is not None:
            with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
                out.write(f'<sst xmlns="{_MAIN}" count="{len(shared)}">'.encode())
                for text in shared:
                    out.write(f"<si><t>{text}</t></si>".encode())
                out.write(b"</sst>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            head = f'<worksheet xmlns="{_MAIN}">' + (f'<dimension ref="{dimension}"/>' if dimension else "")
            out.write(f"{head}<sheetData>".encode())
            for piece in [sheet.encode()] if isinstance(sheet, str) else sheet:
                out.write(piece)
            out.write(b"</sheetData></worksheet>")


_HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>EAN</t></is></c><c r="B1" t="inlineStr"><is><t>Name</t></is></c></row>'
)


def _big_workbook(path: Path, full: bool) -> None:
    """A real catalog as a workbook, 200,000 rows of 6 columns at full size: it fits and imports."""
    names = ["EAN", "Name", "Brand", "Price", "Stock", "SKU"]
    header = "".join(f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{n}</t></is></c>' for i, n in enumerate(names))
    count = 200_000 if full else 2_000

    def body() -> Iterator[bytes]:
        yield f'<row r="1">{header}</row>'.encode()
        for start in range(0, count, 1000):
            chunk = []
            for i, line in enumerate(rows(1000, start).decode().splitlines(), start=start + 2):
                ean, name = line.split(",")
                chunk.append(
                    f'<row r="{i}"><c r="A{i}"><v>{ean}</v></c><c r="B{i}" t="inlineStr"><is><t>{name}</t></is></c>'
                    f'<c r="C{i}" t="inlineStr"><is><t>Brand {i % 300}</t></is></c><c r="D{i}"><v>{i % 97}.5</v></c>'
                    f'<c r="E{i}"><v>{i % 50}</v></c><c r="F{i}" t="inlineStr"><is><t>SKU-{i}</t></is></c></row>'
                )
            yield "".join(chunk).encode()

    workbook(path, body())


def _nul_cells_xlsx(path: Path, full: bool) -> None:
    """OOXML writes a NUL as `_x0000_`, which calamine turns back into one."""
    path.write_bytes(xlsx_bytes([["EAN", "Name"], [4006381333931, "Cr_x0000_eme"], [96385074, "Pen"]]))


def _xfd1048576(path: Path, full: bool) -> None:
    workbook(path, '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')


def _a1_and_xfd1048576(path: Path, full: bool) -> None:
    """What aborts a process reading it with calamine: a grid of 17 billion cells."""
    workbook(path, _HEADER_ROW + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')


def _declared_extent(path: Path, full: bool) -> None:
    workbook(path, _HEADER_ROW + '<row r="2"><c r="A2"><v>4006381333931</v></c></row>', dimension="A1:XFD1048576")


def _cells_without_ref(path: Path, full: bool) -> None:
    """16,384 cells without `r` in one row, and one cell a million rows down: placed by counting."""
    wide = "<row>" + "<c><v>1</v></c>" * 16_384 + "</row>"
    workbook(path, _HEADER_ROW + wide + '<row r="1048576"><c><v>1</v></c></row>')


def _shared_string_copies(path: Path, full: bool) -> None:
    """One 900 KB shared string shown by 50,000 cells: calamine copies it into each (45 GB)."""
    row = '<row r="{0}"><c r="A{0}"><v>1</v></c><c r="B{0}" t="s"><v>0</v></c></row>'
    cells = "".join(row.format(r) for r in range(2, 50_002))
    workbook(path, _HEADER_ROW + cells, shared=["a" * 900_000])


def _long_shared_string(path: Path, full: bool) -> None:
    text = base64.b64encode(random.Random(7).randbytes(1_600_000)).decode()  # 2.1 MB that barely compresses
    workbook(path, _HEADER_ROW + '<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="s"><v>0</v></c></row>', shared=[text])


def _xlsx_sheet_bomb(path: Path, full: bool) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in _PARTS.items():
            archive.writestr(name, content)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            out.write(f'<worksheet xmlns="{_MAIN}"><sheetData>'.encode())
            _stream(out, 2048 * MIB if full else 64 * MIB, b" ")
            out.write(b"</sheetData></worksheet>")


CORPUS: tuple[HostileFile, ...] = (
    HostileFile("one_line.csv", CSV_PROFILE, _one_line, ("failed",), "longer than"),
    HostileFile("long_row.csv", CSV_PROFILE, _long_row, ("completed_with_errors",), "line_too_long"),
    HostileFile("long_quoted_cell.csv", CSV_PROFILE, _long_quoted_cell, ("failed",), "across several lines"),
    HostileFile("nul_cells.csv", CSV_PROFILE, _nul_cells, ("completed",), "nul_dropped"),
    HostileFile("short_and_long_rows.csv", CSV_PROFILE, _short_and_long_rows, ("completed_with_errors",),
                "missing_columns"),
    HostileFile("excel_unicode_text.txt", {"mapping": {"EAN": "ean", "Name": "name"}}, _excel_unicode_text,
                ("completed",)),
    HostileFile("utf32_bom.csv", CSV_PROFILE, _utf32, ("completed",)),
    HostileFile("utf16_be_bom.csv", CSV_PROFILE, _utf16_be, ("completed",)),
    HostileFile("zeros_no_newline.csv.gz", CSV_PROFILE, _gzip_zeros, ("failed",), "decompression bomb"),
    HostileFile("lines_over_ratio.csv.gz", CSV_PROFILE, _gzip_lines_over_ratio, ("failed",), "decompression bomb"),
    HostileFile("rows_under_ratio.csv.gz", CSV_PROFILE, _gzip_under_ratio, ("completed",)),
    HostileFile("zeros_over_ratio.zip", CSV_PROFILE, _zip_zeros, ("failed",), "decompression bomb"),
    HostileFile("rows_under_ratio.zip", CSV_PROFILE, _zip_under_ratio, ("completed",)),
    HostileFile("zip_in_zip.zip", CSV_PROFILE, _zip_in_zip, ("failed",), "not CSV text"),
    HostileFile("workbook_named.csv", CSV_PROFILE, _workbook_named_csv, ("failed",), "not CSV text"),
    HostileFile("csv_then_zip.csv", CSV_PROFILE, _csv_then_zip, ("completed_with_errors",)),
    HostileFile("csv_then_zip.zip", CSV_PROFILE, _csv_then_zip, ("completed",)),
    HostileFile("gzip_named.xlsx", XLSX_PROFILE, _gzip_named_xlsx, ("failed",), "XLSX"),
    HostileFile("text_named.xlsx", XLSX_PROFILE, _text_named_xlsx, ("failed",), "XLSX"),
    HostileFile("xlsb_named.xlsx", XLSX_PROFILE, _binary_workbook_named_xlsx, ("failed",), "no xl/workbook.xml"),
    HostileFile("big_workbook.xlsx", XLSX_PROFILE, _big_workbook, ("completed",)),
    HostileFile("nul_cells.xlsx", XLSX_PROFILE, _nul_cells_xlsx, ("completed",), "nul_dropped"),
    HostileFile("xfd1048576.xlsx", XLSX_PROFILE, _xfd1048576, ("failed",), "sheet too large"),
    HostileFile("a1_and_xfd1048576.xlsx", XLSX_PROFILE, _a1_and_xfd1048576, ("failed",), "sheet too large"),
    HostileFile("declared_extent.xlsx", XLSX_PROFILE, _declared_extent, ("failed",), "sheet too large"),
    HostileFile("cells_without_ref.xlsx", XLSX_PROFILE, _cells_without_ref, ("failed",), "sheet too large"),
    HostileFile("shared_string_copies.xlsx", XLSX_PROFILE, _shared_string_copies, ("failed",), "sheet too large"),
    HostileFile("long_shared_string.xlsx", XLSX_PROFILE, _long_shared_string, ("failed",), "sheet too large"),
    HostileFile("sheet_bomb.xlsx", XLSX_PROFILE, _xlsx_sheet_bomb, ("failed",), "decompression bomb"),
)  # fmt: skip


@dataclass(frozen=True)
class ChildImport:
    """How the job ended in the child, and the child's memory: `growth_kb` = VmHWM - RSS before the import."""

    returncode: int
    status: str
    reason: str
    problems: list[str]
    growth_kb: int
    stderr: str


def import_in_child(path: Path, name: str, profile: dict[str, Any], env: dict[str, str] | None = None) -> ChildImport:
    """Imports `path` (as the supplier named it, `name`) in a fresh Python process on the embedded default."""
    environ = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}", **(env or {})}
    command = [sys.executable, "-m", "tests.hostile_supplier_files", "--child", str(path), name, json.dumps(profile)]
    done = subprocess.run(command, capture_output=True, text=True, env=environ, cwd=ROOT, timeout=900, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        return ChildImport(done.returncode, "crashed", done.stderr[-2000:], [], 0, done.stderr)
    result = json.loads(lines[-1])
    reason = result["reason"] or ""
    return ChildImport(0, result["status"], reason, result["problems"], result["growth_kb"], done.stderr)


def _memory_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"/proc/self/status has no {field}")


def _child(path: Path, name: str, profile: dict[str, Any]) -> None:
    from productsmanager.adapters.sqlalchemy.migrate import upgrade
    from productsmanager.config import Config
    from productsmanager.container import build_container
    from productsmanager.domain.imports.jobs import JobSource

    with tempfile.TemporaryDirectory(prefix="pm-hostile-") as data_dir:
        settings = {key: value for key, value in os.environ.items() if key.startswith("PM_IMPORT_")}
        config = Config.from_env({**settings, "PM_DATA_DIR": data_dir})
        container = build_container(config)
        upgrade(container.engine())
        supplier = container.supplier_service().create({"code": "HOSTILE", "name": "Hostile files"})
        jobs, runner = container.import_manager(), container.import_runner()
        jobs.save_profile(supplier.id, profile)
        warm = Path(data_dir) / "warm.csv"  # the same code paths once, so that the baseline holds the imports
        warm.write_bytes(b"ean,name\n4006381333931,Pen\n")
        runner.run(jobs.submit("HOSTILE", warm.name, warm, JobSource.CLI, queue=False).id)
        if profile.get("format") == "xlsx":
            warm.write_bytes(xlsx_bytes([["EAN", "Name"], [4006381333931, "Pen"]]))
            runner.run(jobs.submit("HOSTILE", "warm.xlsx", warm, JobSource.CLI, queue=False).id)
        before = _memory_kb("VmRSS")
        job = runner.run(jobs.submit("HOSTILE", name, path, JobSource.CLI, queue=False).id)
        peak = _memory_kb("VmHWM")
        with container.uow() as uow:
            problems = [problem.reason for _id, problem in uow.import_jobs.problems(job.id, 100, None)]
        container.engine().dispose()
    print(json.dumps({"status": job.status.value, "reason": job.failure_reason, "problems": problems,
                      "growth_kb": peak - before}))  # fmt: skip


if __name__ == "__main__" and len(sys.argv) == 5 and sys.argv[1] == "--child":
    _child(Path(sys.argv[2]), sys.argv[3], json.loads(sys.argv[4]))
