"""Builders of exports: the store of export files (the S3 exports bucket, created when missing, or files under
`$PM_DATA_DIR/exports`) and the sinks by platform kind. A Google Drive sink is plugged in by overriding the
container's `gdrive_export_sink` provider (`container.gdrive_export_sink.override(providers.Singleton(...))`);
until then `gdrive` platforms are refused as not connected."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from productsmanager.application.exports.ports import ExportSink
from productsmanager.config import Config, ConfigError
from productsmanager.domain.exports.platforms import PlatformKind


def build_s3_export_store(config: Config) -> Any:
    """Imported here so that the embedded default neither needs boto3 nor pays for importing it."""
    from productsmanager.adapters.exports.s3_exports import S3ExportStore
    from productsmanager.adapters.s3.client import build_s3_client

    if not config.s3_endpoint:
        raise ConfigError("PM_S3_ENDPOINT (or MINIO_ENDPOINT) is required for the S3 export store")
    client = build_s3_client(
        endpoint_url=config.s3_endpoint,
        region=config.s3_region,
        access_key=config.s3_access_key,
        secret_key=config.s3_secret_key,
        max_connections=config.s3_max_connections,
    )
    store = S3ExportStore(client, config.export_bucket, config.s3_region)
    store.ensure_bucket()
    return store


def build_file_export_store(config: Config) -> Any:
    from productsmanager.adapters.exports.file_exports import FilesystemDownloads

    return FilesystemDownloads(Path(config.data_dir) / "exports")


def build_export_sinks(config: Config, store: ExportSink, gdrive: ExportSink | None) -> Any:
    """Downloads go to the export store; S3 platforms to it when S3 is configured; Drive when a sink is given."""
    from productsmanager.adapters.exports.sinks import PlatformSinks

    sinks: dict[PlatformKind, ExportSink] = {PlatformKind.DOWNLOAD: store}
    if config.s3_endpoint:
        sinks[PlatformKind.S3] = store
    if gdrive is not None:
        sinks[PlatformKind.GDRIVE] = gdrive
    return PlatformSinks(sinks)
