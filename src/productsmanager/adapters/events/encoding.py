"""What every bus does to a published state: one bounded JSON text, and the event read back from it."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import orjson

from productsmanager.domain.errors import DomainError
from productsmanager.domain.events import ProgressEvent, Topic

MAX_STATE_BYTES = 16_384  # a progress state is counts and a status: anything larger is a mistake, not progress
STATE_TTL_SECONDS = 86_400  # a last state nobody updated for a day is forgotten

log = logging.getLogger(__name__)


def encode_state(topic: Topic, state: Mapping[str, Any]) -> str | None:
    """The state as JSON text, or None (logged) when it cannot be encoded or is over MAX_STATE_BYTES: a
    publisher never fails the work it reports on, so a bad state is dropped rather than raised."""
    try:
        encoded = orjson.dumps(dict(state), option=orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS)
    except (TypeError, orjson.JSONEncodeError) as error:
        log.warning("progress state of %s not published: %s", topic, error)
        return None
    if len(encoded) > MAX_STATE_BYTES:
        log.warning("progress state of %s not published: %d bytes (limit %d)", topic, len(encoded), MAX_STATE_BYTES)
        return None
    return encoded.decode()


def decode_event(topic: str, sequence: int, state: str) -> ProgressEvent | None:
    """An event read back from storage; None for a row that no longer parses (a kind removed since)."""
    try:
        value = orjson.loads(state)
        return ProgressEvent(Topic.parse(topic), value if isinstance(value, dict) else {}, int(sequence))
    except (ValueError, DomainError):
        return None
