"""A stand-in for the barcode provider adapters, unit and integration tests alike: an `EanProviderFactory`
whose providers answer the account check as the test scripts it (credits left, or an error), and which
records every adapter it built with the configuration and key it was given. Looking up and searching are
not scripted: the settings' test only asks for the account status."""

from __future__ import annotations

from productsmanager.application.enrichment.ports import EanProvider, ProviderError, ProviderStatus
from productsmanager.domain.enrichment.providers import EanProduct, ProviderConfig
from productsmanager.domain.gtin import Gtin


class ScriptedProvider:
    def __init__(self, outcome: ProviderStatus | ProviderError) -> None:
        self._outcome = outcome

    def lookup(self, gtin: Gtin) -> EanProduct | None:
        raise AssertionError("the settings' test only checks the account")

    def search(self, text: str, limit: int = 10) -> list[EanProduct]:
        raise AssertionError("the settings' test only checks the account")

    def status(self) -> ProviderStatus:
        if isinstance(self._outcome, ProviderError):
            raise self._outcome
        return self._outcome


class ScriptedProviders:
    """`outcome` is what every provider's account check answers until the test changes it."""

    def __init__(self, outcome: ProviderStatus | ProviderError | None = None) -> None:
        self.outcome = outcome if outcome is not None else ProviderStatus(credits_left=1000)
        self.built: list[tuple[ProviderConfig, str | None]] = []

    def __call__(self, config: ProviderConfig, api_key: str | None) -> EanProvider:
        self.built.append((config, api_key))
        return ScriptedProvider(self.outcome)
