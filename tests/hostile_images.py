"""Hostile images made on the spot: pixel bombs (small files, huge declared or decoded sizes) in 16-bit,
palette and CMYK PNG/TIFF and the other accepted formats, decompression bombs, truncated files and polyglots.

Each case says how it must end: refused at upload (422, with the `reason` the problem names) or accepted
with its thumbnails `ready`. Shared by the tests and `benchmarks/hostile_images.py`, which measures each
file's peak memory in a fresh process. Files are built chunk by chunk (a 392 MB PNG bomb never exists
uncompressed here) and cached per process: the biggest take a second or two to compress.
"""

from __future__ import annotations

import functools
import io
import struct
import zlib
from collections.abc import Callable, Iterable, Iterator

from attrs import frozen
from PIL import Image, TiffImagePlugin

from tests.images import encode, photo

READY = "ready"


@frozen
class HostileImage:
    name: str
    what: str
    build: Callable[[], bytes]
    outcome: str  # READY, or the reason of the 422 the upload must answer

    @property
    def data(self) -> bytes:
        return _built(self.name)


# ---- PNG, written chunk by chunk -------------------------------------------------------------------------


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def deflated_zeros(length: int, block: int = 1 << 20) -> bytes:
    """A zlib stream of `length` zero bytes, made without compressing them all: after a full flush the
    compressor starts afresh, so every further block of zeros compresses to the same bytes, repeated here;
    the Adler-32 of n zeros is (n mod 65521) << 16 | 1."""
    compressor = zlib.compressobj(9)
    full, rest = divmod(length, block)
    zeros, parts = bytes(block), []
    if full:
        parts.append(compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH))
    if full > 1:
        parts.append((compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)) * (full - 1))
    parts.append(compressor.compress(bytes(rest)) + compressor.flush())
    stream = b"".join(parts)
    return stream[:-4] + struct.pack(">I", (length % 65521) << 16 | 1)


def png(
    width: int,
    height: int,
    colour_type: int,
    bit_depth: int,
    *,
    rows: int | None = None,
    palette: bytes = b"",
    before_data: bytes = b"",
    after: bytes = b"",
) -> bytes:
    """A PNG whose first `rows` rows (all of them by default) are zero bytes, deflated as a stream. With
    fewer rows than the header declares the file is truncated mid-image."""
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour_type]
    row_bytes = 1 + (width * channels * bit_depth + 7) // 8  # filter byte "none" and zero samples
    count = height if rows is None else rows
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    body = _chunk(b"IHDR", header)
    if palette:
        body += _chunk(b"PLTE", palette)
    body += before_data
    data = deflated_zeros(row_bytes * count)
    for start in range(0, len(data), 1 << 20):
        body += _chunk(b"IDAT", data[start : start + (1 << 20)])
    return b"\x89PNG\r\n\x1a\n" + body + _chunk(b"IEND", b"") + after


def _ztxt_bomb() -> bytes:
    """A 100x100 PNG with a zTXt chunk of 1 GB of zeros compressed to ~1 MB."""
    return png(100, 100, 2, 8, before_data=_chunk(b"zTXt", b"Comment\x00\x00" + deflated_zeros(1 << 30)))


def _idat_overflow() -> bytes:
    """100x100 declared, 1 GB of zeros in the image data: a decoder that kept inflating would fill memory."""
    header = _chunk(b"IHDR", struct.pack(">IIBBBBB", 100, 100, 8, 2, 0, 0, 0))
    return b"\x89PNG\r\n\x1a\n" + header + _chunk(b"IDAT", deflated_zeros(1 << 30)) + _chunk(b"IEND", b"")


# ---- TIFF: Pillow writes the real thing; big ones from a solid image -------------------------------------


def tiff(mode: str, size: tuple[int, int], compression: str, rows_per_strip: int | None = None) -> bytes:
    image = Image.new(mode, size)
    info = TiffImagePlugin.ImageFileDirectory_v2()
    if rows_per_strip is not None:
        info[278] = rows_per_strip
    buffer = io.BytesIO()
    options: dict[str, object] = {"compression": compression, "tiffinfo": info}
    if rows_per_strip is not None:
        options["strip_size"] = rows_per_strip * size[0] * len(image.getbands())
    image.save(buffer, "TIFF", **options)
    return buffer.getvalue()


