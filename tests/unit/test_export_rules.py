"""The rules of exports: field names parsed once (every catalogue field, a supplier's column, an attribute),
templates validated all at once, file names timestamped, a job's life and its download's 7 days, platforms."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from productsmanager.domain.errors import InvalidValue, ValidationFailed
from productsmanager.domain.exports.fields import OFFER_PARTS, SIMPLE_FIELDS, ExportField, parse_fields
from productsmanager.domain.exports.jobs import (
    ExportExpired,
    ExportFormat,
    ExportJob,
    ExportStateError,
    ExportStatus,
    file_name,
)
from productsmanager.domain.exports.platforms import ExportPlatform, PlatformFixed, PlatformKind
from productsmanager.domain.exports.templates import ExportTemplate

NOW = datetime(2026, 12, 1, 20, 5, 9, tzinfo=UTC)
CODES = st.from_regex(r"[A-Za-z0-9_.-]{1,50}", fullmatch=True)


@given(st.sampled_from(SIMPLE_FIELDS))
def test_every_catalogue_field_parses_to_itself(name: str) -> None:
    assert ExportField.parse(name).name == name


@given(CODES, st.sampled_from(OFFER_PARTS))
def test_a_suppliers_column_names_its_code_in_capitals(code: str, part: str) -> None:
    parsed = ExportField.parse(f"offers.{code}.{part}")
    assert (parsed.kind, parsed.supplier, parsed.part, parsed.name) == ("offer", code.upper(), part,
                                                                        f"offers.{code.upper()}.{part}")  # fmt: skip


@given(st.text(min_size=1, max_size=60))
def test_any_other_name_is_refused_naming_where(raw: str) -> None:
    known = raw in SIMPLE_FIELDS or raw.startswith(("attributes.", "offers."))
    if known:
        return
    with pytest.raises(InvalidValue) as refused:
        parse_fields(["ean", raw])
    assert refused.value.field == "fields[1]"


def test_fields_are_a_list_without_repeats() -> None:
    assert parse_fields(["attributes.colour"])[0].key == "colour"
    for bad in ([], "ean", ["ean", "ean"], ["offers.ACME.cost"]):
        with pytest.raises(InvalidValue):
            parse_fields(bad)


def test_a_template_reports_every_broken_rule_at_once() -> None:
    columns = [{"header": "sku", "field": "ean"}, {"header": "sku", "value": "x"}, {"header": "", "field": "name"},
               {"header": "both", "field": "name", "value": "x"}, {"header": "bad", "field": "price"}]  # fmt: skip
    with pytest.raises(ValidationFailed) as failed:
        ExportTemplate.new(" ", columns, NOW)
    assert sorted(e.field or "" for e in failed.value.errors) == [
        "columns", "columns[2].header", "columns[3]", "columns[4].field", "name",
    ]  # fmt: skip
    good = ExportTemplate.new(" Amazon ", [{"header": "sku", "field": "ean"}, {"header": "c", "value": "new"}], NOW)
    assert (good.name, [c.value for c in good.columns]) == ("Amazon", [None, "new"])


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)), st.sampled_from(ExportFormat))
def test_file_names_are_timestamped(at: datetime, fmt: ExportFormat) -> None:
    name = file_name(fmt, at)
    assert name == f"products_{at:%Y%m%d}_{at:%H%M%S}.{fmt.value}"


def _job() -> ExportJob:
    return ExportJob(uuid.uuid4(), uuid.uuid4(), ExportFormat.CSV, ExportStatus.QUEUED, "products.csv", NOW, ["ean"],
                     ["ean"], {})  # fmt: skip


def test_a_download_is_kept_seven_days_then_gone() -> None:
    job = _job()
    with pytest.raises(ExportStateError):
        job.downloadable(NOW)
    job.start(NOW)
    job.beat(10, 100, NOW)
    job.finish(20, 300, "kept/x", NOW, kept=True)
    assert (job.rows, job.bytes, job.expires_at) == (20, 300, NOW + timedelta(days=7))
    assert job.downloadable(NOW + timedelta(days=7) - timedelta(seconds=1)) == "kept/x"
    with pytest.raises(ExportExpired):
        job.downloadable(NOW + timedelta(days=7))
    with pytest.raises(ExportStateError):
        job.start(NOW)


def test_another_attempt_counts_from_nothing_and_an_s3_file_has_no_expiry() -> None:
    job = _job()
    job.start(NOW)
    job.beat(10, 100, NOW)
    job.start(NOW + timedelta(minutes=20))
    assert (job.rows, job.bytes, job.attempts, job.started_at) == (0, 0, 2, NOW)
    job.finish(1, 2, "s3://b/k", NOW, kept=False)
    assert job.expires_at is None
    with pytest.raises(ExportStateError):
        job.downloadable(NOW)


def test_platforms() -> None:
    download = ExportPlatform.download(NOW)
    with pytest.raises(PlatformFixed):
        download.change("Mine", "s3", NOW)
    s3 = ExportPlatform.new(" Feeds ", "s3", NOW, bucket="shop-feeds", prefix="a/b-", folder_id="ignored")
    assert (s3.name, s3.kind, s3.bucket, s3.prefix, s3.folder_id) == ("Feeds", PlatformKind.S3, "shop-feeds", "a/b-",
                                                                      None)  # fmt: skip
    drive = ExportPlatform.new("Partner", "gdrive", NOW, folder_id="f1", bucket="ignored")
    assert (drive.bucket, drive.folder_id) == (None, "f1")
    with pytest.raises(ValidationFailed) as failed:
        ExportPlatform.new("", "download", NOW, bucket="A", prefix="../x")
    assert sorted(e.field or "" for e in failed.value.errors) == ["bucket", "kind", "name", "prefix"]
    with pytest.raises(ValidationFailed):
        ExportPlatform.new("Drive", "gdrive", NOW)
