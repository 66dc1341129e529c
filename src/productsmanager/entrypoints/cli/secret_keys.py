"""`productsmanager secrets`: the keys that encrypt stored secrets (Odoo, FTP, EAN providers), and the start-up
check that production processes have them."""

from __future__ import annotations

import click

from productsmanager.config import Config, ConfigError

HOW_TO = (
    "make a key with `productsmanager secrets generate-key` and set PM_SECRET_KEYS to it "
    "(several keys comma-separated: the first encrypts, every one decrypts, for rotation); "
    "every process (serve, worker, scheduler) needs the same keys"
)


def require_secret_keys(config: Config) -> None:
    """Production (PM_DATABASE_URL naming a database server) keeps Odoo and FTP secrets encrypted with
    PM_SECRET_KEYS: a process started without them, or with a key that is not one, stops here with what to
    do, instead of serving errors later. The embedded SQLite default keeps a generated key beside its data."""
    if config.embedded:
        return
    if not config.secret_keys:
        raise click.ClickException(f"PM_SECRET_KEYS is required with PM_DATABASE_URL (production): {HOW_TO}")
    from productsmanager.container.factories import build_secret_box  # the adapters load only when needed

    try:
        build_secret_box(config)
    except ConfigError as error:
        raise click.ClickException(f"{error}; {HOW_TO}") from None


@click.group("secrets")
def secrets() -> None:
    """Keys for the secrets kept encrypted in the database (PM_SECRET_KEYS)."""


@secrets.command("generate-key")
def generate_key() -> None:
    """Print a new Fernet key, one line, usable as the value of PM_SECRET_KEYS."""
    from productsmanager.container.factories import generate_secret_key

    click.echo(generate_secret_key())
