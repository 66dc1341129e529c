"""Decoding within a memory budget: the decoded-byte estimate, its refusal at upload, the process-wide
reservation, the strip-wise pipeline (the same pixels as a full-size conversion) and the hostile corpus."""

from __future__ import annotations

import io
import random
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageFile

from productsmanager.adapters.images import PillowThumbnailer, pipeline
from productsmanager.adapters.images.budget import (
    DEFAULT_MAX_DECODED_BYTES,
    DecodingBudget,
    _jpeg_frame,
    bytes_per_pixel,
    decoded_bytes,
)
from productsmanager.adapters.images.colour import resamplable
from productsmanager.domain.errors import ImageTooLarge, UnsupportedImage
from productsmanager.domain.media import ThumbnailPolicy
from tests.hostile_images import READY, HostileImage, bmp_rle8, cases, png, tiff_rgba16
from tests.images import encode, photo

ALL = ["large", "medium", "small"]
# Refused from the header (or after a cheap partial decode): fast enough for every run.
REFUSED = [case for case in cases() if case.outcome != READY]
# Accepted but big to decode (7000x7000 and the like): their memory is measured in a child process by
# tests/integration/test_thumbnail_memory.py and benchmarks/hostile_images.py; here only the estimate.
BIG = [case for case in cases() if case.outcome == READY]


@pytest.mark.parametrize("case", REFUSED, ids=lambda c: c.name)
def test_each_hostile_file_is_refused_at_upload_with_its_reason(case: HostileImage) -> None:
    thumbnailer = PillowThumbnailer()
    with pytest.raises((ImageTooLarge, UnsupportedImage)) as refused:
        thumbnailer.inspect(case.data)
    assert refused.value.reason == case.outcome


@pytest.mark.parametrize("case", BIG, ids=lambda c: c.name)
def test_each_accepted_hostile_file_fits_the_decoded_byte_limit(case: HostileImage) -> None:
    data = case.data
    with Image.open(io.BytesIO(data)) as image:
        full_size = image.size
        pipeline.draft(image, ThumbnailPolicy.standard())
        assert 0 < decoded_bytes(image, data, full_size) <= DEFAULT_MAX_DECODED_BYTES


def test_a_16_bit_rgba_png_is_budgeted_by_its_decoded_bytes_not_its_pixels() -> None:
    """7000x7000 is under the pixel limit; 4 bytes a pixel decoded is over a 150 MB budget."""
    data = png(7000, 7000, 6, 16, rows=1)
    with pytest.raises(ImageTooLarge) as refused:
        PillowThumbnailer(max_decoded_bytes=150_000_000).inspect(data)
    assert refused.value.reason == "too_many_decoded_bytes" and "196,000,000 bytes" in refused.value.message


def test_the_thumbnails_of_an_image_over_the_budget_fail_with_the_reason() -> None:
    """An image stored under a larger limit (or before there was one): the renderer refuses it too."""
    data = encode(photo(400, 300), "PNG")
    with pytest.raises(ImageTooLarge) as refused:
        PillowThumbnailer(max_decoded_bytes=400 * 300 * 4 - 1).render(data, ALL)
    assert refused.value.reason == "too_many_decoded_bytes"
    assert len(PillowThumbnailer(max_decoded_bytes=400 * 300 * 4).render(data, ALL)) == 3


def test_a_tiff_strip_counts_at_its_raw_depth() -> None:
    one_strip, strips = tiff_rgba16(100, 100, 100), tiff_rgba16(100, 100, 10)
    for data, strip_rows in ((one_strip, 100), (strips, 10)):
        with Image.open(io.BytesIO(data)) as image:
            assert decoded_bytes(image, data, image.size) == 100 * 100 * 4 + 100 * strip_rows * 8


def test_a_run_length_encoded_bmp_counts_the_decoder_s_copies() -> None:
    data = bmp_rle8(300, 20)
    with Image.open(io.BytesIO(data)) as image:
        assert image.mode in ("L", "P") and decoded_bytes(image, data, image.size) == 300 * 20 * 3
        image.load()
        assert image.getpixel((299, 19)) == 0


def test_a_webp_counts_the_decoder_s_canvases() -> None:
    data = encode(Image.new("RGB", (50, 40)), "WEBP", lossless=True)
    with Image.open(io.BytesIO(data)) as image:
        assert decoded_bytes(image, data, image.size) == 50 * 40 * (4 + 16)


