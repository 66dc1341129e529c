"""Routes of the progress events (a declarative table): one stream, read by viewers."""

from __future__ import annotations

from productsmanager.domain.events import MAX_TOPICS
from productsmanager.domain.users import Role
from productsmanager.entrypoints.falcon.events.resources import MAX_TOPICS_TEXT, EventsResource
from productsmanager.entrypoints.falcon.events.stream import StreamSlots
from productsmanager.entrypoints.falcon.routing import Operation, QueryParam, Route

NOTES = (
    "Also accepts the back office's session cookie (for the browser's EventSource). The stream (`text/event-stream`) "
    "starts with `retry: 3000`, then the last state of each exact topic named, then each change as it happens: "
    '`id: <sequence>`, `event: progress`, `data: {"topic": "import:<id>", "state": {...}}`; a `: keep-alive` '
    "comment every 15 s. It ends after 5 minutes (or when the server stops): reconnect, and the last states come "
    "again. 503 with Retry-After when the server has no stream left to give."
)
TOPICS = QueryParam(
    name="topics",
    schema={"type": "string", "minLength": 1, "maxLength": MAX_TOPICS_TEXT},
    required=True,
    description=(
        f"comma-separated topics, at most {MAX_TOPICS}: `import:<job id>`, `odoo_run:<run id>`, `lookup_job:<id>`, "
        "`code2asin_job:<id>`, `export:<id>`, `thumbnails:<product id>`, or a kind alone (`import`) for every "
        "piece of work of that kind"
    ),
)

ROUTES = (
    Route(
        path="/api/v1/events",
        name="events",
        factory=lambda c: EventsResource(c.event_bus, StreamSlots(c.config().event_streams)),
        operations={
            "GET": Operation(
                summary="Progress of long work as Server-Sent Events",
                notes=NOTES,
                role=Role.VIEWER,
                response_media="text/event-stream",
                params=(TOPICS,),
                unknown_params="refused",
                errors=(401, 422),
            ),
        },
    ),
)
