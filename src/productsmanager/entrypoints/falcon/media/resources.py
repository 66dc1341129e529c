"""Product images: upload, list, read, make primary, delete, regenerate thumbnails, and the bytes themselves
when the API serves them (filesystem store), through signed URLs.

Every media response says `X-Content-Type-Options: nosniff` and carries a Content-Security-Policy that
allows nothing (set by `ResourceHeaders`): a stored file is only ever an image of its recorded type, and even one
crafted to look like something else when sniffed cannot run as a page of this origin."""

from __future__ import annotations

from collections.abc import Callable

import falcon

from productsmanager.application.catalog.product_reader import MediaLinks
from productsmanager.application.media.media_library import MediaLibrary, PrimaryRequired
from productsmanager.application.media.media_uploader import MediaUploader
from productsmanager.entrypoints.falcon import serializers as envelopes
from productsmanager.entrypoints.falcon.media import serializers
from productsmanager.entrypoints.falcon.media.schemas import BODIES
from productsmanager.entrypoints.falcon.media.upload import read_upload
from productsmanager.entrypoints.falcon.problems import Problem
from productsmanager.entrypoints.falcon.requests import boolean, path_uuid, respond, single

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
        respond(resp, envelopes.listing(files, lambda details: serializers.media_file(details, self._links)))

    def on_post(self, req: falcon.Request, resp: falcon.Response, product_id: str) -> None:
        pid = path_uuid(product_id, "product")
        data, file_name = read_upload(req, self._max_bytes)
        shown = self._uploader().upload_and_show(pid, data, file_name)
        resp.location = f"/api/v1/media/files/{shown.details.media.id}"
        respond(resp, serializers.media_file(shown.details, self._links), 201 if shown.created else 200)


class MediaFileResource:
    response_headers = JSON_HEADERS

    def __init__(self, library: Callable[[], MediaLibrary], links: MediaLinks) -> None:
        self._library = library
        self._links = links

    def on_get(self, req: falcon.Request, resp: falcon.Response, media_id: str) -> None:
        respond(resp, serializers.media_file(self._library().get(path_uuid(media_id, "media file")), self._links))

    def on_patch(self, req: falcon.Request, resp: falcon.Response, media_id: str) -> None:
        mid = path_uuid(media_id, "media file")
        body = BODIES.read(req, "MediaFilePatch")
        try:
            details = self._library().set_primary(mid, body["is_primary"])
        except PrimaryRequired as refused:  # the field entry says what was refused, the detail what to do
            raise Problem(
                422, "Invalid data", refused.message, [{"field": refused.field, "message": "cannot be cleared"}]
            ) from refused
        respond(resp, serializers.media_file(details, self._links))

    def on_delete(self, req: falcon.Request, resp: falcon.Response, media_id: str) -> None:
        self._library().delete(path_uuid(media_id, "media file"))
        resp.status = falcon.HTTP_204


class ThumbnailGenerationResource:
    response_headers = JSON_HEADERS

    def __init__(self, library: Callable[[], MediaLibrary]) -> None:
        self._library = library

    def on_post(self, req: falcon.Request, resp: falcon.Response, media_id: str) -> None:
        force = bool(boolean(req, "force"))
        media = self._library().request_thumbnails(path_uuid(media_id, "media file"), force)
        respond(resp, serializers.thumbnail_job(media.id, force), 202)


class MediaContentResource:
    """The bytes, when the API serves them (filesystem store). Open to whoever holds a signed URL (the API
    hands them out in `file_url` and `thumbnails`): `<img>` cannot send a token."""

    response_headers = CONTENT_HEADERS

    def __init__(self, library: Callable[[], MediaLibrary]) -> None:
        self._library = library

    def on_get(self, req: falcon.Request, resp: falcon.Response, media_id: str, size: str | None = None) -> None:
        mid = path_uuid(media_id, "media file")
        path = f"{MEDIA_FILES}/{mid}/content" if size is None else f"{MEDIA_FILES}/{mid}/thumbnails/{size}"
        content = self._library().content(
            mid, size, signed_path=path, expires=single(req, "expires"), signature=single(req, "signature")
        )
        resp.content_type = content.content_type
        resp.data = content.data
        # The bytes of a key never change; the URL is good until it expires, and only for whoever was given it.
        resp.set_header("Cache-Control", f"private, max-age={content.seconds_left}, immutable")
