"""The use-case methods that write, then answer with what the read side shows: one call per request, the read
after the write's commit, nothing read when the write is refused, nothing written without a read side."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from productsmanager.application.catalog.offer_editor import OfferEditor
from productsmanager.application.catalog.product_editor import ProductEditor
from productsmanager.application.catalog.product_reader import ProductReader
from productsmanager.application.media.media_library import MediaLibrary
from productsmanager.application.media.media_uploader import MediaUploader
from productsmanager.application.media.thumbnail_generator import ThumbnailGenerator
from productsmanager.application.suppliers.supplier_service import SupplierService
from productsmanager.domain.errors import Conflict, NotFound, UnsupportedImage
from productsmanager.domain.media import ThumbnailPolicy
from tests.recording_task_queue import RecordingTaskQueue
from tests.unit.catalog_view_fakes import FakeMediaLinks, FakeProductCatalogView
from tests.unit.fakes import FakeClock, FakeUnitOfWork
from tests.unit.media_fakes import FakeMediaStore, FakeThumbnailer, FakeUrlSigner, fake_image
from tests.unit.settings_fakes import FixedSettings


class Catalog:
    def __init__(self) -> None:
        self.uow, self.clock = FakeUnitOfWork(), FakeClock()
        self.view = FakeProductCatalogView(self.uow)
        reader = ProductReader(self.view, FakeMediaLinks())
        self.editor = ProductEditor(self.uow, self.clock, FixedSettings(), reader=reader)
        self.offers = OfferEditor(self.uow, self.clock, reader=reader)
        SupplierService(self.uow, self.clock).create({"code": "acme", "name": "Acme"})


@pytest.fixture
def catalog() -> Catalog:
    return Catalog()


def test_create_and_show_answers_with_the_committed_product(catalog: Catalog) -> None:
    shown = catalog.editor.create_and_show("'0012345678905", {"name": "Pen", "brand": "Bic"})
    assert shown.id in catalog.uow.committed.products
    assert (shown.ean, shown.name, shown.brand, shown.offers, shown.images) == ("012345678905", "Pen", "Bic", (), ())
    assert shown.created_at == shown.updated_at == catalog.clock.now()
    assert (catalog.uow.commits, catalog.view.reads) == (2, 1)  # the supplier, the product; then one read


def test_a_refused_create_reads_nothing(catalog: Catalog) -> None:
    first = catalog.editor.create_and_show("4006381333931", {"name": "Pen"})
    with pytest.raises(Conflict) as refused:
        catalog.editor.create_and_show("04006381333931", {"name": "Pen again"})
    assert refused.value.existing_id == first.id and catalog.view.reads == 1


def test_update_and_show_answers_with_the_product_changed_or_not(catalog: Catalog) -> None:
    pid = catalog.editor.create("4006381333931", {"name": "Pen"})
    catalog.clock.advance(minutes=5)
    changed = catalog.editor.update_and_show(pid, {"brand": "Stabilo", "ean": "96385074"})
    assert (changed.brand, changed.ean, changed.updated_at) == ("Stabilo", "96385074", catalog.clock.now())
    catalog.clock.advance(minutes=5)
    assert catalog.editor.update_and_show(pid, {"brand": "Stabilo"}) == changed
    with pytest.raises(NotFound):
        catalog.editor.update_and_show(uuid.uuid4(), {"brand": "Bic"})
    assert catalog.view.reads == 2


def test_put_and_show_answers_with_the_offer_as_the_product_now_has_it(catalog: Catalog) -> None:
    pid = catalog.editor.create("4006381333931", {"name": "Pen"})
    first = catalog.offers.put_and_show(pid, " acme ", {"price": "12.9", "stock": 3})
    assert first.created and (first.offer.supplier_code, first.offer.supplier_name) == ("ACME", "Acme")
    assert (first.offer.price, first.offer.currency, first.offer.stock) == (Decimal("12.9"), "EUR", 3)
    catalog.clock.advance(minutes=1)
    again = catalog.offers.put_and_show(pid, "ACME", {"price": "11", "stock": 0})
    assert not again.created and (again.offer.price, again.offer.stock) == (Decimal("11"), 0)
    assert again.offer.updated_at == catalog.clock.now()
    with pytest.raises(NotFound):
        catalog.offers.put_and_show(pid, "NOBODY", {"price": "1"})
    assert catalog.view.reads == 2


def test_without_a_read_side_nothing_is_written() -> None:
    uow, clock = FakeUnitOfWork(), FakeClock()
    with pytest.raises(TypeError, match="ProductReader"):
        ProductEditor(uow, clock, FixedSettings()).create_and_show("4006381333931", {"name": "Pen"})
    assert uow.commits == 0
    pid = ProductEditor(uow, clock, FixedSettings()).create("4006381333931", {"name": "Pen"})
    with pytest.raises(TypeError, match="ProductReader"):
        ProductEditor(uow, clock, FixedSettings()).update_and_show(pid, {"name": "Pencil"})
    with pytest.raises(TypeError, match="ProductReader"):
        OfferEditor(uow, clock).put_and_show(pid, "ACME", {"price": "1"})
    assert (uow.commits, uow.committed.products[pid].name) == (1, "Pen")


class Media:
    def __init__(self, *, with_library: bool = True) -> None:
        self.uow, self.clock, self.store = FakeUnitOfWork(), FakeClock(), FakeMediaStore()
        self.thumbnailer, self.settings, self.tasks = FakeThumbnailer(), FixedSettings(), RecordingTaskQueue()
        library = MediaLibrary(self.uow, self.store, self.tasks, FakeUrlSigner()) if with_library else None
        self.uploader = MediaUploader(
            self.uow, self.store, self.thumbnailer, self.tasks, self.clock, self.settings, 1000, library=library
        )
        self.generator = ThumbnailGenerator(
            self.uow, self.store, self.thumbnailer, ThumbnailPolicy.standard(), self.settings
        )
        self.product_id = ProductEditor(self.uow, self.clock, FixedSettings()).create("4006381333931", {"name": "Pen"})


def test_upload_and_show_answers_with_the_stored_file_and_whether_it_is_new() -> None:
    media = Media()
    data = fake_image(1200, 800)
    first = media.uploader.upload_and_show(media.product_id, data, "photos/a.jpg")
    assert first.created and first.details.media.id in media.uow.committed.media
    assert (first.details.media.original_file_name, first.details.media.is_primary) == ("a.jpg", True)
    assert first.details.thumbnails == () and media.tasks.requested
    media.generator.generate(first.details.media.id)
    again = media.uploader.upload_and_show(media.product_id, data, "b.jpg")
    assert not again.created and again.details.media.id == first.details.media.id
    assert sorted(t.size for t in again.details.thumbnails) == ["large", "medium", "small"]


def test_a_refused_upload_reads_nothing_and_no_library_stores_nothing() -> None:
    media = Media()
    with pytest.raises(UnsupportedImage):
        media.uploader.upload_and_show(media.product_id, b"not an image", "a.txt")
    with pytest.raises(NotFound):
        media.uploader.upload_and_show(uuid.uuid4(), fake_image(10, 10), "a.jpg")
    alone = Media(with_library=False)
    with pytest.raises(TypeError, match="MediaLibrary"):
        alone.uploader.upload_and_show(alone.product_id, fake_image(10, 10), "a.jpg")
    assert alone.store.objects == {} and alone.uow.committed.media == {}
