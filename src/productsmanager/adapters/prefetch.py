"""`prefetched`: an iterator run one step ahead on a thread of its own, so that waiting for the next batch of a
database cursor (or for an upload) overlaps with the work on the current one. At most `ahead` items wait in
between; an error of the producer is raised to the consumer; a consumer that stops early stops the producer."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

T = TypeVar("T")
_DONE = object()
_POLL_SECONDS = 0.5


def prefetched(produce: Callable[[], Iterator[T]], ahead: int = 2) -> Iterator[T]:
    items: queue.Queue[object] = queue.Queue(maxsize=ahead)
    stop = threading.Event()

    def run() -> None:
        try:
            for item in produce():
                while not stop.is_set():
                    try:
                        items.put(item, timeout=_POLL_SECONDS)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            items.put(_DONE)
        except BaseException as error:  # handed to the consumer, who raises it
            items.put(_Failure(error))

    thread = threading.Thread(target=run, name="prefetch", daemon=True)
    thread.start()
    try:
        while True:
            item = items.get()
            if item is _DONE:
                return
            if isinstance(item, _Failure):
                raise item.error
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        while thread.is_alive():  # a producer blocked on a full queue sees `stop` within the poll
            try:
                items.get_nowait()
            except queue.Empty:
                thread.join(_POLL_SECONDS)


class _Failure:
    def __init__(self, error: BaseException) -> None:
        self.error = error
