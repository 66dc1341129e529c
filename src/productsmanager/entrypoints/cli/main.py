"""`productsmanager` command line: serve, worker, db, users, secrets, openapi. The shared context (the
configuration, logging, a container's lifetime) is in `context`."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from productsmanager import __version__
from productsmanager.application.dependencies import DependencyUnavailable
from productsmanager.domain.errors import DomainError
from productsmanager.entrypoints.cli.context import load_config, log_data_dir, open_container
from productsmanager.entrypoints.cli.imports import imports
from productsmanager.entrypoints.cli.media import media
from productsmanager.entrypoints.cli.scheduler import scheduler
from productsmanager.entrypoints.cli.secret_keys import require_secret_keys, secrets
from productsmanager.entrypoints.cli.users import users


class ProductsManagerGroup(click.Group):
    """A dependency that is down, or an input a use case refuses, ends any command with one line saying so and
    exit status 1, not a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DependencyUnavailable as error:
            raise click.ClickException(f"{error}; try again once it is back") from error
        except DomainError as error:
            field = f"{error.field}: " if getattr(error, "field", None) else ""
            raise click.ClickException(f"{field}{error}") from error


@click.group(cls=ProductsManagerGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="productsmanager", message="%(prog)s %(version)s")
def cli() -> None:
    """Products Manager: product catalog for multi-supplier merchants (REST API, workers, admin)."""


@cli.command()
@click.option("--host", default=None, help="Address to bind (default PM_HOST or 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Port (default PM_PORT or 8000).")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Worker processes, each reading requests in an event loop and running 4 at a time (default PM_WORKERS or 2).",
)
def serve(host: str | None, port: int | None, workers: int | None) -> None:
    """Run the REST API (gunicorn processes, each buffering whole requests). On the embedded SQLite default,
    migrations run first; with PM_DATABASE_URL, PM_SECRET_KEYS is required."""
    from productsmanager.entrypoints.cli.server import run_server

    config = load_config()
    require_secret_keys(config)
    log_data_dir(config)
    # The links the API hands out point at the address served unless PM_PUBLIC_URL says otherwise; the
    # worker processes get this configuration, not the environment, so they agree with it.
    config = config.serving_at(host or config.host, port or config.port)
    run_server(config, workers or config.workers)


@cli.command()
@click.option("--processes", type=click.IntRange(1, 64), default=2, show_default=True)
@click.option("--threads", type=click.IntRange(1, 64), default=4, show_default=True)
@click.option("--queues", "-Q", multiple=True, help="Queues to consume (default: all).")
def worker(processes: int, threads: int, queues: tuple[str, ...]) -> None:
    """Run Dramatiq workers on the Redis broker (PM_REDIS_URL); with PM_DATABASE_URL, PM_SECRET_KEYS is required."""
    config = load_config()
    require_secret_keys(config)
    if not config.redis_url:
        raise click.ClickException(
            "the worker needs PM_REDIS_URL (e.g. redis://127.0.0.1:6379/0); "
            "without it, `serve` runs background tasks in-process"
        )
    log_data_dir(config)
    from dramatiq.cli import main as dramatiq_main

    args = [
        "dramatiq",
        "productsmanager.entrypoints.dramatiq.actors",
        "--processes",
        str(processes),
        "--threads",
        str(threads),
    ]
    for queue in queues:
        args += ["--queues", queue]
    sys.argv = args
    sys.exit(dramatiq_main())


@cli.group()
def db() -> None:
    """Database schema management."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Target revision.")
def db_upgrade(revision: str) -> None:
    """Apply migrations to PM_DATABASE_URL (or the embedded SQLite database)."""
    with open_container(ready_schema=False) as container:
        schema = container.database_schema()
        try:
            schema.upgrade(revision)
        except Exception as error:  # the driver's or Alembic's own errors: entrypoints do not import them
            raise click.ClickException(f"migration failed: {error}") from error
    click.echo(f"database at {schema.describe()} is at {revision}")


@cli.command()
def openapi() -> None:
    """Print the OpenAPI document of the REST API."""
    from productsmanager.entrypoints.falcon.openapi import openapi_document

    click.echo(json.dumps(openapi_document(__version__), indent=2))


cli.add_command(users)
cli.add_command(media)
cli.add_command(imports)
cli.add_command(scheduler)
cli.add_command(secrets)
