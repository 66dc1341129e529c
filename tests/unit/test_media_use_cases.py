"""Media use cases against in-memory fakes: dedup, the one-primary rule, thumbnails, deletion."""

from __future__ import annotations

import uuid

import pytest

from productsmanager.application.catalog.product_editor import ProductEditor
from productsmanager.application.events import EventPublisher
from productsmanager.application.media.media_library import MediaLibrary, PrimaryRequired
from productsmanager.application.media.media_uploader import MediaUploader
from productsmanager.application.media.thumbnail_generator import ThumbnailGenerator
from productsmanager.application.progress import NO_EVENTS
from productsmanager.domain.errors import ImageTooLarge, NotFound, PermissionDenied, UnsupportedImage
from productsmanager.domain.media import ThumbnailPolicy
from productsmanager.domain.media_files import MediaStatus
from productsmanager.domain.settings import MediaSettings
from tests.recording_task_queue import RecordingTaskQueue
from tests.unit.fakes import FakeClock, FakeUnitOfWork
from tests.unit.media_fakes import FakeMediaStore, FakeThumbnailer, FakeUrlSigner, fake_image
from tests.unit.settings_fakes import FixedSettings


class Media:
    def __init__(self, events: EventPublisher = NO_EVENTS) -> None:
        self.uow, self.clock = FakeUnitOfWork(), FakeClock()
        self.store, self.tasks = FakeMediaStore(), RecordingTaskQueue()
        self.thumbnailer, self.settings = FakeThumbnailer(), FixedSettings()
        self.uploader = MediaUploader(
            self.uow, self.store, self.thumbnailer, self.tasks, self.clock, self.settings, max_bytes=1000, events=events
        )
        self.library = MediaLibrary(self.uow, self.store, self.tasks, FakeUrlSigner())
        policy = ThumbnailPolicy.standard()
        self.generator = ThumbnailGenerator(self.uow, self.store, self.thumbnailer, policy, self.settings, events)
        self.product_id = ProductEditor(self.uow, self.clock, FixedSettings()).create("4006381333931", {"name": "Pen"})

    def upload(self, data: bytes, name: str | None = "photo.jpg") -> uuid.UUID:
        self.clock.advance(seconds=1)
        return self.uploader.upload(self.product_id, data, name).media.id

    def primaries(self) -> list[uuid.UUID]:
        return [d.media.id for d in self.library.for_product(self.product_id) if d.media.is_primary]


@pytest.fixture
def media() -> Media:
    return Media()


def test_the_first_image_is_primary_and_later_ones_are_not(media: Media) -> None:
    first = media.upload(fake_image(1200, 800, "a"))
    media.upload(fake_image(1200, 800, "b"))
    assert media.primaries() == [first]


def test_the_same_bytes_give_the_stored_file_not_a_copy(media: Media) -> None:
    data = fake_image(1200, 800)
    first = media.uploader.upload(media.product_id, data, "a.jpg")
    again = media.uploader.upload(media.product_id, data, "b.jpg")
    assert first.created and not again.created and again.media.id == first.media.id
    assert len(media.store.objects) == 1 and len(media.tasks.requested) == 1


def test_keys_are_made_from_the_content_never_from_the_client_name(media: Media) -> None:
    media_id = media.upload(fake_image(10, 10), "../../etc/passwd.jpg")
    stored = media.library.get(media_id).media
    shard = str(media.product_id)[:2]
    assert stored.storage_key == f"products/{shard}/{media.product_id}/{stored.sha256}.jpg"
    assert stored.original_file_name == "passwd.jpg"


def test_bad_input_is_refused_and_nothing_is_stored(media: Media) -> None:
    with pytest.raises(UnsupportedImage):
        media.upload(b"%PDF-1.7 not an image")
    with pytest.raises(ImageTooLarge):
        media.upload(fake_image(10, 10) + b"x" * 1000)
    with pytest.raises(NotFound):
        media.uploader.upload(uuid.uuid4(), fake_image(10, 10))
    assert media.store.objects == {} and media.uow.committed.media == {}


def test_the_upload_limit_is_the_setting_capped_by_the_deployment_ceiling(media: Media) -> None:
    image = fake_image(10, 10)
    padded = image + b"x" * (600 - len(image))
    media.settings.current = media.settings.current.with_section(MediaSettings(max_upload_bytes=500))
    with pytest.raises(ImageTooLarge, match="the limit is 500"):
        media.upload(padded)
    media.settings.current = media.settings.current.with_section(MediaSettings(max_upload_bytes=10_000))
    media.upload(padded)  # 600 bytes: under the setting and under the 1,000-byte ceiling
    with pytest.raises(ImageTooLarge, match="the limit is 1000"):
        media.upload(image + b"y" * 1000)


def test_thumbnails_use_the_jpeg_quality_of_the_settings_at_the_time(media: Media) -> None:
    first = media.upload(fake_image(400, 300, "a"))
    media.tasks.run_all(media.generator.generate)
    media.settings.current = media.settings.current.with_section(MediaSettings(thumbnail_jpeg_quality=60))
    media.generator.generate(first, force=True)
    assert media.thumbnailer.qualities == [85, 60]


def test_thumbnails_are_made_once_and_rerunning_changes_nothing(media: Media) -> None:
    media_id = media.upload(fake_image(1200, 600))
    media.tasks.run_all(media.generator.generate)
    details = media.library.get(media_id)
    assert details.media.status is MediaStatus.READY
    assert {(t.size, t.width, t.height) for t in details.thumbnails} == {
        ("large", 800, 400),
        ("medium", 300, 150),
        ("small", 150, 75),
    }
    objects = dict(media.store.objects)
    assert media.generator.generate(media_id).skipped
    assert media.generator.generate(media_id, force=True).written == 3
    assert media.store.objects == objects and len(media.library.get(media_id).thumbnails) == 3


