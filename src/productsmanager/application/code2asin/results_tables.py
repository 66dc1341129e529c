"""A results file opened through the import readers, whatever it is: CSV in any encoding and delimiter the
readers detect, or an XLSX workbook, plain or in a .gz/.zip. Its name says which when it can; otherwise CSV is
tried first, then XLSX (a `results.zip` may hold either)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from productsmanager.application.imports.ports import ImportFileReader, ImportFileRejected
from productsmanager.domain.errors import InvalidValue
from productsmanager.domain.imports.profile import ImportFormat, ImportProfile
from productsmanager.domain.imports.rows import SourceRow

_PACKAGING = (".gz", ".zip")
_WORKBOOK = (".xlsx", ".xlsm")
_TEXT = (".csv", ".txt", ".tsv")


def formats_of(file_name: str) -> tuple[ImportFormat, ...]:
    """The formats to try, in order, for a file named `file_name`."""
    base = file_name.strip().lower()
    for suffix in _PACKAGING:
        base = base.removesuffix(suffix)
    if base.endswith(_WORKBOOK):
        return (ImportFormat.XLSX,)
    if base.endswith(_TEXT):
        return (ImportFormat.CSV,)
    return (ImportFormat.CSV, ImportFormat.XLSX)


@contextmanager
def results_table(
    reader: ImportFileReader, path: Path, file_name: str
) -> Iterator[tuple[list[str], Iterator[SourceRow]]]:
    """The header and the data rows of the file at `path`. Raises `InvalidValue` (field `file`) naming why
    the file cannot be read, with the first format's reason when none reads."""
    with ExitStack() as stack:
        refusals: list[ImportFileRejected] = []
        for file_format in formats_of(file_name):
            try:
                table = stack.enter_context(reader.table(path, file_name, ImportProfile(format=file_format)))
            except ImportFileRejected as refused:
                refusals.append(refused)
                continue
            try:
                yield table
            except ImportFileRejected as refused:
                raise _unreadable(refused) from None
            return
        raise _unreadable(refusals[0])


def _unreadable(refused: ImportFileRejected) -> InvalidValue:
    return InvalidValue(f"the results file cannot be read: {refused.reason}", field="file")
