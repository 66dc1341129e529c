"""Changes pushed from Odoo over HTTP: the delivery address Odoo's webhook action posts to (no bearer token:
the token in the address is the credential, and a wrong one is a 404 like any unknown address), and the
webhook's settings and status for admins (the token shown once, when enabled or rotated)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import falcon

from productsmanager.application.odoo.odoo_webhooks import OdooWebhooks
from productsmanager.application.odoo.webhook_ports import WebhookStatus
from productsmanager.domain.odoo.webhooks import WebhookToken
from productsmanager.entrypoints.falcon.odoo.webhook_schemas import BODIES
from productsmanager.entrypoints.falcon.requests import path_uuid, respond


def status_json(status: WebhookStatus) -> dict[str, Any]:
    return {
        "enabled": status.enabled,
        "received": status.received,
        "duplicates": status.duplicates,
        "coalesced": status.coalesced,
        "imported": status.imported,
        "unchanged": status.unchanged,
        "failed": status.failed,
        "pending": status.pending,
        "last_received_at": status.last_received_at,
        "last_imported_at": status.last_imported_at,
        "last_error": status.last_error,
        "last_error_at": status.last_error_at,
    }


def token_json(public_url: str, instance_id: str, token: WebhookToken, status: WebhookStatus) -> dict[str, Any]:
    """The only answer that holds the token: the address to paste into Odoo's action, whole."""
    url = f"{public_url.rstrip('/')}/api/v1/odoo/instances/{instance_id}/webhook/{token.value}"
    return {**status_json(status), "token": token.value, "url": url}


class WebhookDeliveryResource:
    def __init__(self, webhooks: Callable[[], OdooWebhooks]) -> None:
        self._webhooks = webhooks

    def on_post(self, req: falcon.Request, resp: falcon.Response, instance_id: str, token: str) -> None:
        """202 at once: Odoo posts with a one-second timeout, and the import runs in the background."""
        instance = path_uuid(instance_id, "instance")
        webhooks = self._webhooks()
        webhooks.authorize(instance, token)  # a stranger learns nothing from how its body would be judged
        arrival = webhooks.accept(instance, BODIES.read(req, "OdooWebhookDelivery"))
        respond(resp, {"status": arrival.value}, 202)


class WebhookResource:
    def __init__(self, webhooks: Callable[[], OdooWebhooks], public_url: str) -> None:
        self._webhooks = webhooks
        self._public_url = public_url

    def on_get(self, req: falcon.Request, resp: falcon.Response, instance_id: str) -> None:
        respond(resp, status_json(self._webhooks().status(path_uuid(instance_id, "instance"))))

    def on_put(self, req: falcon.Request, resp: falcon.Response, instance_id: str) -> None:
        """`{"enabled": true}` makes a new token (shown in this answer only); `false` turns deliveries away."""
        instance = path_uuid(instance_id, "instance")
        webhooks = self._webhooks()
        if BODIES.read(req, "OdooWebhookPut")["enabled"]:
            token = webhooks.enable(instance)
            respond(resp, token_json(self._public_url, str(instance), token, webhooks.status(instance)))
            return
        webhooks.disable(instance)
        respond(resp, status_json(webhooks.status(instance)))


class WebhookRotateResource:
    def __init__(self, webhooks: Callable[[], OdooWebhooks], public_url: str) -> None:
        self._webhooks = webhooks
        self._public_url = public_url

    def on_post(self, req: falcon.Request, resp: falcon.Response, instance_id: str) -> None:
        instance = path_uuid(instance_id, "instance")
        webhooks = self._webhooks()
        token = webhooks.rotate(instance)
        respond(resp, token_json(self._public_url, str(instance), token, webhooks.status(instance)))
