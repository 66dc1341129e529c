"""Opening untrusted bytes as an image: by content only, in the accepted formats, size checked before decoding."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from attrs import frozen
from PIL import ExifTags, Image, UnidentifiedImageError

from productsmanager.domain.errors import ImageTooLarge, UnsupportedImage


@frozen
class Format:
    name: str  # as `ImageInfo.format` spells it
    content_type: str
    extension: str  # as `MediaKey` accepts it


# Pillow's format names. MPO is what Pillow calls a JPEG carrying a Multi-Picture (MPF) segment, as many
# phones and cameras write: it is opened by the JPEG plugin, so it is a JPEG for everyone else.
_JPEG = Format("jpeg", "image/jpeg", "jpg")
FORMATS: dict[str, Format] = {
    "JPEG": _JPEG,
    "MPO": _JPEG,
    "PNG": Format("png", "image/png", "png"),
    "WEBP": Format("webp", "image/webp", "webp"),
    "GIF": Format("gif", "image/gif", "gif"),
    "TIFF": Format("tiff", "image/tiff", "tif"),
    "BMP": Format("bmp", "image/bmp", "bmp"),
}
# Only these plugins may even look at the bytes: no guessing among Pillow's ~40 readers (EPS would run
# Ghostscript, some readers are lax), and never the file name or the client's content type.
PLUGINS = ("JPEG", "PNG", "WEBP", "GIF", "TIFF", "BMP")
JPEGS = ("JPEG", "MPO")

# What Pillow's decoders raise on corrupt or truncated data (zlib for PNG, struct for short headers).
DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, struct.error, zlib.error)

# EXIF orientation -> the transposition that shows the image upright (the table of ImageOps.exif_transpose).
UPRIGHT: dict[int, Image.Transpose] = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
SWAPS_SIDES = frozenset({5, 6, 7, 8})


@contextmanager
def opened(data: bytes, max_pixels: int) -> Iterator[Image.Image]:
    """The image with only its header read, refused before any pixel is decoded when it claims more than
    `max_pixels`; decoding errors raised inside the block become `UnsupportedImage("undecodable")`."""
    with refusing_bad_data():
        try:
            image = Image.open(io.BytesIO(data), formats=PLUGINS)
        except UnidentifiedImageError:
            raise UnsupportedImage(
                "the file is not a JPEG, PNG, WebP, GIF, TIFF or BMP image", reason="unsupported_format"
            ) from None
        with image:
            if image.format not in FORMATS:
                raise UnsupportedImage(f"{image.format} images are not accepted", reason="unsupported_format")
            if image.format == "PNG":
                _refuse_trailing_data(data)
            width, height = image.size
            if width * height > max_pixels:
                raise ImageTooLarge(
                    f"the image has {width}x{height} pixels; the limit is {max_pixels:,} pixels",
                    reason="too_many_pixels",
                )
            yield image


def _refuse_trailing_data(data: bytes) -> None:
    """A PNG ends with its IEND chunk. Bytes after it are no part of the picture but may be another file
    (a zip archive, an HTML page: a polyglot) that a sniffing client could be led to open: refused. A file
    whose chunks cannot be walked to IEND is left to the decoder, which refuses it as truncated."""
    position = 8
    while position + 8 <= len(data):
        (length,) = struct.unpack_from(">I", data, position)
        kind = data[position + 4 : position + 8]
        position += 12 + length
        if kind == b"IEND":
            if position < len(data):
                raise UnsupportedImage(
                    f"the PNG has {len(data) - position:,} bytes after its end (IEND): another file appended",
                    reason="trailing_data",
                )
            return


@contextmanager
def refusing_bad_data() -> Iterator[None]:
    try:
        yield
    except Image.DecompressionBombError as error:  # Pillow's own limit, met while reading the header
        raise ImageTooLarge(str(error), reason="too_many_pixels") from None
    except MemoryError:  # a decoder that asked for more than the estimate allowed for: refuse, don't crash
        raise ImageTooLarge("the image needs more memory to decode than is available", reason="out_of_memory") from None
    except DECODE_ERRORS as error:
        raise UnsupportedImage(f"the image cannot be decoded: {error}", reason="undecodable") from error


def orientation(image: Image.Image) -> int:
    """EXIF orientation (1 when absent or out of range). Call it after `load()`: for PNG it may decode."""
    try:
        value = image.getexif().get(ExifTags.Base.Orientation, 1)
    except DECODE_ERRORS:  # a broken EXIF block does not make the picture unreadable
        return 1
    return value if isinstance(value, int) and value in UPRIGHT else 1


def upright_size(width: int, height: int, turn: int) -> tuple[int, int]:
    """Size as displayed, after the EXIF orientation."""
    return (height, width) if turn in SWAPS_SIDES else (width, height)
