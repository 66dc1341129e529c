"""User administration. The last active admin can be neither demoted nor deactivated."""

from __future__ import annotations

import uuid
from typing import Any

from productsmanager.application.pagination import Page, check_limit, page_of, single_key_after
from productsmanager.application.ports import Clock, PasswordHasher, UnitOfWorkFactory
from productsmanager.domain.errors import Conflict, InvalidValue, NotFound
from productsmanager.domain.field_errors import FieldErrors
from productsmanager.domain.users import PasswordRules, Role, User, email_key, parse_email


class UserAdministration:
    def __init__(
        self, uow: UnitOfWorkFactory, hasher: PasswordHasher, clock: Clock, password_rules: PasswordRules | None = None
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._clock = clock
        self._rules = password_rules or PasswordRules()

    def create(self, email: object, password: object, role: object = Role.VIEWER) -> User:
        values = self._parse({"email": email, "password": password, "role": role})
        with self._uow() as uow:
            if uow.users.get_by_email(email_key(values["email"])) is not None:
                raise Conflict(f"a user with e-mail {values['email']} already exists", field="email")
            user = User.new(values["email"], self._hasher.hash(values["password"]), values["role"], self._clock.now())
            uow.users.add(user)
            uow.commit()
        return user

    def get(self, user_id: uuid.UUID) -> User:
        with self._uow() as uow:
            user = uow.users.get(user_id)
        if user is None:
            raise NotFound("user", user_id)
        return user

    def list(self, limit: int, cursor: str | None = None) -> Page[User]:
        """By e-mail, case-insensitively; the cursor is opaque so that no address shows in URLs or logs."""
        after = single_key_after(cursor, "email")
        with self._uow() as uow:
            rows = uow.users.list(check_limit(limit) + 1, after)
        return page_of(rows, limit, "email", lambda user: (email_key(user.email),))

    def update_by_email(self, email: str, fields: dict[str, Any]) -> User:
        """`update` for the command line, where an operator names an account by its address (any case), not by
        its id; an unknown address is a `NotFound` naming it."""
        with self._uow() as uow:
            user = uow.users.get_by_email(email.strip())
        if user is None:
            raise NotFound("user with e-mail address", email.strip())
        return self.update(user.id, fields)

    def update(self, user_id: uuid.UUID, fields: dict[str, Any]) -> User:
        """Deactivating a user or changing its password revokes its sessions at once."""
        values = self._parse(fields)
        now = self._clock.now()
        with self._uow() as uow:
            user = uow.users.get(user_id)
            if user is None:
                raise NotFound("user", user_id)
            if "email" in values and email_key(values["email"]) != email_key(user.email):
                if uow.users.get_by_email(email_key(values["email"])) is not None:
                    raise Conflict(f"a user with e-mail {values['email']} already exists", field="email")
                user.email = values["email"]
            loses_admin = (
                user.role is Role.ADMIN
                and user.is_active
                and (values.get("role", Role.ADMIN) is not Role.ADMIN or values.get("is_active") is False)
            )
            if loses_admin and uow.users.count_active_admins() <= 1:
                raise Conflict("this is the last active admin: promote another user first")
            user.role = values.get("role", user.role)
            user.is_active = values.get("is_active", user.is_active)
            if "password" in values:
                user.password_hash = self._hasher.hash(self._rules.check(values["password"], user.email))
            if "password" in values or not user.is_active:
                uow.sessions.revoke_all_for_user(user.id, now)
            user.updated_at = now
            uow.users.update(user)
            uow.commit()
        return user

    def _parse(self, fields: dict[str, Any]) -> dict[str, Any]:
        email = fields.get("email")  # a password may not be the account's own address
        parsers = {
            "email": parse_email,
            "password": lambda raw: self._rules.check(raw, email if isinstance(email, str) else None),
            "role": Role.parse,
            "is_active": _parse_bool,
        }
        with FieldErrors() as errors:
            values = errors.parse(fields, parsers)
        return values


def _parse_bool(raw: object) -> bool:
    if not isinstance(raw, bool):
        raise InvalidValue("is_active must be true or false", field="is_active")
    return raw
