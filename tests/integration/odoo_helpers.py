"""Shared by the Odoo sync tests (the `odoo` fixture itself is in conftest.py)."""

from __future__ import annotations

from productsmanager.domain.gtin import check_digit


def ean(n: int) -> str:
    """A valid EAN-13 in the in-store range 20-29, distinct per n."""
    payload = f"20{n:010d}"
    return payload + str(check_digit(payload))
