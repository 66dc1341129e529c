"""Taking in and reading Code2ASIN results files: the header decides at once whether a file can be a job's,
mappings are saved per layout, and the rows come back one per EAN (gathered wherever they are in the file)."""

from __future__ import annotations

import gzip
import io
import uuid
from pathlib import Path

import pytest

from productsmanager.adapters.imports.file_reader import FileImportReader
from productsmanager.application.code2asin.ports import FileRow
from productsmanager.application.code2asin.results_intake import ResultsIntake
from productsmanager.application.code2asin.results_reading import MAX_ITEMS, ResultsReading
from productsmanager.domain.code2asin.jobs import Code2AsinJob, Code2AsinJobKind
from productsmanager.domain.code2asin.results_layout import signature
from productsmanager.domain.errors import InvalidValue, UploadTooLarge, ValidationFailed
from productsmanager.domain.gtin import Gtin
from tests.unit.code2asin_file_fakes import FolderFileStore
from tests.unit.fakes import FakeClock, FakeUnitOfWork

A, B, C = "4006381333931", "5901234123457", "96385074"


class World:
    def __init__(self, folder: Path) -> None:
        self.uow = FakeUnitOfWork()
        self.files = FolderFileStore(folder)
        self.keys: dict[uuid.UUID, str] = {}
        reader = FileImportReader(max_bytes=1 << 20, max_ratio=50)
        self.intake = ResultsIntake(self.uow, reader, self.files, FakeClock(), max_bytes=1 << 16, spool_dir=folder)
        self.reading = ResultsReading(self.uow, reader, self.files, self.keys.get, spool_dir=folder)

    def keep(self, text: str | bytes, mapping: dict[str, str] | None = None, name: str = "results.csv") -> Code2AsinJob:
        job = Code2AsinJob.new(Code2AsinJobKind.FILE, "amazon.fr", FakeClock().now(), file_name=name)
        data = text.encode() if isinstance(text, str) else text
        self.keys[job.id] = self.intake.keep(job.id, name, io.BytesIO(data), mapping, None)
        return job

    def rows(self, job: Code2AsinJob) -> list[FileRow]:
        return list(self.reading.rows(job))


@pytest.fixture
def world(tmp_path: Path) -> World:
    return World(tmp_path)


def test_a_known_layout_is_kept_under_the_jobs_key_and_read_one_row_per_ean(world: World) -> None:
    job = world.keep(f"EAN;ASIN;Title;Image\n{A};B00000000A;Pen;https://i/1.jpg https://i/2.jpg\n{B};;;\n")
    assert world.keys[job.id] == f"code2asin/{job.id}/results.csv"
    pen, missing = world.rows(job)
    assert pen.gtin == Gtin.parse(A) and pen.error is None and pen.line == 2
    assert [(i.asin.value, i.title, i.image_urls) for i in pen.items] == [
        ("B00000000A", "Pen", ("https://i/1.jpg", "https://i/2.jpg"))
    ]
    assert missing == FileRow(Gtin.parse(B), (), None, B, 3)


def test_rows_of_one_ean_are_gathered_wherever_they_are_and_keep_first_appearance_order(world: World) -> None:
    text = f"EAN,ASIN\n{B},B00000000B\n{A},B00000000A\n{C},\n{B},B00000000C\n{B},B00000000B\n"
    rows = world.rows(world.keep(text))
    assert [r.gtin for r in rows] == [Gtin.parse(B), Gtin.parse(A), Gtin.parse(C)]
    assert [i.asin.value for i in rows[0].items] == ["B00000000B", "B00000000C"]  # one item per distinct ASIN


