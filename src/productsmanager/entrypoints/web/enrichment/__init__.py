"""The back office's enrichment pages: EAN lookup (stats, providers, lookup jobs, the EAN Finder queue)."""

from productsmanager.entrypoints.web.enrichment.pages import PAGES

__all__ = ["PAGES"]
