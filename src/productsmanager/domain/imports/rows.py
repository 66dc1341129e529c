"""One row of a supplier file, as read and as understood: what the reader yields, and what parsing makes of
it (a row for the merge, or a problem to record with the row's raw data)."""

from __future__ import annotations

from decimal import Decimal

from attrs import frozen

from productsmanager.domain.gtin import Gtin


@frozen
class RowNote:
    """What the reader found wrong with a row before any field rule: `reason` is the import error's code."""

    reason: str
    message: str
    column: str | None = None


@frozen
class SourceRow:
    """As read: `number` is the row's line in the file (the header row is `profile.header_row`, so the first
    data row is `header_row + 1`); `values` by source column header (trimmed). CSV values are strings;
    XLSX cells keep their type (str, int, float, bool, datetime) and empty cells are None. `refusal`: the
    row cannot be used as read (cells missing or beyond the header, a line over the size limit), so it is
    an error row whatever its values; `warnings`: what the reader changed (NUL bytes dropped)."""

    number: int
    values: dict[str, object]
    refusal: RowNote | None = None
    warnings: tuple[RowNote, ...] = ()


@frozen
class ImportRow:
    """A valid row: the catalog fields the mapping provides (absent keys are not provided, so the merge
    leaves those product fields as they are)."""

    number: int
    gtin: Gtin
    product_fields: dict[str, str]  # name, brand, category, description (only the mapped, non-empty ones)
    price: Decimal | None = None
    currency: str | None = None
    stock: int | None = None
    supplier_sku: str | None = None
    image_url: str | None = None


@frozen
class RowProblem:
    """A row that cannot be merged (`missing_ean`, `invalid_ean`, `invalid_price`, `invalid_stock`,
    `invalid_value`, `missing_columns`, `extra_columns`, `line_too_long`) or a warning about one that was
    (`duplicate_ean`, `nul_dropped`). `raw` keeps the row as read, so a
    row without EAN can be completed later."""

    number: int
    reason: str
    message: str
    column: str | None
    raw: dict[str, str]
    warning: bool = False
