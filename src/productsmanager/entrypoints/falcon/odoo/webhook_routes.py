"""Route declarations of Odoo webhooks (a declarative table)."""

from __future__ import annotations

from productsmanager.domain.users import Role
from productsmanager.entrypoints.falcon.odoo.webhooks import (
    WebhookDeliveryResource,
    WebhookResource,
    WebhookRotateResource,
)
from productsmanager.entrypoints.falcon.routing import Operation, Route

BASE = "/api/v1/odoo/instances/{instance_id}/webhook"

ROUTES = (
    Route(
        path=BASE,
        name="odoo_webhook",
        factory=lambda c: WebhookResource(c.odoo_webhooks, c.config().public_url),
        operations={
            "GET": Operation(
                summary="Whether Odoo's deliveries arrive: counts, last received, last error",
                role=Role.VIEWER,
                response="OdooWebhookStatus",
                errors=(401, 404),
            ),
            "PUT": Operation(
                summary="Enable webhooks (a new token and the URL for Odoo's action, shown in this answer only) "
                "or disable them",
                role=Role.ADMIN,
                request="OdooWebhookPut",
                response="OdooWebhookToken",
                errors=(401, 403, 404, 422),
            ),
        },
    ),
    Route(
        path=BASE + "/rotate",
        name="odoo_webhook_rotate",
        factory=lambda c: WebhookRotateResource(c.odoo_webhooks, c.config().public_url),
        operations={
            "POST": Operation(
                summary="A new token (the old one stops working), shown in this answer only",
                role=Role.ADMIN,
                response="OdooWebhookToken",
                errors=(401, 403, 404, 409),
            ),
        },
    ),
    Route(
        path=BASE + "/{token}",
        name="odoo_webhook_delivery",
        factory=lambda c: WebhookDeliveryResource(c.odoo_webhooks),
        operations={
            "POST": Operation(
                summary="Where Odoo's \"Send Webhook Notification\" action posts a product's change (the token in "
                "the address is the credential; a wrong one is 404); the record's import is queued",
                role=None,
                request="OdooWebhookDelivery",
                response="OdooWebhookAccepted",
                status=202,
                errors=(400, 404, 413, 415, 422),
            ),
        },
        path_params={"token": {"type": "string", "minLength": 1, "maxLength": 512}},
    ),
)
