"""Builders of media: the S3 store, the thumbnailer, the signer of the filesystem store's URLs, the image
downloader (lazy imports keep processes that never touch an image from paying for boto3 or PIL)."""

from __future__ import annotations

import logging
from typing import Any

from productsmanager.adapters.fernet_secret_box import embedded_key
from productsmanager.adapters.signed_media_urls import HmacMediaUrlSigner
from productsmanager.application.media.download_ports import ImageDownloader
from productsmanager.application.media.ports import MediaStore, MediaStoreUnavailable, Thumbnailer
from productsmanager.config import Config, ConfigError

DOWNLOAD_TIME_LIMIT_SECONDS = 30.0  # one image, redirects and the wait for a slot of its host included
DOWNLOADS_PER_HOST = 4  # connections to one image host at once, across the threads of the process

log = logging.getLogger(__name__)


def build_media_url_signer(config: Config) -> HmacMediaUrlSigner:
    """Keyed by the same secret keys as the secret box (a key derived from each), so the embedded default
    signs with its generated key and production with PM_SECRET_KEYS; lifetime PM_MEDIA_URL_EXPIRY_SECONDS."""
    if config.secret_keys:
        keys = list(config.secret_keys)
    elif config.embedded:
        keys = [embedded_key(config.data_dir)]
    else:  # a production container built without keys: signing says so (503), like the keyless secret box
        keys = []
    return HmacMediaUrlSigner.from_secret_keys(keys, config.media_url_expiry_seconds)


def build_s3_media_store(config: Config) -> MediaStore:
    """The S3/MinIO store, its bucket created if missing. Imported here, not at the top, so the embedded
    default neither needs boto3 installed nor pays for importing it."""
    from productsmanager.adapters.s3.media_store import S3MediaStore

    if not config.s3_endpoint:
        raise ConfigError("PM_S3_ENDPOINT (or MINIO_ENDPOINT) is required for the S3 media store")
    store = S3MediaStore(
        endpoint_url=config.s3_endpoint,
        bucket=config.s3_bucket,
        region=config.s3_region,
        access_key=config.s3_access_key,
        secret_key=config.s3_secret_key,
        max_connections=config.s3_max_connections,
        public_url=config.media_public_url,
        url_expiry_seconds=config.media_url_expiry_seconds,
    )
    try:
        store.ensure_bucket()
    except MediaStoreUnavailable as error:  # S3 down as the process starts: the first upload makes the bucket
        log.warning("the media bucket could not be checked at start-up (the first upload checks it again): %s", error)
    return store


def build_thumbnailer(config: Config) -> Thumbnailer:
    """Imported on first use: processes that never touch an image (the CLI, most API calls) skip PIL."""
    from productsmanager.adapters.images.pillow_thumbnailer import PillowThumbnailer

    return PillowThumbnailer(max_pixels=config.media_max_pixels, max_decoded_bytes=config.media_max_decoded_bytes)


def build_image_downloader(config: Config, guard: Any) -> ImageDownloader:
    """The one downloader of the process (its per-host slots are shared by every thread), through the outbound
    guard, capped at PM_MEDIA_MAX_BYTES like an upload (the use case lowers it to the `media` settings' limit)."""
    from productsmanager.adapters.http.downloader import GuardedImageDownloader
    from productsmanager.adapters.http.host_slots import HostSlots

    return GuardedImageDownloader(
        guard,
        config.media_max_bytes,
        DOWNLOAD_TIME_LIMIT_SECONDS,
        HostSlots(DOWNLOADS_PER_HOST, config.download_host_slots),
    )
