"""Code2ASIN results files through the production container (import readers, media store, saved layouts on
PostgreSQL and SQLite), and the EAN export for the desktop tool through the API."""

from __future__ import annotations

import csv
import gzip
import io
import re
import tracemalloc
import zipfile
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert

from productsmanager.adapters.sqlalchemy.tables import code2asin_jobs
from productsmanager.application.code2asin.ports import FileRow
from productsmanager.domain.code2asin.jobs import Code2AsinJob, Code2AsinJobKind
from productsmanager.domain.errors import InvalidValue, ValidationFailed
from productsmanager.domain.gtin import Gtin
from tests.integration.catalog_data import with_check_digit
from tests.integration.helpers import Backend, Users
from tests.spreadsheets import xlsx_bytes

pytestmark = pytest.mark.integration

A, B, C = "4006381333931", "5901234123457", "96385074"
ROWS = [[A, "B00000000A", "Stylo bleu", "Bic"], [B, "", "", ""], [C, "B00000000C", "Gomme", "Maped"]]


def text_file(header: list[str], rows: list[list[str]], delimiter: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows([header, *rows])
    return out.getvalue()


def keep(backend: Backend, data: bytes, name: str, mapping: dict[str, str] | None = None) -> Code2AsinJob:
    """A file job as the jobs API makes one: the file taken in, then the job recorded with its key."""
    job = Code2AsinJob.new(Code2AsinJobKind.FILE, "amazon.fr", datetime.now(UTC), file_name=name)
    key = backend.container.results_file_intake().keep(job.id, name, io.BytesIO(data), mapping, None)
    assert key == f"code2asin/{job.id}/{name.replace('é', '_')}"
    row = {"id": job.id, "kind": "file", "marketplace": job.marketplace, "status": "queued", "timeline": []}
    with backend.engine.begin() as conn:
        conn.execute(insert(code2asin_jobs).values(**row, file_name=name, file_key=key, created_at=job.created_at))
    return job


def read(backend: Backend, job: Code2AsinJob) -> list[FileRow]:
    return list(backend.container.results_file().rows(job))


def asins(rows: list[FileRow]) -> dict[str, list[str]]:
    return {row.gtin.display: [item.asin.value for item in row.items] for row in rows if row.gtin is not None}


EXPECTED = {A: ["B00000000A"], B: [], C: ["B00000000C"]}


@pytest.mark.parametrize(
    ("encoding", "delimiter"), [("utf-8", ","), ("utf-8-sig", ";"), ("cp1252", ";"), ("utf-16", ";"), ("utf-16", "\t")]
)
def test_csv_results_in_every_encoding_and_delimiter(backend: Backend, encoding: str, delimiter: str) -> None:
    header = ["EAN", "ASIN", "Titre", "Marque"]
    data = text_file(header, [[*r[:2], r[2] + " é", r[3]] for r in ROWS], delimiter).encode(encoding)
    rows = read(backend, keep(backend, data, "results.csv"))
    assert asins(rows) == EXPECTED
    assert rows[0].items[0].title == "Stylo bleu é" and rows[0].items[0].brand == "Bic"


@pytest.mark.parametrize("name", ["results.csv.gz", "results.zip", "results.xlsx", "export.xlsx.zip"])
def test_packed_and_workbook_results(backend: Backend, name: str) -> None:
    header = ["UPC/EAN", "ASIN", "Title", "Brand"]
    if "xlsx" in name:
        data = xlsx_bytes([header, *[[int(r[0]), *r[1:]] for r in ROWS]])  # EANs as numbers, as Excel keeps them
    else:
        data = text_file(header, ROWS, ",").encode()
    if name.endswith(".gz"):
        data = gzip.compress(data)
    elif name.endswith(".zip"):
        packed = io.BytesIO()
        with zipfile.ZipFile(packed, "w") as archive:
            archive.writestr("results.xlsx" if "xlsx" in name else "results.csv", data)
        data = packed.getvalue()
    assert asins(read(backend, keep(backend, data, name))) == EXPECTED


def test_a_french_results_file_with_images_price_and_rank(backend: Backend) -> None:
    header = ["Code EAN", "Code ASIN", "Titre du produit", "Marque", "Catégorie", "Image 1", "Image 2", "Prix",
              "Classement des ventes", "Site"]  # fmt: skip
    row = [A, "B00000000A", "Stylo", "Bic", "Bureau", "https://m.media-amazon.com/images/I/1.jpg",
           "https://m.media-amazon.com/images/I/2.jpg", "1 234,50 €", "12 345", "amazon.de"]  # fmt: skip
    (read_row,) = read(backend, keep(backend, text_file(header, [row], ";").encode("cp1252"), "résultats.csv"))
    item = read_row.items[0]
    assert (item.category, item.marketplace, str(item.price), item.sales_ranks[0].rank) == (
        "Bureau", "amazon.de", "1234.50", 12345,
    )  # fmt: skip
    assert item.image_urls == ("https://m.media-amazon.com/images/I/1.jpg", "https://m.media-amazon.com/images/I/2.jpg")


def test_an_unknown_layout_is_refused_then_accepted_with_a_mapping_and_recognised_next_time(backend: Backend) -> None:
    header = ["Référence", "Produit Amazon", "Nom"]
    data = text_file(header, [[A, "B00000000A", "Stylo"]], ";").encode()
    with pytest.raises(ValidationFailed) as refused:
        keep(backend, data, "tool.csv")
    (error,) = refused.value.errors
    assert error.field == "mapping" and "no column for ean and asin" in error.message
    assert "'Référence', 'Produit Amazon', 'Nom'" in error.message
    keep(backend, data, "tool.csv", {"Référence": "ean", "Produit Amazon": "asin", "Nom": "title"})
    respelled = text_file(["REFERENCE", "produit_amazon", "nom"], [[B, "B00000000B", "Gomme"]], ",").encode()
    (row,) = read(backend, keep(backend, respelled, "tool2.csv"))
    assert row.gtin == Gtin.parse(B) and row.items[0].title == "Gomme"


def test_bad_eans_and_several_asins_for_one_ean(backend: Backend) -> None:
    rows = [[A, "B00000000A"], ["12345", "B00000000X"], [C, "B00000000C"], [A, "B00000000Z"], [A, "B00000000A"]]
    found = read(backend, keep(backend, text_file(["EAN", "ASIN"], rows, ",").encode(), "results.csv"))
    assert asins(found) == {A: ["B00000000A", "B00000000Z"], C: ["B00000000C"]}
    (bad,) = [row for row in found if row.gtin is None]
    assert (bad.ean, bad.line) == ("12345", 3) and bad.error is not None and bad.error.startswith("row 3: EAN '12345'")


def test_a_compression_bomb_is_refused_and_nothing_is_kept(backend: Backend) -> None:
    bomb = gzip.compress(b"EAN,ASIN\n" + b"0" * (64 << 20), compresslevel=9)
    with pytest.raises(InvalidValue, match="decompression bomb"):
        keep(backend, bomb, "results.csv.gz")


# The EAN export.


def products(backend: Backend, count: int) -> list[tuple[str, str, str | None]]:
    """(EAN, name, ASIN) of `count` products, one in three with an ASIN, one named like a formula."""
    made = []
    for i in range(count):
        ean = with_check_digit(f"400638{i:06d}")
        name = '=HYPERLINK("http://evil")' if i == 1 else f"Produit {i}"
        asin = f"B{i:09d}" if i % 3 == 0 else None
        backend.container.product_editor().create(ean, {"name": name, "brand": "Acme", "asin": asin})
        made.append((ean, name, asin))
    return made


def export(backend: Backend, users: Users, query: str, role: str = "viewer") -> tuple[int, dict[str, str], bytes]:
    result = backend.client.simulate_get(
        "/api/v1/code2asin/ean-export.csv", query_string=query, headers=users.headers(role)
    )
    return result.status_code, dict(result.headers), result.content


def test_the_ean_export_lists_the_filtered_products_as_excel_csv(backend: Backend, users: Users) -> None:
    made = products(backend, 205)  # more than one page
    status, headers, body = export(backend, users, "has_asin=false")
    assert status == 200 and headers["content-type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(r'attachment; filename="eans_\d{8}_\d{6}\.csv"', headers["content-disposition"])
    assert body.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert lines[0] == ["EAN", "Product name", "Brand"]
    expected = sorted(ean for ean, _, asin in made if asin is None)
    assert sorted(line[0] for line in lines[1:]) == expected and len(lines) - 1 == len(set(expected))
    assert [with_check_digit("400638000001"), '\'=HYPERLINK("http://evil")', "Acme"] in lines[1:]


def test_the_ean_export_takes_the_product_lists_filters(backend: Backend, users: Users) -> None:
    products(backend, 4)
    status, _, body = export(backend, users, "has_asin=true&q=Produit")
    assert status == 200
    assert [line[0] for line in csv.reader(io.StringIO(body.decode("utf-8-sig")))][1:] == [
        with_check_digit("400638000000"), with_check_digit("400638000003"),
    ]  # fmt: skip


@pytest.mark.parametrize("query", ["has_asin=perhaps", "colour=blue", "has_asin=true&has_asin=false", "q=" + "x" * 501])
def test_a_bad_filter_of_the_ean_export_is_a_400_naming_it(backend: Backend, users: Users, query: str) -> None:
    status, headers, body = export(backend, users, query)
    assert status == 400 and headers["content-type"].startswith("application/problem+json"), body


def test_the_ean_export_needs_a_signed_in_user(backend: Backend) -> None:
    assert backend.client.simulate_get("/api/v1/code2asin/ean-export.csv").status_code == 401


def test_reading_a_long_file_of_scattered_eans_does_not_hold_it_in_memory(backend: Backend) -> None:
    eans = [with_check_digit(f"400638{i:06d}") for i in range(1_000)]
    # 20,000 rows: every EAN 20 times, never twice in a row, each row with a long title
    lines = [f"{eans[n % len(eans)]},B{n % len(eans):09d},{'x' * 200}\n" for n in range(20_000)]
    job = keep(backend, ("EAN,ASIN,Title\n" + "".join(lines)).encode(), "long.csv")
    del lines
    tracemalloc.start()
    try:
        count = 0
        for row in backend.container.results_file().rows(job):
            assert len(row.items) == 1 and row.error is None
            count += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == len(eans)
    assert peak < 3 << 20, peak  # the file is 4.3 MB: the spool holds it, not memory
