"""Amazon's items as JSON documents (a Code2ASIN result's items, a product's Amazon data): text, ranks and URLs
as they are, the price as text so that no float ever rounds it. Reading is lenient with what an older or a
damaged row holds: a malformed entry is dropped, never a failed read."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from productsmanager.domain.code2asin.items import AmazonItem, SalesRank
from productsmanager.domain.errors import InvalidValue
from productsmanager.domain.gtin import Gtin
from productsmanager.domain.values import Asin


def ranks_json(ranks: tuple[SalesRank, ...]) -> list[dict[str, Any]]:
    return [{"title": rank.title, "rank": rank.rank} for rank in ranks]


def ranks_of(raw: object) -> tuple[SalesRank, ...]:
    if not isinstance(raw, list):
        return ()
    return tuple(
        SalesRank(str(entry.get("title") or ""), int(entry["rank"]))
        for entry in raw
        if isinstance(entry, dict) and isinstance(entry.get("rank"), int)
    )


def price_of(raw: object) -> Decimal | None:
    if raw is None:
        return None
    try:
        return Decimal(str(raw))
    except InvalidOperation:
        return None


def item_json(item: AmazonItem) -> dict[str, Any]:
    return {
        "asin": str(item.asin),
        "marketplace": item.marketplace,
        "gtins": [gtin.canonical for gtin in item.gtins],
        "title": item.title,
        "brand": item.brand,
        "category": item.category,
        "sales_ranks": ranks_json(item.sales_ranks),
        "image_urls": list(item.image_urls),
        "price": None if item.price is None else str(item.price),
    }


def item_of(raw: object) -> AmazonItem | None:
    if not isinstance(raw, dict):
        return None
    try:
        asin = Asin.parse(str(raw.get("asin")))
        gtins = tuple(Gtin.from_canonical(g) for g in raw.get("gtins") or () if isinstance(g, str))
    except (InvalidValue, ValueError):
        return None
    urls = tuple(url for url in raw.get("image_urls") or () if isinstance(url, str))
    return AmazonItem(
        asin, str(raw.get("marketplace") or ""), gtins, _text(raw.get("title")), _text(raw.get("brand")),
        _text(raw.get("category")), ranks_of(raw.get("sales_ranks")), urls, price_of(raw.get("price")),
    )  # fmt: skip


def items_of(raw: object) -> tuple[AmazonItem, ...]:
    if not isinstance(raw, list):
        return ()
    return tuple(item for item in map(item_of, raw) if item is not None)


def _text(raw: object) -> str | None:
    return raw if isinstance(raw, str) else None
