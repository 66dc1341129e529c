"""`Thumbnailer` on Pillow (pillow-simd): identifies uploads and renders the JPEG thumbnails of the policy."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from PIL import Image

from productsmanager.adapters.images.budget import DEFAULT_MAX_DECODED_BYTES, DecodingBudget
from productsmanager.adapters.images.formats import FORMATS, opened, orientation, upright_size
from productsmanager.adapters.images.pipeline import draft, render_images
from productsmanager.application.media.ports import ImageInfo, RenderedThumbnail
from productsmanager.domain.media import PlannedThumbnail, ThumbnailPolicy

DEFAULT_MAX_PIXELS = 50_000_000
# 4:4:4 chroma: at 150-300 px, halving the colour resolution smears coloured text and edges of packaging
# (q85 round trip of the small size: 36.5 dB at 4:4:4, 31 dB at 4:2:0) for ~25% more bytes than 4:2:0.
SUBSAMPLING_444 = 0
# Pillow hands every image's memory back to the system when it is freed (blocks_max 0): each full-size
# decode then page-faults its ~24 MB (6 MP, RGB) afresh, which measured a third of a 6 MP render (42 ms ->
# 28 ms). Keeping a few freed 16 MB blocks for reuse removes that; at most 64 MB stay with the process.
REUSED_BLOCKS = 4


class PillowThumbnailer:
    """Stateless and thread-safe: every call opens its own image.

    `inspect` decodes the whole image as the thumbnails will (a JPEG at their reduced scale: every byte of
    entropy-coded data is still read, so a truncated or corrupt file is caught), because a file that cannot
    be decoded, or would need more memory than `max_decoded_bytes` to decode, must be refused at upload,
    not discovered by the thumbnail worker. Dimensions are reported as displayed, i.e. after the EXIF
    orientation, like the thumbnails. Every decode reserves its estimated bytes in the instance's
    `DecodingBudget` (one per process in the container), so that threads decoding at once stay within it.
    """

    def __init__(
        self,
        policy: ThumbnailPolicy | None = None,
        max_pixels: int = DEFAULT_MAX_PIXELS,
        reused_blocks: int = REUSED_BLOCKS,
        max_decoded_bytes: int = DEFAULT_MAX_DECODED_BYTES,
    ) -> None:
        self._policy = policy or ThumbnailPolicy.standard()
        self._max_pixels = max_pixels
        self._budget = DecodingBudget(max_decoded_bytes)
        if Image.core.get_blocks_max() < reused_blocks:  # process-wide Pillow setting: only ever raised
            Image.core.set_blocks_max(reused_blocks)

    def inspect(self, data: bytes) -> ImageInfo:
        with opened(data, self._max_pixels) as image:
            kind = FORMATS[image.format or ""]
            width, height = full_size = image.size
            draft(image, self._policy)
            with self._budget.admit(image, data, full_size):
                image.load()
                width, height = upright_size(width, height, orientation(image))
        return ImageInfo(kind.name, kind.content_type, kind.extension, width, height)

    def render(self, data: bytes, sizes: Sequence[str], quality: int | None = None) -> list[RenderedThumbnail]:
        quality = self._policy.jpeg_quality if quality is None else quality
        with self._decoding(data, sizes) as (image, stored):
            # Encoded before the block ends: the thumbnails are freed before the full-size image, whose
            # memory blocks Pillow then keeps for the next decode (see `pipeline.render_images`).
            return [
                RenderedThumbnail(step.size, step.width, step.height, encode_jpeg(picture, quality))
                for step, picture in render_images(image, stored)
            ]

    def render_images(self, data: bytes, sizes: Sequence[str]) -> list[tuple[PlannedThumbnail, Image.Image]]:
        """The thumbnails' pixels before JPEG encoding: for quality measurements (tests, benchmark)."""
        with self._decoding(data, sizes) as (image, stored):
            return render_images(image, stored)

    @contextmanager
    def _decoding(self, data: bytes, sizes: Sequence[str]) -> Iterator[tuple[Image.Image, list[PlannedThumbnail]]]:
        """The opened image, drafted for the thumbnails of `sizes`, with its decoded bytes reserved."""
        with opened(data, self._max_pixels) as image:
            full_size = image.size
            stored = draft(image, self._policy, list(sizes))
            with self._budget.admit(image, data, full_size):
                yield image, stored


def encode_jpeg(image: Image.Image, quality: int) -> bytes:
    """Baseline JPEG without any metadata: no EXIF (GPS, camera serials), no ICC profile (the pixels are
    sRGB, what browsers assume), no comment. Not progressive and not Huffman-optimised: each would cost
    more encoding time than the ~10% of bytes it saves is worth on files this small."""
    buffer = io.BytesIO()
    image.save(
        buffer, "JPEG", quality=quality, subsampling=SUBSAMPLING_444, optimize=False, progressive=False, comment=b""
    )
    return buffer.getvalue()