@given(
    width=st.integers(1, 300),
    height=st.integers(1, 300),
    mode=st.sampled_from(["L", "RGB", "CMYK"]),
    subsampling=st.sampled_from([0, 1, 2]),
    progressive=st.booleans(),
)
@settings(max_examples=60, deadline=None)
def test_a_jpeg_with_more_than_one_scan_counts_its_coefficients(
    width: int, height: int, mode: str, subsampling: int, progressive: bool
) -> None:
    data = encode(Image.new(mode, (width, height)), "JPEG", subsampling=subsampling, progressive=progressive)
    frame = _jpeg_frame(data)
    assert frame is not None
    assert frame[0] is progressive and len(frame[1]) == len(mode)
    with Image.open(io.BytesIO(data)) as image:
        extra = decoded_bytes(image, data, image.size) - width * height * bytes_per_pixel(image.mode)
    if not progressive:
        assert extra == 0  # one interleaved scan: decoded a block row at a time
    else:
        h_max, v_max = max(h for h, _ in frame[1]), max(v for _, v in frame[1])
        samples = sum(width * height * h * v / (h_max * v_max) for h, v in frame[1])
        assert extra >= 2 * samples


@given(
    width=st.integers(1, 260),
    height=st.integers(1, 260),
    target=st.integers(1, 80),
    mode=st.sampled_from(["RGBA", "LA", "P", "P-tRNS", "PA", "RGB-tRNS", "I;16", "I", "1", "RGB", "L", "CMYK"]),
    strip_bytes=st.integers(1, 20_000),
    seed=st.integers(0, 2**16),
)
@settings(max_examples=60, deadline=None)
def test_shrinking_in_strips_gives_the_full_size_conversion_s_pixels(
    width: int, height: int, target: int, mode: str, strip_bytes: int, seed: int
) -> None:
    image = Image.frombytes("RGBA", (width, height), random.Random(seed).randbytes(width * height * 4))
    base, _, transparent = mode.partition("-")
    if base == "I;16":
        image = image.convert("L").convert("I").point(lambda v: v * 257).convert("I;16")
    else:
        image = image.convert(base)
    if transparent:  # a transparent palette entry or RGB colour (PNG tRNS)
        image.info["transparency"] = image.getpixel((0, 0))
    size = (max(1, width * target // 100), max(1, height * target // 100))
    expected = resamplable(image).resize(size, pipeline.LANCZOS, reducing_gap=pipeline.REDUCING_GAP)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pipeline, "STRIP_BYTES", strip_bytes)  # many strips, of any height
        assert pipeline._shrink_full(image, size).tobytes() == expected.tobytes()


def test_threads_decoding_at_once_stay_within_the_process_budget() -> None:
    """The second image waits until the first one's pixels are gone, rather than doubling the peak."""
    data = encode(photo(300, 200), "PNG")
    budget = DecodingBudget(300 * 200 * 4 * 3 // 2)  # room for one, not two
    with Image.open(io.BytesIO(data)) as first, Image.open(io.BytesIO(data)) as second:
        entered, release = threading.Event(), threading.Event()

        def hold() -> None:
            with budget.admit(first, data, first.size):
                entered.set()
                release.wait(5)

        holder = threading.Thread(target=hold)
        holder.start()
        assert entered.wait(5)
        admitted = threading.Event()

        def wait_for_room() -> None:
            with budget.admit(second, data, second.size):
                admitted.set()

        waiter = threading.Thread(target=wait_for_room)
        waiter.start()
        assert not admitted.wait(0.2)
        release.set()
        assert admitted.wait(5)
        holder.join(5)
        waiter.join(5)


def test_a_decoder_running_out_of_memory_refuses_the_image_instead_of_failing(monkeypatch: pytest.MonkeyPatch) -> None:
    data = encode(photo(60, 40), "PNG")

    def exhausted(self: Image.Image) -> None:
        raise MemoryError

    monkeypatch.setattr(Image.Image, "load", exhausted)
    monkeypatch.setattr(ImageFile.ImageFile, "load", exhausted)
    with pytest.raises(ImageTooLarge) as refused:
        PillowThumbnailer().inspect(data)
    assert refused.value.reason == "out_of_memory"
