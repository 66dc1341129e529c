"""Barcode providers and what one says of a product, in one shape whichever provider said it.

Three providers are known, each with its own API (see the adapters in `adapters/ean/`); each is configured
once (`ProviderConfig`): enabled or not, its place among the others, how far its answers are trusted, and how
fast it may be asked. The API key is a secret kept apart (encrypted, write-only), so a configuration only says
whether it has one.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from attrs import evolve, field, frozen

from productsmanager.domain.errors import InvalidValue
from productsmanager.domain.field_errors import FieldErrors
from productsmanager.domain.gtin import Gtin
from productsmanager.domain.values import bounded_text

CONFIDENCE_FIELDS = ("name", "brand", "category", "description")


class ProviderName(StrEnum):
    EAN_SEARCH = "ean_search"
    BARCODE_LOOKUP = "barcode_lookup"
    GO_UPC = "go_upc"

    @property
    def label(self) -> str:
        """The provider as people know it (the API names it by its value)."""
        return LABELS[self]

    @property
    def searches_text(self) -> bool:
        """Whether the provider finds products by name (the EAN Finder asks only those)."""
        return self is not ProviderName.GO_UPC


LABELS = {
    ProviderName.EAN_SEARCH: "EAN-Search.org",
    ProviderName.BARCODE_LOOKUP: "Barcode Lookup",
    ProviderName.GO_UPC: "Go-UPC",
}
DEFAULT_BASE_URLS = {
    ProviderName.EAN_SEARCH: "https://api.ean-search.org",
    ProviderName.BARCODE_LOOKUP: "https://api.barcodelookup.com",
    ProviderName.GO_UPC: "https://go-upc.com",
}
DEFAULT_CONFIDENCE = {ProviderName.EAN_SEARCH: 0.95, ProviderName.BARCODE_LOOKUP: 0.90, ProviderName.GO_UPC: 0.85}
DEFAULT_PRIORITY = {ProviderName.EAN_SEARCH: 1, ProviderName.BARCODE_LOOKUP: 2, ProviderName.GO_UPC: 3}


@frozen
class ProviderConfig:
    name: ProviderName
    enabled: bool = False
    priority: int = 1
    confidence: float = 0.9
    timeout_seconds: float = 10.0
    requests_per_minute: int = 60
    base_url: str = ""
    has_key: bool = False

    @classmethod
    def default(cls, name: ProviderName) -> ProviderConfig:
        return cls(name, priority=DEFAULT_PRIORITY[name], confidence=DEFAULT_CONFIDENCE[name],
                   base_url=DEFAULT_BASE_URLS[name])  # fmt: skip

    def changed(self, raw: dict[str, Any]) -> ProviderConfig:
        """The configuration with the given fields replaced, every broken rule reported at once (`api_key` is
        not a field of the configuration: the caller keeps it apart)."""
        return evolve(self, **parse_provider_changes(raw))


def _flag(raw: Any) -> bool:
    if not isinstance(raw, bool):
        raise ValueError
    return raw


def _number(low: float, high: float, *, whole: bool) -> Any:
    def check(raw: Any) -> float | int:
        if isinstance(raw, bool) or not isinstance(raw, int | float) or (whole and not isinstance(raw, int)):
            raise ValueError
        if not low <= raw <= high:
            raise ValueError
        return int(raw) if whole else float(raw)

    return check


_RULES = {
    "enabled": (_flag, "enabled must be true or false"),
    "priority": (_number(1, 100, whole=True), "priority must be a whole number from 1 to 100"),
    "confidence": (_number(0.0, 1.0, whole=False), "confidence must be a number from 0 to 1"),
    "timeout_seconds": (_number(0.5, 120, whole=False), "timeout_seconds must be a number from 0.5 to 120"),
    "requests_per_minute": (
        _number(1, 100_000, whole=True),
        "requests_per_minute must be a whole number from 1 to 100000",
    ),
}
CHANGEABLE = (*_RULES, "base_url")


def parse_provider_changes(raw: dict[str, Any]) -> dict[str, Any]:
    """Client-supplied configuration fields, checked; `base_url` must be an http(s) URL without credentials."""
    with FieldErrors() as errors:
        errors.unknown([name for name in raw if name not in CHANGEABLE and name != "api_key"], "a provider setting")
        values: dict[str, Any] = {}
        for name, (check, message) in _RULES.items():
            if name in raw:
                try:
                    values[name] = check(raw[name])
                except ValueError:
                    errors.refuse(message, name)
        if "base_url" in raw:
            with errors.checking():
                values["base_url"] = parse_base_url(raw["base_url"])
    return values


def parse_base_url(raw: Any, field: str = "base_url") -> str:
    """An http(s) URL without credentials (they would end up in logs and errors), without a trailing slash."""
    text = bounded_text(raw, field, 500, required=True)
    assert text is not None
    scheme, _, rest = text.partition("://")
    if (
        scheme.lower() not in ("http", "https")
        or not rest
        or "@" in rest.split("/", 1)[0]
        or any(c.isspace() for c in text)
    ):
        raise InvalidValue(f"{field} must be an http or https URL without user or password", field=field)
    return text.rstrip("/")


@frozen
class EanProduct:
    """What one provider says of one GTIN, normalised. Text is trimmed and blank text is None; `image_urls`
    keeps the provider's order (http and https only)."""

    gtin: Gtin
    provider: ProviderName
    confidence: float
    name: str | None = None
    brand: str | None = None
    category: str | None = None
    description: str | None = None
    image_urls: tuple[str, ...] = field(default=(), converter=tuple)
    asin: str | None = None
