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

from productsmanager.adapters.images.colour import resamplable, to_srgb
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


def render_images(
    image: Image.Image, policy: ThumbnailPolicy, sizes: list[str] | None = None
) -> list[tuple[PlannedThumbnail, Image.Image]]:
    """RGB sRGB images, largest first, as planned for the upright image; `image` fresh from `opened()`."""
    stored = policy.plan(*image.size, sizes)  # the plan is symmetric: planned on stored sides, swapped below
    if not stored:
        return []
    if image.format in JPEGS:
        first = stored[0]
        image.draft(image.mode, (math.ceil(first.width * DRAFT_MARGIN), math.ceil(first.height * DRAFT_MARGIN)))
    image.load()
    turn = orientation(image)
    base = resamplable(image)
    large = _shrink(base, (stored[0].width, stored[0].height), REDUCING_GAP)
    large = to_srgb(large, image.info.get("icc_profile"))
    if turn in UPRIGHT:
        large = large.transpose(UPRIGHT[turn])
    if large is image:  # a small sRGB image kept as it is: detach it from the file about to be closed
        large = large.copy()
    upright = [PlannedThumbnail(p.size, p.height, p.width) if turn in SWAPS_SIDES else p for p in stored]
    results = [(upright[0], large)]
    current = large
    for step in upright[1:]:
        current = _shrink(current, (step.width, step.height), None)
        results.append((step, current))
    return results


def _shrink(image: Image.Image, size: tuple[int, int], reducing_gap: float | None) -> Image.Image:
    if image.size == size:
        return image
    return image.resize(size, LANCZOS, reducing_gap=reducing_gap)
