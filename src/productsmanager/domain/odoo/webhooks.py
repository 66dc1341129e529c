"""Changes pushed from Odoo: what its "Send Webhook Notification" server action posts, and the rules that make
deliveries safe to take as they come (duplicated, replayed, out of order, in bursts).

Odoo posts `json.dumps({"_action": "<name>(#<id>)", "_id": <record id>, "_model": "<model>", **record.read(
<chosen fields>)[0]}, sort_keys=True, default=str)`: the record's id and model always, the chosen fields when the
action lists some (`write_date` among them makes replays and reordering cheap to recognise, read as Odoo's
"YYYY-MM-DD HH:MM:SS" in UTC). Only the record's identity and time are trusted from a delivery: its values are
read again from Odoo when it is imported, so a forged or stale body cannot put values into the catalog."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from datetime import datetime

from attrs import frozen

from productsmanager.domain.errors import InvalidValue
from productsmanager.domain.field_errors import FieldErrors
from productsmanager.domain.odoo.comparison import odoo_datetime as read_odoo_datetime

MODELS = ("product.product", "product.template")
MAX_BODY_BYTES = 256 * 1024  # a product's chosen fields; an image field sent by mistake is refused, not parsed
MAX_RECORD_ID = 2**63 - 1
TOKEN_BYTES = 32


@frozen
class WebhookDelivery:
    """One notification: which record changed and, when the action sends it, its `write_date`."""

    model: str
    record_id: int
    write_date: datetime | None = None

    @classmethod
    def parse(cls, payload: object) -> WebhookDelivery:
        """From the decoded JSON body; every problem named by its field at once. Raises `ValidationFailed`."""
        with FieldErrors() as errors:
            if not isinstance(payload, Mapping):
                errors.refuse("the body is a JSON object as Odoo's webhook action sends it", "_model")
                payload = {}
            model, record_id, write_date = payload.get("_model"), payload.get("_id"), payload.get("write_date")
            if model not in MODELS:
                errors.refuse(f"_model must be one of {', '.join(MODELS)}", "_model")
            if isinstance(record_id, bool) or not isinstance(record_id, int) or not 0 < record_id <= MAX_RECORD_ID:
                errors.refuse("_id must be the record's id, a whole number from 1", "_id")
            parsed: datetime | None = None
            if write_date not in (None, False):
                with errors.checking():
                    parsed = odoo_datetime(write_date, "write_date")
        return cls(str(model), int(record_id), parsed)  # type: ignore[arg-type]


def odoo_datetime(raw: object, field: str) -> datetime:
    """Odoo's time (`comparison.odoo_datetime`: "2026-12-01 08:30:00", UTC), or `InvalidValue` naming `field`."""
    value = read_odoo_datetime(raw)
    if value is None:
        raise InvalidValue(f"{field} must be a date and time like 2026-12-01 08:30:00", field=field)
    return value


def is_news(write_date: datetime | None, last_taken: datetime | None) -> bool:
    """Whether a delivery may bring something the catalog has not taken: a record never taken, or one changed
    after the last time taken. A delivery without `write_date` cannot tell, so it is looked at (its record's
    time is read from Odoo then)."""
    return write_date is None or last_taken is None or write_date > last_taken


@frozen
class WebhookToken:
    """The secret in the webhook's URL. Only its SHA-256 is kept: the token is shown once, when webhooks are
    enabled or the token rotated, and a stolen database does not give the URL away."""

    value: str

    @classmethod
    def new(cls) -> WebhookToken:
        return cls(secrets.token_urlsafe(TOKEN_BYTES))

    @property
    def digest(self) -> str:
        return digest_of(self.value)


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def token_matches(stored_digest: str | None, candidate: str) -> bool:
    """Constant-time: how much of a wrong token matched does not show in the time of the answer."""
    return stored_digest is not None and hmac.compare_digest(stored_digest, digest_of(candidate[:512]))
