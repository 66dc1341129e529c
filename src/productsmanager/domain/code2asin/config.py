"""How Code2ASIN reaches Amazon's Selling Partner API: the marketplace searched, the endpoints (blank: Amazon's
own for the marketplace's region), the pace and the time limit, and whether each credential is stored.

The credentials (Login with Amazon's client id and secret, the seller's refresh token) are secrets kept apart,
encrypted and write-only: a configuration only says whether each is there. A change (`changed`) is checked
field by field and refused with every broken rule at once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from attrs import evolve, frozen

from productsmanager.domain.code2asin.marketplaces import DEFAULT_MARKETPLACE, Marketplace, Region
from productsmanager.domain.enrichment.providers import parse_base_url
from productsmanager.domain.errors import InvalidValue
from productsmanager.domain.field_errors import FieldErrors

REGION_ENDPOINTS = {
    Region.EU: "https://sellingpartnerapi-eu.amazon.com",
    Region.NA: "https://sellingpartnerapi-na.amazon.com",
}
LWA_TOKEN_URL = "https://api.amazon.com/auth/o2/token"
# searchCatalogItems' documented usage plan: 2 requests a second, a burst of 2 (Amazon may grant a seller more).
SEARCH_REQUESTS_PER_SECOND = 2.0
CREDENTIALS = ("client_id", "client_secret", "refresh_token")
CREDENTIAL_MAX = 2048  # Login with Amazon's tokens are at most 2048 bytes; client ids and secrets are shorter
RATE_RANGE = (0.05, 100.0)
TIMEOUT_RANGE = (0.5, 120.0)


@frozen
class AmazonConfig:
    marketplace: Marketplace = DEFAULT_MARKETPLACE
    endpoint: str = ""  # blank: the marketplace's region's
    token_url: str = ""  # blank: Login with Amazon's
    requests_per_second: float = SEARCH_REQUESTS_PER_SECOND
    timeout_seconds: float = 10.0
    has_client_id: bool = False
    has_client_secret: bool = False
    has_refresh_token: bool = False
    updated_at: datetime | None = None  # None while the defaults apply
    tested_at: datetime | None = None
    test_error: str | None = None  # the last test's error code; None after a successful one (or none yet)

    @property
    def has_credentials(self) -> bool:
        return self.has_client_id and self.has_client_secret and self.has_refresh_token

    @property
    def api_endpoint(self) -> str:
        return self.endpoint or REGION_ENDPOINTS[self.marketplace.region]

    @property
    def lwa_token_url(self) -> str:
        return self.token_url or LWA_TOKEN_URL

    def changed(self, raw: dict[str, Any]) -> tuple[AmazonConfig, dict[str, str | None]]:
        """The configuration with the given fields replaced, and the credentials given (text sets one, None
        clears it; one left out is not in the mapping). Every broken rule is refused at once."""
        settings, credentials = parse_amazon_changes(raw)
        return evolve(self, **settings), credentials


def _number(name: str, bounds: tuple[float, float]) -> Any:
    low, high = bounds

    def check(raw: Any) -> float:
        if isinstance(raw, bool) or not isinstance(raw, int | float) or not low <= raw <= high:
            raise InvalidValue(f"{name} must be a number from {low:g} to {high:g}", field=name)
        return float(raw)

    return check


def _url_or_blank(name: str) -> Any:
    def check(raw: Any) -> str:
        if isinstance(raw, str) and not raw.strip():
            return ""
        return parse_base_url(raw, name)

    return check


def parse_credential(raw: Any, name: str) -> str | None:
    """A credential given: text of 1 to `CREDENTIAL_MAX` printable characters without spaces (it goes into a
    form body); None clears it."""
    if raw is None:
        return None
    text = raw.strip() if isinstance(raw, str) else ""
    if not text or len(text) > CREDENTIAL_MAX or any(c.isspace() or not c.isprintable() for c in text):
        message = f"{name} must be text of 1 to {CREDENTIAL_MAX} characters without spaces, or null to remove it"
        raise InvalidValue(message, field=name)
    return text


_CHECKS = {
    "marketplace": Marketplace.parse,
    "endpoint": _url_or_blank("endpoint"),
    "token_url": _url_or_blank("token_url"),
    "requests_per_second": _number("requests_per_second", RATE_RANGE),
    "timeout_seconds": _number("timeout_seconds", TIMEOUT_RANGE),
}


def parse_amazon_changes(raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str | None]]:
    """Client-supplied settings and credentials, checked: (settings, credentials)."""
    with FieldErrors() as errors:
        errors.unknown([name for name in raw if name not in _CHECKS and name not in CREDENTIALS], "an Amazon setting")
        settings = errors.parse(raw, _CHECKS)
        credentials = errors.parse(
            raw, {name: lambda value, n=name: parse_credential(value, n) for name in CREDENTIALS}
        )
    return settings, credentials
