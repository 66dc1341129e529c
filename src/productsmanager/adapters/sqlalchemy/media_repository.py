"""Media file and thumbnail rows, translated to and from the domain's MediaFile and ThumbnailRecord."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update
from sqlalchemy.engine import RowMapping

from productsmanager.adapters.sqlalchemy.integrity import conflict_on_duplicate
from productsmanager.adapters.sqlalchemy.tables import media_files, media_thumbnails
from productsmanager.application.media.ports import StoredMediaRow
from productsmanager.domain.media_files import MediaFile, MediaSource, MediaStatus, ThumbnailRecord

m, t = media_files, media_thumbnails
# Built once: storing an image asks these for each one, and a job storing thousands pays for building them.
_BY_SHA256 = select(m).where(m.c.product_id == bindparam("product_id"), m.c.sha256 == bindparam("sha256"))
_OF_PRODUCT = (
    select(m).where(m.c.product_id == bindparam("product_id")).order_by(m.c.is_primary.desc(), m.c.created_at, m.c.id)
)
_INSERT = insert(m)


class SqlAlchemyMediaFileRepository:
    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def add(self, media: MediaFile) -> None:
        with conflict_on_duplicate("this image is already stored for the product, or it already has a primary"):
            self._conn.execute(_INSERT, _values(media))

    def get(self, media_id: uuid.UUID) -> MediaFile | None:
        row = self._conn.execute(select(m).where(m.c.id == media_id)).mappings().first()
        return media_from_row(row) if row else None

    def find_by_sha256(self, product_id: uuid.UUID, sha256: str) -> MediaFile | None:
        row = self._conn.execute(_BY_SHA256, {"product_id": product_id, "sha256": sha256}).mappings().first()
        return media_from_row(row) if row else None

    def for_product(self, product_id: uuid.UUID) -> list[MediaFile]:
        return [media_from_row(row) for row in self._conn.execute(_OF_PRODUCT, {"product_id": product_id}).mappings()]

    def update(self, media: MediaFile) -> None:
        values = _values(media)
        del values["is_primary"]  # moved only by set_primary, which keeps the one-primary index satisfied
        self._conn.execute(update(m).where(m.c.id == media.id).values(**values))

    def set_primary(self, product_id: uuid.UUID, media_id: uuid.UUID | None) -> None:
        """Clears the old primary before setting the new one: the partial unique index sees one at a time."""
        self._conn.execute(
            update(m).where(m.c.product_id == product_id, m.c.is_primary.is_(True)).values(is_primary=False)
        )
        if media_id is not None:
            with conflict_on_duplicate("another image became primary at the same time; retry"):
                self._conn.execute(
                    update(m).where(m.c.id == media_id, m.c.product_id == product_id).values(is_primary=True)
                )

    def delete(self, media_id: uuid.UUID) -> None:
        self._conn.execute(delete(m).where(m.c.id == media_id))

    def ids_for_thumbnails(self, product_id: uuid.UUID | None, missing_only: bool) -> list[uuid.UUID]:
        query = select(m.c.id).order_by(m.c.created_at, m.c.id)
        if product_id is not None:
            query = query.where(m.c.product_id == product_id)
        if missing_only:
            query = query.where(m.c.status != MediaStatus.READY.value)
        return list(self._conn.execute(query).scalars())

    def thumbnails_of(self, media_id: uuid.UUID) -> list[ThumbnailRecord]:
        query = select(t).where(t.c.media_file_id == media_id).order_by(t.c.width.desc())
        return [
            ThumbnailRecord(
                row["media_file_id"], row["size"], row["storage_key"], row["width"], row["height"], row["byte_size"]
            )
            for row in self._conn.execute(query).mappings()
        ]

    def save_thumbnail(self, thumbnail: ThumbnailRecord) -> None:
        values = {
            "storage_key": thumbnail.storage_key,
            "width": thumbnail.width,
            "height": thumbnail.height,
            "byte_size": thumbnail.byte_size,
        }
        replaced = self._conn.execute(
            update(t).where(t.c.media_file_id == thumbnail.media_file_id, t.c.size == thumbnail.size).values(**values)
        ).rowcount
        if not replaced:
            self._conn.execute(
                insert(t).values(id=uuid.uuid4(), media_file_id=thumbnail.media_file_id, size=thumbnail.size, **values)
            )

    def storage_keys(self, after: uuid.UUID | None, limit: int) -> list[StoredMediaRow]:
        """Two statements per page: the media files (primary key order) and their thumbnails by id."""
        query = select(m.c.id, m.c.storage_key).order_by(m.c.id).limit(limit)
        if after is not None:
            query = query.where(m.c.id > after)
        originals = self._conn.execute(query).all()
        if not originals:
            return []
        thumbs = select(t.c.media_file_id, t.c.size, t.c.storage_key).where(
            t.c.media_file_id.in_([row.id for row in originals])
        )
        by_file: dict[uuid.UUID, list[StoredMediaRow]] = {}
        for row in self._conn.execute(thumbs):
            by_file.setdefault(row.media_file_id, []).append(
                StoredMediaRow(row.media_file_id, row.size, row.storage_key)
            )
        rows = []
        for media_id, key in originals:
            rows.append(StoredMediaRow(media_id, None, key))
            rows.extend(sorted(by_file.get(media_id, []), key=lambda r: str(r.size)))
        return rows

    def count_storage_keys(self) -> int:
        query = select(
            select(func.count()).select_from(m).scalar_subquery()
            + select(func.count()).select_from(t).scalar_subquery()
        )
        return int(self._conn.execute(query).scalar_one())

    def storage_key_of(self, media_file_id: uuid.UUID, size: str | None) -> str | None:
        if size is None:
            query = select(m.c.storage_key).where(m.c.id == media_file_id)
        else:
            query = select(t.c.storage_key).where(t.c.media_file_id == media_file_id, t.c.size == size)
        return self._conn.execute(query).scalar_one_or_none()

    def replace_storage_key(self, row: StoredMediaRow, new_key: str) -> bool:
        if row.size is None:
            statement = update(m).where(m.c.id == row.media_file_id, m.c.storage_key == row.storage_key)
        else:
            statement = update(t).where(
                t.c.media_file_id == row.media_file_id, t.c.size == row.size, t.c.storage_key == row.storage_key
            )
        return bool(self._conn.execute(statement.values(storage_key=new_key)).rowcount)


def media_from_row(row: RowMapping) -> MediaFile:
    return MediaFile(
        id=row["id"],
        product_id=row["product_id"],
        storage_key=row["storage_key"],
        sha256=row["sha256"],
        content_type=row["content_type"],
        byte_size=row["byte_size"],
        width=row["width"],
        height=row["height"],
        is_primary=row["is_primary"],
        source=MediaSource(row["source"]),
        original_file_name=row["original_file_name"],
        status=MediaStatus(row["status"]),
        failure_reason=row["failure_reason"],
        created_at=row["created_at"],
    )


def _values(media: MediaFile) -> dict[str, Any]:
    return {
        "id": media.id,
        "product_id": media.product_id,
        "storage_key": media.storage_key,
        "sha256": media.sha256,
        "content_type": media.content_type,
        "byte_size": media.byte_size,
        "width": media.width,
        "height": media.height,
        "is_primary": media.is_primary,
        "source": media.source.value,
        "original_file_name": media.original_file_name,
        "status": media.status.value,
        "failure_reason": media.failure_reason,
        "created_at": media.created_at,
    }
