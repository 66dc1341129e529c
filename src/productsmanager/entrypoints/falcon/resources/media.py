"""Product images: upload, list, read, make primary, delete, regenerate thumbnails, and the bytes themselves
when the API serves them (filesystem store), through signed URLs.

Every media response says `X-Content-Type-Options: nosniff` and carries a Content-Security-Policy that
allows nothing (set by `ResourceHeaders`): a stored file is only ever an image of its recorded type, and even one
crafted to look like something else when sniffed cannot run as a page of this origin."""

from __future__ import annotations

from collections.abc import Callable

import falcon

from productsmanager.application.catalog.product_reader import MediaLinks
from productsmanager.application.media.media_library import MediaLibrary
from productsmanager.application.media.media_uploader import MediaUploader
from productsmanager.application.media.ports import MediaStore, MediaUrlSigner
from productsmanager.application.tasks import TaskQueue
from productsmanager.domain.media import THUMBNAIL_SIZES
from productsmanager.entrypoints.falcon import query, serializers
from productsmanager.entrypoints.falcon.problems import Problem
from productsmanager.entrypoints.falcon.resources.common import path_uuid, respond
from productsmanager.entrypoints.falcon.uploads import read_upload
from productsmanager.entrypoints.falcon.validation import read_body

NOSNIFF = {"X-Content-Type-Options": "nosniff"}
# JSON about media: nothing to load, never framed.
JSON_HEADERS = {**NOSNIFF, "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; sandbox"}
# The bytes themselves: an image shown directly gets no script, no plugin, no same-origin access.
CONTENT_HEADERS = {**NOSNIFF, "Content-Security-Policy": "default-src 'none'; sandbox"}
MEDIA_FILES = "/api/v1/media/files"


class ProductMediaResource:
    response_headers = JSON_HEADERS

    def __init__(
        self,
        uploader: Callable[[], MediaUploader],
        library: Callable[[], MediaLibrary],
        links: MediaLinks,
        max_bytes: int,
    ) -> None:
        self._uploader = uploader
        self._library = library
        self._links = links
        self._max_bytes = max_bytes

    def on_get(self, req: falcon.Request, resp: falcon.Response, product_id: str) -> None:
        files = self._library().for_product(path_uuid(product_id, "product"))
        respond(resp, {"items": [serializers.media_file(d, self._links) for d in files]})

    def on_post(self, req: falcon.Request, resp: falcon.Response, product_id: str) -> None:
        pid = path_uuid(product_id, "product")
        data, file_name = read_upload(req, self._max_bytes)
        stored = self._uploader().upload(pid, data, file_name)
        details = self._library().get(stored.media.id)
        resp.location = f"/api/v1/media/files/{stored.media.id}"
        respond(resp, serializers.media_file(details, self._links), 201 if stored.created else 200)


class MediaFileResource:
    response_headers = JSON_HEADERS

    def __init__(self, library: Callable[[], MediaLibrary], links: MediaLinks) -> None:
        self._library = library
        self._links = links

    def on_get(self, req: falcon.Request, resp: falcon.Response, media_id: str) -> None:
        respond(resp, serializers.media_file(self._library().get(path_uuid(media_id, "media file")), self._links))

    def on_patch(self, req: falcon.Request, resp: falcon.Response, media_id: str) -> None:
        mid = path_uuid(media_id, "media file")
        body = read_body(req, "MediaFilePatch")
        details = self._library().make_primary(mid) if body["is_primary"] else self._library().get(mid)
        if not body["is_primary"] and details.media.is_primary:
            raise Problem(
                422,
                "Invalid data",
                "a product with images always has one primary: make another image primary instead",
                [{"field": "is_primary", "message": "cannot be cleared"}],
            )
        respond(resp, serializers.media_file(details, self._links))

    def on_delete(self, req: falcon.Request, resp: falcon.Response, media_id: str) -> None:
        self._library().delete(path_uuid(media_id, "media file"))
        resp.status = falcon.HTTP_204


class ThumbnailGenerationResource:
    response_headers = JSON_HEADERS

    def __init__(self, library: Callable[[], MediaLibrary], tasks: Callable[[], TaskQueue]) -> None:
        self._library = library
        self._tasks = tasks

    def on_post(self, req: falcon.Request, resp: falcon.Response, media_id: str) -> None:
        query.reject_unknown(req, ("force",))
        force = bool(query.boolean(req, "force"))
        details = self._library().get(path_uuid(media_id, "media file"))
        self._tasks().generate_thumbnails(details.media.id, force)
        respond(resp, {"id": details.media.id, "status": "queued", "force": force}, 202)


class MediaContentResource:
    """The bytes, when the API serves them (filesystem store); keys come from the database row, never from
    the URL. Open to whoever holds a signed URL (the API hands them out in `file_url` and `thumbnails`):
    `<img>` cannot send a token. The signature is checked before anything is looked up, so that the answer
    to an unsigned request says nothing about which ids exist."""

    response_headers = CONTENT_HEADERS

    def __init__(self, library: Callable[[], MediaLibrary], store: MediaStore, signer: MediaUrlSigner) -> None:
        self._library = library
        self._store = store
        self._signer = signer

    def on_get(self, req: falcon.Request, resp: falcon.Response, media_id: str, size: str | None = None) -> None:
        mid = path_uuid(media_id, "media file")
        path = f"{MEDIA_FILES}/{mid}/content" if size is None else f"{MEDIA_FILES}/{mid}/thumbnails/{size}"
        seconds_left = self._signer.check(path, query.single(req, "expires"), query.single(req, "signature"))
        details = self._library().get(mid)
        if size is None:
            key, content_type = details.media.storage_key, details.media.content_type
        elif size not in THUMBNAIL_SIZES:
            raise Problem(404, "Not found", f"thumbnail size {size!r} does not exist; sizes: small, medium, large")
        else:
            thumbnail = next((t for t in details.thumbnails if t.size == size), None)
            if thumbnail is None:
                raise Problem(404, "Not found", f"the {size} thumbnail of media file {media_id} does not exist yet")
            key, content_type = thumbnail.storage_key, "image/jpeg"
        resp.content_type = content_type
        resp.data = self._store.get(key)
        # The bytes of a key never change; the URL is good until it expires, and only for whoever was given it.
        resp.set_header("Cache-Control", f"private, max-age={seconds_left}, immutable")
