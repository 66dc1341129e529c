"""Exports over HTTP: platforms, templates, export jobs and their downloads."""
