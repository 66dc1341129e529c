"""Runs tasks in the calling process: the embedded default has no worker to hand them to. Thumbnails run at
once; everything else (mail, imports, Odoo) goes to a background thread (`BackgroundRunner`), never inside
the request that asked for it: mail so that no request waits for (or fails with) a mail server, imports and
Odoo runs because they take longer than any request should."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from productsmanager.adapters.tasks.background import BackgroundRunner
from productsmanager.application.tasks import TASKS, TaskDispatcher

log = logging.getLogger(__name__)

# Run in the request that asked: a thumbnail takes well under a second, and the uploader wants it shown next.
AT_ONCE = frozenset({"generate_thumbnails"})


class InlineTaskQueue(TaskDispatcher):
    """`handlers` maps every task of `TASKS` to the callable that does it, taking the task's arguments (the
    container builds them, each finding its use case when it runs)."""

    def __init__(self, handlers: Mapping[str, Callable[..., object]], background: BackgroundRunner) -> None:
        missing = sorted(set(TASKS) - set(handlers))
        if missing:
            raise ValueError(f"the in-process task queue has no handler for {', '.join(missing)}")
        self._handlers = dict(handlers)
        self._background = background

    def drain(self, timeout: float = 30.0) -> bool:
        """Waits for the background thread's work queued so far (thumbnails are done when they are queued)."""
        return self._background.drain(timeout)

    def _dispatch(self, task: str, *args: object) -> None:
        handler = self._handlers[task]
        if task not in AT_ONCE:
            self._background.submit(describe(task, args), lambda: handler(*args))
            return
        try:
            handler(*args)
        except Exception:
            # Logged, not raised: the upload that asked for it has succeeded, and `productsmanager media
            # thumbnails --missing-only` or the API's regenerate call repairs it.
            log.exception("%s failed", describe(task, args))


def describe(task: str, args: tuple[object, ...]) -> str:
    """The task and what it is about for the log: the id it works on, or the mail's template; never an
    e-mail address (the reset is asked for by people who may have no account)."""
    if task == "send_password_reset":
        return task
    return f"{task} {args[0]}"
