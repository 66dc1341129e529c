"""`productsmanager users ...`: administration from the shell, for the first admin in particular."""

from __future__ import annotations

import click

from productsmanager.domain.errors import DomainError


@click.group()
def users() -> None:
    """Manage users."""


@users.command("create-admin")
@click.option("--email", required=True, help="E-mail address (login) of the admin.")
@click.option("--password", help="Password; prompted (hidden, twice) when not given.")
def create_admin(email: str, password: str | None) -> None:
    """Create an admin user."""
    from productsmanager.container import build_container
    from productsmanager.entrypoints.cli.main import load_config

    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    container = build_container(load_config())
    try:
        user = container.user_administration().create(email, password, "admin")
    except DomainError as error:
        raise click.ClickException(error.message) from None
    finally:
        container.engine().dispose()
    click.echo(f"created admin {user.email} ({user.id})")


@users.command("unlock")
@click.argument("email")
def unlock(email: str) -> None:
    """Clear the login throttling of the account with this e-mail address (failures from every client
    and the account-wide count), so that its owner can log in again at once."""
    from productsmanager.container import build_container
    from productsmanager.entrypoints.cli.main import load_config

    container = build_container(load_config())
    try:
        user = container.account_unlock().unlock_email(email)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    finally:
        container.engine().dispose()
    click.echo(f"login throttling cleared for {user.email} ({user.id})")
