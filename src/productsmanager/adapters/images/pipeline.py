"""From an opened image to upright sRGB thumbnails: decode no more than needed, resample each pixel once.

The costs on a 6-megapixel JPEG (2 cores, pillow-simd): entropy decoding ~16 ms whatever the scale, the
inverse DCT and colour conversion ~4 ms more at full scale, one LANCZOS pass of the full image ~8 ms, each
following pass from the large thumbnail under 1 ms. Hence: a reduced-scale JPEG decode when it leaves
enough room for a proper filter, a cheap box reduction ahead of LANCZOS, and a cascade (medium from large,
small from medium) instead of three full-resolution resizes; colour management and rotation on the large
thumbnail rather than on the full image."""

from __future__ import annotations

import math

from PIL import Image

from productsmanager.adapters.images.colour import RESAMPLABLE, resamplable, to_srgb
from productsmanager.adapters.images.formats import JPEGS, SWAPS_SIDES, UPRIGHT, orientation
from productsmanager.domain.media import PlannedThumbnail, ThumbnailPolicy

# libjpeg's reduced-scale decode (1/2, 1/4, 1/8 in the DCT domain) is a poor downscaling filter on its own:
# stopping just above the target and LANCZOS-ing the last ~1.1x gave 34-38 dB against a full-resolution
# LANCZOS resize; a remaining factor of 2 still gave 40.3 dB at worst, 2.5 or more >= 45 dB (70 random
# photos). The margin is the price of quality: a 6 MP photo is decoded at full scale, 12 MP at half.
DRAFT_MARGIN = 2.5
# Image.resize(reducing_gap=...): an exact integer box reduction first while at least this factor remains
# for LANCZOS. 1.5 cuts the first pass from ~8 to ~5 ms on 6 MP; with the draft margin above the worst
# case measured over random sizes stayed above 42 dB (`benchmarks/thumbnails.py --sweep`).
REDUCING_GAP = 1.5
LANCZOS = Image.Resampling.LANCZOS
# Rows of an image that must change mode are converted this many bytes (at 4 bytes a pixel) at a time.
STRIP_BYTES = 4 * 1024 * 1024


def draft(image: Image.Image, policy: ThumbnailPolicy, sizes: list[str] | None = None) -> list[PlannedThumbnail]:
    """The plan of `sizes` for the image as stored, with a JPEG set to decode at the reduced scale that
    plan needs (nothing is decoded yet): the upload's check and the renderer decode the same way."""
    stored = policy.plan(*image.size, sizes)  # the plan is symmetric: planned on stored sides, swapped below
    if stored and image.format in JPEGS:
        first = stored[0]
        image.draft(image.mode, (math.ceil(first.width * DRAFT_MARGIN), math.ceil(first.height * DRAFT_MARGIN)))
    return stored


def render_images(image: Image.Image, stored: list[PlannedThumbnail]) -> list[tuple[PlannedThumbnail, Image.Image]]:
    """RGB sRGB images, largest first, as `stored` (from `draft`) planned them for the upright image;
    `image` fresh from `opened()`. The full-size pixels are not released here but when the caller closes
    the image, after the thumbnails' own allocations: Pillow then keeps the full-size blocks for the next
    decode (closing first measured 43 instead of 29 ms of CPU per 6 MP image, the blocks being reused,
    shrunk, for the small images and page-faulted afresh by the next decode)."""
    if not stored:
        return []
    image.load()
    turn = orientation(image)
    icc_profile = image.info.get("icc_profile")
    large = _shrink_full(image, (stored[0].width, stored[0].height))
    if large is image:  # a small image kept as it is: detach it from the file about to be closed
        large = large.copy()
    large = to_srgb(large, icc_profile)
    if turn in UPRIGHT:
        large = large.transpose(UPRIGHT[turn])
    upright = [PlannedThumbnail(p.size, p.height, p.width) if turn in SWAPS_SIDES else p for p in stored]
    results = [(upright[0], large)]
    current = large
    for step in upright[1:]:
        current = _shrink(current, (step.width, step.height), None)
        results.append((step, current))
    return results


def _shrink_full(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """What `resamplable(image).resize(size, LANCZOS, reducing_gap=REDUCING_GAP)` gives, without a
    full-size copy: the integer box reduction comes first, and an image that must change mode before
    resampling (alpha, palette, 16-bit...) changes it a strip of rows at a time, each strip reduced at
    once. Flattening alpha and changing mode act on each pixel alone, and the box reduction is an average
    over boxes the strips never split: the result is the same, pixel for pixel."""
    width, height = image.size
    factor = (int(width / size[0] / REDUCING_GAP) or 1, int(height / size[1] / REDUCING_GAP) or 1)
    if factor == (1, 1):
        return _shrink(resamplable(image), size, None)
    direct = image.mode in RESAMPLABLE and not image.has_transparency_data
    reduced = image.reduce(factor) if direct else _reduce_in_strips(image, factor)
    box = (0.0, 0.0, width / factor[0], height / factor[1])
    return reduced.resize(size, LANCZOS, box=box)


def _reduce_in_strips(image: Image.Image, factor: tuple[int, int]) -> Image.Image:
    width, height = image.size
    rows = max(1, STRIP_BYTES // (width * 4) // factor[1]) * factor[1]
    strips = (
        resamplable(image.crop((0, top, width, min(height, top + rows)))).reduce(factor)
        for top in range(0, height, rows)
    )
    first = next(strips)
    reduced = Image.new(first.mode, (-(-width // factor[0]), -(-height // factor[1])))
    reduced.paste(first, (0, 0))
    for index, strip in enumerate(strips, start=1):
        reduced.paste(strip, (0, index * rows // factor[1]))
    return reduced


def _shrink(image: Image.Image, size: tuple[int, int], reducing_gap: float | None) -> Image.Image:
    if image.size == size:
        return image
    return image.resize(size, LANCZOS, reducing_gap=reducing_gap)
