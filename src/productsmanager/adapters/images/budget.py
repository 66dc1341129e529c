"""Decoded bytes: what decoding an image holds in memory, estimated from its header before any pixel is
decoded, refused over a limit, and reserved process-wide while the pixels exist.

A pixel count alone does not bound memory: a 400 KB 16-bit RGBA PNG of 7000x7000 is 49 MP (under the pixel
limit) but decodes to 196 MB, and the decoders hold more than the picture itself for some files. What each
accepted format holds at its peak, beyond the frame (width x height x Pillow's bytes per pixel of the mode
it decodes to, after a JPEG's reduced-scale draft):

- WebP: libwebp's animation decoder (Pillow's only WebP reader, still images included) keeps two RGBA
  canvases, hands Pillow a copy of one, and a lossless frame is first decoded to its own ARGB buffer.
- TIFF read by libtiff (every compressed TIFF): one strip or tile at its raw depth (a 16-bit RGBA strip is
  8 bytes a pixel), and Pillow reads YCbCr and old-style JPEG strips as RGBA.
- BMP run-length encoded (RLE8, RLE4): Pillow's decoder gathers the whole image in a byte array, 1 byte a
  pixel, and copies it once more before handing it over.
- JPEG with more than one scan (progressive, or components in separate scans): libjpeg keeps every DCT
  coefficient of the full-size image, 2 bytes per sample of each component as sampled, whatever the draft.

The thumbnail pipeline itself adds a bounded amount on top (strips of a few MB, a reduced image of at most
2400x2400): the limit leaves room for it under the process's 400 MB peak.
"""

from __future__ import annotations

import math
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from PIL import Image

from productsmanager.domain.errors import ImageTooLarge

DEFAULT_MAX_DECODED_BYTES = 256 * 1024 * 1024
# Pillow's storage per pixel: 1 byte for bilevel, grey and palette, 2 for 16-bit grey, 4 for every other mode
# (RGB is stored as RGBX; a 16-bit RGBA PNG decodes to 8-bit RGBA).
_ONE_BYTE = frozenset({"1", "L", "P"})
_TWO_BYTES = frozenset({"I;16", "I;16L", "I;16B", "I;16N"})
_WEBP_EXTRA_BYTES_PER_PIXEL = 16  # two canvases, the copy handed to Pillow, a lossless ARGB buffer
# TIFF tags
_COMPRESSION, _BITS, _SAMPLES, _ROWS_PER_STRIP, _TILE_WIDTH, _TILE_LENGTH = 259, 258, 277, 278, 322, 323
_BMP_RLE = (1, 2)  # BI_RLE8, BI_RLE4
_PROGRESSIVE_SOF = frozenset({0xC2, 0xC6, 0xCA, 0xCE})
_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def bytes_per_pixel(mode: str) -> int:
    return 1 if mode in _ONE_BYTE else 2 if mode in _TWO_BYTES else 4


def decoded_bytes(image: Image.Image, data: bytes, full_size: tuple[int, int]) -> int:
    """The peak bytes decoding `image` (opened from `data`, any draft already requested) will hold."""
    width, height = image.size
    frame = width * height * bytes_per_pixel(image.mode)
    pixels = full_size[0] * full_size[1]
    if image.format == "WEBP":
        return frame + pixels * _WEBP_EXTRA_BYTES_PER_PIXEL
    if image.format == "TIFF":
        return frame + _tiff_block_bytes(image)
    if image.format in ("JPEG", "MPO"):
        return frame + _jpeg_coefficient_bytes(data, full_size)
    if image.format == "BMP" and image.info.get("compression") in _BMP_RLE:
        return frame + 2 * pixels
    return frame