def tiff_zeros(width: int, height: int, rows_per_strip: int, bits: tuple[int, ...], photometric: int) -> bytes:
    """A deflated TIFF of zero samples with one IFD and strips of `rows_per_strip` rows, written field by
    field (Pillow writes no 16-bit RGBA, and zero strips deflate alike: each is compressed once)."""
    row = width * sum(bits) // 8
    full, rest = divmod(height, rows_per_strip)
    same = deflated_zeros(row * rows_per_strip)
    strips = [same] * full + ([deflated_zeros(row * rest)] if rest else [])
    entries = [
        (256, 4, 1, width),
        (257, 4, 1, height),
        (258, 3, len(bits), -1),  # BitsPerSample (at an offset)
        (259, 3, 1, 8),  # Adobe deflate
        (262, 3, 1, photometric),  # 2 RGB, 5 separated (CMYK)
        (273, 4, len(strips), -2),  # StripOffsets
        (277, 3, 1, len(bits)),
        (278, 4, 1, rows_per_strip),
        (279, 4, len(strips), -3),  # StripByteCounts
        (284, 3, 1, 1),
    ]
    if photometric == 2 and len(bits) == 4:
        entries.append((338, 3, 1, 2))  # ExtraSamples: unassociated alpha
    bits_at = 8 + 2 + 12 * len(entries) + 4
    offsets_at = bits_at + 2 * len(bits)
    counts_at = offsets_at + 4 * len(strips)
    offsets, position = [], counts_at + 4 * len(strips)
    for strip in strips:
        offsets.append(position)
        position += len(strip)
    fields = {-1: bits_at, -2: offsets[0] if len(strips) == 1 else offsets_at}
    fields[-3] = len(strips[0]) if len(strips) == 1 else counts_at
    out = bytearray(b"II*\x00" + struct.pack("<IH", 8, len(entries)))
    for tag, kind, count, value in entries:
        value = fields.get(value, value)
        packed = struct.pack("<HH", value, 0) if kind == 3 and count == 1 else struct.pack("<I", value)
        out += struct.pack("<HHI", tag, kind, count) + packed
    out += struct.pack("<I", 0) + struct.pack(f"<{len(bits)}H", *bits)
    out += struct.pack(f"<{len(strips)}I", *offsets) + struct.pack(f"<{len(strips)}I", *map(len, strips))
    return bytes(out) + b"".join(strips)


def tiff_rgba16(width: int, height: int, rows_per_strip: int) -> bytes:
    return tiff_zeros(width, height, rows_per_strip, (16, 16, 16, 16), 2)


def tiff_cmyk(width: int, height: int, rows_per_strip: int) -> bytes:
    return tiff_zeros(width, height, rows_per_strip, (8, 8, 8, 8), 5)


# ---- the other formats --------------------------------------------------------------------------------------


def _declared(data: bytes, patches: Iterable[tuple[int, bytes]]) -> bytes:
    """`data` with its header fields at the given offsets replaced: huge declared sizes, tiny files."""
    out = bytearray(data)
    for offset, value in patches:
        out[offset : offset + len(value)] = value
    return bytes(out)


def _gif_bomb() -> bytes:
    small = encode(Image.new("P", (16, 16)), "GIF")
    screen = struct.pack("<HH", 65535, 65535)
    descriptor = small.index(b"\x2c")  # image descriptor: x, y, width, height
    return _declared(small, [(6, screen), (descriptor + 5, screen)])


def _bmp_bomb() -> bytes:
    small = encode(Image.new("RGB", (16, 16)), "BMP")
    return _declared(small, [(18, struct.pack("<ii", 60000, 60000))])


