"""`GuardedImageDownloader` against a real HTTP server on loopback: redirects, the outbound guard on every hop,
the byte cap by header and by stream, the total time limit against slow drips, the slots per host; and the use
case storing a downloaded image through the production container, on both databases."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from productsmanager.adapters.http.downloader import GuardedImageDownloader
from productsmanager.adapters.http.host_slots import HostSlots
from productsmanager.adapters.http.outbound_guard import OutboundGuard
from productsmanager.application.media.download_ports import DownloadedImage, DownloadFailed, DownloadFailure
from productsmanager.domain.media_files import MediaSource, MediaStatus
from tests.integration.helpers import Backend
from tests.integration.image_server import ImageServer, image_server

pytestmark = pytest.mark.integration

LOOPBACK = OutboundGuard.allowing("127.0.0.1")  # what PM_OUTBOUND_ALLOW=127.0.0.1 builds
CAP = 64 * 1024
TIME_LIMIT = 0.6


@pytest.fixture(scope="module")
def server() -> Iterator[ImageServer]:
    with image_server() as running:
        yield running


@pytest.fixture
def downloader() -> GuardedImageDownloader:
    return GuardedImageDownloader(LOOPBACK, CAP, time_limit_seconds=TIME_LIMIT)


def refused(downloader: GuardedImageDownloader, url: str) -> DownloadFailed:
    with pytest.raises(DownloadFailed) as raised:
        downloader.download(url)
    assert raised.value.url == url  # the URL asked for, whichever hop failed
    return raised.value


def test_an_image_comes_back_whole_with_its_declared_type(
    server: ImageServer, downloader: GuardedImageDownloader
) -> None:
    image = downloader.download(server.url("/image"))
    assert image == DownloadedImage(server.image, "image/png", server.url("/image"))


def test_three_redirects_are_followed_relative_or_absolute(
    server: ImageServer, downloader: GuardedImageDownloader
) -> None:
    image = downloader.download(server.url("/hops/3"))
    assert image.data == server.image and image.final_url == server.url("/hops/0")


def test_a_fourth_redirect_is_refused(server: ImageServer, downloader: GuardedImageDownloader) -> None:
    server.paths.clear()
    assert refused(downloader, server.url("/hops/4")).reason == DownloadFailure.TOO_MANY_REDIRECTS
    assert server.paths == ["/hops/4", "/hops/3", "/hops/2", "/hops/1"]  # the fourth Location is never asked


def test_a_redirect_to_an_address_the_guard_refuses_is_not_followed(server: ImageServer) -> None:
    """The first hop's host is allowed by name; the redirect leads to 127.0.0.1, which this guard refuses."""
    by_name = GuardedImageDownloader(OutboundGuard.allowing("localhost"), CAP, time_limit_seconds=TIME_LIMIT)
    target = server.url("/image")
    first = f"http://localhost:{server.server_port}/redirect?to={target}"
    server.paths.clear()
    failure = refused(by_name, first)
    assert failure.reason == DownloadFailure.UNREACHABLE and failure.message == "could not connect to 127.0.0.1"
    assert "blocked by the outbound guard" in failure.detail
    assert server.paths == ["/redirect"]


def test_a_redirect_to_a_private_network_is_refused_before_any_packet(
    server: ImageServer, downloader: GuardedImageDownloader
) -> None:
    started = time.monotonic()
    failure = refused(downloader, server.url("/redirect?to=http://10.20.30.40/image"))
    assert failure.reason == DownloadFailure.UNREACHABLE and "10.20.30.40 (private)" in failure.detail
    assert time.monotonic() - started < TIME_LIMIT  # not a connection attempt that timed out


def test_a_guard_that_allows_nothing_private_refuses_loopback_saying_only_could_not_connect(
    server: ImageServer, caplog: pytest.LogCaptureFixture
) -> None:
    failure = refused(GuardedImageDownloader(OutboundGuard(), CAP), server.url("/image"))
    assert failure.reason == DownloadFailure.UNREACHABLE and failure.message == "could not connect to 127.0.0.1"
    assert "blocked by the outbound guard" in caplog.text  # the reason is for the log


def test_a_closed_port_is_unreachable(downloader: GuardedImageDownloader) -> None:
    with image_server() as stopped:
        url = stopped.url("/image")
    assert refused(downloader, url).reason == DownloadFailure.UNREACHABLE


def test_a_body_announced_over_the_cap_is_refused_without_reading_it(
    server: ImageServer, downloader: GuardedImageDownloader
) -> None:
    started = time.monotonic()
    failure = refused(downloader, server.url("/declared-large"))
    assert failure.reason == DownloadFailure.TOO_LARGE and "1,000,000,000 bytes announced" in failure.message
    assert time.monotonic() - started < TIME_LIMIT / 2


