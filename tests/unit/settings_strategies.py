"""Hypothesis strategies of valid setting values, key by key, as a client would send them in JSON."""

from __future__ import annotations

import zoneinfo
from typing import Any

from hypothesis import strategies as st

ZONES = sorted(zoneinfo.available_timezones() - {"localtime", "posixrules", "Factory"})
ADDRESS = st.from_regex(r"[a-z0-9._-]{1,20}@[a-z0-9-]{1,20}\.[a-z]{2,6}", fullmatch=True)
VALID: dict[str, dict[str, st.SearchStrategy[Any]]] = {
    "general": {
        "company_name": st.text(min_size=1, max_size=200).filter(str.strip),
        "default_currency": st.from_regex(r"[A-Z]{3}", fullmatch=True),
        "timezone": st.sampled_from(ZONES),
    },
    "notifications": {
        "emailImportComplete": st.booleans(),
        "emailImportError": st.booleans(),
        "recipients": st.lists(ADDRESS, max_size=50, unique_by=str.lower),
    },
    "media": {
        "thumbnail_jpeg_quality": st.integers(1, 95),
        "max_upload_bytes": st.integers(1, 2**40),
    },
    "imports": {
        "encoding": st.sampled_from(["auto", "utf-8", "utf-8-sig", "windows-1252", "latin-1"]),
        "delimiter": st.sampled_from(["auto", ",", ";", "\t", "|"]),
        "decimal_comma": st.booleans(),
        "header_row": st.integers(1, 100),
        "missing_offers": st.sampled_from(["keep", "zero_stock", "remove"]),
    },
    "product_data": {
        # normalised entries (upper-case codes, `odoo`), as the section gives them back
        "source_priority": st.lists(
            st.one_of(st.just("odoo"), st.from_regex(r"[A-Z0-9][A-Z0-9_-]{0,9}", fullmatch=True)),
            max_size=8,
            unique=True,
        ).filter(lambda codes: not {"ODOO", "MANUAL", "SUPPLIER", "EAN_LOOKUP", "CODE2ASIN"} & set(codes)),
    },
    "ean_lookup": {
        "min_confidence": st.floats(0, 1),
        "merge_results": st.booleans(),
        "cache_days": st.integers(0, 3650),
        "not_found_cache_days": st.integers(0, 3650),
    },
}
