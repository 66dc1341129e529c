"""In-memory fakes of the Odoo instances and of products' links to Odoo records, per instance."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from attrs import evolve

from productsmanager.application.odoo.config_ports import StoredOdooInstance
from productsmanager.application.odoo.link_ports import ProductLink
from productsmanager.domain.catalog import Product
from productsmanager.domain.errors import Conflict
from productsmanager.domain.odoo.instances import DEFAULT_INSTANCE_ID, OdooInstance
from tests.unit.odoo_fakes import OdooState


class FakeOdooInstanceRepository:
    def __init__(self, state: OdooState) -> None:
        self._s = state

    def list(self) -> list[StoredOdooInstance]:
        return sorted(self._s.instances.values(), key=lambda s: (not s.instance.is_default, s.instance.name))

    def get(self, instance_id: uuid.UUID) -> StoredOdooInstance | None:
        return self._s.instances.get(instance_id)

    def add(self, instance: OdooInstance, secret_encrypted: str | None, now: datetime) -> None:
        self._refuse_taken(instance)
        self._s.instances[instance.id] = StoredOdooInstance(instance, secret_encrypted, now, now)

    def update(self, instance: OdooInstance, secret_encrypted: str | None, now: datetime) -> None:
        self._refuse_taken(instance)
        kept = self._s.instances[instance.id]
        self._s.instances[instance.id] = evolve(
            kept, instance=instance, secret_encrypted=secret_encrypted, updated_at=now
        )

    def delete(self, instance_id: uuid.UUID) -> bool:
        if self._s.instances.pop(instance_id, None) is None:
            return False
        self._s.links = {key: link for key, link in self._s.links.items() if key[0] != instance_id}
        self._s.runs = {k: r for k, r in self._s.runs.items() if r.instance_id != instance_id}
        self._s.entries = [e for e in self._s.entries if e.instance_id != instance_id]
        self._s.schedules = {k: s for k, s in self._s.schedules.items() if s.instance_id != instance_id}
        self._s.mappings = {key: found for key, found in self._s.mappings.items() if key[0] != instance_id}
        return True

    def record_test(self, instance_id: uuid.UUID, result: str, now: datetime) -> None:
        kept = self._s.instances.get(instance_id)
        if kept is not None:
            self._s.instances[instance_id] = evolve(kept, last_test_at=now, last_test_result=result)

    def _refuse_taken(self, instance: OdooInstance) -> None:
        if any(s.instance.name == instance.name and s.instance.id != instance.id for s in self._s.instances.values()):
            raise Conflict(f"an Odoo instance named {instance.name!r} exists", field="name")


class FakeOdooProductLinkRepository:
    """The default instance's links are mirrored to the products' `odoo_product_id`, as the database does."""

    def __init__(self, state: OdooState, products: dict[uuid.UUID, Product] | None = None) -> None:
        self._s = state
        self._products = products if products is not None else {}

    def links(self, instance_id: uuid.UUID, product_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, ProductLink]:
        return {pid: self._s.links[(instance_id, pid)] for pid in product_ids if (instance_id, pid) in self._s.links}

    def by_odoo_ids(self, instance_id: uuid.UUID, odoo_product_ids: Sequence[int]) -> dict[int, ProductLink]:
        mine = [link for (i, _), link in self._s.links.items() if i == instance_id]
        return {link.odoo_product_id: link for link in mine if link.odoo_product_id in odoo_product_ids}

    def link(self, instance_id: uuid.UUID, links: Sequence[ProductLink], now: datetime) -> None:
        for link in links:
            taken = [
                key
                for key, kept in self._s.links.items()
                if key[0] == instance_id and kept.odoo_product_id == link.odoo_product_id
            ]
            for key in taken:
                del self._s.links[key]
                self._mirror(instance_id, key[1], None)
            self._mirror(instance_id, link.product_id, link.odoo_product_id)
            kept = self._s.links.get((instance_id, link.product_id))
            if kept is not None and kept.odoo_product_id == link.odoo_product_id:
                link = ProductLink(
                    link.product_id,
                    link.odoo_product_id,
                    link.odoo_template_id or kept.odoo_template_id,
                    link.last_write_date or kept.last_write_date,
                )
            self._s.links[(instance_id, link.product_id)] = link

    def _mirror(self, instance_id: uuid.UUID, product_id: uuid.UUID, odoo_product_id: int | None) -> None:
        product = self._products.get(product_id)
        if instance_id == DEFAULT_INSTANCE_ID and product is not None:
            self._products[product_id] = evolve(product, odoo_product_id=odoo_product_id)

    def count(self, instance_id: uuid.UUID) -> int:
        return sum(1 for i, _ in self._s.links if i == instance_id)
