"""Images added from a URL (EAN lookup, Code2ASIN) against in-memory fakes: stored exactly like an upload,
judged by the same inspection, under the same byte limit."""

from __future__ import annotations

import uuid

import pytest

from productsmanager.application.catalog.product_editor import ProductEditor
from productsmanager.application.media.download_ports import DownloadFailed, DownloadFailure
from productsmanager.application.media.media_uploader import MediaUploader
from productsmanager.domain.errors import NotFound
from productsmanager.domain.media_files import MediaSource, MediaStatus
from productsmanager.domain.settings import MediaSettings
from tests.recording_task_queue import RecordingTaskQueue
from tests.unit.fakes import FakeClock, FakeUnitOfWork
from tests.unit.media_fakes import FakeImageDownloader, FakeMediaStore, FakeThumbnailer, fake_image
from tests.unit.settings_fakes import FixedSettings

FRONT = "https://images.example.com/products/front%20view.jpg?w=800"
BACK = "https://images.example.com/products/back.jpg"


class Downloads:
    def __init__(self) -> None:
        self.uow, self.clock = FakeUnitOfWork(), FakeClock()
        self.store, self.tasks, self.settings = FakeMediaStore(), RecordingTaskQueue(), FixedSettings()
        self.downloader = FakeImageDownloader()
        self.uploader = MediaUploader(
            self.uow, self.store, FakeThumbnailer(), self.tasks, self.clock, self.settings, 1000, None, self.downloader
        )
        self.product_id = ProductEditor(self.uow, self.clock, FixedSettings()).create("4006381333931", {"name": "Pen"})


@pytest.fixture
def downloads() -> Downloads:
    return Downloads()


def test_an_image_from_a_url_is_stored_like_an_upload_under_its_source(downloads: Downloads) -> None:
    downloads.downloader.pages[FRONT] = (fake_image(800, 600, "front"), "image/jpeg")
    stored = downloads.uploader.upload_from_url(downloads.product_id, FRONT, MediaSource.EAN_LOOKUP)
    media = stored.media
    shard = str(downloads.product_id)[:2]
    assert stored.created and media.source == MediaSource.EAN_LOOKUP and media.is_primary
    assert media.storage_key == f"products/{shard}/{downloads.product_id}/{media.sha256}.jpg"
    assert (media.width, media.height, media.status) == (800, 600, MediaStatus.PENDING)
    assert media.original_file_name == "front view.jpg"  # the URL's last segment, decoded, for display
    assert downloads.tasks.args_of("generate_thumbnails") == [(media.id, False)]
    assert downloads.uow.committed.media[media.id] == media


def test_the_same_picture_from_another_url_is_the_stored_file_not_a_copy(downloads: Downloads) -> None:
    picture = fake_image(800, 600, "front")
    downloads.downloader.pages |= {FRONT: (picture, "image/jpeg"), BACK: (picture, "image/jpeg")}
    first = downloads.uploader.upload_from_url(downloads.product_id, FRONT, MediaSource.EAN_LOOKUP)
    again = downloads.uploader.upload_from_url(downloads.product_id, BACK, MediaSource.CODE2ASIN)
    assert not again.created and again.media.id == first.media.id
    assert len(downloads.store.objects) == 1 and len(downloads.tasks.args_of("generate_thumbnails")) == 1


def test_a_later_image_is_not_primary(downloads: Downloads) -> None:
    downloads.downloader.pages |= {FRONT: (fake_image(8, 6, "a"), "image/jpeg"), BACK: (fake_image(8, 6, "b"), "")}
    first = downloads.uploader.upload_from_url(downloads.product_id, FRONT, MediaSource.EAN_LOOKUP)
    second = downloads.uploader.upload_from_url(downloads.product_id, BACK, MediaSource.EAN_LOOKUP)
    assert first.media.is_primary and not second.media.is_primary


def test_bytes_that_are_no_image_are_refused_as_not_an_image_and_nothing_is_stored(downloads: Downloads) -> None:
    downloads.downloader.pages[FRONT] = (b"<!doctype html><title>Not found</title>", "text/html")
    with pytest.raises(DownloadFailed) as raised:
        downloads.uploader.upload_from_url(downloads.product_id, FRONT, MediaSource.EAN_LOOKUP)
    assert raised.value.reason == DownloadFailure.NOT_AN_IMAGE and raised.value.url == FRONT
    assert "text/html" in raised.value.detail
    assert downloads.store.objects == {} and downloads.uow.committed.media == {}


def test_the_download_stops_at_the_upload_limit_of_the_settings_capped_by_the_ceiling(downloads: Downloads) -> None:
    downloads.downloader.pages[FRONT] = (fake_image(8, 6) + b"x" * 600, "image/jpeg")
    downloads.settings.current = downloads.settings.current.with_section(MediaSettings(max_upload_bytes=500))
    with pytest.raises(DownloadFailed) as raised:
        downloads.uploader.upload_from_url(downloads.product_id, FRONT, MediaSource.EAN_LOOKUP)
    assert raised.value.reason == DownloadFailure.TOO_LARGE
    downloads.settings.current = downloads.settings.current.with_section(MediaSettings(max_upload_bytes=10_000))
    downloads.uploader.upload_from_url(downloads.product_id, FRONT, MediaSource.EAN_LOOKUP)
    assert [cap for _url, cap in downloads.downloader.calls] == [500, 1000]


def test_a_failed_download_reaches_the_caller_and_stores_nothing(downloads: Downloads) -> None:
    with pytest.raises(DownloadFailed) as raised:
        downloads.uploader.upload_from_url(downloads.product_id, BACK, MediaSource.CODE2ASIN)
    assert raised.value.reason == DownloadFailure.UNREACHABLE and downloads.store.objects == {}


def test_nothing_is_downloaded_for_a_product_that_does_not_exist(downloads: Downloads) -> None:
    downloads.downloader.pages[FRONT] = (fake_image(8, 6), "image/jpeg")
    with pytest.raises(NotFound):
        downloads.uploader.upload_from_url(uuid.uuid4(), FRONT, MediaSource.EAN_LOOKUP)
    assert downloads.downloader.calls == []


def test_an_uploader_built_without_a_downloader_says_so() -> None:
    plain = Downloads()
    uploader = MediaUploader(
        plain.uow, plain.store, FakeThumbnailer(), plain.tasks, plain.clock, plain.settings, max_bytes=1000
    )
    with pytest.raises(TypeError, match="ImageDownloader"):
        uploader.upload_from_url(plain.product_id, FRONT, MediaSource.EAN_LOOKUP)
