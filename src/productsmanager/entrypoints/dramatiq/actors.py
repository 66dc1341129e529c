"""Dramatiq actors: primitive arguments, the use case looked up in the container, idempotent."""

from __future__ import annotations

import logging
import uuid

import dramatiq

from productsmanager.config import Config
from productsmanager.container import build_container
from productsmanager.entrypoints.dramatiq.broker import setup_broker

log = logging.getLogger(__name__)
_config = Config.from_env()
broker = setup_broker(_config)
container = build_container(_config)


@dramatiq.actor(queue_name="default", max_retries=3)
def purge_expired_sessions() -> None:
    """Deletes expired and revoked login sessions; running it twice is harmless."""
    count = container.authenticator().purge_expired_sessions()
    log.info("purged %d expired or revoked sessions", count)


@dramatiq.actor(queue_name="media", max_retries=5, min_backoff=1_000, max_backoff=60_000)
def generate_thumbnails(media_file_id: str, force: bool = False) -> None:
    """Idempotent: thumbnails that exist are kept (unless `force`), keys and rows are replaced, never added."""
    outcome = container.thumbnail_generator().generate(uuid.UUID(media_file_id), force)
    log.info("media file %s: %s", media_file_id, outcome)
