"""`SpApiCatalog`: the `AsinSource` of Amazon's Selling Partner API, `searchCatalogItems` (Catalog Items
v2022-04-01) by EAN, signed in with Login with Amazon.

One search asks up to 20 EANs (`identifiersType=EAN`, the 13-digit form; a GTIN-14 with a packaging indicator
is no EAN and is answered "none" unasked) with summaries, images, sales ranks and identifiers, 20 items a page.
Every request, pages included, takes a slot of the shared `RequestPacer` under `amazon:catalog:{region}`, so all
processes together stay under the operation's rate, brought down to the one Amazon states
(`x-amzn-RateLimit-Limit`) when that is lower. A 429 holds the key for Amazon's `Retry-After`, else one request's
time at that rate, and is asked again a bounded number of times within a bounded wait; a 403 (the access token
refused) signs in again once."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Sequence
from typing import Any

from productsmanager.adapters.amazon.catalog_items import read_item
from productsmanager.adapters.amazon.login import LoginWithAmazon
from productsmanager.adapters.amazon.wire import AmazonHttp, error_codes, json_object
from productsmanager.adapters.http.exchange import Answer, retry_after_seconds
from productsmanager.application.code2asin.ports import (
    MAX_IDENTIFIERS,
    AmazonBadCredentials,
    AmazonBadRequest,
    AmazonRateLimited,
    AmazonUnexpected,
)
from productsmanager.application.enrichment.ports import RequestPacer
from productsmanager.domain.code2asin.items import AmazonItem
from productsmanager.domain.code2asin.marketplaces import Marketplace
from productsmanager.domain.gtin import Gtin

log = logging.getLogger(__name__)
SEARCH_PATH = "/catalog/2022-04-01/items"
INCLUDED_DATA = "summaries,images,salesRanks,identifiers"
PAGE_SIZE = 20
MAX_PAGES = 5  # 100 items for 20 EANs: more is a search gone wrong, not a catalog
RATE_LIMITED_ATTEMPTS = 3  # requests answered 429 before giving up
MAX_WAIT_SECONDS = 30.0  # the longest a search waits for its slot before saying Amazon is busy
PACE_MARGIN = 1.05  # slots a little wider than the rate: clocks and networks are not exact
CHECK_EAN = Gtin.parse("4006381333931")  # any well-formed EAN: the check is about signing in and asking


class SpApiCatalog:
    def __init__(
        self,
        login: LoginWithAmazon,
        pacer: RequestPacer,
        requests_per_second: float,
        http: AmazonHttp,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._login, self._pacer, self._http, self._sleep = login, pacer, http, sleep
        self._interval = PACE_MARGIN / requests_per_second

    def search(self, gtins: Sequence[Gtin], marketplace: Marketplace) -> dict[Gtin, list[AmazonItem]]:
        if len(gtins) > MAX_IDENTIFIERS:
            raise ValueError(f"searchCatalogItems takes at most {MAX_IDENTIFIERS} identifiers, not {len(gtins)}")
        found: dict[Gtin, list[AmazonItem]] = {gtin: [] for gtin in gtins}
        eans = sorted({gtin.value[1:] for gtin in gtins if gtin.value.startswith("0")})
        if not eans:
            return found
        query = {
            "identifiers": ",".join(eans),
            "identifiersType": "EAN",
            "marketplaceIds": marketplace.marketplace_id,
            "includedData": INCLUDED_DATA,
            "pageSize": str(PAGE_SIZE),
        }
        for _ in range(MAX_PAGES):
            page = self._get(query, marketplace)
            for raw in page.get("items") if isinstance(page.get("items"), list) else ():
                item = read_item(raw, marketplace)
                for gtin in () if item is None else dict.fromkeys(item.gtins):
                    if gtin in found:
                        found[gtin].append(item)
            pagination = page.get("pagination")
            token = pagination.get("nextToken") if isinstance(pagination, dict) else None
            if not isinstance(token, str) or not token:
                break
            query = {**query, "pageToken": token}
        return found

    def check(self, marketplace: Marketplace) -> None:
        self.search([CHECK_EAN], marketplace)

    def _get(self, query: dict[str, str], marketplace: Marketplace) -> dict[str, Any]:
        """One page, paced; the answer's JSON object or the `AmazonError` it means."""
        key = f"amazon:catalog:{marketplace.region.value}"
        limited, signed_in_again = 0, False
        while True:
            wait = self._pacer.reserve(key, self._interval)
            if wait > MAX_WAIT_SECONDS:
                raise AmazonRateLimited("Amazon's rate limit leaves no request free soon", retry_after=wait)
            if wait > 0:
                self._sleep(wait)
            token = self._login.access_token()
            answer = self._http.request("GET", SEARCH_PATH, query, {"x-amz-access-token": token})
            self._learn_rate(answer)
            if answer.status == 200:
                return json_object(answer)
            if answer.status == 429:
                limited += 1
                hold = self._hold_seconds(answer)
                log.info("Amazon: searchCatalogItems answered 429, holding %s for %.2f s", key, hold)
                self._pacer.hold(key, hold)
                if limited >= RATE_LIMITED_ATTEMPTS or hold > MAX_WAIT_SECONDS:
                    raise AmazonRateLimited("Amazon asked to wait", retry_after=hold)
                continue
            if answer.status in (401, 403) and not signed_in_again:
                log.info("Amazon: the access token was refused (HTTP %d), signing in again", answer.status)
                self._login.forget(token)
                signed_in_again = True
                continue
            raise _failure(answer)

    def _learn_rate(self, answer: Answer) -> None:
        """Amazon states the operation's rate for this seller and application on its answers
        (`x-amzn-RateLimit-Limit`, requests a second): a configured rate above it is brought down to it."""
        try:
            rate = float(answer.header("x-amzn-ratelimit-limit") or "")
        except ValueError:
            return
        if math.isfinite(rate) and rate > 0:
            self._interval = max(self._interval, PACE_MARGIN / rate)

    def _hold_seconds(self, answer: Answer) -> float:
        """Amazon's `Retry-After` when it gives one, else the time one request takes at the rate it states."""
        said = retry_after_seconds(answer.header("retry-after"), time.time())
        return self._interval if said is None else said


def _failure(answer: Answer) -> Exception:
    codes = error_codes(answer) or "(no error code)"
    log.warning("Amazon: searchCatalogItems answered HTTP %d %s", answer.status, codes)
    if answer.status in (401, 403):
        return AmazonBadCredentials("the Selling Partner API refused the access token")
    if answer.status in (400, 413, 415):
        return AmazonBadRequest(f"the Selling Partner API refused the request (HTTP {answer.status})")
    return AmazonUnexpected(f"the Selling Partner API answered HTTP {answer.status}")
