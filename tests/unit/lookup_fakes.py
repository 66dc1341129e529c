"""In-memory kept answers and lookup events, and a scripted barcode provider."""

from __future__ import annotations

from collections.abc import Sequence

from productsmanager.domain.enrichment.answers import KeptAnswer, LookupEvent
from productsmanager.domain.enrichment.providers import EanProduct, ProviderName
from productsmanager.domain.gtin import Gtin


class LookupState:
    def __init__(self) -> None:
        self.kept: dict[tuple[str, ProviderName], KeptAnswer] = {}
        self.events: list[LookupEvent] = []


class FakeLookupCacheRepository:
    def __init__(self, state: LookupState) -> None:
        self._s = state

    def get_many(
        self, gtins: Sequence[Gtin], providers: Sequence[ProviderName]
    ) -> dict[tuple[str, ProviderName], KeptAnswer]:
        keys = [(gtin.canonical, p) for gtin in gtins for p in providers]
        return {key: self._s.kept[key] for key in keys if key in self._s.kept}

    def put(self, answers: Sequence[KeptAnswer]) -> None:
        for answer in answers:
            self._s.kept[(answer.gtin.canonical, answer.provider)] = answer


class FakeLookupEventRepository:
    def __init__(self, state: LookupState) -> None:
        self._s = state

    def add(self, events: Sequence[LookupEvent]) -> None:
        self._s.events.extend(events)


class ScriptedProvider:
    """Answers from `known` (GTIN -> product), or raises `error` when set; counts its calls."""

    def __init__(self, name: ProviderName, known: dict[str, EanProduct] | None = None) -> None:
        self.name = name
        self.known = known or {}
        self.error: Exception | None = None
        self.calls = 0

    def lookup(self, gtin: Gtin) -> EanProduct | None:
        self.calls += 1
        if self.error is not None:
            raise self.error
        return self.known.get(gtin.canonical)

    def search(self, text: str, limit: int = 10) -> list[EanProduct]:
        return []

    def status(self) -> object:
        return None


class FakePacer:
    """Slots per key spaced by the interval on a fake clock of seconds; `holds` records every hold."""

    def __init__(self) -> None:
        self.now = 0.0
        self.free: dict[str, float] = {}
        self.holds: list[tuple[str, float]] = []

    def reserve(self, key: str, interval: float) -> float:
        slot = max(self.now, self.free.get(key, 0.0))
        self.free[key] = slot + interval
        return slot - self.now

    def hold(self, key: str, seconds: float) -> None:
        self.holds.append((key, seconds))
        self.free[key] = max(self.free.get(key, 0.0), self.now + seconds)
