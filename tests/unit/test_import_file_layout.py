"""The layout the upload wizard shows comes from the import reader's own detection: the sample files'
encodings, delimiters and formats, through packaging."""

from __future__ import annotations

from pathlib import Path

from productsmanager.adapters.imports.file_reader import FileImportReader
from productsmanager.domain.imports.profile import ImportFormat, ImportProfile

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"


def layout(name: str, profile: ImportProfile | None = None) -> tuple[str, str | None, str | None]:
    found = FileImportReader().layout(SAMPLES / name, name, profile or ImportProfile())
    return found.format.value, found.encoding, found.delimiter


def test_the_samples_layouts_are_detected() -> None:
    assert layout("acme_catalogue_cp1252.csv") == ("csv", "windows-1252", ";")
    assert layout("beta_prices.xlsx") == ("xlsx", None, None)
    assert layout("gamma_feed.csv.gz") == ("csv", "utf-8", ",")
    assert layout("gamma_feed.zip")[0] == "csv"


def test_a_profiles_declared_layout_is_what_the_reader_uses() -> None:
    declared = ImportProfile(format=ImportFormat.CSV, encoding="latin-1", delimiter="|")
    assert layout("acme_catalogue_cp1252.csv", declared) == ("csv", "latin-1", "|")
