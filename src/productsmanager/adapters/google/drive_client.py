"""Drive v3 through google-api-python-client, pointed at `api_endpoint` (Google's, or a test server), each call
on a fresh guarded transport authorized with the caller's access token."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import httplib2
from google.oauth2.credentials import Credentials
from google_auth_httplib2 import AuthorizedHttp
from googleapiclient.discovery import build_from_document
from googleapiclient.discovery_cache import get_static_doc
from googleapiclient.http import MediaIoBaseDownload, MediaIoBaseUpload

from productsmanager.adapters.google.drive_errors import drive_errors
from productsmanager.adapters.google.resumable import ResumableUpload
from productsmanager.application.google.ports import DriveItem
from productsmanager.domain.google.drive import FOLDER_MIME_TYPE, SHEET_MIME_TYPE, XLSX_MIME_TYPE

FIELDS = "id, name, mimeType, size, modifiedTime, parents, md5Checksum"
DOWNLOAD_CHUNK = 4 * 1024 * 1024
MAX_FOLDER_PAGES = 20  # 20,000 subfolders: more is not a folder anyone browses


class GoogleDriveClient:
    def __init__(self, api_endpoint: str, http: Callable[[], httplib2.Http], chunk_size: int = 8 * 1024 * 1024) -> None:
        self._endpoint = api_endpoint.rstrip("/")
        self._http = http
        self._document = get_static_doc("drive", "v3")
        self._chunk_size = chunk_size

    def account_email(self, token: str) -> str:
        with drive_errors():
            about = self._service(token).about().get(fields="user(emailAddress)").execute()
        return str(about.get("user", {}).get("emailAddress") or "")

    def item(self, token: str, item_id: str) -> DriveItem:
        with drive_errors():
            found = self._service(token).files().get(fileId=item_id, fields=FIELDS, supportsAllDrives=True).execute()
        return _item(found)

    def folders(self, token: str, parent: str) -> list[DriveItem]:
        query = f"'{_quoted(parent)}' in parents and trashed = false and mimeType = '{FOLDER_MIME_TYPE}'"
        found: list[DriveItem] = []
        page_token: str | None = None
        for _ in range(MAX_FOLDER_PAGES):
            items, page_token = self._list(token, query, page_token, 1000)
            found += items
            if page_token is None:
                break
        return sorted(found, key=lambda item: item.name.casefold())

    def files(self, token: str, folder_id: str, page_token: str | None) -> tuple[list[DriveItem], str | None]:
        query = f"'{_quoted(folder_id)}' in parents and trashed = false and mimeType != '{FOLDER_MIME_TYPE}'"
        return self._list(token, query, page_token, 100)

    def download(self, token: str, item: DriveItem) -> Iterator[bytes]:
        files = self._service(token).files()
        if item.mime_type == SHEET_MIME_TYPE:
            request = files.export_media(fileId=item.id, mimeType=XLSX_MIME_TYPE)
        else:
            request = files.get_media(fileId=item.id, supportsAllDrives=True)
        return _chunks(request)

    def upload(self, token: str, folder_id: str, name: str, mime_type: str, content: bytes) -> DriveItem:
        media = MediaIoBaseUpload(io.BytesIO(content), mimetype=mime_type, resumable=False)
        body = {"name": name, "parents": [folder_id]}
        with drive_errors():
            created = (
                self._service(token)
                .files()
                .create(body=body, media_body=media, fields=FIELDS, supportsAllDrives=True)
                .execute()
            )
        return _item(created)

    def upload_stream(
        self, token: str, folder_id: str, name: str, mime_type: str, chunks: Iterable[bytes]
    ) -> DriveItem:
        upload = ResumableUpload(self._authorized(token), f"{self._endpoint}/upload/drive/v3/files", self._chunk_size)
        with drive_errors():
            created = upload.send({"name": name, "parents": [folder_id]}, mime_type, chunks, FIELDS)
        return _item(created)

    def _list(self, token: str, query: str, page_token: str | None, size: int) -> tuple[list[DriveItem], str | None]:
        fields = f"nextPageToken, files({FIELDS})"
        with drive_errors():
            page = (
                self._service(token)
                .files()
                .list(
                    q=query,
                    pageSize=size,
                    pageToken=page_token,
                    fields=fields,
                    supportsAllDrives=True,
                    includeItemsFromAllDrives=True,
                )
                .execute()
            )
        return [_item(found) for found in page.get("files", [])], page.get("nextPageToken") or None

    def _service(self, token: str) -> Any:
        options = {"api_endpoint": f"{self._endpoint}/drive/v3/"}
        return build_from_document(self._document, http=self._authorized(token), client_options=options)

    def _authorized(self, token: str) -> AuthorizedHttp:
        # No refresh here: a 401 goes back to the use case, which refreshes once for every process.
        return AuthorizedHttp(Credentials(token), http=self._http(), refresh_status_codes=())


def _chunks(request: Any) -> Iterator[bytes]:
    buffer = io.BytesIO()
    downloader = MediaIoBaseDownload(buffer, request, chunksize=DOWNLOAD_CHUNK)
    done = False
    while not done:
        with drive_errors():
            _status, done = downloader.next_chunk()
        if buffer.tell():
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()


def _item(found: dict[str, Any]) -> DriveItem:
    size = found.get("size")
    return DriveItem(
        id=str(found["id"]),
        name=str(found.get("name") or ""),
        mime_type=str(found.get("mimeType") or ""),
        size=int(size) if size is not None else None,
        modified_at=found.get("modifiedTime"),
        parents=tuple(found.get("parents") or ()),
        checksum=found.get("md5Checksum") or None,
    )


def _quoted(value: str) -> str:
    """A value inside a Drive query's single quotes (backslash and quote escaped)."""
    return value.replace("\\", "\\\\").replace("'", "\\'")
