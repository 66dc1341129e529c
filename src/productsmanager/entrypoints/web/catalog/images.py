"""A product's images from its page: upload (the dropzone posts multipart `file`, read and bounded like the
REST upload, stored by the same use case), make primary, delete; each answers with the gallery re-rendered."""

from __future__ import annotations

from collections.abc import Callable

import falcon

from productsmanager.application.media.media_library import MediaLibrary
from productsmanager.application.media.media_uploader import MediaUploader
from productsmanager.domain.errors import DomainError, NotFound
from productsmanager.entrypoints.falcon.media.upload import read_upload
from productsmanager.entrypoints.falcon.problems import Problem, problem_body, to_problem
from productsmanager.entrypoints.falcon.requests import path_uuid
from productsmanager.entrypoints.web.catalog.product import GalleryFragment


class ImageUpload:
    def __init__(self, uploader: Callable[[], MediaUploader], gallery: GalleryFragment, max_bytes: int) -> None:
        self._uploader = uploader
        self._gallery = gallery
        self._max_bytes = max_bytes

    def on_post(self, req: falcon.Request, resp: falcon.Response, product_id: str) -> None:
        pid = path_uuid(product_id, "product")
        try:
            data, file_name = read_upload(req, self._max_bytes)
            shown = self._uploader().upload_and_show(pid, data, file_name)
        except NotFound:
            raise
        except DomainError as error:
            problem = to_problem(error)
            self._gallery.show(req, resp, pid, problem=problem_body(problem), status=problem.status_code)
            return
        except Problem as refused:
            self._gallery.show(req, resp, pid, problem=problem_body(refused), status=refused.status_code)
            return
        self._gallery.show(req, resp, pid, status=201 if shown.created else 200)


class ImageAction:
    """`POST /products/{id}/images/{media_id}/primary` or `/delete`."""

    def __init__(self, library: Callable[[], MediaLibrary], gallery: GalleryFragment) -> None:
        self._library = library
        self._gallery = gallery

    def on_post(self, req: falcon.Request, resp: falcon.Response, product_id: str, media_id: str, action: str) -> None:
        pid = path_uuid(product_id, "product")
        mid = path_uuid(media_id, "media file")
        library = self._library()
        if library.get(mid).media.product_id != pid:
            raise NotFound("media file", mid)
        if action == "primary":
            library.make_primary(mid)
        elif action == "delete":
            library.delete(mid)
        else:
            raise falcon.HTTPNotFound()
        self._gallery.show(req, resp, pid)
