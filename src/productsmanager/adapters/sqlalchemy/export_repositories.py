"""Export platforms, templates and jobs to and from their rows (a template's columns and a job's columns and
filter as JSON)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from attrs import asdict
from sqlalchemy import Connection, and_, delete, insert, or_, select, update
from sqlalchemy.engine import RowMapping

from productsmanager.adapters.sqlalchemy.tables import export_jobs, export_platforms, export_templates
from productsmanager.domain.exports.fields import ExportField
from productsmanager.domain.exports.jobs import ExportFormat, ExportJob, ExportStatus, JsonStyle
from productsmanager.domain.exports.platforms import ExportPlatform, PlatformKind
from productsmanager.domain.exports.templates import ExportTemplate, TemplateColumn

p, t, j = export_platforms, export_templates, export_jobs
JOB_COLUMNS = tuple(a.name for a in ExportJob.__attrs_attrs__)


class SqlAlchemyExportPlatformRepository:
    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def add(self, platform: ExportPlatform) -> None:
        self._conn.execute(insert(p).values(**asdict(platform)))

    def get(self, platform_id: uuid.UUID) -> ExportPlatform | None:
        row = self._conn.execute(select(p).where(p.c.id == platform_id)).mappings().first()
        return _platform(row) if row else None

    def all(self) -> list[ExportPlatform]:
        return [_platform(row) for row in self._conn.execute(select(p).order_by(p.c.name, p.c.id)).mappings()]

    def replace(self, platform: ExportPlatform) -> None:
        self._conn.execute(update(p).where(p.c.id == platform.id).values(**asdict(platform)))

    def delete(self, platform_id: uuid.UUID) -> bool:
        return bool(self._conn.execute(delete(p).where(p.c.id == platform_id)).rowcount)


class SqlAlchemyExportTemplateRepository:
    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def add(self, template: ExportTemplate) -> None:
        self._conn.execute(insert(t).values(**_template_values(template)))

    def get(self, template_id: uuid.UUID) -> ExportTemplate | None:
        row = self._conn.execute(select(t).where(t.c.id == template_id)).mappings().first()
        return _template(row) if row else None

    def all(self) -> list[ExportTemplate]:
        return [_template(row) for row in self._conn.execute(select(t).order_by(t.c.name, t.c.id)).mappings()]

    def replace(self, template: ExportTemplate) -> None:
        self._conn.execute(update(t).where(t.c.id == template.id).values(**_template_values(template)))

    def delete(self, template_id: uuid.UUID) -> bool:
        return bool(self._conn.execute(delete(t).where(t.c.id == template_id)).rowcount)


class SqlAlchemyExportJobRepository:
    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def add(self, job: ExportJob) -> None:
        self._conn.execute(insert(j).values(**_job_values(job)))

    def get(self, job_id: uuid.UUID) -> ExportJob | None:
        row = self._conn.execute(select(j).where(j.c.id == job_id)).mappings().first()
        return _job(row) if row else None

    def replace(self, job: ExportJob, expected: tuple[ExportStatus, int]) -> bool:
        status, attempts = expected
        statement = update(j).where(j.c.id == job.id, j.c.status == status.value, j.c.attempts == attempts)
        return bool(self._conn.execute(statement.values(**_job_values(job))).rowcount)

    def page(
        self,
        limit: int,
        after: tuple[datetime, uuid.UUID] | None,
        status: ExportStatus | None = None,
        platform_id: uuid.UUID | None = None,
    ) -> list[ExportJob]:
        query = select(j).order_by(j.c.created_at.desc(), j.c.id.desc()).limit(limit)
        if after is not None:
            at, job_id = after
            query = query.where(or_(j.c.created_at < at, and_(j.c.created_at == at, j.c.id < job_id)))
        if status is not None:
            query = query.where(j.c.status == status.value)
        if platform_id is not None:
            query = query.where(j.c.platform_id == platform_id)
        return [_job(row) for row in self._conn.execute(query).mappings()]

    def expired(self, now: datetime, limit: int) -> list[ExportJob]:
        query = (
            select(j)
            .where(j.c.status == ExportStatus.COMPLETED.value, j.c.expires_at <= now, j.c.location.is_not(None))
            .order_by(j.c.expires_at, j.c.id)
            .limit(limit)
        )
        return [_job(row) for row in self._conn.execute(query).mappings()]


def _platform(row: RowMapping) -> ExportPlatform:
    return ExportPlatform(**{**row, "kind": PlatformKind(row["kind"])})


def _template_values(template: ExportTemplate) -> dict[str, Any]:
    columns = [
        {"header": c.header, "field": c.field.name} if c.field is not None else {"header": c.header, "value": c.value}
        for c in template.columns
    ]
    return {"id": template.id, "name": template.name, "columns": columns, "created_at": template.created_at,
            "updated_at": template.updated_at}  # fmt: skip


def _template(row: RowMapping) -> ExportTemplate:
    columns = tuple(
        TemplateColumn(c["header"], field=ExportField.parse(c["field"])) if "field" in c
        else TemplateColumn(c["header"], value=c["value"])
        for c in row["columns"]
    )  # fmt: skip
    return ExportTemplate(row["id"], row["name"], columns, row["created_at"], row["updated_at"])


def _job_values(job: ExportJob) -> dict[str, Any]:
    values = {name: getattr(job, name) for name in JOB_COLUMNS}
    values.update(format=job.format.value, status=job.status.value, json_style=job.json_style.value)
    return values


def _job(row: RowMapping) -> ExportJob:
    return ExportJob(**{
        **row, "format": ExportFormat(row["format"]), "status": ExportStatus(row["status"]),
        "json_style": JsonStyle(row["json_style"]),
    })  # fmt: skip
