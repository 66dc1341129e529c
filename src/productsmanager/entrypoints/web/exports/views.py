"""What the exports page shows, read through the same use cases as the REST API: the platforms, the templates,
the history (a row per export, re-rendered alone when its progress changes) and the Google Drive connection."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import Any

from productsmanager.application.exports.exports import Exports
from productsmanager.application.exports.platforms import ExportPlatforms, ExportTemplates
from productsmanager.application.google.connection import GoogleConnection
from productsmanager.domain.errors import NotFound
from productsmanager.domain.exports.jobs import ExportJob
from productsmanager.domain.exports.platforms import PlatformKind

HISTORY_LIMIT = 20
REST_DOWNLOAD = "/api/v1/exports/{}/download"
GOOGLE_OUTCOMES = {
    "connected": ("ok", "Google Drive connected."),
    "disconnected": ("ok", "Google Drive disconnected."),
    "invalid": ("error", "The connection to Google Drive failed (the authorization was refused or expired): "
                "start again."),
    "refused": ("error", "Google Drive could not be connected: it is not configured, or Google refused."),
    "unavailable": ("error", "Google could not be reached: try again in a minute."),
}  # fmt: skip
KIND_LABELS = {PlatformKind.DOWNLOAD: "Download", PlatformKind.S3: "S3 bucket", PlatformKind.GDRIVE: "Google Drive"}


class ExportsView:
    """The use cases the page reads, built per request like the REST resources do."""

    def __init__(
        self,
        exports: Callable[[], Exports],
        platforms: Callable[[], ExportPlatforms],
        templates: Callable[[], ExportTemplates],
        google: Callable[[], GoogleConnection],
    ) -> None:
        self.exports = exports
        self.platforms = platforms
        self.templates = templates
        self.google = google

    def page(self, params: Mapping[str, Any]) -> dict[str, Any]:
        exports = self.exports()
        platforms = self.platforms().list()
        names = {p.id: p.name for p in platforms}
        found = exports.page(HISTORY_LIMIT, params.get("cursor") or None)
        outcome = GOOGLE_OUTCOMES.get(str(params.get("google", "")))
        return {
            "platforms": platforms,
            "kind_labels": KIND_LABELS,
            "templates": self.templates().list(),
            "history": [row(exports, job, names) for job in found.items],
            "next_cursor": found.next_cursor,
            "google": self.google().status(),
            "google_outcome": outcome,
        }

    def row(self, export_id: uuid.UUID) -> dict[str, Any]:
        exports = self.exports()
        job = exports.get(export_id)
        try:
            name = self.platforms().get(job.platform_id).name
        except NotFound:  # a deleted platform: the export keeps its record
            name = "(deleted platform)"
        return row(exports, job, {job.platform_id: name})


def row(exports: Exports, job: ExportJob, platform_names: Mapping[uuid.UUID, str]) -> dict[str, Any]:
    """One line of the history; `running` keeps a polling fallback on it until it finishes."""
    return {
        "id": job.id,
        "file_name": job.file_name,
        "format": job.format.value,
        "platform": platform_names.get(job.platform_id, "(deleted platform)"),
        "status": job.status.value,
        "rows": job.rows,
        "bytes": job.bytes,
        "error": job.error,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "running": not job.status.finished,
        "downloadable": exports.download_url(job, REST_DOWNLOAD.format(job.id)) is not None,
    }
