"""Background work as the use cases ask for it. Production sends it to Dramatiq workers (Redis); the embedded
default runs it in-process. Each task is idempotent: running it twice does no harm."""

from __future__ import annotations

import uuid
from typing import Protocol


class TaskQueue(Protocol):
    def generate_thumbnails(self, media_file_id: uuid.UUID, force: bool = False) -> None:
        """On the `media` queue: (re)create the thumbnails of one stored image."""
        ...
