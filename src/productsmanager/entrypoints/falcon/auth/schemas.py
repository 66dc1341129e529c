"""JSON Schemas of sessions, passwords and users."""

from __future__ import annotations

from productsmanager.domain.users import EMAIL_MAX
from productsmanager.entrypoints.falcon.schemas import ROLE, TIMESTAMP, UUID, Schema, page_of, text
from productsmanager.entrypoints.falcon.validation import BodySchemas

COMPONENTS: dict[str, Schema] = {
    "LoginRequest": {
        "type": "object",
        "required": ["email", "password"],
        "additionalProperties": False,
        "properties": {"email": {"type": "string"}, "password": {"type": "string"}},
    },
    "ForgotPasswordRequest": {
        "type": "object",
        "required": ["email"],
        "additionalProperties": False,
        "properties": {"email": {"type": "string", "minLength": 1, "maxLength": 320}},
    },
    "Accepted": {"type": "object", "required": ["detail"], "properties": {"detail": {"type": "string"}}},
    "ResetPasswordRequest": {
        "type": "object",
        "required": ["token", "new_password"],
        "additionalProperties": False,
        "properties": {"token": {"type": "string"}, "new_password": {"type": "string"}},
    },
    "ChangePasswordRequest": {
        "type": "object",
        "required": ["current_password", "new_password"],
        "additionalProperties": False,
        "properties": {"current_password": {"type": "string"}, "new_password": {"type": "string"}},
    },
    "Token": {
        "type": "object",
        "required": ["access_token", "token_type", "expires_at"],
        "properties": {"access_token": {"type": "string"}, "token_type": {"const": "bearer"}, "expires_at": TIMESTAMP},
    },
    "User": {
        "type": "object",
        "properties": {
            "id": UUID,
            "email": {"type": "string"},
            "role": ROLE,
            "is_active": {"type": "boolean"},
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
        },
    },
    "UserCreate": {
        "type": "object",
        "required": ["email", "password"],
        "additionalProperties": False,
        "properties": {"email": text(EMAIL_MAX), "password": {"type": "string"}, "role": ROLE},
    },
    "UserPatch": {
        "type": "object",
        "additionalProperties": False,
        "minProperties": 1,
        "properties": {
            "email": text(EMAIL_MAX),
            "password": {"type": "string"},
            "role": ROLE,
            "is_active": {"type": "boolean"},
        },
    },
    "UserPage": page_of("User"),
}
BODIES = BodySchemas(COMPONENTS)
