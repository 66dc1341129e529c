"""Migration 0016 widens the media sources; on SQLite it rebuilds `media_files`, which must not take the
thumbnails with it (ON DELETE CASCADE would, with foreign keys on)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from productsmanager.adapters.sqlalchemy.engine import build_engine
from productsmanager.adapters.sqlalchemy.migrate import upgrade
from productsmanager.adapters.sqlalchemy.tables import media_files, media_thumbnails, products

pytestmark = pytest.mark.integration
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def test_thumbnails_survive_the_rebuild_and_ean_lookup_images_are_taken(tmp_path: Path) -> None:
    engine = build_engine(f"sqlite:///{tmp_path / 'media.db'}")
    try:
        upgrade(engine, "0015_ean_lookup")
        product_id, media_id = uuid.uuid4(), uuid.uuid4()
        with engine.begin() as conn:
            conn.execute(insert(products).values(id=product_id, gtin="04006381333931", name="Crème", attributes={},
                                                 created_at=NOW, updated_at=NOW))  # fmt: skip
            conn.execute(insert(media_files).values(
                id=media_id, product_id=product_id, storage_key="products/ab/x/1.jpg", sha256="0" * 64,
                content_type="image/jpeg", byte_size=10, is_primary=True, source="upload", status="ready",
                created_at=NOW))  # fmt: skip
            conn.execute(insert(media_thumbnails), [
                {"id": uuid.uuid4(), "media_file_id": media_id, "size": size, "storage_key": f"t/{size}.jpg",
                 "width": 1, "height": 1, "byte_size": 1} for size in ("small", "medium", "large")])  # fmt: skip
        upgrade(engine)
        with engine.begin() as conn:
            assert conn.execute(select(func.count()).select_from(media_thumbnails)).scalar_one() == 3
            indexes = {row[1] for row in conn.exec_driver_sql("PRAGMA index_list(media_files)")}
            assert {
                "uq_media_files_one_primary",
                "ix_media_files_product_id",
                "ix_media_files_status_created_at",
            } <= indexes
            conn.execute(insert(media_files).values(
                id=uuid.uuid4(), product_id=product_id, storage_key="products/ab/x/2.jpg", sha256="1" * 64,
                content_type="image/jpeg", byte_size=10, is_primary=False, source="ean_lookup", status="pending",
                created_at=NOW))  # fmt: skip
    finally:
        engine.dispose()
