"""Exports' technology: file writers (CSV, XLSX via xlsxwriter, JSON via orjson) and where files go (S3
multipart uploads, the filesystem)."""
