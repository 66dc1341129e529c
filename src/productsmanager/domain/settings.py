"""Global settings: one frozen class per section, with defaults and rules, and the registry of sections.

A setting is stored under `{section}.{key}` (`general.company_name`); `key` is its name in JSON, which is the
attribute's name unless the API contract spells it otherwise (`notifications.emailImportComplete`)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar

import attrs
from attrs import frozen

from productsmanager.domain.enrichment.lookup import LookupPolicy
from productsmanager.domain.errors import InvalidValue, NotFound
from productsmanager.domain.precedence import ValuePrecedence
from productsmanager.domain.setting_rules import (
    FLAG,
    Rule,
    choice,
    distinct_addresses,
    email_address,
    fraction,
    iana_zone,
    not_blank,
    text,
    whole,
)
from productsmanager.domain.setting_section import Section, setting
from productsmanager.domain.sources import DEFAULT_PRIORITY, PRIORITY_MAX, parse_source_priority


@frozen
class GeneralSettings(Section):
    name: ClassVar[str] = "general"
    company_name: str = setting("Products Manager", text(1, 200, check=not_blank))
    default_currency: str = setting(
        "EUR", text(3, 3, fullmatch="[A-Z]{3}", form="three upper-case letters (ISO 4217) such as 'EUR'")
    )
    timezone: str = setting("Europe/Paris", text(1, 64, check=iana_zone))


RECIPIENTS = Rule(
    "array", max_items=50, items=Rule("string", max_length=254, check=email_address), check=distinct_addresses
)


@frozen
class NotificationSettings(Section):
    name: ClassVar[str] = "notifications"
    email_import_complete: bool = setting(False, FLAG, key="emailImportComplete")
    email_import_error: bool = setting(True, FLAG, key="emailImportError")
    recipients: tuple[str, ...] = setting((), RECIPIENTS)


@frozen
class MediaSettings(Section):
    name: ClassVar[str] = "media"
    thumbnail_jpeg_quality: int = setting(85, whole(1, 95))
    max_upload_bytes: int = setting(26_214_400, whole(1))


@frozen
class ImportDefaults(Section):
    """What a new supplier import profile starts with; each profile may then differ."""

    name: ClassVar[str] = "imports"
    encoding: str = setting("auto", choice("auto", "utf-8", "utf-8-sig", "windows-1252", "latin-1"))
    delimiter: str = setting("auto", choice("auto", ",", ";", "\t", "|"))
    decimal_comma: bool = setting(False, FLAG)
    header_row: int = setting(1, whole(1, 100))
    missing_offers: str = setting("keep", choice("keep", "zero_stock", "remove"))


def _source_priority(values: tuple[str, ...], _field: str) -> tuple[str, ...]:
    """Normalised (`odoo`, upper-case codes), with each refused entry named `source_priority[i]`."""
    return parse_source_priority(values)


SOURCE_PRIORITY = Rule(
    "array",
    max_items=PRIORITY_MAX,
    items=Rule("string", min_length=1, max_length=120),
    check=_source_priority,
    description="supplier codes and 'odoo', best first",
)


@frozen
class ProductDataSettings(Section):
    """Which source a product's shared fields trust (`ValuePrecedence`): a person's value always first, then
    `source_priority` in its order, then unlisted suppliers and Odoo (earliest first), then enrichment."""

    name: ClassVar[str] = "product_data"
    source_priority: tuple[str, ...] = setting(DEFAULT_PRIORITY, SOURCE_PRIORITY)

    def precedence(self) -> ValuePrecedence:
        return ValuePrecedence(self.source_priority)


@frozen
class EanLookupSettings(Section):
    """How the answers of barcode providers are used (`LookupPolicy`) and how long they are kept."""

    name: ClassVar[str] = "ean_lookup"
    min_confidence: float = setting(0.8, fraction())
    merge_results: bool = setting(False, FLAG)
    cache_days: int = setting(30, whole(0, 3650))
    not_found_cache_days: int = setting(7, whole(0, 3650))

    def policy(self) -> LookupPolicy:
        return LookupPolicy(self.min_confidence, self.merge_results)


SECTIONS: Mapping[str, type[Section]] = MappingProxyType(
    {
        cls.name: cls
        for cls in (
            GeneralSettings,
            NotificationSettings,
            MediaSettings,
            ImportDefaults,
            ProductDataSettings,
            EanLookupSettings,
        )
    }
)


def section_type(name: str) -> type[Section]:
    if name not in SECTIONS:
        raise NotFound("settings section", name)
    return SECTIONS[name]


@frozen
class SettingsSnapshot:
    """Every section at one moment: what the application reads, whole, from one load of the table."""

    general: GeneralSettings = GeneralSettings()
    notifications: NotificationSettings = NotificationSettings()
    media: MediaSettings = MediaSettings()
    imports: ImportDefaults = ImportDefaults()
    product_data: ProductDataSettings = ProductDataSettings()
    ean_lookup: EanLookupSettings = EanLookupSettings()

    @classmethod
    def from_stored(cls, stored: Mapping[str, object]) -> tuple[SettingsSnapshot, list[str]]:
        """Keys missing from storage (added to a section after its rows were written) take their defaults,
        stored keys no section has any more are ignored, and a stored value that breaks its rule falls back
        to the default rather than making every setting unreadable: those keys are returned to be reported."""
        sections: dict[str, Section] = {}
        refused: list[str] = []
        for name, section in SECTIONS.items():
            values: dict[str, Any] = {}
            for spec in section.setting_keys():
                stored_key = f"{name}.{spec.key}"
                if stored_key in stored:
                    try:
                        values[spec.attribute] = spec.rule.parse(stored[stored_key], spec.key)
                    except InvalidValue:
                        refused.append(stored_key)
            sections[name] = section(**values)
        return cls(**sections), refused  # type: ignore[arg-type]

    def section(self, name: str) -> Section:
        section_type(name)
        return getattr(self, name)  # type: ignore[no-any-return]

    def with_section(self, section: Section) -> SettingsSnapshot:
        return attrs.evolve(self, **{section.name: section})

    def to_json(self) -> dict[str, dict[str, Any]]:
        return {name: self.section(name).to_json() for name in SECTIONS}