def test_a_bad_ean_is_a_row_of_its_own_with_its_line_and_a_bad_asin_makes_its_ean_an_error(world: World) -> None:
    text = f"EAN,ASIN\n123,B00000000A\n{A},B00000000A\n{A},not-an-asin\n"
    bad_ean, bad_asin = world.rows(world.keep(text))
    assert bad_ean.gtin is None and bad_ean.ean == "123" and bad_ean.line == 2
    assert bad_ean.error is not None and bad_ean.error.startswith("row 2: EAN '123'")
    assert bad_asin.gtin == Gtin.parse(A) and bad_asin.items == ()
    assert bad_asin.error is not None and "row 4" in bad_asin.error and "ASIN 'not-an-asin'" in bad_asin.error


def test_a_row_with_a_missing_cell_is_an_error_of_its_ean(world: World) -> None:
    (row,) = world.rows(world.keep(f"EAN,ASIN,Title\n{A},B00000000A\n"))
    assert row.gtin == Gtin.parse(A) and row.error is not None and "row 2" in row.error and "'Title'" in row.error


def test_an_ean_with_many_asins_keeps_a_bounded_list(world: World) -> None:
    lines = "".join(f"{A},B{n:09d}\n" for n in range(MAX_ITEMS + 5))
    (row,) = world.rows(world.keep("EAN,ASIN\n" + lines))
    assert len(row.items) == MAX_ITEMS


def test_an_unknown_layout_is_refused_naming_its_columns_then_accepted_and_remembered(world: World) -> None:
    text = f"Code produit;Référence Amazon;Libellé court\n{A};B00000000A;Pen\n"
    with pytest.raises(ValidationFailed) as refused:
        world.keep(text)
    message = refused.value.errors[0].message
    assert "ean and asin" in message and "'Code produit', 'Référence Amazon', 'Libellé court'" in message
    assert world.files.kept == []
    mapping = {"Code produit": "ean", "Référence Amazon": "asin", "Libellé court": "title"}
    world.keep(text, mapping)
    signature_ = signature(["Code produit", "Référence Amazon", "Libellé court"])
    assert world.uow.committed.results_layouts[signature_] == mapping
    (row,) = world.rows(world.keep(text.replace("Code produit", "CODE_PRODUIT")))
    assert row.items[0].title == "Pen"


def test_a_saved_layout_outranks_the_known_headers(world: World) -> None:
    text = f"EAN,ASIN,Other ASIN\n{A},B00000000A,B00000000Z\n"
    world.keep(text, {"EAN": "ean", "Other ASIN": "asin"})
    (row,) = world.rows(world.keep(text))
    assert [i.asin.value for i in row.items] == ["B00000000Z"]


def test_a_bad_mapping_is_refused_and_not_saved(world: World) -> None:
    with pytest.raises(ValidationFailed):
        world.keep(f"EAN,ASIN\n{A},B00000000A\n", {"EAN": "ean", "ASIN": "sku"})
    assert world.uow.committed.results_layouts == {}


def test_files_that_cannot_be_results_are_refused_before_anything_is_kept(world: World) -> None:
    with pytest.raises(InvalidValue, match="empty"):
        world.keep("")
    with pytest.raises(UploadTooLarge):
        world.keep("EAN,ASIN\n" + f"{A},B00000000A\n" * 5000)
    with pytest.raises(InvalidValue, match=r"cannot be read: .*not gzip"):
        world.keep("EAN,ASIN\n", name="results.csv.gz")
    assert world.files.kept == []


def test_a_job_without_a_file_is_an_error(world: World) -> None:
    job = Code2AsinJob.new(Code2AsinJobKind.FILE, "amazon.fr", FakeClock().now(), file_name="x.csv")
    with pytest.raises(InvalidValue, match="no results file"):
        world.rows(job)


def test_a_mapping_given_for_a_file_that_does_not_read_is_not_saved(world: World) -> None:
    truncated = gzip.compress(f"Code,Ref\n{A},B00000000A\n".encode() * 20_000)[:-20]
    with pytest.raises(InvalidValue, match="corrupt or truncated"):
        world.keep(truncated, {"Code": "ean", "Ref": "asin"}, name="results.csv.gz")
    assert world.uow.committed.results_layouts == {} and world.files.kept == []
