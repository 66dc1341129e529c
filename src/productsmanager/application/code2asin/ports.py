"""Ports of Code2ASIN: where matches come from (`AsinSource`: Amazon's Selling Partner API; a results file is
read by `ResultsFile`), and the storage of jobs, Amazon's data per product, Amazon's credentials and the saved
layouts of results files.

An `AsinSource` answers in the domain's shape (`AmazonItem`); whatever went wrong comes back as one of the
errors below, named by `code` so that a job's errors and `POST /api/v1/code2asin/config/test` can tell which it
was without passing on Amazon's own wording or any network detail."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import BinaryIO, Protocol

from attrs import frozen

from productsmanager.domain.code2asin.items import AmazonItem
from productsmanager.domain.code2asin.jobs import Code2AsinJob, Code2AsinJobStatus
from productsmanager.domain.code2asin.marketplaces import Marketplace
from productsmanager.domain.code2asin.outcomes import AsinOutcome, AsinResult
from productsmanager.domain.errors import ProductsManagerError
from productsmanager.domain.gtin import Gtin

MAX_IDENTIFIERS = 20  # what one searchCatalogItems request may list


class AmazonError(ProductsManagerError):
    """Amazon could not answer. `code`: `not_configured`, `bad_credentials`, `rate_limited`, `unreachable`,
    `bad_request`, `unexpected`."""

    code = "unexpected"


class AmazonNotConfigured(AmazonError):
    """Code2ASIN has no Amazon credentials yet (client id, client secret and refresh token are all needed)."""

    code = "not_configured"


class AmazonBadCredentials(AmazonError):
    """Login with Amazon refused the credentials (invalid_client, invalid_grant) or the API refused the access
    token (403): a person must fix the configuration; asking again will not help."""

    code = "bad_credentials"


class AmazonRateLimited(AmazonError):
    """Amazon said to wait (HTTP 429) more than the caller would: `retry_after` seconds, when it said."""

    code = "rate_limited"

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class AmazonUnreachable(AmazonError):
    """No answer: refused, timed out, DNS, TLS, or blocked by the outbound guard ("could not connect")."""

    code = "unreachable"


class AmazonBadRequest(AmazonError):
    """Amazon refused the request itself (HTTP 400, InvalidInput), such as an identifier it does not accept."""

    code = "bad_request"


class AmazonUnexpected(AmazonError):
    """An answer that is not what the API documents (5xx, HTML, malformed JSON...)."""

    code = "unexpected"


class AsinSource(Protocol):
    def search(self, gtins: Sequence[Gtin], marketplace: Marketplace) -> dict[Gtin, list[AmazonItem]]:
        """Amazon's items for each of at most `MAX_IDENTIFIERS` GTINs (an empty list: none), asked in one request
        paced under Amazon's rate limit across every process. Raises an `AmazonError` when no answer came."""
        ...

    def check(self, marketplace: Marketplace) -> None:
        """Signs in and asks one cheap question, raising the `AmazonError` that says what is wrong."""
        ...


AsinSourceFactory = Callable[[], AsinSource]
"""The source as configured now (credentials read and decrypted): raises `AmazonNotConfigured` without them."""


@frozen
class FileRow:
    """One EAN of a results file with Amazon's items for it (several rows of one EAN are gathered), or why its
    rows could not be read (`error`). `gtin` None: a row whose EAN cannot be read, which is an EAN of no
    product; `ean` keeps the cell as written and `line` the row's line, for the job's errors."""

    gtin: Gtin | None
    items: tuple[AmazonItem, ...] = ()
    error: str | None = None
    ean: str = ""
    line: int | None = None  # the first line of the EAN's rows


class ResultsFileIntake(Protocol):
    def keep(
        self,
        job_id: uuid.UUID,
        file_name: str,
        stream: BinaryIO,
        mapping: Mapping[str, str] | None,
        user_id: uuid.UUID | None,
    ) -> str:
        """Checks that the file reads as a results file (its header row maps to an EAN and an ASIN column at
        least: by `mapping`, which is then saved for the file's layout, else by the layout's saved mapping, else
        by the headers Code2ASIN knows) and keeps it for the job; the key it is kept under. Raises `InvalidValue`
        or `ValidationFailed` naming what is wrong, `UploadTooLarge` past the size cap."""
        ...


