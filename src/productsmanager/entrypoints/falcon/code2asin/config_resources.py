"""Code2ASIN's Amazon configuration as JSON (never a credential: `has_*`), an administrator's change, and its
test."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import falcon

from productsmanager.application.code2asin.amazon_settings import AmazonSettings, AmazonTest
from productsmanager.domain.code2asin.config import CREDENTIALS, AmazonConfig
from productsmanager.entrypoints.falcon.code2asin.config_schemas import BODIES
from productsmanager.entrypoints.falcon.requests import respond

Json = dict[str, Any]


def config_json(config: AmazonConfig) -> Json:
    return {
        "marketplace": config.marketplace.site,
        "endpoint": config.endpoint,
        "token_url": config.token_url,
        "requests_per_second": config.requests_per_second,
        "timeout_seconds": config.timeout_seconds,
        "api_endpoint": config.api_endpoint,
        **{f"has_{name}": getattr(config, f"has_{name}") for name in CREDENTIALS},
        "updated_at": config.updated_at,
        "tested_at": config.tested_at,
        "test_error": config.test_error,
    }


def test_json(outcome: AmazonTest) -> Json:
    """A failed test is a result: `ok` false and the error's stable `code`."""
    error = None if outcome.error_code is None else {"code": outcome.error_code, "message": outcome.message or ""}
    return {"ok": outcome.ok, "latency_ms": outcome.latency_ms, "error": error}


class AmazonConfigResource:
    def __init__(self, settings: Callable[[], AmazonSettings]) -> None:
        self._settings = settings

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        respond(resp, config_json(self._settings().show()))

    def on_put(self, req: falcon.Request, resp: falcon.Response) -> None:
        body = BODIES.read(req, "AmazonConfigPut")
        respond(resp, config_json(self._settings().change(body, req.context.user.id)))


class AmazonConfigTestResource:
    def __init__(self, settings: Callable[[], AmazonSettings]) -> None:
        self._settings = settings

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        """200 whatever Amazon answered."""
        respond(resp, test_json(self._settings().test()))
