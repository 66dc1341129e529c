"""The Odoo instances the catalog syncs with (two companies, or a staging and a production Odoo). The single
configuration the catalog had before is the instance `default`, with a fixed id: the `/api/v1/odoo/…` paths
keep meaning it, and `products.odoo_product_id` keeps meaning its record."""

from __future__ import annotations

import uuid
from typing import Any

from attrs import frozen

from productsmanager.domain.errors import Conflict, InvalidValue
from productsmanager.domain.odoo.configuration import OdooConfiguration

DEFAULT_INSTANCE_ID = uuid.UUID("00000000-0000-4000-8000-0000000000d0")
DEFAULT_INSTANCE_NAME = "default"
NAME_MAX = 100


@frozen
class OdooInstance:
    """`configuration` None: not configured yet (the default instance exists from the start, configured or
    not). A disabled instance keeps its settings, mappings and links, but syncs nothing."""

    id: uuid.UUID
    name: str
    configuration: OdooConfiguration | None = None
    enabled: bool = True

    @property
    def is_default(self) -> bool:
        return self.id == DEFAULT_INSTANCE_ID

    @staticmethod
    def parse_name(raw: Any) -> str:
        """Trimmed, 1 to 100 printable characters; uniqueness is the repository's to enforce."""
        name = raw.strip() if isinstance(raw, str) else ""
        if not name or len(name) > NAME_MAX or not name.isprintable():
            raise InvalidValue(f"name must be 1 to {NAME_MAX} printable characters", field="name")
        return name

    @staticmethod
    def parse_enabled(raw: Any) -> bool:
        if not isinstance(raw, bool):
            raise InvalidValue("enabled must be true or false", field="enabled")
        return raw

    def check_deletable(self) -> None:
        """The default instance is what the `/api/v1/odoo/…` paths and `products.odoo_product_id` mean."""
        if self.is_default:
            raise Conflict("the default Odoo instance cannot be deleted; disable it instead")

    def check_enabled(self) -> None:
        if not self.enabled:
            raise Conflict(f"the Odoo instance {self.name!r} is disabled: enable it to sync with it")