def test_an_image_that_cannot_be_rendered_is_marked_failed(media: Media) -> None:
    media_id = media.upload(fake_image(100, 100))
    details = media.library.get(media_id).media
    media.store.objects[details.storage_key] = (b"garbage", "image/jpeg")
    outcome = media.generator.generate(media_id)
    assert not outcome.succeeded and outcome.written == 0
    failed = media.library.get(media_id).media
    assert failed.status is MediaStatus.FAILED and failed.failure_reason


def test_moving_the_primary_keeps_exactly_one(media: Media) -> None:
    first, second = media.upload(fake_image(9, 9, "1")), media.upload(fake_image(9, 9, "2"))
    media.library.make_primary(second)
    assert media.primaries() == [second]
    media.library.make_primary(first)
    assert media.primaries() == [first]


def test_deleting_the_primary_promotes_the_oldest_remaining(media: Media) -> None:
    ids = [media.upload(fake_image(9, 9, str(n))) for n in range(3)]
    media.tasks.run_all(media.generator.generate)
    media.library.delete(ids[0])
    assert media.primaries() == [ids[1]]
    media.library.delete(ids[2])
    assert media.primaries() == [ids[1]]
    media.library.delete(ids[1])
    assert media.primaries() == [] and media.store.objects == {}


def test_a_deleted_file_queued_for_thumbnails_leaves_nothing_behind(media: Media) -> None:
    media_id = media.upload(fake_image(900, 900))
    media.library.delete(media_id)
    media.tasks.run_all(media.generator.generate)
    assert media.store.objects == {}


def test_a_delete_sends_the_original_and_its_thumbnails_in_one_call(media: Media) -> None:
    media_id = media.upload(fake_image(900, 900))
    media.tasks.run_all(media.generator.generate)
    calls: list[list[str]] = []
    delete_many = media.store.delete_many
    media.store.delete_many = lambda keys: calls.append(list(keys)) or delete_many(keys)  # type: ignore[method-assign]
    media.library.delete(media_id)
    assert len(calls) == 1 and len(calls[0]) == 4 and media.store.objects == {}


def test_objects_the_store_cannot_delete_are_logged_and_the_row_stays_deleted(
    media: Media, caplog: pytest.LogCaptureFixture
) -> None:
    media_id = media.upload(fake_image(900, 900))
    key = media.library.get(media_id).media.storage_key
    media.store.delete_many = lambda keys: {k: "AccessDenied: Access Denied" for k in keys}  # type: ignore[method-assign]
    media.library.delete(media_id)
    with pytest.raises(NotFound):
        media.library.get(media_id)
    assert f"could not delete object {key}" in caplog.text and "AccessDenied" in caplog.text


def test_pending_lists_all_or_only_what_is_not_ready(media: Media) -> None:
    done, waiting = media.upload(fake_image(9, 9, "done")), media.upload(fake_image(9, 9, "waiting"))
    media.tasks.sent.clear()
    media.generator.generate(done)
    assert media.generator.pending() == [done, waiting]
    assert media.generator.pending(missing_only=True) == [waiting]
    assert media.generator.pending(product_id=uuid.uuid4()) == []


def test_thumbnails_are_requested_for_a_stored_image_only(media: Media) -> None:
    media_id = media.upload(fake_image(900, 900))
    media.tasks.sent.clear()
    assert media.library.request_thumbnails(media_id, force=True).id == media_id
    assert media.tasks.requested == [(media_id, True)]
    with pytest.raises(NotFound):
        media.library.request_thumbnails(uuid.uuid4(), force=False)
    assert media.tasks.requested == [(media_id, True)]


def test_content_checks_the_signature_before_looking_anything_up(media: Media) -> None:
    media_id = media.upload(fake_image(900, 900))
    media.tasks.run_all(media.generator.generate)
    path = f"/api/v1/media/files/{media_id}/content"
    original = media.library.content(media_id, None, signed_path=path, expires="60", signature="ok")
    assert original.content_type == "image/jpeg" and original.seconds_left == 60 and original.data
    small = media.library.content(media_id, "small", signed_path=path, expires="60", signature="ok")
    assert small.content_type == "image/jpeg" and small.data != original.data
    with pytest.raises(PermissionDenied):
        media.library.content(uuid.uuid4(), None, signed_path=path, expires="60", signature="altered")
    with pytest.raises(NotFound, match="thumbnail size 'huge' does not exist"):
        media.library.content(media_id, "huge", signed_path=path, expires="60", signature="ok")


def test_content_of_a_thumbnail_not_generated_yet_is_not_found(media: Media) -> None:
    media_id = media.upload(fake_image(900, 900, "fresh"))
    with pytest.raises(NotFound, match="does not exist yet"):
        media.library.content(media_id, "large", signed_path="/x", expires="60", signature="ok")


def test_setting_is_primary_makes_the_image_primary_and_clearing_it_on_the_primary_is_refused(media: Media) -> None:
    first = media.upload(fake_image(1200, 800, "a"))
    second = media.upload(fake_image(1200, 800, "b"))
    assert media.library.set_primary(second, True).media.is_primary and media.primaries() == [second]
    commits = media.uow.commits
    assert not media.library.set_primary(first, False).media.is_primary  # already not primary: nothing changes
    with pytest.raises(PrimaryRequired) as refused:
        media.library.set_primary(second, False)
    assert refused.value.field == "is_primary" and "make another image primary" in refused.value.message
    assert media.primaries() == [second] and media.uow.commits == commits
