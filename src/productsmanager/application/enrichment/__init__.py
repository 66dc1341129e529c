"""Enrichment use cases: EAN lookup at barcode providers, the EAN Finder, and their configuration."""
