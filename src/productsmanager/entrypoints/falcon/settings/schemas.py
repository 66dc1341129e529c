"""JSON Schemas of the settings sections, generated from the domain's rules: a key added to a section, or a
limit changed there, changes what the API validates and documents without anyone editing a schema."""

from __future__ import annotations

from productsmanager.domain.setting_rules import Rule
from productsmanager.domain.setting_section import Section
from productsmanager.domain.settings import SECTIONS, ProductDataSettings
from productsmanager.entrypoints.falcon.schemas import NULLABLE_UUID, Schema, ref
from productsmanager.entrypoints.falcon.validation import BodySchemas

# Component names of each section: `GeneralSettings` (the whole section, as returned) and
# `GeneralSettingsUpdate` (a PUT body: any subset of the keys).
SECTION_SCHEMAS: dict[str, str] = {name: cls.__name__ for name, cls in SECTIONS.items()}
UPDATE_SUFFIX = "Update"
# Sections whose change may start a resolve job: a PUT answers the section with the job's id (null when the
# change left the source priority as it was), as `ProductDataSettingsChange`.
RESOLVING_SECTIONS = frozenset({ProductDataSettings.name})
CHANGE_SUFFIX = "Change"


def rule_schema(rule: Rule) -> Schema:
    schema: Schema = {"type": rule.kind}
    limits = {
        "minimum": rule.minimum,
        "maximum": rule.maximum,
        "minLength": rule.min_length,
        "maxLength": rule.max_length,
        "maxItems": rule.max_items,
    }
    schema.update({name: value for name, value in limits.items() if value is not None})
    if rule.choices is not None:
        schema["enum"] = list(rule.choices)
    if rule.fullmatch is not None:
        schema["pattern"] = f"^(?:{rule.fullmatch})$"  # JSON Schema patterns search; the domain's match whole
    if rule.items is not None:
        schema["items"] = rule_schema(rule.items)
    if rule.description:
        schema["description"] = rule.description
    return schema


def section_schema(section: type[Section], *, update: bool) -> Schema:
    properties = {}
    for key in section.setting_keys():
        prop = rule_schema(key.rule)
        prop["default"] = list(key.default) if isinstance(key.default, tuple) else key.default
        properties[key.key] = prop
    schema: Schema = {"type": "object", "additionalProperties": False, "properties": properties}
    if update:
        schema["description"] = "Keys given replace the stored values; keys left out keep their current value."
    else:
        schema["required"] = list(properties)
    return schema


def change_schema(section: type[Section]) -> Schema:
    """The section as a PUT answers it when the change may start a resolve job."""
    schema = section_schema(section, update=False)
    schema["properties"]["resolve_job_id"] = {
        **NULLABLE_UUID,
        "description": "the resolve job the change started (GET /api/v1/products/resolve-jobs/{resolve_job_id}); null "
        "when the source priority stayed as it was",
    }
    schema["required"].append("resolve_job_id")
    return schema


def change_name(name: str) -> str:
    """The component a PUT of section `name` answers with."""
    return SECTION_SCHEMAS[name] + CHANGE_SUFFIX if name in RESOLVING_SECTIONS else SECTION_SCHEMAS[name]


def settings_components() -> dict[str, Schema]:
    components: dict[str, Schema] = {}
    for name, cls in SECTIONS.items():
        components[SECTION_SCHEMAS[name]] = section_schema(cls, update=False)
        components[SECTION_SCHEMAS[name] + UPDATE_SUFFIX] = section_schema(cls, update=True)
        if name in RESOLVING_SECTIONS:
            components[change_name(name)] = change_schema(cls)
    sections = [ref(schema) for schema in SECTION_SCHEMAS.values()]
    components["Settings"] = {
        "type": "object",
        "required": list(SECTIONS),
        "properties": dict(zip(SECTIONS, sections, strict=True)),
    }
    components["SettingsSection"] = {"oneOf": sections, "description": "The section named in the path."}
    components["SettingsSectionChange"] = {
        "oneOf": [ref(change_name(name)) for name in SECTIONS],
        "description": "The section named in the path after the change; `product_data` with the id of the "
        "resolve job its change started.",
    }
    components["SettingsSectionUpdate"] = {
        "anyOf": [ref(schema + UPDATE_SUFFIX) for schema in SECTION_SCHEMAS.values()],
        "description": "The section's object, any subset of its keys: keys given replace the stored values, "
        "keys left out keep their current value; an unknown key or a value of the wrong type is a 422.",
    }
    return components


COMPONENTS = settings_components()
BODIES = BodySchemas(COMPONENTS)
# The section named in the path: one of those the domain knows.
SECTION: Schema = {"type": "string", "enum": list(SECTION_SCHEMAS)}
