"""The one recording task queue of the tests, unit and integration alike: it runs nothing by itself, records
each task asked for as (task name, arguments with defaults filled in), and can play a broker that cannot be
reached. Tests see what was queued and run it when they choose."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from productsmanager.application.dependencies import DependencyUnavailable
from productsmanager.application.tasks import TaskDispatcher


class RecordingTaskQueue(TaskDispatcher):
    """`sent` is every task queued so far, in order. `down = True` makes every task method raise
    `DependencyUnavailable("broker")`, as the Dramatiq queue does when Redis cannot be reached; nothing is
    recorded then."""

    def __init__(self, *, down: bool = False) -> None:
        self.sent: list[tuple[str, tuple[Any, ...]]] = []
        self.down = down

    def drain(self, timeout: float = 30.0) -> bool:
        """True at once: nothing runs until the test runs it (`run`), so nothing is ever in progress."""
        return True

    def _dispatch(self, task: str, *args: object) -> None:
        if self.down:
            raise DependencyUnavailable("broker", f"{task}: connection refused")
        self.sent.append((task, args))

    def args_of(self, task: str) -> list[tuple[Any, ...]]:
        """The arguments of each `task` queued so far, in order."""
        return [args for name, args in self.sent if name == task]

    def run(self, task: str, handler: Callable[..., object]) -> None:
        """Takes the queued `task`s out of the record and calls `handler` with the arguments of each."""
        queued = self.args_of(task)
        self.sent = [(name, args) for name, args in self.sent if name != task]
        for args in queued:
            handler(*args)

    # The arguments the unit tests of media and passwords look at, by the names they have always used.

    @property
    def requested(self) -> list[tuple[uuid.UUID, bool]]:
        """Each thumbnail request: (media file id, force)."""
        return [(media_id, force) for media_id, force in self.args_of("generate_thumbnails")]

    @property
    def resets(self) -> list[str]:
        """The address of each password reset asked for."""
        return [email for (email,) in self.args_of("send_password_reset")]

    @property
    def mails(self) -> list[tuple[str, str, dict[str, str]]]:
        """Each e-mail: (template, recipient, context)."""
        return [(template, to, context) for template, to, context in self.args_of("send_email")]

    def run_all(self, generate: Callable[[uuid.UUID, bool], Any]) -> None:
        """Runs the thumbnail requests queued so far."""
        self.run("generate_thumbnails", generate)
