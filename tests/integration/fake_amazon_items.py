"""The shapes of the fake Amazon's catalog (see `fake_amazon`): an item of Catalog Items v2022-04-01, the checks
Amazon makes of a search's parameters (InvalidInput), and a page of results with its `nextToken`."""

from __future__ import annotations

from typing import Any


def catalog_item(
    eans: list[str],
    asin: str,
    marketplace_id: str,
    *,
    title: str,
    brand: str,
    category: str,
    images: list[tuple[str, str, int, int]],
    ranks: tuple[int, int],
) -> dict[str, Any]:
    """An item as `searchCatalogItems` answers it with `includedData=summaries,images,salesRanks,identifiers`."""
    return {
        "asin": asin,
        "identifiers": [{"marketplaceId": marketplace_id,
                         "identifiers": [{"identifierType": "EAN", "identifier": e} for e in eans]}],
        "images": [{"marketplaceId": marketplace_id, "images": [
            {"variant": v, "link": link, "width": w, "height": h} for v, link, w, h in images]}],
        "salesRanks": [{"marketplaceId": marketplace_id, "classificationRanks": [
            {"classificationId": "1", "title": category, "link": "https://www.amazon.fr/gp/bestsellers/1",
             "rank": ranks[1]}], "displayGroupRanks": [
            {"websiteDisplayGroup": "office_product_display_on_website", "title": "Fournitures de bureau",
             "link": "https://www.amazon.fr/gp/bestsellers/office-products", "rank": ranks[0]}]}],
        "summaries": [{"marketplaceId": marketplace_id, "brand": brand, "itemName": title,
                       "browseClassification": {"displayName": category, "classificationId": "1"},
                       "itemClassification": "BASE_PRODUCT",
                       "websiteDisplayGroup": "office_product_display_on_website"}],
    }  # fmt: skip


def invalid_query(query: dict[str, str], refused: set[str]) -> str | None:
    identifiers = [i for i in query.get("identifiers", "").split(",") if i]
    if query.get("identifiersType") != "EAN" or not identifiers or not query.get("marketplaceIds"):
        return "identifiers, identifiersType and marketplaceIds are required"
    if len(identifiers) > 20:
        return "identifiers must contain at most 20 items"
    if any(not (i.isdigit() and len(i) in (8, 13)) or i in refused for i in identifiers):
        return "Invalid identifier for identifiersType EAN"
    if not 1 <= int(query.get("pageSize", "10")) <= 20:
        return "pageSize must be between 1 and 20"
    return None


def search_page(by_ean: dict[str, list[dict[str, Any]]], query: dict[str, str]) -> dict[str, Any]:
    marketplace = query["marketplaceIds"]
    found: dict[str, dict[str, Any]] = {}
    for ean in query["identifiers"].split(","):
        for item in by_ean.get(ean, []):
            if item["summaries"][0]["marketplaceId"] == marketplace:
                found.setdefault(item["asin"], item)
    items, size = list(found.values()), int(query.get("pageSize", "10"))
    start = int(query.get("pageToken", "0"))
    page: dict[str, Any] = {"numberOfResults": len(items), "items": items[start : start + size]}
    if start + size < len(items):
        page["pagination"] = {"nextToken": str(start + size)}
    return page
