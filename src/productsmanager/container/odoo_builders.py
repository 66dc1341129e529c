"""Builders of Odoo: a protocol adapter per connection."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from productsmanager.application.odoo.ports import OdooCatalog, OdooConnection


def build_odoo_catalog_factory(guard: Any) -> Callable[[OdooConnection], OdooCatalog]:
    """An adapter per connection, by its protocol: XML-RPC, or JSON-2 for Odoo 19+ (imported on first use);
    both connect through the outbound guard."""

    def catalog(connection: OdooConnection) -> OdooCatalog:
        if connection.protocol == "json2":
            from productsmanager.adapters.odoo.json2_catalog import OdooJsonCatalog

            return OdooJsonCatalog(connection, guard)
        from productsmanager.adapters.odoo.xmlrpc_catalog import OdooXmlRpcCatalog

        return OdooXmlRpcCatalog(connection, guard)

    return catalog
