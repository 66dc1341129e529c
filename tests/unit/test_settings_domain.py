"""Settings rules: each key's type and limits, unknown keys, partial changes, the JSON and stored forms."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from productsmanager.domain.errors import InvalidSettings, NotFound
from productsmanager.domain.settings import (
    SECTIONS,
    GeneralSettings,
    ImportDefaults,
    MediaSettings,
    NotificationSettings,
    SettingsSnapshot,
    section_type,
)
from tests.unit.settings_strategies import VALID

JSON_VALUES = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(), st.lists(st.integers()))


def refused_fields(section: str, values: dict[str, object]) -> list[str | None]:
    with pytest.raises(InvalidSettings) as refused:
        SECTIONS[section].from_json(values)
    assert refused.value.section == section
    return [error.field for error in refused.value.errors]


def test_defaults_are_the_documented_ones() -> None:
    assert SettingsSnapshot().to_json() == {
        "general": {"company_name": "Products Manager", "default_currency": "EUR", "timezone": "Europe/Paris"},
        "notifications": {"emailImportComplete": False, "emailImportError": True, "recipients": []},
        "media": {"thumbnail_jpeg_quality": 85, "max_upload_bytes": 26_214_400},
        "imports": {
            "encoding": "auto",
            "delimiter": "auto",
            "decimal_comma": False,
            "header_row": 1,
            "missing_offers": "keep",
        },
        "product_data": {"source_priority": ["odoo"]},
        "ean_lookup": {"min_confidence": 0.8, "merge_results": False, "cache_days": 30, "not_found_cache_days": 7},
    }
    assert set(VALID) == set(SECTIONS)
    for name, cls in SECTIONS.items():
        assert {k.key for k in cls.setting_keys()} == set(VALID[name]), name


@given(st.data())
def test_any_valid_section_round_trips_through_its_json_and_stored_forms(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(SECTIONS)))
    values = data.draw(st.fixed_dictionaries(VALID[name]))
    section = SECTIONS[name].from_json(values)
    assert section.to_json() == values
    assert SECTIONS[name].from_json(section.to_json()) == section
    snapshot, refused = SettingsSnapshot.from_stored(section.stored())
    assert snapshot.section(name) == section and refused == []


@given(st.data())
def test_a_change_replaces_the_given_keys_and_keeps_the_others(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(SECTIONS)))
    before = SECTIONS[name].from_json(data.draw(st.fixed_dictionaries(VALID[name])))
    change = data.draw(st.fixed_dictionaries({}, optional=VALID[name]))
    after = before.changed(change)
    assert after.to_json() == {**before.to_json(), **change}
    assert after.stored(change) == {f"{name}.{key}": value for key, value in change.items()}


@given(st.integers().filter(lambda q: not 1 <= q <= 95))
def test_any_jpeg_quality_outside_1_to_95_is_refused(quality: int) -> None:
    assert refused_fields("media", {"thumbnail_jpeg_quality": quality}) == ["thumbnail_jpeg_quality"]


@given(st.integers().filter(lambda n: not 1 <= n <= 100))
def test_any_header_row_outside_1_to_100_is_refused(row: int) -> None:
    assert refused_fields("imports", {"header_row": row}) == ["header_row"]


@pytest.mark.parametrize("value", [True, False, 85.0, "85", None, [85]])
def test_a_whole_number_is_an_int_and_nothing_else(value: object) -> None:
    """JSON `true` is no number, and `85.0` is no whole number even though 85.0 == 85."""
    assert refused_fields("media", {"thumbnail_jpeg_quality": value}) == ["thumbnail_jpeg_quality"]


@given(st.sampled_from(sorted(SECTIONS)), st.data())
def test_each_key_refuses_values_of_another_type(name: str, data: st.DataObject) -> None:
    key = data.draw(st.sampled_from(sorted(VALID[name])))
    valid = data.draw(VALID[name][key])
    value = data.draw(JSON_VALUES.filter(lambda v: type(v) is not type(valid)))
    assert refused_fields(name, {key: value}) == [key]


@given(st.text().filter(lambda s: s not in {"company_name", "default_currency", "timezone"}))
def test_unknown_keys_are_refused_by_name(key: str) -> None:
    assert refused_fields("general", {key: "x"}) == [key]


@given(st.text(max_size=5).filter(lambda s: len(s) != 3 or not s.isascii() or not s.isalpha() or not s.isupper()))
def test_a_currency_is_three_upper_case_letters(currency: str) -> None:
    assert refused_fields("general", {"default_currency": currency}) == ["default_currency"]


@pytest.mark.parametrize("zone", ["europe/paris", "Mars/Olympus", "America", "../etc/passwd", "/etc/localtime", ""])
def test_a_timezone_is_an_iana_zone_by_its_exact_name(zone: str) -> None:
    assert refused_fields("general", {"timezone": zone}) == ["timezone"]


def test_every_problem_of_a_change_is_named_at_once() -> None:
    fields = refused_fields(
        "general", {"company_name": "  ", "default_currency": "eur", "colour": "red", "timezone": 3}
    )
    assert fields == ["company_name", "default_currency", "colour", "timezone"]


def test_recipients_are_distinct_addresses_and_at_most_fifty() -> None:
    assert refused_fields("notifications", {"recipients": ["a@example.com", "nope"]}) == ["recipients.1"]
    assert refused_fields("notifications", {"recipients": ["a@example.com", "A@Example.com"]}) == ["recipients.1"]
    assert refused_fields("notifications", {"recipients": [f"u{n}@example.com" for n in range(51)]}) == ["recipients"]
    assert refused_fields("notifications", {"recipients": "a@example.com"}) == ["recipients"]
    kept = NotificationSettings.from_json({"recipients": [" ops@example.com"]})
    assert kept.recipients == ("ops@example.com",)


def test_import_defaults_take_only_their_listed_choices() -> None:
    for key, value in (("encoding", "utf-16"), ("delimiter", ":"), ("delimiter", ",,"), ("missing_offers", "drop")):
        assert refused_fields("imports", {key: value}) == [key]
    assert ImportDefaults.from_json({"delimiter": "\t"}).delimiter == "\t"


def test_stored_rows_missing_unknown_or_broken_read_as_defaults() -> None:
    snapshot, refused = SettingsSnapshot.from_stored(
        {
            "general.company_name": "Acme",
            "general.retired_key": "ignored",
            "legacy.section": 1,
            "media.thumbnail_jpeg_quality": 200,
        }
    )
    assert snapshot.general == GeneralSettings(company_name="Acme")
    assert snapshot.media == MediaSettings()
    assert refused == ["media.thumbnail_jpeg_quality"]


def test_an_unknown_section_is_not_found() -> None:
    with pytest.raises(NotFound):
        section_type("billing")
    with pytest.raises(NotFound):
        SettingsSnapshot().section("billing")
    with pytest.raises(InvalidSettings):
        GeneralSettings.from_json(["company_name"])  # type: ignore[arg-type]
