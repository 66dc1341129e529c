"""The EAN Finder's use cases on fakes: rows collected from `missing_ean` import errors through the supplier's
profile, searched at the providers that search text, scored, then resolved (product, supplier's values, offer)
or dismissed, each once."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from productsmanager.application.dependencies import DependencyUnavailable
from productsmanager.application.enrichment.ean_finder import EanFinderSearch
from productsmanager.application.enrichment.finder_ports import MissingEanRow
from productsmanager.application.enrichment.finder_rows import EanFinderRows
from productsmanager.application.enrichment.ports import ProviderRateLimited
from productsmanager.domain.catalog import Supplier
from productsmanager.domain.enrichment.finder import FinderRowClosed, FinderStatus
from productsmanager.domain.enrichment.finder_jobs import FinderJobStatus
from productsmanager.domain.enrichment.providers import EanProduct, ProviderConfig, ProviderName
from productsmanager.domain.errors import InvalidGtin, NotFound
from productsmanager.domain.gtin import Gtin
from productsmanager.domain.history import Actor
from productsmanager.domain.sources import Source
from tests.recording_task_queue import RecordingTaskQueue
from tests.unit.fakes import FakeClock, FakeUnitOfWork
from tests.unit.lookup_fakes import FakePacer, ScriptedProvider
from tests.unit.settings_fakes import FixedSettings

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
SOAP = Gtin.parse("4006381333931")
OTHER = Gtin.parse("5901234123457")
PROFILE = {"mapping": {"EAN": "ean", "Désignation": "name", "Marque": "brand", "Prix": "price", "Stock": "stock",
                       "Réf": "supplier_sku"}, "decimal_comma": True}  # fmt: skip
RAW = {"EAN": "", "Désignation": "Savon sans EAN", "Marque": "Acme", "Prix": "3,50", "Stock": "12", "Réf": "SAV-1"}


class SearchingProvider(ScriptedProvider):
    def __init__(self, name: ProviderName, found: list[EanProduct]) -> None:
        super().__init__(name)
        self.found = found
        self.searched: list[str] = []

    def search(self, text: str, limit: int = 10) -> list[EanProduct]:
        self.searched.append(text)
        if self.error is not None:
            raise self.error
        return self.found[:limit]


class World:
    def __init__(self) -> None:
        self.uow, self.clock, self.pacer, self.tasks = (
            FakeUnitOfWork(),
            FakeClock(NOW),
            FakePacer(),
            RecordingTaskQueue(),
        )
        self.supplier = Supplier.new("ACME", "Acme", NOW)
        with self.uow() as uow:
            uow.suppliers.add(self.supplier)
            uow.commit()
        self.error_id = uuid.uuid4()
        self.uow.committed.finder.missing.append(MissingEanRow(self.error_id, self.supplier.id, "ACME", RAW, PROFILE))
        self.providers = {
            ProviderName.EAN_SEARCH: SearchingProvider(ProviderName.EAN_SEARCH, [
                EanProduct(SOAP, ProviderName.EAN_SEARCH, 0.95, name="Savon sans EAN", brand="Acme"),
                EanProduct(OTHER, ProviderName.EAN_SEARCH, 0.95, name="Savon doux"),
            ]),
            ProviderName.BARCODE_LOOKUP: SearchingProvider(ProviderName.BARCODE_LOOKUP, [
                EanProduct(SOAP, ProviderName.BARCODE_LOOKUP, 0.9, name="Savon sans EAN", brand="Acme"),
            ]),
            ProviderName.GO_UPC: SearchingProvider(ProviderName.GO_UPC, []),
        }  # fmt: skip
        configs = [ProviderConfig.default(name).changed({"enabled": True}) for name in ProviderName]
        self.search = EanFinderSearch(self.uow, lambda: [(c, "key") for c in configs],
                                      lambda config, key: self.providers[config.name], self.pacer, self.tasks,
                                      self.clock, sleep=lambda seconds: None)  # fmt: skip
        self.rows = EanFinderRows(self.uow, self.clock, FixedSettings())

    def searched(self) -> FinderStatus:
        job = self.search.start(None, None)
        assert self.tasks.args_of("find_eans") == [(job.id,)]
        done = self.search.run(job.id)
        assert done.status is FinderJobStatus.COMPLETED
        return self.rows.get(self.error_id).status


def test_rows_are_collected_through_the_profile_and_searched_by_name_and_brand() -> None:
    world = World()
    assert world.searched() is FinderStatus.CANDIDATES
    row = world.rows.get(world.error_id)
    assert (row.data.name, row.data.brand, row.data.price, row.data.stock, row.data.sku) == (
        "Savon sans EAN", "Acme", Decimal("3.50"), 12, "SAV-1")  # fmt: skip
    assert [(c.gtin, c.provider, c.score) for c in row.candidates] == [
        (SOAP, "ean_search", 0.95), (OTHER, "ean_search", round(0.95 * 1 / 5, 4))]  # fmt: skip
    assert world.providers[ProviderName.EAN_SEARCH].searched == ["Savon sans EAN"]
    assert world.providers[ProviderName.GO_UPC].searched == []  # Go-UPC does not search text
    job = world.search.get(world.tasks.args_of("find_eans")[0][0])
    assert (job.total, job.processed, job.found) == (1, 1, 1)


def test_a_row_nothing_is_found_for_stays_waiting_and_a_429_holds_its_provider() -> None:
    world = World()
    world.providers[ProviderName.EAN_SEARCH].error = ProviderRateLimited("slow down", retry_after=30)
    world.providers[ProviderName.BARCODE_LOOKUP].found = []
    assert world.searched() is FinderStatus.WAITING
    assert world.pacer.holds == [("ean_search", 30)]


def test_a_job_collects_a_row_once_and_a_second_job_searches_only_waiting_rows() -> None:
    world = World()
    world.searched()
    job = world.search.start("ACME", None)
    assert world.search.run(job.id).total == 0
    assert len(world.uow.committed.finder.rows) == 1
    with pytest.raises(NotFound):
        world.search.start("NOPE", None)


def test_resolving_creates_the_product_with_the_suppliers_values_and_the_offer() -> None:
    world = World()
    world.searched()
    row = world.rows.resolve(world.error_id, "4006381333931", Actor.user(None))
    assert row.status is FinderStatus.RESOLVED and row.gtin == SOAP
    store = world.uow.committed
    product = next(p for p in store.products.values() if p.gtin == SOAP)
    assert (product.name, product.brand) == ("Savon sans EAN", "Acme")
    assert {c.source for c in store.values.values.values()} == {Source.supplier("ACME")}
    offer = store.offers[(product.id, world.supplier.id)]
    assert (offer.price, offer.stock, offer.supplier_sku) == (Decimal("3.50"), 12, "SAV-1")
    recorded = {(c.field, c.new, c.source) for c in store.values.history if c.field.startswith("offers.")}
    assert recorded == {
        ("offers.ACME.price", "3.5", Source.supplier("ACME")),
        ("offers.ACME.stock", 12, Source.supplier("ACME")),
    }
    with pytest.raises(FinderRowClosed):
        world.rows.resolve(world.error_id, "4006381333931", Actor.user(None))
    with pytest.raises(FinderRowClosed):
        world.rows.dismiss(world.error_id)


def test_an_invalid_gtin_is_refused_on_its_field_and_changes_nothing() -> None:
    world = World()
    world.searched()
    with pytest.raises(InvalidGtin) as refused:
        world.rows.resolve(world.error_id, "4006381333932", Actor.user(None))
    assert refused.value.field == "gtin"
    assert world.rows.get(world.error_id).status is FinderStatus.CANDIDATES
    assert world.uow.committed.products == {}


def test_dismissed_rows_are_listed_by_status_and_supplier() -> None:
    world = World()
    world.searched()
    assert world.rows.dismiss(world.error_id).status is FinderStatus.DISMISSED
    listed = world.rows.page("acme", FinderStatus.DISMISSED, None, limit=1)
    assert [r.id for r in listed.items] == [world.error_id] and listed.next_cursor is None
    assert world.rows.page("ACME", FinderStatus.WAITING).items == []
    with pytest.raises(NotFound):
        world.rows.dismiss(uuid.uuid4())


def test_a_job_the_broker_cannot_take_is_failed_and_the_error_goes_through() -> None:
    world = World()
    world.tasks.down = True
    with pytest.raises(DependencyUnavailable):
        world.search.start(None, None)
    (job,) = world.uow.committed.finder.jobs.values()
    assert job.status is FinderJobStatus.FAILED and job.error is not None


def test_the_same_line_imported_again_is_the_same_row() -> None:
    world = World()
    again = uuid.uuid4()
    renamed = {**RAW, "Désignation": "Savon sans EAN (nouveau)"}  # same SKU: the same line
    unnamed = {**RAW, "Réf": "", "Désignation": "Savon  SANS ean"}  # no SKU: the same name, words folded
    other = uuid.uuid4()
    world.searched()
    missing = world.uow.committed.finder.missing
    missing.append(MissingEanRow(again, world.supplier.id, "ACME", renamed, PROFILE))
    missing.append(MissingEanRow(other, world.supplier.id, "ACME", unnamed, PROFILE))
    missing.append(MissingEanRow(uuid.uuid4(), world.supplier.id, "ACME", unnamed, PROFILE))
    world.search.start("ACME", None)
    store = world.uow.committed.finder
    assert len(store.rows) == 2
    assert store.links[again] == world.error_id and store.links[other] != world.error_id
    assert len(store.links) == 4
