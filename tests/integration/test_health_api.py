"""`GET /api/v1/health` checks each dependency (database, broker, media store) of the app as configured, and
answers 503 with Retry-After when one is down, within a few seconds whatever is down."""

from __future__ import annotations

import os
import time
import uuid
from urllib.parse import urlsplit

import pytest
from sqlalchemy.engine import make_url

from tests.integration.helpers import Backend
from tests.integration.outage_helpers import app_with, redis_down
from tests.integration.s3_server import ACCESS_KEY, SECRET_KEY
from tests.integration.tcp_proxy import tcp_proxy

pytestmark = pytest.mark.integration
REDIS_URL = os.environ.get("PM_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def test_the_embedded_dependencies_are_reported_ok(backend: Backend) -> None:
    result = backend.client.simulate_get("/api/v1/health")
    assert result.status_code == 200, result.text
    assert result.json == {
        "status": "ok",
        "database": "ok",
        "checks": {
            "database": {"status": "ok", "backend": backend.name},
            "broker": {"status": "ok", "backend": "inline"},
            "media_store": {"status": "ok", "backend": "filesystem"},
        },
    }
    assert "retry-after" not in result.headers


def test_a_reachable_redis_broker_is_ok(backend: Backend) -> None:
    _, client = app_with(backend, backend.url, PM_REDIS_URL=REDIS_URL)
    result = client.simulate_get("/api/v1/health")
    assert result.status_code == 200, result.text
    assert result.json["checks"]["broker"] == {"status": "ok", "backend": "redis"}


def test_a_broker_that_is_down_makes_the_service_unavailable(backend: Backend) -> None:
    _, client = redis_down(backend)
    started = time.monotonic()
    result = client.simulate_get("/api/v1/health")
    assert time.monotonic() - started < 4
    assert result.status_code == 503, result.text
    assert result.headers["retry-after"].isdigit()
    assert result.json["status"] == "unavailable" and result.json["database"] == "ok"
    assert result.json["checks"]["broker"] == {"status": "unavailable", "backend": "redis"}
    assert result.json["checks"]["media_store"]["status"] == "ok"


def test_a_database_that_went_away_makes_the_service_unavailable(postgresql_backend: Backend) -> None:
    url = make_url(postgresql_backend.url)
    with tcp_proxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        container, client = app_with(postgresql_backend, proxied)
        assert client.simulate_get("/api/v1/health").status_code == 200
        proxy.stop()
        result = client.simulate_get("/api/v1/health")
        assert result.status_code == 503, result.text
        assert result.json["status"] == result.json["database"] == "unavailable"
        assert result.json["checks"]["database"] == {"status": "unavailable", "backend": "postgresql"}
        assert result.json["checks"]["broker"]["status"] == "ok"
        container.engine().dispose()


def test_an_s3_store_that_went_away_makes_the_service_unavailable(sqlite_backend: Backend, s3_endpoint: str) -> None:
    endpoint = urlsplit(s3_endpoint)
    with tcp_proxy(endpoint.hostname or "127.0.0.1", endpoint.port or 80) as proxy:
        _, client = app_with(
            sqlite_backend,
            sqlite_backend.url,
            PM_S3_ENDPOINT=f"http://127.0.0.1:{proxy.port}",
            PM_S3_ACCESS_KEY=ACCESS_KEY,
            PM_S3_SECRET_KEY=SECRET_KEY,
            PM_S3_BUCKET=f"health-{uuid.uuid4().hex[:12]}",
        )
        result = client.simulate_get("/api/v1/health")
        assert result.status_code == 200, result.text
        assert result.json["checks"]["media_store"] == {"status": "ok", "backend": "s3"}
        proxy.stop()
        started = time.monotonic()
        result = client.simulate_get("/api/v1/health")
        assert time.monotonic() - started < 4
        assert result.status_code == 503, result.text
        assert result.json["checks"]["media_store"] == {"status": "unavailable", "backend": "s3"}
        assert result.json["database"] == "ok"
