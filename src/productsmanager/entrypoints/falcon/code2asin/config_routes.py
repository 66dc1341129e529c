"""Route declarations of Code2ASIN's Amazon configuration (a declarative table)."""

from __future__ import annotations

from productsmanager.domain.users import Role
from productsmanager.entrypoints.falcon.code2asin.config_resources import AmazonConfigResource, AmazonConfigTestResource
from productsmanager.entrypoints.falcon.routing import Operation, Route

ROUTES = (
    Route(
        path="/api/v1/code2asin/config",
        name="code2asin_config",
        factory=lambda c: AmazonConfigResource(c.amazon_settings),
        operations={
            "GET": Operation(
                summary="How Code2ASIN reaches Amazon: marketplace, endpoints, pace, and which credentials are "
                "stored (never the credentials)",
                role=Role.ADMIN,
                response="AmazonConfig",
                errors=(401, 403),
            ),
            "PUT": Operation(
                summary="Change how Code2ASIN reaches Amazon: fields given replace the stored ones; client_id, "
                "client_secret and refresh_token given are stored encrypted, null removes one",
                role=Role.ADMIN,
                request="AmazonConfigPut",
                response="AmazonConfig",
                errors=(401, 403, 422),
            ),
        },
    ),
    Route(
        path="/api/v1/code2asin/config/test",
        name="code2asin_config_test",
        factory=lambda c: AmazonConfigTestResource(c.amazon_settings),
        operations={
            "POST": Operation(
                summary="Sign in to Amazon and search one EAN: ok, or the error (not_configured, bad_credentials, "
                "rate_limited, unreachable, bad_request, unexpected)",
                role=Role.ADMIN,
                response="AmazonConfigTest",
                errors=(401, 403),
            )
        },
    ),
)
