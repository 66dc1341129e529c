"""Decoded pixels to 8-bit sRGB: every mode an accepted file decodes to, alpha on white, embedded ICC profiles."""

from __future__ import annotations

import io
import threading

from PIL import Image, ImageCms

# What LANCZOS resamples directly and what an embedded profile can describe: everything else is brought
# to one of these at full size, before resampling (a palette cannot be resampled, alpha must be flattened
# first so that transparent pixels do not bleed their hidden colour into the edges).
RESAMPLABLE = frozenset({"RGB", "L", "CMYK"})
WHITE = 255
# 16-bit samples to 8-bit, rounded: Pillow's own I;16 -> L conversion clips everything above 255 to white.
_SIXTEEN_TO_EIGHT = [(value + 128) // 257 for value in range(65536)]
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
_LAB = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB"))
_MAX_CACHED = 16
_local = threading.local()


def resamplable(image: Image.Image) -> Image.Image:
    """L, RGB or CMYK pixels of the same size and colours (in the file's own colour space)."""
    mode = image.mode
    if mode.startswith("I;16"):
        image, mode = image.convert("I"), "I"
    if mode == "I":  # 16-bit grey (PNG, TIFF) as Pillow decodes it
        return image.point(_SIXTEEN_TO_EIGHT, "L")
    if mode == "LAB":  # TIFF CIELab; rare enough to build its transform each time
        return ImageCms.applyTransform(image, _transform(_LAB, "LAB"))  # type: ignore[return-value]
    if mode in ("F", "1"):
        return image.convert("L")
    if image.has_transparency_data:  # an alpha band, a transparent palette entry or colour (tRNS)
        return on_white(image)
    return image if mode in RESAMPLABLE else image.convert("RGB")  # P, YCbCr, RGBX...


def on_white(image: Image.Image) -> Image.Image:
    """Straight-alpha compositing over an opaque white background (thumbnails are JPEGs: no alpha)."""
    grey = image.mode in ("LA", "La")
    image = image.convert("LA" if grey else "RGBA")  # palettes, tRNS colours, premultiplied alpha
    base = "L" if grey else "RGB"
    canvas = Image.new(base, image.size, WHITE if grey else (WHITE, WHITE, WHITE))
    canvas.paste(image.convert(base), mask=image.getchannel("A"))
    return canvas


def to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """RGB in sRGB. With an embedded profile the colours are converted through it (littlecms, perceptual
    intent); a profile that cannot be read or does not match the pixels' mode is ignored, as browsers do."""
    if icc_profile:
        transform = _embedded_transform(icc_profile, image.mode)
        if transform is not None:
            return ImageCms.applyTransform(image, transform)  # type: ignore[return-value]
    return image if image.mode == "RGB" else image.convert("RGB")


def _embedded_transform(icc_profile: bytes, mode: str) -> ImageCms.ImageCmsTransform | None:
    """Built once per profile and thread: building costs more than applying it to a thumbnail, and
    photos of one source share a profile. Per thread, so that workers' threads never share a transform."""
    cache: dict[tuple[bytes, str], ImageCms.ImageCmsTransform | None] = _local.__dict__.setdefault("cache", {})
    key = (icc_profile, mode)
    if key not in cache:
        if len(cache) >= _MAX_CACHED:
            cache.clear()
        try:
            cache[key] = _transform(ImageCms.ImageCmsProfile(io.BytesIO(icc_profile)), mode)
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            cache[key] = None
    return cache[key]


def _transform(source: ImageCms.ImageCmsProfile, mode: str) -> ImageCms.ImageCmsTransform:
    return ImageCms.buildTransform(source, _SRGB, mode, "RGB", ImageCms.Intent.PERCEPTUAL)
