"""`productsmanager media ...`: thumbnails in bulk and the move to the sharded layout, with a progress bar and
a summary."""

from __future__ import annotations

import multiprocessing
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import attrs
import click

from productsmanager.application.media.layout_migration import LayoutPlan, MoveResult
from productsmanager.application.media.thumbnail_generator import ThumbnailOutcome
from productsmanager.entrypoints.cli.context import load_config, open_container

_worker_container: Any = None


@click.group()
def media() -> None:
    """Product images."""


@media.command("thumbnails")
@click.option("--missing-only", is_flag=True, help="Only images whose thumbnails are not ready (new or failed).")
@click.option("--product", "product_id", type=click.UUID, help="Only the images of this product.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True, help="Processes rendering.")
def thumbnails(missing_only: bool, product_id: uuid.UUID | None, workers: int) -> None:
    """Create (or, without --missing-only, recreate) the thumbnails of stored images. A bad image is marked
    failed with its reason and the batch goes on; running it again is harmless."""
    with open_container() as container:
        pending = container.thumbnail_generator().pending(product_id, missing_only)
    counts = {"processed": 0, "succeeded": 0, "failed": 0, "thumbnails": 0}
    failures: list[str] = []
    with click.progressbar(length=len(pending), label="thumbnails", show_pos=True) as bar:
        for media_id, outcome in _run(pending, force=not missing_only, workers=workers):
            counts["processed"] += 1
            counts["thumbnails"] += outcome.written
            if outcome.succeeded:
                counts["succeeded"] += 1
            else:
                counts["failed"] += 1
                failures.append(f"{media_id}: {outcome.failure}")
            bar.update(1)
    for line in failures[:20]:
        click.echo(f"failed {line}", err=True)
    click.echo(
        f"processed {counts['processed']}, succeeded {counts['succeeded']}, failed {counts['failed']}, "
        f"thumbnails created {counts['thumbnails']}"
    )
    if counts["failed"]:
        raise click.exceptions.Exit(1)


def _run(ids: list[uuid.UUID], force: bool, workers: int) -> Iterator[tuple[uuid.UUID, ThumbnailOutcome]]:
    """In this process with one worker; otherwise in worker processes, each with its own container. They
    are forked where the platform can (the imports, Pillow's included, are inherited instead of paid again
    by each worker, about a second each): the caller has disposed of its engine first, so no database
    connection is shared, and no thread runs here yet. Spawned elsewhere."""
    if workers == 1:
        _start_worker()
        try:
            for media_id in ids:
                yield media_id, _generate(media_id, force)
        finally:
            _worker_container.engine().dispose()
        return
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker) as pool:
        yield from zip(ids, pool.map(_generate, ids, [force] * len(ids), chunksize=4), strict=True)


def _start_worker() -> None:
    global _worker_container
    from productsmanager.container import build_container

    _worker_container = build_container(load_config())


def _generate(media_id: uuid.UUID, force: bool) -> ThumbnailOutcome:
    try:
        return _worker_container.thumbnail_generator().generate(media_id, force)  # type: ignore[no-any-return]
    except Exception as error:  # a store or database error on one image must not stop the batch
        return ThumbnailOutcome(failure=f"{type(error).__name__}: {error}")


@media.command("migrate-layout")
@click.option("--dry-run", is_flag=True, help="Report what would move and change nothing (reads the rows only).")
@click.option("--concurrency", type=click.IntRange(1, 256), default=8, show_default=True, help="Objects moved at once.")
def migrate_layout(dry_run: bool, concurrency: int) -> None:
    """Move every original and thumbnail still under the legacy layout (products/{id}/...) to the sharded one
    (products/{shard}/{id}/...): server-side copy, verified, row updated, old object deleted. Safe to kill
    at any moment and to run again: a rerun finishes whatever an interrupted run left half done."""
    config = load_config()
    # One database connection and one S3 connection per thread, so that no thread waits for another's.
    config = attrs.evolve(
        config,
        db_pool_size=max(config.db_pool_size, concurrency),
        s3_max_connections=max(config.s3_max_connections, concurrency),
    )
    with open_container(config) as container:
        migration = container.layout_migration()
        if dry_run:
            _report_plan(migration.plan())
            return
        counts: Counter[MoveResult] = Counter()
        failures: list[str] = []
        leftovers = 0
        with click.progressbar(length=migration.count(), label="migrate-layout", show_pos=True) as bar:
            for outcome in migration.run(concurrency):
                counts[outcome.result] += 1
                leftovers += outcome.removed_leftover
                if outcome.result is MoveResult.FAILED:
                    failures.append(f"{outcome.row.storage_key}: {outcome.reason}")
                bar.update(1)
    for line in failures[:20]:
        click.echo(f"failed {line}", err=True)
    extra = f", legacy leftovers removed {leftovers}" if leftovers else ""
    extra += f", deleted meanwhile {counts[MoveResult.GONE]}" if counts[MoveResult.GONE] else ""
    click.echo(
        f"found {counts.total()}, moved {counts[MoveResult.MOVED]}, already sharded {counts[MoveResult.SHARDED]}, "
        f"failed {counts[MoveResult.FAILED]}{extra}"
    )
    if counts[MoveResult.FAILED]:
        raise click.exceptions.Exit(1)


def _report_plan(plan: LayoutPlan) -> None:
    for source, target in plan.moves:
        click.echo(f"would move {source} -> {target}")
    if plan.legacy > len(plan.moves):
        click.echo(f"... and {plan.legacy - len(plan.moves)} more")
    for key in plan.unrecognised_keys:
        click.echo(f"not a product media key: {key}", err=True)
    click.echo(
        f"found {plan.found}, would move {plan.legacy}, already sharded {plan.sharded}, "
        f"not media keys {plan.unrecognised} (dry run: nothing changed)"
    )
