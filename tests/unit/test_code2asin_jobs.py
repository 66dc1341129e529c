"""Code2ASIN jobs with the fakes: creating one, and running it to its end: matched, ambiguous, not found and
error outcomes, Amazon refusing the credentials, a results file, the ASIN filling only gaps (a person's ASIN
wins), Amazon's data kept, images stored once, and a job taken over after a crash mid-matching and
mid-images going on where it stopped."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from productsmanager.application.code2asin.ports import (
    AmazonBadCredentials,
    AmazonRateLimited,
    FileRow,
)
from productsmanager.application.dependencies import DependencyUnavailable
from productsmanager.application.media.download_ports import DownloadedImage
from productsmanager.domain.code2asin.jobs import (
    Code2AsinJob,
    Code2AsinJobKind,
    Code2AsinJobStatus,
    Stage,
)
from productsmanager.domain.code2asin.outcomes import AsinOutcome, match
from productsmanager.domain.errors import InvalidValue, ValidationFailed
from productsmanager.domain.gtin import Gtin
from productsmanager.domain.history import ActorType
from productsmanager.domain.recovery import WorkStillRunning
from tests.unit.code2asin_world import NOW, STALL, World, item

# In GTIN order: MUG, TAG, PEN, BOX, CUP.
PEN, MUG, CUP, BOX, TAG = "4006381333931", "96385074", "5901234123457", "5099750442227", "012345678905"


def test_a_job_is_made_of_valid_eans_each_bad_one_named_and_is_queued() -> None:
    world = World()
    with pytest.raises(ValidationFailed) as refused:
        world.jobs.create({"eans": ["12345", PEN, "4006381333932"]}, None)
    assert [error.field for error in refused.value.errors] == ["eans[0]", "eans[2]"]
    with pytest.raises(InvalidValue):
        world.jobs.create({"eans": [PEN], "marketplace": "amazon.xx"}, None)
    with pytest.raises(InvalidValue):
        world.jobs.create({"eans": [PEN], "filter": {"has_asin": "false"}}, None)
    job = world.jobs.create({"eans": [PEN, MUG, PEN], "marketplace": "amazon.de"}, None)
    assert (job.kind, job.eans, job.marketplace, job.status) == (
        Code2AsinJobKind.EANS, 2, "amazon.de", Code2AsinJobStatus.QUEUED,
    )  # fmt: skip
    assert world.tasks.args_of("run_code2asin_job") == [(job.id,)]
    assert world.jobs.create({"eans": [PEN]}, None).marketplace == "amazon.fr"


def test_each_ean_gets_its_outcome_and_a_batch_without_answer_is_errors() -> None:
    world = World(batch=2)
    for ean, name in ((PEN, "Pen"), (MUG, "Mug"), (CUP, "Cup"), (BOX, "Box")):
        world.editor.create(ean, {"name": name})
    world.amazon.known[Gtin.parse(PEN).canonical] = [item("B000000001", title="Stabilo pen")]
    world.amazon.known[Gtin.parse(MUG).canonical] = [item("B000000002"), item("B000000003")]
    world.amazon.fail[3] = AmazonRateLimited("wait", retry_after=30)
    job = world.jobs.create({"eans": [PEN, MUG, CUP, BOX, TAG]}, None)
    done = world.runner.run(job.id)
    assert (done.status, done.processed, done.matched, done.ambiguous, done.not_found, done.errors) == (
        Code2AsinJobStatus.COMPLETED, 5, 1, 1, 2, 1,
    )  # fmt: skip
    rows = {row.gtin.display: row for row in world.jobs.results(job.id, 10).items}
    assert rows[PEN].outcome is AsinOutcome.MATCHED and rows[PEN].asin_set and rows[PEN].applied
    assert rows[MUG].outcome is AsinOutcome.AMBIGUOUS and rows[MUG].asins == ("B000000002", "B000000003")
    assert not rows[MUG].applied and rows[CUP].outcome is AsinOutcome.ERROR
    assert rows[BOX].outcome is rows[TAG].outcome is AsinOutcome.NOT_FOUND and "rate_limited" in str(rows[CUP].error)
    assert [t.stage for t in done.timeline] == list(Stage) and done.asins_set == 1
    errors = world.jobs.results(job.id, 10, outcome=AsinOutcome.ERROR).items
    assert [row.gtin.display for row in errors] == [CUP]


def test_amazon_refusing_the_credentials_fails_the_job_with_why() -> None:
    world = World()
    world.amazon.fail[1] = AmazonBadCredentials("the refresh token was refused")
    job = world.runner.run(world.jobs.create({"eans": [PEN, MUG]}, None).id)
    assert job.status is Code2AsinJobStatus.FAILED and "bad_credentials" in str(job.error)
    assert world.runner.run(job.id).status is Code2AsinJobStatus.FAILED  # a finished job is not run again


def test_the_asin_fills_gaps_only_and_amazons_data_is_kept() -> None:
    world = World()
    pen = world.editor.create(PEN, {"name": "Pen"})
    mug = world.editor.create(MUG, {"name": "Mug", "asin": "B0MANUAL00"})  # a person's ASIN
    world.amazon.known[Gtin.parse(PEN).canonical] = [item("B000000001", title="Amazon pen", brand="Stabilo")]
    world.amazon.known[Gtin.parse(MUG).canonical] = [item("B000000009", title="Amazon mug")]
    job = world.runner.run(world.jobs.create({"eans": [PEN, MUG]}, None).id)
    with world.uow() as uow:
        shown_pen, shown_mug = uow.products.get(pen), uow.products.get(mug)
        history = uow.product_history.page(pen, 50)
        kept = uow.amazon_data.for_product(mug)
    assert shown_pen is not None and str(shown_pen.asin) == "B000000001" and shown_pen.name == "Pen"
    assert shown_pen.brand == "Stabilo"  # a gap: filled
    assert shown_mug is not None and str(shown_mug.asin) == "B0MANUAL00" and job.asins_set == 1
    assert [(d.item.asin.value, d.source, d.job_id) for d in kept] == [("B000000009", "sp_api", job.id)]
    asin_changes = [c for c in history if c.field == "asin"]
    assert asin_changes and asin_changes[0].actor.type is ActorType.CODE2ASIN_JOB


def test_images_are_stored_once_and_the_first_is_primary() -> None:
    world = World()
    pen = world.editor.create(PEN, {"name": "Pen"})
    front, side = (
        world.image("https://m.media-amazon.com/front.jpg"),
        world.image("https://m.media-amazon.com/s.jpg", 50),
    )
    broken = "https://m.media-amazon.com/gone.jpg"
    world.amazon.known[Gtin.parse(PEN).canonical] = [item("B000000001", images=[front, side, broken])]
    job = world.runner.run(world.jobs.create({"eans": [PEN]}, None).id)
    assert (job.images_stored, job.images_known, job.images_failed) == (2, 0, 1)
    with world.uow() as uow:
        media = uow.media_files.for_product(pen)
    assert len(media) == 2 and sum(m.is_primary for m in media) == 1
    again = world.runner.run(world.jobs.create({"eans": [PEN]}, None).id)
    assert (again.images_stored, again.images_known, again.asins_set) == (0, 2, 0)


def test_a_job_taken_over_after_a_crash_mid_matching_asks_only_what_is_left() -> None:
    world = World(batch=2)
    for ean in (PEN, MUG, CUP):
        world.amazon.known[Gtin.parse(ean).canonical] = [item("B00000000" + ean[-1])]
    world.amazon.fail[2] = DependencyUnavailable("database", "the database went away")
    job = world.jobs.create({"eans": [PEN, MUG, CUP]}, None)
    with pytest.raises(DependencyUnavailable):
        world.runner.run(job.id)
    with pytest.raises(WorkStillRunning):
        world.runner.run(job.id)
    world.clock.advance(seconds=STALL.total_seconds())
    done = world.runner.run(job.id)
    assert (done.status, done.processed, done.matched, done.attempts) == (Code2AsinJobStatus.COMPLETED, 3, 3, 2)
    cup = Gtin.parse(CUP).canonical
    assert world.amazon.asked == [[Gtin.parse(MUG).canonical, Gtin.parse(PEN).canonical], [cup], [cup]]


def test_a_job_taken_over_mid_images_downloads_only_what_is_left() -> None:
    world = World(batch=1)  # in GTIN order the mug's images come first
    world.editor.create(PEN, {"name": "Pen"})
    world.editor.create(MUG, {"name": "Mug"})
    mug_url, pen_url = world.image("https://m.media-amazon.com/m.jpg"), "https://m.media-amazon.com/p.jpg"
    world.amazon.known[Gtin.parse(MUG).canonical] = [item("B000000002", images=[mug_url])]
    world.amazon.known[Gtin.parse(PEN).canonical] = [item("B000000001", images=[pen_url])]
    download = world.downloader.download

    def dies_on_the_pen(url: str, max_bytes: int | None = None) -> DownloadedImage:
        if url == pen_url:
            raise DependencyUnavailable("database", "the worker lost its database")
        return download(url, max_bytes)

    world.downloader.download = dies_on_the_pen  # type: ignore[method-assign]
    job = world.jobs.create({"eans": [PEN, MUG]}, None)
    with pytest.raises(DependencyUnavailable):
        world.runner.run(job.id)
    stuck = world.jobs.get(job.id)
    assert (stuck.status, stuck.stage, stuck.images_stored) == (Code2AsinJobStatus.RUNNING, Stage.IMAGES, 1)
    world.image(pen_url, 60)
    world.downloader.download = download  # type: ignore[method-assign]
    world.clock.advance(seconds=STALL.total_seconds())
    done = world.runner.run(job.id)
    assert (done.status, done.images_stored, done.attempts) == (Code2AsinJobStatus.COMPLETED, 2, 2)
    assert [url for url, _ in world.downloader.calls].count(mug_url) == 1


def test_a_results_file_is_recorded_and_a_taken_over_one_skips_what_it_has() -> None:
    world = World()
    world.editor.create(PEN, {"name": "Pen"})
    world.file.rows_given = [
        FileRow(Gtin.parse(PEN), (item("B000000001", title="Pen"),)),
        FileRow(Gtin.parse(MUG), error="row 3: the ASIN 'X' is not 10 letters or digits"),
        FileRow(Gtin.parse(CUP)),
    ]
    made = Code2AsinJob.new(Code2AsinJobKind.FILE, "amazon.fr", NOW, file_name="asins.csv")
    with world.uow() as uow:
        uow.code2asin_jobs.add(made, (), "code2asin/asins.csv")
        uow.code2asin_jobs.record([match(made.id, Gtin.parse(CUP), ())])  # recorded by an attempt that died
        uow.commit()
    done = world.runner.run(made.id)
    assert (done.eans, done.processed, done.matched, done.errors, done.asins_set) == (3, 2, 1, 1, 1)
    rows = {row.gtin.display: row for row in world.jobs.results(made.id, 10).items}
    assert rows[CUP].outcome is AsinOutcome.NOT_FOUND and "row 3" in str(rows[MUG].error)


def test_a_results_file_that_cannot_be_read_fails_its_job_with_why() -> None:
    world = World()

    def unreadable(job: Code2AsinJob) -> Iterator[FileRow]:
        raise InvalidValue("the file is not UTF-8, Windows-1252 or Latin-1 text", field="file")

    world.file.rows = unreadable  # type: ignore[method-assign]
    made = Code2AsinJob.new(Code2AsinJobKind.FILE, "amazon.fr", NOW, file_name="asins.csv")
    with world.uow() as uow:
        uow.code2asin_jobs.add(made, (), "code2asin/asins.csv")
        uow.commit()
    failed = world.runner.run(made.id)
    assert failed.status is Code2AsinJobStatus.FAILED and "not UTF-8" in str(failed.error)
    assert [t.stage for t in failed.timeline] == [Stage.MATCHING] and failed.timeline[0].finished_at is not None


def test_a_results_file_row_whose_ean_cannot_be_read_is_an_error_by_its_line_recorded_once() -> None:
    world = World()
    world.file.rows_given = [
        FileRow(Gtin.parse(PEN), (item("B000000001"),)),
        FileRow(None, error="EAN 'abc' must contain digits only", ean="abc", line=7),
        FileRow(None, error="EAN is missing", ean="", line=9),
    ]
    made = Code2AsinJob.new(Code2AsinJobKind.FILE, "amazon.fr", NOW, file_name="asins.csv")
    with world.uow() as uow:
        uow.code2asin_jobs.add(made, (), "code2asin/asins.csv")
        uow.commit()
    done = world.runner.run(made.id)
    assert (done.eans, done.processed, done.matched, done.errors) == (3, 3, 1, 2)
    rows = world.jobs.results(made.id, 10).items
    assert [(row.gtin, row.line) for row in rows[1:]] == [(None, 7), (None, 9)]  # after every GTIN, by line
    assert rows[1].outcome is AsinOutcome.ERROR and "line 7: EAN 'abc'" in str(rows[1].error)
    with world.uow() as uow:  # taken over: the rows recorded are not recorded again
        assert uow.code2asin_jobs.recorded(made.id, [r.key for r in rows]) == {r.key for r in rows}
