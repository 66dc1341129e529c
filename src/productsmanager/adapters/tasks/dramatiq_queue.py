"""Sends tasks to Dramatiq workers by actor name, so that adapters need not import the entrypoints."""

from __future__ import annotations

import uuid

import dramatiq


class DramatiqTaskQueue:
    def __init__(self, broker: dramatiq.Broker) -> None:
        self._broker = broker

    def generate_thumbnails(self, media_file_id: uuid.UUID, force: bool = False) -> None:
        self._send("media", "generate_thumbnails", str(media_file_id), force)

    def _send(self, queue: str, actor: str, *args: object) -> None:
        message = dramatiq.Message(queue_name=queue, actor_name=actor, args=args, kwargs={}, options={})
        self._broker.enqueue(message)
