"""The settings of `serve`'s workers: the client timeout, the largest request body, the access log line."""

from __future__ import annotations

import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from productsmanager.config import Config, ConfigError
from productsmanager.entrypoints.cli.http_worker import _access_logged
from productsmanager.entrypoints.cli.server import max_request_body


def test_client_timeout_defaults_to_30_seconds_and_is_bounded() -> None:
    assert Config.from_env({}).client_timeout_seconds == 30
    assert Config.from_env({"PM_CLIENT_TIMEOUT_SECONDS": "5"}).client_timeout_seconds == 5
    for bad in ("0", "3601", "soon"):
        with pytest.raises(ConfigError, match="PM_CLIENT_TIMEOUT_SECONDS"):
            Config.from_env({"PM_CLIENT_TIMEOUT_SECONDS": bad})


@given(st.integers(1024, 2**40), st.integers(1, 2**31))
def test_the_body_limit_leaves_room_for_the_largest_upload_and_its_envelope(imports: int, media: int) -> None:
    config = Config(import_max_bytes=imports, media_max_bytes=media)
    assert max_request_body(config) == max(imports, media) + 1024 * 1024


def test_one_access_log_line_per_request(caplog: pytest.LogCaptureFixture) -> None:
    def app(environ: dict[str, str], start_response: object) -> list[bytes]:
        start_response("201 Created", [("Content-Type", "text/plain"), ("Content-Length", "2")])  # type: ignore[operator]
        return [b"ok"]

    access = logging.getLogger("test.access")
    access.addHandler(logging.NullHandler())
    environ = {
        "REMOTE_ADDR": "10.0.0.7",
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/api/v1/products",
        "QUERY_STRING": "x=1",
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    with caplog.at_level(logging.INFO, logger="test.access"):
        body = _access_logged(app, access)(environ, lambda status, headers, *exc: None)
    assert list(body) == [b"ok"]
    [line] = [record.getMessage() for record in caplog.records]
    assert line.startswith("10.0.0.7 [") and '"POST /api/v1/products?x=1 HTTP/1.1" 201 2 ' in line


def test_no_access_log_when_it_is_off(caplog: pytest.LogCaptureFixture) -> None:
    quiet = logging.getLogger("test.quiet-access")
    with caplog.at_level(logging.INFO, logger="test.quiet-access"):
        _access_logged(lambda environ, start_response: [b""], quiet)({}, lambda *args: None)
    assert not caplog.records