@pytest.mark.parametrize("chunked", ["0", "1"])
def test_a_body_without_length_is_counted_and_refused_past_the_cap(
    server: ImageServer, downloader: GuardedImageDownloader, chunked: str
) -> None:
    failure = refused(downloader, server.url(f"/streamed-large?chunked={chunked}"))
    assert failure.reason == DownloadFailure.TOO_LARGE and "more than 65,536 bytes received" in failure.message
    small = downloader.download(server.url(f"/streamed-large?chunked={chunked}&blocks=2"))  # 2 blocks fit
    assert len(small.data) == 2 * (len(server.image) + 4096)


def test_a_call_may_lower_the_cap_but_not_raise_it(server: ImageServer, downloader: GuardedImageDownloader) -> None:
    lower = len(server.image) - 1
    with pytest.raises(DownloadFailed, match=f"the limit is {lower} bytes"):
        downloader.download(server.url("/image"), max_bytes=lower)
    with pytest.raises(DownloadFailed, match="the limit is 65,536 bytes"):
        downloader.download(server.url("/streamed-large?chunked=1"), max_bytes=10 * CAP)


@pytest.mark.parametrize("where", ["body", "headers"])
def test_a_slow_drip_is_cut_at_the_total_time_limit(
    server: ImageServer, downloader: GuardedImageDownloader, where: str
) -> None:
    """Every byte comes well within any per-read timeout; only a limit on the whole download ends it."""
    started = time.monotonic()
    failure = refused(downloader, server.url(f"/drip?where={where}"))
    elapsed = time.monotonic() - started
    assert failure.reason == DownloadFailure.TIMEOUT and f"longer than {TIME_LIMIT:g} s" in failure.message
    assert TIME_LIMIT <= elapsed < TIME_LIMIT + 0.9


def test_an_error_status_is_refused_with_its_status(server: ImageServer, downloader: GuardedImageDownloader) -> None:
    failure = refused(downloader, server.url("/nothing-here.jpg"))
    assert failure.reason == DownloadFailure.HTTP_STATUS and "HTTP 404" in failure.message


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/image.png", "file:///etc/passwd", "gopher://127.0.0.1:70/"])
def test_other_schemes_are_refused_without_a_connection(downloader: GuardedImageDownloader, url: str) -> None:
    assert refused(downloader, url).reason == DownloadFailure.NOT_HTTP


def test_a_redirect_to_another_scheme_is_refused(server: ImageServer, downloader: GuardedImageDownloader) -> None:
    assert refused(downloader, server.url("/redirect?to=file:///etc/passwd")).reason == DownloadFailure.NOT_HTTP


def test_downloads_from_one_host_are_bounded_across_threads(server: ImageServer) -> None:
    shared = GuardedImageDownloader(LOOPBACK, CAP, time_limit_seconds=5, slots=HostSlots(per_host=2))
    server.busy_peak = 0
    results: list[bytes] = []
    threads = [
        threading.Thread(target=lambda: results.append(shared.download(server.url("/slow?seconds=0.15")).data))
        for _ in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert len(results) == 6 and server.busy_peak == 2


def test_a_downloaded_image_is_stored_like_an_upload(backend: Backend, server: ImageServer) -> None:
    """Through the production container: PM_OUTBOUND_ALLOW=127.0.0.1, Pillow's inspection, the real store,
    thumbnails made at once by the in-process queue."""
    container = backend.container
    product_id = container.product_editor().create("4006381333931", {"name": "Pen"})
    stored = container.media_uploader().upload_from_url(product_id, server.url("/hops/1"), MediaSource.EAN_LOOKUP)
    details = container.media_library().get(stored.media.id)
    media = details.media
    assert stored.created and media.source == MediaSource.EAN_LOOKUP and media.is_primary
    assert (media.content_type, media.width, media.height, media.original_file_name) == ("image/png", 32, 24, "0")
    assert container.media_store().get(media.storage_key) == server.image
    container.task_queue().drain(10)
    assert container.media_library().get(media.id).media.status == MediaStatus.READY
    again = container.media_uploader().upload_from_url(product_id, server.url("/image"), MediaSource.EAN_LOOKUP)
    assert not again.created and again.media.id == media.id


def test_a_page_instead_of_an_image_is_refused_as_not_an_image(backend: Backend, server: ImageServer) -> None:
    container = backend.container
    product_id = container.product_editor().create("4006381333931", {"name": "Pen"})
    with pytest.raises(DownloadFailed) as raised:
        container.media_uploader().upload_from_url(product_id, server.url("/page"), MediaSource.EAN_LOOKUP)
    assert raised.value.reason == DownloadFailure.NOT_AN_IMAGE and "text/html" in raised.value.detail
    assert container.media_library().for_product(product_id) == []
