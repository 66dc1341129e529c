"""`GET /api/v1/events?topics=…`: the progress of long work as Server-Sent Events.

Pages open it with the browser's EventSource, which cannot send an Authorization header: this resource also
accepts the back office's session cookie (`accepts_session_cookie`, read by the authentication middleware).
The subscription starts, and the last states are read, before the response starts, so a bus that is down is a
503 problem rather than a broken stream, and no event between the two is lost."""

from __future__ import annotations

from collections.abc import Callable

import falcon

from productsmanager.application.events import EventBus
from productsmanager.domain.errors import InvalidValue
from productsmanager.domain.events import Topic
from productsmanager.entrypoints.falcon.events.stream import EventStream, StreamSlots
from productsmanager.entrypoints.falcon.problems import Problem
from productsmanager.entrypoints.falcon.requests import single

RETRY_AFTER_SECONDS = 10
MAX_TOPICS_TEXT = 4000  # MAX_TOPICS of the longest topic and their commas fit
# Set by `serve`'s worker on a request it could not give a stream thread of its own: answer 503 at once.
OVERFLOW_ENVIRON = "HTTP_X_PM_STREAM_OVERFLOW"


class EventsResource:
    accepts_session_cookie = True

    def __init__(self, bus: Callable[[], EventBus], slots: StreamSlots) -> None:
        self._bus = bus
        self._slots = slots

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        raw = single(req, "topics") or ""
        if len(raw) > MAX_TOPICS_TEXT:
            raise InvalidValue(f"at most {MAX_TOPICS_TEXT} characters of topics", field="topics")
        topics = Topic.parse_list(raw)
        release = None if req.env.get(OVERFLOW_ENVIRON) else self._slots.take()
        if release is None:
            raise Problem(
                503,
                "Service unavailable",
                "too many event streams are open on this server; try again later",
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            )
        try:
            bus = self._bus()
            subscription = bus.subscribe(topics).__enter__()
        except BaseException:
            release()
            raise
        try:
            latest = bus.latest(topics)
        except BaseException:
            subscription.__exit__(None, None, None)
            release()
            raise
        resp.content_type = "text/event-stream; charset=utf-8"
        resp.set_header("Cache-Control", "no-store")
        resp.set_header("X-Accel-Buffering", "no")  # nginx: pass each event on at once
        disconnected = req.env.get("waitress.client_disconnected")
        resp.stream = EventStream(subscription, latest, release, disconnected=disconnected)
