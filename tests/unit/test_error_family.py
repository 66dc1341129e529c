"""Every error a transport shows is one family: a transport reads `code`, `message` and `field` the same way
whatever raised it, and the codes a client may already rely on stay as they were."""

from __future__ import annotations

import re

import pytest

from productsmanager.application.dependencies import DependencyUnavailable
from productsmanager.application.imports.ports import ImportFileRejected
from productsmanager.application.imports.source_ports import ImportSourceUnreachable
from productsmanager.application.mail.ports import MailDeliveryFailed, MessageTemplateError, UnknownMessageTemplate
from productsmanager.application.media.ports import (
    InvalidStorageKey,
    MediaObjectMissing,
    MediaStoreError,
    MediaStoreUnavailable,
)
from productsmanager.application.odoo.ports import (
    OdooAccessDenied,
    OdooAuthenticationFailed,
    OdooServerError,
    OdooUnknownDatabase,
    OdooUnreachable,
    OdooValidationError,
)
from productsmanager.application.pagination import InvalidCursor
from productsmanager.application.ports import SecretDecryptionFailed, SecretKeysMissing
from productsmanager.config import ConfigError
from productsmanager.domain.errors import NotFound, ProductsManagerError, UploadTooLarge, ValidationFailed

SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")

ERRORS: list[ProductsManagerError] = [
    DependencyUnavailable("database", "connection refused"),
    ImportSourceUnreachable("could not connect to ftp.example.com:21"),
    ImportFileRejected("the workbook has no sheet"),
    MailDeliveryFailed("message cannot be sent", transient=True),
    MessageTemplateError("e-mail template 'x': name is missing"),
    UnknownMessageTemplate("no e-mail template 'x'"),
    MediaStoreError("denied", key="a/b.jpg"),
    MediaStoreUnavailable("timed out", key="a/b.jpg"),
    InvalidStorageKey("../etc", key="../etc"),
    MediaObjectMissing("a/b.jpg"),
    OdooUnreachable("version: could not connect"),
    SecretKeysMissing("no secret key is configured"),
    SecretDecryptionFailed("secret cannot be decrypted"),
    ConfigError("PM_PORT=x is not a whole number"),
    InvalidCursor("cursor is not valid", field="cursor"),
    UploadTooLarge("the file has 11 bytes; the limit is 10"),
]


@pytest.mark.parametrize("error", ERRORS, ids=lambda error: type(error).__name__)
def test_every_error_a_transport_shows_has_a_code_a_message_and_a_field(error: ProductsManagerError) -> None:
    assert isinstance(error, ProductsManagerError)
    assert SNAKE_CASE.match(error.code), error.code
    assert error.message == str(error)
    assert error.field is None or isinstance(error.field, str)


def test_a_store_error_keeps_what_each_of_its_families_promises() -> None:
    unavailable = MediaStoreUnavailable("timed out", key="a/b.jpg")
    assert isinstance(unavailable, DependencyUnavailable) and unavailable.dependency == "media_store"
    assert unavailable.key == "a/b.jpg" and unavailable.code == "media_store_unavailable"
    missing = MediaObjectMissing("a/b.jpg")
    assert isinstance(missing, NotFound) and isinstance(missing, MediaStoreError)
    assert missing.key == "a/b.jpg" and missing.message == "media object a/b.jpg does not exist"


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (OdooUnreachable, "unreachable"),
        (OdooUnknownDatabase, "unknown_database"),
        (OdooAuthenticationFailed, "authentication_failed"),
        (OdooAccessDenied, "access_denied"),
        (OdooValidationError, "validation_error"),
        (OdooServerError, "server_error"),
    ],
)
def test_an_odoo_failure_keeps_the_code_a_connection_test_reports(error: type[OdooUnreachable], code: str) -> None:
    assert error("what", odoo_message="Odoo's text").code == code


def test_several_field_errors_are_one_validation_failure() -> None:
    failed = ValidationFailed([InvalidCursor("cursor is not valid", field="cursor")])
    assert failed.code == "validation_failed" and failed.errors[0].field == "cursor"
