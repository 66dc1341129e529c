"""Users, roles and login sessions."""

from __future__ import annotations

import enum
import re
import uuid
from datetime import datetime, timedelta

from attrs import define, frozen

from productsmanager.domain.errors import InvalidEmail, InvalidValue
from productsmanager.domain.passwords import PasswordRules

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
EMAIL_MAX = 254
__all__ = ["PasswordRules"]  # re-exported: it has always been importable from here


class Role(enum.StrEnum):
    """Ordered: each role can do what the roles below it can."""

    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def allows(self, required: Role) -> bool:
        return self.rank >= required.rank

    @classmethod
    def parse(cls, raw: object) -> Role:
        try:
            return cls(str(raw))
        except ValueError:
            raise InvalidValue(f"role {raw!r} must be one of {', '.join(r.value for r in cls)}", field="role") from None


def parse_email(raw: object) -> str:
    """Trimmed, otherwise kept as typed; uniqueness is case-insensitive (see `email_key`)."""
    if not isinstance(raw, str):
        raise InvalidEmail("email must be a string", field="email")
    text = raw.strip()
    if len(text) > EMAIL_MAX or not _EMAIL.match(text):
        raise InvalidEmail(f"email {raw!r} is not a valid address", field="email")
    return text


def email_key(email: str) -> str:
    return email.strip().lower()


@define
class User:
    id: uuid.UUID
    email: str
    password_hash: str
    role: Role
    is_active: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def new(cls, email: str, password_hash: str, role: Role, now: datetime) -> User:
        return cls(uuid.uuid4(), email, password_hash, role, True, now, now)


@frozen
class SessionRules:
    """How long a login session lives; expiry is checked at the exact instant (`now >= expires_at`)."""

    lifetime: timedelta = timedelta(hours=12)

    def expires_at(self, issued_at: datetime) -> datetime:
        return issued_at + self.lifetime

    @staticmethod
    def is_expired(expires_at: datetime, now: datetime) -> bool:
        return now >= expires_at


@define
class AuthSession:
    """A login: the bearer token itself is never stored, only its SHA-256."""

    id: uuid.UUID
    user_id: uuid.UUID
    token_hash: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and not SessionRules.is_expired(self.expires_at, now)
