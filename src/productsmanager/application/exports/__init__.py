"""Exports: platforms, templates, export jobs and the runner that streams products into a file."""
