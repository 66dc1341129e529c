"""PillowThumbnailer: what it accepts (by content), what it refuses, and what its thumbnails look like."""

from __future__ import annotations

import io
import random
import struct
import zlib

import pytest
from PIL import ExifTags, Image, ImageCms

from productsmanager.adapters.images import PillowThumbnailer
from productsmanager.domain.errors import ImageTooLarge, UnsupportedImage
from productsmanager.domain.media import InvalidThumbnailSize, ThumbnailPolicy
from tests.images import decode, encode, photo, psnr, rgb_icc_profile

POLICY = ThumbnailPolicy.standard()
ALL = ["large", "medium", "small"]
LANCZOS = Image.Resampling.LANCZOS
thumbnailer = PillowThumbnailer()


def pixel(data: bytes, x: int, y: int) -> tuple[int, ...]:
    return decode(data).convert("RGB").getpixel((x, y))  # type: ignore[return-value]


def close(actual: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 4) -> bool:
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True))


@pytest.fixture(scope="module")
def six_megapixels() -> bytes:
    return encode(photo(3000, 2000, seed=42), quality=90)


@pytest.mark.parametrize(
    ("fmt", "options", "expected"),
    [
        ("JPEG", {"quality": 90}, ("jpeg", "image/jpeg", "jpg")),
        ("PNG", {}, ("png", "image/png", "png")),
        ("WEBP", {"quality": 80}, ("webp", "image/webp", "webp")),
        ("GIF", {}, ("gif", "image/gif", "gif")),
        ("TIFF", {"compression": "tiff_deflate"}, ("tiff", "image/tiff", "tif")),
        ("BMP", {}, ("bmp", "image/bmp", "bmp")),
        ("MPO", {"save_all": True, "append_images": [Image.new("RGB", (64, 48))]}, ("jpeg", "image/jpeg", "jpg")),
    ],
)
def test_each_accepted_format_is_identified_by_content(
    fmt: str, options: dict[str, object], expected: tuple[str, str, str]
) -> None:
    data = encode(photo(64, 48, seed=1, noise=0), fmt, **options)
    info = thumbnailer.inspect(data)
    assert (info.format, info.content_type, info.extension, info.width, info.height) == (*expected, 64, 48)
    assert [t.size for t in thumbnailer.render(data, ALL)] == ALL


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims a size and holds no pixel data: decoding it would fail, so a refusal for its size
    proves nothing was decoded."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IEND", b"")


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"name;price\nPen;1.20\n",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        random.Random(3).randbytes(4096),
        encode(Image.new("RGB", (16, 16)), "ICO"),  # Pillow reads it; we do not accept it
        encode(Image.new("RGB", (16, 16)), "PPM"),
        b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n",
    ],
    ids=["empty", "text", "svg", "pdf", "random", "ico", "ppm", "eps"],
)
def test_anything_else_is_refused(data: bytes) -> None:
    for call in (thumbnailer.inspect, lambda d: thumbnailer.render(d, ALL)):
        with pytest.raises(UnsupportedImage) as refused:
            call(data)
        assert refused.value.reason == "unsupported_format"


