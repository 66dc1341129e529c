"""The Odoo instances the catalog syncs with (two companies, or a staging and a production Odoo). The single
configuration the catalog had before is the instance `default`, with a fixed id: the `/api/v1/odoo/…` paths
keep meaning it, and `products.odoo_product_id` keeps meaning its record."""

from __future__ import annotations

import uuid

DEFAULT_INSTANCE_ID = uuid.UUID("00000000-0000-4000-8000-0000000000d0")
DEFAULT_INSTANCE_NAME = "default"
