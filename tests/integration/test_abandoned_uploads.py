"""The upload wizard's records and the scheduler's sweep of abandoned uploads on both backends: a file received
is recorded, a day later the sweep deletes file and record, younger ones stay, a second sweep (another
scheduler) finds nothing, and a supplier deleted meanwhile leaves the record to be swept by `scheduler --once`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import update

from productsmanager.adapters.sqlalchemy.tables import import_uploads
from productsmanager.domain.errors import NotFound
from productsmanager.entrypoints.cli.main import cli
from tests.integration.helpers import Backend
from tests.integration.import_helpers import SAMPLES

pytestmark = pytest.mark.integration
ACME = "acme_catalogue_cp1252.csv"


def kept(backend: Backend, key: str) -> bool:
    try:
        with backend.container.upload_files().local_copy(key):
            return True
    except (NotFound, KeyError, FileNotFoundError):
        return False


def test_a_day_old_upload_is_swept_file_then_record(backend: Backend, tmp_path: Path) -> None:
    supplier = backend.container.supplier_service().create({"code": "ACME", "name": "Acme"})
    user = backend.container.user_administration().create("ed@example.com", "A long password 1", "editor")
    wizard, path = backend.container.upload_wizard(), tmp_path / ACME
    path.write_bytes((SAMPLES / ACME).read_bytes())
    old, young = (wizard.receive("ACME", ACME, path, user.id).upload for _ in range(2))
    with backend.container.uow() as uow:
        record = uow.import_uploads.get(old.id)
    assert record is not None and (record.supplier_id, record.created_by) == (supplier.id, user.id)
    assert kept(backend, record.key)
    with backend.engine.begin() as conn:
        day_ago = datetime.now(UTC) - timedelta(hours=24, minutes=1)
        conn.execute(update(import_uploads).where(import_uploads.c.id == old.id).values(created_at=day_ago))

    assert backend.container.abandoned_uploads().sweep() == 1
    assert backend.container.abandoned_uploads().sweep() == 0
    assert not kept(backend, record.key)
    with pytest.raises(NotFound, match="upload"):
        wizard.preview(old.id)
    assert wizard.preview(young.id).upload.supplier.id == supplier.id


def test_a_record_outlives_its_supplier_until_swept(backend: Backend, tmp_path: Path) -> None:
    service = backend.container.supplier_service()
    supplier = service.create({"code": "GONE", "name": "Gone Ltd"})
    path = tmp_path / "prices.csv"
    path.write_text("ean;name\n4006381333931;Crème\n")
    upload = backend.container.upload_wizard().receive("GONE", "prices.csv", path).upload
    service.delete(supplier.id)
    with pytest.raises(NotFound, match="supplier"):
        backend.container.upload_wizard().preview(upload.id)
    with backend.engine.begin() as conn:
        conn.execute(update(import_uploads).values(created_at=datetime.now(UTC) - timedelta(days=2)))
    config = backend.container.config()  # the scheduler's own tick does it
    env = {"PM_DATABASE_URL": backend.url, "PM_DATA_DIR": str(config.data_dir)}
    if config.secret_keys:
        env["PM_SECRET_KEYS"] = ",".join(config.secret_keys)
    result = CliRunner().invoke(cli, ["scheduler", "--once"], env=env)
    assert result.exit_code == 0 and "uploads: 1 abandoned upload(s) deleted" in result.output, result.output
    with backend.container.uow() as uow:
        assert uow.import_uploads.get(upload.id) is None
    assert not kept(backend, f"uploads/{upload.id}/prices.csv")
