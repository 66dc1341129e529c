"""Errors of the media stores (S3 and filesystem alike), so callers handle one family whatever the store.

`MediaObjectMissing` is also a domain `NotFound`: a use case or the API that reads bytes for a recorded
media file maps it like any other missing thing, without knowing which store is configured."""

from __future__ import annotations

from productsmanager.application.dependencies import DependencyUnavailable
from productsmanager.domain.errors import NotFound


class MediaStoreError(Exception):
    """The store could not do what was asked (unreachable, denied, bad key...); the message names the key."""

    def __init__(self, message: str, *, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


class MediaStoreUnavailable(MediaStoreError, DependencyUnavailable):
    """The store's server cannot be reached (refused, timed out, 503): a store error to the code that handles
    those, and `DependencyUnavailable("media_store")` to the API, which answers 503 instead of 500."""

    def __init__(self, message: str, *, key: str | None = None) -> None:
        DependencyUnavailable.__init__(self, "media_store", message)
        self.key = key


class InvalidStorageKey(MediaStoreError):
    """A key that could name something outside the store (absolute, `..`, backslash, empty segment)."""


class MediaObjectMissing(NotFound, MediaStoreError):
    """No object at `key` (on `get`, or the source of a `copy`)."""

    def __init__(self, key: str) -> None:
        NotFound.__init__(self, "media object", key)
        self.key = key
