"""What every command shares: the configuration (a bad value is one line, not a traceback), logging set up
as the server's workers set it up (so that what a command logs, an e-mail of the embedded default included,
shows on stderr), and a container whose database is ready to use and whose connections are closed after."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TextIO

import click

from productsmanager.config import Config, ConfigError

if TYPE_CHECKING:
    from productsmanager.container import Container

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
BACKGROUND_DRAIN_SECONDS = 120  # an e-mail retried through a mail server's outage takes about this long
UPGRADE_HINT = "run `productsmanager db upgrade`"
log = logging.getLogger("productsmanager.cli")


def load_config() -> Config:
    """The configuration of this process; logging is configured from it at once."""
    try:
        config = Config.from_env()
    except ConfigError as error:
        raise click.ClickException(f"configuration: {error}") from None
    configure_logging(config.log_level)
    return config


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever `sys.stderr` is when a record is emitted (click's test runner swaps it)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property  # type: ignore[override]
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        """The stream is always the current stderr."""


def configure_logging(level: str) -> None:
    """One handler on the root logger, in the format of `serve`'s workers (whose `logging.basicConfig`
    then finds it in place); configuring again replaces it rather than adding a second one."""
    root = logging.getLogger()
    for handler in [handler for handler in root.handlers if isinstance(handler, _StderrHandler)]:
        root.removeHandler(handler)
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root.addHandler(handler)
    root.setLevel(level)
    # Alembic announces each of its plugins at INFO whenever a migration context starts: noise on every command.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def log_data_dir(config: Config) -> None:
    """The long-running processes say where their files are, once, as the operator may not know the
    folder `./var` was relative to."""
    log.info("data directory: %s", config.data_dir)


@contextmanager
def open_container(config: Config | None = None, *, ready_schema: bool = True) -> Iterator[Container]:
    """A container for one command; its engine is disposed of when the block ends. With `ready_schema`,
    the embedded SQLite database is migrated first (as `serve` does) and a production database that is
    missing or behind its migrations stops the command with what to do. Work the command queued in this
    process (the embedded default's e-mails) is finished before the command exits."""
    from productsmanager.container import build_container

    config = config or load_config()
    container = build_container(config)
    try:
        if ready_schema:
            ensure_schema(container, config)
        yield container
        container.background_runner().drain(timeout=BACKGROUND_DRAIN_SECONDS)
    finally:
        container.engine().dispose()


def ensure_schema(container: Container, config: Config) -> None:
    schema = container.database_schema()
    try:
        if config.embedded:
            schema.upgrade()
            return
        up_to_date = schema.is_up_to_date()
    except Exception as error:  # the driver's own errors: entrypoints do not import it
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        raise click.ClickException(
            f"cannot use the database at {schema.describe()} ({reason}): check PM_DATABASE_URL and that the "
            f"database exists (a new one needs `productsmanager db upgrade`), or try again once it is back"
        ) from None
    if not up_to_date:
        raise click.ClickException(f"the database schema is not up to date: {UPGRADE_HINT}")
