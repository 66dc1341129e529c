"""`/code2asin/{id}/details`: a job's header, the eight counters the REST job resource gives (EANs, matched,
ambiguous, not found, errors, ASINs set, images stored, images already there), the timeline of its stages, and
the tabs Statistics / Results / Errors / Amazon data. The header, tiles and timeline re-render live
(`code2asin_job:<id>` events, and every 5 s while the job is unfinished).

Amazon's image URLs are previewed when their origin is one the Content-Security-Policy's img-src allows (the
app, the media store, Amazon's image hosts); any other (a marketplace's own host, a test double) is given as a
link to open it, never by widening the policy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import falcon

from productsmanager.application.code2asin.jobs import Code2AsinJobs
from productsmanager.domain.code2asin.outcomes import AsinOutcome
from productsmanager.entrypoints.falcon.code2asin.serializers import job, result
from productsmanager.entrypoints.falcon.requests import one_of, path_uuid, single
from productsmanager.entrypoints.web.rendering import Renderer

PAGE_SIZE = 50
TABS = (("statistics", "Statistics"), ("results", "Results"), ("errors", "Errors"), ("amazon", "Amazon data"))
TILES = (
    ("eans", "EANs"), ("matched", "Matched"), ("ambiguous", "Ambiguous"), ("not_found", "Not found"),
    ("errors", "Errors"), ("asins_set", "ASINs set"), ("images_stored", "Images stored"),
    ("images_known", "Images already there"),
)  # fmt: skip


def image_origins(policy: str) -> tuple[str, ...]:
    """The http(s) origins the policy's img-src names ('self' and schemes are not remote hosts)."""
    for directive in policy.split(";"):
        name, _, sources = directive.strip().partition(" ")
        if name == "img-src":
            return tuple(s for s in sources.split() if s.startswith(("http://", "https://")))
    return ()


def shown_images(urls: list[str], origins: tuple[str, ...]) -> list[dict[str, Any]]:
    """Previews for allowed origins, links for other web addresses; anything else (a results file may carry
    `javascript:` or `data:` text) is neither shown nor linked."""
    shown = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            continue
        shown.append({"url": url, "inline": f"{parts.scheme}://{parts.netloc}" in origins, "host": parts.netloc})
    return shown


class Code2AsinDetailsPage:
    def __init__(self, jobs: Callable[[], Code2AsinJobs], renderer: Renderer) -> None:
        self._jobs = jobs
        self._renderer = renderer
        self._origins = image_origins(renderer.security.policy)

    def on_get(self, req: falcon.Request, resp: falcon.Response, job_id: str) -> None:
        """An htmx GET (a live event or the polling) gets the live part alone."""
        jobs = self._jobs()
        found = jobs.get(path_uuid(job_id, "Code2ASIN job"))
        tab = req.get_param("tab") or "statistics"
        tab = tab if tab in dict(TABS) else "statistics"
        context: dict[str, Any] = {"job": job(found), "running": not found.status.finished, "tab": tab, "tabs": TABS}
        context.update(tiles=TILES, results=[], next_cursor=None, outcomes=[o.value for o in AsinOutcome])
        if tab != "statistics" and req.get_header("HX-Request") != "true":
            outcome = {"errors": AsinOutcome.ERROR, "amazon": AsinOutcome.MATCHED}.get(tab)
            if tab == "results":
                outcome = one_of(req, "outcome", AsinOutcome)
            listed = jobs.results(found.id, PAGE_SIZE, single(req, "cursor"), outcome)
            rows = [result(r) for r in listed.items]
            if tab == "amazon":
                rows = [self._with_images(row) for row in rows]
            context.update(results=rows, next_cursor=listed.next_cursor)
        self._renderer.render(req, resp, "code2asin/details.html", block="live", **context)

    def _with_images(self, row: dict[str, Any]) -> dict[str, Any]:
        items = [{**item, "images": shown_images(item["image_urls"], self._origins)} for item in row["items"]]
        return {**row, "items": items}