def test_a_truncated_jpeg_is_refused(six_megapixels: bytes) -> None:
    half = six_megapixels[: len(six_megapixels) // 2]
    for call in (thumbnailer.inspect, lambda d: thumbnailer.render(d, ALL)):
        with pytest.raises(UnsupportedImage) as refused:
            call(half)
        assert refused.value.reason == "undecodable"


def test_a_truncated_png_is_refused() -> None:
    data = encode(photo(200, 150, seed=2), "PNG")
    with pytest.raises(UnsupportedImage) as refused:
        thumbnailer.inspect(data[: len(data) * 2 // 3])
    assert refused.value.reason == "undecodable"


@pytest.mark.parametrize("side", [8_000, 100_000])  # over our limit; over Pillow's own bomb limit too
def test_a_pixel_bomb_is_refused_before_decoding(side: int) -> None:
    for call in (thumbnailer.inspect, lambda d: thumbnailer.render(d, ALL)):
        with pytest.raises(ImageTooLarge) as refused:
            call(_png_header_only(side, side))
        assert refused.value.reason == "too_many_pixels"


def test_the_pixel_limit_is_the_constructors() -> None:
    data = encode(photo(100, 80, seed=1), quality=90)
    with pytest.raises(ImageTooLarge):
        PillowThumbnailer(max_pixels=7_999).inspect(data)
    assert PillowThumbnailer(max_pixels=8_000).inspect(data).width == 100


def test_sizes_follow_the_policy_largest_first(six_megapixels: bytes) -> None:
    rendered = thumbnailer.render(six_megapixels, ["small", "large", "medium"])
    assert [(t.size, t.width, t.height) for t in rendered] == [tuple(p) for p in POLICY.plan(3000, 2000)]
    for thumbnail in rendered:
        assert decode(thumbnail.data).size == (thumbnail.width, thumbnail.height)
    assert [(t.size, t.width) for t in thumbnailer.render(six_megapixels, ["small"])] == [("small", 150)]
    with pytest.raises(InvalidThumbnailSize):
        thumbnailer.render(six_megapixels, ["huge"])


def test_quality_against_a_direct_full_resolution_lanczos_resize(six_megapixels: bytes) -> None:
    """The pipeline's pixels (draft, box reduction, cascade) within 40 dB of the ideal resize; and the
    JPEGs it writes within 40 dB of that ideal resize written by the same encoder."""
    full = decode(six_megapixels)
    pictures = thumbnailer.render_images(six_megapixels, ALL)
    files = thumbnailer.render(six_megapixels, ALL)
    for (step, picture), thumbnail in zip(pictures, files, strict=True):
        ideal = full.resize((step.width, step.height), LANCZOS)
        assert psnr(picture, ideal) >= 40, step
        ideal_file = encode(ideal, quality=POLICY.jpeg_quality, subsampling=0)
        assert psnr(decode(thumbnail.data), decode(ideal_file)) >= 40, step


def test_a_quality_given_with_the_request_replaces_the_policy_s() -> None:
    """What the settings' `media.thumbnail_jpeg_quality` reaches: the same pixels, written at that quality."""
    data = encode(photo(900, 600, seed=7), quality=95)
    default = thumbnailer.render(data, ["large"])[0].data
    assert thumbnailer.render(data, ["large"], POLICY.jpeg_quality)[0].data == default
    low = thumbnailer.render(data, ["large"], 30)[0].data
    assert decode(low).size == decode(default).size
    assert len(low) < len(default) * 0.7
    pixels = thumbnailer.render_images(data, ["large"])[0][1]
    assert psnr(decode(low), pixels) < psnr(decode(default), pixels)


def test_a_small_image_is_not_upscaled() -> None:
    data = encode(photo(100, 80, seed=5), quality=90)
    assert [(t.width, t.height) for t in thumbnailer.render(data, ALL)] == [(100, 80)] * 3


def test_exif_orientation_6_gives_a_portrait_thumbnail() -> None:
    stored = Image.new("RGB", (1200, 800), (0, 0, 255))
    stored.paste((255, 0, 0), (0, 0, 200, 200))  # top-left as stored: top-right once turned upright
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    data = encode(stored, quality=95, exif=exif)
    assert (thumbnailer.inspect(data).width, thumbnailer.inspect(data).height) == (800, 1200)
    large = thumbnailer.render(data, ALL)[0]
    assert (large.width, large.height) == (533, 800)
    assert close(pixel(large.data, 533 - 20, 20), (255, 0, 0), 12)
    assert close(pixel(large.data, 20, 20), (0, 0, 255), 12)


def test_no_metadata_is_kept() -> None:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Camera"
    exif[ExifTags.Base.Orientation] = 1
    exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (48.0, 51.0, 24.0)}
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(photo(900, 600, seed=6), quality=90, exif=exif, icc_profile=srgb, comment=b"secret")
    assert decode(data).getexif()  # the source has them
    for thumbnail in thumbnailer.render(data, ALL):
        out = decode(thumbnail.data)
        assert not out.getexif()
        assert not {"exif", "icc_profile", "comment", "xmp"} & set(out.info)
        assert [marker for marker, _ in out.applist] == ["APP0"]  # JFIF only
        assert out.mode == "RGB"


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_a_non_srgb_profile_is_converted_not_copied(fmt: str) -> None:
    adobe = rgb_icc_profile()
    colour = (100, 150, 50)
    data = encode(Image.new("RGB", (1000, 500), colour), fmt, icc_profile=adobe, quality=95)
    expected = ImageCms.profileToProfile(
        Image.new("RGB", (1, 1), colour),
        ImageCms.ImageCmsProfile(io.BytesIO(adobe)),
        ImageCms.createProfile("sRGB"),
        ImageCms.Intent.PERCEPTUAL,
    ).getpixel((0, 0))
    assert not close(expected, colour, 15)  # the test means something: Adobe RGB is not sRGB
    for thumbnail in thumbnailer.render(data, ALL):
        assert close(pixel(thumbnail.data, 10, 10), expected, 3)


def test_a_cmyk_jpeg_becomes_rgb() -> None:
    image = Image.new("CMYK", (400, 400), (0, 0, 0, 0))
    for i, ink in enumerate([(255, 0, 0, 0), (0, 255, 0, 0), (0, 0, 0, 255)]):
        image.paste(ink, (0, i * 130, 400, i * 130 + 120))
    data = encode(image, quality=95)  # Pillow writes Adobe's inverted CMYK, like Photoshop
    assert decode(data).mode == "CMYK"
    large = thumbnailer.render(data, ALL)[0].data
    assert close(pixel(large, 200, 60), (0, 255, 255), 8)
    assert close(pixel(large, 200, 190), (255, 0, 255), 8)
    assert close(pixel(large, 200, 320), (0, 0, 0), 8)
    assert close(pixel(large, 200, 395), (255, 255, 255), 8)


def test_a_palette_png_with_transparency_is_flattened_on_white() -> None:
    image = Image.new("P", (300, 300), 1)
    image.putpalette([200, 0, 0, 0, 0, 255] + [0] * 762)
    image.paste(0, (0, 0, 150, 300))
    data = encode(image, "PNG", transparency=1)  # index 1 (blue) is fully transparent
    small = thumbnailer.render(data, ["small"])[0].data
    assert close(pixel(small, 30, 75), (200, 0, 0))
    assert close(pixel(small, 120, 75), (255, 255, 255))


def test_alpha_is_flattened_on_white() -> None:
    image = Image.new("RGBA", (400, 200), (0, 0, 255, 0))  # hidden blue must not show
    image.paste((255, 0, 0, 128), (0, 0, 200, 200))
    large = thumbnailer.render(encode(image, "PNG"), ALL)[0].data
    assert close(pixel(large, 100, 100), (255, 127, 127), 6)
    assert close(pixel(large, 300, 100), (255, 255, 255))
    assert close(pixel(large, 210, 100), (255, 255, 255), 6)  # no blue fringe at the edge


def test_sixteen_bit_grey_is_scaled_not_clipped() -> None:
    image = Image.new("I;16", (300, 200), 128 * 257)
    image.paste(65535, (150, 0, 300, 200))
    data = encode(image, "PNG")
    assert decode(data).mode.startswith("I")
    large = thumbnailer.render(data, ALL)[0].data
    assert close(pixel(large, 50, 100), (128, 128, 128), 2)
    assert close(pixel(large, 250, 100), (255, 255, 255), 2)


def test_grey_jpegs_give_rgb_thumbnails() -> None:
    data = encode(photo(900, 600, seed=7).convert("L"), quality=90)
    assert decode(thumbnailer.render(data, ALL)[0].data).mode == "RGB"


@pytest.mark.parametrize("fmt", ["GIF", "WEBP"])
def test_animations_give_their_first_frame(fmt: str) -> None:
    frames = [Image.new("RGB", (200, 100), colour) for colour in ((255, 0, 0), (0, 0, 255))]
    data = encode(frames[0], fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)
    assert getattr(decode(data), "n_frames", 1) == 2
    assert close(pixel(thumbnailer.render(data, ["small"])[0].data, 50, 25), (255, 0, 0), 8)
