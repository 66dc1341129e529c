"""Export platforms, templates and jobs as JSON."""

from __future__ import annotations

from typing import Any

from productsmanager.domain.exports.jobs import ExportJob
from productsmanager.domain.exports.platforms import ExportPlatform
from productsmanager.domain.exports.templates import ExportTemplate

Json = dict[str, Any]


def platform(value: ExportPlatform) -> Json:
    return {
        "id": value.id, "name": value.name, "kind": value.kind.value, "bucket": value.bucket, "prefix": value.prefix,
        "folder_id": value.folder_id, "created_at": value.created_at, "updated_at": value.updated_at,
    }  # fmt: skip


def template(value: ExportTemplate) -> Json:
    columns = [
        {"header": c.header, "field": c.field.name} if c.field is not None else {"header": c.header, "value": c.value}
        for c in value.columns
    ]
    return {"id": value.id, "name": value.name, "columns": columns, "created_at": value.created_at,
            "updated_at": value.updated_at}  # fmt: skip


def job(value: ExportJob, download_url: str | None) -> Json:
    return {
        "id": value.id, "platform_id": value.platform_id, "format": value.format.value,
        "json_style": value.json_style.value, "status": value.status.value, "file_name": value.file_name,
        "fields": value.fields, "headers": value.headers, "filters": value.product_filter,
        "template_id": value.template_id, "rows": value.rows, "bytes": value.bytes, "location": value.location,
        "download_url": download_url, "attempts": value.attempts, "error": value.error,
        "requested_by": value.requested_by, "created_at": value.created_at, "started_at": value.started_at,
        "heartbeat_at": value.heartbeat_at, "finished_at": value.finished_at, "expires_at": value.expires_at,
    }  # fmt: skip
