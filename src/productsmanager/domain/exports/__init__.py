"""Exports: products written as CSV, XLSX or JSON files to a platform (download, S3, Google Drive)."""
