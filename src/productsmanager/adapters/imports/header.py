"""The header row of a supplier file, checked against the profile's mapping before any data row is read, so
that a file whose columns were renamed fails as a whole with one clear reason instead of row by row."""

from __future__ import annotations

from collections import Counter

from productsmanager.application.imports.ports import ImportFileRejected
from productsmanager.domain.imports.profile import ImportProfile


def checked_header(cells: list[str], profile: ImportProfile) -> list[str]:
    """Headers trimmed (and a byte-order mark left by a wrongly declared encoding dropped); every mapped
    column present exactly once."""
    header = [cell.strip() for cell in cells]
    if header:
        header[0] = header[0].lstrip("\ufeff").strip()
    missing = [column for column in profile.mapping if column not in header]
    if missing:
        found = ", ".join(repr(column) for column in header if column) or "none"
        raise ImportFileRejected(
            f"the header (row {profile.header_row}) lacks the mapped column(s) "
            f"{', '.join(repr(column) for column in missing)}; the columns found are: {found}"
        )
    counts = Counter(header)
    repeated = [column for column in profile.mapping if counts[column] > 1]
    if repeated:
        raise ImportFileRejected(
            f"the mapped column(s) {', '.join(repr(column) for column in repeated)} appear more than once in the header"
        )
    return header
