"""Builders of background work: the broker, the task queue, and the in-process queue's handler of each task
of `TASKS` (the work a Dramatiq actor does in a worker, done in this process by the embedded default)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import dramatiq

from productsmanager.adapters.tasks.background import BackgroundRunner
from productsmanager.adapters.tasks.dramatiq_queue import DramatiqTaskQueue
from productsmanager.adapters.tasks.inline import InlineTaskQueue
from productsmanager.application.tasks import TaskQueue
from productsmanager.config import Config
from productsmanager.container.platform_builders import short_timeout_redis
from productsmanager.domain.imports.import_source import SourceKind

if TYPE_CHECKING:
    from productsmanager.container import Container


def build_broker(config: Config) -> dramatiq.Broker:
    """Redis when PM_REDIS_URL is set, through a client of its own with short timeouts: `RedisBroker(url=...)`
    would connect without any, so a request queueing work on a dead Redis would hang instead of answering at
    once, and a worker's consumer would wait forever on a Redis that stopped answering instead of restarting.
    Otherwise a stub broker (tests, the embedded default, whose tasks never reach a broker)."""
    if config.redis_url:
        from dramatiq.brokers.redis import RedisBroker

        return RedisBroker(client=short_timeout_redis(config.redis_url))
    from dramatiq.brokers.stub import StubBroker

    return StubBroker()


def build_task_queue(
    config: Config, handlers: Mapping[str, Callable[..., object]], background: Callable[[], BackgroundRunner]
) -> TaskQueue:
    """Dramatiq workers on Redis when PM_REDIS_URL is set; otherwise the work runs in the calling process
    (all but thumbnails in a background thread, made only then)."""
    if config.redis_url:
        return DramatiqTaskQueue(build_broker(config))
    return InlineTaskQueue(handlers, background())


def build_task_handlers(container: Container) -> dict[str, Callable[..., object]]:
    """Each task's use case, looked up in the container when the task runs, so that a provider a test
    overrides is the one that runs; the arguments are those of the `TaskQueue` method."""
    return {
        "generate_thumbnails": lambda media_file_id, force: container.thumbnail_generator().generate(
            media_file_id, force
        ),
        "send_password_reset": lambda email: container.reset_link_sender().send(email),
        "send_email": lambda template, to, context: container.mail_sender().send(template, to, context),
        "run_import": lambda job_id: container.import_runner().run(job_id),
        "run_ftp_import": lambda supplier_id: container.source_runs().run(supplier_id, SourceKind.FTP),
        "run_source_import": lambda supplier_id, kind: container.source_runs().run(supplier_id, SourceKind(kind)),
        "sync_product_to_odoo": lambda run_id, product_id: container.odoo_sync().run_export(run_id, [product_id], {}),
        "bulk_sync_to_odoo": lambda run_id, product_ids, filters: container.odoo_sync().run_export(
            run_id, product_ids, filters
        ),
        "import_from_odoo": lambda run_id: container.odoo_sync().run_import(run_id),
        "run_odoo_schedule": lambda schedule_id: container.odoo_schedule_manager().run(schedule_id),
        "import_odoo_record": lambda instance_id, model, record_id: container.odoo_record_refresh().run(
            instance_id, model, record_id
        ),
        "resolve_products": lambda job_id: container.product_resolution().run(job_id),
        "lookup_eans": lambda job_id: container.lookup_job_runner().run(job_id),
        "download_lookup_images": lambda job_id: container.lookup_images().download(job_id),
        "find_eans": lambda job_id: container.ean_finder_search().run(job_id),
        "run_code2asin_job": lambda job_id: container.code2asin_job_runner().run(job_id),
        "run_export": lambda job_id: container.export_runner().run(job_id),
    }