def _tiff_block_bytes(image: Image.Image) -> int:
    tags = getattr(image, "tag_v2", {})
    if tags.get(_COMPRESSION, 1) == 1:  # uncompressed: Pillow reads it line by line itself
        return 0
    width, height = image.size
    bits = tags.get(_BITS, (1,))
    bits = bits if isinstance(bits, tuple) else (bits,)
    samples = int(tags.get(_SAMPLES, len(bits)))
    raw = math.ceil(max(sum(bits), int(bits[0]) * samples) / 8)
    per_pixel = max(raw, 4)
    if _TILE_WIDTH in tags and _TILE_LENGTH in tags:
        return int(tags[_TILE_WIDTH]) * int(tags[_TILE_LENGTH]) * per_pixel
    rows = min(int(_first(tags.get(_ROWS_PER_STRIP, height))), height)
    return width * max(rows, 1) * per_pixel


def _first(value: object) -> int:
    return int(value[0] if isinstance(value, tuple) else value)  # type: ignore[arg-type, index]


def _jpeg_coefficient_bytes(data: bytes, full_size: tuple[int, int]) -> int:
    """libjpeg's whole-image coefficient buffer, when the file has more than one scan; 0 otherwise."""
    frame = _jpeg_frame(data)
    if frame is None:
        return 0
    progressive, sampling, scan_components = frame
    if not progressive and scan_components >= len(sampling):
        return 0  # one interleaved baseline scan: decoded one block row at a time
    width, height = full_size
    h_max, v_max = max(h for h, _ in sampling), max(v for _, v in sampling)
    total = 0
    for h, v in sampling:
        blocks_wide = math.ceil(math.ceil(width * h / h_max) / 8)
        blocks_high = math.ceil(math.ceil(height * v / v_max) / 8)
        total += (blocks_wide + h) * (blocks_high + v) * 64 * 2  # padded to whole MCUs
    return total


def _jpeg_frame(data: bytes) -> tuple[bool, list[tuple[int, int]], int] | None:
    """(progressive, each component's sampling, components in the first scan) from the markers before the
    first scan; None when they cannot be read (the decoder then refuses the file anyway)."""
    position, sampling, progressive = 2, list[tuple[int, int]](), False
    try:
        while position + 4 <= len(data):
            if data[position] != 0xFF:
                return None
            marker = data[position + 1]
            if marker == 0xFF:  # fill byte
                position += 1
                continue
            (length,) = struct.unpack_from(">H", data, position + 2)
            if marker in _SOF:
                progressive = marker in _PROGRESSIVE_SOF
                count = data[position + 9]
                components = data[position + 10 : position + 10 + 3 * count]
                sampling = [(max(1, b >> 4), max(1, b & 15)) for b in components[1::3]]
            elif marker == 0xDA:
                return (progressive, sampling, data[position + 4]) if sampling else None
            position += 2 + length
    except (IndexError, struct.error):
        return None
    return None


class DecodingBudget:
    """The decoded-byte limit of one process. `admit` refuses an image whose estimate is over the limit and
    otherwise waits until the images being decoded by other threads leave room for it, so that threads
    decoding at once never hold more than the limit between them."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_DECODED_BYTES) -> None:
        self.max_bytes = max_bytes
        self._used = 0
        self._room = threading.Condition()

    def check(self, image: Image.Image, data: bytes, full_size: tuple[int, int]) -> int:
        needed = decoded_bytes(image, data, full_size)
        if needed > self.max_bytes:
            width, height = full_size
            raise ImageTooLarge(
                f"the {width}x{height} {image.format} image ({image.mode}) needs {needed:,} bytes to decode;"
                f" the limit is {self.max_bytes:,} bytes",
                reason="too_many_decoded_bytes",
            )
        return needed

    @contextmanager
    def admit(self, image: Image.Image, data: bytes, full_size: tuple[int, int]) -> Iterator[None]:
        needed = self.check(image, data, full_size)
        with self._room:
            self._room.wait_for(lambda: self._used + needed <= self.max_bytes)
            self._used += needed
        try:
            yield
        finally:
            with self._room:
                self._used -= needed
                self._room.notify_all()
