"""Route declarations of product images (a declarative table)."""

from __future__ import annotations

from productsmanager.domain.users import Role
from productsmanager.entrypoints.falcon.media.resources import (
    MediaContentResource,
    MediaFileResource,
    ProductMediaResource,
    ThumbnailGenerationResource,
)
from productsmanager.entrypoints.falcon.media.schemas import SIZE
from productsmanager.entrypoints.falcon.routing import Operation, QueryParam, Route, flag

# Like S3 presigned URLs: missing, altered or expired -> 403.
SIGNED_URL_PARAMS = (
    QueryParam(
        name="expires",
        schema={"type": "integer", "minimum": 0},
        description="Unix time the signed URL expires at (part of the URL the API hands out)",
        required=True,
    ),
    QueryParam(
        name="signature",
        schema={"type": "string", "pattern": "^[0-9a-f]{64}$"},
        description="hex HMAC-SHA256 of the path and expires (part of the URL the API hands out)",
        required=True,
    ),
)

ROUTES = (
    Route(
        path="/api/v1/products/{product_id}/media",
        name="product_media",
        factory=lambda c: ProductMediaResource(
            c.media_uploader, c.media_library, c.media_links(), c.config().media_max_bytes
        ),
        operations={
            "GET": Operation(
                summary="A product's images, primary first",
                role=Role.VIEWER,
                response="MediaFileList",
                errors=(401, 404),
            ),
            "POST": Operation(
                summary="Upload an image (multipart 'file' or raw body); the same bytes again give the stored file "
                "(200)",
                role=Role.EDITOR,
                request="ImageUpload",
                request_media=("multipart/form-data", "image/*"),
                response="MediaFile",
                status=201,
                errors=(401, 403, 404, 422),
                also=(200,),
            ),
        },
    ),
    Route(
        path="/api/v1/media/files/{media_id}",
        name="media_file",
        factory=lambda c: MediaFileResource(c.media_library, c.media_links()),
        operations={
            "GET": Operation(
                summary="One stored image with its status and thumbnails",
                role=Role.VIEWER,
                response="MediaFile",
                errors=(401, 404),
            ),
            "PATCH": Operation(
                summary="Make the image its product's primary one",
                role=Role.EDITOR,
                request="MediaFilePatch",
                response="MediaFile",
                errors=(401, 403, 404, 422),
            ),
            "DELETE": Operation(
                summary="Delete the image and its thumbnails (the next image becomes primary)",
                role=Role.EDITOR,
                status=204,
                errors=(401, 403, 404),
            ),
        },
    ),
    Route(
        path="/api/v1/media/files/{media_id}/generate-thumbnails",
        name="thumbnail_generation",
        factory=lambda c: ThumbnailGenerationResource(c.media_library),
        operations={
            "POST": Operation(
                summary="Queue thumbnail generation (force=true regenerates existing ones)",
                role=Role.EDITOR,
                response="ThumbnailJob",
                status=202,
                params=(flag("force"),),
                unknown_params="refused",
                errors=(400, 401, 403, 404),
            ),
        },
    ),
    Route(
        path="/api/v1/media/files/{media_id}/content",
        name="media_content",
        factory=lambda c: MediaContentResource(c.media_library),
        operations={
            "GET": Operation(
                summary="The original image (filesystem store), by the signed URL given as file_url; no token",
                role=None,
                params=SIGNED_URL_PARAMS,
                errors=(400, 403, 404),
            )
        },
    ),
    Route(
        path="/api/v1/media/files/{media_id}/thumbnails/{size}",
        name="media_content",
        factory=lambda c: MediaContentResource(c.media_library),
        path_params={"size": SIZE},
        operations={
            "GET": Operation(
                summary="One thumbnail, JPEG (filesystem store), by the signed URL given in thumbnails; no token",
                role=None,
                params=SIGNED_URL_PARAMS,
                errors=(400, 403, 404),
            )
        },
    ),
)
