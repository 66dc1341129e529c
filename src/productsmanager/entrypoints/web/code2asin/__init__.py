"""The back office's Code2ASIN pages: jobs, a job's details, its results CSV and the EAN export."""

from productsmanager.entrypoints.web.code2asin.pages import PAGES

__all__ = ["PAGES"]
