"""The back office's exports: platforms, templates, new exports with their live progress and downloads, and the
Google Drive connection with its folder browser."""
