"""Enrichment: the barcode providers of EAN lookup (settings and a test)."""
