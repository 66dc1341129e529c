"""JSON Schemas of the Google Drive integration's answers."""

from __future__ import annotations

from productsmanager.domain.google.oauth import ConnectionStatus
from productsmanager.entrypoints.falcon.schemas import NULLABLE_TEXT, Schema, ref

_ID: Schema = {"type": "string", "pattern": r"^[A-Za-z0-9_-]{1,128}$"}
COMPONENTS: dict[str, Schema] = {
    "GoogleAuthorization": {
        "type": "object",
        "required": ["url"],
        "properties": {"url": {"type": "string", "description": "open it in the admin's browser (10 minutes)"}},
    },
    "GoogleStatus": {
        "type": "object",
        "required": ["status", "email", "scopes", "expires_at"],
        "properties": {
            "status": {"enum": [s.value for s in ConnectionStatus]},
            "email": NULLABLE_TEXT,
            "scopes": {"type": "array", "items": {"type": "string"}},
            "expires_at": {**NULLABLE_TEXT, "description": "the access token's expiry (refreshed before it)"},
        },
    },
    "DriveItem": {
        "type": "object",
        "required": ["id", "name", "mime_type", "size", "modified_at"],
        "properties": {
            "id": _ID,
            "name": {"type": "string"},
            "mime_type": {"type": "string"},
            "size": {"type": ["integer", "null"]},
            "modified_at": NULLABLE_TEXT,
        },
    },
    "DriveFolders": {
        "type": "object",
        "required": ["parent", "breadcrumbs", "items"],
        "properties": {
            "parent": {"type": "string"},
            "breadcrumbs": {
                "type": "array",
                "items": {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}}},
            },
            "items": {"type": "array", "items": ref("DriveItem")},
        },
    },
    "DriveFiles": {
        "type": "object",
        "required": ["items", "next_cursor"],
        "properties": {"items": {"type": "array", "items": ref("DriveItem")}, "next_cursor": NULLABLE_TEXT},
    },
    "DriveUpload": {
        "type": "object",
        "required": ["folder_id", "file"],
        "properties": {"folder_id": _ID, "file": {"type": "string", "format": "binary"}},
    },
}
