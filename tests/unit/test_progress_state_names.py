"""A progress event's state reads like the REST job resource of its work: every field it has, the resource has,
with the same value (what a page shows from an event is what it shows after a reload)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from productsmanager.application.progress_states import (
    CODE2ASIN_COUNTERS,
    code2asin_job_state,
    export_state,
    import_state,
    lookup_job_state,
    odoo_run_state,
)
from productsmanager.entrypoints.falcon.code2asin import serializers as code2asin_json
from productsmanager.entrypoints.falcon.code2asin.schemas import COUNTERS
from productsmanager.entrypoints.falcon.enrichment import job_serializers as lookup_json
from productsmanager.entrypoints.falcon.exports import serializers as export_json
from productsmanager.entrypoints.falcon.imports import serializers as import_json
from productsmanager.entrypoints.falcon.odoo import serializers as odoo_json
from tests.unit.code2asin_world import World as Code2AsinWorld
from tests.unit.event_fakes import RecordingEvents
from tests.unit.test_exports import DOWNLOAD
from tests.unit.test_exports import World as ExportWorld
from tests.unit.test_import_use_cases import WITH_ERRORS
from tests.unit.test_import_use_cases import World as ImportWorld
from tests.unit.test_lookup_jobs import EANS
from tests.unit.test_lookup_jobs import World as LookupWorld
from tests.unit.test_progress_events import odoo_export


def same_as_resource(state: dict[str, Any], resource: dict[str, Any]) -> bool:
    return all(resource[name] == value for name, value in state.items())


def test_an_import_jobs_state_is_named_like_its_resource(tmp_path: Path) -> None:
    world = ImportWorld()
    job = world.runner.run(world.submit(tmp_path, WITH_ERRORS).id)
    assert same_as_resource(import_state(job), import_json.job(job))


def test_an_odoo_runs_state_is_named_like_its_resource() -> None:
    run = odoo_export(RecordingEvents(), lookups=1)
    assert same_as_resource(odoo_run_state(run), odoo_json.run(run))


def test_a_lookup_jobs_state_is_named_like_its_resource() -> None:
    world = LookupWorld()
    job = world.runner.run(world.jobs.create({"eans": EANS[:3]}, None).id)
    assert same_as_resource(lookup_job_state(job), lookup_json.job(job))


def test_a_code2asin_jobs_state_is_named_like_its_resource() -> None:
    world = Code2AsinWorld()
    job = world.runner.run(world.jobs.create({"eans": EANS[:2]}, None).id)
    assert CODE2ASIN_COUNTERS == COUNTERS
    assert same_as_resource(code2asin_job_state(job), code2asin_json.job(job))


def test_an_exports_state_is_named_like_its_resource() -> None:
    world = ExportWorld()
    job = world.runner.run(world.exports.create({"platform_id": DOWNLOAD, "format": "csv"}, None).id)
    assert same_as_resource(export_state(job), export_json.job(job, None))
