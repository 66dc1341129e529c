"""The fake Google's request handler: OAuth endpoints, then Drive's (see fake_google for the shapes)."""

from __future__ import annotations

import base64
import email.parser
import email.policy
import hashlib
import json
import re
import time
import uuid
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.integration.fake_google_drive import (
    EXPORT_TOO_LARGE,
    RATE_LIMITED,
    UNAUTHENTICATED,
    list_fields,
    not_found,
    partial,
)

SHEET = "application/vnd.google-apps.spreadsheet"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class GoogleHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        return None

    @property
    def fake(self) -> Any:
        return self.server.fake  # type: ignore[attr-defined]

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _send(self, status: int, body: bytes | dict[str, Any], headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode() if isinstance(body, dict) else body
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8" if isinstance(body, dict) else
                         (headers or {}).pop("Content-Type", "application/octet-stream"))  # fmt: skip
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    # OAuth ---------------------------------------------------------------------------------------------------
    def do_POST(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/token":
            return self._token({k: v[0] for k, v in parse_qs(self._body().decode()).items()})
        if url.path == "/revoke":
            token = parse_qs(self._body().decode()).get("token", [""])[0]
            if token in self.fake.refresh_tokens or token in self.fake.access_tokens:
                self.fake.revoked.append(token)
                self.fake.refresh_tokens.discard(token)
                return self._send(200, {})
            return self._send(400, {"error": "invalid_token", "error_description": "Token expired or revoked"})
        if url.path == "/upload/drive/v3/files" and self._authorized():
            return self._upload_start(parse_qs(url.query))
        return None

    def _token(self, form: dict[str, str]) -> None:
        from tests.integration.fake_google import CLIENT_ID, CLIENT_SECRET

        fake = self.fake
        with fake.lock:
            fake.grants.append(form.get("grant_type", ""))
        if (form.get("client_id"), form.get("client_secret")) != (CLIENT_ID, CLIENT_SECRET):
            return self._send(401, {"error": "invalid_client", "error_description": "The OAuth client was not found."})
        refresh = None
        if form.get("grant_type") == "authorization_code":
            challenge = fake.codes.pop(form.get("code", ""), None)
            digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
            if challenge is None or challenge != base64.urlsafe_b64encode(digest).rstrip(b"=").decode():
                return self._send(400, {"error": "invalid_grant", "error_description": "Bad Request"})
            refresh = f"1//0g-fake-refresh-{uuid.uuid4().hex}"
            fake.refresh_tokens.add(refresh)
        elif form.get("grant_type") == "refresh_token":
            if form.get("refresh_token") not in fake.refresh_tokens:
                error = {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}
                return self._send(400, error)
            time.sleep(fake.refresh_delay)
        else:
            return self._send(400, {"error": "unsupported_grant_type", "error_description": "Invalid grant_type"})
        access = f"ya29.fake-{uuid.uuid4().hex}"
        fake.access_tokens[access] = time.time() + fake.expires_in
        answer = {"access_token": access, "expires_in": fake.expires_in, "token_type": "Bearer",
                  "scope": "https://www.googleapis.com/auth/drive"}  # fmt: skip
        return self._send(200, answer | ({"refresh_token": refresh} if refresh else {}))

    # Drive ---------------------------------------------------------------------------------------------------
    def _authorized(self) -> bool:
        fake = self.fake
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        if fake.access_tokens.get(token, 0) <= time.time():
            self._body()
            self._send(401, UNAUTHENTICATED, {"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/"'})
            return False
        with fake.lock:
            limited = fake.rate_limited > 0
            fake.rate_limited -= 1 if limited else 0
        if limited:
            self._body()
            self._send(403, RATE_LIMITED)
            return False
        return True

    def do_GET(self) -> None:
        if not self._authorized():
            return None
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        store = self.fake.drive
        if url.path == "/drive/v3/about":
            from tests.integration.fake_google import EMAIL

            return self._send(200, {"user": {"emailAddress": EMAIL, "kind": "drive#user"}})
        if url.path == "/drive/v3/files":
            return self._list(query)
        found = re.fullmatch(r"/drive/v3/files/([^/]+)(/export)?", url.path)
        file = store.files.get(found[1]) if found else None
        if file is None or file.trashed:
            return self._send(404, not_found(found[1] if found else url.path))
        if found[2]:
            if file.mimeType != SHEET or query.get("mimeType") != XLSX:
                return self._send(400, {"error": {"code": 400, "message": "Export only supports Docs Editors files."}})
            exported = store.exported(file)
            if exported is None:
                return self._send(403, EXPORT_TOO_LARGE)
            return self._send(200, exported, {"Content-Type": XLSX})
        if query.get("alt") == "media":
            return self._media(file.content)
        return self._send(200, partial(file.resource(), query.get("fields")))

    def _list(self, query: dict[str, str]) -> None:
        found = self.fake.drive.query(query.get("q", ""))
        if found is None:
            error = {"error": {"code": 400, "message": "Invalid Value", "errors": [{"reason": "invalid"}]}}
            return self._send(400, error)
        start = int(query.get("pageToken", "0") or 0)
        size = min(int(query.get("pageSize", "100")), 1000)
        page = {"kind": "drive#fileList", "files": [partial(f.resource(), list_fields(query.get("fields")))
                                                    for f in found[start : start + size]]}  # fmt: skip
        if start + size < len(found):
            page["nextPageToken"] = str(start + size)
        return self._send(200, page)

    def _media(self, content: bytes) -> None:
        wanted = re.fullmatch(r"bytes=(\d+)-(\d+)", self.headers.get("Range", ""))
        if not wanted:
            return self._send(200, content)
        first, last = int(wanted[1]), min(int(wanted[2]), len(content) - 1)
        headers = {"Content-Range": f"bytes {first}-{last}/{len(content)}"}
        return self._send(206, content[first : last + 1], headers)

    # Uploads -------------------------------------------------------------------------------------------------
    def _upload_start(self, query: dict[str, list[str]]) -> None:
        kind = query.get("uploadType", [""])[0]
        body = self._body()
        if kind == "multipart":
            message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                b"Content-Type: " + self.headers["Content-Type"].encode() + b"\r\n\r\n" + body
            )
            metadata_part, media_part = list(message.iter_parts())
            metadata = json.loads(metadata_part.get_content())
            content = media_part.get_payload(decode=True)
            return self._created(metadata, media_part.get_content_type(), content, query)
        session = uuid.uuid4().hex
        self.fake.uploads[session] = {"metadata": json.loads(body or b"{}"), "data": bytearray(),
                                      "type": self.headers.get("X-Upload-Content-Type"), "query": query}  # fmt: skip
        location = f"{self.fake.base_url}/upload/drive/v3/files?uploadType=resumable&upload_id={session}"
        return self._send(200, b"", {"Location": location})

    def do_PUT(self) -> None:
        session = self.fake.uploads.get(parse_qs(urlsplit(self.path).query).get("upload_id", [""])[0])
        body = self._body()
        if session is None:
            return self._send(404, not_found("upload session"))
        content_range = self.headers.get("Content-Range", "")
        self.fake.puts.append(content_range)
        sent = re.fullmatch(r"bytes (?:(\d+)-(\d+)|\*)/(\d+|\*)", content_range)
        data: bytearray = session["data"]
        if sent is None or (sent[1] is not None and int(sent[1]) != len(data)):
            return self._send(400, {"error": {"code": 400, "message": "Invalid Content-Range"}})
        data += body
        if sent[3] != "*" and int(sent[3]) == len(data):
            return self._created(session["metadata"], session["type"], bytes(data), session["query"])
        headers = {"Range": f"bytes=0-{len(data) - 1}"} if data else {}
        return self._send(308, b"", headers)

    def _created(self, metadata: dict[str, Any], mime: str | None, content: bytes, query: dict[str, list[str]]) -> None:
        store = self.fake.drive
        file_id = f"1fake{uuid.uuid4().hex[:20]}"
        parent = (metadata.get("parents") or ["root"])[0]
        created = store.add(file_id, metadata["name"], mime or "application/octet-stream", parent, content)
        return self._send(200, partial(created.resource(), query.get("fields", [None])[0]))
