"""What a provider says, made safe to keep: the shared rules every adapter's mapping follows. Pure functions.

A provider's text is third-party input that ends up in product values: it is trimmed, blank is absent, control
characters and lone surrogates (valid in JSON, not storable as UTF-8) are dropped, single-line fields have their
whitespace runs folded to one space, and each field is clipped to the bound the catalog holds. Image URLs are
fetched by the server later, so only absolute http(s) URLs with a host and no whitespace are kept, each once.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit

from productsmanager.domain.catalog import BRAND_MAX, CATEGORY_MAX, DESCRIPTION_MAX, NAME_MAX
from productsmanager.domain.enrichment.providers import EanProduct, ProviderName
from productsmanager.domain.errors import InvalidValue
from productsmanager.domain.gtin import Gtin
from productsmanager.domain.values import Asin

IMAGE_URL_MAX = 2048
MAX_IMAGES = 10
SEARCH_TEXT_MAX = 200
_WHITESPACE = re.compile(r"\s+")
_DROPPED = {"Cc", "Cs", "Co", "Cn"}  # controls, surrogates, private use, unassigned


def clean_text(raw: Any, limit: int, *, multiline: bool = False) -> str | None:
    """`raw` as storable text of at most `limit` characters, or None (not a string, or nothing left)."""
    if not isinstance(raw, str):
        return None
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    kept = "\n\t" if multiline else ""
    text = "".join(c if c in kept or unicodedata.category(c) not in _DROPPED else " " for c in text)
    if multiline:
        text = "\n".join(line.strip() for line in text.split("\n"))
        text = re.sub(r"\n{3,}", "\n\n", text)
    else:
        text = _WHITESPACE.sub(" ", text)
    text = text.strip()[:limit].strip()
    return text or None


def clean_image_urls(raw: Any) -> tuple[str, ...]:
    """The http(s) image URLs in `raw` (one URL or a list of them), in the provider's order, each once."""
    candidates = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
    urls: list[str] = []
    for candidate in candidates:
        url = image_url(candidate)
        if url is not None and url not in urls:
            urls.append(url)
            if len(urls) == MAX_IMAGES:
                break
    return tuple(urls)


def image_url(raw: Any) -> str | None:
    if not isinstance(raw, str):
        return None
    url = raw.strip()
    if not url or len(url) > IMAGE_URL_MAX or not url.isascii() or any(c.isspace() or not c.isprintable() for c in url):
        return None
    try:
        parts = urlsplit(url)
        well_formed = parts.scheme.lower() in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:  # an unbalanced IPv6 bracket, a port that is no number
        return None
    return url if well_formed else None


def clean_asin(raw: Any) -> str | None:
    if not isinstance(raw, str) or not raw.strip():
        return None
    try:
        return Asin.parse(raw).value
    except InvalidValue:
        return None


def gtin_of(raw: Any) -> Gtin | None:
    """A provider's barcode (digits as text, or a JSON number that lost its leading zeros), or None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int) and raw > 0:
        digits = str(raw)
        raw = digits.zfill(13) if len(digits) < 13 else digits
    if not isinstance(raw, str):
        return None
    try:
        return Gtin.parse(raw)
    except InvalidValue:
        return None


def whole_number(raw: Any) -> int | None:
    """A non-negative count given as a JSON number or as digits in text (providers do both), or None."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw if raw >= 0 else None
    text = raw.strip() if isinstance(raw, str) else ""
    return int(text) if text.isascii() and text.isdigit() else None


def search_text(raw: str) -> str | None:
    """What is sent to a provider's text search: one line, bounded; None when nothing is left to search."""
    return clean_text(raw, SEARCH_TEXT_MAX)


def ean_product(
    gtin: Gtin,
    provider: ProviderName,
    confidence: float,
    *,
    name: Any = None,
    brand: Any = None,
    category: Any = None,
    description: Any = None,
    images: Any = None,
    asin: Any = None,
) -> EanProduct | None:
    """The normalised product from what a provider said of each field; None when it says nothing usable."""
    product = EanProduct(
        gtin,
        provider,
        confidence,
        name=clean_text(name, NAME_MAX),
        brand=clean_text(brand, BRAND_MAX),
        category=clean_text(category, CATEGORY_MAX),
        description=clean_text(description, DESCRIPTION_MAX, multiline=True),
        image_urls=clean_image_urls(images),
        asin=clean_asin(asin),
    )
    said = (product.name, product.brand, product.category, product.description, product.image_urls, product.asin)
    return product if any(said) else None
