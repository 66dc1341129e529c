"""`productsmanager media thumbnails`: progress, summary, a bad image that does not stop the batch, reruns."""

from __future__ import annotations

import io

import pytest
from click.testing import CliRunner
from PIL import Image

from productsmanager.domain.media_files import MediaStatus
from productsmanager.entrypoints.cli.main import cli
from tests.integration.helpers import Backend

pytestmark = pytest.mark.integration


def _jpeg(shade: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (shade, 90, 160)).save(out, "JPEG")
    return out.getvalue()


def _environment(backend: Backend) -> dict[str, str]:
    config = backend.container.config()
    env = {"PM_DATABASE_URL": config.database_url, "PM_DATA_DIR": str(config.data_dir)}
    if config.secret_keys:
        env["PM_SECRET_KEYS"] = ",".join(config.secret_keys)
    return env


@pytest.mark.parametrize("workers", ["1", "2"])
def test_thumbnails_in_bulk_report_and_survive_a_bad_image(backend: Backend, workers: str) -> None:
    product_id = backend.container.product_editor().create("4006381333931", {"name": "Mug"})
    uploader = backend.container.media_uploader()
    ids = [uploader.upload(product_id, _jpeg(shade)).media.id for shade in (10, 60, 110, 160)]
    library = backend.container.media_library()
    broken = library.get(ids[1]).media
    backend.container.media_store().put(broken.storage_key, b"not a jpeg any more", "image/jpeg")

    runner = CliRunner()
    result = runner.invoke(cli, ["media", "thumbnails", "--workers", workers], env=_environment(backend))
    assert result.exit_code == 1, result.output
    assert "processed 4, succeeded 3, failed 1, thumbnails created 9" in result.output
    assert library.get(ids[1]).media.status is MediaStatus.FAILED
    assert all(library.get(i).media.status is MediaStatus.READY for i in (ids[0], ids[2], ids[3]))

    backend.container.media_store().put(broken.storage_key, _jpeg(60), "image/jpeg")
    again = runner.invoke(cli, ["media", "thumbnails", "--missing-only"], env=_environment(backend))
    assert again.exit_code == 0, again.output
    assert "processed 1, succeeded 1, failed 0, thumbnails created 3" in again.output
    assert all(len(library.get(i).thumbnails) == 3 for i in ids)

    nothing = runner.invoke(cli, ["media", "thumbnails", "--missing-only"], env=_environment(backend))
    assert "processed 0, succeeded 0, failed 0, thumbnails created 0" in nothing.output
