"""Enrichment: what barcode providers (EAN lookup, the EAN Finder) and Code2ASIN know of a product."""
