"""What Amazon says of one catalog item (an ASIN on one marketplace): title, brand, category, sales ranks and
image URLs, in one shape whether the Selling Partner API said it or a results file did.

Text is bounded as the catalog bounds it, URLs are kept only when they are http(s) and short enough, and the
lists are capped: what an answer carries can never be more than the product page can show."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from attrs import frozen

from productsmanager.domain.catalog import BRAND_MAX, CATEGORY_MAX, NAME_MAX
from productsmanager.domain.gtin import Gtin
from productsmanager.domain.values import Asin

MAX_IMAGES = 20  # Amazon shows at most 9 per variant; a results file may list a few more
MAX_SALES_RANKS = 10
URL_MAX = 2000
RANK_TITLE_MAX = 300


@frozen
class SalesRank:
    """A rank in one of Amazon's classifications (a browse node) or display groups (a top-level category)."""

    title: str
    rank: int


@frozen
class AmazonItem:
    asin: Asin
    marketplace: str  # the site, amazon.fr
    gtins: tuple[Gtin, ...] = ()  # the EANs Amazon lists for the item (those of the request among them)
    title: str | None = None
    brand: str | None = None
    category: str | None = None
    sales_ranks: tuple[SalesRank, ...] = ()
    image_urls: tuple[str, ...] = ()
    price: Decimal | None = None  # only a results file gives one; the catalog API has no prices

    @classmethod
    def of(
        cls,
        asin: Asin,
        marketplace: str,
        *,
        gtins: Iterable[Gtin] = (),
        title: object = None,
        brand: object = None,
        category: object = None,
        sales_ranks: Iterable[SalesRank] = (),
        image_urls: Iterable[object] = (),
        price: Decimal | None = None,
    ) -> AmazonItem:
        """An item from what a source said, cleaned: blank text is none, text cut at the catalog's bounds, only
        http(s) URLs kept once each, in order, at most `MAX_IMAGES`."""
        ranks = tuple(sorted(sales_ranks, key=lambda r: r.rank))[:MAX_SALES_RANKS]
        return cls(
            asin,
            marketplace,
            tuple(dict.fromkeys(gtins)),
            clean_text(title, NAME_MAX),
            clean_text(brand, BRAND_MAX),
            clean_text(category, CATEGORY_MAX),
            ranks,
            image_list(image_urls),
            price,
        )

    @property
    def best_rank(self) -> SalesRank | None:
        return self.sales_ranks[0] if self.sales_ranks else None


def clean_text(raw: object, limit: int) -> str | None:
    """Text without NULs or surrounding blanks, cut at `limit`; None for anything that is not text or is blank."""
    if not isinstance(raw, str):
        return None
    text = " ".join(raw.replace("\x00", "").split())
    return text[:limit] or None


def image_list(raw: Iterable[object]) -> tuple[str, ...]:
    urls: dict[str, None] = {}
    for url in raw:
        if _is_url(url):
            urls[str(url)] = None
        if len(urls) == MAX_IMAGES:
            break
    return tuple(urls)


def _is_url(raw: object) -> bool:
    if not isinstance(raw, str) or len(raw) > URL_MAX or not raw.lower().startswith(("http://", "https://")):
        return False
    return not any(c.isspace() or c == "\x00" for c in raw)
