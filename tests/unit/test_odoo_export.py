"""`OdooProductExport` against an in-memory Odoo: a refused `create` list is retried record by record, so only
the refused product fails (and is reported with Odoo's reason)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from productsmanager.application.odoo.odoo_product_export import OdooProductExport
from productsmanager.application.odoo.ports import OdooValidationError
from productsmanager.application.odoo.sync_ports import SyncCandidate
from productsmanager.domain.gtin import Gtin
from productsmanager.domain.odoo.configuration import OdooConfiguration
from productsmanager.domain.odoo.product_values import ProductSnapshot

CODES = ("4006381333931", "0012345678905", "5901234123457")


class Setup:
    def get(self) -> Any:
        return type("Stored", (), {"config": OdooConfiguration("http://odoo", "db", "admin", batch_size=10)})()

    def connection(self) -> object:
        return object()


class Source:
    def __init__(self) -> None:
        self.items = {uuid.uuid4(): code for code in CODES}
        self.links: list[tuple[uuid.UUID, int]] = []

    def candidates(self, instance_id: uuid.UUID, ids: list[uuid.UUID]) -> list[SyncCandidate]:
        snapshot = lambda code: ProductSnapshot(Gtin.parse(code), f"Item {code}", price=Decimal("2.50"))  # noqa: E731
        return [SyncCandidate(pid, None, snapshot(self.items[pid])) for pid in ids]

    def link(self, instance_id: uuid.UUID, links: list[tuple[uuid.UUID, int]]) -> None:
        self.links += links


class Odoo:
    """Refuses any record whose barcode is `taken`, as Odoo's unique barcode constraint does."""

    def __init__(self, taken: str) -> None:
        self.taken, self.next_id, self.creates = taken, 100, 0

    def search_read(self, model: str, domain: list[Any], fields: list[str], **_: Any) -> list[dict[str, Any]]:
        return []

    def read(self, model: str, ids: list[int], fields: list[str]) -> list[dict[str, Any]]:
        return []

    def create(self, model: str, values: Any) -> Any:
        self.creates += 1
        records = values if isinstance(values, list) else [values]
        if any(r["barcode"] == self.taken for r in records):
            raise OdooValidationError("The barcode must be unique", odoo_message="barcode already used")
        self.next_id += len(records)
        ids = list(range(self.next_id - len(records), self.next_id))
        return ids if isinstance(values, list) else ids[0]


def test_a_refused_list_is_created_record_by_record_and_only_the_bad_one_fails() -> None:
    source, odoo = Source(), Odoo(taken=Gtin.parse(CODES[1]).display)
    export = OdooProductExport(lambda **_: Setup(), source, lambda _: odoo)  # type: ignore[arg-type]
    outcome = export.export(list(source.items))
    assert outcome.created == 2 and len(outcome.failed) == 1 and len(source.links) == 2
    assert "unique" in next(iter(outcome.failed.values()))
    assert odoo.creates == 1 + 3  # the list, then each record alone
