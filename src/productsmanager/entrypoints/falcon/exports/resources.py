"""Resources of exports: platforms and templates (lists and one), exports asked for (202) and followed, and a
download streamed by its signed URL."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import falcon

from productsmanager.application.exports.exports import Exports
from productsmanager.application.exports.platforms import ExportPlatforms, ExportTemplates
from productsmanager.domain.exports.jobs import ExportJob, ExportStatus
from productsmanager.entrypoints.falcon.exports import serializers
from productsmanager.entrypoints.falcon.exports.schemas import BODIES
from productsmanager.entrypoints.falcon.problems import bad_request
from productsmanager.entrypoints.falcon.requests import limit, one_of, path_uuid, respond, single
from productsmanager.entrypoints.falcon.serializers import page

EXPORTS = "/api/v1/exports"


class PlatformsResource:
    def __init__(self, platforms: Callable[[], ExportPlatforms]) -> None:
        self._platforms = platforms

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        respond(resp, {"items": [serializers.platform(p) for p in self._platforms().list()]})

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        created = self._platforms().create(BODIES.read(req, "ExportPlatformBody"))
        resp.location = f"{EXPORTS}/platforms/{created.id}"
        respond(resp, serializers.platform(created), 201)


class PlatformResource:
    def __init__(self, platforms: Callable[[], ExportPlatforms]) -> None:
        self._platforms = platforms

    def on_get(self, req: falcon.Request, resp: falcon.Response, platform_id: str) -> None:
        respond(resp, serializers.platform(self._platforms().get(path_uuid(platform_id, "export platform"))))

    def on_put(self, req: falcon.Request, resp: falcon.Response, platform_id: str) -> None:
        pid = path_uuid(platform_id, "export platform")
        respond(resp, serializers.platform(self._platforms().update(pid, BODIES.read(req, "ExportPlatformBody"))))

    def on_delete(self, req: falcon.Request, resp: falcon.Response, platform_id: str) -> None:
        self._platforms().delete(path_uuid(platform_id, "export platform"))
        resp.status = falcon.HTTP_204


class TemplatesResource:
    def __init__(self, templates: Callable[[], ExportTemplates]) -> None:
        self._templates = templates

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        respond(resp, {"items": [serializers.template(t) for t in self._templates().list()]})

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        created = self._templates().create(BODIES.read(req, "ExportTemplateBody"))
        resp.location = f"{EXPORTS}/templates/{created.id}"
        respond(resp, serializers.template(created), 201)


class TemplateResource:
    def __init__(self, templates: Callable[[], ExportTemplates]) -> None:
        self._templates = templates

    def on_get(self, req: falcon.Request, resp: falcon.Response, template_id: str) -> None:
        respond(resp, serializers.template(self._templates().get(path_uuid(template_id, "export template"))))

    def on_put(self, req: falcon.Request, resp: falcon.Response, template_id: str) -> None:
        tid = path_uuid(template_id, "export template")
        respond(resp, serializers.template(self._templates().update(tid, BODIES.read(req, "ExportTemplateBody"))))

    def on_delete(self, req: falcon.Request, resp: falcon.Response, template_id: str) -> None:
        self._templates().delete(path_uuid(template_id, "export template"))
        resp.status = falcon.HTTP_204


class ExportsResource:
    def __init__(self, exports: Callable[[], Exports], public_url: str) -> None:
        self._exports = exports
        self._base = public_url.rstrip("/")

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        exports = self._exports()
        status = one_of(req, "status", ExportStatus)
        found = exports.page(limit(req), single(req, "cursor"), status, _platform_filter(req))
        respond(resp, page(found, lambda job: _job(exports, job, self._base)))

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        """202 with the job: it runs on the exports queue (or waits there for the sweep)."""
        exports = self._exports()
        job = exports.create(BODIES.read(req, "ExportCreate"), req.context.user.id)
        resp.location = f"{EXPORTS}/{job.id}"
        respond(resp, _job(exports, job, self._base), 202)


class ExportResource:
    def __init__(self, exports: Callable[[], Exports], public_url: str) -> None:
        self._exports = exports
        self._base = public_url.rstrip("/")

    def on_get(self, req: falcon.Request, resp: falcon.Response, export_id: str) -> None:
        exports = self._exports()
        respond(resp, _job(exports, exports.get(path_uuid(export_id, "export")), self._base))


class DownloadResource:
    """Open to whoever holds the signed URL the API hands out as `download_url`, as media URLs are."""

    def __init__(self, exports: Callable[[], Exports]) -> None:
        self._exports = exports

    def on_get(self, req: falcon.Request, resp: falcon.Response, export_id: str) -> None:
        export_uuid = path_uuid(export_id, "export")
        job, body = self._exports().download(
            export_uuid,
            signed_path=_download_path(export_uuid),
            expires=single(req, "expires"),
            signature=single(req, "signature"),
        )
        resp.content_type = job.content_type
        resp.set_header("Content-Disposition", f'attachment; filename="{job.file_name}"')
        resp.set_header("Cache-Control", "private, no-store")
        resp.stream = body


def _platform_filter(req: falcon.Request) -> uuid.UUID | None:
    raw = single(req, "platform_id")
    try:
        return None if raw is None else uuid.UUID(raw)
    except ValueError:
        raise bad_request("platform_id", "'platform_id' must be a UUID") from None


def _download_path(export_id: object) -> str:
    return f"{EXPORTS}/{export_id}/download"


def _job(exports: Exports, job: ExportJob, base: str) -> serializers.Json:
    url = exports.download_url(job, _download_path(job.id))
    return serializers.job(job, base + url if url else None)
