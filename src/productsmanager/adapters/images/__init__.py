"""Image adapters: `PillowThumbnailer` (pillow-simd with libjpeg-turbo, libwebp, libtiff and littlecms2)."""

from productsmanager.adapters.images.pillow_thumbnailer import PillowThumbnailer

__all__ = ["PillowThumbnailer"]
