"""The matching stage of a Code2ASIN job: each EAN's outcome recorded as it is known, a batch at a time with the
job's progress, so that an attempt taking over goes on with what is left.

EAN and filter jobs ask the `AsinSource` for their pending GTINs, at most `MAX_IDENTIFIERS` a request. Amazon
refusing the credentials (or none configured) ends the job: asking again would only be refused again. Any other
failure of a request (rate limited past the wait, unreachable, an unexpected answer) makes that batch's EANs
`error`s and the job goes on. File jobs record the rows of their results file, skipping the EANs recorded
already by an earlier attempt."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from functools import partial

from productsmanager.application.code2asin.ports import (
    MAX_IDENTIFIERS,
    AmazonBadCredentials,
    AmazonError,
    AmazonNotConfigured,
    AsinSource,
    AsinSourceFactory,
    FileRow,
    ResultsFile,
)
from productsmanager.application.code2asin.progress import Change, JobProgress
from productsmanager.application.ports import UnitOfWork, UnitOfWorkFactory
from productsmanager.domain.code2asin.jobs import Code2AsinJob, Code2AsinJobKind
from productsmanager.domain.code2asin.marketplaces import Marketplace
from productsmanager.domain.code2asin.outcomes import AsinResult, failed, match, unreadable
from productsmanager.domain.gtin import Gtin

log = logging.getLogger(__name__)
FILE_BATCH = 500  # rows of a results file per transaction: nothing is asked, only written


class JobFailure(Exception):
    """The job cannot go on (no credentials, refused credentials, a file that cannot be read): `reason` is
    recorded as its error."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Matching:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        progress: JobProgress,
        sources: AsinSourceFactory,
        results_file: Callable[[], ResultsFile],
        batch: int = MAX_IDENTIFIERS,
    ) -> None:
        self._uow = uow
        self._progress = progress
        self._sources = sources
        self._file = results_file
        self._batch = min(batch, MAX_IDENTIFIERS)

    def run(self, job: Code2AsinJob) -> bool:
        """False when a later attempt took the job over."""
        if job.kind is Code2AsinJobKind.FILE:
            return self._from_file(job)
        return self._from_source(job)

    def _from_source(self, job: Code2AsinJob) -> bool:
        try:
            source = self._sources()
        except AmazonNotConfigured as error:
            raise JobFailure(f"Amazon is not configured: {error.message}") from error
        marketplace = Marketplace.parse(job.marketplace)
        while True:
            with self._uow() as uow:
                gtins = uow.code2asin_jobs.pending(job.id, self._batch)
            if not gtins:
                return True
            if not self._progress.save(job, _recording(job, self._ask(job, source, gtins, marketplace))):
                return False

    def _ask(
        self, job: Code2AsinJob, source: AsinSource, gtins: Sequence[Gtin], marketplace: Marketplace
    ) -> list[AsinResult]:
        try:
            found = source.search(gtins, marketplace)
        except (AmazonNotConfigured, AmazonBadCredentials) as error:
            raise JobFailure(f"Amazon refused the request ({error.code}): {error.message}") from error
        except AmazonError as error:
            log.warning("Code2ASIN job %s: a batch of %d EANs got no answer (%s)", job.id, len(gtins), error.code)
            return [failed(job.id, gtin, f"{error.code}: {error.message}") for gtin in gtins]
        return [match(job.id, gtin, found.get(gtin, ())) for gtin in gtins]

    def _from_file(self, job: Code2AsinJob) -> bool:
        reader = self._file()
        if job.eans == 0:  # counted first, so that the progress of the rows recorded reads against the total
            count = sum(1 for _ in reader.rows(job))
            if not self._progress.save(job, lambda _uow, now: job.counted(count, now)):
                return False
        for rows in _batches(reader.rows(job), FILE_BATCH):
            with self._uow() as uow:
                known = uow.code2asin_jobs.recorded(job.id, [_of_row(job, row).key for row in rows])
            results = [result for result in map(partial(_of_row, job), rows) if result.key not in known]
            if results and not self._progress.save(job, _recording(job, results)):
                return False
        return True


def _recording(job: Code2AsinJob, results: list[AsinResult]) -> Change:
    def change(uow: UnitOfWork, now: datetime) -> None:
        uow.code2asin_jobs.record(results)
        job.advance([result.outcome for result in results if result.outcome is not None], now)

    return change


def _of_row(job: Code2AsinJob, row: FileRow) -> AsinResult:
    if row.gtin is None:
        return unreadable(job.id, row.line or 0, row.ean, row.error or "not an EAN")
    if row.error is not None:
        return failed(job.id, row.gtin, row.error)
    return match(job.id, row.gtin, row.items)


def _batches(rows: Iterator[FileRow], size: int) -> Iterator[list[FileRow]]:
    batch: list[FileRow] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
