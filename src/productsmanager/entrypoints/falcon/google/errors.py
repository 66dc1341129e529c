"""The Google integration's failures as problems: Google down or rate-limiting is a 503 (never a 500); an account
to connect (again), or no OAuth client configured, a 409 saying so; a forged or stale callback a 400."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from productsmanager.application.google.connection import GoogleNotConfigured
from productsmanager.application.google.ports import DriveNotFound, DriveRefused, DriveUnauthorized, GoogleUnavailable
from productsmanager.application.google.tokens import GoogleNotConnected, GoogleReconnectNeeded
from productsmanager.domain.google.oauth import InvalidOAuthState
from productsmanager.entrypoints.falcon.problems import Problem

RETRY_AFTER = {"Retry-After": "30"}


@contextlib.contextmanager
def google_problems() -> Iterator[None]:
    try:
        yield
    except (GoogleUnavailable, DriveUnauthorized) as error:
        raise Problem(503, "Google unavailable", error.message, headers=RETRY_AFTER) from None
    except GoogleNotConfigured as error:
        raise Problem(409, "Google Drive not configured", error.message) from None
    except GoogleReconnectNeeded as error:
        raise Problem(409, "Reconnect needed", error.message) from None
    except GoogleNotConnected as error:
        raise Problem(409, "Google Drive not connected", error.message) from None
    except InvalidOAuthState as error:
        entry: list[dict[str, str | None]] = [{"field": error.field, "message": error.message}]
        raise Problem(400, "Invalid authorization", error.message, entry) from None
    except DriveNotFound as error:
        raise Problem(404, "Not found", error.message) from None
    except DriveRefused as error:
        raise Problem(409, "Refused by Google Drive", error.message) from None
