"""A Catalog Items v2022-04-01 item read into the domain's `AmazonItem` for one marketplace.

Each dataset is a list per marketplace (`identifiers`, `images`, `salesRanks`, `summaries`, each entry with its
`marketplaceId`); only the searched marketplace's entry is read. Images: one per variant (`MAIN` first, then
`PT01`...), the largest of the sizes Amazon lists for it. Sales ranks: the browse-node ranks
(`classificationRanks`) and the category ranks (`displayGroupRanks`), best first. Category: the summary's
`browseClassification.displayName`. Anything of the wrong type is left out rather than trusted."""

from __future__ import annotations

from typing import Any

from productsmanager.domain.code2asin.items import RANK_TITLE_MAX, AmazonItem, SalesRank, clean_text
from productsmanager.domain.code2asin.marketplaces import Marketplace
from productsmanager.domain.errors import InvalidValue
from productsmanager.domain.gtin import Gtin
from productsmanager.domain.values import Asin

GTIN_TYPES = {"EAN", "UPC", "GTIN", "ISBN", "JAN"}  # identifier types that are GTINs under another name


def read_item(raw: Any, marketplace: Marketplace) -> AmazonItem | None:
    """The item, or None when it has no valid ASIN."""
    if not isinstance(raw, dict):
        return None
    if not isinstance(raw.get("asin"), str):
        return None
    try:
        asin = Asin.parse(raw["asin"])
    except InvalidValue:
        return None
    summary = _entry(raw.get("summaries"), marketplace)
    classification = summary.get("browseClassification")
    return AmazonItem.of(
        asin,
        marketplace.site,
        gtins=_gtins(_entry(raw.get("identifiers"), marketplace).get("identifiers")),
        title=summary.get("itemName"),
        brand=summary.get("brand"),
        category=classification.get("displayName") if isinstance(classification, dict) else None,
        sales_ranks=_ranks(_entry(raw.get("salesRanks"), marketplace)),
        image_urls=_images(_entry(raw.get("images"), marketplace).get("images")),
    )


def _entry(raw: Any, marketplace: Marketplace) -> dict[str, Any]:
    """The dataset's entry for the marketplace ({} when it has none)."""
    if isinstance(raw, list):
        for entry in raw:
            if isinstance(entry, dict) and entry.get("marketplaceId") == marketplace.marketplace_id:
                return entry
    return {}


def _gtins(raw: Any) -> list[Gtin]:
    found: list[Gtin] = []
    for identifier in raw if isinstance(raw, list) else ():
        if not isinstance(identifier, dict) or identifier.get("identifierType") not in GTIN_TYPES:
            continue
        value = identifier.get("identifier")
        if isinstance(value, str) and value.isascii() and value.isdigit():
            try:
                found.append(Gtin.parse(value))
            except InvalidValue:
                continue
    return found


def _ranks(entry: dict[str, Any]) -> list[SalesRank]:
    ranks: list[SalesRank] = []
    for name in ("classificationRanks", "displayGroupRanks"):
        listed = entry.get(name)
        for rank in listed if isinstance(listed, list) else ():
            if not isinstance(rank, dict):
                continue
            title, value = clean_text(rank.get("title"), RANK_TITLE_MAX), rank.get("rank")
            if title and isinstance(value, int) and not isinstance(value, bool) and value > 0:
                ranks.append(SalesRank(title, value))
    return ranks


def _images(raw: Any) -> list[str]:
    """The largest image of each variant, `MAIN` first, then the others in Amazon's variant order."""
    largest: dict[str, tuple[int, str]] = {}
    for image in raw if isinstance(raw, list) else ():
        if not isinstance(image, dict) or not isinstance(image.get("variant"), str):
            continue
        link, area = image.get("link"), _area(image.get("width"), image.get("height"))
        if isinstance(link, str) and (image["variant"] not in largest or area > largest[image["variant"]][0]):
            largest[image["variant"]] = (area, link)
    order = sorted(largest, key=lambda variant: (variant != "MAIN", variant))
    return [largest[variant][1] for variant in order]


def _area(width: Any, height: Any) -> int:
    if not all(isinstance(s, int) and not isinstance(s, bool) and s > 0 for s in (width, height)):
        return 0
    return int(width) * int(height)