def bmp_rle8(width: int, height: int) -> bytes:
    """An 8-bit run-length encoded BMP of zeros: runs of 255 pixels, about 60 bytes a row."""
    runs, rest = divmod(width, 255)
    row = b"\xff\x00" * runs + (bytes([rest, 0]) if rest else b"") + b"\x00\x00"  # end of line
    pixels = row * height + b"\x00\x01"  # end of bitmap
    palette = b"".join(bytes([n, n, n, 0]) for n in range(256))
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 8, 1, len(pixels), 2835, 2835, 256, 0)
    offset = 14 + len(info) + len(palette)
    return b"BM" + struct.pack("<IHHI", offset + len(pixels), 0, 0, offset) + info + palette + pixels


def _jpeg_bomb() -> bytes:
    small = encode(Image.new("RGB", (16, 16)), "JPEG")
    sof = small.index(b"\xff\xc0")
    return _declared(small, [(sof + 5, struct.pack(">HH", 65000, 65000))])


def _progressive_cmyk_bomb() -> bytes:
    small = encode(Image.new("CMYK", (16, 16)), "JPEG", progressive=True)
    sof = small.index(b"\xff\xc2")
    return _declared(small, [(sof + 5, struct.pack(">HH", 6000, 6000))])


def _animated_gif() -> bytes:
    frames = [Image.new("P", (800, 800), n) for n in range(10)]
    return encode(frames[0], "GIF", save_all=True, append_images=frames[1:])


def _truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _photo_png() -> bytes:
    return encode(photo(600, 400, seed=7), "PNG")


def _zip() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.html", "<script>alert(document.domain)</script>")
    return buffer.getvalue()


HTML = b"<!doctype html><html><body><script>alert(document.domain)</script></body></html>"

