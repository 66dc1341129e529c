"""Tokens, users and the forgot-password answer as JSON."""

from __future__ import annotations

from typing import Any

from productsmanager.application.auth.authenticator import IssuedToken
from productsmanager.domain.users import User


def token(issued: IssuedToken) -> dict[str, Any]:
    return {"access_token": issued.access_token, "token_type": "bearer", "expires_at": issued.expires_at}


def user(value: User) -> dict[str, Any]:
    return {
        "id": value.id,
        "email": value.email,
        "role": value.role.value,
        "is_active": value.is_active,
        "created_at": value.created_at,
        "updated_at": value.updated_at,
    }


def reset_accepted() -> dict[str, Any]:
    """One fixed body whatever happened behind it: the answer says nothing about which accounts exist."""
    return {"detail": "If an account uses this address, an e-mail with a link to reset its password is on its way."}
