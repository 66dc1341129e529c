"""Route declarations of the Google Drive integration (a declarative table)."""

from __future__ import annotations

from productsmanager.domain.users import Role
from productsmanager.entrypoints.falcon.google import connection as c
from productsmanager.entrypoints.falcon.google import drive as d
from productsmanager.entrypoints.falcon.routing import Operation, QueryParam, Route

BASE = "/api/v1/integrations/google"
_DOWN = (409, 503)  # 409: no OAuth client configured, or no account connected; 503: Google down or rate-limiting
_ID = {"type": "string", "pattern": r"^[A-Za-z0-9_-]{1,128}$"}


def _route(path: str, name: str, factory: object, method: str, operation: Operation, **extra: object) -> Route:
    return Route(path=f"{BASE}{path}", name=name, factory=factory, operations={method: operation}, **extra)  # type: ignore[arg-type]


ROUTES = (
    _route("/authorize", "google_authorize", lambda k: c.AuthorizeResource(k.google_connection), "GET", Operation(
        summary="The Google URL to open to connect Google Drive (state and PKCE, offline access, consent)",
        role=Role.ADMIN, response="GoogleAuthorization", errors=(401, 403, *_DOWN))),
    _route("/callback", "google_callback", lambda k: c.CallbackResource(k.google_connection), "GET", Operation(
        summary="Where Google sends the browser back: the state is checked (single use, 10 minutes), the code "
        "exchanged; a page saying connected, or a problem",
        role=None, errors=(400, *_DOWN),
        params=(QueryParam(name="state"), QueryParam(name="code"), QueryParam(name="error")))),
    _route("/status", "google_status", lambda k: c.StatusResource(k.google_connection), "GET", Operation(
        summary="not_configured, disconnected, connected or reconnect_needed, with the account's address",
        role=Role.VIEWER, response="GoogleStatus", errors=(401,))),
    _route("/disconnect", "google_disconnect", lambda k: c.DisconnectResource(k.google_connection), "POST", Operation(
        summary="Revoke the authorization at Google, then forget the tokens",
        role=Role.ADMIN, response="GoogleStatus", errors=(401, 403, *_DOWN))),
    _route("/test", "google_test", lambda k: c.TestResource(k.google_connection), "GET", Operation(
        summary="One cheap Drive call with a fresh token", role=Role.ADMIN, response="GoogleStatus",
        errors=(401, 403, *_DOWN))),
    _route("/folders", "google_folders", lambda k: d.FoldersResource(k.drive_browser), "GET", Operation(
        summary="The folders in `parent` (My Drive by default) with the breadcrumbs to it (cached a minute)",
        role=Role.VIEWER, response="DriveFolders", errors=(400, 401, 404, *_DOWN),
        params=(QueryParam(name="parent", schema=_ID, description="a folder id; default: My Drive"),))),
    _route("/files/{folder_id}", "google_files", lambda k: d.FilesResource(k.drive_browser), "GET", Operation(
        summary="A folder's files whose name matches `pattern` (a case-insensitive glob), a page at a time (a "
        "page may hold fewer items than Drive's, even none, with a next cursor)",
        role=Role.VIEWER, response="DriveFiles", errors=(400, 401, 404, 422, *_DOWN),
        params=(QueryParam(name="pattern", description="`*.csv`, `*catalog*.xlsx`; default `*`"),
                QueryParam(name="cursor", description="next_cursor of the previous page"))),
        path_params={"folder_id": _ID}),
    _route("/download/{file_id}", "google_download", lambda k: d.DownloadResource(k.drive_browser), "GET", Operation(
        summary="The file's bytes, streamed; a Google Sheet exported as XLSX",
        role=Role.VIEWER, errors=(400, 401, 404, *_DOWN)), path_params={"file_id": _ID}),
    _route("/upload", "google_upload",
           lambda k: d.UploadResource(k.drive_browser, k.config().import_max_bytes), "POST", Operation(
        summary="Upload a file into a folder (multipart: `folder_id` then `file`); resumable beyond 5 MB",
        role=Role.EDITOR, request="DriveUpload", request_media=("multipart/form-data",), response="DriveItem",
        status=201, errors=(400, 401, 403, 404, 413, 415, 422, *_DOWN))),
)  # fmt: skip
