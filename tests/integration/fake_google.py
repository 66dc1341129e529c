"""A fake Google on one loopback TLS server (a throwaway certificate the test trusts): the OAuth 2.0 token and
revocation endpoints and the Drive v3 subset the adapter uses, in Google's shapes.

- `POST /token` (form): `authorization_code` with the PKCE `code_verifier` checked against the challenge the
  code was issued for, and `refresh_token`; answers `{"access_token", "expires_in", "refresh_token"?, "scope",
  "token_type": "Bearer"}`, or 400 `{"error": "invalid_grant", "error_description": ...}` (a used or unknown
  code, a PKCE mismatch, a revoked refresh token), 401 `invalid_client`.
- `POST /revoke` (form `token`): 200, or 400 `{"error": "invalid_token", ...}`.
- `GET /drive/v3/about`, `GET /drive/v3/files` (`q`, `pageSize`, `pageToken` -> `nextPageToken`, `fields`),
  `GET /drive/v3/files/{id}` (`alt=media` with `Range`), `GET /drive/v3/files/{id}/export?mimeType`,
  `POST /upload/drive/v3/files?uploadType=multipart|resumable`, `PUT` on the session (`Content-Range`, 308 with
  `Range`, 200 at the end); 401 `UNAUTHENTICATED`, 403 `userRateLimitExceeded` and `exportSizeLimitExceeded`,
  404 `notFound`. Files carry `md5Checksum` (binary ones) and `modifiedTime`.
The server must speak TLS because google-api-python-client makes upload URLs `https://{host:port}/upload/...`.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import ThreadingHTTPServer
from pathlib import Path

from attrs import define, field
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.integration.fake_google_drive import DriveStore
from tests.integration.fake_google_handler import GoogleHandler

CLIENT_ID = "1234567890-fake.apps.googleusercontent.com"
CLIENT_SECRET = "GOCSPX-fake-client-secret"
EMAIL = "catalog.owner@example.com"


@define
class FakeGoogle:
    base_url: str = ""
    ca_file: str = ""
    drive: DriveStore = field(factory=DriveStore)
    codes: dict[str, str] = field(factory=dict)  # code -> PKCE challenge
    refresh_tokens: set[str] = field(factory=set)
    access_tokens: dict[str, float] = field(factory=dict)  # token -> expiry (time.time())
    expires_in: int = 3599
    grants: list[str] = field(factory=list)  # grant_type of every token request
    revoked: list[str] = field(factory=list)
    rate_limited: int = 0  # the next N Drive requests answer 403 userRateLimitExceeded
    refresh_delay: float = 0.0
    uploads: dict[str, dict[str, object]] = field(factory=dict)  # resumable sessions
    puts: list[str] = field(factory=list)  # Content-Range of every PUT
    lock: threading.Lock = field(factory=threading.Lock)

    def approve(self, challenge: str) -> str:
        """The user consented at Google: the code the browser brings back."""
        code = f"4/0Ad-fake-{len(self.codes)}"
        self.codes[code] = challenge
        return code

    def expire_access_tokens(self) -> None:
        self.access_tokens = {token: 0.0 for token in self.access_tokens}


def _certificate(folder: Path) -> tuple[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fake google")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return str(cert_file), str(key_file)


@contextmanager
def fake_google() -> Iterator[FakeGoogle]:
    import ssl

    with tempfile.TemporaryDirectory(prefix="fake-google-") as folder:
        cert_file, key_file = _certificate(Path(folder))
        fake = FakeGoogle(ca_file=cert_file)
        server = ThreadingHTTPServer(("127.0.0.1", 0), GoogleHandler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_file, key_file)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        server.daemon_threads = True
        server.fake = fake  # type: ignore[attr-defined]
        fake.base_url = f"https://127.0.0.1:{server.server_address[1]}"
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield fake
        finally:
            server.shutdown()
            server.server_close()
            thread.join(5)
