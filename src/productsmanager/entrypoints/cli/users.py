"""`productsmanager users ...`: administration from the shell, for the first admin in particular and for the
way back in when no admin can log in. The same use cases and rules as the API (password rules, the last
active admin kept)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import click

from productsmanager.domain.errors import DomainError, ValidationFailed
from productsmanager.domain.users import User
from productsmanager.entrypoints.cli.context import open_container

PAGE = 200  # users read per query by `users list`


@click.group()
def users() -> None:
    """Manage users."""


def _refused(error: DomainError) -> click.ClickException:
    """One line per broken rule, as the API lists them in `errors`."""
    if isinstance(error, ValidationFailed):
        lines = (f"{e.field}: {e.message}" if e.field else e.message for e in error.errors)
        return click.ClickException("; ".join(lines))
    return click.ClickException(error.message)


def _all_users(administration: Any) -> Iterator[User]:
    cursor: str | None = None
    while True:
        page = administration.list(PAGE, cursor)
        yield from page.items
        cursor = page.next_cursor
        if cursor is None:
            return


def _update(email: str, fields: dict[str, Any]) -> User:
    """`users set-password` and `users deactivate`: one account, named by its address, changed by the same
    use case and rules as the API's `PATCH /users/{id}`."""
    with open_container() as container:
        try:
            return container.user_administration().update_by_email(email, fields)
        except DomainError as error:
            raise _refused(error) from None


@users.command("create-admin")
@click.option("--email", required=True, help="E-mail address (login) of the admin.")
@click.option("--password", help="Password; prompted (hidden, twice) when not given.")
def create_admin(email: str, password: str | None) -> None:
    """Create an admin user."""
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with open_container() as container:
        try:
            user = container.user_administration().create(email, password, "admin")
        except DomainError as error:
            raise _refused(error) from None
    click.echo(f"created admin {user.email} ({user.id})")


@users.command("list")
def list_users() -> None:
    """Every user, by e-mail address: address, role, and whether the account is active."""
    with open_container() as container:
        found = list(_all_users(container.user_administration()))
    width = max((len(user.email) for user in found), default=5)
    click.echo(f"{'EMAIL':<{width}}  {'ROLE':<6}  ACTIVE")
    for user in found:
        click.echo(f"{user.email:<{width}}  {user.role.value:<6}  {'yes' if user.is_active else 'no'}")
    click.echo(f"{len(found)} user(s)", err=True)


@users.command("set-password")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
def set_password(email: str, password_stdin: bool) -> None:
    """Set the password of the user with this e-mail address (prompted twice, hidden), checked by the same
    rules as the API's. Every session of the user ends."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    user = _update(email, {"password": password})
    click.echo(f"password set for {user.email} ({user.id}); its sessions are ended")


@users.command("deactivate")
@click.argument("email")
def deactivate(email: str) -> None:
    """Deactivate the user with this e-mail address: it can no longer log in and its sessions end. The last
    active admin cannot be deactivated."""
    user = _update(email, {"is_active": False})
    click.echo(f"deactivated {user.email} ({user.id})")


@users.command("unlock")
@click.argument("email")
def unlock(email: str) -> None:
    """Clear the login throttling of the account with this e-mail address (failures from every client
    and the account-wide count), so that its owner can log in again at once."""
    with open_container() as container:
        try:
            user = container.account_unlock().unlock_email(email)
        except DomainError as error:
            raise click.ClickException(error.message) from None
    click.echo(f"login throttling cleared for {user.email} ({user.id})")
