"""Ports of EAN lookup: a barcode provider's API, and how one is built from its configuration and key.

A provider adapter speaks one provider's real API and answers in the domain's shape (`EanProduct`); whatever
went wrong comes back as one of the errors below, named by `code` so that the API can tell an administrator
which it was (`POST /api/v1/ean-lookup/providers/{id}/test`) without leaking a provider's own wording."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from attrs import frozen

from productsmanager.domain.enrichment.providers import EanProduct, ProviderConfig
from productsmanager.domain.errors import ProductsManagerError
from productsmanager.domain.gtin import Gtin


class ProviderError(ProductsManagerError):
    """A provider could not answer. `code` is one of `bad_key`, `rate_limited`, `unreachable`, `unexpected`."""

    code = "unexpected"


class ProviderBadKey(ProviderError):
    """The provider refused the API key (missing, wrong, expired, or out of credits for good)."""

    code = "bad_key"


class ProviderRateLimited(ProviderError):
    """The provider said to wait (HTTP 429, or its own "too many requests"): `retry_after` seconds, when it said."""

    code = "rate_limited"

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ProviderUnreachable(ProviderError):
    """No answer: refused, timed out, DNS, TLS, or blocked by the outbound guard ("could not connect")."""

    code = "unreachable"


class ProviderUnexpected(ProviderError):
    """An answer that is not what the provider's API documents (5xx, HTML, malformed JSON...)."""

    code = "unexpected"


@frozen
class ProviderStatus:
    """What a provider's account check says: `credits_left` where the provider tells (None elsewhere)."""

    credits_left: int | None = None


class EanProvider(Protocol):
    """One provider's API. Every call has the configuration's timeout and goes through the outbound guard."""

    def lookup(self, gtin: Gtin) -> EanProduct | None:
        """What the provider knows of `gtin`, or None when it does not know it. Raises `ProviderError`."""
        ...

    def search(self, text: str, limit: int = 10) -> list[EanProduct]:
        """Products whose name matches `text` (the EAN Finder); `[]` from a provider without text search
        (`ProviderName.searches_text`). Raises `ProviderError`."""
        ...

    def status(self) -> ProviderStatus:
        """A cheap call that checks the key (`op=account-status`, `/v3/rate-limits`...). Raises `ProviderError`."""
        ...


EanProviderFactory = Callable[[ProviderConfig, str | None], EanProvider]
"""Builds the adapter of a configuration (`config.name` says which API) with its decrypted API key."""


class RequestPacer(Protocol):
    """Spaces the requests to one provider across every process: each request reserves the next free slot,
    `interval` seconds after the previous one (60 / requests per minute), so no window of a minute ever holds
    more requests than the provider allows, whichever worker sends them. Raises `DependencyUnavailable` when
    the shared state (Redis, or the database on the embedded default) cannot be reached."""

    def reserve(self, key: str, interval: float) -> float:
        """Takes the next slot of `key`; how many seconds to wait before sending (0.0: now)."""
        ...

    def hold(self, key: str, seconds: float) -> None:
        """No slot of `key` starts sooner than `seconds` from now (a provider's 429 with `Retry-After`)."""
        ...
