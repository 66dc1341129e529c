"""The API's JSON Schemas of the settings are generated from the domain: whatever the domain accepts, the
schema accepts too, so the first check never refuses a valid change the domain would have taken."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from productsmanager.domain.settings import SECTIONS, SettingsSnapshot
from productsmanager.entrypoints.falcon.settings.schemas import COMPONENTS, SECTION_SCHEMAS, UPDATE_SUFFIX
from tests.unit.settings_strategies import VALID


def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(COMPONENTS[name])


def test_each_section_schema_lists_exactly_the_domain_s_keys_with_their_defaults() -> None:
    defaults = SettingsSnapshot()
    for name, cls in SECTIONS.items():
        schema = COMPONENTS[SECTION_SCHEMAS[name]]
        assert list(schema["properties"]) == [k.key for k in cls.setting_keys()] == schema["required"]
        assert {k: p["default"] for k, p in schema["properties"].items()} == defaults.section(name).to_json()
        assert schema["additionalProperties"] is False
        assert "required" not in COMPONENTS[SECTION_SCHEMAS[name] + UPDATE_SUFFIX]
        assert validator(SECTION_SCHEMAS[name]).is_valid(defaults.section(name).to_json())


@given(st.data())
def test_what_the_domain_accepts_the_schema_accepts(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(SECTIONS)))
    change = data.draw(st.fixed_dictionaries({}, optional=VALID[name]))
    SECTIONS[name].from_json(change)
    assert validator(SECTION_SCHEMAS[name] + UPDATE_SUFFIX).is_valid(change)
    assert validator(SECTION_SCHEMAS[name]).is_valid(SECTIONS[name].from_json(change).to_json())


@given(st.integers().filter(lambda q: not 1 <= q <= 95))
def test_the_schema_refuses_a_quality_the_domain_refuses(quality: int) -> None:
    assert not validator("MediaSettingsUpdate").is_valid({"thumbnail_jpeg_quality": quality})
