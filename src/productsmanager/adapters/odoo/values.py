"""Checks on what is sent to Odoo, the same for both protocols."""

from __future__ import annotations

from typing import Any


def refuse_none(value: Any, where: str) -> None:
    """Raises `ValueError` naming the first `None` inside `value` (dicts, lists and tuples are walked).

    XML-RPC cannot marshal `None` and Odoo reads a JSON `null` as "no value" only for some field types: a missing
    value must be sent as `False`, which the mapping layer does. A `None` here is a bug upstream, so it is
    refused before anything is sent rather than half-written to Odoo."""
    if value is None:
        raise ValueError(f"{where} is None: Odoo cannot receive None, send False to clear a field")
    if isinstance(value, dict):
        for key, item in value.items():
            refuse_none(item, f"{where}[{key!r}]" if where else repr(key))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            refuse_none(item, f"{where}[{index}]")


def company_context(company_id: int | None) -> dict[str, Any]:
    """The context that makes Odoo work in `company_id` (multi-company databases), empty when there is none."""
    return {} if company_id is None else {"allowed_company_ids": [company_id]}
