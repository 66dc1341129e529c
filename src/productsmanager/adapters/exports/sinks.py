"""`PlatformSinks`: the sink of each platform kind this installation can write to. Google Drive's sink is
plugged in by the container once the Drive integration provides one; until then `gdrive` is refused."""

from __future__ import annotations

from collections.abc import Mapping

from productsmanager.application.exports.ports import ExportSink, PlatformNotConnected
from productsmanager.domain.exports.platforms import PlatformKind

NOT_CONNECTED = {
    PlatformKind.GDRIVE: "Google Drive is not connected",
    PlatformKind.S3: "S3 is not configured (PM_S3_ENDPOINT or MINIO_ENDPOINT)",
    PlatformKind.DOWNLOAD: "downloads cannot be kept",
}


class PlatformSinks:
    def __init__(self, sinks: Mapping[PlatformKind, ExportSink]) -> None:
        self._sinks = dict(sinks)

    def sink(self, kind: PlatformKind) -> ExportSink:
        found = self._sinks.get(kind)
        if found is None:
            raise PlatformNotConnected(NOT_CONNECTED[kind], field="platform_id")
        return found