class ResultsFile(Protocol):
    def rows(self, job: Code2AsinJob) -> Iterator[FileRow]:
        """The rows of a file job's stored file, one per EAN, in the order the EANs first appear, and one per
        row whose EAN cannot be read (`gtin` None), read as they are consumed. Raises
        `InvalidValue` (the file as a whole cannot be read: its encoding, its columns) naming the cause."""
        ...


@frozen
class ResultCounts:
    """A job's results counted by outcome (pending ones under None)."""

    by_outcome: Mapping[AsinOutcome | None, int]


class Code2AsinJobRepository(Protocol):
    def add(self, job: Code2AsinJob, gtins: Sequence[Gtin], file_key: str | None = None) -> None:
        """Stores the job and a pending result row for each of its GTINs (none for a file job)."""
        ...

    def get(self, job_id: uuid.UUID) -> Code2AsinJob | None: ...

    def file_key(self, job_id: uuid.UUID) -> str | None: ...

    def replace(self, job: Code2AsinJob, expected: tuple[Code2AsinJobStatus, int]) -> bool:
        """Saves `job` if its stored (status, attempts) is still `expected`: False when another attempt took it
        over (or it was finished) meanwhile, and nothing is saved."""
        ...

    def page(
        self, limit: int, after: tuple[datetime, uuid.UUID] | None, status: Code2AsinJobStatus | None = None
    ) -> list[Code2AsinJob]:
        """Newest first, after the (created_at, id) of the previous page's last job."""
        ...

    def pending(self, job_id: uuid.UUID, limit: int) -> list[Gtin]:
        """The job's GTINs not matched yet, in GTIN order."""
        ...

    def recorded(self, job_id: uuid.UUID, keys: Iterable[str]) -> set[str]:
        """Those of the rows' `keys` (`AsinResult.key`) the job has an outcome for already: a file job taken over
        skips them."""
        ...

    def record(self, results: Sequence[AsinResult]) -> None:
        """Each result replaces its GTIN's row (pending, or none yet for a file job's)."""
        ...

    def to_apply(self, job_id: uuid.UUID, limit: int) -> list[tuple[uuid.UUID | None, AsinResult]]:
        """The job's matched results not applied yet, in GTIN order, each with the id of the product that has
        its GTIN (None: no product has it)."""
        ...

    def to_download(self, job_id: uuid.UUID, limit: int, after: str | None = None) -> list[AsinResult]:
        """The job's applied results with a product and images whose images are not handled yet, in GTIN order
        after the row key `after` (the rows of a batch still downloading are not asked for again)."""
        ...

    def results(
        self, job_id: uuid.UUID, limit: int, after: str | None, outcome: AsinOutcome | None = None
    ) -> list[AsinResult]:
        """The job's rows (pending ones too, unless `outcome` is given) in GTIN order, after the canonical
        GTIN `after`."""
        ...


@frozen
class AmazonData:
    """Amazon's view of one product on one marketplace, as the latest match gave it."""

    product_id: uuid.UUID
    item: AmazonItem
    source: str  # sp_api or file
    job_id: uuid.UUID | None
    fetched_at: datetime


class AmazonDataRepository(Protocol):
    def put(self, data: Sequence[AmazonData]) -> None:
        """Each replaces what was kept for its (product, marketplace)."""
        ...

    def for_product(self, product_id: uuid.UUID) -> list[AmazonData]:
        """By marketplace."""
        ...


class ResultsLayoutRepository(Protocol):
    """Column mappings of results files, per layout (the hash of the normalised header row)."""

    def get(self, signature: str) -> dict[str, str] | None: ...

    def save(
        self, signature: str, headers: Sequence[str], mapping: Mapping[str, str], user_id: uuid.UUID | None,
        now: datetime,
    ) -> None: ...  # fmt: skip
