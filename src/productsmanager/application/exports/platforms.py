"""`ExportPlatforms` and `ExportTemplates`: where exports go and how their columns are laid out, kept by an
administrator. The download platform is always listed and cannot be changed or deleted."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from productsmanager.application.ports import Clock, UnitOfWorkFactory
from productsmanager.domain.errors import NotFound
from productsmanager.domain.exports.platforms import DOWNLOAD_PLATFORM_ID, ExportPlatform, PlatformFixed
from productsmanager.domain.exports.templates import ExportTemplate

OPTIONS = ("bucket", "prefix", "folder_id")


class ExportPlatforms:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def list(self) -> list[ExportPlatform]:
        with self._uow() as uow:
            stored = uow.export_platforms.all()
        return [ExportPlatform.download(self._clock.now()), *stored]

    def get(self, platform_id: uuid.UUID) -> ExportPlatform:
        if platform_id == DOWNLOAD_PLATFORM_ID:
            return ExportPlatform.download(self._clock.now())
        with self._uow() as uow:
            platform = uow.export_platforms.get(platform_id)
        if platform is None:
            raise NotFound("export platform", platform_id)
        return platform

    def create(self, body: Mapping[str, Any]) -> ExportPlatform:
        platform = ExportPlatform.new(body.get("name"), body.get("kind"), self._clock.now(), **_options(body))
        with self._uow() as uow:
            uow.export_platforms.add(platform)
            uow.commit()
        return platform

    def update(self, platform_id: uuid.UUID, body: Mapping[str, Any]) -> ExportPlatform:
        platform = self.get(platform_id)
        platform.change(body.get("name"), body.get("kind"), self._clock.now(), **_options(body))
        with self._uow() as uow:
            uow.export_platforms.replace(platform)
            uow.commit()
        return platform

    def delete(self, platform_id: uuid.UUID) -> None:
        """Exports made to it keep their record (and say where their file went)."""
        if platform_id == DOWNLOAD_PLATFORM_ID:
            raise PlatformFixed("the download platform cannot be changed or deleted")
        with self._uow() as uow:
            if not uow.export_platforms.delete(platform_id):
                raise NotFound("export platform", platform_id)
            uow.commit()


class ExportTemplates:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def list(self) -> list[ExportTemplate]:
        with self._uow() as uow:
            return uow.export_templates.all()

    def get(self, template_id: uuid.UUID) -> ExportTemplate:
        with self._uow() as uow:
            template = uow.export_templates.get(template_id)
        if template is None:
            raise NotFound("export template", template_id)
        return template

    def create(self, body: Mapping[str, Any]) -> ExportTemplate:
        template = ExportTemplate.new(body.get("name"), body.get("columns"), self._clock.now())
        with self._uow() as uow:
            uow.export_templates.add(template)
            uow.commit()
        return template

    def update(self, template_id: uuid.UUID, body: Mapping[str, Any]) -> ExportTemplate:
        template = self.get(template_id)
        template.change(body.get("name"), body.get("columns"), self._clock.now())
        with self._uow() as uow:
            uow.export_templates.replace(template)
            uow.commit()
        return template

    def delete(self, template_id: uuid.UUID) -> None:
        with self._uow() as uow:
            if not uow.export_templates.delete(template_id):
                raise NotFound("export template", template_id)
            uow.commit()


def _options(body: Mapping[str, Any]) -> dict[str, object]:
    return {name: body.get(name) for name in OPTIONS}