CASES: tuple[HostileImage, ...] = (
    HostileImage(
        "png-rgba16-7000",
        "16-bit RGBA PNG 7000x7000 of zeros (~390 KB; decodes to 196 MB)",
        lambda: png(7000, 7000, 6, 16),
        READY,
    ),
    HostileImage("png-grey16-7000", "16-bit grey PNG 7000x7000", lambda: png(7000, 7000, 0, 16), READY),
    HostileImage(
        "png-palette-7000",
        "palette PNG 7000x7000 with a transparent entry",
        lambda: png(7000, 7000, 3, 8, palette=b"\x00\x00\x00" * 2, before_data=_chunk(b"tRNS", b"\x00")),
        READY,
    ),
    HostileImage(
        "png-rgba16-declared-60000",
        "16-bit RGBA PNG declaring 60000x60000",
        lambda: png(60000, 60000, 6, 16, rows=1),
        "too_many_pixels",
    ),
    HostileImage(
        "png-palette-declared-100000",
        "palette PNG declaring 100000x100000",
        lambda: png(100000, 100000, 3, 8, rows=1, palette=b"\x00\x00\x00"),
        "too_many_pixels",
    ),
    HostileImage("png-ztxt-bomb", "PNG with a zTXt chunk inflating to 1 GB", _ztxt_bomb, "undecodable"),
    HostileImage("png-idat-overflow", "100x100 PNG whose data inflates to 1 GB", _idat_overflow, READY),
    HostileImage("png-truncated", "a photo PNG cut in half", lambda: _truncated(_photo_png()), "undecodable"),
    HostileImage(
        "png-rgba16-truncated",
        "16-bit RGBA PNG 7000x7000 cut in half",
        lambda: _truncated(png(7000, 7000, 6, 16)),
        "undecodable",
    ),
    HostileImage(
        "png-rgba-50mp",
        "8-bit RGBA PNG 7071x7071, at the pixel limit (200 MB decoded)",
        lambda: png(7071, 7071, 6, 8),
        READY,
    ),
    HostileImage(
        "tiff-cmyk-7000-one-strip",
        "deflated CMYK TIFF 7000x7000 in one strip (196 MB frame + 196 MB strip)",
        lambda: tiff_cmyk(7000, 7000, 7000),
        "too_many_decoded_bytes",
    ),
    HostileImage(
        "tiff-cmyk-7000-strips",
        "deflated CMYK TIFF 7000x7000 in strips of 64 rows",
        lambda: tiff_cmyk(7000, 7000, 64),
        READY,
    ),
    HostileImage(
        "tiff-rgba16-7000-one-strip",
        "deflated 16-bit RGBA TIFF 7000x7000 in one strip (392 MB strip)",
        lambda: tiff_rgba16(7000, 7000, 7000),
        "too_many_decoded_bytes",
    ),
    HostileImage(
        "tiff-rgba16-7000-strips",
        "deflated 16-bit RGBA TIFF 7000x7000 in strips of 16 rows",
        lambda: tiff_rgba16(7000, 7000, 16),
        READY,
    ),
    HostileImage(
        "tiff-palette-7000", "LZW palette TIFF 7000x7000", lambda: tiff("P", (7000, 7000), "tiff_lzw", 256), READY
    ),
    HostileImage(
        "tiff-declared-100000",
        "CMYK TIFF declaring 100000x100000",
        lambda: _declared(tiff_cmyk(16, 16, 16), [(18, struct.pack("<I", 100000)), (30, struct.pack("<I", 100000))]),
        "too_many_pixels",
    ),
    HostileImage(
        "webp-4000",
        "lossless WebP 4000x4000 (libwebp and Pillow hold ~18 bytes a pixel)",
        lambda: encode(Image.new("RGB", (4000, 4000)), "WEBP", lossless=True),
        "too_many_decoded_bytes",
    ),
    HostileImage(
        "webp-3600",
        "lossless WebP 3600x3600, just under the decoded-byte limit",
        lambda: encode(Image.new("RGBA", (3600, 3600), (9, 9, 9, 9)), "WEBP", lossless=True),
        READY,
    ),
    HostileImage(
        "webp-2500",
        "lossless WebP 2500x2500",
        lambda: encode(Image.new("RGBA", (2500, 2500)), "WEBP", lossless=True),
        READY,
    ),
    HostileImage(
        "jpeg-cmyk-progressive-6000",
        "progressive CMYK JPEG declaring 6000x6000 (288 MB of DCT coefficients)",
        _progressive_cmyk_bomb,
        "too_many_decoded_bytes",
    ),
    HostileImage(
        "jpeg-progressive-7000",
        "progressive 4:2:0 JPEG 7000x7000 (147 MB of DCT coefficients)",
        lambda: encode(Image.new("RGB", (7000, 7000)), "JPEG", progressive=True, quality=50),
        READY,
    ),
    HostileImage("jpeg-declared-65000", "JPEG declaring 65000x65000", _jpeg_bomb, "too_many_pixels"),
    HostileImage("gif-declared-65535", "GIF declaring 65535x65535", _gif_bomb, "too_many_pixels"),
    HostileImage("gif-10-frames", "GIF of 10 frames of 800x800", _animated_gif, READY),
    HostileImage("bmp-rle8-7000", "run-length encoded BMP 7000x7000", lambda: bmp_rle8(7000, 7000), READY),
    HostileImage("bmp-declared-60000", "BMP declaring 60000x60000", _bmp_bomb, "too_many_pixels"),
    HostileImage(
        "jpeg-truncated",
        "a photo JPEG cut in half",
        lambda: _truncated(encode(photo(600, 400, seed=8), quality=90)),
        "undecodable",
    ),
    HostileImage(
        "polyglot-png-zip", "a valid PNG with a zip archive appended", lambda: _photo_png() + _zip(), "trailing_data"
    ),
    HostileImage(
        "polyglot-png-html", "a valid PNG with an HTML page appended", lambda: _photo_png() + HTML, "trailing_data"
    ),
    HostileImage("html-named-png", "an HTML page (uploaded as page.png)", lambda: HTML, "unsupported_format"),
    HostileImage(
        "svg-script",
        "an SVG with a script",
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>',
        "unsupported_format",
    ),
)
BY_NAME = {case.name: case for case in CASES}


@functools.cache
def _built(name: str) -> bytes:
    return BY_NAME[name].build()


def cases(names: Iterable[str] | None = None) -> Iterator[HostileImage]:
    for case in CASES:
        if names is None or case.name in names:
            yield case
